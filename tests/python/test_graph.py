"""The muscle graph: chains, links, graph algorithms, user-built and TOML-loaded graphs, bad input."""

from __future__ import annotations

import math

import networkx as nx
import pytest

import chainload as cl
from chainload import MuscleGraph

POSTERIOR = {
    "upper_traps", "rhomboids", "lower_traps", "rear_delts", "lats", "triceps", "spinal_erectors",
    "glutes", "hamstrings", "calves",
}  # fmt: skip
ANTERIOR = {"pecs", "front_delts", "biceps", "abs", "hip_flexors", "quadriceps", "tibialis"}
# "lateral": groups that wrap around the body, split between the chains by a posterior share
LATERAL = {"side_delts", "forearms", "obliques", "hip_abductors", "adductors"}


# --------------------------------------------------------------------------- the shipped graph
def test_default_graph_has_22_muscles_in_three_chains(graph):
    # DESIGN.md: 22 muscle groups; 10 posterior (triceps by the mirror test) + 7 anterior + 5 split = 22.
    assert len(graph) == 22
    assert len(set(graph.ids)) == 22
    assert set(graph.chain("posterior")) == POSTERIOR
    assert set(graph.chain("anterior")) == ANTERIOR
    assert set(graph.chain("lateral")) == LATERAL


def test_posterior_chain_contains_the_design_muscles(graph):
    # DESIGN.md lists the posterior chain: trapezius, rear delts, rhomboids, lats, erectors,
    # glutes, hamstrings, calves; and the anterior: pecs, front delts, biceps, abs, hip flexors,
    # quadriceps, tibialis.
    posterior = graph.chain("posterior")
    for m in ["upper_traps", "rear_delts", "rhomboids", "lats", "spinal_erectors", "glutes", "hamstrings"]:
        assert m in posterior
    assert "calves" in posterior
    anterior = graph.chain("anterior")
    for m in ["pecs", "front_delts", "biceps", "abs", "hip_flexors", "quadriceps", "tibialis"]:
        assert m in anterior
    assert not set(posterior) & set(anterior)


def test_chains_regions_and_sizes_match_the_data_file(graph, graph_toml):
    # Every [[muscle]] table of muscle_graph.toml, read with plain tomllib, is a vertex with
    # the same chain, region and size, in file order.
    rows = graph_toml["muscle"]
    assert graph.ids == [r["id"] for r in rows]
    for r in rows:
        m = graph.muscle(r["id"])
        assert (m.name, m.chain, m.region) == (r["name"], r["chain"], r["region"])
        assert m.size == r["size"]
    for region in ("upper", "lower", "core"):
        assert graph.region(region) == [r["id"] for r in rows if r["region"] == region]
    # The file's comment says the 22 sizes sum to ~0.80 of body muscle: exact sum of the column.
    assert sum(m.size for m in graph.muscles()) == pytest.approx(sum(r["size"] for r in rows))
    assert 0.75 < sum(m.size for m in graph.muscles()) < 0.85
    frame = graph.to_frame()
    assert list(frame.index) == graph.ids
    assert frame.loc["quadriceps", "size"] == 0.1397


def test_antagonists_and_synergists(graph):
    assert graph.antagonists("hamstrings") == ["quadriceps"]
    assert graph.antagonists("quadriceps") == ["hamstrings"]
    # glutes:hip_flexors is glutes' only antagonist edge.
    assert graph.antagonists("glutes") == ["hip_flexors"]
    # pecs is the b-side of two pull:push edges (lats, rhomboids); neighbours come in graph order.
    assert graph.antagonists("pecs") == ["rhomboids", "lats"]
    # glutes' synergist edges in muscle_graph.toml: hamstrings, spinal_erectors, hip_abductors,
    # adductors, quadriceps, lats (myofascial) — listed in graph (column) order.
    assert graph.synergists("glutes") == [
        "lats", "spinal_erectors", "hip_abductors", "hamstrings", "adductors", "quadriceps",
    ]  # fmt: skip


def test_antagonist_groups_pool_edges(graph):
    groups = graph.antagonist_groups()
    # 9 antagonist edges in the file, three of them in "pull:push" -> 7 groups.
    assert len(groups) == 7
    assert groups["hamstrings:quadriceps"] == (["hamstrings"], ["quadriceps"])
    assert groups["pull:push"] == (["lats", "rhomboids", "rear_delts"], ["pecs", "front_delts"])
    assert ("biceps", "triceps", "biceps:triceps") in graph.antagonist_pairs()


def test_links_match_the_data_file(graph, graph_toml):
    links = graph.links()
    n_syn, n_ant = len(graph_toml["synergist"]), len(graph_toml["antagonist"])
    assert (n_syn, n_ant) == (35, 9)
    assert len(links) == n_syn + n_ant == 44
    assert (links["kind"] == "synergist").sum() == n_syn
    # Every synergist edge of the file is there with its weight and chain name (undirected).
    got = {(frozenset((r.a, r.b)), r.kind): (r.weight, r.group) for r in links.itertuples()}
    for e in graph_toml["synergist"]:
        assert got[(frozenset((e["a"], e["b"])), "synergist")] == (e["weight"], e["chain"])
    for e in graph_toml["antagonist"]:
        assert got[(frozenset((e["a"], e["b"])), "antagonist")] == (1.0, e["group"])


def test_to_networkx(graph):
    g = graph.to_networkx()
    assert g.number_of_nodes() == 22
    assert g.number_of_edges() == len(graph.links()) == 44
    assert g.nodes["glutes"]["chain"] == "posterior"
    assert g.nodes["glutes"]["size"] == 0.0656
    assert g.edges["hamstrings", "quadriceps"]["kind"] == "antagonist"
    assert g.edges["lats", "glutes"] == {
        "kind": "synergist",
        "weight": 0.25,
        "group": g.edges["lats", "glutes"]["group"],
    }


def test_synergist_path_lats_to_glutes(graph):
    path = graph.synergist_path("lats", "glutes")
    assert path[0] == "lats" and path[-1] == "glutes"
    syn = {
        frozenset((a, b))
        for a, b, k in graph.links()[["a", "b", "kind"]].itertuples(index=False)
        if k == "synergist"
    }
    for a, b in zip(path, path[1:], strict=False):
        assert frozenset((a, b)) in syn
    # By hand (cost = 1/weight): the direct myofascial edge costs 1/0.25 = 4; the next best,
    # lats-spinal_erectors-glutes, costs 4 + 2 = 6. So the path is the direct edge.
    assert path == ["lats", "glutes"]


def test_synergist_path_hand_and_networkx(graph):
    # By hand: calves-hamstrings (w 0.5, cost 2) + hamstrings-spinal_erectors (w 1, cost 1) = 3,
    # cheaper than going through glutes (2 + 1 + 2 = 5).
    assert graph.synergist_path("calves", "spinal_erectors") == ["calves", "hamstrings", "spinal_erectors"]
    assert graph.synergist_path("glutes", "glutes") == ["glutes"]
    # Cross-check the path cost against networkx's Dijkstra on the synergist subgraph.
    g = nx.Graph()
    for r in graph.links().itertuples():
        if r.kind == "synergist":
            g.add_edge(r.a, r.b, cost=1.0 / r.weight)

    def cost(path):
        return sum(g.edges[a, b]["cost"] for a, b in zip(path, path[1:], strict=False))

    for a, b in [("pecs", "glutes"), ("tibialis", "rear_delts"), ("biceps", "calves"), ("abs", "lats")]:
        path = graph.synergist_path(a, b)
        assert path[0] == a and path[-1] == b
        assert cost(path) == pytest.approx(nx.dijkstra_path_length(g, a, b, weight="cost"))


def test_components_of_default_graph(graph):
    # The synergist edges connect all 22 muscles (checked independently with networkx).
    comps = graph.components()
    assert len(comps) == 1 and sorted(comps[0]) == sorted(graph.ids)
    g = nx.Graph(
        [(r.a, r.b) for r in graph.links().itertuples() if r.kind == "synergist"],
    )
    assert nx.number_connected_components(g) == 1


def test_unknown_muscle_suggests(graph):
    with pytest.raises(cl.UnknownNameError, match="did you mean 'hamstrings'") as e:
        graph.index("hamstring")
    assert isinstance(e.value, KeyError) and isinstance(e.value, cl.Error)
    assert "hamstring" not in graph and "hamstrings" in graph and 5 not in graph
    with pytest.raises(cl.UnknownNameError, match="unknown chain 'back'"):
        graph.chain("back")


# --------------------------------------------------------------------------- user-built graphs
def small_graph() -> MuscleGraph:
    g = MuscleGraph()
    g.add_muscle("a", chain="posterior", region="upper", size=0.1)
    g.add_muscle("b", name="Bee", chain="anterior", region="upper", size=0.2)
    g.add_muscle("c", chain="posterior", region="lower", size=0.3)
    g.add_muscle("d", chain="lateral", region="core", size=0.4)
    g.add_muscle("e", chain="anterior", region="lower", size=0.5)
    g.add_synergist("a", "b", weight=1.0, chain="push")
    g.add_synergist("b", "c", weight=1.0)
    g.add_synergist("a", "c", weight=0.25)
    g.add_antagonist("a", "e")
    g.add_antagonist("c", "e", group="back:front")
    g.add_antagonist("d", "b", group="back:front")
    return g


def test_user_built_graph():
    g = small_graph()
    assert len(g) == 5 and g.ids == ["a", "b", "c", "d", "e"]
    assert g.muscle("b") == cl.Muscle("b", "Bee", "anterior", "upper", 0.2)
    assert g.muscle("a").name == "a"  # name defaults to the id
    assert g.chain("posterior") == ["a", "c"] and g.chain("lateral") == ["d"]
    assert g.region("lower") == ["c", "e"]
    assert g.synergists("b") == ["a", "c"]
    assert g.antagonists("b") == ["d"] and g.antagonists("e") == ["a", "c"]
    # By hand: a-b-c costs 1 + 1 = 2 < direct a-c at 1/0.25 = 4.
    assert g.synergist_path("a", "c") == ["a", "b", "c"]
    # d and e have no synergist edge: no path, and they are singleton components.
    assert g.synergist_path("a", "e") == []
    assert g.components() == [["a", "b", "c"], ["d"], ["e"]]
    assert g.antagonist_groups() == {"a:e": (["a"], ["e"]), "back:front": (["c", "d"], ["e", "b"])}
    links = g.links()
    assert len(links) == 6 == g.to_networkx().number_of_edges()
    assert links.iloc[0].to_dict() == {
        "a": "a",
        "b": "b",
        "kind": "synergist",
        "weight": 1.0,
        "group": "push",
    }
    assert "5 muscles" in repr(g) and "6 links" in repr(g)


def test_copy_is_independent(graph):
    g = graph.copy()
    g.add_muscle("neck", chain="lateral", region="upper", size=0.01)
    g.add_synergist("neck", "upper_traps", 0.5)
    assert len(g) == 23 and len(graph) == 22 == len(MuscleGraph.default())
    assert len(g.links()) == 45 and len(graph.links()) == 44


GRAPH_TOML = """
[[muscle]]
id = "a"
chain = "posterior"
region = "upper"
size = 0.1

[[muscle]]
id = "b"
name = "Bee"
chain = "anterior"
region = "upper"
size = 0.2

[[muscle]]
id = "c"
chain = "posterior"
region = "lower"
size = 0.3

[[muscle]]
id = "d"
chain = "lateral"
region = "core"
size = 0.4

[[muscle]]
id = "e"
chain = "anterior"
region = "lower"
size = 0.5

[[synergist]]
a = "a"
b = "b"
weight = 1.0
chain = "push"

[[synergist]]
a = "b"
b = "c"
weight = 1

[[synergist]]
a = "a"
b = "c"
weight = 0.25

[[antagonist]]
a = "a"
b = "e"

[[antagonist]]
a = "c"
b = "e"
group = "back:front"

[[antagonist]]
a = "d"
b = "b"
group = "back:front"
"""


def test_graph_loaded_from_toml_equals_user_built(tmp_path):
    path = tmp_path / "g.toml"
    path.write_text(GRAPH_TOML)
    loaded, built = MuscleGraph.load(path), small_graph()
    assert loaded.muscles() == built.muscles()
    assert loaded.links().equals(built.links())
    assert loaded.antagonist_groups() == built.antagonist_groups()
    assert loaded.synergist_path("a", "c") == ["a", "b", "c"]


# --------------------------------------------------------------------------- bad input
def test_edge_to_missing_muscle():
    g = small_graph()
    with pytest.raises(cl.UnknownNameError, match="unknown muscle 'x'") as e:
        g.add_synergist("a", "x")
    assert isinstance(e.value, KeyError)
    with pytest.raises(cl.UnknownNameError, match="unknown muscle 'cc'; did you mean 'c'"):
        g.add_antagonist("cc", "a")


def test_edge_to_misspelt_muscle_in_default_graph(graph):
    g = graph.copy()
    with pytest.raises(cl.UnknownNameError, match="unknown muscle 'hamstrigs'; did you mean 'hamstrings'"):
        g.add_synergist("glutes", "hamstrigs")


@pytest.mark.parametrize("weight", [0.0, -0.5, 1.01, 2.0, math.nan, math.inf])
def test_weight_outside_unit_interval(weight):
    g = small_graph()
    with pytest.raises(cl.ValidationError, match=r"a-d: weight must lie in \(0, 1\]") as e:
        g.add_synergist("a", "d", weight=weight)
    assert isinstance(e.value, ValueError)


def test_duplicate_muscle_self_link_and_double_link():
    g = small_graph()
    with pytest.raises(cl.ValidationError, match="duplicate muscle id 'a'"):
        g.add_muscle("a", chain="posterior", region="upper", size=0.1)
    with pytest.raises(cl.ValidationError, match="link from muscle 'a' to itself"):
        g.add_synergist("a", "a")
    with pytest.raises(cl.ValidationError, match="'b' and 'a' are linked twice"):
        g.add_antagonist("b", "a")
    assert len(g) == 5 and len(g.links()) == 6  # nothing was added by the failed calls


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"chain": "back"}, cl.UnknownNameError, "unknown chain 'back'"),
        ({"region": "middle"}, cl.UnknownNameError, "unknown region 'middle'"),
        ({"size": 0.0}, cl.ValidationError, "muscle 'x': size must be a finite number > 0"),
        ({"size": -1.0}, cl.ValidationError, "muscle 'x': size must be a finite number > 0"),
        ({"size": math.nan}, cl.ValidationError, "muscle 'x': size must be a finite number > 0"),
        ({"size": math.inf}, cl.ValidationError, "muscle 'x': size must be a finite number > 0"),
        ({"id": ""}, cl.ValidationError, "muscle id must not be empty"),
    ],
)
def test_bad_muscle(kwargs, error, match):
    args = {"id": "x", "chain": "posterior", "region": "upper", "size": 0.1} | kwargs
    g = MuscleGraph()
    with pytest.raises(error, match=match):
        g.add_muscle(args.pop("id"), **args)
    assert len(g) == 0


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        (GRAPH_TOML + '[[synergist]]\na = "a"\nb = "zz"\nweight = 1\n', cl.UnknownNameError,
         r"\[\[synergist\]\] #4: unknown muscle 'zz'"),
        (GRAPH_TOML + '[[antagonist]]\na = "a"\nb = "ee"\n', cl.UnknownNameError,
         r"\[\[antagonist\]\] #4: unknown muscle 'ee'; did you mean 'e'"),
        (GRAPH_TOML + '[[muscle]]\nid = "c"\nchain = "posterior"\nregion = "lower"\nsize = 0.3\n',
         cl.ValidationError, r"\[\[muscle\]\] #6 \('c'\): duplicate muscle id 'c'"),
        (GRAPH_TOML + '[[synergist]]\na = "a"\nb = "d"\nweight = 1.5\n', cl.ValidationError,
         r"\[\[synergist\]\] #4: link a-d: weight must lie in \(0, 1\]"),
        (GRAPH_TOML + '[[synergist]]\na = "a"\nb = "d"\n', cl.ValidationError,
         r"\[\[synergist\]\] #4: missing field 'weight'"),
        ('[[muscle]]\nid = "a"\nchain = "posterior"\nregion = "upper"\n', cl.ValidationError,
         "missing field 'size'"),
        ('[[muscle]]\nid = "a"\nchain = "posterior"\nregion = "upper"\nsize = "big"\n', cl.ValidationError,
         "field 'size' must be int or float, got 'big'"),
        ('[[muscle]]\nid = "a"\nname = 5\nchain = "posterior"\nregion = "upper"\nsize = 1\n',
         cl.ValidationError, "field 'name' must be str, got 5"),
        ("muscle = 5\n", cl.ValidationError, r"'muscle' must be an array of tables"),
        ("muscle = [5]\n", cl.ValidationError, r"'muscle' must be an array of tables"),
        ("title = 'no muscles'\n", cl.ValidationError, r"no \[\[muscle\]\] tables"),
        ("[[muscle]\nid = 'a'\n", cl.FileFormatError, "malformed TOML.*line 1"),
    ],
)  # fmt: skip
def test_bad_graph_file(tmp_path, text, error, match):
    path = tmp_path / "my_graph.toml"
    path.write_text(text)
    with pytest.raises(error, match=match) as e:
        MuscleGraph.load(path)
    assert "my_graph.toml" in str(e.value)
    assert isinstance(e.value, cl.Error)


def test_missing_graph_file(tmp_path):
    with pytest.raises(cl.FileFormatError, match="nope.toml: no such file") as e:
        MuscleGraph.load(tmp_path / "nope.toml")
    assert isinstance(e.value, ValueError)
    with pytest.raises(cl.FileFormatError, match="cannot read"):
        MuscleGraph.load(tmp_path)  # a directory


def test_default_graph_is_cached_but_copy_on_write():
    """MuscleGraph.default() shares one parsed graph (issue 15); the first change to a copy makes
    it private, so the shipped 22 muscles stay as they are for every later default()."""
    mine = MuscleGraph.default()
    mine.add_muscle("serratus", chain="anterior", region="upper", size=0.01)
    mine.add_synergist("serratus", "pecs", 0.5, chain="anterior")
    fresh = MuscleGraph.default()
    assert len(mine) == 23 and mine.ids[-1] == "serratus" and "pecs" in mine.synergists("serratus")
    assert len(fresh) == 22 and "serratus" not in fresh and "serratus" not in fresh.ids
    assert len(fresh.links()) == len(mine.links()) - 1

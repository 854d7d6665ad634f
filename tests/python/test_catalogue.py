"""The exercise catalogue: activation vectors over the graph, lookup, validation, TOML loading."""

from __future__ import annotations

import math

import numpy as np
import pytest

import chainload as cl
from chainload import Catalogue, Exercise

# DESIGN.md: the catalogue covers the posterior-chain literature and the common anterior lifts.
DESIGN_EXERCISES = [
    "deadlift", "sumo_deadlift", "romanian_deadlift", "back_squat", "kettlebell_swing", "lunge",
    "glute_bridge", "hip_thrust", "pull_up", "bent_over_row", "bench_press", "push_up",
    "overhead_press", "front_squat", "leg_press", "leg_extension", "crunch", "barbell_curl", "dips",
]  # fmt: skip


def test_catalogue_matches_the_data_file(catalogue, exercises_toml, graph):
    assert catalogue.ids == list(exercises_toml)
    assert len(catalogue) == len(exercises_toml) == 63  # 59 first, then 4 added for names in the real logs
    for ex_id in DESIGN_EXERCISES:
        assert ex_id in catalogue
    for ex in catalogue:
        raw = exercises_toml[ex.id]
        assert dict(ex.activation) == raw["activation"]
        assert ex.load == raw["load"] and ex.bodyweight_fraction == raw["bodyweight_fraction"]
        assert all(m in graph for m in ex.activation)
        assert all(0 < w <= 1 for w in ex.activation.values())
        assert ex.extra["standard_1rm_source"] == raw["standard_1rm_source"]


def test_activation_matrix(catalogue, exercises_toml, graph):
    a = catalogue.activation_matrix()
    assert a.shape == (63, 22)
    assert not a.flags.writeable
    # Row sums equal the sums of the TOML activation tables; e.g. deadlift by hand:
    # 3 × 1.0 (glutes, hamstrings, erectors) + 5 × 0.5 + 6 × 0.25 = 7.0.
    for i, ex_id in enumerate(catalogue.ids):
        assert a[i].sum() == pytest.approx(sum(exercises_toml[ex_id]["activation"].values()))
    assert a[catalogue.index("deadlift")].sum() == 7.0
    # bench press: pecs 1, triceps 1, front_delts 0.5 and nothing else.
    row = dict(zip(graph.ids, a[catalogue.index("bench_press")], strict=True))
    assert {m: w for m, w in row.items() if w} == {"pecs": 1.0, "triceps": 1.0, "front_delts": 0.5}
    frame = catalogue.to_frame()
    assert (
        frame.loc["bench_press", "pecs"] == 1.0 and frame.loc["bench_press", "pattern"] == "horizontal_push"
    )
    assert catalogue.core_table().n_exercises == 63 and catalogue.core_table().n_muscles == 22


def test_primary_movers(catalogue):
    assert catalogue["deadlift"].primary() == ["glutes", "hamstrings", "spinal_erectors"]
    assert catalogue["leg_curl"].primary() == ["hamstrings"]


def test_unknown_exercise_suggests_nearest(catalogue):
    with pytest.raises(
        cl.UnknownNameError, match="unknown exercise 'deadlfit'; did you mean 'deadlift'"
    ) as e:
        catalogue["deadlfit"]
    assert isinstance(e.value, KeyError) and isinstance(e.value, cl.Error)
    # str() of the KeyError subclass is the message itself, without KeyError's quotes
    assert str(e.value).startswith("unknown exercise")
    with pytest.raises(cl.UnknownNameError, match="'bench_press'"):
        catalogue.index("bench_pres")


def test_exercise_round_trip_through_dict(catalogue):
    for ex in catalogue:
        assert Exercise.from_dict(ex.to_dict()) == ex


def small_exercise(**kw) -> Exercise:
    fields = {"id": "band_pull_apart", "name": "Band pull-apart", "activation": {"rear_delts": 1.0}}
    return Exercise(**(fields | kw))


def test_add_and_override(catalogue):
    cat = Catalogue(catalogue, graph=catalogue.graph)
    n = len(cat)
    ex = cat.add(small_exercise(activation={"rear_delts": 1.0, "rhomboids": 0.5}, pattern="horizontal_pull"))
    assert len(cat) == n + 1 and cat["band_pull_apart"] is ex
    assert cat.activation_matrix().shape == (n + 1, 22)
    assert cat.activation_matrix()[-1].sum() == 1.5
    with pytest.raises(cl.ValidationError, match="'band_pull_apart' is already in the catalogue"):
        cat.add(small_exercise())
    cat.add(small_exercise(), override=True)
    assert cat.activation_matrix()[-1].sum() == 1.0
    assert "band_pull_apart" not in catalogue  # the copy is independent
    # keyword form and with_exercise
    cat.add(id="zottman_curl", activation={"forearms": 1.0})
    assert cat["zottman_curl"].name == "zottman_curl"
    other = catalogue.with_exercise(small_exercise(activation={"rhomboids": 1.0}))
    assert other["band_pull_apart"].activation == {"rhomboids": 1.0} and len(other) == len(catalogue) + 1


def test_unknown_muscle_in_exercise_suggests(catalogue):
    cat = Catalogue(catalogue, graph=catalogue.graph)
    with pytest.raises(
        cl.UnknownNameError, match="unknown muscle 'rear_delt'; did you mean 'rear_delts'"
    ) as e:
        cat.add(small_exercise(activation={"rear_delt": 1.0}))
    assert "band_pull_apart" in str(e.value)
    assert "band_pull_apart" not in cat


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"activation": {"rear_delts": 0.0}}, r"activation of 'rear_delts' must lie in \(0, 1\], got 0"),
        ({"activation": {"rear_delts": 1.5}}, r"activation of 'rear_delts' must lie in \(0, 1\], got 1.5"),
        ({"activation": {"rear_delts": -0.25}}, r"activation of 'rear_delts' must lie in \(0, 1\]"),
        ({"activation": {"rear_delts": math.nan}}, r"activation of 'rear_delts' must lie in \(0, 1\]"),
        ({"activation": {"rear_delts": True}}, r"activation of 'rear_delts' must lie in \(0, 1\]"),
        ({"activation": {"rear_delts": "1"}}, r"activation of 'rear_delts' must lie in \(0, 1\]"),
        ({"activation": {}}, "activation must name at least one muscle"),
        ({"pattern": "twist"}, "pattern 'twist' is not one of hinge"),
        ({"load": "band"}, "load 'band' is not one of external, bodyweight"),
        ({"load": "bodyweight"}, "a bodyweight exercise needs bodyweight_fraction > 0"),
        ({"bodyweight_fraction": 2.0}, r"bodyweight_fraction must lie in \[0, 1.5\], got 2.0"),
        ({"bodyweight_fraction": math.nan}, r"bodyweight_fraction must lie in \[0, 1.5\]"),
        ({"bodyweight_fraction": "half"}, r"bodyweight_fraction must lie in \[0, 1.5\], got 'half'"),
        ({"standard_1rm_bw": 0.0}, "standard_1rm_bw must be > 0"),
        ({"standard_1rm_bw": math.inf}, "standard_1rm_bw must be > 0"),
        ({"id": ""}, "exercise id must not be empty"),
    ],
)
def test_bad_exercise(kw, match):
    with pytest.raises(cl.ValidationError, match=match) as e:
        small_exercise(**kw)
    assert isinstance(e.value, ValueError)
    if kw.get("id", "x"):
        assert "band_pull_apart" in str(e.value)


EXERCISE_TOML = """
[[exercise]]
id = "band_pull_apart"
name = "Band pull-apart"
pattern = "horizontal_pull"
equipment = "band"
activation = { rear_delts = 1.0, rhomboids = 0.5, lower_traps = 0.25 }
note = "kept in extra"

[[exercise]]
id = "deadlift"
activation = { glutes = 1.0 }
"""


def test_catalogue_from_toml(tmp_path, graph):
    path = tmp_path / "mine.toml"
    path.write_text(EXERCISE_TOML)
    cat = Catalogue.load(path, graph)
    assert cat.ids == ["band_pull_apart", "deadlift"]
    ex = cat["band_pull_apart"]
    assert ex.activation == {"rear_delts": 1.0, "rhomboids": 0.5, "lower_traps": 0.25}
    assert ex.extra == {"note": "kept in extra"} and ex.equipment == "band"
    assert cat.activation_matrix().sum() == 1.75 + 1.0
    # update_from_file over the default catalogue overrides 'deadlift' and appends the new one
    base = Catalogue.default(graph)
    base.update_from_file(path)
    assert len(base) == 64 and base["deadlift"].activation == {"glutes": 1.0}
    with pytest.raises(cl.ValidationError, match="'deadlift' is already in the catalogue"):
        Catalogue.default(graph).update_from_file(path, override=False)


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ('[[exercise]]\nid = "x"\nactivation = { glutez = 1.0 }\n', cl.UnknownNameError,
         r"line 2, \[\[exercise\]\] #1 \('x'\): unknown muscle 'glutez'; did you mean 'glutes'"),
        ('[[exercise]]\nid = "x"\nactivation = { glutes = 1.5 }\n', cl.ValidationError,
         r"activation of 'glutes' must lie in \(0, 1\]"),
        ('[[exercise]]\nactivation = { glutes = 1 }\n', cl.ValidationError, "missing field 'id'"),
        ('[[exercise]]\nid = 5\nactivation = { glutes = 1 }\n', cl.ValidationError, "field 'id' must be str"),
        ('[[exercise]]\nid = "x"\nactivation = 1\n', cl.ValidationError, "field 'activation' must be dict"),
        ('[[exercise]]\nid = "x"\nactivation = { glutes = 1 }\nbodyweight_fraction = "a"\n',
         cl.ValidationError, "bodyweight_fraction must lie in"),
        ("exercise = [5]\n", cl.ValidationError, r"'exercise' must be an array of tables"),
        ("name = 'empty'\n", cl.ValidationError, r"no \[\[exercise\]\] tables"),
        ("[[exercise]\n", cl.FileFormatError, "malformed TOML.*line 1"),
    ],
)  # fmt: skip
def test_bad_catalogue_file(tmp_path, graph, text, error, match):
    path = tmp_path / "bad_catalogue.toml"
    path.write_text(text)
    with pytest.raises(error, match=match) as e:
        Catalogue.load(path, graph)
    assert "bad_catalogue.toml" in str(e.value)


def test_missing_catalogue_file(tmp_path):
    with pytest.raises(cl.FileFormatError, match="none.toml: no such file"):
        Catalogue.load(tmp_path / "none.toml")


def test_matrix_columns_follow_a_custom_graph():
    g = cl.MuscleGraph()
    g.add_muscle("front", chain="anterior", region="upper", size=0.5)
    g.add_muscle("back", chain="posterior", region="upper", size=0.5)
    cat = Catalogue([Exercise("row", "Row", {"back": 1.0, "front": 0.25})], graph=g)
    np.testing.assert_array_equal(cat.activation_matrix(), [[0.25, 1.0]])
    with pytest.raises(cl.UnknownNameError, match="unknown muscle 'glutes'"):
        cat.add(Exercise("bridge", "Bridge", {"glutes": 1.0}))


def test_default_catalogue_is_cached_but_copy_on_write():
    """Catalogue.default() shares one parsed catalogue (issue 15: notebook loops); a change to
    one copy reaches neither the cache nor a later default() (63 [[exercise]] tables in the file)."""
    mine = Catalogue.default()
    shipped_deadlift = dict(mine["deadlift"].activation)
    mine.add(Exercise(id="band_walk", name="Band walk", activation={"glutes": 1.0}))
    mine.add(Exercise(id="deadlift", name="Deadlift", activation={"glutes": 1.0}), override=True)
    mine.graph.add_muscle("serratus", chain="anterior", region="upper", size=0.01)
    fresh = Catalogue.default()
    assert len(mine) == 64 and len(fresh) == 63 and "band_walk" not in fresh
    assert dict(fresh["deadlift"].activation) == shipped_deadlift != {"glutes": 1.0}
    assert "serratus" in mine.graph and "serratus" not in fresh.graph and len(fresh.graph) == 22
    # the shared activation matrix stays the shipped one; the changed copy has its own
    row = fresh.index("deadlift")
    glutes = fresh.graph.index("glutes")
    assert fresh.activation_matrix()[row].sum() == pytest.approx(sum(shipped_deadlift.values()))
    assert mine.activation_matrix()[mine.index("deadlift"), glutes] == 1.0
    assert mine.activation_matrix()[mine.index("deadlift")].sum() == 1.0


def test_line_number_of_a_later_bad_exercise(tmp_path, graph):
    """Line numbers are found only once an error is raised, and still point at the right entry:
    the second table's id is on line 5 of this file (counted by hand)."""
    path = tmp_path / "two.toml"
    path.write_text(
        '[[exercise]]\nid = "ok"\nactivation = { glutes = 1.0 }\n[[exercise]]\nid = "bad"\n'
        "activation = { glutez = 1.0 }\n"
    )
    with pytest.raises(cl.UnknownNameError, match=r"two.toml: line 5, \[\[exercise\]\] #2 \('bad'\)"):
        Catalogue.load(path, graph)

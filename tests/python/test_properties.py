"""Property tests (hypothesis): malformed input only ever raises chainload.Error (never another
exception, never a crash), and what builds obeys conservation laws checked against plain numpy.

The strategies draw mostly valid values with some bad ones mixed in (NaN, ±inf, negatives, huge
numbers, wrong types, unknown names), so that both the error paths and the success paths run.
"""

from __future__ import annotations

import atexit
import itertools
import math
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chainload as cl
from chainload import Athlete, Catalogue, MuscleGraph, Prescription, Program, Session, _core, analyze, dose
from chainload._files import TomlSource
from chainload.graph import CHAINS, REGIONS

# database=None: no .hypothesis/ example store written into the work tree
PROPERTY = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

CATALOGUE = Catalogue.default()
ATHLETE = Athlete.default()
ACTIVATION = CATALOGUE.activation_matrix()
TABLE = CATALOGUE.core_table()
N_EX, N_MUSCLES = ACTIVATION.shape
INT64 = 2**63


def mostly(good: st.SearchStrategy, bad: st.SearchStrategy) -> st.SearchStrategy:
    """About four draws in five from ``good``, the rest from ``bad``."""
    return st.one_of(good, good, good, good, bad)


def noisy_or_clean(noisy: bool):
    """In a noisy example each value is ``mostly(good, bad)``; in a clean one always good."""
    return (lambda good, bad: mostly(good, bad)) if noisy else (lambda good, bad: good)


# --------------------------------------------------------------------------- bad values
bad_numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(2**70), 2**70),
    st.sampled_from(
        [0, -1, -0.0, 2.5, 101, 1e9, 1e308, -1e308, 2**63, 10**400, math.nan, math.inf, -math.inf]
    ),
)
bad_scalars = st.one_of(  # what a TOML file can hold (64-bit integers)
    st.integers(-INT64, INT64 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.booleans(),
)
bad_values = st.one_of(
    bad_scalars,
    st.lists(bad_scalars, max_size=3),
    st.dictionaries(st.text(max_size=4), bad_scalars, max_size=2),
)
bad_names = st.one_of(st.sampled_from(["deadlfit", "", "bench", "Deadlift", "glutez"]), st.text(max_size=8))

# --------------------------------------------------------------------------- programs
good_intensity = st.one_of(
    st.tuples(st.just("kg"), st.floats(0, 300)),
    st.tuples(st.just("percent_1rm"), st.floats(30, 105)),
    st.tuples(st.just("rpe"), st.sampled_from([6, 7, 7.5, 8, 9, 10])),
    st.tuples(st.just("rir"), st.integers(0, 4)),
)


@st.composite
def prescription_args(draw, noisy: bool = True) -> dict[str, Any]:
    pick = noisy_or_clean(noisy)
    args: dict[str, Any] = {
        "exercise": draw(pick(st.sampled_from(CATALOGUE.ids), bad_names)),
        "sets": draw(pick(st.integers(1, 10), bad_numbers)),
        "reps": draw(
            pick(
                st.one_of(st.integers(1, 20), st.tuples(st.integers(1, 8), st.integers(8, 15))),
                st.one_of(
                    bad_numbers, st.tuples(bad_numbers, bad_numbers), st.lists(bad_numbers, max_size=3)
                ),
            )
        ),
    }
    # usually one intensity, sometimes none (fine for a bodyweight exercise) or two (an error)
    for _ in range(draw(pick(st.just(1), st.sampled_from([0, 2])))):
        key, value = draw(good_intensity)
        args[key] = draw(pick(st.just(value), bad_numbers))
    return args


@st.composite
def program_specs(draw):
    noisy = draw(st.booleans())
    pick = noisy_or_clean(noisy)
    days = pick(
        st.one_of(st.integers(0, 6), st.sampled_from(["mon", "Tuesday", "sun"])),
        st.one_of(bad_numbers, bad_names),
    )
    sessions = draw(
        pick(
            st.lists(
                st.tuples(days, st.lists(prescription_args(noisy), min_size=1, max_size=3)),
                min_size=1,
                max_size=3,
                unique_by=(lambda s: id(s)) if noisy else (lambda s: _weekday(s[0])),
            ),
            st.lists(st.tuples(days, st.lists(prescription_args(), max_size=1)), max_size=1),
        )
    )
    weeks = draw(st.integers(1, 4))
    deloads = draw(
        pick(st.lists(st.integers(1, weeks), max_size=2, unique=True), st.lists(bad_numbers, max_size=2))
    )
    return sessions, weeks, deloads


def _weekday(day: int | str) -> int:
    return (
        day
        if isinstance(day, int)
        else ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].index(day.lower()[:3])
    )


def expected_totals(program: Program) -> tuple[float, float]:
    """Σ sets × (row sum of the activation matrix) and Σ sets × reps × kg × (row sum), by hand."""
    sets_total = volume_total = 0.0
    for w, _day, _s, p in program.occurrences():
        ex = CATALOGUE[p.exercise]
        sets, kg = float(p.sets), ATHLETE.planned_load(p, ex)
        if w + 1 in program.deload_weeks:
            sets = max(1.0, math.floor(sets * program.deload_sets_factor + 0.5))
            kg *= program.deload_load_factor
        row = sum(ex.activation.values())
        sets_total += sets * row
        volume_total += sets * p.reps_planned * kg * row
    return sets_total, volume_total


@pytest.mark.slow
@PROPERTY
@given(program_specs())
def test_random_programs_build_or_raise_chainload_error(spec):
    sessions, weeks, deloads = spec
    try:
        built = [
            Session(day, [Prescription(**args) for args in prescriptions]) for day, prescriptions in sessions
        ]
        program = Program.repeat("random", built, weeks, deload_weeks=deloads)
        d = dose(program, ATHLETE, CATALOGUE)
        report = analyze(program, ATHLETE, CATALOGUE)
    except cl.Error:
        return
    sets, volume = d["fractional_sets"], d["volume_load"]
    assert sets.shape == (1, 7 * weeks, N_MUSCLES)
    assert np.isfinite(sets).all() and (sets >= 0).all() and np.isfinite(volume).all() and (volume >= 0).all()
    # conservation: all muscles together receive Σ sets × (activation row sum)
    sets_total, volume_total = expected_totals(program)
    assert sets.sum() == pytest.approx(sets_total, rel=1e-9, abs=1e-9)
    assert volume.sum() == pytest.approx(volume_total, rel=1e-9, abs=1e-6)
    assert report.per_muscle(by="total").to_numpy().sum() == pytest.approx(sets_total, rel=1e-9, abs=1e-9)
    assert Program.loads(program.dumps()) == program


# --------------------------------------------------------------------------- corrupting TOML documents
def _slots(node: Any, out: list) -> list:
    """Every (container, key) below node, for mutation."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        out.append((node, key))
        _slots(child, out)
    return out


@st.composite
def corrupted(draw, documents: st.SearchStrategy) -> dict:
    """A valid document with up to three mutations: a value replaced by a random one, a key or list
    item removed, or an unknown key added to a table."""
    doc = draw(documents)
    for _ in range(draw(st.sampled_from([0, 1, 1, 2, 3]))):
        slots = _slots(doc, [])
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace":
            container[key] = draw(bad_values)
        elif action == "delete":
            del container[key]
        elif isinstance(container, dict):
            container[draw(st.text(min_size=1, max_size=6))] = draw(bad_values)
    return doc


@st.composite
def program_documents(draw) -> dict:
    def session(day: int) -> dict:
        rows = []
        for args in draw(st.lists(prescription_args(noisy=False), min_size=1, max_size=3)):
            row = {k: (list(v) if isinstance(v, tuple) else v) for k, v in args.items()}
            if any(isinstance(v, int) and abs(v) >= INT64 for v in row.values()):
                continue  # TOML integers are 64-bit; tomli_w would write what no reader accepts
            if draw(st.booleans()):
                row["progression"] = draw(
                    st.sampled_from(
                        [
                            {"rule": "linear", "increment_kg": 2.5},
                            {"rule": "double", "increment_kg": 1.25},
                            {"rule": "wave", "wave": [70, 75, 80]},
                            {"rule": "linear", "increment_kg": -2.5, "min_kg": 20},
                        ]
                    )
                )
            rows.append(row)
        return {"day": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][day], "exercise": rows}

    def week() -> list[dict]:
        return [session(d) for d in draw(st.lists(st.integers(0, 6), min_size=1, max_size=3, unique=True))]

    doc: dict[str, Any] = {"name": draw(st.text(max_size=8))}
    if draw(st.booleans()):
        doc["weeks"] = n = draw(st.integers(1, 4))
        doc["session"] = week()
    else:
        n = draw(st.integers(1, 3))
        doc["week"] = [{"session": week()} for _ in range(n)]
    if draw(st.booleans()):
        doc["deload_weeks"] = draw(st.lists(st.integers(1, n), max_size=2, unique=True))
    return doc


@pytest.mark.slow
@PROPERTY
@given(corrupted(program_documents()))
def test_random_program_files_load_or_raise_chainload_error(doc):
    text = tomli_w.dumps(doc)
    try:
        program = Program.loads(text, name="random.toml")
    except cl.Error as e:
        assert "random.toml" in str(e)  # errors of reading name the source
        return
    try:
        d = dose(program, ATHLETE, CATALOGUE)
    except cl.Error:  # an unknown exercise, no intensity for an external load ...
        return
    assert np.isfinite(d["volume_load"]).all()
    assert d["fractional_sets"].sum() == pytest.approx(expected_totals(program)[0], rel=1e-9, abs=1e-9)
    assert Program.loads(program.dumps()) == program  # whatever loads, round-trips


@PROPERTY
@given(st.text(max_size=200))
def test_random_text_as_program(text):
    try:
        Program.loads(text, name="text.toml")
    except cl.Error as e:
        assert "text.toml" in str(e)


# --------------------------------------------------------------------------- graphs
IDS = ["a", "b", "c", "d", "e", "f", "g", "h"]
muscle_ids = mostly(st.sampled_from(IDS), st.one_of(st.just(""), st.text(max_size=3)))


@st.composite
def graph_specs(draw):
    """Muscles and edges; in a noisy example some ids are unknown or repeated and some chains,
    regions, sizes and weights are invalid."""
    noisy = draw(st.booleans())
    pick = noisy_or_clean(noisy)
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=8, unique=True))
    muscles = [
        (
            draw(pick(st.just(m), st.one_of(st.sampled_from(ids), st.just(""), st.text(max_size=3)))),
            draw(pick(st.sampled_from(CHAINS), st.sampled_from(["back", "Posterior", ""]))),
            draw(pick(st.sampled_from(REGIONS), st.sampled_from(["mid", ""]))),
            draw(
                pick(
                    st.floats(0.001, 1.0),
                    st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -1.0])),
                )
            ),
        )
        for m in ids
    ]
    endpoint = pick(st.sampled_from(ids), muscle_ids)
    weight = pick(
        st.sampled_from([0.25, 0.5, 0.75, 1.0]),
        st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, 1.5])),
    )
    edges = draw(
        st.lists(
            st.tuples(endpoint, endpoint, st.sampled_from(["synergist", "antagonist"]), weight), max_size=12
        )
    )
    return muscles, edges


@pytest.mark.slow
@PROPERTY
@given(graph_specs())
def test_random_graphs(spec):
    muscles, edges = spec
    g = MuscleGraph()
    added: list[str] = []
    linked: set[frozenset] = set()
    for mid, chain, region, size in muscles:
        try:
            g.add_muscle(mid, chain=chain, region=region, size=size)
        except cl.Error:
            assert (
                mid in added
                or mid == ""
                or chain not in CHAINS
                or region not in REGIONS
                or not 0 < size < math.inf
            )
            continue
        added.append(mid)
    for a, b, kind, weight in edges:
        try:
            if kind == "synergist":
                g.add_synergist(a, b, weight=weight)
            else:
                g.add_antagonist(a, b)
        except cl.Error:
            continue
        assert a in added and b in added and a != b and frozenset((a, b)) not in linked
        linked.add(frozenset((a, b)))
    assert g.ids == added and len(g) == len(added)
    assert len(g.links()) == len(linked) == g.to_networkx().number_of_edges()
    assert g.to_networkx().number_of_nodes() == len(added)
    assert sorted(itertools.chain.from_iterable(g.components())) == sorted(added)
    synergist_edges = {frozenset((r.a, r.b)) for r in g.links().itertuples() if r.kind == "synergist"}
    component_of = {m: i for i, comp in enumerate(g.components()) for m in comp}
    for a, b in itertools.product(added[:4], repeat=2):
        path = g.synergist_path(a, b)
        if component_of[a] != component_of[b]:
            assert path == []
        else:
            assert path[0] == a and path[-1] == b
            assert all(frozenset(pair) in synergist_edges for pair in itertools.pairwise(path))
    # the balance kernel against a numpy reference on a random dose (docs/balance.md: each side's
    # volume-weighted mean; a lateral muscle without a posterior share is refused)
    from chainload import chains

    if g.chain("lateral"):
        with pytest.raises(cl.ValidationError, match="is lateral .* has no posterior_share"):
            chains.spec(g)
        return
    spec = chains.spec(g)
    load = np.random.default_rng(len(added)).uniform(0.1, 5.0, size=(3, len(g)))
    ratios = spec.mean_ratios(load)  # the kernel as such: volume-weighted means
    size_of = np.array([g.muscle(m).size for m in g.ids])
    post = np.array([g.muscle(m).chain == "posterior" for m in g.ids])

    def mean(mask: np.ndarray) -> np.ndarray:
        return load[:, mask] @ size_of[mask] / size_of[mask].sum() if mask.any() else np.full(3, np.nan)

    want = mean(post) / mean(~post) if post.any() and (~post).any() else np.full(3, np.nan)
    np.testing.assert_allclose(ratios[:, 0], want, rtol=1e-12)
    for j, (_name, (a_side, b_side)) in enumerate(g.antagonist_groups().items()):
        a_mask, b_mask = np.isin(g.ids, a_side), np.isin(g.ids, b_side)
        np.testing.assert_allclose(ratios[:, 4 + j], mean(a_mask) / mean(b_mask), rtol=1e-12)


@st.composite
def graph_documents(draw) -> dict:
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=6, unique=True))
    muscles = [
        {
            "id": m,
            "chain": draw(st.sampled_from(CHAINS)),
            "region": draw(st.sampled_from(REGIONS)),
            "size": draw(st.floats(0.001, 1)),
        }
        for m in ids
    ]
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(ids), st.sampled_from(ids)),
            max_size=8,
            unique_by=lambda p: frozenset(p),
        )
    )
    pairs = [(a, b) for a, b in pairs if a != b]
    split = draw(st.integers(0, len(pairs)))
    doc: dict[str, Any] = {"muscle": muscles}
    if pairs[:split]:
        doc["synergist"] = [
            {"a": a, "b": b, "weight": draw(st.sampled_from([0.25, 0.5, 1.0]))} for a, b in pairs[:split]
        ]
    if pairs[split:]:
        doc["antagonist"] = [{"a": a, "b": b} for a, b in pairs[split:]]
    return doc


@pytest.mark.slow
@PROPERTY
@given(corrupted(graph_documents()))
def test_random_graph_files(doc):
    text = tomli_w.dumps(doc)
    try:
        g = MuscleGraph.from_toml_source(TomlSource("random_graph.toml", text=text))
    except cl.Error as e:
        assert "random_graph.toml" in str(e)
        return
    assert len(g) == len(doc["muscle"])
    assert len(g.links()) == len(doc.get("synergist", [])) + len(doc.get("antagonist", []))
    assert g.to_networkx().number_of_edges() == len(g.links())


_FILES = itertools.count()
_DIR = Path(tempfile.mkdtemp(prefix="chainload-properties-"))
atexit.register(shutil.rmtree, _DIR, ignore_errors=True)


@st.composite
def catalogue_documents(draw) -> dict:
    entries = []
    for ex_id in draw(
        st.lists(st.text("abcxyz_", min_size=1, max_size=6), min_size=1, max_size=4, unique=True)
    ):
        muscles = draw(st.lists(st.sampled_from(CATALOGUE.graph.ids), min_size=1, max_size=4, unique=True))
        entry: dict[str, Any] = {
            "id": ex_id,
            "activation": {m: draw(st.sampled_from([0.25, 0.5, 1.0])) for m in muscles},
        }
        if draw(st.booleans()):
            entry |= {"load": "bodyweight", "bodyweight_fraction": draw(st.floats(0.05, 1.5))}
        entries.append(entry)
    return {"exercise": entries}


@pytest.mark.slow
@PROPERTY
@given(corrupted(catalogue_documents()))
def test_random_catalogue_files(doc):
    path = _DIR / f"catalogue_{next(_FILES)}.toml"  # a new file each time (the reader caches by path)
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    try:
        cat = Catalogue.load(path, CATALOGUE.graph)
    except cl.Error as e:
        assert path.name in str(e)
        return
    a = cat.activation_matrix()
    assert a.shape == (len(cat), N_MUSCLES) and ((a >= 0) & (a <= 1)).all()
    for i, ex in enumerate(cat):
        assert a[i].sum() == pytest.approx(sum(ex.activation.values()))


# --------------------------------------------------------------------------- the C++ dose kernel
def int_arrays(
    n: int, good: st.SearchStrategy, bad: st.SearchStrategy, dtype, pick=mostly
) -> st.SearchStrategy:
    return pick(
        st.lists(good, min_size=n, max_size=n).map(lambda v: np.array(v, dtype=dtype)),
        st.one_of(
            st.lists(st.one_of(good, bad), min_size=n, max_size=n).map(lambda v: np.array(v, dtype=dtype)),
            st.lists(good, max_size=n + 2).map(lambda v: np.array(v, dtype=dtype)),  # maybe the wrong length
            st.lists(good, min_size=n, max_size=n),  # a plain list, converted by the binding
            st.just(np.zeros((max(n, 1), 2), dtype=dtype)),  # two-dimensional
        ),
    )


def float_arrays(n: int, hi: float, pick=mostly) -> st.SearchStrategy:
    return pick(
        st.lists(st.floats(0, hi), min_size=n, max_size=n).map(np.array),
        st.one_of(
            st.lists(
                mostly(st.floats(0, hi), st.floats(allow_nan=True, allow_infinity=True)),
                min_size=n,
                max_size=n,
            ).map(np.array),
            st.lists(st.floats(0, hi), max_size=n + 2).map(np.array),
            st.lists(st.integers(-3, 20), min_size=n, max_size=n).map(lambda v: np.array(v, dtype=np.int64)),
            st.just(np.full(n, 1e200)),  # finite numbers whose product overflows
        ),
    )


@st.composite
def raw_dose_args(draw):
    pick = noisy_or_clean(draw(st.booleans()))
    n = draw(st.integers(0, 10))
    n_days = draw(pick(st.integers(1, 40), st.integers(-2, 0)))
    day = draw(int_arrays(n, st.integers(0, max(n_days - 1, 0)), st.integers(-3, 60), np.int32, pick))
    exercise = draw(
        int_arrays(
            n, st.integers(0, N_EX - 1), st.sampled_from([-1, N_EX, N_EX + 5, -(2**31)]), np.int32, pick
        )
    )
    sets, reps, kg = (
        draw(float_arrays(n, 20, pick)),
        draw(float_arrays(n, 30, pick)),
        draw(float_arrays(n, 500, pick)),
    )
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=3)))
    offsets = draw(
        pick(
            st.just(np.array([0, *cuts, n], dtype=np.int64)),
            st.one_of(
                st.lists(st.integers(-3, n + 3), max_size=5).map(lambda v: np.array(v, dtype=np.int64)),
                st.just(np.zeros((2, 2), dtype=np.int64)),
            ),
        )
    )
    bucket = draw(pick(st.integers(1, 9), st.integers(-1, 0)))
    return day, exercise, sets, reps, kg, offsets, n_days, bucket, draw(st.integers(0, 4))


@pytest.mark.slow
@PROPERTY
@given(raw_dose_args())
def test_dose_batch_raises_validation_error_or_succeeds(args):
    day, exercise, sets, reps, kg, offsets, n_days, bucket, threads = args
    try:
        out_sets, out_volume = _core.dose_batch(
            TABLE, day, exercise, sets, reps, kg, offsets, n_days, bucket, threads
        )
    except cl.ValidationError:
        return
    n_buckets = -(-n_days // bucket)
    assert out_sets.shape == out_volume.shape == ((len(offsets) - 1) * n_buckets, N_MUSCLES)
    assert np.isfinite(out_sets).all() and (out_sets >= 0).all() and np.isfinite(out_volume).all()
    expected = np.sum(np.asarray(sets, float) * ACTIVATION[np.asarray(exercise, dtype=np.intp)].sum(1))
    assert out_sets.sum() == pytest.approx(expected, rel=1e-9, abs=1e-9)


@st.composite
def valid_dose_args(draw):
    rows = draw(st.integers(1, 6))
    muscles = draw(st.integers(1, 8))
    cell = st.sampled_from([0.0, 0.0, 0.25, 0.5, 0.75, 1.0])
    activation = np.array(
        draw(st.lists(st.lists(cell, min_size=muscles, max_size=muscles), min_size=rows, max_size=rows))
    )
    n_days = draw(st.integers(1, 60))
    programs = draw(st.lists(st.integers(0, 8), min_size=1, max_size=4))  # blocks per program
    n = sum(programs)
    day = np.array(draw(st.lists(st.integers(0, n_days - 1), min_size=n, max_size=n)), dtype=np.int32)
    exercise = np.array(draw(st.lists(st.integers(0, rows - 1), min_size=n, max_size=n)), dtype=np.int32)

    def column(hi: float) -> np.ndarray:
        return np.array(draw(st.lists(st.floats(0, hi), min_size=n, max_size=n)), dtype=float)

    offsets = np.array([0, *itertools.accumulate(programs)], dtype=np.int64)
    return (
        activation,
        day,
        exercise,
        column(20),
        column(30),
        column(500),
        offsets,
        n_days,
        draw(st.integers(1, 10)),
    )


@pytest.mark.slow
@PROPERTY
@given(valid_dose_args(), st.integers(0, 4))
def test_dose_batch_conserves_sets_and_volume(args, threads):
    activation, day, exercise, sets, reps, kg, offsets, n_days, bucket = args
    table = _core.ActivationTable(activation)
    out_sets, out_volume = _core.dose_batch(
        table, day, exercise, sets, reps, kg, offsets, n_days, bucket, threads
    )
    n_buckets = -(-n_days // bucket)
    n_programs = len(offsets) - 1
    assert out_sets.shape == (n_programs * n_buckets, activation.shape[1])
    row_sums = activation.sum(1)
    for p in range(n_programs):
        blk = slice(offsets[p], offsets[p + 1])
        got_sets = out_sets[p * n_buckets : (p + 1) * n_buckets]
        got_volume = out_volume[p * n_buckets : (p + 1) * n_buckets]
        # conservation: Σ over muscles and buckets = Σ sets × (activation row sum); volume likewise
        assert got_sets.sum() == pytest.approx(
            np.sum(sets[blk] * row_sums[exercise[blk]]), rel=1e-9, abs=1e-9
        )
        assert got_volume.sum() == pytest.approx(
            np.sum(sets[blk] * reps[blk] * kg[blk] * row_sums[exercise[blk]]), rel=1e-9, abs=1e-6
        )
        # and cell by cell against a numpy reference (bucket = day // bucket_days)
        ref_sets = np.zeros_like(got_sets)
        ref_volume = np.zeros_like(got_volume)
        np.add.at(ref_sets, day[blk] // bucket, sets[blk, None] * activation[exercise[blk]])
        np.add.at(ref_volume, day[blk] // bucket, (sets * reps * kg)[blk, None] * activation[exercise[blk]])
        np.testing.assert_allclose(got_sets, ref_sets, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(got_volume, ref_volume, rtol=1e-9, atol=1e-6)


# --------------------------------------------------------------------------- balance invariances
@PROPERTY
@given(
    st.lists(
        st.tuples(st.sampled_from(CATALOGUE.ids), st.integers(1, 10)),
        min_size=1,
        max_size=5,
        unique_by=lambda t: t[0],
    ),
    st.integers(2, 5),
)
@pytest.mark.slow
def test_balance_ratios_ignore_scale_and_load(prescriptions, factor):
    """Multiplying every prescription's sets by one factor leaves every fractional-set ratio as it
    was, and so does a heavier load (the ratios are of set counts)."""

    def summary(k: int, kg: float):
        sessions = [Session(0, [Prescription(e, k * n, 5, kg=kg) for e, n in prescriptions])]
        return analyze(Program.repeat("p", sessions, 1), ATHLETE, CATALOGUE).summary()

    base, scaled, heavier = summary(1, 20), summary(factor, 20), summary(1, 60)
    ratios = base.drop("weekly_sets")
    np.testing.assert_allclose(scaled.drop("weekly_sets"), ratios, rtol=1e-12)
    np.testing.assert_allclose(heavier.drop("weekly_sets"), ratios, rtol=1e-12)
    expected = sum(factor * n * sum(CATALOGUE[e].activation.values()) for e, n in prescriptions)
    assert scaled["weekly_sets"] == pytest.approx(expected)

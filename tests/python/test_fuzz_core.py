"""Fuzz harness of the C++ core and the public entry points (hypothesis, bounded for CI).

Strategies draw shapes, dtypes, non-contiguous views and extreme values for every ``_core``
function; the only acceptable outcomes are a result or a clear error: a chainload.Error
subclass, ValueError, KeyError or TypeError (pybind11's "incompatible function arguments" is a
TypeError). A crash fails the run (scripts/asan-python runs this file under ASan + UBSan).
Profiles: ``ci`` (default, 30 examples a test, well under 20 s) and ``heavy`` (slow-marked
tests use 400; ``HYPOTHESIS_PROFILE=heavy`` raises every test to 400).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import chainload as cl
from chainload import _core

# hypothesis.extra.numpy casts extreme generated values into narrow dtypes while it builds the
# arrays (overflow is the point of this fuzzing); that warning is the generator's, not the core's.
pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered in cast:RuntimeWarning")

settings.register_profile(
    "ci", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile(
    "heavy", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

ACCEPTED = (cl.Error, ValueError, KeyError, TypeError)

EXTREME_INTS = st.sampled_from([0, 1, -1, 7, 2**31 - 1, -(2**31), 2**31, 2**32 + 5, 2**63 - 1])
EXTREME_FLOATS = st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.5, 1e-300, 1e300, np.inf, -np.inf, np.nan, 2.7])
DTYPES = st.sampled_from([np.int32, np.int64, np.float64, np.float32, np.uint8, np.bool_, np.int16])


def arrays(ndim: int | tuple[int, int] = 1, max_side: int = 6) -> st.SearchStrategy[Any]:
    """Arrays of any of DTYPES with extreme values, sometimes a non-contiguous view, sometimes a
    plain list or a scalar."""
    dims = st.integers(ndim if isinstance(ndim, int) else ndim[0], ndim if isinstance(ndim, int) else ndim[1])

    @st.composite
    def draw(d: st.DrawFn) -> Any:
        dt = d(DTYPES)
        nd = d(dims)
        shape = d(hnp.array_shapes(min_dims=nd, max_dims=nd, min_side=0, max_side=max_side)) if nd else ()
        if np.issubdtype(dt, np.floating):
            elements = st.one_of(EXTREME_FLOATS, st.floats(-1e3, 1e3))
        elif dt is np.bool_:
            elements = st.booleans()
        else:
            info = np.iinfo(dt)
            elements = st.integers(int(info.min), int(info.max)) | st.integers(max(int(info.min), -2), 10)
        a = d(hnp.arrays(dt, shape, elements=elements))
        kind = d(st.sampled_from(["array", "strided", "fortran", "list"]))
        if kind == "strided" and a.ndim >= 1:
            a = np.repeat(a, 2, axis=0)[::2]
        elif kind == "fortran":
            a = np.asfortranarray(a)
        elif kind == "list":
            return a.tolist()
        return a

    return draw()


def call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except ACCEPTED:
        return None


def fuzz(**kwargs: Any) -> Any:
    return settings(settings.get_profile(PROFILE), **kwargs)


TABLE = _core.ActivationTable(np.array([[1.0, 0.5, 0.0], [0.0, 0.25, 1.0]]))


@fuzz()
@given(arrays((1, 2)))
def test_activation_table(dense):
    t = call(_core.ActivationTable, dense)
    if t is not None:
        assert t.n_exercises >= 0 and t.n_muscles >= 0


@fuzz()
@given(
    day=arrays(),
    exercise=arrays(),
    sets=arrays(),
    reps=arrays(),
    kg=arrays(),
    offsets=st.one_of(arrays(), st.just(np.array([0, 1], np.int64))),
    n_days=st.one_of(EXTREME_INTS, st.integers(-3, 30)),
    bucket_days=st.one_of(EXTREME_INTS, st.integers(-3, 30)),
    threads=st.sampled_from([0, 1, 2, 1000]),
)
def test_dose_batch(day, exercise, sets, reps, kg, offsets, n_days, bucket_days, threads):
    r = call(_core.dose_batch, TABLE, day, exercise, sets, reps, kg, offsets, n_days, bucket_days, threads)
    if r is not None:
        s, v = r
        assert s.shape == v.shape and s.shape[1] == 3
        assert np.all(s >= 0) and np.all(v >= 0)


@fuzz()
@given(
    n=st.integers(1, 5),
    day=st.lists(st.integers(-2, 40), min_size=1, max_size=5),
    n_days=st.integers(-1, 40),
    bucket=st.integers(1, 9),
)
def test_dose_batch_valid_shapes_match_a_numpy_reference(n, day, n_days, bucket):
    # Structured inputs: every block in range is summed into its bucket like this reference.
    k = len(day)
    ex = np.arange(k) % 2
    sets = np.full(k, 2.0)
    offsets = np.array([0, k], np.int64)
    r = call(
        _core.dose_batch, TABLE, np.array(day), ex, sets, np.ones(k), np.ones(k), offsets, n_days, bucket
    )
    if all(0 <= d < n_days for d in day) and n_days > 0:
        assert r is not None
        ref = np.zeros((-(-n_days // bucket), 3))
        dense = np.array([[1.0, 0.5, 0.0], [0.0, 0.25, 1.0]])
        for d, e in zip(day, ex, strict=True):
            ref[d // bucket] += 2.0 * dense[e]
        np.testing.assert_array_equal(r[0], ref)
    else:
        assert r is None


@fuzz()
@given(arrays((1, 2)))
def test_balance(dose):
    spec = cl.chains.spec().core
    call(_core.balance, spec, dose)


@fuzz()
@given(arrays((0, 2)))
def test_vectorised_scalars(x):
    for fn in (_core.brzycki_fraction, _core.brzycki_reps, _core.effort_weight):
        call(fn, x)


@fuzz()
@given(st.text(max_size=20), st.lists(st.text(max_size=12), max_size=8), st.integers(-3, 2**31))
def test_nearest_names(name, candidates, k):
    r = call(_core.nearest_names, name, candidates, k)
    if r is not None:
        assert set(r) <= set(candidates)


@fuzz()
@given(
    st.text(max_size=8),
    st.sampled_from(["posterior", "anterior", "lateral", "x"]),
    st.sampled_from(["upper", "lower", "core", ""]),
    EXTREME_FLOATS,
    st.integers(-(2**40), 2**40),
)
def test_muscle_graph(mid, chain, region, size, index):
    g = _core.MuscleGraph()
    call(g.add_muscle, mid, mid, chain, region, size)
    call(g.add_muscle, "b", "b", "posterior", "lower", 1.0)
    call(g.add_link, mid, "b", "synergist", size, "")
    call(g.add_link, mid, "b", "antagonist", 1.0, "g")
    for fn in (g.muscle, g.in_chain, g.in_region):
        call(fn, index if fn is g.muscle else chain)
    call(g.neighbours, index, "synergist")
    call(g.synergist_path, index, 0)
    g.links(), g.antagonist_groups(), g.synergist_components()


PRESCRIPTION = st.fixed_dictionaries(
    {
        "exercise": st.one_of(EXTREME_INTS, st.integers(-1, 3)),
        "sets": st.one_of(EXTREME_INTS, st.integers(0, 5)),
        "reps_low": st.integers(-1, 12),
        "reps_high": st.integers(-1, 12),
        "intensity": st.sampled_from(["kg", "percent", "rir", "bodyweight", "bogus"]),
        "value": st.one_of(EXTREME_FLOATS, st.floats(0, 120)),
        "rule": st.sampled_from(["none", "linear", "double", "wave", "rpe", "x"]),
        "increment": st.one_of(EXTREME_FLOATS, st.floats(-5, 5)),
        "per_week": st.booleans(),
        "deload_after": st.integers(-2, 5),
        "deload_fraction": st.one_of(EXTREME_FLOATS, st.floats(0, 1)),
        "min_kg": st.one_of(EXTREME_FLOATS, st.floats(0, 100)),
        "wave": st.lists(st.one_of(EXTREME_FLOATS, st.floats(1, 110)), max_size=4),
    }
)


def params_for(m: int, value: float | None = None) -> dict[str, np.ndarray]:
    d = {k: np.full(m, v if value is None else value) for k, v in cl.DEFAULT_PARAMS.items()}
    return d


@fuzz()
@given(
    prescription=PRESCRIPTION,
    day=st.lists(st.one_of(EXTREME_INTS, st.integers(-1, 20)), min_size=0, max_size=4),
    n_days=st.one_of(EXTREME_INTS, st.integers(-1, 21)),
    deload=st.lists(st.integers(0, 300), max_size=4),
    one_rm=st.one_of(EXTREME_FLOATS, st.floats(1, 300)),
    model=st.sampled_from(["banister", "busso", "saturating", "nope"]),
    sample_days=st.integers(-1, 10),
    param=st.one_of(st.none(), EXTREME_FLOATS),
    threads=st.sampled_from([0, 1, 1000]),
)
def test_closed_loop(prescription, day, n_days, deload, one_rm, model, sample_days, param, threads):
    if n_days > 400:  # a valid 2**31-day program is a legitimate long run: keep the fuzz bounded
        n_days = 400
    p = call(_core.PrescriptionSpec, **prescription)
    if p is None:
        return
    prog = call(_core.ProgramSpec, [p], day, [0] * len(day), n_days, [min(x, 1) for x in deload], 0.5, 0.9)
    if prog is None:
        return
    m = TABLE.n_muscles
    ath = call(_core.AthleteSpec, np.full(2, one_rm), np.zeros(2), params_for(m, param))
    if ath is not None:
        call(_core.simulate, TABLE, prog, ath, model)
        call(_core.simulate_batch, TABLE, prog, [ath, ath], model, threads=threads)
    pp = {k: np.tile(v, (2, 1)) for k, v in params_for(m, param).items()}
    call(
        _core.simulate_population,
        TABLE,
        prog,
        np.full((2, 2), one_rm),
        np.zeros((2, 2)),
        pp,
        model,
        threads=threads,
        sample_days=sample_days,
    )


@fuzz()
@given(
    loads=arrays((1, 3)),
    p=st.one_of(EXTREME_FLOATS, st.floats(0, 100)),
    states=st.booleans(),
    daily=st.booleans(),
)
def test_banister_open_loop(loads, p, states, daily):
    cols = np.asarray(loads).shape[1] if np.ndim(loads) == 2 else 1
    v = np.full(cols, p)
    call(_core.banister_open_loop, loads, v, v, v, v + 1, v + 1, states, daily)


@fuzz()
@given(
    model=st.sampled_from(["banister", "busso", "saturating", "x"]),
    load=arrays(),
    obs_day=arrays(),
    obs_value=arrays(),
    starts=st.integers(-1, 3),
    bootstrap=st.integers(-1, 3),
    lag=st.integers(-2, 3),
    max_iterations=st.integers(-1, 20),
)
def test_fit_model(model, load, obs_day, obs_value, starts, bootstrap, lag, max_iterations):
    bounds = call(_core.fit_default_bounds, model)
    if bounds is None:
        return
    lo, hi = bounds
    call(
        _core.fit_model, model, load, obs_day, obs_value, lo, hi, starts, bootstrap, 0, lag, 1, max_iterations
    )
    call(_core.fit_predict, model, (lo + np.minimum(hi, lo + 1)) / 2, load)


# --- the public API: typed arguments of the wrong kind or value give a clear error ------------------
ODD = st.one_of(
    st.none(),
    st.booleans(),
    EXTREME_INTS,
    EXTREME_FLOATS,
    st.text(max_size=6),
    st.lists(st.integers(-1, 3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def small_program() -> cl.Program:
    s = cl.Session(0, (cl.Prescription("back_squat", 2, 5, percent_1rm=70),))
    return cl.Program.repeat("p", [s], 2)


PROG = small_program()
POP = cl.Population.sample(2, seed=0)
ENTRY_POINTS = {
    "Prescription": lambda a, b, c: cl.Prescription(a, b, c),
    "Progression": lambda a, b, c: cl.Progression(a, b, c),
    "Session": lambda a, b, c: cl.Session(a, b),
    "Program": lambda a, b, c: cl.Program(a, b),
    "Program.repeat": lambda a, b, c: cl.Program.repeat("p", a, b),
    "Athlete": lambda a, b, c: cl.Athlete(a, b),
    "dose": lambda a, b, c: cl.dose(PROG, by=a, threads=b),
    "analyze": lambda a, b, c: cl.analyze(PROG, band=a),
    "simulate": lambda a, b, c: cl.simulate(PROG, weeks=a, model=b),
    "Population.sample": lambda a, b, c: cl.Population.sample(a, seed=b),
    "sweep": lambda a, b, c: cl.sweep(PROG, POP, weeks=a, threads=b, chunk_size=c, progress=False),
    "vary": lambda a, b, c: cl.vary(PROG, increment_kg=a, frequency=b),
    "fit_series": lambda a, b, c: cl.fit_series(a, b, starts=2, bootstrap=0),
    "e1rm": lambda a, b, c: cl.e1rm(a, b),
}


@pytest.mark.parametrize("name", list(ENTRY_POINTS))
@fuzz(max_examples=15)
@given(a=ODD, b=ODD, c=ODD)
def test_public_api_raises_only_the_hierarchy(name, a, b, c):
    call(ENTRY_POINTS[name], a, b, c)


@pytest.mark.slow
@settings(settings.get_profile("heavy"))
@given(day=arrays(), exercise=arrays(), n_days=EXTREME_INTS, bucket_days=EXTREME_INTS)
def test_dose_batch_heavy(day, exercise, n_days, bucket_days):
    k = len(np.atleast_1d(np.asarray(day, dtype=object)))
    call(
        _core.dose_batch,
        TABLE,
        day,
        exercise,
        np.ones(k),
        np.ones(k),
        np.ones(k),
        np.array([0, k]),
        n_days,
        bucket_days,
    )

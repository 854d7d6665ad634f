"""The closed loop in C++ (_core.simulate_batch) against the numpy reference of benchmarks/numpy_closed_loop.py,
on a small population with different Banister parameters and body masses."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

import chainload as cl
from chainload import _core
from chainload.program import Prescription, Program, Progression, Session
from chainload.simulation import compile_program

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "numpy_closed_loop.py"


@pytest.fixture(scope="module")
def ref():
    spec = importlib.util.spec_from_file_location("numpy_closed_loop", _PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["numpy_closed_loop"] = module
    spec.loader.exec_module(module)
    return module


def every_rule() -> Program:
    """Every intensity and rule, with failures: kg with a negative increment and a floor, wave with an
    increment, rpe on a %1RM prescription, linear on an RIR prescription, automatic deloads after one failure."""
    a = (
        Prescription(
            "deadlift", 3, 5, percent_1rm=85, progression=Progression("linear", 5.0, deload_after=1)
        ),
        Prescription("bench_press", 5, 5, kg=70, progression=Progression("linear", -2.5, min_kg=40)),
        Prescription("pull_up", 3, (3, 6), kg=5, progression=Progression("double", 2.5, per="week")),
    )
    b = (
        Prescription("back_squat", 4, 5, progression=Progression("wave", 2.5, wave=(80, 90, 95))),
        Prescription("overhead_press", 3, 8, percent_1rm=70, progression=Progression("rpe", 2.5)),
        Prescription("bent_over_row", 3, 10, rir=0, progression=Progression("linear", 2.5)),
        Prescription("dips", 3, (6, 12), progression=Progression("linear", 2.5, per="week", deload_after=2)),
    )
    return Program("every rule", ((Session(0, a), Session(3, b)),) * 8, deload_weeks=(4, 8))


def check(ref, program: Program, n: int = 24, **options) -> dict[str, np.ndarray]:
    cat = cl.Catalogue.default()
    pop = ref.population(ref.random_athletes(n, cat, seed=7), program, cat)
    step = options.pop("round_kg", None)  # every exercise's step; None: its equipment's
    core = _core.simulate_batch(
        cat.core_table(), compile_program(program, cat, step).spec, pop.specs, threads=1, **options
    )
    numpy = ref.simulate(cat.activation_matrix(), ref.compile_reference(program, cat, step), pop, **options)
    for k in ("final_capacity", "final_one_rm", "total_dose", "peak_fatigue"):
        np.testing.assert_allclose(core[k], numpy[k], rtol=1e-9, atol=0, err_msg=k)
    np.testing.assert_array_equal(core["failures"], numpy["failures"])
    return core


@pytest.mark.parametrize("name", ["posterior_chain", "balanced_full_body"])
def test_numpy_reference_matches_the_core_on_the_shipped_programs(ref, name):
    core = check(ref, cl.Program.examples()[name].with_weeks(16))
    assert core["failures"].min() < core["failures"].max()  # the population differs


@pytest.mark.parametrize(
    "options",
    [{}, {"round_kg": 0.0, "limit_weight": 1.0, "default_rir": 3.0}, {"round_kg": 5.0, "limit_weight": 0.25}],
)
def test_numpy_reference_matches_the_core_on_every_rule(ref, options):
    core = check(ref, every_rule(), **options)
    assert core["failures"].sum() > 0

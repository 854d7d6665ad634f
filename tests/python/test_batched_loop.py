"""The athlete-batched closed loop (docs/DESIGN.md "Batched closed loop") against the scalar loop:
every shipped program, the size_neural and Banister models, a sampled population with spread and
imbalances, on 1 and 2 threads and every instruction set this CPU runs. The summaries must be equal
bit for bit (each lane does the scalar loop's IEEE operations in its order; no FMA contraction)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

import chainload as cl
from chainload import _core
from chainload.simulation import compile_program, lift_info

ISAS = ["baseline", "auto"]
_flags = Path("/proc/cpuinfo").read_text().split() if Path("/proc/cpuinfo").exists() else []
# each wide kernel needs its instruction set and FMA (simulator.cpp choose_kernels)
ISAS += [isa for isa, flag in (("avx2", "avx2"), ("avx512", "avx512f")) if flag in _flags and "fma" in _flags]


@contextmanager
def forced_isa(isa: str) -> Iterator[None]:
    old = os.environ.get("CHAINLOAD_ISA")
    os.environ["CHAINLOAD_ISA"] = isa
    try:
        yield
    finally:
        if old is None:
            del os.environ["CHAINLOAD_ISA"]
        else:
            os.environ["CHAINLOAD_ISA"] = old


N_ATHLETES = 2 * _core.BATCH_LANES + 5  # two full blocks and one of 5 athletes, padded


@pytest.fixture(scope="module")
def setting():
    cat = cl.Catalogue.default()
    pop = cl.Population.sample(n=N_ATHLETES, seed=3, imbalance_sd=0.15)
    return cat, pop, lift_info(cat)


def run(
    setting, program: cl.Program, model: str, isa: str, threads: int, sample_days: int = 0
) -> dict[str, np.ndarray]:
    cat, pop, info = setting
    one_rm, body, params, sn = pop.core_arrays(cat, [*program.exercises()])
    with forced_isa(isa):
        r = _core.simulate_population(
            cat.core_table(),
            compile_program(program, cat).spec,
            one_rm,
            body,
            params,
            model,
            threads=threads,
            size_neural=sn,
            tests=[cat.index(e) for e in program.exercises()[:2]],
            pattern=info.pattern,
            single_joint=info.single_joint,
            sample_days=sample_days,
        )
    return {k: np.asarray(v) for k, v in r.items()}


@pytest.mark.parametrize("model", ["size_neural", "banister"])
@pytest.mark.parametrize("name", sorted(cl.Program.examples()))
def test_batched_equals_scalar_bit_for_bit(setting, name, model):
    program = cl.Program.examples()[name].with_weeks(16)
    scalar = run(setting, program, model, "scalar", 1)
    assert scalar["failures"].sum() > 0  # the progression rules and their failures are exercised
    assert not np.array_equal(scalar["final_one_rm"][0], scalar["final_one_rm"][1])  # athletes differ
    for isa in ISAS:
        for threads in (1, 2):
            batched = run(setting, program, model, isa, threads)
            assert batched.keys() == scalar.keys()
            for key, want in scalar.items():
                got = batched[key]
                assert got.dtype == want.dtype and got.shape == want.shape, key
                # bit for bit: the same bytes (NaN or -0.0 included), not just equal values
                assert got.tobytes() == want.tobytes(), f"{name} {model} {isa} {threads} threads: {key}"


# Sampled trajectories (sweep's trajectory mode) run on the batched loop too: blocks that divide
# the program (7), that leave a short last block (5 over 112 days: 22 blocks of 5 and one of 2),
# of one day (every evening), and one longer than the program (one block). "Mirror muscles" trains
# on consecutive days (Mon-Tue, Thu-Fri): there the batched Banister loop keeps the next morning's
# products, except after a sampled evening, which must read the evening state.
@pytest.mark.parametrize("model", ["size_neural", "banister"])
@pytest.mark.parametrize("sample_days", [7, 5, 1, 200])
@pytest.mark.parametrize("name", ["balanced_full_body", "mirror_muscles"])
def test_batched_trajectories_equal_scalar_bit_for_bit(setting, name, sample_days, model):
    program = cl.Program.examples()[name].with_weeks(16)
    scalar = run(setting, program, model, "scalar", 1, sample_days)
    blocks = -(-16 * 7 // sample_days)
    assert (
        scalar["capacity"].shape == (N_ATHLETES, blocks, len(setting[0].graph))
        and scalar["capacity"].dtype == np.float32
    )
    assert scalar["dose"].sum() > 0 and scalar["fatigue"].max() > 0
    for isa in ("auto", "baseline"):
        for threads in (1, 2):
            batched = run(setting, program, model, isa, threads, sample_days)
            assert batched.keys() == scalar.keys()
            for key, want in scalar.items():
                assert batched[key].tobytes() == want.tobytes(), f"{model} {isa} {threads} threads: {key}"


def test_unknown_isa_is_a_clear_error(setting):
    program = cl.Program.examples()["posterior_chain"].with_weeks(2)
    with pytest.raises(cl.ValidationError, match=r"CHAINLOAD_ISA=avx9000 .*baseline"):
        run(setting, program, "banister", "avx9000", 1)

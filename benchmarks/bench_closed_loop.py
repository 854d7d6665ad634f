"""The closed loop for a population: 10,000 athletes x one program x 52 weeks on the default graph,
_core.simulate_batch (1 and 2 threads) against the numpy reference of the same model
(benchmarks/numpy_closed_loop.py, vectorised over athletes), and the default size_neural model
on the same athletes (1 thread; its cost per muscle-day against Banister's in the same run).

Athletes differ in body mass and in per-muscle k1, k2, tau1, tau2 (fixed seed). Building the
athlete specs is outside the timed region. Results are checked equal (rtol 1e-9; failures exact).
If the numpy reference would take over ~60 s on the whole population, it runs on 1,000 athletes
and its time is scaled linearly (the output says so).

Run: python benchmarks/bench_closed_loop.py [n_athletes] [program] [weeks]
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

import chainload as cl
import numpy_closed_loop as ref
from chainload import _core
from chainload.simulation import compile_program, lift_info
from timing import best, best_cpu

NUMPY_BUDGET_S = 60.0
NUMPY_SAMPLE = 1_000


def check_equal(core: dict[str, np.ndarray], numpy: dict[str, np.ndarray], rows: slice = slice(None)) -> None:
    for k in ("final_capacity", "final_one_rm", "total_dose", "peak_fatigue"):
        np.testing.assert_allclose(core[k][rows], numpy[k], rtol=1e-9, atol=0, err_msg=k)
    np.testing.assert_array_equal(core["failures"][rows], numpy["failures"], err_msg="failures")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    name = sys.argv[2] if len(sys.argv) > 2 else "posterior_chain"
    weeks = int(sys.argv[3]) if len(sys.argv) > 3 else 52
    cat = cl.Catalogue.default()
    program = cl.Program.examples()[name].with_weeks(weeks)
    table, activation = cat.core_table(), cat.activation_matrix()
    spec = compile_program(program, cat).spec
    compiled = ref.compile_reference(program, cat)
    assert compiled.used_exercises == spec.used_exercises

    t = time.perf_counter()
    pop = ref.population(ref.random_athletes(n, cat, seed=2024), program, cat)
    t_build = time.perf_counter() - t
    n_muscles, n_days = activation.shape[1], program.n_days
    muscle_days = n * n_days * n_muscles

    t1, c1, core = best_cpu(lambda: _core.simulate_batch(table, spec, pop.specs, threads=1))
    t2, c2, core2 = best_cpu(lambda: _core.simulate_batch(table, spec, pop.specs, threads=2))
    for k in core:
        np.testing.assert_array_equal(core[k], core2[k], err_msg=f"1 vs 2 threads: {k}")
    # The default model on the same athletes (its C++ default parameters), in the same run.
    info = lift_info(cat)
    t_sn, c_sn, sn = best_cpu(
        lambda: _core.simulate_batch(
            table,
            spec,
            pop.specs,
            model="size_neural",
            threads=1,
            pattern=info.pattern,
            single_joint=info.single_joint,
        )
    )
    sn2 = _core.simulate_batch(
        table,
        spec,
        pop.specs,
        model="size_neural",
        threads=2,
        pattern=info.pattern,
        single_joint=info.single_joint,
    )
    for k in sn:
        np.testing.assert_array_equal(sn[k], sn2[k], err_msg=f"size_neural 1 vs 2 threads: {k}")

    # numpy: one run on a sample first, to decide whether the whole population fits the budget
    m = min(n, NUMPY_SAMPLE)
    sample = ref.Population(
        pop.one_rm[:m], pop.body_load[:m], pop.k1[:m], pop.k2[:m], pop.tau1[:m], pop.tau2[:m]
    )
    t_sample, out = best(lambda: ref.simulate(activation, compiled, sample), repeat=1)
    check_equal(core, out, slice(0, m))
    scaled = t_sample * n / m > NUMPY_BUDGET_S
    if scaled:
        t_np = t_sample * n / m
    elif m == n:
        t_np = min(t_sample, best(lambda: ref.simulate(activation, compiled, pop), repeat=2)[0])
    else:
        t_np, out = best(lambda: ref.simulate(activation, compiled, pop), repeat=2)
        check_equal(core, out)
    checked = m if scaled else n

    print(
        f"closed loop, banister: {n:,} athletes x {program.name!r} x {weeks} weeks "
        f"({n_days} days x {n_muscles} muscles = {muscle_days / 1e6:.1f} M muscle-days; "
        f"{len(compiled.day)} sessions-exercises per athlete); athlete specs built in {t_build:.1f} s (untimed)"
    )
    np_label = f"numpy reference{' (scaled)' if scaled else ''}"
    print(f"{np_label:<28}{t_np:8.3f} s   {muscle_days / t_np / 1e6:8.2f} M muscle-days/s")
    for label, t_c, c in (("chainload, 1 thread", t1, c1), ("chainload, 2 threads", t2, c2)):
        print(
            f"{label:<28}{t_c:8.3f} s   {muscle_days / t_c / 1e6:8.2f} M muscle-days/s   {t_np / t_c:6.1f}x numpy"
            f"   (CPU {c:.3f} s = {c / t_c:.2f} cores busy)"
        )
    print(f"1 -> 2 threads speed-up: {t1 / t2:.2f}x (best of 3 each; os.cpu_count() = {os.cpu_count()})")
    print(
        f"{'size_neural, 1 thread':<28}{t_sn:8.3f} s   {muscle_days / t_sn / 1e6:8.2f} M muscle-days/s   "
        f"cost per muscle-day {t_sn / t1:.2f}x banister's (same run; CPU {c_sn:.3f} s)"
    )
    if scaled:
        print(
            f"NOTE: numpy ran on {m:,} athletes in {t_sample:.3f} s (one run); its time above is scaled "
            f"linearly by {n / m:g} to {n:,} athletes"
        )
    print(
        f"results equal to numpy on {checked:,} athletes: yes (final_capacity, final_one_rm, total_dose, "
        f"peak_fatigue rtol 1e-9; failures exact; {int(core['failures'][:checked].sum()):,} failures)"
    )


if __name__ == "__main__":
    main()

"""chainload against numba and numpy on the same kernels, one process, and the machine's bandwidth.

* STREAM-like triad ``a = b + s c`` on three arrays of 8 M doubles (far beyond the 32 MiB L3):
  bytes moved counted as STREAM does (3 x 8 per element: read b and c, write a), best of 5.
* Open-loop Banister, every day's performance written (benchmarks/bench_adaptation.py's
  workload), 1 thread: numba the way a competent user writes it (rows of the days x series
  loads in order, state in scalars, ``fastmath``), numpy vectorised over series, chainload
  ``_core.banister_open_loop``, also writing into a buffer allocated once (``out=``). Memory
  traffic: 8 B read + 8 B written per muscle-day.
* Dose + balance (benchmarks/bench_dose.py's workload and numpy baseline): numba one pass over
  each program's set blocks (``prange`` over programs) into the weekly per-muscle sets and
  volume, then every balance ratio; chainload ``_core.dose_batch`` + ``_core.balance``. Memory
  traffic: the set blocks read (4 + 4 + 3 x 8 = 32 B each) plus the weekly doses and ratios written.

Every result is checked equal to chainload's in the same run (rtol 1e-12 open loop, 1e-9 dose).
Threads: numba.set_num_threads and chainload's threads argument; 1 thread unless said.
* Closed loop, Banister (benchmarks/bench_closed_loop.py's workload: random athletes x the
  posterior-chain program x 52 weeks): the two numba ports in benchmarks/numba_closed_loop.py
  (plain: one athlete per ``prange`` iteration; SoA: blocks of 64 athletes as lanes), the numpy
  reference (on 1,000 of the athletes, its time scaled linearly: it is vectorised over athletes),
  chainload ``_core.simulate_population`` on the same arrays; all three checked equal (rtol 1e-9,
  failures exact).

Needs the ``bench`` extra (numba): pip install -e .[bench]
Run: python benchmarks/bench_numba.py [athletes] [programs] [closed-loop athletes]
"""

from __future__ import annotations

import os
import sys

import numba
import numpy as np
from numba import njit, prange

import chainload as cl
import numba_closed_loop
import numpy_closed_loop as ref
from bench_adaptation import numpy_banister
from bench_closed_loop import check_equal
from bench_dose import make_blocks, numpy_dose_balance
from chainload import _core
from chainload.simulation import compile_program
from timing import best

NUMPY_SAMPLE = 1_000


@njit(cache=True, fastmath=False)
def numba_triad(a, b, c, s):
    for i in range(a.size):
        a[i] = b[i] + s * c[i]


@njit(parallel=True, cache=True)
def numba_triad_parallel(a, b, c, s):
    for i in prange(a.size):
        a[i] = b[i] + s * c[i]


@njit(fastmath=True, cache=True)
def numba_open_loop(loads, p0, k1, k2, tau1, tau2):
    # Day by day over contiguous rows, the new state in scalars (no reload through a possible
    # alias), fastmath so LLVM vectorises the row: the fastest of the forms tried (column blocks
    # under prange were 3-5x slower on 1 thread).
    days, cols = loads.shape
    perf = np.empty_like(loads)
    e1, e2 = np.exp(-1.0 / tau1), np.exp(-1.0 / tau2)
    fit, fat = np.zeros(cols), np.zeros(cols)
    for t in range(days):
        today, out = loads[t], perf[t]
        for c in range(cols):
            x = today[c]
            f = fit[c] * e1[c] + x
            g = fat[c] * e2[c] + x
            fit[c], fat[c] = f, g
            out[c] = p0[c] + k1[c] * f - k2[c] * g
    return perf


@njit(parallel=True, cache=True, error_model="numpy")
def numba_dose_balance(day, exercise, sets, reps, kg, offsets, activation, n_weeks, num, den):
    n_programs, n_muscles, n_ratios = offsets.size - 1, activation.shape[1], num.shape[0]
    dose_sets = np.zeros((n_programs * n_weeks, n_muscles))
    dose_volume = np.zeros((n_programs * n_weeks, n_muscles))
    ratio = np.empty((n_programs * n_weeks, n_ratios))
    for p in prange(n_programs):
        base = p * n_weeks
        for i in range(offsets[p], offsets[p + 1]):
            row = base + day[i] // 7
            s, e = sets[i], exercise[i]
            v = s * reps[i] * kg[i]
            for m in range(n_muscles):
                a = activation[e, m]
                dose_sets[row, m] += s * a
                dose_volume[row, m] += v * a
        for row in range(base, base + n_weeks):
            for g in range(n_ratios):
                top, bottom = 0.0, 0.0
                for m in range(n_muscles):
                    top += dose_sets[row, m] * num[g, m]
                    bottom += dose_sets[row, m] * den[g, m]
                ratio[row, g] = top / bottom
    return dose_sets, dose_volume, ratio


def gbs(nbytes: float, seconds: float) -> float:
    return nbytes / seconds / 1e9


def main() -> None:
    athletes = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    n_programs = int(sys.argv[2]) if len(sys.argv) > 2 else 2500
    closed_athletes = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; numba {numba.__version__}")

    bw1, bw2 = triad_bandwidth()
    print(f"triad (numba), 8 M doubles: 1 thread {bw1:.1f} GB/s, 2 threads {bw2:.1f} GB/s")
    open_loop(athletes, bw1)
    dose_balance(n_programs, bw1, bw2)
    closed_loop(closed_athletes)


def triad_bandwidth() -> tuple[float, float]:
    """GB/s of the triad on 1 and 2 threads (best of 5)."""
    n = 1 << 23
    rng = np.random.default_rng(0)
    a, b, c = np.empty(n), rng.random(n), rng.random(n)
    numba.set_num_threads(1)
    numba_triad(a, b, c, 3.0)
    numba_triad_parallel(a, b, c, 3.0)
    t_triad, _ = best(lambda: numba_triad(a, b, c, 3.0), 5)
    np.testing.assert_array_equal(a, b + 3.0 * c)
    numba.set_num_threads(2)
    t_triad2, _ = best(lambda: numba_triad_parallel(a, b, c, 3.0), 5)
    return gbs(24 * n, t_triad), gbs(24 * n, t_triad2)


def open_loop(athletes: int, bw1: float) -> None:
    rng = np.random.default_rng(1)
    days, cols = 364, athletes * 22
    loads = rng.uniform(0, 3, (days, cols)) * (rng.random((days, cols)) < 3 / 7)
    p0 = np.ones(cols)
    k1, k2 = rng.uniform(0.001, 0.003, cols), rng.uniform(0.002, 0.006, cols)
    tau1, tau2 = rng.uniform(20, 50, cols), rng.uniform(4, 12, cols)
    updates = days * cols
    numba.set_num_threads(1)
    numba_open_loop(loads[:2], p0, k1, k2, tau1, tau2)  # compile
    t_c, (_, _, perf) = best(lambda: _core.banister_open_loop(loads, p0, k1, k2, tau1, tau2, False), 5)
    out = np.empty_like(loads)
    t_out, (_, _, perf_out) = best(
        lambda: _core.banister_open_loop(loads, p0, k1, k2, tau1, tau2, False, True, out), 5
    )
    np.testing.assert_array_equal(perf_out, perf)
    t_nb, perf_nb = best(lambda: numba_open_loop(loads, p0, k1, k2, tau1, tau2), 5)
    t_np, _ = best(lambda: numpy_banister(loads, p0, k1, k2, tau1, tau2))
    np.testing.assert_allclose(perf_nb, perf, rtol=1e-12, atol=1e-12)
    print(f"\nopen-loop Banister, {cols:,} series x {days} days, every day written (1 thread)")
    for name, t in (("chainload", t_c), ("chainl. out=", t_out), ("numba", t_nb), ("numpy", t_np)):
        print(
            f"  {name:<12} {t:7.3f} s  {updates / t / 1e6:7.0f} M muscle-days/s  {gbs(16 * updates, t):5.1f} GB/s"
            f" = {gbs(16 * updates, t) / bw1:4.0%} of the triad   speed {t_c / t:4.2f}x chainload's"
        )
    print("  numba equal to chainload: yes (rtol 1e-12)")


def dose_balance(n_programs: int, bw1: float, bw2: float) -> None:
    cat = cl.Catalogue.default()
    table, activation = cat.core_table(), cat.activation_matrix()
    chain_spec = cl.chains.spec(cat.graph)
    num, den = (np.ascontiguousarray(w) for w in chain_spec.weights())
    blocks = make_blocks(n_programs, len(cat))
    cols_in = (
        blocks["day"],
        blocks["exercise"],
        blocks["sets"],
        blocks["reps"],
        blocks["kg"],
        blocks["offsets"],
    )
    moved = 32 * len(blocks["day"]) + n_programs * 52 * (2 * activation.shape[1] + num.shape[0]) * 8

    def core(threads: int):
        sets, volume = _core.dose_batch(table, *cols_in, 364, 7, threads)
        return sets, volume, _core.balance(chain_spec.core, sets, threads)

    def numba_run():
        return numba_dose_balance(*cols_in, activation, 52, num, den)

    numba_run()  # compile
    rows = []
    for threads in (1, 2):
        numba.set_num_threads(threads)
        t_core, ref = best(lambda threads=threads: core(threads))
        t_nb, got = best(numba_run)
        for x, y, what in zip(got, ref, ("sets", "volume", "ratios"), strict=True):
            np.testing.assert_allclose(x, y, rtol=1e-9, atol=1e-12, err_msg=what)
        rows.append((threads, t_core, t_nb))  # best of 3 each
    t_np, _ = best(lambda: numpy_dose_balance(blocks, activation, activation, num, den, 52))
    print(
        f"\ndose + balance, {n_programs:,} programs x 52 weeks x 5 sessions x 8 exercises ({len(blocks['day']) / 1e6:.1f} M set blocks)"
    )
    for threads, t_core, t_nb in rows:
        bw = bw1 if threads == 1 else bw2
        for name, t in (("chainload", t_core), ("numba", t_nb)):
            print(
                f"  {name:<10} {threads} thr {t:7.3f} s  {n_programs / t:9,.0f} programs/s  {gbs(moved, t):5.1f} GB/s"
                f" = {gbs(moved, t) / bw:4.0%} of the triad   speed {t_core / t:4.2f}x chainload's"
            )
    print(
        f"  numpy      1 thr {t_np:7.3f} s  {n_programs / t_np:9,.0f} programs/s  {gbs(moved, t_np):5.1f} GB/s"
        f"   speed {rows[0][1] / t_np:4.2f}x chainload's (1 thread)"
    )
    print("  numba equal to chainload: yes (rtol 1e-9: sets, volume, ratios)")


def closed_loop(n: int) -> None:
    cat = cl.Catalogue.default()
    program = cl.Program.examples()["posterior_chain"].with_weeks(52)
    table, activation = cat.core_table(), cat.activation_matrix()
    spec = compile_program(program, cat).spec
    compiled = ref.compile_reference(program, cat)
    pop = ref.population(ref.random_athletes(n, cat, seed=2024), program, cat)
    packed = numba_closed_loop.pack(compiled, activation)
    arrays = (pop.one_rm, pop.body_load, pop.k1, pop.k2, pop.tau1, pop.tau2)
    keys = ("final_capacity", "final_one_rm", "total_dose", "peak_fatigue", "failures")
    params, _ = ref.core_arrays(pop, cat)  # chainload reads the same arrays as numba, in place
    muscle_days = n * program.n_days * activation.shape[1]

    ports = {"numba plain": numba_closed_loop.simulate, "numba SoA": numba_closed_loop.simulate_soa}

    def numba_run(kernel):
        return dict(zip(keys, kernel(*packed, *arrays), strict=True))

    for kernel in ports.values():
        numba_run(kernel)  # compile
    rows = []
    for threads in (1, 2):
        numba.set_num_threads(threads)
        t_core, core = best(
            lambda threads=threads: _core.simulate_population(
                table, spec, pop.one_rm, pop.body_load, params, threads=threads
            )
        )
        times = {"chainload": t_core}
        for name, kernel in ports.items():
            times[name], got = best(lambda kernel=kernel: numba_run(kernel))
            check_equal(core, got)
        rows.append((threads, times))
    m = min(n, NUMPY_SAMPLE)
    sample = ref.Population(*(x[:m] for x in arrays))
    t_sample, out = best(lambda: ref.simulate(activation, compiled, sample), 1)
    check_equal(core, out, slice(0, m))
    t_np = t_sample * n / m
    print(
        f"\nclosed loop, banister, {n:,} athletes x posterior chain x 52 weeks ({muscle_days / 1e6:.0f} M muscle-days)"
    )
    for threads, times in rows:
        for name, t in times.items():
            print(
                f"  {name:<12} {threads} thr {t:7.3f} s  {muscle_days / t / 1e6:7.0f} M muscle-days/s"
                f"   speed {times['chainload'] / t:4.2f}x chainload's   (numpy / this: {t_np / t:5.1f}x)"
            )
    print(
        f"  numpy        1 thr {t_np:7.3f} s  {muscle_days / t_np / 1e6:7.0f} M muscle-days/s   (scaled from {m:,} athletes)"
    )
    print("  1 -> 2 threads: " + ", ".join(f"{k} {rows[0][1][k] / rows[1][1][k]:.2f}x" for k in rows[0][1]))
    print("  numba and numpy equal to chainload: yes (rtol 1e-9, failures exact)")


if __name__ == "__main__":
    main()

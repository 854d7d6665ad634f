"""Dose + balance for many programs in one fused C++ pass, against numpy (and a numba triad) in one run.

10,000 programs x 52 weeks x 5 sessions x 8 exercises (20.8 M set blocks) on the default graph and
catalogue. ``_core.dose_balance_batch`` sums each program's sets per (exercise, week), multiplies by
the activation rows (the dose: fractional sets and volume load per muscle) and, in the same pass,
by each exercise's chain coefficients (``ChainSpec.exercise_weights``: the per-set volume share on
each ratio's numerator and denominator muscles, docs/balance.md 2), giving every balance ratio per
week. The numpy baseline computes the same numbers the two-step way (bincount, activation product,
volume-share product, ratio). Throughput is also quoted against a STREAM-like triad
(a = b + s c, numba, the same threads) measured in the same process: the set blocks are 32 bytes
each, so the kernel is bound by reading them. Medians of 5 runs; the machine is shared, so read
the ratios. Run: python benchmarks/bench_dose.py [n_programs]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import chainload as cl
from chainload import _core

BLOCK_BYTES = 4 + 4 + 3 * 8  # day, exercise (int32), sets, reps, kg (float64)


def median_time(f: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Median wall time of ``repeat`` runs, and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def make_blocks(n_programs: int, n_exercises: int, seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    per_program = 52 * 5 * 8
    weekdays = np.array([0, 1, 2, 3, 4])
    session = np.repeat(np.arange(52 * 5), 8)  # 260 sessions x 8 exercises
    day = (7 * (session // 5) + weekdays[session % 5]).astype(np.int32)
    n = n_programs * per_program
    # each program uses 8 exercises of the catalogue, the same 8 in every session
    choice = np.argsort(rng.random((n_programs, n_exercises)), axis=1)[:, :8].astype(np.int32)
    return {
        "day": np.tile(day, n_programs),
        "exercise": np.repeat(choice[:, None, :], 260, axis=1).reshape(-1),
        "sets": rng.integers(1, 6, n).astype(float),
        "reps": rng.integers(3, 13, n).astype(float),
        "kg": rng.uniform(20, 180, n).round(1),
        "offsets": np.arange(0, n + 1, per_program, dtype=np.int64),
    }


def numpy_dose_balance(b: dict[str, np.ndarray], activation, share, num, den, n_weeks: int):
    """The same computation in numpy: totals per (program, week, exercise), the activation product
    (dose), the volume-share product (X) and every ratio Σ num X / Σ den X."""
    n_programs = len(b["offsets"]) - 1
    n_ex = activation.shape[0]
    program = np.repeat(np.arange(n_programs), np.diff(b["offsets"]))
    cell = (program * n_weeks + b["day"] // 7) * n_ex + b["exercise"]
    size = n_programs * n_weeks * n_ex
    sets = np.bincount(cell, weights=b["sets"], minlength=size).reshape(-1, n_ex)
    volume = np.bincount(cell, weights=b["sets"] * b["reps"] * b["kg"], minlength=size).reshape(-1, n_ex)
    stimulus = sets @ share
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (stimulus @ num.T) / (stimulus @ den.T)
    return sets @ activation, volume @ activation, ratio


def triad_bandwidth(threads: int, n: int = 10_000_000) -> float:
    """Bytes/s of a = b + s c over ``n`` doubles (24 bytes an element), numba, ``threads`` threads."""
    import numba

    @numba.njit(parallel=True, fastmath=False, cache=False)
    def triad(a, b, c, s):
        for i in numba.prange(a.size):
            a[i] = b[i] + s * c[i]

    a, b, c = np.zeros(n), np.ones(n), np.full(n, 2.0)
    numba.set_num_threads(threads)
    triad(a, b, c, 3.0)  # compile and touch the pages
    t, _ = median_time(lambda: triad(a, b, c, 3.0), repeat=7)
    assert a[0] == 7.0
    return 24.0 * n / t


def main() -> None:
    n_programs = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    cat = cl.Catalogue.default()
    table, activation = cat.core_table(), cat.activation_matrix()
    spec = cl.chains.spec(cat.graph)
    num_e, den_e = spec.exercise_weights(cat)
    num, den = spec.chain_weights()
    share = cl.chains.share_matrix(cat)
    b = make_blocks(n_programs, len(cat))
    args = (b["day"], b["exercise"], b["sets"], b["reps"], b["kg"], b["offsets"], 364, 7)
    n_blocks = len(b["day"])

    def core(threads: int):
        return _core.dose_balance_batch(table, num_e, den_e, *args, threads)

    t_np, (np_sets, np_volume, np_ratio) = median_time(
        lambda: numpy_dose_balance(b, activation, share, num, den, 52), repeat=3
    )
    t1, (sets, volume, ratio) = median_time(lambda: core(1))
    t2, _ = median_time(lambda: core(2))
    np.testing.assert_allclose(sets, np_sets, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(volume, np_volume, rtol=1e-9)
    np.testing.assert_allclose(ratio, np_ratio, rtol=1e-9)
    bw1, bw2 = triad_bandwidth(1), triad_bandwidth(2)
    print(f"{n_programs} programs x 52 weeks x 5 sessions x 8 exercises ({n_blocks / 1e6:.1f} M set blocks)")
    print(f"numpy (bincount + matmul)   {t_np:7.3f} s   {n_programs / t_np:10,.0f} programs/s")
    for label, t, bw in (("1 thread ", t1, bw1), ("2 threads", t2, bw2)):
        read = n_blocks * BLOCK_BYTES / t
        print(
            f"chainload, {label}        {t:7.3f} s   {n_programs / t:10,.0f} programs/s   {t_np / t:5.1f}x numpy"
            f"   blocks read at {read / 1e9:5.2f} GB/s = {read / bw:4.0%} of the triad's {bw / 1e9:5.2f} GB/s"
        )
    print("results identical to numpy: yes (rtol 1e-9)")


if __name__ == "__main__":
    main()

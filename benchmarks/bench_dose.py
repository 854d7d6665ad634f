"""Dose + balance for many programs in one fused C++ pass, against numpy (and a numba triad) in one run.

10,000 programs x 52 weeks x 5 sessions x 8 exercises (20.8 M set blocks) on the default graph and
catalogue. ``_core.dose_balance_batch`` sums each program's sets per (exercise, week), multiplies by
the activation rows (the dose: fractional sets and volume load per muscle) and, in the same pass,
by each exercise's chain coefficients (``ChainSpec.exercise_weights``: the per-set volume share on
each ratio's numerator and denominator muscles, docs/balance.md 2), giving every balance ratio per
week. The numpy baseline computes the same numbers the two-step way (bincount, activation product,
volume-share product, ratio); the numba peer (the bench extra) the same algorithm as the core
(per-program totals per exercise and week, then the products), the way a numba user writes it
with ``prange`` over chunks of programs (the numba peer trusts its input: no checks). All three are checked equal in the same run. Throughput is also
quoted against a STREAM-like triad (a = b + s c, numba, the same threads) measured in the same
process: the kernel moves the set blocks (32 bytes each) in and its outputs (fractional sets,
volume load and ratios, 8 bytes a value) out, and the fraction counts both. Medians of 5 runs; the
machine is shared, so read the ratios. The last lines pair the triad and the out= kernel back to
back in each of 9 rounds and give the median of the rounds' fractions. "out=" rows write into buffers allocated once (as the
triad's arrays are), without the page faults of fresh output arrays. Run: python benchmarks/bench_dose.py [n_programs]
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


def numba_dose_balance_kernel():
    """The numba peer of ``_core.dose_balance_batch``, compiled on first use."""
    import numba

    @numba.njit(parallel=True, cache=False, error_model="numpy")
    def kernel(day, exercise, sets, reps, kg, offsets, activation, num_e, den_e, n_weeks):
        n_programs, n_ex, n_muscles = offsets.size - 1, activation.shape[0], activation.shape[1]
        n_cols = num_e.shape[1]
        out_sets = np.zeros((n_programs * n_weeks, n_muscles))
        out_volume = np.zeros((n_programs * n_weeks, n_muscles))
        out_ratio = np.empty((n_programs * n_weeks, n_cols))
        # prange over chunks of programs, the scratch allocated once per chunk (an allocation per
        # program under prange costs more than the program's work)
        n_chunks = 256
        for chunk in numba.prange(n_chunks):
            total = np.zeros((n_ex, n_weeks, 2))
            used = np.zeros(n_ex, np.bool_)
            top, bottom = np.zeros(n_cols), np.zeros(n_cols)
            for p in range(chunk * n_programs // n_chunks, (chunk + 1) * n_programs // n_chunks):
                total[:] = 0.0
                used[:] = False
                for i in range(offsets[p], offsets[p + 1]):
                    e, w, s = exercise[i], day[i] // 7, sets[i]
                    total[e, w, 0] += s
                    total[e, w, 1] += s * reps[i] * kg[i]
                    used[e] = True
                for w in range(n_weeks):
                    row = p * n_weeks + w
                    top[:] = 0.0
                    bottom[:] = 0.0
                    for e in range(n_ex):
                        if not used[e]:
                            continue
                        s, v = total[e, w, 0], total[e, w, 1]
                        for m in range(n_muscles):
                            out_sets[row, m] += s * activation[e, m]
                            out_volume[row, m] += v * activation[e, m]
                        for c in range(n_cols):
                            top[c] += s * num_e[e, c]
                            bottom[c] += s * den_e[e, c]
                    for c in range(n_cols):
                        out_ratio[row, c] = top[c] / bottom[c]
        return out_sets, out_volume, out_ratio

    return kernel


def triad_kernel(threads: int, n: int = 10_000_000) -> Callable[[], float]:
    """A timer of one a = b + s c over ``n`` doubles (24 bytes an element), numba, ``threads`` threads:
    each call runs it once and returns its bytes/s."""
    import numba

    @numba.njit(parallel=True, fastmath=False, cache=False)
    def triad(a, b, c, s):
        for i in numba.prange(a.size):
            a[i] = b[i] + s * c[i]

    a, b, c = np.zeros(n), np.ones(n), np.full(n, 2.0)
    numba.set_num_threads(threads)
    triad(a, b, c, 3.0)  # compile and touch the pages
    assert a[0] == 7.0

    def once() -> float:
        numba.set_num_threads(threads)
        t = time.perf_counter()
        triad(a, b, c, 3.0)
        return 24.0 * n / (time.perf_counter() - t)

    return once


def triad_bandwidth(threads: int) -> float:
    """Median bytes/s of 7 triads."""
    once = triad_kernel(threads)
    return statistics.median(once() for _ in range(7))


def paired_fraction(threads: int, kernel: Callable[[], Any], moved: int, rounds: int = 9) -> list[float]:
    """The kernel's bytes/s over the triad's, a triad and a kernel run back to back in each round."""
    once = triad_kernel(threads)
    fractions = []
    for _ in range(rounds):
        bw = once()
        t = time.perf_counter()
        kernel()
        fractions.append(moved / (time.perf_counter() - t) / bw)
    return fractions


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

    def core(threads: int, out=None):
        return _core.dose_balance_batch(table, num_e, den_e, *args, threads, out)

    import numba

    numba_kernel = numba_dose_balance_kernel()

    def peer(threads: int):
        numba.set_num_threads(threads)
        return numba_kernel(
            b["day"], b["exercise"], b["sets"], b["reps"], b["kg"], b["offsets"], activation, num_e, den_e, 52
        )

    peer(1)  # compile
    t_np, (np_sets, np_volume, np_ratio) = median_time(
        lambda: numpy_dose_balance(b, activation, share, num, den, 52), repeat=3
    )
    runs = {}
    for threads in (1, 2):
        runs[("chainload", threads)], (sets, volume, ratio) = median_time(
            lambda threads=threads: core(threads)
        )
        buffers = tuple(np.empty_like(x) for x in (sets, volume, ratio))
        runs[("chainload, out=", threads)], got_out = median_time(
            lambda threads=threads, buffers=buffers: core(threads, buffers)
        )
        for x, y in zip(got_out, (sets, volume, ratio), strict=True):
            np.testing.assert_array_equal(x, y)
        runs[("numba", threads)], got = median_time(lambda threads=threads: peer(threads))
        for x, y, what in zip(got, (sets, volume, ratio), ("sets", "volume", "ratios"), strict=True):
            np.testing.assert_allclose(x, y, rtol=1e-9, atol=1e-12, err_msg=f"numba {what}")
    np.testing.assert_allclose(sets, np_sets, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(volume, np_volume, rtol=1e-9)
    np.testing.assert_allclose(ratio, np_ratio, rtol=1e-9)
    bw = {1: triad_bandwidth(1), 2: triad_bandwidth(2)}
    moved = n_blocks * BLOCK_BYTES + 8 * (sets.size + volume.size + ratio.size)
    print(f"{n_programs} programs x 52 weeks x 5 sessions x 8 exercises ({n_blocks / 1e6:.1f} M set blocks)")
    print(
        f"bytes moved: {n_blocks * BLOCK_BYTES / 1e6:.0f} MB of set blocks in, {(moved - n_blocks * BLOCK_BYTES) / 1e6:.0f} MB of outputs out"
    )
    print(f"triad (numba): 1 thread {bw[1] / 1e9:5.2f} GB/s, 2 threads {bw[2] / 1e9:5.2f} GB/s")
    print(f"numpy (bincount + matmul), 1 thread        {t_np:7.3f} s   {n_programs / t_np:10,.0f} programs/s")
    for (name, threads), t in runs.items():
        rate = moved / t
        print(
            f"{name:<15} {threads} thread{'s' if threads > 1 else ' '}              {t:7.3f} s   {n_programs / t:10,.0f} programs/s"
            f"   {t_np / t:5.1f}x numpy   {t / runs[('chainload', threads)]:4.2f}x chainload's time"
            f"   {rate / 1e9:5.2f} GB/s = {rate / bw[threads]:4.0%} of the triad"
        )
    for threads in (1, 2):  # the triad and the kernel back to back: the ratio without the minutes between
        buffers = tuple(np.empty_like(x) for x in (sets, volume, ratio))
        f = paired_fraction(threads, lambda threads=threads, buffers=buffers: core(threads, buffers), moved)
        print(
            f"chainload, out= {threads} thread{'s' if threads > 1 else ''}, paired with a triad in each of {len(f)} rounds: "
            f"{statistics.median(f):.0%} of the triad (median; rounds {min(f):.0%}-{max(f):.0%})"
        )
    print("results identical: numba and numpy to chainload (rtol 1e-9); out= bit for bit")


if __name__ == "__main__":
    main()

"""Dose + balance for many programs in one batched call, against numpy doing the same in one run.

10,000 programs x 52 weeks x 5 sessions x 8 exercises (20.8 M set blocks) on the default graph
and catalogue. Run: python benchmarks/bench_dose.py [n_programs]
"""

from __future__ import annotations

import sys

import numpy as np

import chainload as cl
from chainload import _core
from timing import best


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


def numpy_dose_balance(b: dict[str, np.ndarray], activation: np.ndarray, n_weeks: int, num, den):
    """The same computation in numpy: totals per (program, week, exercise), then the activation
    product, then every balance ratio (chains.ChainSpec weights: volume-weighted chain means)."""
    n_programs = len(b["offsets"]) - 1
    n_ex = activation.shape[0]
    program = np.repeat(np.arange(n_programs), np.diff(b["offsets"]))
    cell = (program * n_weeks + b["day"] // 7) * n_ex + b["exercise"]
    size = n_programs * n_weeks * n_ex
    sets = np.bincount(cell, weights=b["sets"], minlength=size).reshape(-1, n_ex)
    volume = np.bincount(cell, weights=b["sets"] * b["reps"] * b["kg"], minlength=size).reshape(-1, n_ex)
    dose_sets, dose_volume = sets @ activation, volume @ activation
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (dose_sets @ num.T) / (dose_sets @ den.T)
    return dose_sets, dose_volume, ratio


def main() -> None:
    n_programs = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    cat = cl.Catalogue.default()
    table, activation = cat.core_table(), cat.activation_matrix()
    chain_spec = cl.chains.spec(cat.graph)
    spec = chain_spec.core
    num, den = chain_spec.weights()
    b = make_blocks(n_programs, len(cat))
    args = (b["day"], b["exercise"], b["sets"], b["reps"], b["kg"], b["offsets"], 364, 7)

    def core(threads: int):
        sets, volume = _core.dose_batch(table, *args, threads)
        return sets, volume, _core.balance(spec, sets, threads)

    t_np, (np_sets, np_volume, np_ratio) = best(lambda: numpy_dose_balance(b, activation, 52, num, den))
    t1, (sets, volume, bal) = best(lambda: core(1))
    t2, _ = best(lambda: core(2))
    np.testing.assert_allclose(sets, np_sets, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(volume, np_volume, rtol=1e-9)
    np.testing.assert_allclose(bal, np_ratio, rtol=1e-9)
    print(
        f"{n_programs} programs x 52 weeks x 5 sessions x 8 exercises ({len(b['day']) / 1e6:.1f} M set blocks)"
    )
    print(f"numpy (bincount + matmul)   {t_np:7.3f} s   {n_programs / t_np:10,.0f} programs/s")
    print(
        f"chainload, 1 thread         {t1:7.3f} s   {n_programs / t1:10,.0f} programs/s   {t_np / t1:5.1f}x numpy"
    )
    print(
        f"chainload, 2 threads        {t2:7.3f} s   {n_programs / t2:10,.0f} programs/s   {t_np / t2:5.1f}x numpy"
    )
    print("results identical to numpy: yes (rtol 1e-9)")


if __name__ == "__main__":
    main()

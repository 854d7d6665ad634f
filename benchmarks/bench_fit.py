"""Model fitting and log reading (issue 5, "Speed").

1. A Banister fit of a 165-day daily load series (block periodisation, rest days) with 9 test days
   and 20 starts, best of 5, in milliseconds (target: under 50 ms): through ``cl.fit_series``
   without and with the default 200-resample bootstrap, and the C++ core call alone.
2. Reading the real Hevy export (``../shared/data``, 7,211 sets) with ``cl.read_log`` and
   computing its weekly per-muscle load (``cl.analyze(log.to_program()).per_muscle()``), best of 3,
   in seconds, against plain ``pandas.read_csv`` of the same file (the ratio).
Run: python benchmarks/bench_fit.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import chainload as cl
from chainload import _core
from timing import best

HEVY = Path(__file__).resolve().parents[2] / "shared" / "data" / "hevy_export_strong-statistics.csv"
TRUTH = np.array([100.0, 0.1, 0.2, 40.0, 8.0])  # p0, k1, k2, tau1, tau2


def training_load(days: int = 165) -> np.ndarray:
    rng = np.random.default_rng(12345)
    w = np.zeros(days)
    for t in range(days):
        if t % 7 in (0, 1, 3, 4):
            w[t] = [6, 7, 8, 11, 3][(t // 7) % 5] * rng.uniform(0.8, 1.2)
    return w


def bench_fit() -> None:
    load = training_load()
    days = np.array([3, 21, 38, 59, 77, 96, 118, 140, 162])
    perf = _core.fit_predict("banister", TRUTH, load)
    y = np.full(len(load), np.nan)
    y[days] = perf[days] + np.random.default_rng(0).normal(0, 0.5, len(days))
    lo, hi = _core.fit_default_bounds("banister")
    d32 = days.astype(np.int32)

    def core() -> dict:
        return _core.fit_model("banister", load, d32, y[days], lo, hi, starts=20, bootstrap=0, threads=1)

    t_core, r = best(core, 5)
    t_fit, f = best(lambda: cl.fit_series(load, y, starts=20, bootstrap=0, threads=1), 5)
    t_boot1, _ = best(lambda: cl.fit_series(load, y, starts=20, bootstrap=200, threads=1), 5)
    t_boot, g = best(lambda: cl.fit_series(load, y, starts=20, bootstrap=200), 5)
    print("Banister fit, 165 days, 9 test days, 20 starts (best of 5):")
    print(f"  C++ core alone (fit_model)                    {t_core * 1e3:7.2f} ms")
    print(f"  cl.fit_series, no bootstrap                   {t_fit * 1e3:7.2f} ms   (target < 50 ms)")
    print(f"  cl.fit_series, bootstrap 200, 1 thread        {t_boot1 * 1e3:7.2f} ms")
    print(f"  cl.fit_series, bootstrap 200, all cores       {t_boot * 1e3:7.2f} ms")
    print(
        f"  iterations per start: median {np.median(r['start_iterations']):.0f}, max {r['start_iterations'].max()}"
    )
    est = ", ".join(f"{k} {v:.4g}" for k, v in f.params.items())
    print(f"  estimate: {est}; r2 {f.metrics['r2']:.3f}")
    ci = g.uncertainty.set_index("param")
    print("  95% CI: " + ", ".join(f"{p} [{r.ci_low:.3g}, {r.ci_high:.3g}]" for p, r in ci.iterrows()))


def bench_read() -> None:
    if not HEVY.exists():
        print(f"\n(reading benchmark skipped: {HEVY} not found)")
        return
    t_csv, raw = best(lambda: pd.read_csv(HEVY), 3)
    t_read, log = best(lambda: cl.read_log(HEVY), 3)
    t_muscle, weekly = best(lambda: cl.analyze(log.to_program()).per_muscle(), 3)
    total = t_read + t_muscle
    print(f"\nReading {HEVY.name} ({len(raw):,} rows; {len(log.sets):,} sets kept), best of 3:")
    print(f"  pandas.read_csv                                {t_csv:7.3f} s")
    print(
        f"  cl.read_log (parse, units, match, report)     {t_read:7.3f} s   {t_read / t_csv:6.1f}x read_csv"
    )
    print(
        f"  weekly per-muscle load (to_program + analyze) {t_muscle:7.3f} s   ({weekly.shape[0]} weeks x {weekly.shape[1]} muscles)"
    )
    print(f"  total                                          {total:7.3f} s   {total / t_csv:6.1f}x read_csv")


if __name__ == "__main__":
    bench_fit()
    bench_read()

"""Model fitting and log reading (issue 5, "Speed").

1. A Banister fit of a 165-day daily load series (block periodisation, rest days) with 9 test days
   and 20 starts, best of 5, in milliseconds (target: under 50 ms): through ``cl.fit_series``
   without and with the default 200-resample bootstrap, and the C++ core call alone.
2. Reading the real Hevy export (``../shared/data``, 7,211 sets) with ``cl.read_log`` and
   computing its weekly per-muscle load (``cl.analyze(log.to_program()).per_muscle()``), best of 3,
   in seconds, against plain ``pandas.read_csv`` of the same file (the ratio).
3. The joint fit of the default model (issue 12, "Speed"): ``cl.fit_athlete`` on a 2-year log
   (target under 2 s on one core) and its ``validate()`` (target under 10 s), side by side with
   one replay of the log (``cl.simulate(log.to_program())``, the unit the fit repeats) and the
   per-lift Banister ``cl.fit`` of the same log's bench press; medians of 5 runs, CPU and wall;
   and the real Hevy export (24 lifts fitted), medians of 3.
   The log: a synthetic lifter (``chainload.athlete_fit.synthetic_lifter``) on 104 weeks of
   ``synthetic_program``, its simulated sessions written as a Strong export (1,872 sets).
Run: python benchmarks/bench_fit.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def _median_cpu(f: Callable[[], Any], repeat: int = 5) -> tuple[float, float, Any]:
    """Median wall and CPU seconds of ``repeat`` runs (the machine is shared and noisy)."""
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = f()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return float(np.median(walls)), float(np.median(cpus)), out


def two_year_log(folder: Path) -> Path:
    """A synthetic lifter's 2 years of training as a Strong export: every simulated session's
    sets at their kg and achieved reps."""
    from chainload.athlete_fit import SYNTHETIC_BASE, synthetic_program

    names = {
        "bench_press": "Bench Press (Barbell)",
        "back_squat": "Squat (Barbell)",
        "deadlift": "Deadlift (Barbell)",
        "bent_over_row": "Bent Over Row (Barbell)",
    }
    sim = cl.simulate(synthetic_program(104), cl.Athlete(one_rm=SYNTHETIC_BASE))
    start = pd.Timestamp("2023-01-02")
    rows = []
    for r in sim.sessions.itertuples():
        date = (start + pd.Timedelta(days=int(r.day))).strftime("%Y-%m-%d 07:00:00")
        for k in range(int(r.sets)):
            rows.append(f'{date},"W",1h,"{names[r.exercise]}",{k + 1},{r.kg},{int(r.achieved_reps)},0,0,,,\n')
    path = folder / "two_years.csv"
    header = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def bench_fit_athlete() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        log = cl.read_log(two_year_log(Path(d)))
    prog = log.to_program()
    w_sim, c_sim, _ = _median_cpu(lambda: cl.simulate(prog))
    w_fit, c_fit, af = _median_cpu(lambda: cl.fit_athlete(log))
    w_val, c_val, v = _median_cpu(af.validate)
    w_ban, c_ban, _ = _median_cpu(lambda: cl.fit(log, "Bench Press (Barbell)", bootstrap=0))
    days = (log.sets["date"].max() - log.sets["date"].min()).days + 1
    print(f"\nJoint fit of the default model, 2-year log ({len(log.sets):,} sets, {days} days, "
          f"{len(af.tests)} tests of {len(af.lifts)} lifts); medians of 5, CPU / wall:")  # fmt: skip
    print(f"  one replay (cl.simulate of log.to_program())   {c_sim:7.3f} / {w_sim:.3f} s")
    print(f"  cl.fit_athlete (joint MAP + Laplace)          {c_fit:7.3f} / {w_fit:.3f} s   "
          f"{c_fit / c_sim:5.0f} replays   (target < 2 s)")  # fmt: skip
    print(f"  AthleteFit.validate() ({v.loc['model', 'n']:.0f} forecasts)           {c_val:7.3f} / {w_val:.3f} s   "
          f"{c_val / c_sim:5.0f} replays   (target < 10 s)")  # fmt: skip
    print(f"  cl.fit, Banister of the bench press alone     {c_ban:7.3f} / {w_ban:.3f} s")
    print("  out of sample (MAE kg): " + ", ".join(f"{k} {r['mae']:.2f}" for k, r in v.iterrows()))
    real = next((p for p in (HEVY, Path("/work/shared/data") / HEVY.name) if p.exists()), None)
    if real is not None:  # the real log with the most lifts: 14 months, 24 fitted lifts
        hevy = cl.read_log(real)
        w_h, c_h, ah = _median_cpu(lambda: cl.fit_athlete(hevy), 3)
        w_hv, c_hv, _ = _median_cpu(ah.validate, 3)
        print(f"  real Hevy log ({len(ah.tests)} tests of {len(ah.lifts)} lifts), medians of 3: fit_athlete "
              f"{c_h:.3f} / {w_h:.3f} s, validate {c_hv:.3f} / {w_hv:.3f} s")  # fmt: skip


if __name__ == "__main__":
    bench_fit()
    bench_read()
    bench_fit_athlete()

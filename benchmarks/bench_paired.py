"""SweepResult.paired(): every variant against the reference, per outcome and per lift (issue 13:
the old pooled-median bootstrap took 7 s), against a plain pandas/scipy loop over (variant,
outcome) pairs computing the same numbers, in the same process; the results are checked equal.

    python benchmarks/bench_paired.py [--athletes 3000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd
from scipy import stats

import chainload as cl


def loop_baseline(res: cl.SweepResult) -> pd.DataFrame:
    """The same table by one pandas pivot and scipy call per (variant, outcome)."""
    rows = []
    for c in res.outcome_names():
        wide = res.outcomes.pivot(index="athlete", columns="variant", values=c)
        for v in range(1, len(res.variants)):
            d = (wide[v] - wide[0]).dropna().to_numpy()
            if d.size < 2:
                continue
            sem = stats.sem(d)  # 0 when every athlete differs alike: the interval is the point
            lo, hi = (
                stats.t.interval(0.95, d.size - 1, loc=d.mean(), scale=sem) if sem > 0 else (d.mean(),) * 2
            )
            rows.append({"v": v, "outcome": c, "mean_difference": d.mean(), "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows)


def median_time(f, repeat: int) -> tuple[float, object]:
    runs, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--athletes", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    prog = cl.Program.examples()["posterior_chain"]
    variants = cl.vary(prog, weekly_sets={"posterior": [10, 15, 20, 25, 30, 35]})
    res = cl.sweep(variants, cl.Population.sample(args.athletes, seed=1), weeks=12, progress=False)
    res.paired()  # scipy's first import out of the timing
    ours, table = median_time(res.paired, args.repeat)
    base, ref = median_time(lambda: loop_baseline(res), args.repeat)
    assert isinstance(table, pd.DataFrame) and isinstance(ref, pd.DataFrame) and len(table) == len(ref)
    for col in ("mean_difference", "ci_low", "ci_high"):
        np.testing.assert_allclose(
            table[col].to_numpy(), _align(table, ref)[col].to_numpy(), rtol=1e-9, atol=1e-12
        )
    print(
        f"paired(): {len(variants)} variants x {args.athletes} athletes, {len(table)} rows: "
        f"median {ours * 1e3:.1f} ms; pandas/scipy loop {base * 1e3:.1f} ms; ratio {base / ours:.1f}x"
    )


def _align(table: pd.DataFrame, ref: pd.DataFrame) -> pd.DataFrame:
    """The baseline's rows in paired()'s order (variant, then outcome)."""
    order = {c: i for i, c in enumerate(dict.fromkeys(table["outcome"]))}
    return ref.assign(o=ref["outcome"].map(order)).sort_values(["v", "o"]).reset_index(drop=True)


if __name__ == "__main__":
    main()

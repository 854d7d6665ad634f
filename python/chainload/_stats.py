"""Paired comparisons on the same athletes, shared by sweeps (SweepResult.paired) and trials
(Trial.paired): one place for the statistic and its verdict."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

PAIRED_COLUMNS = ["n", "mean_difference", "ci_low", "ci_high", "dz", "share_higher", "verdict"]


def paired_table(
    values: np.ndarray, ref: int, names: Sequence[str], outcomes: Sequence[str], level: float, key: str
) -> pd.DataFrame:
    """``values``: athletes × outcomes × groups (NaN where missing). One row per (group other than
    ``ref``, outcome) with at least 2 athletes: ``n``, ``mean_difference`` (group − ref), its
    ``level`` Student-t interval (``ci_low``, ``ci_high``), ``dz`` (mean / SD of the paired
    differences: Cohen's d for paired data), ``share_higher`` and ``verdict`` (``higher`` /
    ``lower`` when the interval excludes 0, else ``no clear difference``). ``key`` names the
    group column ("variant", "arm")."""
    from scipy import stats  # type: ignore[import-untyped]

    d = values - values[:, :, ref : ref + 1]
    ok = np.isfinite(d)
    n = ok.sum(axis=0)
    d0 = np.where(ok, d, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = d0.sum(axis=0) / n
        sd = np.sqrt(np.where(ok, (d - mean) ** 2, 0.0).sum(axis=0) / (n - 1))
        half = stats.t.ppf((1 + level) / 2, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
        dz = np.where(sd > 0, mean / sd, np.nan)
        higher = np.where(ok, d > 0, False).sum(axis=0) / n
    rows = []
    for v in range(values.shape[2]):
        if v == ref:
            continue
        for j, c in enumerate(outcomes):
            if n[j, v] < 2:
                continue
            lo, hi = mean[j, v] - half[j, v], mean[j, v] + half[j, v]
            verdict = "higher" if lo > 0 else "lower" if hi < 0 else "no clear difference"
            rows.append(
                {
                    key: names[v],
                    "outcome": c,
                    "n": int(n[j, v]),
                    "mean_difference": float(mean[j, v]),
                    "ci_low": float(lo),
                    "ci_high": float(hi),
                    "dz": float(dz[j, v]),
                    "share_higher": float(higher[j, v]),
                    "verdict": verdict,
                }
            )
    return pd.DataFrame(rows, columns=[key, "outcome", *PAIRED_COLUMNS])

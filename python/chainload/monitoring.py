"""Workload monitoring: acute:chronic workload ratio, Foster's monotony and strain.

Loads are daily (index 0 = day 0); weeks are consecutive blocks of 7 days from day 0.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from .errors import ValidationError


def _daily(loads: npt.ArrayLike) -> np.ndarray:
    a = np.asarray(loads, dtype=float)
    if a.ndim != 1 or a.size == 0:
        raise ValidationError(f"loads must be a non-empty 1-d series of daily loads, got shape {a.shape}")
    bad = np.flatnonzero(~np.isfinite(a) | (a < 0))
    if bad.size:
        raise ValidationError(f"loads must be finite and >= 0; day {bad[0]} has {a[bad[0]]}")
    return a


def acwr(
    loads: npt.ArrayLike,
    method: Literal["coupled", "uncoupled", "ewma"] = "ewma",
    acute: int = 7,
    chronic: int = 28,
) -> np.ndarray:
    """Acute:chronic workload ratio per day (NaN until ``chronic`` days of history exist).

    * ``coupled``: mean of the last ``acute`` days over the mean of the last ``chronic`` days
      (the acute window inside the chronic one);
    * ``uncoupled``: the chronic window is the ``chronic - acute`` days before the acute window;
    * ``ewma``: exponentially weighted means with λ = 2/(N+1) (Williams et al. 2017,
      *Br J Sports Med* 51:209–210), started at the first day's load.
    """
    a = _daily(loads)
    if not (1 <= acute < chronic):
        raise ValidationError(f"need 1 <= acute < chronic, got acute={acute}, chronic={chronic}")
    s = pd.Series(a)
    if method == "ewma":
        num = s.ewm(alpha=2 / (acute + 1), adjust=False).mean()
        den = s.ewm(alpha=2 / (chronic + 1), adjust=False).mean()
    elif method == "coupled":
        num = s.rolling(acute).mean()
        den = s.rolling(chronic).mean()
    elif method == "uncoupled":
        num = s.rolling(acute).mean()
        den = s.shift(acute).rolling(chronic - acute).mean()
    else:
        raise ValidationError(f"method must be 'coupled', 'uncoupled' or 'ewma', got {method!r}")
    ratio = np.array(num / den.where(den > 0), dtype=float)
    ratio[: chronic - 1] = np.nan
    return ratio


def _weeks(loads: npt.ArrayLike) -> np.ndarray:
    a = _daily(loads)
    if a.size % 7:
        raise ValidationError(f"monotony and strain need whole weeks of daily loads; got {a.size} days")
    return a.reshape(-1, 7)


def monotony(loads: npt.ArrayLike) -> np.ndarray:
    """Foster's monotony per week: mean daily load / its sample standard deviation (ddof = 1)."""
    w = _weeks(loads)
    sd = w.std(axis=1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sd > 0, w.mean(axis=1) / sd, np.nan)


def strain(loads: npt.ArrayLike) -> np.ndarray:
    """Foster's strain per week: weekly total load × monotony."""
    return np.asarray(_weeks(loads).sum(axis=1) * monotony(loads))

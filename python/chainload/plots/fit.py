"""A fitted performance model: tests, fit and prediction band, residuals, and the load."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from scipy import stats  # type: ignore[import-untyped]

from ..fit import Fit
from ._registry import register
from ._style import OKABE_ITO, _axes, _new_figure


def prediction_halfwidth(fit: Fit, level: float = 0.95) -> float:
    """Half-width of the ``level`` prediction band of a new test: t(level, n − p) × s, with
    s² = SSE / (n − p) the residual variance of the n tests about a fit of p free parameters
    (the textbook band of a regression with known parameters; the parameters' own uncertainty,
    in ``fit.uncertainty``, is not added). NaN when n ≤ p."""
    n = int(fit.metrics["n_obs"])
    p = len(fit.free_params) if fit.free_params else len(fit.params)
    if n <= p:
        return math.nan
    s = math.sqrt(float(fit.metrics["sse"]) / (n - p))
    return float(stats.t.ppf(0.5 + level / 2, n - p)) * s


def _unit(text: str, unit: str) -> str:
    # a comma, not brackets: a unit may carry its own (as "t (kg × reps / 1000)")
    return f"{text}, {unit}" if unit else f"{text} (input units)"


def fit_figure(fit: Fit, *, ax: Axes | None = None) -> Figure:
    """The tests (points) and the fitted performance (line) with its 95 % prediction band; below
    it the residuals (observed − fitted) and the daily load (bars). With ``ax`` only the top
    panel is drawn, into it. Returns the Figure."""
    if ax is None:
        fig = _new_figure(8.0, 6.0)
        top, res, bottom = fig.subplots(3, 1, sharex=True, height_ratios=(3, 1.3, 1.3))
        panels: list[Axes] = [top, res, bottom]
    else:
        fig, top = _axes(ax, 8.0, 4.0)
        panels = [top]
    x = fit.predicted.index
    y = fit.predicted.to_numpy(dtype=float)
    half = prediction_halfwidth(fit)
    if np.isfinite(half):
        top.fill_between(x, y - half, y + half, color=OKABE_ITO["sky_blue"], alpha=0.3, lw=0, gid="band")
    top.plot(x, y, color=OKABE_ITO["blue"], lw=1.5, label=f"{fit.model} fit")
    top.plot(fit.observed.index, fit.observed.to_numpy(), "o", color=OKABE_ITO["vermillion"], ms=4,
             label="observed test")  # fmt: skip
    top.set_ylabel(_unit("performance", fit.performance_unit))
    m = fit.metrics
    what = fit.exercise or "performance"
    stats_text = f"R² = {m['r2']:.2f}, RMSE = {m['rmse']:.3g}, n = {m['n_obs']:.0f}"
    top.set_title(f"{what}: {fit.model} fit, {stats_text}", fontsize=10)
    handles, _ = top.get_legend_handles_labels()
    if np.isfinite(half):
        handles.append(Patch(color=OKABE_ITO["sky_blue"], alpha=0.3, lw=0, label="95 % prediction band"))
    top.legend(handles=handles, loc="best", frameon=False, fontsize=8)
    if ax is None:
        res.axhline(0.0, color="#808080", lw=0.8)
        res.vlines(fit.residuals.index, 0.0, fit.residuals.to_numpy(), color=OKABE_ITO["vermillion"], lw=1.0)
        res.plot(fit.residuals.index, fit.residuals.to_numpy(), "o", color=OKABE_ITO["vermillion"], ms=3)
        if np.isfinite(half):
            res.axhspan(-half, half, color=OKABE_ITO["sky_blue"], alpha=0.3, lw=0)
        res.set_ylabel("observed − fitted", fontsize=8)
        bottom.bar(x, fit.load.to_numpy(), width=1.0, color=OKABE_ITO["grey"])
        bottom.set_ylabel(_unit("daily load", fit.load_unit), fontsize=8)
        bottom.set_xlabel("date" if isinstance(x, pd.DatetimeIndex) else "day")
    for p in panels:
        p.spines[["top", "right"]].set_visible(False)
    if isinstance(x, pd.DatetimeIndex):
        axis = panels[-1].xaxis
        locator = AutoDateLocator()  # type: ignore[no-untyped-call]
        axis.set_major_locator(locator)
        axis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    return fig


@register(Fit, "fit", default=True)
def _fit(fit: Fit, ax: Axes | None) -> Figure:
    return fit_figure(fit, ax=ax)

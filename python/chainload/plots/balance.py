"""The posterior:anterior ratio per week, of a plan, a simulation or a log."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from ..analysis import DEFAULT_BAND, Report
from ..errors import ValidationError
from ..logs import Log
from ..simulation import Simulation
from ._registry import register
from ._style import OKABE_ITO, PALETTE, _axes

# ------------------------------------------------------------------------------------- balance


ROLLING_WEEKS = 4
"""Window of the rolling mean on a log's balance figure (engine choice: about a month)."""


def _log_ticks(ax: Axes, lo: float, hi: float) -> None:
    """Plain-number ticks on a log axis, thinned so that neighbours are at least 1/8 of the
    axis apart (on a long range 1, 2, 5, 10 ... rather than every candidate)."""
    candidates = [0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0, 20.0, 50.0, 100.0]
    span = math.log(hi / lo)
    ticks: list[float] = []
    for t in sorted(candidates, key=lambda v: (v != 1.0, candidates.index(v))):  # 1 first, always kept
        if lo <= t <= hi and all(abs(math.log(t / k)) >= span / 8 for k in ticks):
            ticks.append(t)
    ax.yaxis.set_major_locator(FixedLocator(sorted(ticks)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())


def balance_over_time(
    obj: Report | Simulation | pd.DataFrame,
    band: tuple[float, float] | None = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """The posterior:anterior ratio per week, with the target ``band`` shaded (log y-axis).

    For a :class:`~chainload.Report`: the whole-body ratio of the weekly planned sets (the per-set
    volume share, :mod:`chainload.chains`) and the same per region (upper, lower, trunk); ``band``
    defaults to the report's own. For a :class:`~chainload.Simulation`: the same ratio of the sets
    performed and that of the chains' volume-weighted mean capacity (1 = both chains changed
    alike). For a balance table by calendar week (a log's
    ``balance``, DatetimeIndex): the same lines against dates, weeks without training left as gaps
    (the line breaks) and marked along the x-axis. ``band`` defaults to ``chainload.DEFAULT_BAND``.
    The band patch carries the gid ``"band"``.
    """
    region_lines = {
        "upper body": ("posterior_anterior_upper", OKABE_ITO["sky_blue"], "--", "^"),
        "lower body": ("posterior_anterior_lower", OKABE_ITO["bluish_green"], "-.", "v"),
        "trunk": ("posterior_anterior_trunk", OKABE_ITO["reddish_purple"], ":", "s"),
    }

    def with_regions(table: pd.DataFrame) -> dict[str, tuple[pd.Series, str, str, str]]:
        out = {"whole body": (table["posterior_anterior"], PALETTE.dose, "-", "o")}
        for label, (col, color, style, marker) in region_lines.items():
            if col in table:
                out[label] = (table[col], color, style, marker)
        return out

    if isinstance(obj, Report):
        lo, hi = band if band is not None else obj.band
        table = obj.balance
        lines = with_regions(table)
        name = obj.program.name
    elif isinstance(obj, Simulation):
        lo, hi = band if band is not None else DEFAULT_BAND
        table = obj.balance
        lines = {
            "dose achieved": (table["dose_posterior_anterior"], PALETTE.dose, "-", "o"),
            "capacity (1 = chains gained alike)": (
                table["capacity_posterior_anterior"],
                PALETTE.capacity,
                "-",
                "D",
            ),
        }
        name = obj.program_name
    elif isinstance(obj, pd.DataFrame) and "posterior_anterior" in obj:
        lo, hi = band if band is not None else DEFAULT_BAND
        table = obj
        lines = with_regions(table)
        name = "log"
    else:
        raise ValidationError(
            f"balance_over_time needs a Report, a Simulation or a balance table, got {type(obj).__name__}"
        )
    if not (0 < lo < hi):
        raise ValidationError(f"band must satisfy 0 < low < high, got {(lo, hi)}")
    dated = isinstance(table.index, pd.DatetimeIndex)
    fig, ax = _axes(ax, 7.2 if dated else 6.4, 4.0)
    ax.axhspan(lo, hi, color=PALETTE.band, alpha=0.15, lw=0, zorder=0, gid="band")
    for edge in (lo, hi):
        ax.axhline(edge, color=PALETTE.band, lw=0.8, alpha=0.7, zorder=0.5)
    ax.axhline(1.0, color="#808080", lw=0.7, ls=":", zorder=0.5)
    values: list[float] = [lo, hi]
    x = table.index.to_numpy()
    for label, (series, color, style, marker) in lines.items():
        y = series.to_numpy(dtype=float)
        ok = np.isfinite(y) & (y > 0)
        # NaN where undefined: the line breaks there (a gap stays a gap)
        ax.plot(x, np.where(ok, y, np.nan), color=color, ls=style, marker=marker, ms=3.5 if dated else 4,
                lw=1.8 if label in ("whole body", "dose achieved") else 1.1, label=label)  # fmt: skip
        values += list(y[ok])
    if dated and len(table) >= ROLLING_WEEKS:
        # The trend: a rolling geometric mean (the mean on the log axis) of the trained weeks in a
        # centred window, drawn on trained weeks only (an untrained week stays a gap) and only
        # where the window holds at least half of its weeks.
        whole = table["posterior_anterior"].astype(float)
        logged = pd.Series(np.log(whole.where(np.isfinite(whole) & (whole > 0))), index=table.index)
        mean = logged.rolling(ROLLING_WEEKS, center=True, min_periods=ROLLING_WEEKS // 2).mean()
        trend = np.where(logged.notna(), np.exp(mean.to_numpy(dtype=float)), np.nan)
        ax.plot(x, trend, color=PALETTE.capacity, lw=2.6, alpha=0.9, zorder=3,
                label=f"{ROLLING_WEEKS}-week rolling mean", gid="rolling_mean")  # fmt: skip
    ax.set_yscale("log")
    ymin, ymax = min(values) / 1.35, max(values) * 1.35
    ax.set_ylim(ymin, ymax)
    _log_ticks(ax, ymin, ymax)
    if dated:
        gaps = (
            table["verdict"] == "no training" if "verdict" in table else pd.Series(False, index=table.index)
        )
        for day in table.index[gaps.to_numpy()]:
            ax.axvspan(day, day + pd.Timedelta(days=7), color=PALETTE.missing, alpha=0.5, lw=0, zorder=0)
        ax.set_xlim(table.index.min() - pd.Timedelta(days=4), table.index.max() + pd.Timedelta(days=11))
        locator = AutoDateLocator(maxticks=10)  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        ax.set_xlabel("calendar week (Monday)")
    else:
        weeks = x
        ax.set_xlim(weeks.min() - 0.5, weeks.max() + 0.5)
        ax.xaxis.set_major_locator(FixedLocator([int(w) for w in weeks if len(weeks) <= 16 or w % 2 == 1]))
        ax.set_xlabel("week")
    ax.set_ylabel("posterior:anterior ratio\n(per-set volume share, log scale)")
    kw: dict[str, Any] = {"transform": ax.transAxes, "fontsize": 8, "ha": "right"}
    ax.text(0.99, 0.97, "posterior-dominant ↑", va="top", color=PALETTE.posterior, **kw)
    ax.text(0.99, 0.03, "anterior-dominant ↓", va="bottom", color=PALETTE.anterior, **kw)
    handles, _ = ax.get_legend_handles_labels()
    handles.append(Patch(color=PALETTE.band, alpha=0.25, lw=0, label=f"balanced band {lo:.2f}–{hi:.2f}"))
    if dated:
        handles.append(Patch(color=PALETTE.missing, alpha=0.5, lw=0, label="no training that week"))
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.2 if dated else -0.14), ncols=3,
        frameon=False, fontsize=8,
    )  # fmt: skip
    ax.set_title(title or f"{name}: posterior:anterior balance per week")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


@register(Report, "balance", default=True)
def _report_balance(report: Report, ax: Axes | None) -> Figure:
    return balance_over_time(report, ax=ax)


@register(Simulation, "balance")
def _simulation_balance(sim: Simulation, ax: Axes | None) -> Figure:
    return balance_over_time(sim, ax=ax)


@register(pd.DataFrame, "balance", default=True)
def _table_balance(table: pd.DataFrame, ax: Axes | None) -> Figure:
    return balance_over_time(table, ax=ax)


@register(Log, "balance", default=True)
def _log_balance(log: Log, ax: Axes | None) -> Figure:
    return balance_over_time(log.balance, ax=ax, title="Training log: posterior:anterior balance per week")

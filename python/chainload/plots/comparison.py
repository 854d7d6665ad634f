"""Programs and variants compared: bar panels per outcome, the Pareto front, box plots."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..analysis import DEFAULT_BAND
from ..errors import ValidationError
from ..sweep import SweepResult
from ._registry import register
from ._style import PALETTE, _axes, _new_figure, _pretty, _unknown
from .graph import _wrap

# ----------------------------------------------------------------------- comparison and Pareto


OUTCOME_LABELS: dict[str, str] = {
    "strength_gain": "mean 1RM gain over the program's lifts (%)",
    "peak_fatigue": "peak fatigue (highest daily fatigue of any muscle)",
    "failures": "failed sessions (count)",
    "balance_error": "balance error (log-distance outside the band)",
    "dose_balance": "posterior:anterior ratio of the dose",
    "capacity_balance": "posterior:anterior ratio of capacity",
}
"""Axis labels of a sweep's outcomes (sweep.OUTCOMES) with their unit or meaning."""

MAX_WIDTH_IN = 9.0
"""Widest figure of this module, in inches (engine choice: a page's text width plus margins)."""


def _is_ratio(column: str) -> bool:
    return ":" in column or "posterior_anterior" in column or column.endswith("post_ant")


def compare(
    table: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    band: tuple[float, float] | None = DEFAULT_BAND,
    ncols: int = 4,
    title: str = "",
    titles: Mapping[str, str] | None = None,
) -> Figure:
    """Programs (rows of ``table``) compared on outcome columns: one small bar panel per column.

    ``table`` is what ``chainload compare`` prints (index: program names). ``columns`` picks and
    orders the outcomes (default: every numeric column). Ratio columns (a name with ``:`` or
    ``posterior_anterior``) get a dotted line at 1; the ``posterior_anterior`` panel also shows the
    target ``band`` (``None`` to leave it out). Each program keeps one colour across panels.
    ``titles`` maps columns to panel titles (default: the column name); the table's maker owns
    them (the HTML report passes its own, :data:`chainload.report.comparison.COLUMNS`).
    """
    banded = False
    if table.empty:
        raise ValidationError("compare() needs a table with at least one row")
    if columns is None:
        cols = [str(c) for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
    else:
        cols = [columns] if isinstance(columns, str) else [str(c) for c in columns]
        for c in cols:
            if c not in table.columns:
                raise _unknown("column", c, [str(k) for k in table.columns])
    if not cols:
        raise ValidationError("compare() found no numeric column to plot")
    programs = [str(p) for p in table.index]
    colors = [PALETTE.categorical[i % len(PALETTE.categorical)] for i in range(len(programs))]
    nc = max(1, min(ncols, len(cols)))
    nr = math.ceil(len(cols) / nc)
    fig = _new_figure(2.1 * nc + 1.4, 0.35 * len(programs) * nr + 1.0 * nr + 0.4)
    axes = np.atleast_1d(fig.subplots(nr, nc, sharey=True, squeeze=False)).ravel()
    y = np.arange(len(programs))
    for ax, col in zip(axes, cols, strict=False):
        v = pd.to_numeric(table[col], errors="coerce").to_numpy(dtype=float)
        ok = np.isfinite(v)
        ax.barh(y[ok], v[ok], color=[colors[i] for i in np.flatnonzero(ok)], height=0.7, zorder=2, gid="bars")
        if col == "posterior_anterior" and band is not None:
            ax.axvspan(*band, color=PALETTE.band, alpha=0.15, lw=0, zorder=0, gid="band")
            banded = True
        if _is_ratio(col):
            ax.axvline(1.0, color="#808080", lw=0.8, ls=":", zorder=1)
        ax.axvline(0.0, color="#333333", lw=0.8, zorder=3)
        finite = v[ok]
        lo = min(0.0, float(finite.min())) if finite.size else 0.0
        hi = max(0.0, float(finite.max())) if finite.size else 1.0
        if col == "posterior_anterior" and band is not None:
            hi = max(hi, band[1])
        span = (hi - lo) or 1.0
        ax.set_xlim(lo - (0.32 * span if lo < 0 else 0), hi + 0.32 * span)
        for i, val in enumerate(v):
            if np.isfinite(val):
                ax.text(
                    val + (0.02 * span if val >= 0 else -0.02 * span),
                    i,
                    f"{val:.3g}",
                    va="center",
                    ha="left" if val >= 0 else "right",
                    fontsize=7.5,
                    zorder=4,
                )
            else:
                ax.text(0.02 * span, i, "n/a", va="center", fontsize=7.5, color="#808080")
        default = f"{_pretty(col[:-4])} (% change)" if col.endswith("_pct") else _pretty(col)
        # a panel is about 2.4 in wide: longer titles go on two lines instead of into the next one
        ax.set_title(_wrap((titles or {}).get(col, default), 30), fontsize=9)
        ax.tick_params(axis="x", labelsize=7.5)
        ax.grid(True, axis="x", color="#EBEBEB", lw=0.6, zorder=0)
        ax.spines[["top", "right"]].set_visible(False)
    for ax in axes[len(cols) :]:
        ax.set_axis_off()
    axes[0].set_yticks(y, programs)
    axes[0].invert_yaxis()
    for ax in axes:
        ax.tick_params(axis="y", labelsize=8.5)
    if banded and band is not None:
        fig.legend(
            handles=[
                Patch(color=PALETTE.band, alpha=0.25, lw=0, label=f"target band {band[0]:.2f}–{band[1]:.2f}"),
                Line2D([], [], color="#808080", lw=0.8, ls=":", label="ratio 1"),
            ],
            loc="outside lower center",
            ncols=2,
            frameon=False,
            fontsize=8,
        )
    if title:
        fig.suptitle(title, fontsize=11)
    return fig


def pareto_front(
    df: pd.DataFrame, x: str, y: str, maximize: tuple[bool, bool] = (True, True)
) -> pd.Series[bool]:
    """True for the rows no other row beats on both ``x`` and ``y`` (ties are not beaten)."""
    pts = df[[x, y]].to_numpy(dtype=float) * np.where(np.array(maximize), 1.0, -1.0)
    ok = np.isfinite(pts).all(axis=1)
    front = np.zeros(len(pts), dtype=bool)
    for i in np.flatnonzero(ok):
        better_eq = (pts[ok] >= pts[i]).all(axis=1)
        strictly = (pts[ok] > pts[i]).any(axis=1)
        front[i] = not (better_eq & strictly).any()
    out: pd.Series[bool] = pd.Series(front, index=df.index, name="pareto", dtype=bool)
    return out


def pareto(
    df: pd.DataFrame,
    x: str,
    y: str,
    front_mask: Sequence[bool] | np.ndarray | pd.Series[bool] | None = None,
    *,
    maximize: tuple[bool, bool] = (True, True),
    labels: bool | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Scatter of ``df[x]`` against ``df[y]`` with the Pareto front highlighted and joined.

    ``front_mask`` marks the front rows; by default it is computed with :func:`pareto_front`
    (``maximize`` says for each axis whether larger is better). Front points are labelled with
    their index when ``labels`` is True (default: when the front has at most 12 points).
    """
    for c in (x, y):
        if c not in df.columns:
            raise _unknown("column", c, [str(k) for k in df.columns])
    mask = (
        pareto_front(df, x, y, maximize).to_numpy()
        if front_mask is None
        else np.asarray(front_mask, dtype=bool)
    )
    if mask.shape != (len(df),):
        raise ValidationError(f"front_mask must have one entry per row ({len(df)}), got shape {mask.shape}")
    fig, ax = _axes(ax, 5.2, 4.2)
    xs, ys = df[x].to_numpy(dtype=float), df[y].to_numpy(dtype=float)
    ax.scatter(
        xs[~mask], ys[~mask], s=18, color=PALETTE.lateral, alpha=0.6, lw=0, label="dominated", zorder=2
    )
    order = np.argsort(xs[mask], kind="stable")
    fx, fy = xs[mask][order], ys[mask][order]
    ax.plot(fx, fy, color=PALETTE.capacity, lw=1.2, zorder=3, drawstyle="default")
    ax.scatter(
        fx,
        fy,
        s=40,
        color=PALETTE.capacity,
        edgecolors="black",
        linewidths=0.7,
        label="Pareto front",
        zorder=4,
    )
    if labels is None:
        labels = int(mask.sum()) <= 12
    if labels:
        names = [str(i) for i in np.asarray(df.index)[mask][order]]
        mid = float(np.nanmean(xs)) if len(xs) else 0.0
        for k, (name, px, py) in enumerate(zip(names, fx, fy, strict=True)):
            above = k % 2 == 0  # alternate above/below: neighbours on the front do not collide
            right = px <= mid  # label towards the middle: it stays inside the axes
            ax.annotate(
                _wrap(_pretty(name), 22),
                (px, py),
                xytext=(5 if right else -5, 5 if above else -5),
                textcoords="offset points",
                ha="left" if right else "right",
                va="bottom" if above else "top",
                fontsize=7.5,
                gid="front_label",
            )
    arrow = {True: "→ better", False: "← better"}
    ax.set_xlabel(f"{OUTCOME_LABELS.get(x, _pretty(x))}  {arrow[maximize[0]]}", fontsize=9)
    ax.set_ylabel(
        f"{OUTCOME_LABELS.get(y, _pretty(y))}  {'↑ better' if maximize[1] else '↓ better'}", fontsize=9
    )
    ax.legend(frameon=False, fontsize=8)
    ax.grid(True, color="#EBEBEB", lw=0.6, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def distributions(
    result: SweepResult,
    outcome: str = "strength_gain",
    *,
    ax: Axes | None = None,
) -> Figure:
    """Box plots of one outcome across the athletes of a sweep, one box per variant (program)."""
    if outcome not in result.outcomes.columns:
        raise _unknown(
            "outcome", outcome, [c for c in result.outcomes.columns if c not in ("variant", "athlete")]
        )
    # 1.3 in per box up to MAX_WIDTH_IN: a many-variant sweep narrows its boxes, not the page
    fig, ax = _axes(ax, min(1.6 + 1.3 * len(result.variants), MAX_WIDTH_IN), 3.6)
    data = [g[outcome].dropna().to_numpy() for _, g in result.outcomes.groupby("variant")]
    keys = {k for v in result.variants for k in v.label}
    varied = next(iter(keys)) if len(keys) == 1 and all(len(v.label) == 1 for v in result.variants) else None
    if varied is not None and varied != "program":
        # one parameter varied: its values on the ticks, its name once on the axis
        names = [f"{v.label[varied]:g}" if isinstance(v.label[varied], float) else str(v.label[varied])
                 for v in result.variants]  # fmt: skip
        ax.set_xlabel(_pretty(varied))
    else:
        names = [
            _wrap(str(v.label["program"]) if varied == "program" else v.name, 16) for v in result.variants
        ]
    box = ax.boxplot(data, patch_artist=True, widths=0.55, showfliers=False,
                     medianprops={"color": "black", "lw": 1.8})  # fmt: skip
    for i, patch in enumerate(box["boxes"]):
        patch.set_facecolor(PALETTE.categorical[i % len(PALETTE.categorical)])
        patch.set_alpha(0.75)
    many = len(names) > 6 and max(len(n) for n in names) > 4
    ax.set_xticks(range(1, len(names) + 1), names, fontsize=7 if many else 8,
                  rotation=45 if many else 0, ha="right" if many else "center")  # fmt: skip
    ax.set_ylabel(OUTCOME_LABELS.get(outcome, _pretty(outcome)), fontsize=9)
    ax.set_title(f"{_pretty(outcome)} across {result.outcomes['athlete'].nunique()} virtual athletes")
    ax.grid(axis="y", alpha=0.3)
    return fig


@register(SweepResult, "distributions", default=True)
def _distributions(result: SweepResult, ax: Axes | None) -> Figure:
    return distributions(result, "strength_gain", ax=ax)

"""Figures of a simulation over its days: fitness, fatigue and capacity; 1RM per lift."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .. import chains
from ..catalogue import Catalogue
from ..errors import ValidationError
from ..graph import CHAINS
from ..simulation import Simulation
from ._registry import register, single_panel
from ._style import (
    CHAIN_COLORS,
    LINESTYLES,
    PALETTE,
    QUANTITY_LABELS,
    _axes,
    _day_axis,
    _event_days,
    _event_handles,
    _new_figure,
    _pretty,
    _shade_deloads,
    _shades,
    _spread,
    _unknown,
    quantity_labels,
)

# ----------------------------------------------------------------------------- fitness-fatigue


def _check_muscles(muscles: Sequence[str] | None, known: Sequence[str]) -> list[str] | None:
    if muscles is None:
        return None
    if isinstance(muscles, str):
        muscles = [muscles]
    for m in muscles:
        if m not in known:
            raise _unknown("muscle", m, known)
    if not muscles:
        raise ValidationError("muscles must name at least one muscle")
    return list(muscles)


def _chain_of(sim: Simulation, muscle: str) -> str:
    return next((c for c, ms in sim.chains.items() if muscle in ms), "lateral")


def fitness_fatigue(
    sim: Simulation,
    muscles: Sequence[str] | None = None,
    by: Literal["muscle", "chain"] = "muscle",
    *,
    top: int = 6,
) -> Figure:
    """Fitness, fatigue and capacity over the days of a simulation (three stacked panels).

    ``by="muscle"`` draws one line per muscle: ``muscles``, or by default the ``top`` muscles with
    the most total dose. ``by="chain"`` draws the size-weighted mean of each chain (over
    ``muscles`` when given, else over all of a chain's muscles). Lines take their chain's colour
    (lighter and darker shades, and dashes, tell muscles of one chain apart). Planned deload weeks
    are shaded; days with a failed session (x) and with an automatic deload (▽) are marked along
    the bottom of the capacity panel.
    """
    if by not in ("muscle", "chain"):
        raise ValidationError(f"by must be 'muscle' or 'chain', got {by!r}")
    chosen = _check_muscles(muscles, sim.muscle_ids)
    col = {m: i for i, m in enumerate(sim.muscle_ids)}
    series: list[tuple[str, str, str, dict[str, np.ndarray]]] = []  # label, colour, style, data
    if by == "chain":
        pool = chosen if chosen is not None else sim.muscle_ids
        for chain in CHAINS:
            members = [m for m in sim.chains.get(chain, []) if m in pool]
            if not members:
                continue
            idx = [col[m] for m in members]
            w = np.array([sim.sizes.get(m, 1.0) for m in members])
            data = {q: sim.arrays[q][:, idx] @ w / w.sum() for q in QUANTITY_LABELS}
            series.append((f"{chain} ({len(members)} muscles)", CHAIN_COLORS[chain], "-", data))
    else:
        if chosen is None:
            total = sim.arrays["dose"].sum(axis=0)
            order = np.argsort(-total, kind="stable")[:top]
            chosen = [sim.muscle_ids[i] for i in sorted(order)]
        per_chain: dict[str, list[str]] = {}
        for m in chosen:
            per_chain.setdefault(_chain_of(sim, m), []).append(m)
        for chain in CHAINS:
            group = per_chain.get(chain, [])
            for k, (m, color) in enumerate(zip(group, _shades(CHAIN_COLORS[chain], len(group)), strict=True)):
                data = {q: sim.arrays[q][:, col[m]] for q in QUANTITY_LABELS}
                series.append((_pretty(m), color, LINESTYLES[k % len(LINESTYLES)], data))

    failed, auto = _event_days(sim.sessions, "failed"), _event_days(sim.sessions, "auto_deload")
    fig = _new_figure(7.2, 6.6)
    axes = fig.subplots(4, 1, sharex=True, gridspec_kw={"height_ratios": [1, 1, 1, 0.22]})
    days = np.arange(sim.n_days)
    deloads = False
    labels = quantity_labels(sim.model)
    for ax, q in zip(axes[:3], QUANTITY_LABELS, strict=True):
        deloads = _shade_deloads(ax, sim.sessions)
        for label, color, style, data in series:
            ax.plot(days, data[q], color=color, ls=style, lw=1.4, label=label)
        ax.set_ylabel(labels[q], fontsize=8.5)
        ax.grid(True, axis="y", color="#E5E5E5", lw=0.6)
        ax.margins(x=0)
    axes[2].axhline(1.0, color="#808080", lw=0.7, ls=":", zorder=1)
    # Event strip: one row of failed sessions, one of automatic deloads.
    events = axes[3]
    _shade_deloads(events, sim.sessions)
    events.plot(
        failed, [1.0] * len(failed), ls="none", marker="x", color=PALETTE.failure, ms=4.5, gid="failures"
    )
    events.plot(
        auto, [0.0] * len(auto), ls="none", marker="v", color=PALETTE.auto_deload, ms=4.5, gid="auto_deloads"
    )
    events.set_ylim(-0.7, 1.7)
    events.set_yticks([1.0, 0.0], ["failed", "auto deload"], fontsize=7.5)
    events.tick_params(axis="y", length=0)
    events.spines[["top", "right", "left"]].set_visible(False)
    _day_axis(events, sim.n_days)
    handles = [Line2D([], [], color=c, ls=s, lw=1.6, label=lab) for lab, c, s, _ in series]
    handles += _event_handles(deloads, bool(failed), bool(auto))
    fig.legend(handles=handles, loc="outside right upper", frameon=False, fontsize=8)
    what = "chain, size-weighted mean" if by == "chain" else "muscle"
    # A suptitle spans the figure above the outside legend, which a panel title would run under.
    fig.suptitle(f"{sim.program_name}: per {what} ({sim.model} model)", fontsize=10.5, x=0.02, ha="left")
    return fig


# --------------------------------------------------------------------------------- performance


def _exercise_chain(ex: str, sim: Simulation, catalogue: Catalogue) -> str:
    if ex not in catalogue:
        return "lateral"
    return chains.chain_of_exercise(catalogue[ex].activation, catalogue.graph)


def performance(
    sim: Simulation,
    exercises: Sequence[str] | None = None,
    *,
    relative: bool = False,
    catalogue: Catalogue | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Estimated 1RM of each lift over the days of a simulation, failed sessions marked (x).

    Lines take the colour of the chain the lift loads most (by its activation weights in
    ``catalogue``, default: the shipped one) and are labelled at their right end. ``relative=True``
    plots the 1RM in % of its starting value instead of kg. Planned deload weeks are shaded.
    """
    perf = sim.performance
    if exercises is not None:
        exercises = [exercises] if isinstance(exercises, str) else list(exercises)
        for ex in exercises:
            if ex not in perf.columns:
                raise _unknown("exercise", ex, [str(c) for c in perf.columns])
        perf = perf[exercises]
    if perf.shape[1] == 0:
        raise ValidationError("performance() needs at least one exercise")
    if relative:
        perf = perf / perf.iloc[0] * 100.0
    cat = catalogue if catalogue is not None else Catalogue.default()
    fig, ax = _axes(ax, 7.0, 4.6)
    deloads = _shade_deloads(ax, sim.sessions)
    groups: dict[str, list[str]] = {}
    for ex in perf.columns:
        groups.setdefault(_exercise_chain(str(ex), sim, cat), []).append(str(ex))
    colors: dict[str, tuple[str, str]] = {}
    for chain, exs in groups.items():
        for k, (ex, c) in enumerate(zip(exs, _shades(CHAIN_COLORS[chain], len(exs)), strict=True)):
            colors[ex] = (c, LINESTYLES[k % len(LINESTYLES)])
    days = perf.index.to_numpy()
    for ex in perf.columns:
        c, s = colors[str(ex)]
        ax.plot(days, perf[ex].to_numpy(), color=c, ls=s, lw=1.4, label=_pretty(str(ex)), gid=f"lift:{ex}")
    fails = sim.sessions[sim.sessions["failed"].astype(bool)] if "failed" in sim.sessions else sim.sessions
    fails = fails[fails["exercise"].isin(perf.columns)]
    if not fails.empty:
        fx = fails["day"].to_numpy(dtype=int)
        table, col = perf.to_numpy(dtype=float), {str(c): i for i, c in enumerate(perf.columns)}
        fy = [float(table[d, col[str(ex)]]) for d, ex in zip(fx, fails["exercise"], strict=True)]
        ax.plot(fx, fy, ls="none", marker="x", color=PALETTE.failure, ms=5, mew=1.2, zorder=4, gid="failures")
    _day_axis(ax, sim.n_days)
    ax.set_ylabel("estimated 1RM (% of start)" if relative else "estimated 1RM (kg)")
    ax.grid(True, axis="y", color="#E5E5E5", lw=0.6)
    ymin, ymax = float(np.nanmin(perf.to_numpy())), float(np.nanmax(perf.to_numpy()))
    pad = 0.05 * (ymax - ymin or 1.0)
    ax.set_ylim(ymin - pad, ymax + pad)
    # Direct labels at the right end, pushed apart so they do not overlap.
    ends = [float(perf[ex].iloc[-1]) for ex in perf.columns]
    height_pt = fig.get_size_inches()[1] * 72 * ax.get_position().height
    gap = (ymax - ymin + 2 * pad) * 9.0 / max(height_pt, 1.0)
    ys = _spread(ends, gap, ymin - pad, ymax + pad)
    for ex, y_end, y_lab in zip(perf.columns, ends, ys, strict=True):
        c, _ = colors[str(ex)]
        ax.annotate(
            _pretty(str(ex)),
            xy=(days[-1], y_end),
            xytext=(days[-1] + 0.015 * len(days), y_lab),
            textcoords="data",
            fontsize=7.5,
            color=c,
            va="center",
            annotation_clip=False,
            arrowprops={"arrowstyle": "-", "color": c, "lw": 0.5, "shrinkA": 0, "shrinkB": 0},
        )
    handles = [Line2D([], [], color=CHAIN_COLORS[c], lw=1.6, label=f"{c}-dominant lift") for c in groups]
    handles += _event_handles(deloads, not fails.empty, False)
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncols=4, frameon=False, fontsize=8
    )
    ax.set_title(f"{sim.program_name}: estimated 1RM per lift")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


@register(Simulation, "fitness_fatigue", default=True)
def _fitness_fatigue(sim: Simulation, ax: Axes | None) -> Figure:
    single_panel("fitness_fatigue", ax)
    return fitness_fatigue(sim, by="chain")


@register(Simulation, "performance")
def _performance(sim: Simulation, ax: Axes | None) -> Figure:
    return performance(sim, ax=ax)

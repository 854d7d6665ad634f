"""Figures of chainload: body maps, adaptation trajectories, balance, the muscle graph, comparisons.

Every function draws with matplotlib only (no pyplot state: figures are built on
:class:`matplotlib.figure.Figure` and work under the Agg backend) and returns the Figure; the
single-panel ones take ``ax=`` to draw into an existing Axes. One palette, :data:`PALETTE`, is
used by every figure: the Okabe–Ito colours, safe for the common colour-vision deficiencies, with
the posterior chain in blue, the anterior chain in vermillion and the lateral muscles in grey.

    import chainload as cl
    from chainload import plots

    sim = cl.simulate(cl.Program.examples()["posterior_chain"], weeks=12)
    plots.fitness_fatigue(sim, by="chain").savefig("fitness_fatigue.png")
    plots.body_map(sim.capacity().iloc[-1] - 1, label="capacity gain").savefig("map.png")
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Colormap, Normalize, to_hex, to_rgb
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse, Patch, Polygon
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from ._files import DATA_DIR, TomlSource, require, tables
from ._names import hint
from .analysis import DEFAULT_BAND, Report
from .errors import UnknownNameError, ValidationError
from .graph import CHAINS, MuscleGraph

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .simulation import Simulation
    from .sweep import SweepResult

# --------------------------------------------------------------------------------------- palette

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}
"""The Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008), with its grey."""


@dataclass(frozen=True)
class Palette:
    """The colours of every chainload figure.

    Chains keep one colour everywhere (posterior blue, anterior vermillion, lateral grey); the
    other roles use the remaining Okabe–Ito colours, so nothing that is not a chain is drawn in a
    chain's colour.
    """

    posterior: str = OKABE_ITO["blue"]
    anterior: str = OKABE_ITO["vermillion"]
    lateral: str = OKABE_ITO["grey"]
    band: str = OKABE_ITO["bluish_green"]  # the target band of the posterior:anterior ratio
    deload: str = OKABE_ITO["yellow"]  # planned deload weeks
    failure: str = OKABE_ITO["black"]  # failed sessions
    auto_deload: str = OKABE_ITO["reddish_purple"]  # automatic deloads after repeated failure
    antagonist: str = OKABE_ITO["reddish_purple"]  # antagonist edges of the muscle graph
    synergist: str = "#4D4D4D"  # synergist edges of the muscle graph
    dose: str = OKABE_ITO["black"]  # dose ratio lines
    capacity: str = OKABE_ITO["orange"]  # capacity ratio lines
    missing: str = "#CCCCCC"  # a muscle without a value on the body map
    body: str = "#F3F3F3"  # silhouette fill
    outline: str = "#7F7F7F"  # silhouette outline
    muscle_edge: str = "#FFFFFF"  # line between muscle patches
    # Categorical series (programs, lifts beyond the chain colours): the Okabe–Ito colours that
    # are not chain colours first.
    categorical: tuple[str, ...] = field(
        default=(
            OKABE_ITO["orange"],
            OKABE_ITO["sky_blue"],
            OKABE_ITO["bluish_green"],
            OKABE_ITO["reddish_purple"],
            OKABE_ITO["black"],
            OKABE_ITO["yellow"],
            OKABE_ITO["blue"],
            OKABE_ITO["vermillion"],
        )
    )

    def chain(self, name: str) -> str:
        """Colour of a chain (``posterior``, ``anterior`` or ``lateral``); grey for anything else."""
        return {"posterior": self.posterior, "anterior": self.anterior}.get(name, self.lateral)


PALETTE = Palette()
"""The module-level palette every figure uses."""
CHAIN_COLORS: dict[str, str] = {c: PALETTE.chain(c) for c in CHAINS}
LINESTYLES: tuple[str, ...] = ("-", "--", "-.", ":")
QUANTITY_LABELS: dict[str, str] = {
    "fitness": "fitness (a.u.)",
    "fatigue": "fatigue (a.u.)",
    "capacity": "capacity (× start)",
}

# ------------------------------------------------------------------------------------- helpers


def _new_figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _figure_of(ax: Axes) -> Figure:
    fig = ax.get_figure()
    while isinstance(fig, SubFigure):
        fig = fig.get_figure()
    if not isinstance(fig, Figure):  # pragma: no cover - an Axes always belongs to a figure
        raise ValidationError("ax is not attached to a figure")
    return fig


def _axes(ax: Axes | None, width: float, height: float) -> tuple[Figure, Axes]:
    if ax is not None:
        return _figure_of(ax), ax
    fig = _new_figure(width, height)
    return fig, fig.add_subplot()


def _shades(color: str, n: int) -> list[str]:
    """``n`` variants of one colour, from darker to lighter (the colour itself in the middle)."""
    if n <= 1:
        return [color] * n
    rgb = np.array(to_rgb(color))
    out = []
    for t in np.linspace(-0.45, 0.35, n):
        mixed = rgb * (1 + t) if t < 0 else rgb + (1 - rgb) * t
        out.append(to_hex(np.clip(mixed, 0, 1)))
    return out


def _unknown(kind: str, name: str, known: Iterable[str]) -> UnknownNameError:
    return UnknownNameError(f"unknown {kind} {name!r}{hint(name, known)}")


def _pretty(name: str) -> str:
    return name.replace("_", " ")


def _day_axis(ax: Axes, n_days: int) -> None:
    """Days on x with a major tick at the start of each week (every 2nd/4th week when long)."""
    weeks = max(1, math.ceil(n_days / 7))
    step = 7 * max(1, math.ceil(weeks / 12))
    ax.set_xlim(-0.5, max(n_days, 2) - 0.5)
    ax.xaxis.set_major_locator(FixedLocator(list(range(0, n_days, step))))
    ax.set_xlabel("day")


def _deload_spans(sessions: pd.DataFrame) -> list[tuple[int, int]]:
    """Day ranges [start, end) of the planned deload weeks, adjacent weeks merged."""
    if sessions.empty or "planned_deload" not in sessions:
        return []
    weeks = sorted({int(w) for w in sessions.loc[sessions["planned_deload"].astype(bool), "week"]})
    spans: list[tuple[int, int]] = []
    for w in weeks:
        start, end = 7 * (w - 1), 7 * w
        if spans and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _shade_deloads(ax: Axes, sessions: pd.DataFrame) -> bool:
    spans = _deload_spans(sessions)
    for start, end in spans:
        ax.axvspan(start - 0.5, end - 0.5, color=PALETTE.deload, alpha=0.3, lw=0, zorder=0, gid="deload")
    return bool(spans)


def _event_handles(deloads: bool, failures: bool, auto: bool) -> list[Any]:
    handles: list[Any] = []
    if deloads:
        handles.append(Patch(color=PALETTE.deload, alpha=0.3, lw=0, label="planned deload week"))
    if failures:
        handles.append(
            Line2D([], [], ls="none", marker="x", color=PALETTE.failure, ms=5, label="failed session")
        )
    if auto:
        handles.append(
            Line2D([], [], ls="none", marker="v", color=PALETTE.auto_deload, ms=5, label="auto deload")
        )
    return handles


def _event_days(sessions: pd.DataFrame, column: str) -> list[int]:
    if sessions.empty or column not in sessions:
        return []
    return sorted({int(d) for d in sessions.loc[sessions[column].astype(bool), "day"]})


# ------------------------------------------------------------------------------------ body map


@dataclass(frozen=True)
class Shape:
    """One patch of the body map, in figure units (height 100), for one side of the body."""

    name: str
    view: str
    points: tuple[tuple[float, float], ...] = ()
    ellipse: tuple[float, float, float, float, float] | None = None  # x, y, width, height, angle
    mirror: str = "pair"

    def paths(self) -> list[np.ndarray]:
        """The polygon(s) to draw: one for ``join``, two (right and left side) for ``pair``."""
        pts = np.array(self.points, dtype=float)
        flipped = pts * np.array([-1.0, 1.0])
        if self.mirror == "join":
            return [np.vstack([pts, flipped[::-1]])]
        if self.mirror == "pair":
            return [pts, flipped]
        return [pts]

    def artists(self, dx: float, **style: Any) -> list[Polygon | Ellipse]:
        """Matplotlib patches of this shape shifted by ``dx`` along x."""
        if self.ellipse is not None:
            x, y, w, h, angle = self.ellipse
            spots = [(x, angle), (-x, -angle)] if self.mirror == "pair" and x != 0 else [(x, angle)]
            return [Ellipse((dx + sx, y), w, h, angle=a, **style) for sx, a in spots]
        return [Polygon(p + np.array([dx, 0.0]), closed=True, **style) for p in self.paths()]


def _shape(entry: Mapping[str, Any], name: str, view: str, where: str) -> Shape:
    mirror = str(entry.get("mirror", "pair"))
    if mirror not in ("pair", "join", "none"):
        raise ValidationError(f"{where}: mirror must be 'pair', 'join' or 'none', got {mirror!r}")
    if "center" in entry:
        cx, cy = (float(v) for v in require(entry, "center", list, where))
        ell = (
            cx,
            cy,
            float(require(entry, "width", (int, float), where)),
            float(require(entry, "height", (int, float), where)),
            float(entry.get("angle", 0.0)),
        )
        return Shape(name, view, ellipse=ell, mirror=mirror)
    points = tuple((float(x), float(y)) for x, y in require(entry, "points", list, where))
    if len(points) < 3:
        raise ValidationError(f"{where}: a shape needs at least 3 points")
    return Shape(name, view, points=points, mirror=mirror)


@cache
def body_shapes() -> tuple[tuple[Shape, ...], tuple[Shape, ...]]:
    """The silhouette parts and the muscle shapes of ``chainload/data/body_map.toml``."""
    src = TomlSource(DATA_DIR / "body_map.toml")
    outline = tuple(
        _shape(e, str(e.get("part", "")), "both", src.where("outline", i, e))
        for i, e in enumerate(tables(src.data, "outline", str(src.path)))
    )
    muscles = []
    for i, e in enumerate(tables(src.data, "muscle", str(src.path))):
        where = src.where("muscle", i, e)
        view = require(e, "view", str, where)
        if view not in ("front", "back", "both"):
            raise ValidationError(f"{where}: view must be 'front', 'back' or 'both', got {view!r}")
        muscles.append(_shape(e, require(e, "id", str, where), view, where))
    return outline, tuple(muscles)


BODY_VIEWS: dict[str, float] = {"front": 0.0, "back": 52.0}
"""x offset of each view of the body map (figure units)."""


def body_map(
    values: Mapping[str, float] | pd.Series[float],
    graph: MuscleGraph | None = None,
    title: str = "",
    cmap: str | Colormap = "viridis",
    label: str = "",
    *,
    vmin: float | None = None,
    vmax: float | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Front and back silhouettes with each muscle group filled by its value.

    ``values`` maps muscle ids to numbers (a dict or a Series such as
    ``report.per_muscle(by="total").iloc[:, 0]``). Muscles without a value (or with NaN) are drawn
    light grey; an id that is not in ``graph`` (default: the shipped graph) raises
    :class:`~chainload.UnknownNameError`. The colour scale runs from ``vmin`` to ``vmax`` (default:
    the range of the values) and is shown by a colour bar labelled ``label``.

    Each muscle patch carries the gid ``"muscle:<id>"``; the shapes live in
    ``chainload/data/body_map.toml``.
    """
    g = graph if graph is not None else MuscleGraph.default()
    data: dict[str, float] = {}
    for key, v in dict(values).items():
        muscle = str(key)
        if muscle not in g:
            raise _unknown("muscle", muscle, g.ids)
        data[muscle] = float(v)
    finite = [v for v in data.values() if np.isfinite(v)]
    lo = vmin if vmin is not None else (min(finite) if finite else 0.0)
    hi = vmax if vmax is not None else (max(finite) if finite else 1.0)
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    norm = Normalize(lo, hi)
    cm = colormaps[cmap] if isinstance(cmap, str) else cmap

    fig, ax = _axes(ax, 6.0, 5.4)
    outline, muscles = body_shapes()
    for dx in BODY_VIEWS.values():
        # Outline first with a thick edge, then the fill over it: the parts merge into one figure.
        for part in outline:
            for a in part.artists(dx, facecolor="none", edgecolor=PALETTE.outline, lw=1.6, zorder=1):
                ax.add_patch(a)
        for part in outline:
            for a in part.artists(dx, facecolor=PALETTE.body, edgecolor="none", zorder=2):
                ax.add_patch(a)
    for shape in muscles:
        if shape.name not in g:
            continue
        v = data.get(shape.name, math.nan)
        color = to_hex(cm(norm(v))) if np.isfinite(v) else PALETTE.missing
        views = ("front", "back") if shape.view == "both" else (shape.view,)
        for view in views:
            for a in shape.artists(
                BODY_VIEWS[view],
                facecolor=color,
                edgecolor=PALETTE.muscle_edge,
                lw=0.6,
                zorder=3,
                gid=f"muscle:{shape.name}",
            ):
                ax.add_patch(a)
    for view, dx in BODY_VIEWS.items():
        ax.text(dx, -3.0, view.capitalize(), ha="center", va="top", fontsize=10, color="#333333")
    ax.set_xlim(-26, BODY_VIEWS["back"] + 26)
    ax.set_ylim(-8, 102)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    sm = ScalarMappable(norm=norm, cmap=cm)
    cbar = fig.colorbar(sm, ax=ax, shrink=0.7, pad=0.02, aspect=25)
    if label:
        cbar.set_label(label)
    drawn = {s.name for s in muscles}
    if any(m not in drawn for m in data):
        # A custom graph's muscle with a value but no shape: say so rather than drop it silently.
        missing = ", ".join(sorted(m for m in data if m not in drawn))
        ax.text(0.0, 0.0, f"no shape for: {missing}", transform=ax.transAxes, fontsize=7, color="#666666")
    if any(not np.isfinite(data.get(m, math.nan)) for m in g.ids if m in drawn):
        ax.legend(
            handles=[Patch(facecolor=PALETTE.missing, edgecolor="none", label="no value")],
            loc="upper left",
            frameon=False,
            fontsize=8,
        )
    return fig


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
    for ax, q in zip(axes[:3], QUANTITY_LABELS, strict=True):
        deloads = _shade_deloads(ax, sim.sessions)
        for label, color, style, data in series:
            ax.plot(days, data[q], color=color, ls=style, lw=1.4, label=label)
        ax.set_ylabel(QUANTITY_LABELS[q])
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
    axes[0].set_title(f"{sim.program_name}: per {what} ({sim.model} model)", fontsize=10.5, loc="left")
    return fig


# --------------------------------------------------------------------------------- performance


def _exercise_chain(ex: str, sim: Simulation, catalogue: Catalogue) -> str:
    if ex not in catalogue:
        return "lateral"
    from . import chains

    return chains.chain_of_exercise(catalogue[ex].activation, catalogue.graph)


def _spread(ys: Sequence[float], gap: float, lo: float, hi: float) -> list[float]:
    """Move label positions apart to at least ``gap`` (keeping their order), within [lo, hi]."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    pos = [ys[i] for i in order]
    for _ in range(50):
        moved = False
        for i in range(1, len(pos)):
            if pos[i] - pos[i - 1] < gap - 1e-12:
                mid = (pos[i] + pos[i - 1]) / 2
                pos[i - 1], pos[i] = mid - gap / 2, mid + gap / 2
                moved = True
        shift = max(0.0, lo - pos[0]) if pos else 0.0
        shift -= max(0.0, pos[-1] + shift - hi) if pos else 0.0
        pos = [p + shift for p in pos]
        if not moved:
            break
    out = [0.0] * len(ys)
    for rank, i in enumerate(order):
        out[i] = pos[rank]
    return out


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
    from .catalogue import Catalogue as _Catalogue

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
    cat = catalogue if catalogue is not None else _Catalogue.default()
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


# ------------------------------------------------------------------------------------- balance


def _log_ticks(ax: Axes, lo: float, hi: float) -> None:
    candidates = [0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0, 20.0, 50.0, 100.0]
    ticks = [t for t in candidates if lo <= t <= hi]
    ax.yaxis.set_major_locator(FixedLocator(ticks))
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
    volume share, :mod:`chainload.chains`) and the same per region
    (upper, lower, trunk); ``band`` defaults to the report's own. For a
    :class:`~chainload.Simulation`: the same ratio of the sets performed and that of the
    chains' volume-weighted mean capacity (1 = both chains changed alike). For a balance table by
    calendar week (a log's
    ``balance``, DatetimeIndex): the same lines against dates, weeks without training left as gaps
    (the line breaks) and marked along the x-axis. ``band`` defaults to ``chainload.DEFAULT_BAND``.
    The band patch carries the gid ``"band"``.
    """
    from .simulation import Simulation as _Simulation

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
    elif isinstance(obj, _Simulation):
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
        fig.autofmt_xdate()
        ax.set_xlabel("calendar week (Monday)")
    else:
        weeks = x
        ax.set_xlim(weeks.min() - 0.5, weeks.max() + 0.5)
        ax.xaxis.set_major_locator(FixedLocator([int(w) for w in weeks if len(weeks) <= 16 or w % 2 == 1]))
        ax.set_xlabel("week")
    ax.set_ylabel("posterior : anterior (per-set volume share)")
    kw: dict[str, Any] = {"transform": ax.transAxes, "fontsize": 8, "ha": "right"}
    ax.text(0.99, 0.97, "posterior-dominant ↑", va="top", color=PALETTE.posterior, **kw)
    ax.text(0.99, 0.03, "anterior-dominant ↓", va="bottom", color=PALETTE.anterior, **kw)
    handles, _ = ax.get_legend_handles_labels()
    handles.append(Patch(color=PALETTE.band, alpha=0.25, lw=0, label=f"balanced band {lo:.2f}–{hi:.2f}"))
    if dated:
        handles.append(Patch(color=PALETTE.missing, alpha=0.5, lw=0, label="no training that week"))
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.3 if dated else -0.14), ncols=3,
        frameon=False, fontsize=8,
    )  # fmt: skip
    ax.set_title(title or f"{name}: posterior:anterior balance per week")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


# -------------------------------------------------------------------------------- muscle graph

GRAPH_COLUMNS: dict[str, float] = {"anterior": -1.0, "lateral": 0.0, "posterior": 1.0}
GRAPH_ROWS: tuple[str, ...] = ("upper", "core", "lower")


def _body_heights() -> dict[str, float]:
    """Mean height (figure units, 0 = soles) of each muscle's shape on the body map."""
    out: dict[str, float] = {}
    for shape in body_shapes()[1]:
        if shape.name not in out:
            ys = [p[1] for p in shape.points] or ([shape.ellipse[1]] if shape.ellipse else [])
            if ys:
                out[shape.name] = float(np.mean(ys))
    return out


ANTAGONIST_BEND = 0.07
# Approximate inches per layout unit in the default muscle_graph figure (x, y): distances between
# nodes and links are judged on the page, not in layout units.
_PAGE_SCALE = np.array([1.6, 0.55])


def _edge_path(p: tuple[float, float], q: tuple[float, float], kind: str) -> tuple[np.ndarray, np.ndarray]:
    """The drawn path of a link: straight for synergists, a bow for antagonists."""
    if kind == "antagonist":
        left, right = sorted((p, q))
        return _bezier(left, right, ANTAGONIST_BEND)
    t = np.linspace(0.0, 1.0, 25)
    return p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])


def _clearance(
    pos: Mapping[str, tuple[float, float]],
    links: Sequence[tuple[str, str, str]],
    labels: Mapping[str, str] | None = None,
) -> float:
    """Smallest page distance between a node and a link that does not end at it. Nodes named
    in ``labels`` also count the points of their label (drawn to the right of the node)."""
    names = list(pos)
    points = [pos[n] for n in names]
    for n, text in (labels or {}).items():
        for pt in _label_points(*pos[n], text, "right"):
            names.append(n)
            points.append(pt)
    nodes = np.array(points) * _PAGE_SCALE
    best = math.inf
    for a, b, kind in links:
        xs, ys = _edge_path(pos[a], pos[b], kind)
        path = np.column_stack([xs, ys]) * _PAGE_SCALE
        d = np.sqrt(((nodes[:, None, :] - path[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
        for n, dist in zip(names, d, strict=True):
            if n not in (a, b):
                best = min(best, float(dist))
    return best


def _label_points(x: float, y: float, text: str, side: str) -> list[tuple[float, float]]:
    """Sample points (layout units) covering a node's label drawn right of it or below it."""
    lines = text.split("\n")
    width = 0.034 * max(len(line) for line in lines)
    if side == "below":
        ys = [y - 0.22 - 0.2 * i for i in range(len(lines))]
        return [(x + dx, yy) for yy in ys for dx in np.linspace(-width / 2, width / 2, 5)]
    ys = list(np.linspace(-0.1, 0.1, len(lines))) if len(lines) > 1 else [0.0]
    return [(x + dx, y + float(dy)) for dy in ys for dx in np.linspace(0.12, 0.12 + width, 5)]


def _label_side(
    node: str,
    text: str,
    pos: Mapping[str, tuple[float, float]],
    links: Sequence[tuple[str, str, str]],
) -> str:
    """``"right"`` or ``"below"``: where a middle-column label stays furthest from every link."""
    paths = [np.column_stack(_edge_path(pos[a], pos[b], k)) * _PAGE_SCALE for a, b, k in links]
    best, side = -1.0, "right"
    for candidate in ("right", "below"):
        pts = np.array(_label_points(*pos[node], text, candidate)) * _PAGE_SCALE
        d = min(float(np.sqrt(((pts[:, None, :] - p[None]) ** 2).sum(axis=2)).min()) for p in paths)
        if d > best + 0.02:
            best, side = d, candidate
    return side


def graph_layout(graph: MuscleGraph) -> dict[str, tuple[float, float]]:
    """Node positions of :func:`muscle_graph`.

    x by chain: anterior muscles left (x ≈ -1), lateral in the middle (x ≈ 0), posterior right
    (x ≈ 1). y by region: upper on top, core below it, lower at the bottom (one unit per row).
    Within a (chain, region) cell muscles run top-down in anatomical order (their height on the
    body map; muscles without a shape follow in graph order), nudged alternately sideways so
    that a link between non-neighbours does not run through a node. The lateral muscles of each
    region are shifted as a block (a fraction of a row down, a little sideways) to the place
    that keeps them furthest from the links crossing the middle.
    """
    frame = graph.to_frame()
    height = _body_heights()
    order = {m: i for i, m in enumerate(graph.ids)}

    def anatomical(m: str) -> tuple[int, float, int]:
        h = height.get(m)
        return (0, -h, order[m]) if h is not None else (1, 0.0, order[m])

    cells: dict[str, dict[str, list[str]]] = {}
    for m, row in frame.iterrows():
        cells.setdefault(str(row["region"]), {}).setdefault(str(row["chain"]), []).append(str(m))
    regions = [r for r in GRAPH_ROWS if r in cells] + sorted(r for r in cells if r not in GRAPH_ROWS)
    pos: dict[str, tuple[float, float]] = {}
    middle: list[tuple[list[str], list[tuple[float, float]], bool]] = []  # lateral blocks to place
    top = 0.0
    for region in regions:
        columns = {c: sorted(ms, key=anatomical) for c, ms in cells[region].items()}
        rows = max((len(ms) for c, ms in columns.items() if c in ("anterior", "posterior")), default=0)
        bottom = 0.0
        for chain, members in columns.items():
            n = len(members)
            start = (max(rows, 1) - 1) / 2 - (n - 1) / 2
            x0 = GRAPH_COLUMNS.get(chain, 0.0)
            outward = 1.0 if x0 > 0 else -1.0
            block = []
            for k, m in enumerate(members):
                nudge = 0.16 * outward * (1 if k % 2 else -1) if n >= 3 and x0 != 0 else 0.0
                pos[m] = (x0 + nudge, -(top + start + k))
                block.append(pos[m])
            if x0 == 0:
                middle.append((members, block, rows > 0))
            bottom = max(bottom, start + n - 1 + (0.75 if x0 == 0 and rows > 0 else 0.0))
        top += bottom + 1.2
    links = [(str(r.a), str(r.b), str(r.kind)) for r in graph.links().itertuples(index=False)]
    names = {str(m): str(row["name"]) for m, row in frame.iterrows()}
    for members, block, shift in middle:
        best: tuple[float, float, float] | None = None
        for dy in (0.5, 0.25, 0.75) if shift else (0.0,):
            for dx in (0.0, -0.22, 0.22):
                for m, (x, y) in zip(members, block, strict=True):
                    pos[m] = (x + dx, y - dy)
                score = _clearance(pos, links, {m: _wrap(names[m]) for m in members})
                if best is None or score > best[0] + 1e-9:
                    best = (score, dx, dy)
        assert best is not None
        for m, (x, y) in zip(members, block, strict=True):
            pos[m] = (x + best[1], y - best[2])
    return pos


def _wrap(name: str, width: int = 18) -> str:
    """Break a long display name in two at its middle-most space."""
    if len(name) <= width or " " not in name:
        return name
    spaces = [i for i, ch in enumerate(name) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(name) / 2))
    return name[:cut] + "\n" + name[cut + 1 :]


def _bezier(p: tuple[float, float], q: tuple[float, float], bend: float) -> tuple[np.ndarray, np.ndarray]:
    """A quadratic Bézier from p to q bowed sideways by ``bend`` × the chord length."""
    (x0, y0), (x1, y1) = p, q
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = x1 - x0, y1 - y0
    cx, cy = mx - dy * bend, my + dx * bend
    t = np.linspace(0, 1, 40)
    xs = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1
    ys = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1
    return xs, ys


def muscle_graph(graph: MuscleGraph | None = None, *, ax: Axes | None = None) -> Figure:
    """The muscle graph laid out front/back: anterior muscles left, posterior right, lateral in
    the middle, upper body on top. Synergist links are solid (width by weight), antagonist pairs
    dashed and curved; nodes are coloured by chain and sized by muscle size.

    Each edge is one Line2D with the gid ``"edge:<kind>:<a>:<b>"``.
    """
    g = graph if graph is not None else MuscleGraph.default()
    nxg = g.to_networkx()
    pos = graph_layout(g)
    links = [(str(r.a), str(r.b), str(r.kind)) for r in g.links().itertuples(index=False)]
    fig, ax = _axes(ax, 7.6, 7.4)
    for a, b, attrs in nxg.edges(data=True):
        kind = str(attrs.get("kind", "synergist"))
        w = float(attrs.get("weight", 1.0))
        if kind == "antagonist":
            xs, ys = _edge_path(pos[a], pos[b], kind)
            ax.plot(
                xs,
                ys,
                color=PALETTE.antagonist,
                ls=(0, (4, 2.5)),
                lw=1.3,
                zorder=1,
                gid=f"edge:{kind}:{a}:{b}",
            )
        else:
            (x0, y0), (x1, y1) = pos[a], pos[b]
            ax.plot(
                [x0, x1],
                [y0, y1],
                color=PALETTE.synergist,
                lw=0.5 + 2.5 * w,
                alpha=0.55 + 0.35 * w,
                solid_capstyle="round",
                zorder=2,
                gid=f"edge:{kind}:{a}:{b}",
            )
    sizes = {str(n): float(d.get("size", 0.02)) for n, d in nxg.nodes(data=True)}
    smax = max(sizes.values()) if sizes else 1.0
    area = {n: 50 + 300 * v / smax for n, v in sizes.items()}  # marker area, points²
    for chain in CHAINS:
        nodes = [str(n) for n, d in nxg.nodes(data=True) if d.get("chain") == chain]
        if not nodes:
            continue
        ax.scatter(
            [pos[n][0] for n in nodes],
            [pos[n][1] for n in nodes],
            s=[area[n] for n in nodes],
            color=CHAIN_COLORS[chain],
            edgecolors="white",
            linewidths=1.2,
            zorder=3,
            gid=f"nodes:{chain}",
        )
    for n, d in nxg.nodes(data=True):
        x, y = pos[str(n)]
        chain = d.get("chain")
        text = _wrap(str(d.get("name", n)))
        gap = math.sqrt(area[str(n)] / math.pi) + 3
        side = {"anterior": "left", "posterior": "right"}.get(str(chain)) or _label_side(
            str(n), text, pos, links
        )
        offset = {"left": (-gap, 0.0), "right": (gap, 0.0), "below": (0.0, -gap)}[side]
        ax.annotate(
            text,
            (x, y),
            xytext=offset,
            textcoords="offset points",
            ha={"left": "right", "right": "left", "below": "center"}[side],
            va="top" if side == "below" else "center",
            fontsize=7.5,
            linespacing=1.0,
            zorder=4,
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85},
        )
    node_ys = [p[1] for p in pos.values()] or [0.0]
    ax.set_xlim(-2.3, 2.3)
    ax.set_ylim(min(node_ys) - 0.9, max(node_ys) + 1.1)
    headers = {"anterior": "anterior (front)", "lateral": "lateral", "posterior": "posterior (back)"}
    for chain, x in GRAPH_COLUMNS.items():
        ax.text(
            x,
            max(node_ys) + 0.8,
            headers[chain],
            ha="center",
            va="bottom",
            fontsize=10,
            color=CHAIN_COLORS[chain],
            weight="bold",
        )
    for region in GRAPH_ROWS:
        members = [pos[m] for m in g.region(region) if m in pos]
        if members:
            ymid = float(np.mean([p[1] for p in members]))
            ax.text(
                -2.25,
                ymid,
                region,
                rotation=90,
                ha="left",
                va="center",
                fontsize=9,
                color="#808080",
                style="italic",
            )
    ax.set_axis_off()
    handles = [
        Line2D([], [], color=PALETTE.synergist, lw=0.5 + 2.5 * 1.0, label="synergist, weight 1"),
        Line2D(
            [], [], color=PALETTE.synergist, lw=0.5 + 2.5 * 0.5, alpha=0.72, label="synergist, weight 0.5"
        ),
        Line2D(
            [], [], color=PALETTE.synergist, lw=0.5 + 2.5 * 0.25, alpha=0.64, label="synergist, weight 0.25"
        ),
        Line2D([], [], color=PALETTE.antagonist, ls=(0, (4, 2.5)), lw=1.3, label="antagonist pair"),
    ]
    ax.legend(
        handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.06), ncols=2, frameon=False, fontsize=8
    )
    ax.set_title("Muscle graph: synergists and antagonists")
    return fig


# ----------------------------------------------------------------------- comparison and Pareto


COLUMN_TITLES: dict[str, str] = {
    "posterior_anterior": "posterior:anterior (dose)",
    "capacity_post_ant": "posterior:anterior (capacity)",
    "capacity_posterior_anterior": "posterior:anterior (capacity)",
    "mean_gain_pct": "mean 1RM gain (%)",
    "peak_fatigue": "peak fatigue (a.u.)",
}
"""Panel titles of :func:`compare` for the columns of ``chainload compare``."""


def _is_ratio(column: str) -> bool:
    return ":" in column or "posterior_anterior" in column or column.endswith("post_ant")


def compare(
    table: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    band: tuple[float, float] | None = DEFAULT_BAND,
    ncols: int = 4,
    title: str = "",
) -> Figure:
    """Programs (rows of ``table``) compared on outcome columns: one small bar panel per column.

    ``table`` is what ``chainload compare`` prints (index: program names). ``columns`` picks and
    orders the outcomes (default: every numeric column). Ratio columns (a name with ``:`` or
    ``posterior_anterior``) get a dotted line at 1; the ``posterior_anterior`` panel also shows the
    target ``band`` (``None`` to leave it out). Each program keeps one colour across panels.
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
        ax.set_title(COLUMN_TITLES.get(col, _pretty(col)), fontsize=9)
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
        for k, (name, px, py) in enumerate(zip(names, fx, fy, strict=True)):
            above = k % 2 == 0  # alternate above/below: neighbours on the front do not collide
            ax.annotate(
                name,
                (px, py),
                xytext=(4, 5) if above else (4, -5),
                textcoords="offset points",
                va="bottom" if above else "top",
                fontsize=7.5,
            )
    arrow = {True: "→ better", False: "← better"}
    ax.set_xlabel(f"{_pretty(x)}  ({arrow[maximize[0]]})")
    ax.set_ylabel(f"{_pretty(y)}  ({'↑ better' if maximize[1] else '↓ better'})")
    ax.legend(frameon=False, fontsize=8)
    ax.grid(True, color="#EBEBEB", lw=0.6, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


__all__ = [
    "BODY_VIEWS",
    "CHAIN_COLORS",
    "OKABE_ITO",
    "PALETTE",
    "Palette",
    "balance_over_time",
    "body_map",
    "body_shapes",
    "compare",
    "fitness_fatigue",
    "graph_layout",
    "muscle_graph",
    "pareto",
    "pareto_front",
    "performance",
]


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
    fig, ax = _axes(ax, 1.6 + 1.3 * len(result.variants), 3.6)
    data = [g[outcome].dropna().to_numpy() for _, g in result.outcomes.groupby("variant")]
    names = [
        _wrap(str(v.label["program"]) if set(v.label) == {"program"} else v.name, 16) for v in result.variants
    ]
    box = ax.boxplot(data, patch_artist=True, widths=0.55, showfliers=False)
    for i, patch in enumerate(box["boxes"]):
        patch.set_facecolor(PALETTE.categorical[i % len(PALETTE.categorical)])
        patch.set_alpha(0.75)
    ax.set_xticks(range(1, len(names) + 1), names, fontsize=8)
    label = "mean 1RM gain over the program's lifts (%)" if outcome == "strength_gain" else _pretty(outcome)
    ax.set_ylabel(label)
    ax.set_title(f"{_pretty(outcome)} across {result.outcomes['athlete'].nunique()} virtual athletes")
    ax.grid(axis="y", alpha=0.3)
    return fig

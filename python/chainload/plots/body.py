"""The body map: front and back silhouettes with each muscle group filled by its value."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Colormap, Normalize, to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse, Patch, Polygon

from .._files import DATA_DIR, TomlSource, require, tables
from ..analysis import Report
from ..errors import ValidationError
from ..graph import MuscleGraph
from ..simulation import Simulation
from ._registry import register
from ._style import PALETTE, _axes, _spread, _unknown

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


LABEL_MARGIN = 22.0
"""Width (figure units) of the label column beside each view."""


def _anchor(shape: Shape, side: float) -> tuple[float, float]:
    """A point inside the patch of ``shape`` on the labelled side (x < 0 left, x > 0 right)."""
    if shape.ellipse is not None:
        x, y = shape.ellipse[0], shape.ellipse[1]
        return (abs(x) * side if shape.mirror == "pair" else x, y)
    pts = np.array(shape.points, dtype=float)
    x, y = float(pts[:, 0].mean()), float(pts[:, 1].mean())
    if shape.mirror == "pair":
        x = abs(x) * side
    elif shape.mirror == "join":
        x = 0.0
    return (x, y)


def _label_muscles(ax: Axes, muscles: tuple[Shape, ...], g: MuscleGraph) -> None:
    names = {str(m): str(row["name"]) for m, row in g.to_frame().iterrows()}
    placed: set[str] = set()
    for view, side in (("front", -1.0), ("back", 1.0)):
        dx = BODY_VIEWS[view]
        items = []
        for shape in muscles:
            if shape.name in g and shape.name not in placed and shape.view in (view, "both"):
                placed.add(shape.name)
                x, y = _anchor(shape, side)
                items.append((names.get(shape.name, shape.name), dx + x, y))
        if not items:
            continue
        ys = _spread([y for _, _, y in items], 4.6, 2.0, 98.0)
        column = dx + side * 27.0
        for (text, x, y), y_text in zip(items, ys, strict=True):
            ax.plot([x, column - side * 0.6], [y, y_text], color="#9A9A9A", lw=0.4, zorder=4)
            ax.text(column, y_text, text, ha="right" if side < 0 else "left", va="center", fontsize=6,
                    color="#333333", zorder=5)  # fmt: skip


def body_map(
    values: Mapping[str, float] | pd.Series[float],
    graph: MuscleGraph | None = None,
    title: str = "",
    cmap: str | Colormap = "viridis",
    label: str = "",
    *,
    vmin: float | None = None,
    vmax: float | None = None,
    labels: bool = True,
    ax: Axes | None = None,
) -> Figure:
    """Front and back silhouettes with each muscle group filled by its value.

    With ``labels`` each muscle drawn is named once, beside the view it is drawn on (front
    muscles to the left, back muscles to the right), joined to its patch by a thin line.

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

    fig, ax = _axes(ax, 7.6, 5.0) if labels else _axes(ax, 6.0, 5.4)
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
    margin = LABEL_MARGIN if labels else 0.0
    if labels:
        _label_muscles(ax, muscles, g)
    ax.set_xlim(-26 - margin, BODY_VIEWS["back"] + 26 + margin)
    ax.set_ylim(-8, 102)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(textwrap.fill(title, 80 if labels else 60), fontsize=10)
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


@register(Report, "body_map")
def _report_body_map(report: Report, ax: Axes | None) -> Figure:
    weekly = report.per_muscle("fractional_sets", by="week").mean()
    s = report.summary()
    title = (
        f"{report.program.name}: posterior:anterior {s['posterior_anterior']:.2f}"
        f" (upper {s['posterior_anterior_upper']:.2f}, lower {s['posterior_anterior_lower']:.2f},"
        f" trunk {s['posterior_anterior_trunk']:.2f})"
    )
    return body_map(weekly, report.graph, title=title, label="fractional sets / week", ax=ax)


@register(Simulation, "body_map")
def _simulation_body_map(sim: Simulation, ax: Axes | None) -> Figure:
    weekly = pd.Series(sim.arrays["dose"].sum(axis=0) / (sim.n_days / 7), index=sim.muscle_ids)
    return body_map(weekly, title=sim.program_name, label="effort-weighted sets / week", ax=ax)

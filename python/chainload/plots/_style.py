"""The one palette and the drawing helpers every chainload figure shares."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator

from .._names import hint
from ..errors import UnknownNameError, ValidationError
from ..graph import CHAINS

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
    passed: str = OKABE_ITO["bluish_green"]  # a validation check inside its published band
    failed: str = OKABE_ITO["orange"]  # a validation check outside it, or not computable
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
    "fitness": "fitness (a.u.: decayed effort-weighted sets)",
    "fatigue": "fatigue (a.u.: decayed effort-weighted sets)",
    "capacity": "capacity (× start)",
}
"""Axis labels of the Banister-family models' state (banister, busso, saturating): fitness and
fatigue are the decayed sums of each day's effort-weighted fractional sets (DESIGN.md "Dose")."""

SIZE_NEURAL_LABELS: dict[str, str] = {
    "fitness": "size gain (fraction of start)",
    "fatigue": "acute fatigue (fraction of force)",
    "capacity": "capacity (× start)",
}
"""The same for size_neural, whose state is a size and two fatigue compartments: the simulator
records size − 1 as fitness and F1 + F2 (fractions of force) as fatigue (docs/model.md)."""


def quantity_labels(model: str) -> dict[str, str]:
    """The axis label of each state quantity of a simulation run with ``model``."""
    return SIZE_NEURAL_LABELS if model == "size_neural" else QUANTITY_LABELS


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

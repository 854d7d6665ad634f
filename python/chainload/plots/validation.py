"""The validation figure: one finding's checks against their published bands."""

from __future__ import annotations

import math

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..validation import Finding
from ._registry import register, single_panel
from ._style import PALETTE


def finding_checks(finding: Finding) -> Figure:
    """Each check of ``finding``: its simulated value (dot: bluish green when it passes, orange
    when not, a cross at the axis when not computable on this engine) against its tolerance
    band (shaded), with the published target in the panel's title. One panel per check."""
    t = finding.checks
    height = 0.55 + 0.62 * len(t)
    fig = Figure(figsize=(7.5, height))
    axes = fig.subplots(len(t), 1, squeeze=False)[:, 0]
    # fixed margins (a constrained layout costs ~0.5 s per figure)
    fig.subplots_adjust(left=0.03, right=0.98, bottom=0.3 / height, top=1 - 0.45 / height, hspace=1.7)
    for ax, r in zip(axes, t.to_dict("records"), strict=True):
        lo, hi, v = float(r["low"]), float(r["high"]), float(r["simulated"])
        finite = [x for x in (lo, hi, v) if math.isfinite(x)]
        span = (max(finite) - min(finite)) if len(finite) > 1 else (abs(finite[0]) if finite else 1.0)
        pad = 0.25 * span if span > 0 else 1.0
        left = min(finite) - pad if finite else -1.0
        right = max(finite) + pad if finite else 1.0
        band = (lo if math.isfinite(lo) else left, hi if math.isfinite(hi) else right)
        ax.axvspan(*band, color=PALETTE.band, alpha=0.18)
        if math.isfinite(v):
            ax.plot([v], [0], "o", color=PALETTE.passed if r["pass"] else PALETTE.failed, ms=8)
        else:
            ax.plot([left], [0], "x", color=PALETTE.failed, ms=9, mew=2, clip_on=False)  # at the edge
            ax.annotate(
                "  not computable on this engine", (left, 0), va="center", fontsize=7, color=PALETTE.failed
            )
        ax.set_xlim(left, right)
        ax.set_yticks([])
        label = f"{r['check']}  —  published {r['published']}; band {r['tolerance']}"
        ax.set_title(label if len(label) < 110 else label[:108] + "…", fontsize=7.5, loc="left")
        ax.tick_params(labelsize=7)
    model = str(t["model"].iloc[0])
    title = finding.title or f"{finding.id} ({model} model): simulated (dot) vs published band (shaded)"
    fig.suptitle(title, fontsize=9)
    return fig


@register(Finding, "checks", default=True)
def _finding_checks(finding: Finding, ax: Axes | None) -> Figure:
    single_panel("validation checks", ax)
    return finding_checks(finding)

"""Figures of chainload: one registry, :func:`plot`, and one module per family of figures.

``plot(obj, kind=None, *, ax=None)`` draws any object that has figures (a Report, a Simulation,
a SweepResult, a MuscleGraph, a Fit, a log's weekly balance table, a validation Finding);
:func:`kinds` lists an object's kinds, the first being its default. Each domain object's
``.plot(kind, ax=ax)`` is the same call. The families: :mod:`.body` (body map),
:mod:`.adaptation` (fitness, fatigue, capacity, 1RM over days), :mod:`.balance`
(posterior:anterior per week), :mod:`.graph` (the muscle graph), :mod:`.comparison` (programs
and variants side by side, Pareto front, box plots), :mod:`.fit` (a fitted model with residuals
and prediction band), :mod:`.validation` (a finding's checks against their published bands);
:mod:`._style` holds the one palette.

Every function draws with matplotlib only (no pyplot state: figures are built on
:class:`matplotlib.figure.Figure` and work under the Agg backend) and returns the Figure; the
single-panel ones take ``ax=``. The palette, :data:`PALETTE`, is Okabe–Ito, safe for the common
colour-vision deficiencies, with the posterior chain in blue, the anterior chain in vermillion
and the lateral muscles in grey.

    import chainload as cl
    from chainload import plots

    sim = cl.simulate(cl.Program.examples()["posterior_chain"], weeks=12)
    plots.plot(sim, "fitness_fatigue").savefig("fitness_fatigue.png")
    plots.body_map(sim.capacity().iloc[-1] - 1, label="capacity gain").savefig("map.png")
"""

from __future__ import annotations

from ._registry import kinds, plot, register
from ._style import CHAIN_COLORS, OKABE_ITO, PALETTE, QUANTITY_LABELS, Palette, quantity_labels
from .adaptation import fitness_fatigue, performance
from .balance import balance_over_time
from .body import BODY_VIEWS, body_map, body_shapes
from .comparison import compare, distributions, pareto, pareto_front
from .fit import fit_figure, prediction_halfwidth
from .graph import graph_layout, muscle_graph
from .validation import finding_checks

__all__ = [
    "BODY_VIEWS",
    "CHAIN_COLORS",
    "OKABE_ITO",
    "PALETTE",
    "QUANTITY_LABELS",
    "Palette",
    "balance_over_time",
    "body_map",
    "body_shapes",
    "compare",
    "distributions",
    "finding_checks",
    "fit_figure",
    "fitness_fatigue",
    "graph_layout",
    "kinds",
    "muscle_graph",
    "pareto",
    "pareto_front",
    "performance",
    "plot",
    "prediction_halfwidth",
    "quantity_labels",
    "register",
]

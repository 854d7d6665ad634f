"""chainload: muscle-graph training-load simulation.

A C++ core (Boost.Graph, Eigen) models the muscle groups as a graph, turns programs into
per-muscle dose, measures posterior:anterior balance and simulates adaptation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _display, chains, config, logs, validation
from ._checks import check_constructor, checked
from .analysis import DEFAULT_BAND, METRICS, Report, analyze, dose
from .athlete import Athlete
from .athlete_fit import AthleteFit, fit_athlete
from .catalogue import Catalogue, Exercise
from .errors import Error, FileFormatError, ResourceError, UnknownNameError, ValidationError
from .fit import Fit, fit, fit_series
from .graph import Muscle, MuscleGraph
from .logs import e1rm, read_log
from .monitoring import acwr, monotony, strain
from .population import Population
from .program import Prescription, Program, Progression, Session
from .simulation import (
    DEFAULT_MODEL,
    DEFAULT_PARAMS,
    MODELS,
    BatchOutcome,
    Simulation,
    banister,
    recovery,
    run_batch,
    simulate,
)
from .sweep import SweepResult, Variant, compare_models, sweep, vary
from .trial import Trial, compare, trial

# The public entry points check their arguments' types first (chainload._checks): a wrong type
# is a TypeError naming the function and the argument, never an AttributeError from inside.
acwr, analyze, banister, compare, compare_models, dose, e1rm = map(
    checked, (acwr, analyze, banister, compare, compare_models, dose, e1rm)
)
fit, fit_athlete, fit_series, monotony, read_log, recovery = map(
    checked, (fit, fit_athlete, fit_series, monotony, read_log, recovery)
)
run_batch, simulate, strain, sweep, trial, vary = map(
    checked, (run_batch, simulate, strain, sweep, trial, vary)
)
_sample: Any = vars(Population)["sample"]
setattr(Population, "sample", classmethod(checked(_sample.__func__)))  # noqa: B010 - mypy: a method
for _cls in (Athlete, Variant):
    check_constructor(_cls)
del _cls, _sample

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _draw(obj: object, kind: str | None, ax: Any) -> Figure:
    # The package root is the one place that knows both the domain and the figures: it hands
    # the figure registry to every .plot() method, imported on the first figure only.
    from .plots import plot

    return plot(obj, kind, ax=ax)


_display.install(_draw)


def __getattr__(name: str) -> str:
    # __version__ is read from the installed metadata on first use: importlib.metadata was about
    # a tenth of `import chainload`'s time.
    if name != "__version__":
        raise AttributeError(f"module 'chainload' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("chainload")
    except PackageNotFoundError:  # pragma: no cover
        value = "0+unknown"
    globals()["__version__"] = value
    return value


__all__ = [
    "DEFAULT_BAND",
    "DEFAULT_MODEL",
    "DEFAULT_PARAMS",
    "METRICS",
    "MODELS",
    "Athlete",
    "AthleteFit",
    "BatchOutcome",
    "Catalogue",
    "Error",
    "Exercise",
    "FileFormatError",
    "Fit",
    "Muscle",
    "MuscleGraph",
    "Population",
    "Prescription",
    "Program",
    "Progression",
    "Report",
    "ResourceError",
    "Session",
    "Simulation",
    "SweepResult",
    "Trial",
    "UnknownNameError",
    "ValidationError",
    "Variant",
    "__version__",
    "acwr",
    "analyze",
    "banister",
    "chains",
    "compare",
    "compare_models",
    "config",
    "dose",
    "e1rm",
    "fit",
    "fit_athlete",
    "fit_series",
    "logs",
    "monotony",
    "read_log",
    "recovery",
    "run_batch",
    "simulate",
    "strain",
    "sweep",
    "trial",
    "validation",
    "vary",
]

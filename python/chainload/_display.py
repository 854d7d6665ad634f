"""The one door from a domain object's ``.plot()`` to the figures, kept free of matplotlib.

The domain modules (graph, analysis, simulation, sweep, fit, ...) never import
:mod:`chainload.plots`: their ``.plot()`` calls :func:`draw`, and the package root
(``chainload/__init__.py``, the one place that knows both sides) installs the figure registry
as the drawer. The dependency runs one way, figures → domain, and ``import chainload`` does not
load matplotlib until the first figure is drawn (DESIGN.md "Package layout").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .errors import ResourceError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Drawer = Callable[[object, "str | None", Any], "Figure"]
_drawer: Drawer | None = None


def install(drawer: Drawer) -> None:
    """Make ``drawer(obj, kind, ax)`` the function every ``.plot()`` method calls."""
    global _drawer
    _drawer = drawer


def draw(obj: object, kind: str | None, ax: Any) -> Figure:
    """Draw ``obj`` as figure ``kind`` (None: its default) into ``ax`` or a new Figure."""
    if _drawer is None:  # pragma: no cover - the package root installs it on import
        raise ResourceError("no figure drawer installed (import chainload, not a submodule alone)")
    return _drawer(obj, kind, ax)

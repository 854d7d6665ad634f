"""The registry behind :func:`chainload.plots.plot`: for each type of object, its figure kinds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .._names import hint
from ..errors import UnknownInputNameError, ValidationError

Draw = Callable[[Any, Axes | None], Figure]
F = TypeVar("F", bound=Draw)

_KINDS: dict[type, dict[str, Draw]] = {}  # per type, its kinds in registration order


def register(cls: type, kind: str, *, default: bool = False) -> Callable[[F], F]:
    """Register ``draw(obj, ax)`` as figure ``kind`` of ``cls``; ``default=True`` makes it the
    kind drawn when none is named (otherwise the first kind registered is the default)."""

    def add(draw: F) -> F:
        kinds = _KINDS.setdefault(cls, {})
        if kind in kinds:
            raise ValidationError(f"figure kind {kind!r} of {cls.__name__} is registered twice")
        kinds[kind] = draw
        if default:
            _KINDS[cls] = {kind: draw, **{k: v for k, v in kinds.items() if k != kind}}
        return draw

    return add


def kinds(obj: object) -> list[str]:
    """The figure kinds of ``obj`` (the first is its default); empty when it has none."""
    for cls in type(obj).__mro__:
        if cls in _KINDS:
            return list(_KINDS[cls])
    return []


def plot(obj: object, kind: str | None = None, *, ax: Axes | None = None) -> Figure:
    """Draw ``obj`` as figure ``kind`` (default: the object's first kind, see :func:`kinds`).

    With ``ax`` a single-panel figure is drawn into that Axes; a figure of several panels
    raises :class:`~chainload.ValidationError` instead. Returns the Figure.
    """
    table = next((_KINDS[c] for c in type(obj).__mro__ if c in _KINDS), None)
    if table is None:
        raise ValidationError(f"no figure for a {type(obj).__name__}")
    name = next(iter(table)) if kind is None else kind
    if name not in table:
        known = ", ".join(table)
        raise UnknownInputNameError(
            f"unknown figure kind {name!r} of {type(obj).__name__}{hint(name, table)} (kinds: {known})"
        )
    return table[name](obj, ax)


def single_panel(name: str, ax: Axes | None) -> None:
    """Refuse ``ax`` for a figure of several panels, naming it."""
    if ax is not None:
        raise ValidationError(f"the {name} figure has several panels and cannot be drawn into one ax")

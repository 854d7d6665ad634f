"""One exception hierarchy at the public entry points (issue 14 must-have 7).

The functions of ``chainload.__all__`` (and the Athlete and Variant constructors) are wrapped so
that a bare builtin error from inside them (``AttributeError``, ``'int' object is not iterable``)
is explained: the arguments' types are then checked against the function's annotations and a
wrong one is a ``TypeError`` naming the function, the argument, what it expects and what it got;
any other builtin outside ValueError/KeyError/TypeError becomes a ``chainload.Error`` naming the
function. The functions' own errors (chainload.Error, with their wording) pass unchanged, so the
check costs nothing on a good call and never replaces a function's own message. The type check
is shallow where a deep one would cost (the first 1000 items of a container; array-likes, ``Any``
and types it cannot resolve accept everything).
"""

from __future__ import annotations

import collections.abc as abc
import functools
import inspect
import os
import re
import sys
import types
import typing
from typing import Any

import numpy as np

_ITEMS_CHECKED = 1000  # engine choice: the check stays O(1) on a large container
_UNCHECKED = object()
_ARRAY_LIKE = object()  # numbers, or a (nested) sequence or array of numbers


def _hints(func: Any) -> dict[str, Any]:
    """Resolved annotations, one by one: a name that cannot be resolved (an import only under
    TYPE_CHECKING, a numpy typing alias) is not checked."""
    raw = getattr(func, "__annotations__", {})
    module = inspect.getmodule(func)
    # the public names first: a module may import its annotations' classes only for type checking.
    # The package is read from sys.modules, not imported: the root applies these wrappers, so it is
    # loaded by the time a call is checked, and this module stays a leaf of the import graph.
    package = sys.modules.get(__package__ or "chainload")
    scope = {
        **(vars(package) if package else {}),
        **(vars(module) if module else {}),
        "Any": Any,
        "typing": typing,
    }
    out: dict[str, Any] = {}
    for name, ann in raw.items():
        if name == "return":
            continue
        if isinstance(ann, str) and "ArrayLike" in ann:
            ann = _ARRAY_LIKE
        elif isinstance(ann, str):
            try:
                ann = eval(ann, scope)
            except Exception:  # an alias only importable under TYPE_CHECKING
                ann = _UNCHECKED
        out[name] = ann
    return out


def _ok(value: Any, ann: Any) -> bool:
    if ann is _UNCHECKED or ann is Any or ann is inspect.Parameter.empty or isinstance(ann, typing.TypeVar):
        return True
    if ann is _ARRAY_LIKE:
        try:
            return np.asarray(value).dtype.kind in "biuf"
        except (TypeError, ValueError):
            return False
    if ann is None or ann is type(None):
        return value is None
    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if origin is typing.Union or origin is types.UnionType:
        return any(_ok(value, a) for a in args)
    if origin is typing.Literal:  # membership is the function's check (with its suggestions)
        return any(isinstance(value, type(a)) for a in args)
    # a bool where a number is asked passes: the functions refuse it with their own wording
    if ann is float:
        return isinstance(value, int | float | np.integer | np.floating)
    if ann is int:
        return isinstance(value, int | np.integer)
    if ann is bool:
        return isinstance(value, bool | np.bool_)
    if ann is str:
        return isinstance(value, str)
    if ann is os.PathLike or getattr(ann, "__name__", "") in ("Path", "PurePath"):
        return isinstance(value, str | os.PathLike)
    if origin in (abc.Mapping, dict, abc.MutableMapping):
        if not isinstance(value, abc.Mapping):
            return False
        kt, vt = (*args, Any, Any)[:2]
        items = list(value.items())[:_ITEMS_CHECKED]
        return all(_ok(k, kt) and _ok(v, vt) for k, v in items)
    if origin is tuple:
        if isinstance(value, str | bytes) or not isinstance(value, abc.Sequence | np.ndarray):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_ok(v, args[0]) for v in list(value)[:_ITEMS_CHECKED])
        return len(value) == len(args) and all(_ok(v, a) for v, a in zip(value, args, strict=True))
    if origin in (abc.Sequence, list, abc.Iterable, abc.Collection):
        item = args[0] if args else Any
        if isinstance(value, str):  # a bare name where a list of names is asked: the function decides
            return _ok(value, item)
        if origin is abc.Iterable:
            if not isinstance(value, abc.Iterable):
                return False
            if not isinstance(value, abc.Collection):  # do not consume a generator
                return True
        elif not isinstance(value, abc.Sequence | np.ndarray):
            return False
        return all(_ok(v, item) for v in list(value)[:_ITEMS_CHECKED])
    if origin is abc.Callable or ann is abc.Callable:
        return callable(value)
    if origin is not None:
        return True  # another generic: not checked
    if isinstance(ann, type):
        try:
            return isinstance(value, ann)
        except TypeError:  # a protocol that is not runtime-checkable
            return True
    return True


def _describe(ann: Any) -> str:
    text = str(ann) if not isinstance(ann, type) else ann.__name__
    for prefix in ("typing.", "collections.abc.", "chainload.", "pathlib."):
        text = text.replace(prefix, "")
    return text.replace("NoneType", "None")


def check_arguments(where: str, signature: inspect.Signature, hints: dict[str, Any], bound: Any) -> None:
    """Raise TypeError "<where>: <argument> must be <type>, got <value>" for the first argument
    whose type does not match its annotation."""
    for name, value in bound.arguments.items():
        param = signature.parameters[name]
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        ann = hints.get(name, _UNCHECKED)
        if not _ok(value, ann):
            raise TypeError(f"{where}: {name} must be {_describe(ann)}, got {_show(value)}")


def _first_wrong(hints: dict[str, Any], bound: Any) -> str | None:
    for name, value in bound.arguments.items():
        if name in hints and not _ok(value, hints[name]):
            return str(name)
    return None


def _show(value: Any) -> str:
    """The value in a message: its repr cut at 80 characters, or its type when that spans lines."""
    text = repr(value)
    return f"a {type(value).__name__}" if "\n" in text else f"{text:.80}"


def _reraise(
    where: str, signature: inspect.Signature, hints: dict[str, Any], bound: Any, e: Exception
) -> None:
    """A bare builtin error left the function: when an argument has the wrong type, raise the
    TypeError naming it instead; otherwise a builtin outside ValueError/KeyError/TypeError
    becomes a chainload.Error naming the function (the original chained for the traceback)."""
    from .errors import Error

    wrong = _first_wrong(hints, bound)
    # a builtin error that already names the wrong argument (as a word) is the function's own
    named = wrong is not None and re.search(rf"\b{re.escape(wrong)}\b", str(e), re.IGNORECASE)
    if wrong is not None and not (isinstance(e, ValueError | KeyError | TypeError) and named):
        check_arguments(where, signature, hints, bound)
    if not isinstance(e, ValueError | KeyError | TypeError):
        raise Error(f"{where}: {type(e).__name__}: {e}") from e


def checked(func: Any) -> Any:
    """``func`` whose bare builtin errors are explained: a wrong argument type is a TypeError
    naming the argument, and no AttributeError, IndexError ... leaves it (see the module)."""
    from .errors import Error

    signature = inspect.signature(func)
    hints = _hints(func)
    where = f"{func.__name__}()"

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{where}: {e}") from None
        try:
            return func(*args, **kwargs)
        except Error:
            raise
        except Exception as e:
            _reraise(where, signature, hints, bound, e)
            raise

    return wrapper


def check_constructor(cls: type) -> None:
    """The same for ``cls(...)`` (a dataclass), against its field annotations."""
    from .errors import Error

    init = cls.__init__  # type: ignore[misc]
    signature = inspect.signature(init)
    hints: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if klass is not object:
            hints.update(_hints(klass))
    where = f"{cls.__name__}()"

    @functools.wraps(init)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
        try:
            bound = signature.bind(self, *args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{where}: {e}") from None
        try:
            init(self, *args, **kwargs)
        except Error:
            raise
        except Exception as e:
            bound.arguments.pop(next(iter(signature.parameters)))
            _reraise(where, signature, hints, bound, e)
            raise

    cls.__init__ = wrapper  # type: ignore[misc]

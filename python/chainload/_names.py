"""The package's one "did you mean" helper: every lookup of a name (muscle, exercise, outcome,
key of a data file ...) that fails suggests the nearest valid names the same way.

Nearness is the edit distance of the C++ core (``_core.nearest_names``: Levenshtein, ties in the
candidates' order, only names within max(2, half their length) of the query), so that the
messages of the core and of Python agree.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import Any

from . import _core
from .errors import UnknownInputNameError, UnknownKeyWarning, ValidationError


def nearest(name: str, candidates: Iterable[str], k: int = 3) -> list[str]:
    """Up to ``k`` candidates nearest to ``name`` (see the module docstring)."""
    return list(_core.nearest_names(str(name), [str(c) for c in candidates], k))


def hint(name: str, candidates: Iterable[str], k: int = 3) -> str:
    """ "; did you mean 'a', 'b'?" or "" when no candidate is near."""
    near = nearest(name, candidates, k)
    return f"; did you mean {', '.join(map(repr, near))}?" if near else ""


def unknown(what: str, name: object, candidates: Iterable[str], where: str = "") -> UnknownInputNameError:
    """The error for ``name``, to raise (an UnknownNameError and a ValidationError):
    "<where>: unknown <what> 'x'; did you mean ...?"."""
    cands = [str(c) for c in candidates]
    prefix = f"{where}: " if where else ""
    text = f"{prefix}unknown {what} {str(name)!r}{hint(str(name), cands)}"
    if not hint(str(name), cands) and cands and len(cands) <= 30:
        text += f" (known: {', '.join(cands)})"
    return UnknownInputNameError(text)


def check_keys(
    data: Mapping[str, Any],
    allowed: Iterable[str],
    where: str,
    *,
    strict: bool = True,
    line_of: Any = None,
    what: str = "key",
) -> None:
    """Raise (``strict``) or warn for every key of ``data`` not in ``allowed``, naming ``where``,
    the line (``line_of(key)``, when given and found) and the nearest allowed keys."""
    if not isinstance(data, Mapping):
        raise ValidationError(f"{where}: expected a table, got {data!r:.80}")
    known = list(allowed)
    for key in data:
        if key in known:
            continue
        line = line_of(key) if line_of is not None else None
        at = f"{where} line {line}" if line else where
        err = unknown(what, key, known, at)
        if strict:
            raise err
        warnings.warn(f"{err} (ignored: strict=False)", UnknownKeyWarning, stacklevel=3)

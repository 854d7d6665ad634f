"""What a log format is: a small description of one app's export that the generic reader
(:mod:`chainload.logs.reader`) follows. The reader names no app; each app is one module here
(``strong.py``, ``hevy.py``, ``fitnotes.py``, ``liftosaur.py``) holding one :class:`LogFormat`,
registered in ``chainload/logs/__init__.py``.

A description maps the app's column headers to the reader's fields and may give hooks for what
plain columns cannot say (a set-type code, a row that is not a set, a name to rewrite):

==================  ================================================================================
field               meaning (the cell's text; the reader parses and checks it)
==================  ================================================================================
date                the workout's start (required)
exercise            the exercise name as logged (required)
workout             the workout's name ("" when the app has none)
weight, reps        the load (in the header's unit, ``weight_unit``'s or the assumed one) and reps
weight_unit         the row's weight unit (``kg``, ``lbs`` ...)
distance            distance (unit: the header's, ``distance_unit``'s or the assumed one)
distance_unit       the row's distance unit (``km``, ``mi.``, ``m`` ...)
seconds             the set's time (a number of seconds or ``h:mm:ss``)
rpe                 RPE (0, 10]
set_type            ``normal``, ``warmup``, ``failure``, ``dropset`` or a synonym (:data:`SET_TYPE_NAMES`)
set_index           0-based set number within the exercise
superset_id         a superset's number
duration, end       the workout's duration (``1h 5m``, seconds) or its end time
notes               the set's or exercise's notes
workout_notes       the workout's notes
==================  ================================================================================

Columns the description does not name are ignored (and listed in the report's notes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

Cells = dict[str, str]
"""One row: field -> its cell's text (stripped); fields whose column is absent are missing."""

FIELDS = (
    "date", "exercise", "workout", "weight", "weight_unit", "reps", "distance", "distance_unit",
    "seconds", "rpe", "set_type", "set_index", "superset_id", "duration", "end", "notes",
    "workout_notes",
)  # fmt: skip
"""The fields a description may map columns to."""

SET_TYPE_NAMES: dict[str, str] = {
    "": "normal", "normal": "normal", "working": "normal", "work": "normal",
    "warmup": "warmup", "warm_up": "warmup", "warm-up": "warmup", "warm up": "warmup", "w": "warmup",
    "failure": "failure", "f": "failure",
    "dropset": "dropset", "drop_set": "dropset", "drop": "dropset", "drop set": "dropset", "d": "dropset",
}  # fmt: skip
"""Set-type codes (lower case) -> set type; an unknown code is read as normal and noted."""


class Skip(Exception):
    """Raised by a description's hook (or the reader): the row goes to the report, not the sets.

    ``kind`` is the report's short kind (``not a set``, ``bad value`` ...), ``reason`` the words."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def normalise_header(name: str) -> str:
    """A header cell as descriptions spell it: lower case, single spaces, quotes and BOM removed."""
    return " ".join(name.replace("\ufeff", "").strip().strip('"').lower().split())


def header_unit(name: str) -> str | None:
    """The unit a header states: ``'kg'`` from ``'Weight (kg)'`` or ``'weight_kg'``; None if none."""
    m = re.search(r"\(([^)]*)\)\s*$", name) or re.search(r"_([a-z]+)$", name)
    return m.group(1).strip() if m else None


def _identity(cells: Cells) -> Cells:
    return cells


def _never(cells: Cells) -> bool:
    return False


@dataclass(frozen=True)
class LogFormat:
    """One app's export.

    Attributes:
        name: short name (``read_log(format=name)``, the report's ``format``).
        description: the header as the app writes it, in words (error messages list it).
        columns: normalised header (:func:`normalise_header`) -> field (:data:`FIELDS`).
        required: fields the header must have for a file to be this format.
        prepare: hook from a row's cells to the cells the reader parses: set ``set_type`` from an
            app's own code, fill ``workout``, rewrite a name, or raise :class:`Skip` for a row that
            is not a set. Default: the cells unchanged.
        repeatable: hook: True for rows whose identical repeats are genuine sets (not
            duplicates). Default: never.
        decimal_comma: read ``102,5`` as 102.5 when the file is not comma-separated.
    """

    name: str
    description: str
    columns: Mapping[str, str]
    required: tuple[str, ...]
    prepare: Callable[[Cells], Cells] = _identity
    repeatable: Callable[[Cells], bool] = _never
    decimal_comma: bool = True
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        bad = sorted(set(self.columns.values()) - set(FIELDS))
        if bad:
            raise ValueError(f"log format {self.name!r}: unknown field(s) {bad}; known: {', '.join(FIELDS)}")
        missing = [r for r in ("date", "exercise") if r not in self.required]
        if missing:
            raise ValueError(f"log format {self.name!r}: required must include {missing}")
        absent = [r for r in self.required if r not in set(self.columns.values())]
        if absent:
            raise ValueError(f"log format {self.name!r}: required field(s) {absent} have no column")

    def missing(self, header: list[str]) -> list[str]:
        """The required fields a header lacks ([] when the header is this format's)."""
        have = {self.columns.get(normalise_header(f)) for f in header}
        return [r for r in self.required if r not in have]


FORMATS: dict[str, LogFormat] = {}
"""The registered formats, in detection order."""


def register(fmt: LogFormat) -> LogFormat:
    """Add a format to :data:`FORMATS` (``read_log`` then detects it from the header). Returns it."""
    if not isinstance(fmt, LogFormat):
        raise TypeError(f"register needs a LogFormat, got {type(fmt).__name__}")
    FORMATS[fmt.name] = fmt
    return fmt


__all__ = [
    "FIELDS",
    "FORMATS",
    "SET_TYPE_NAMES",
    "Cells",
    "LogFormat",
    "Skip",
    "header_unit",
    "normalise_header",
    "register",
]

"""Import workout logs exported by the Strong and Hevy apps, match their exercises to the catalogue,
estimate 1RM per session and turn the history into a chainload :class:`~chainload.program.Program`.

>>> log = read_log("strong_export.csv")          # format detected from the header
>>> log.sets                                     # one row per set, in kg, metres and seconds
>>> log.report.skipped                           # every input row not in log.sets, with its line
>>> e1rm(log, formula="epley")                   # best estimated 1RM per exercise and session
>>> cl.analyze(log.to_program()).balance         # posterior:anterior balance of the real history

Nothing is lost: every data row of the file is either a row of ``log.sets`` or a row of
``log.report.skipped`` (with its 1-based physical line number and the reason), so
``report.rows_read == report.rows_used + len(report.skipped)`` always.

Units: 1 lb = 0.45359237 kg and 1 mile = 1609.344 m (both exact by definition); distances are
stored in metres, times in seconds.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io as _stdio
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ._files import DATA_DIR, TomlSource
from ._names import hint
from .catalogue import Catalogue
from .errors import FileFormatError, UnknownNameError, ValidationError
from .program import Prescription, Program, Session

LB_KG = 0.45359237
"""Kilograms in one pound (exact, international yard and pound agreement of 1959)."""
MILE_M = 1609.344
"""Metres in one mile (exact)."""
MAX_WEIGHT_KG = 1000.0
"""A logged weight above this (after conversion to kg) is rejected as absurd."""
MAX_REPS = 200
"""More reps than this in one set are rejected as absurd."""
FUZZY_THRESHOLD = 0.85
"""Lowest :class:`difflib.SequenceMatcher` ratio between normalised names accepted as a match.

0.85 accepts a typo or two in a name of ordinary length ("Bench Pres (Barbell)" → 0.97,
"Deadlfit" → 0.88, "Kniebeuge" for "Kniebeugen" → 0.95) and rejects different exercises that
share words ("Wrist Curl" vs "Bicep Curl" 0.60, "Leg Press" vs "Leg Curl" 0.59). Below it a
name is reported as unmatched, with the nearest catalogue ids as suggestions.
"""
SET_TYPES = ("normal", "warmup", "failure", "dropset")
FORMATS = {
    "strong": "Strong app export (Date, Workout Name, Exercise Name, Set Order, Weight, Reps, ...; "
    "comma or semicolon separated)",
    "hevy": "Hevy app export (title, start_time, exercise_title, set_index, set_type, weight_kg or "
    "weight_lbs, reps, ...)",
}
ALIASES_FILE = DATA_DIR / "exercise_aliases.toml"

SET_COLUMNS = (
    "date", "workout", "exercise", "exercise_id", "match_confidence", "set_index", "set_type",
    "weight_kg", "reps", "rpe", "distance_m", "seconds", "notes", "line", "not_load", "equipment",
    "assisted", "superset_id", "workout_seconds", "workout_notes",
)  # fmt: skip
"""Columns of :attr:`Log.sets`, in order."""

_WEIGHT_UNITS = {"kg": "kg", "kgs": "kg", "kilogram": "kg", "kilograms": "kg",
                 "lb": "lbs", "lbs": "lbs", "pound": "lbs", "pounds": "lbs"}  # fmt: skip
_DISTANCE_UNITS = {"km": "km", "kilometer": "km", "kilometers": "km", "kilometre": "km", "kilometres": "km",
                   "m": "m", "meter": "m", "meters": "m", "metre": "m", "metres": "m",
                   "mi": "mi", "mile": "mi", "miles": "mi"}  # fmt: skip
_TO_KG = {"kg": 1.0, "lbs": LB_KG}
_TO_M = {"km": 1000.0, "m": 1.0, "mi": MILE_M}
_UNIT_SYSTEMS = {"kg": ("kg", "km"), "metric": ("kg", "km"), "lbs": ("lbs", "mi"), "lb": ("lbs", "mi"),
                 "imperial": ("lbs", "mi")}  # fmt: skip

# header name (normalised: lower case, single spaces) -> field, per format
_STRONG_COLUMNS = {
    "date": "date", "workout name": "workout", "exercise name": "exercise", "set order": "set_order",
    "weight": "weight", "weight (kg)": "weight", "weight (kgs)": "weight", "weight (lb)": "weight",
    "weight (lbs)": "weight", "weight unit": "weight_unit", "reps": "reps", "rpe": "rpe",
    "distance": "distance", "distance (km)": "distance", "distance (m)": "distance",
    "distance (meters)": "distance", "distance (metres)": "distance", "distance (mi)": "distance",
    "distance (miles)": "distance", "distance unit": "distance_unit", "seconds": "seconds",
    "notes": "notes", "workout notes": "workout_notes", "duration": "duration",
    "workout duration": "duration", "duration (sec)": "duration", "duration (s)": "duration",
    "duration (seconds)": "duration",
}  # fmt: skip
_HEVY_COLUMNS = {
    "title": "workout", "start_time": "date", "end_time": "end", "description": "workout_notes",
    "exercise_title": "exercise", "superset_id": "superset_id", "exercise_notes": "notes",
    "set_index": "set_index", "set_type": "set_type", "weight_kg": "weight", "weight_lbs": "weight",
    "weight_lb": "weight", "reps": "reps", "distance_km": "distance", "distance_miles": "distance",
    "distance_mi": "distance", "distance_meters": "distance", "distance_m": "distance",
    "duration_seconds": "seconds", "rpe": "rpe",
}  # fmt: skip
_REQUIRED = {
    "strong": ("date", "workout", "exercise", "set_order", "weight", "reps"),
    "hevy": ("workout", "date", "exercise", "weight", "reps"),
}
_HEVY_SET_TYPES = {
    "normal": "normal", "warmup": "warmup", "warm_up": "warmup", "warm-up": "warmup", "failure": "failure",
    "dropset": "dropset", "drop_set": "dropset", "drop": "dropset",
}  # fmt: skip
_STRONG_SET_LETTERS = {"w": "warmup", "d": "dropset", "f": "failure"}
_DATE_FORMATS = (
    "%d %b %Y, %H:%M", "%d %b %Y, %H:%M:%S", "%d %B %Y, %H:%M", "%d %B %Y, %H:%M:%S", "%d %b %Y %H:%M",
    "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %I:%M %p", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d",
)  # fmt: skip


# ================================================================================ the report
@dataclass(frozen=True)
class ImportReport:
    """What :func:`read_log` did with every row of a file.

    ``rows_read`` counts the data rows of the file (CSV records after the header, blank lines
    included); each is either used (a row of :attr:`Log.sets`) or in ``skipped``.

    Attributes:
        path, format, encoding, delimiter: the file, ``"strong"``/``"hevy"``, the text encoding
            used and the field separator.
        rows_read, rows_used: data rows in the file / rows in :attr:`Log.sets`.
        skipped: DataFrame (line, kind, reason): the physical line where the row starts, a short
            kind (``empty``, ``garbled``, ``not a set``, ``duplicate``, ``bad date``,
            ``bad value``) and the reason in words.
        duplicates: DataFrame (line, duplicate_of): rows identical in every field to an earlier
            row (the first is kept); they are in ``skipped`` too.
        unmatched: DataFrame (exercise, rows, suggestions, reason): logged names without a
            catalogue id, how many sets they have in :attr:`Log.sets`, up to 3 catalogue ids.
        matched: DataFrame (exercise, exercise_id, confidence, method, rows) of matched names.
        units: the original units seen, e.g. ``{"weight": ("kg", "lbs"), "distance": ("km",)}``.
        assumed_units: which of those the file did not state (assumed or taken from ``units=``).
        out_of_order: places where a row's date is earlier than the previous row's (the sets
            are sorted by date whatever the file order).
        notes: assumptions and values ignored, in words.
    """

    path: Path
    format: str
    encoding: str
    delimiter: str
    rows_read: int
    rows_used: int
    skipped: pd.DataFrame
    duplicates: pd.DataFrame
    unmatched: pd.DataFrame
    matched: pd.DataFrame
    units: dict[str, tuple[str, ...]]
    assumed_units: tuple[str, ...]
    out_of_order: int
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.rows_read != self.rows_used + len(self.skipped):  # pragma: no cover - an internal bug
            raise AssertionError(
                f"{self.path}: rows_read {self.rows_read} != rows_used {self.rows_used} "
                f"+ skipped {len(self.skipped)}"
            )

    @property
    def matched_share(self) -> float:
        """Share of the used rows whose exercise matched a catalogue id (NaN for no rows)."""
        if self.rows_used == 0:
            return math.nan
        return float(self.matched["rows"].sum()) / self.rows_used

    def skipped_by_kind(self) -> pd.Series:
        """Number of skipped rows per kind."""
        return self.skipped["kind"].value_counts()

    def summary(self) -> str:
        """The report in a few lines of text."""
        units = "; ".join(f"{k}: {', '.join(v)}" for k, v in self.units.items() if v)
        lines = [
            f"{self.path.name}: {self.format} export ({self.encoding}, {self.delimiter!r}-separated)",
            f"rows read {self.rows_read}, used {self.rows_used}, skipped {len(self.skipped)}"
            + (
                " (" + ", ".join(f"{k} {n}" for k, n in self.skipped_by_kind().items()) + ")"
                if len(self.skipped)
                else ""
            ),
            f"units: {units or 'none seen'}"
            + (f" (not stated, assumed: {', '.join(self.assumed_units)})" if self.assumed_units else ""),
            f"exercises: {len(self.matched)} names matched, {len(self.unmatched)} unmatched"
            + (f"; {self.matched_share:.1%} of the sets matched" if self.rows_used else ""),
        ]
        for _, u in self.unmatched.iterrows():
            lines.append(f"  unmatched {u['exercise']!r} ({u['rows']} sets); suggestions: {u['suggestions']}")
        lines += list(self.notes)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"ImportReport({self.path.name!r}, {self.format}: read {self.rows_read}, used {self.rows_used}, "
            f"skipped {len(self.skipped)}, unmatched names {len(self.unmatched)})"
        )


# ================================================================================ the log
class Log:
    """A workout log read by :func:`read_log`: the sets and the import report.

    :attr:`sets` has one row per set (columns :data:`SET_COLUMNS`), sorted by date (stable, so
    the file order holds within a workout):

    ``date`` (datetime: the workout's start), ``workout`` (its name), ``exercise`` (as logged),
    ``exercise_id`` (catalogue id or None), ``match_confidence`` (1.0 for a mapping, alias or
    exact name, the difflib ratio for a fuzzy match, NaN when unmatched), ``set_index``
    (0-based within the exercise in the workout), ``set_type`` (normal/warmup/failure/dropset),
    ``weight_kg``, ``reps``, ``rpe``, ``distance_m``, ``seconds`` (NaN where the file has no
    value), ``notes`` (the set's/exercise's notes), ``line`` (the 1-based physical line where the
    row starts in the file), ``not_load`` (why a kept row is not a loaded set: ``"cardio"``
    with a distance and no reps, ``"timed"`` with a time and no reps (planks, timed warm-ups),
    ``"no reps"`` otherwise; None for a loaded set), ``equipment`` (the part of the logged name
    in parentheses, normalised: the equipment hint), ``assisted`` (True where the logged weight
    is assistance, not load: an "assisted" variant, or a "band" variant of a bodyweight
    exercise such as "Pull Up (Band)"), ``superset_id``, ``workout_seconds``
    (the workout's duration) and ``workout_notes``.
    """

    def __init__(self, sets: pd.DataFrame, report: ImportReport, catalogue: Catalogue) -> None:
        self.sets = sets
        self.report = report
        self.catalogue = catalogue

    @property
    def format(self) -> str:
        return self.report.format

    def __len__(self) -> int:
        return len(self.sets)

    def work_sets(self, include_warmups: bool = False) -> pd.DataFrame:
        """The sets without the warm-ups (``set_type == "warmup"``) unless ``include_warmups``."""
        if include_warmups:
            return self.sets
        return self.sets[self.sets["set_type"] != "warmup"]

    def e1rm(self, formula: Formula = "epley", **kwargs: Any) -> pd.DataFrame:
        """:func:`e1rm` of this log."""
        return e1rm(self, formula, **kwargs)

    def to_program(self, catalogue: Catalogue | None = None, name: str | None = None) -> Program:
        """The history as a :class:`Program`, for dose and balance (``cl.analyze(log.to_program())``).

        Week 1 starts on the Monday on or before the first logged date; each logged day becomes
        a session on its weekday (workouts on the same day are merged: a program has at most one
        session per weekday and week), holding one prescription per matched exercise: ``sets`` =
        the number of work sets, ``reps`` = their mean reps rounded half up (at least 1, so a
        timed hold counts as a set of 1; at most 100), ``kg`` = their mean weight (missing
        weight counts as 0; for a bodyweight exercise the logged kg is taken as added load, and
        where ``assisted`` it is assistance and 0 is used: body weight only). Warm-ups,
        unmatched exercises and sets that are not load (``not_load`` "cardio" or "no reps") are
        left out; the program's ``description`` says how many of each. Raises ValidationError
        if no set is left.
        """
        cat = catalogue if catalogue is not None else self.catalogue
        s = self.sets
        warm = s["set_type"] == "warmup"
        ids = s["exercise_id"]
        known = ids.isin(set(cat.ids))
        noload = s["not_load"].isin(["cardio", "no reps"])
        use = ~warm & known & ~noload
        n_unmatched = int((~warm & ~known).sum())
        n_noload = int((~warm & known & noload).sum())
        if not use.any():
            raise ValidationError(
                f"{self.report.path}: no work set of a catalogue exercise to build a program from "
                f"({n_unmatched} work sets unmatched, {int(warm.sum())} warm-ups)"
            )
        work = s[use].copy()
        day0 = _monday_on_or_before(s["date"].min())
        work["day"] = (work["date"].dt.normalize() - day0).dt.days
        work["kg"] = work["weight_kg"].fillna(0.0).where(~work["assisted"], 0.0)
        work["r"] = work["reps"].fillna(0.0)

        n_weeks = int(work["day"].max()) // 7 + 1
        weeks: list[list[Session]] = [[] for _ in range(n_weeks)]
        for day, g in work.groupby("day", sort=True):
            prescriptions = []
            for ex, e in g.groupby("exercise_id", sort=False):
                reps = e.loc[e["r"] > 0, "r"]
                mean_reps = float(reps.mean()) if len(reps) else 1.0
                prescriptions.append(
                    Prescription(
                        exercise=str(ex),
                        sets=min(len(e), 100),
                        reps=min(max(math.floor(mean_reps + 0.5), 1), 100),
                        kg=min(float(e["kg"].mean()), MAX_WEIGHT_KG),
                    )
                )
            workouts = " + ".join(dict.fromkeys(str(w) for w in g["workout"]))
            d = int(str(day))
            weeks[d // 7].append(Session(day=d % 7, prescriptions=tuple(prescriptions), name=workouts))
        description = (
            f"Imported from {self.report.path.name} ({self.format}): {len(work)} work sets of catalogue "
            f"exercises on {work['day'].nunique()} days from {day0.date()}; left out: {n_unmatched} work "
            f"sets of unmatched exercises, {n_noload} sets that are not load (cardio, no reps), "
            f"{int(warm.sum())} warm-up sets."
        )
        return Program(
            name=name or self.report.path.stem, weeks=tuple(tuple(w) for w in weeks), description=description
        )

    def __repr__(self) -> str:
        r = self.report
        d = self.sets["date"]
        dates = f"{d.min():%Y-%m-%d} to {d.max():%Y-%m-%d}" if len(self) else "empty"
        return (
            f"Log({r.path.name!r}, {r.format}: {r.rows_used} sets, {dates}; "
            f"{r.matched_share:.0%} of them matched, {len(r.skipped)} rows skipped)"
        )


def _monday_on_or_before(ts: pd.Timestamp) -> pd.Timestamp:
    day = ts.normalize()
    return day - pd.Timedelta(days=day.weekday())


# ================================================================================ reading
def read_log(
    path: str | Path,
    format: Literal["strong", "hevy"] | None = None,
    units: str | Mapping[str, str] | None = None,
    mapping: Mapping[str, str | None] | None = None,
    catalogue: Catalogue | None = None,
) -> Log:
    """Read a Strong or Hevy export into a :class:`Log`.

    Args:
        path: the CSV file. Any of UTF-8 (with or without a byte-order mark), UTF-16 with a
            byte-order mark; other bytes fall back to cp1252/latin-1, which the report notes.
        format: ``"strong"`` or ``"hevy"``; detected from the header when None. A header of
            neither raises :class:`FileFormatError` listing the known formats.
        units: the units of a file that does not state them (a Strong export with a plain
            "Weight" column): ``"kg"``/``"metric"`` (kg and km, the default, noted in the report)
            or ``"lbs"``/``"imperial"`` (lbs and miles), or ``{"weight": "lbs", "distance":
            "km"}``. A unit the file states (a "Weight (kg)" or "weight_lbs" column, a "Weight
            Unit" value) wins; a ``units`` that contradicts a unit stated in the header is an error.
        mapping: logged exercise name -> catalogue id, overriding the alias table and fuzzy
            matching (None as the id keeps a name unmatched). Keys match exactly or after
            normalisation.
        catalogue: the catalogue to match against (default :meth:`Catalogue.default`).

    Rows are never dropped silently: blank or garbled rows, rows that are not sets (Strong's
    rest-timer and note rows), unparsable dates, negative weights, reps, distances or times,
    weights over :data:`MAX_WEIGHT_KG` and reps over :data:`MAX_REPS`, and duplicate rows
    (identical in every field to an earlier row: the first is kept) go to ``report.skipped``
    with their line. Exception: in Strong files whose Set Order is a letter (W, D, F) two
    identical warm-up or drop sets are indistinguishable by design, so such rows are kept.
    """
    p = Path(path)
    cat = catalogue if catalogue is not None else Catalogue.default()
    if format is not None and format not in FORMATS:
        raise ValidationError(f"unknown log format {format!r}; known: {', '.join(FORMATS)}")
    text, encoding, enc_note = _decode(p)
    return _Reader(p, text, encoding, format, _unit_defaults(units), cat, mapping, enc_note).read()


def _decode(p: Path) -> tuple[str, str, str]:
    """(text, encoding, note): UTF-8 (BOM stripped), UTF-16 with a BOM, else cp1252 or latin-1."""
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise FileFormatError(f"{p}: no such file") from None
    except OSError as e:
        raise FileFormatError(f"{p}: cannot read ({e.strerror or e})") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", ""
        except UnicodeDecodeError as e:
            raise FileFormatError(f"{p}: not UTF-16 text after its byte-order mark ({e.reason})") from None
    try:
        enc = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        return data.decode("utf-8-sig"), enc, ""
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        for fallback in ("cp1252", "latin-1"):
            try:
                text = data.decode(fallback)
            except UnicodeDecodeError:
                continue
            note = (
                f"not UTF-8 (byte 0x{data[e.start]:02x} on line {line}): decoded as {fallback}; "
                "check the accented names"
            )
            return text, fallback, note
        raise AssertionError("latin-1 decodes any bytes") from None  # pragma: no cover


def _unit_defaults(units: str | Mapping[str, str] | None) -> tuple[str | None, str | None]:
    """(weight unit, distance unit) given by the caller, normalised; None where not given."""
    if units is None:
        return None, None
    if isinstance(units, str):
        system = _UNIT_SYSTEMS.get(units.strip().lower())
        if system is None:
            raise ValidationError(f"units={units!r}: give one of {', '.join(_UNIT_SYSTEMS)} or a mapping")
        return system
    unknown = set(units) - {"weight", "distance"}
    if unknown:
        raise ValidationError(f"units: unknown key(s) {sorted(unknown)}; known: weight, distance")
    w = units.get("weight")
    d = units.get("distance")
    wu = _WEIGHT_UNITS.get(w.strip().lower()) if w is not None else None
    du = _DISTANCE_UNITS.get(d.strip().lower()) if d is not None else None
    if w is not None and wu is None:
        raise ValidationError(f"units: unknown weight unit {w!r}; known: kg, lbs")
    if d is not None and du is None:
        raise ValidationError(f"units: unknown distance unit {d!r}; known: km, m, mi")
    return wu, du


class _Skip(Exception):
    """A row that goes to the report instead of the sets."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def _norm_header(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").strip().strip('"').lower().split())


def _header_unit(name: str, table: Mapping[str, str]) -> str | None:
    """'kg' from 'Weight (kg)' or 'weight_kg'; None when the name carries no unit."""
    m = re.search(r"\(([^)]*)\)\s*$", name) or re.search(r"_([a-z]+)$", name)
    return table.get(m.group(1).strip()) if m else None


class _Reader:
    """One pass over a decoded file: header, rows, matching, report."""

    def __init__(
        self,
        path: Path,
        text: str,
        encoding: str,
        fmt: str | None,
        unit_defaults: tuple[str | None, str | None],
        catalogue: Catalogue,
        mapping: Mapping[str, str | None] | None,
        enc_note: str,
    ) -> None:
        self.path, self.text, self.encoding, self.fmt_wanted = path, text, encoding, fmt
        self.unit_arg = unit_defaults
        self.catalogue = catalogue
        self.matcher = ExerciseMatcher(catalogue, mapping)
        self.notes: list[str] = [enc_note] if enc_note else []
        self.value_notes: dict[str, list[int]] = {}
        self._dates: dict[str, datetime | None] = {}
        self._durations: dict[str, float] = {}

    # --- header ---------------------------------------------------------------------------
    def _header(self) -> tuple[str, str, list[str], int]:
        """(format, delimiter, header fields, line of the header)."""
        lines = self.text.splitlines()
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is None:
            raise FileFormatError(f"{self.path}: the file is empty")
        line = lines[first]
        tried: list[list[str]] = []
        for delim in (",", ";", "\t"):
            fields = next(csv.reader([line], delimiter=delim))
            tried.append(fields)
            for fmt in (self.fmt_wanted,) if self.fmt_wanted else tuple(FORMATS):
                if self._missing(fmt, fields) == []:
                    return fmt, delim, fields, first + 1
        best = max(tried, key=len)
        if self.fmt_wanted:
            missing = self._missing(self.fmt_wanted, best)
            raise FileFormatError(
                f"{self.path}: line {first + 1}: not a {self.fmt_wanted} export: missing column(s) "
                f"{', '.join(missing)}; the header is {', '.join(best)!s:.200}"
            )
        known = "; ".join(f"{k}: {v}" for k, v in FORMATS.items())
        raise FileFormatError(
            f"{self.path}: line {first + 1}: unknown log format (header {', '.join(best)!s:.200}); "
            f"known formats: {known}"
        )

    @staticmethod
    def _missing(fmt: str, fields: list[str]) -> list[str]:
        table = _STRONG_COLUMNS if fmt == "strong" else _HEVY_COLUMNS
        have = {table.get(_norm_header(f)) for f in fields}
        return [r for r in _REQUIRED[fmt] if r not in have]

    # --- values ---------------------------------------------------------------------------
    def _number(self, raw: str, what: str) -> float | None:
        s = raw.strip()
        if not s:
            return None
        if self.delim != "," and re.fullmatch(r"[-+]?\d+,\d+", s):
            s = s.replace(",", ".")
        try:
            x = float(s)
        except ValueError:
            raise _Skip("bad value", f"{what} {raw!r} is not a number") from None
        if not math.isfinite(x):
            raise _Skip("bad value", f"{what} {raw!r} is not a finite number")
        return x

    def _date(self, raw: str) -> datetime:
        if raw not in self._dates:
            self._dates[raw] = _parse_date(raw)
        d = self._dates[raw]
        if d is None:
            raise _Skip("bad date", f"unparsable date {raw!r}")
        return d

    def _duration(self, raw: str) -> float:
        if raw not in self._durations:
            self._durations[raw] = _parse_duration(raw)
        return self._durations[raw]

    def _note(self, topic: str, line: int) -> None:
        self.value_notes.setdefault(topic, []).append(line)

    def _unit(self, raw: str, kind: Literal["weight", "distance"]) -> str:
        table = _WEIGHT_UNITS if kind == "weight" else _DISTANCE_UNITS
        u = table.get(raw.strip().lower())
        if u is None:
            raise _Skip("bad value", f"unknown {kind} unit {raw!r}")
        return u

    # --- the pass -------------------------------------------------------------------------
    def read(self) -> Log:
        fmt, self.delim, header, header_line = self._header()
        self.fmt = fmt
        table = _STRONG_COLUMNS if fmt == "strong" else _HEVY_COLUMNS
        idx: dict[str, int] = {}
        for i, name in enumerate(header):
            column = table.get(_norm_header(name))
            if column is not None and column not in idx:
                idx[column] = i
        self.idx = idx
        self.n_fields = len(header)
        self._setup_units(fmt, header)

        reader = csv.reader(_stdio.StringIO(self.text, newline=""), delimiter=self.delim)
        rows: list[tuple[Any, ...]] = []
        skipped: list[tuple[int, str, str]] = []
        duplicates: list[tuple[int, int]] = []
        seen: dict[tuple[str, ...], int] = {}
        prev = 0
        while True:
            try:
                rec = next(reader)
            except StopIteration:
                break
            except csv.Error as e:  # pragma: no cover - the non-strict reader rarely raises
                start, prev = prev + 1, reader.line_num
                if start > header_line:
                    skipped.append((start, "garbled", f"unreadable CSV: {e}"))
                continue
            start, prev = prev + 1, reader.line_num
            if start <= header_line:
                continue
            try:
                self._check_shape(rec, start, prev)
                key = tuple(rec)
                row = self._row(rec, start)  # may raise _Skip (not a set, bad value ...)
                if key in seen and not self._repeatable(rec):
                    duplicates.append((start, seen[key]))
                    raise _Skip("duplicate", f"duplicate of line {seen[key]} (identical in every field)")
                seen.setdefault(key, start)
                rows.append(row)
            except _Skip as s:
                skipped.append((start, s.kind, s.reason))
        return self._finish(rows, skipped, duplicates)

    def _check_shape(self, rec: list[str], start: int, end: int) -> None:
        """Empty records, a wrong number of fields, or a quoted field that swallowed rows."""
        if not rec or not any(f.strip() for f in rec):
            raise _Skip("empty", "empty line")
        n = len(rec)
        span = f" (the record runs over lines {start}-{end}: an unbalanced quote?)" if end > start else ""
        if n < self.n_fields:
            raise _Skip(
                "garbled", f"{n} of {self.n_fields} fields (truncated row or a separator missing){span}"
            )
        if n > self.n_fields and any(f.strip() for f in rec[self.n_fields :]):
            raise _Skip("garbled", f"{n} fields where the header has {self.n_fields}{span}")
        if span:  # a quoted field runs over lines: fine for notes, unless it swallowed rows
            for f in rec:
                if any(part.count(self.delim) >= self.n_fields - 1 for part in f.splitlines()[1:]):
                    raise _Skip("garbled", f"a quoted field holds whole rows{span}")

    def _repeatable(self, rec: list[str]) -> bool:
        """Strong rows whose Set Order is a letter: identical repeats are genuine sets."""
        if self.fmt != "strong":
            return False
        order = rec[self.idx["set_order"]].strip().lower()
        return bool(re.fullmatch(r"[wdf]", order))

    def _setup_units(self, fmt: str, header: list[str]) -> None:
        """Header units, per-row unit columns, defaults and what is assumed."""
        arg_w, arg_d = self.unit_arg
        stated_w = stated_d = None
        for name in header:
            key = (_STRONG_COLUMNS if fmt == "strong" else _HEVY_COLUMNS).get(_norm_header(name))
            if key == "weight":
                stated_w = _header_unit(_norm_header(name), _WEIGHT_UNITS)
            elif key == "distance":
                stated_d = _header_unit(_norm_header(name), _DISTANCE_UNITS)
        for stated, arg, what in ((stated_w, arg_w, "weight"), (stated_d, arg_d, "distance")):
            if stated and arg and stated != arg:
                raise ValidationError(
                    f"{self.path}: units={arg!r} for {what}, but the header states {stated!r}"
                )
        self.row_units = {"weight": "weight_unit" in self.idx, "distance": "distance_unit" in self.idx}
        self.seen_units: dict[str, set[str]] = {"weight": set(), "distance": set()}
        assumed: list[str] = []
        self.default_w = stated_w or arg_w or "kg"
        self.default_d = stated_d or arg_d or "km"
        if stated_w:
            self.seen_units["weight"].add(stated_w)
        if stated_d:
            self.seen_units["distance"].add(stated_d)
        if not stated_w and not self.row_units["weight"]:
            assumed.append("weight")
            self.seen_units["weight"].add(self.default_w)
            self.notes.append(
                f"the file states no weight unit: {self.default_w} "
                + ("as given by units=" if arg_w else "assumed (pass units='lbs' if the weights are pounds)")
            )
        self.assume_distance = not stated_d and not self.row_units["distance"] and "distance" in self.idx
        if self.assume_distance:
            assumed.append("distance")
        self.assumed = tuple(assumed)

    def _cell(self, rec: list[str], key: str) -> str:
        i = self.idx.get(key)
        return rec[i].strip() if i is not None else ""

    def _row(self, rec: list[str], line: int) -> tuple[Any, ...]:
        get = self._cell
        set_index: float = math.nan
        superset: float = math.nan
        if self.fmt == "strong":
            order = get(rec, "set_order")
            low = order.lower()
            if low == "rest timer":
                raise _Skip("not a set", "rest timer row")
            if low == "note":
                raise _Skip("not a set", "note row")
            if re.fullmatch(r"\d+(\.0+)?", order):
                set_type = "normal"
            elif re.fullmatch(r"[wdf]\d*", low):
                set_type = _STRONG_SET_LETTERS[low[0]]
            elif not order:
                set_type = "normal"
            else:
                raise _Skip("bad value", f"unknown Set Order {order!r}")
            workout_seconds = self._duration(get(rec, "duration"))
        else:
            raw_type = get(rec, "set_type").lower()
            set_type = _HEVY_SET_TYPES.get(raw_type or "normal", "")
            if not set_type:
                self._note(f"unknown set_type {raw_type!r} read as normal", line)
                set_type = "normal"
            si = self._number(get(rec, "set_index"), "set_index")
            set_index = si if si is not None else math.nan
            sid = get(rec, "superset_id")
            if sid:
                superset = self._number(sid, "superset_id") or 0.0
            workout_seconds = math.nan
        date = self._date(get(rec, "date"))
        if self.fmt == "hevy" and get(rec, "end"):
            raw_end = get(rec, "end")
            if raw_end not in self._dates:
                self._dates[raw_end] = _parse_date(raw_end)
            end = self._dates[raw_end]
            if end is not None and end >= date:
                workout_seconds = (end - date).total_seconds()
        exercise = get(rec, "exercise")
        if not exercise:
            raise _Skip("garbled", "no exercise name")

        wunit = self.default_w
        if self.row_units["weight"]:
            raw_u = get(rec, "weight_unit")
            if raw_u:
                wunit = self._unit(raw_u, "weight")
                self.seen_units["weight"].add(wunit)
        weight = self._number(get(rec, "weight"), "weight")
        if weight is not None:
            if weight < 0:
                raise _Skip("bad value", f"negative weight {get(rec, 'weight')} {wunit}")
            weight *= _TO_KG[wunit]
            if weight > MAX_WEIGHT_KG:
                raise _Skip(
                    "bad value", f"absurd weight {get(rec, 'weight')} {wunit} (over {MAX_WEIGHT_KG:g} kg)"
                )
        reps = self._number(get(rec, "reps"), "reps")
        if reps is not None and reps < 0:
            raise _Skip("bad value", f"negative reps {get(rec, 'reps')}")
        if reps is not None and reps > MAX_REPS:
            raise _Skip("bad value", f"absurd reps {get(rec, 'reps')} (over {MAX_REPS})")
        dunit = self.default_d
        if self.row_units["distance"]:
            raw_u = get(rec, "distance_unit")
            if raw_u:
                dunit = self._unit(raw_u, "distance")
        distance = self._number(get(rec, "distance"), "distance")
        if distance is not None:
            if distance < 0:
                raise _Skip("bad value", f"negative distance {get(rec, 'distance')}")
            if distance > 0:
                self.seen_units["distance"].add(dunit)
            distance *= _TO_M[dunit]
        seconds = self._number(get(rec, "seconds"), "seconds")
        if seconds is not None and seconds < 0:
            raise _Skip("bad value", f"negative seconds {get(rec, 'seconds')}")
        rpe = self._number(get(rec, "rpe"), "RPE")
        if rpe is not None and not 0 < rpe <= 10:
            self._note(f"RPE outside (0, 10] ignored ({get(rec, 'rpe')!r} ...)", line)
            rpe = None

        if reps is None or reps == 0:
            if distance:
                not_load: str | None = "cardio"
            elif seconds:
                not_load = "timed"
            else:
                not_load = "no reps"
        else:
            not_load = None
        nan = math.nan
        return (
            date, get(rec, "workout"), exercise, set_index, set_type,
            nan if weight is None else weight, nan if reps is None else reps, nan if rpe is None else rpe,
            nan if distance is None else distance, nan if seconds is None else seconds,
            get(rec, "notes"), line, not_load, superset, workout_seconds, get(rec, "workout_notes"),
        )  # fmt: skip

    def _assisted(self, name: str, m: Match) -> bool:
        """Is the logged weight assistance? "assisted" in the name, or "band" on a bodyweight exercise."""
        base, hint = normalise_name(name)
        words = set(base.split()) | set(hint.split())
        if "assisted" in words:
            return True
        return bool(
            "band" in hint.split()
            and m.exercise_id is not None
            and m.exercise_id in self.catalogue
            and self.catalogue[m.exercise_id].load == "bodyweight"
        )

    def _finish(
        self,
        rows: list[tuple[Any, ...]],
        skipped: list[tuple[int, str, str]],
        duplicates: list[tuple[int, int]],
    ) -> Log:
        cols = [
            "date", "workout", "exercise", "set_index", "set_type", "weight_kg", "reps", "rpe",
            "distance_m", "seconds", "notes", "line", "not_load", "superset_id", "workout_seconds",
            "workout_notes",
        ]  # fmt: skip
        df = pd.DataFrame.from_records(rows, columns=cols)
        df["date"] = pd.to_datetime(df["date"])
        numeric = ("weight_kg", "reps", "rpe", "distance_m", "seconds", "set_index", "superset_id")
        for c in (*numeric, "workout_seconds"):
            df[c] = df[c].astype(float)
        df["line"] = df["line"].astype(np.int64)
        df["not_load"] = df["not_load"].astype(object)
        df.loc[df["not_load"].isna(), "not_load"] = None

        # out of order: a row dated before the previous row (file order); then a stable sort
        dates = df["date"].to_numpy()
        out_of_order = int((dates[1:] < dates[:-1]).sum()) if len(df) > 1 else 0
        if out_of_order:
            self.notes.append(
                f"dates out of order in the file ({out_of_order} place(s) where a row is dated before "
                "the previous one); the sets are sorted by date"
            )
        df = df.sort_values("date", kind="stable").reset_index(drop=True)
        if len(df):
            # set_index: Hevy states it; Strong's Set Order restarts per exercise block but is
            # not numbered for W/D/F sets, so count the sets of the exercise in the workout
            counted = df.groupby(["date", "workout", "exercise"], sort=False).cumcount().astype(float)
            df["set_index"] = df["set_index"].where(df["set_index"].notna(), counted)
        if df["set_index"].notna().all():
            df["set_index"] = df["set_index"].astype(np.int64)

        # exercise matching, once per distinct name
        names = df["exercise"].drop_duplicates().tolist()
        matches = {n: self.matcher.match(n) for n in names}
        df["exercise_id"] = df["exercise"].map(lambda n: matches[n].exercise_id).astype(object)
        df.loc[df["exercise_id"].isna(), "exercise_id"] = None
        df["match_confidence"] = df["exercise"].map(lambda n: matches[n].confidence).astype(float)
        df["equipment"] = df["exercise"].map(lambda n: matches[n].hint or None).astype(object)
        df.loc[df["equipment"].isna(), "equipment"] = None
        assisted = {n: self._assisted(n, m) for n, m in matches.items()}
        df["assisted"] = df["exercise"].map(assisted).astype(bool)
        df = df[list(SET_COLUMNS)]

        counts = df["exercise"].value_counts()
        unmatched = pd.DataFrame(
            [
                (n, int(counts[n]), list(m.suggestions), m.reason)
                for n, m in matches.items()
                if m.exercise_id is None
            ],
            columns=["exercise", "rows", "suggestions", "reason"],
        )
        by, order = ["rows", "exercise"], [False, True]
        unmatched = unmatched.sort_values(by, ascending=order).reset_index(drop=True)
        matched = pd.DataFrame(
            [
                {
                    "exercise": n,
                    "exercise_id": m.exercise_id,
                    "confidence": m.confidence,
                    "method": m.method,
                    "rows": int(counts[n]),
                }
                for n, m in matches.items()
                if m.exercise_id is not None
            ],
            columns=["exercise", "exercise_id", "confidence", "method", "rows"],
        )
        matched = matched.sort_values(by, ascending=order).reset_index(drop=True)
        fuzzy = matched[matched["method"] == "fuzzy"]
        for _, m in fuzzy.iterrows():
            self.notes.append(
                f"fuzzy match: {m['exercise']!r} -> {m['exercise_id']} (confidence {m['confidence']:.2f})"
            )

        for topic, lines in self.value_notes.items():
            shown = ", ".join(map(str, lines[:10])) + (" ..." if len(lines) > 10 else "")
            self.notes.append(f"{topic}: {len(lines)} row(s), line(s) {shown}")
        skipped_df = pd.DataFrame(skipped, columns=["line", "kind", "reason"]).astype({"line": np.int64})
        skipped_df = skipped_df.sort_values("line", kind="stable").reset_index(drop=True)
        dup_df = pd.DataFrame(duplicates, columns=["line", "duplicate_of"]).astype(np.int64)
        units = {k: tuple(sorted(v)) for k, v in self.seen_units.items()}
        if self.assume_distance and units["distance"]:
            self.notes.append(f"the file states no distance unit: {self.default_d} assumed")
        assumed = tuple(a for a in self.assumed if a == "weight" or units.get(a))
        report = ImportReport(
            path=self.path,
            format=self.fmt,
            encoding=self.encoding,
            delimiter=self.delim,
            rows_read=len(rows) + len(skipped),
            rows_used=len(df),
            skipped=skipped_df,
            duplicates=dup_df,
            unmatched=unmatched,
            matched=matched,
            units=units,
            assumed_units=assumed,
            out_of_order=out_of_order,
            notes=tuple(self.notes),
        )
        return Log(df, report, self.catalogue)


def _parse_date(raw: str) -> datetime | None:
    """A datetime from the formats Strong and Hevy write (time zone dropped: local wall time)."""
    s = raw.replace("\u202f", " ").replace("\xa0", " ").strip()
    if not s:
        return None
    try:
        d = datetime.fromisoformat(s.removesuffix("Z"))
        return d.replace(tzinfo=None)
    except ValueError:
        pass
    for f in _DATE_FORMATS:
        try:
            return datetime.strptime(s, f)
        except ValueError:
            continue
    return None


_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(h|hr|hrs|hours?|m|min|mins|minutes?|s|sec|secs|seconds?)\b")


def _parse_duration(raw: str) -> float:
    """Seconds from "1h 15m", "45m", "30s", "1:15:00" or a plain number of seconds; NaN if none."""
    s = raw.strip().lower()
    if not s:
        return math.nan
    try:
        return float(s)
    except ValueError:
        pass
    if re.fullmatch(r"\d+:\d{1,2}(:\d{1,2})?", s):
        parts = [int(x) for x in s.split(":")]
        if len(parts) == 2:
            parts = [0, *parts]
        return float(parts[0] * 3600 + parts[1] * 60 + parts[2])
    total, pos = 0.0, 0
    for m in _DURATION_PART.finditer(s):
        if s[pos : m.start()].strip():
            return math.nan
        total += float(m.group(1)) * {"h": 3600, "m": 60, "s": 1}[m.group(2)[0]]
        pos = m.end()
    return total if pos and not s[pos:].strip() else math.nan


# ================================================================================ matching
def normalise_name(name: str) -> tuple[str, str]:
    """(base, hint) of a logged exercise name: lower case, accents and punctuation removed, the
    text in parentheses split off as the equipment hint.

    >>> normalise_name("Triceps Pushdown (Cable - Straight Bar)")
    ('triceps pushdown', 'cable straight bar')
    >>> normalise_name("Bankdrücken")
    ('bankdrucken', '')
    """
    s = unicodedata.normalize("NFKD", name.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    hints = re.findall(r"\(([^)]*)\)", s)
    base = re.sub(r"\([^)]*\)", " ", s)
    return _clean(base), _clean(" ".join(hints))


def _clean(s: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", s).split())


def _key(name: str) -> str:
    """The full lookup key of a name: 'base (hint)' or 'base'."""
    base, hint = normalise_name(name)
    return f"{base} ({hint})" if hint else base


@dataclass(frozen=True)
class Match:
    """How one logged name was matched.

    ``method`` is ``"mapping"`` (the caller's), ``"alias"`` (exercise_aliases.toml),
    ``"catalogue"`` (a catalogue name or id), ``"fuzzy"`` (difflib ratio at least
    :data:`FUZZY_THRESHOLD`) or ``"none"``; ``confidence`` is 1.0 for the first three, the ratio
    for a fuzzy match and NaN for none. ``hint`` is the normalised text in parentheses.
    """

    exercise_id: str | None
    confidence: float
    method: str
    hint: str = ""
    suggestions: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class _AliasTable:
    names: dict[str, str]  # full key -> id
    bases: dict[str, str]  # base of hinted entries -> id, where unambiguous
    excluded: dict[str, str]  # full key -> reason


@cache
def _alias_table(path: str, _mtime: int) -> _AliasTable:
    src = TomlSource(path)
    aliases = src.data.get("aliases", {})
    excluded_raw = src.data.get("unmatched", {})
    if not isinstance(aliases, dict) or not isinstance(excluded_raw, dict):
        raise FileFormatError(f"{path}: [aliases] and [unmatched] must be tables")
    names: dict[str, str] = {}
    for ex_id, entries in aliases.items():
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            raise FileFormatError(f"{path}: aliases of {ex_id!r} must be a list of names")
        for e in entries:
            k = _key(e)
            if names.get(k, ex_id) != ex_id:
                line = src.line_of(ex_id, "")
                raise FileFormatError(
                    f"{path}:{f' line {line},' if line else ''} {e!r} is an alias of both "
                    f"{names[k]!r} and {ex_id!r}"
                )
            names[k] = ex_id
    excluded = {_key(k): str(v) for k, v in excluded_raw.items()}
    both = sorted(set(excluded) & set(names))
    if both:
        raise FileFormatError(f"{path}: name(s) both aliased and listed as unmatched: {both}")
    by_base: dict[str, set[str]] = {}
    for k, ex_id in names.items():
        if k.endswith(")"):
            by_base.setdefault(k.split(" (", 1)[0], set()).add(ex_id)
    bases = {b: next(iter(ids)) for b, ids in by_base.items() if len(ids) == 1 and b not in names}
    return _AliasTable(names, bases, excluded)


def load_aliases(path: str | Path = ALIASES_FILE) -> dict[str, str]:
    """The alias table: normalised name (``'base (hint)'``) -> catalogue id."""
    p = Path(path).resolve()
    mtime = p.stat().st_mtime_ns if p.exists() else 0
    return dict(_alias_table(str(p), mtime).names)


class ExerciseMatcher:
    """Matches logged exercise names to catalogue ids.

    Order: the caller's ``mapping`` (exact name, then normalised); the alias table
    (``exercise_aliases.toml``) by full name with its equipment hint, then by the base name;
    names listed there as ``[unmatched]`` stay unmatched; a catalogue exercise whose name or id
    equals the normalised name; then fuzzy matching (:class:`difflib.SequenceMatcher` ratio of
    the normalised names, accepted at :data:`FUZZY_THRESHOLD` or more). An unmatched name gets
    up to 3 suggestions: the catalogue ids of the nearest names.
    """

    def __init__(
        self,
        catalogue: Catalogue | None = None,
        mapping: Mapping[str, str | None] | None = None,
        aliases: str | Path = ALIASES_FILE,
        threshold: float = FUZZY_THRESHOLD,
    ) -> None:
        self.catalogue = catalogue if catalogue is not None else Catalogue.default()
        known = set(self.catalogue.ids)
        p = Path(aliases).resolve()
        table = _alias_table(str(p), p.stat().st_mtime_ns if p.exists() else 0)
        self.threshold = threshold
        self.names = {k: v for k, v in table.names.items() if v in known}
        self.bases = {k: v for k, v in table.bases.items() if v in known}
        self.excluded = table.excluded
        self.mapping: dict[str, str | None] = {}
        for name, ex_id in (mapping or {}).items():
            if ex_id is not None and ex_id not in known:
                raise UnknownNameError(
                    f"mapping {name!r}: unknown exercise {ex_id!r}{hint(ex_id, sorted(known))}"
                )
            self.mapping[name] = ex_id
            self.mapping.setdefault(_key(name), ex_id)
        self.exact: dict[str, str] = {}
        for ex in self.catalogue:
            for k in (_key(ex.name), normalise_name(ex.name)[0], _clean(ex.id)):
                self.exact.setdefault(k, ex.id)
        # fuzzy candidates: every normalised name we know -> id (None: deliberately unmatched)
        self.candidates: dict[str, str | None] = {k: None for k in self.excluded}
        for src in (self.exact, self.bases, self.names):
            self.candidates.update(src)
        self._ranked: dict[tuple[str, str], list[tuple[float, str]]] = {}

    def match(self, name: str) -> Match:
        """The :class:`Match` of one logged name."""
        base, hint = normalise_name(name)
        full = f"{base} ({hint})" if hint else base
        for k in (name, full):
            if k in self.mapping:
                ex_id = self.mapping[k]
                if ex_id is None:
                    return Match(None, math.nan, "none", hint, self._suggest(full, base), "mapped to None")
                return Match(ex_id, 1.0, "mapping", hint)
        for k in (full, base):
            if k in self.names:
                return Match(self.names[k], 1.0, "alias", hint)
            if k in self.excluded:
                return Match(None, math.nan, "none", hint, self._suggest(full, base), self.excluded[k])
        if base in self.bases:
            return Match(self.bases[base], 1.0, "alias", hint)
        for k in (full, base):
            if k in self.exact:
                return Match(self.exact[k], 1.0, "catalogue", hint)
        best, ratio = self._nearest(full, base)
        if best is not None and ratio >= self.threshold:
            ex_id = self.candidates[best]
            if ex_id is None:
                why = f"near {best!r}: {self.excluded[best]}"
                return Match(None, math.nan, "none", hint, self._suggest(full, base), why)
            return Match(ex_id, round(ratio, 4), "fuzzy", hint)
        return Match(None, math.nan, "none", hint, self._suggest(full, base), "no alias, no close name")

    def _ratios(self, full: str, base: str) -> list[tuple[float, str]]:
        """(best ratio of the full or base name, candidate) for every candidate, best first (a
        ratio under 0.3 is reported as 0)."""
        if (full, base) in self._ranked:
            return self._ranked[(full, base)]
        best = dict.fromkeys(self.candidates, 0.0)
        m = difflib.SequenceMatcher(None)
        for q in dict.fromkeys((full, base)):
            m.set_seq2(q)  # SequenceMatcher caches its second sequence
            for cand in self.candidates:
                m.set_seq1(cand)
                r = max(best[cand], 0.3)  # ratios under 0.3 count as 0: never a match nor a suggestion
                if m.real_quick_ratio() > r and m.quick_ratio() > r:
                    best[cand] = max(r, m.ratio())
        out = sorted(((r, c) for c, r in best.items()), key=lambda t: (-t[0], t[1]))
        self._ranked[(full, base)] = out
        return out

    def _nearest(self, full: str, base: str) -> tuple[str | None, float]:
        ranked = self._ratios(full, base)
        return (ranked[0][1], ranked[0][0]) if ranked else (None, 0.0)

    def _suggest(self, full: str, base: str) -> tuple[str, ...]:
        """Up to 3 catalogue ids, nearest first by the difflib ratio or, where higher, the mean of
        the ratio and the share of the name's words found in the candidate; at least 0.4."""
        words = set(base.split())
        scored = []
        for r, cand in self._ratios(base, base):  # the equipment hint only adds noise here
            ex_id = self.candidates[cand]
            if ex_id is None:
                continue
            cwords = set(cand.replace("(", " ").replace(")", " ").split())
            share = len(words & cwords) / max(len(words), 1)
            scored.append((max(r, (r + share) / 2), cand, ex_id))
        scored.sort(key=lambda t: (-t[0], t[1]))
        out: list[str] = []
        for score, _cand, ex_id in scored:
            if score < 0.4 or len(out) == 3:
                break
            if ex_id not in out:
                out.append(ex_id)
        return tuple(out)


def match_exercise(
    name: str, catalogue: Catalogue | None = None, mapping: Mapping[str, str | None] | None = None
) -> Match:
    """Match one logged exercise name (see :class:`ExerciseMatcher`)."""
    return ExerciseMatcher(catalogue, mapping).match(name)


# ================================================================================ 1RM
Formula = Literal["epley", "brzycki", "rpe"]
FORMULAS: dict[str, str] = {
    "epley": "w·(1 + r/30), w at r = 1 (Epley 1985)",
    "brzycki": "w·36/(37 − r), r ≤ 36 (Brzycki 1993)",
    "rpe": "w·36/(37 − (r + 10 − RPE)): Brzycki at reps + reps in reserve (Zourdos et al. 2016 RIR scale)",
}


def e1rm(
    log: Log | pd.DataFrame,
    formula: Formula = "epley",
    *,
    bodyweight: float | None = None,
    catalogue: Catalogue | None = None,
    include_warmups: bool = False,
    max_reps: int | None = None,
) -> pd.DataFrame:
    """Best estimated one-repetition maximum per exercise per session day, from the work sets.

    With w the load lifted (kg) and r the reps (SCIENCE.md 5.1):

    * ``"epley"``: 1RM = w·(1 + r/30) (Epley 1985), and w itself at r = 1: Epley gives
      96.8 % (not 100 %) of the 1RM at one rep (Whisenant et al. 2003), so it applies to r > 1.
    * ``"brzycki"``: 1RM = w·36/(37 − r) = w/(1.0278 − 0.0278·r) (Brzycki 1993), for r ≤ 36.
    * ``"rpe"``: where the set has an RPE, the reps to failure are r + (10 − RPE) (RPE 10 = 0
      reps in reserve, RPE 9 = 1 ...; Zourdos et al. 2016, SCIENCE.md 5.2), and the load is
      that fraction of 1RM by Brzycki: 1RM = w / ((37 − (r + 10 − RPE))/36), for
      r + 10 − RPE ≤ 36; sets without an RPE are left out.

    The estimates are good up to about 10 reps and worse beyond (Whisenant et al. 2003);
    ``max_reps`` leaves out sets with more reps. Sets used: not warm-ups (unless
    ``include_warmups``), reps ≥ 1, not ``not_load``, load > 0.

    The load w of an exercise the catalogue (``catalogue``, default the log's) lists as
    bodyweight (pull-up, dip, back extension ...) is the total moved load, body share
    included: ``bodyweight_fraction × bodyweight + logged kg`` (minus the logged kg for an
    assisted variant, ``assisted``), as in :meth:`Athlete.planned_load`. Without
    ``bodyweight`` those sets are left out, as are the sets of assisted external-load
    variants, whose logged weight is assistance, not load.

    Returns a DataFrame with columns exercise (as logged), exercise_id, date (the session day),
    e1rm_kg, and of the best set load_kg (w), weight_kg (as logged), reps and rpe, then sets
    (the sets that day that gave an estimate); sorted by exercise and date.
    """
    if formula not in FORMULAS:
        raise ValidationError(f"unknown 1RM formula {formula!r}; known: {', '.join(FORMULAS)}")
    if bodyweight is not None and not (isinstance(bodyweight, int | float) and 20 <= bodyweight <= 300):
        raise ValidationError(f"bodyweight must be in [20, 300] kg, got {bodyweight!r}")
    if isinstance(log, Log):
        s = log.work_sets(include_warmups)
        cat = catalogue if catalogue is not None else log.catalogue
    else:
        s = log if include_warmups else log[log["set_type"] != "warmup"]
        cat = catalogue if catalogue is not None else Catalogue.default()
    fraction = {e.id: e.bodyweight_fraction for e in cat if e.load == "bodyweight"}
    body = s["exercise_id"].map(lambda i: fraction.get(i, 0.0) if isinstance(i, str) else 0.0)
    body_share = body.to_numpy(dtype=float) * (bodyweight or 0.0)
    is_body = body.to_numpy(dtype=float) > 0
    assisted = s["assisted"].to_numpy(dtype=bool)
    logged = np.nan_to_num(s["weight_kg"].to_numpy(dtype=float))
    w = np.where(is_body, body_share + np.where(assisted, -logged, logged), logged)
    r = s["reps"].to_numpy(dtype=float)
    ok = (w > 0) & (r >= 1) & s["not_load"].isna().to_numpy()
    ok &= (~is_body | (bodyweight is not None)) & (is_body | ~assisted)
    if max_reps is not None:
        ok &= r <= max_reps
    with np.errstate(divide="ignore", invalid="ignore"):
        if formula == "epley":
            est = np.where(r == 1, w, w * (1 + r / 30))
        elif formula == "brzycki":
            ok &= r <= 36
            est = w * 36 / (37 - r)
        else:
            rpe = s["rpe"].to_numpy(dtype=float)
            to_failure = r + (10 - rpe)
            ok &= np.isfinite(rpe) & (to_failure <= 36)
            est = w * 36 / (37 - to_failure)
    cols = ["exercise", "exercise_id", "date", "e1rm_kg", "load_kg", "weight_kg", "reps", "rpe", "sets"]
    if not ok.any():
        return pd.DataFrame(columns=cols)
    d = s.loc[ok, ["exercise", "exercise_id", "weight_kg", "reps", "rpe"]].copy()
    d["e1rm_kg"] = est[ok]
    d["load_kg"] = w[ok]
    d["date"] = s.loc[ok, "date"].dt.normalize()
    grouped = d.groupby(["exercise", "date"], sort=True)
    best = d.loc[grouped["e1rm_kg"].idxmax()].copy()
    best["sets"] = grouped["e1rm_kg"].size().to_numpy()
    out: pd.DataFrame = best[cols].reset_index(drop=True)
    return out


def known_formats() -> dict[str, str]:
    """The log formats :func:`read_log` reads, with their header."""
    return dict(FORMATS)


__all__ = [
    "ALIASES_FILE",
    "FORMATS",
    "FORMULAS",
    "FUZZY_THRESHOLD",
    "LB_KG",
    "MAX_REPS",
    "MAX_WEIGHT_KG",
    "MILE_M",
    "SET_COLUMNS",
    "SET_TYPES",
    "ExerciseMatcher",
    "ImportReport",
    "Log",
    "Match",
    "e1rm",
    "known_formats",
    "load_aliases",
    "match_exercise",
    "normalise_name",
    "read_log",
]

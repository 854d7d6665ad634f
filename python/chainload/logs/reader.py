"""The generic workout-log reader: it follows a :class:`~chainload.logs.format.LogFormat` and names
no app.

Every physical line of the file is accounted for (:attr:`ImportReport.lines`): a line ends at
``\\n``, ``\\r\\n`` or ``\\r`` only, as CSV readers split (a form feed, ``\\x0b``, ``\\x85`` or
U+2028 is text inside a line, so it can neither hide a row nor shift the line numbers); each line
is a header line, a blank line before the header, or part of a row that is used or reported with
its reason. A header repeated inside the file (two exports concatenated) is honoured: its columns
and units apply to the rows after it, and it is reported (kind ``header``).
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..catalogue import Catalogue
from ..errors import FileFormatError, ValidationError
from .format import FORMATS, SET_TYPE_NAMES, Cells, LogFormat, Skip, header_unit, normalise_header
from .log import MAX_REPS, MAX_WEIGHT_KG, SET_COLUMNS, Log
from .matching import ExerciseMatcher, Match, normalise_name
from .report import ImportReport
from .units import Kind, Units, canonical, parse_units

HEADER_SEARCH = 5
"""The header is looked for on the first this many non-blank lines; lines above it are reported."""
_NEWLINE = re.compile(r"\r\n|\r|\n")
_DATE_FORMATS = (
    "%d %b %Y, %H:%M", "%d %b %Y, %H:%M:%S", "%d %B %Y, %H:%M", "%d %B %Y, %H:%M:%S", "%d %b %Y %H:%M",
    "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %I:%M %p", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d",
)  # fmt: skip


def read_log(
    path: str | Path,
    format: str | LogFormat | None = None,
    units: str | Mapping[str, object] | None = None,
    mapping: Mapping[str, str | None] | str | Path | None = None,
    catalogue: Catalogue | None = None,
) -> Log:
    """Read a workout-log export (Strong, Hevy, FitNotes, Liftosaur ...) into a :class:`Log`.

    Args:
        path: the CSV file. Any of UTF-8 (with or without a byte-order mark), UTF-16 with a
            byte-order mark; other bytes fall back to cp1252/latin-1, which the report notes.
        format: a registered format's name (:func:`chainload.logs.known_formats`) or a
            :class:`~chainload.logs.LogFormat`; detected from the header when None. A header of no
            known format raises :class:`FileFormatError` listing the known formats.
        units: the units of a file that does not state them (a Strong export with a plain
            "Weight" column): ``"kg"``/``"metric"`` (kg and km, the default, noted in the report)
            or ``"lbs"``/``"imperial"`` (lbs and miles), or ``{"weight": "lbs", "distance":
            "km"}``; other keys of the mapping name units the file uses that chainload does not
            know: ``{"furlong": (201.168, "m")}``. A unit the file states (a "Weight (kg)" or
            "weight_lbs" column, a "Weight Unit" value) wins; a ``units`` that contradicts a unit
            stated in the header is an error, and so is an unknown unit in the file (naming the
            file, line and value).
        mapping: logged exercise name -> catalogue id, overriding the alias table and fuzzy
            matching (None as the id keeps a name unmatched). Keys match exactly or after
            normalisation. A path is read as a TOML mapping file (``logs.load_mapping``).
        catalogue: the catalogue to match against (default :meth:`Catalogue.default`).

    Rows are never dropped silently: blank or garbled rows, rows that are not sets (Strong's
    rest-timer and note rows), unparsable dates, negative weights, reps, distances or times,
    weights over :data:`MAX_WEIGHT_KG` and reps over :data:`MAX_REPS`, and duplicate rows
    (identical in every field to an earlier row under the same header: the first is kept) go to
    ``report.skipped`` with their line. Rows with a distance or a time and no reps (cardio,
    planks) are kept, marked in ``not_load``. A format's ``repeatable`` rows (Strong's W/D/F
    sets) are never duplicates.
    """
    p = Path(path)
    cat = catalogue if catalogue is not None else Catalogue.default()
    if format is not None and not isinstance(format, LogFormat):
        if not isinstance(format, str) or format not in FORMATS:
            raise ValidationError(f"unknown log format {format!r}; known: {', '.join(FORMATS)}")
        format = FORMATS[format]
    resolved = parse_units(units)
    text, encoding, enc_note = _decode(p)
    return _Reader(p, text, encoding, format, resolved, cat, mapping, enc_note).read()


LOG_MEMORY_PER_BYTE = 24
"""Bytes of memory reading a log takes per byte of the file (engine estimate, see _decode)."""


def _decode(p: Path) -> tuple[str, str, str]:
    """(text, encoding, note): UTF-8 (BOM stripped), UTF-16 with a BOM, else cp1252 or latin-1."""
    try:
        from ..config import check_memory

        # engine estimate: reading peaks at 18-19 x the file's size on the two shared real
        # exports (tracemalloc), rounded up to LOG_MEMORY_PER_BYTE
        check_memory(p.stat().st_size * LOG_MEMORY_PER_BYTE, f"reading the log {p}")
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


class _Reader:
    """One pass over a decoded file: header, rows, matching, report."""

    def __init__(
        self,
        path: Path,
        text: str,
        encoding: str,
        fmt: LogFormat | None,
        units: Units,
        catalogue: Catalogue,
        mapping: Mapping[str, str | None] | str | Path | None,
        enc_note: str,
    ) -> None:
        self.path, self.text, self.encoding, self.fmt_wanted = path, text, encoding, fmt
        self.units = units
        self.catalogue = catalogue
        self.matcher = ExerciseMatcher(catalogue, mapping)
        self.notes: list[str] = [enc_note] if enc_note else []
        self.value_notes: dict[str, list[int]] = {}
        self._dates: dict[str, datetime | None] = {}
        self._durations: dict[str, float] = {}
        self.lines = {"physical": 0, "header": 0, "blank": 0, "used": 0, "reported": 0}
        self.headers: list[tuple[int, str]] = []
        self.seen_units: dict[str, set[str]] = {"weight": set(), "distance": set()}
        self.assumed: list[str] = []
        self.assumed_distance_used = False
        self.ignored: dict[str, None] = {}

    # --- header ---------------------------------------------------------------------------
    def _header(self) -> tuple[LogFormat, str, list[str], int]:
        """(format, delimiter, header fields, line of the header)."""
        lines = _NEWLINE.split(self.text)
        nonblank = [i for i, line in enumerate(lines[:10_000]) if line.strip()]
        if not nonblank:
            raise FileFormatError(f"{self.path}: the file is empty")
        first = nonblank[0]
        tried: list[list[str]] = []
        candidates = (self.fmt_wanted,) if self.fmt_wanted else tuple(FORMATS.values())
        for k in nonblank[:HEADER_SEARCH]:  # a title line or two above the header is reported
            for delim in (",", ";", "\t"):
                fields = next(csv.reader([lines[k]], delimiter=delim))
                if k == first:
                    tried.append(fields)
                for fmt in candidates:
                    if fmt.missing(fields) == []:
                        return fmt, delim, fields, k + 1
        best = max(tried, key=len)
        if self.fmt_wanted:
            missing = self.fmt_wanted.missing(best)
            raise FileFormatError(
                f"{self.path}: line {first + 1}: not a {self.fmt_wanted.name} export: missing column(s) "
                f"{', '.join(missing)}; the header is {', '.join(best)!s:.200}"
            )
        known = "; ".join(f"{k}: {v.description}" for k, v in FORMATS.items())
        raise FileFormatError(
            f"{self.path}: line {first + 1}: unknown log format (header {', '.join(best)!s:.200}); "
            f"known formats: {known}"
        )

    def _use_header(self, header: list[str], line: int) -> None:
        """Columns and units of the rows after a header line."""
        idx: dict[str, int] = {}
        for i, name in enumerate(header):
            column = self.fmt.columns.get(normalise_header(name))
            if column is not None and column not in idx:
                idx[column] = i
            elif column is None and name.strip():
                self.ignored.setdefault(name.strip(), None)
        self.idx = idx
        self.n_fields = len(header)
        self._setup_units(header, line)

    # --- values ---------------------------------------------------------------------------
    def _number(self, raw: str, what: str) -> float | None:
        s = raw.strip()
        if not s:
            return None
        if self.fmt.decimal_comma and self.delim != "," and re.fullmatch(r"[-+]?\d+,\d+", s):
            s = s.replace(",", ".")
        try:
            x = float(s)
        except ValueError:
            raise Skip("bad value", f"{what} {raw!r} is not a number") from None
        if not math.isfinite(x):
            raise Skip("bad value", f"{what} {raw!r} is not a finite number")
        return x

    def _date(self, raw: str) -> datetime:
        if raw not in self._dates:
            self._dates[raw] = _parse_date(raw)
        d = self._dates[raw]
        if d is None:
            raise Skip("bad date", f"unparsable date {raw!r}")
        return d

    def _duration(self, raw: str) -> float:
        if raw not in self._durations:
            self._durations[raw] = _parse_duration(raw)
        return self._durations[raw]

    def _note(self, topic: str, line: int) -> None:
        self.value_notes.setdefault(topic, []).append(line)

    def _unit(self, raw: str, kind: Kind, line: int) -> tuple[str, float]:
        u = self.units.lookup(raw, kind)
        if u is None:
            known = "kg, lbs" if kind == "weight" else "km, m, mi (mi.), yd, ft"
            raise FileFormatError(
                f"{self.path}: line {line}: unknown {kind} unit {raw!r} (known: {known}); if it is a unit, "
                f"map it: read_log(..., units={{{raw!r}: (factor, {'kg' if kind == 'weight' else 'm'!r})}})"
            )
        return u

    # --- the pass -------------------------------------------------------------------------
    def read(self) -> Log:
        fmt, self.delim, header, header_line = self._header()
        self.fmt = fmt
        self.lines["header"] = 1
        self._use_header(header, header_line)
        generation = 0

        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delim)
        rows: list[tuple[Any, ...]] = []
        skipped: list[tuple[int, str, str]] = []
        duplicates: list[tuple[int, int]] = []
        seen: dict[tuple[Any, ...], int] = {}
        prev = 0
        while True:
            try:
                rec = next(reader)
            except StopIteration:
                break
            except csv.Error as e:  # pragma: no cover - the non-strict reader rarely raises
                start, prev = prev + 1, reader.line_num
                skipped.append((start, "garbled", f"unreadable CSV: {e}"))
                self.lines["reported"] += prev - start + 1
                continue
            start, prev = prev + 1, reader.line_num
            span = prev - start + 1
            if start == header_line:
                self.lines["header"] = span
                continue
            if start < header_line <= prev:
                raise FileFormatError(
                    f"{self.path}: line {start}: a quoted field opened above the header runs into it "
                    f"(line {header_line}): an unbalanced quote"
                )
            if start < header_line:
                if rec and any(f.strip() for f in rec):
                    skipped.append((start, "not a set", "a line above the header"))
                    self.lines["reported"] += span
                else:
                    self.lines["blank"] += span
                continue
            if rec and self.fmt.missing(rec) == [] and self._is_header(rec):
                generation += 1
                self.lines["header"] += span
                self._use_header(rec, start)
                units = self.headers[-1][1]
                skipped.append(
                    (
                        start,
                        "header",
                        f"a repeated header: its columns and units ({units}) apply to the rows after it",
                    )
                )
                self.notes.append(
                    f"line {start}: a second header ({units}); the rows after it are read with its units"
                )
                continue
            try:
                self._check_shape(rec, start, prev)
                key = (generation, *rec)
                row, cells = self._row(rec, start)  # may raise Skip (not a set, bad value ...)
                if key in seen and not self.fmt.repeatable(cells):
                    duplicates.append((start, seen[key]))
                    raise Skip("duplicate", f"duplicate of line {seen[key]} (identical in every field)")
                seen.setdefault(key, start)
                rows.append(row)
                self.lines["used"] += span
            except Skip as s:
                skipped.append((start, s.kind, s.reason))
                self.lines["reported"] += span
        self.lines["physical"] = max(prev, header_line)
        if self.ignored:
            self.notes.append(f"columns not read: {', '.join(self.ignored)}")
        return self._finish(rows, skipped, duplicates)

    def _is_header(self, rec: list[str]) -> bool:
        """A record whose every non-empty cell is a known column name of the format."""
        return all(not f.strip() or normalise_header(f) in self.fmt.columns for f in rec)

    def _check_shape(self, rec: list[str], start: int, end: int) -> None:
        """Empty records, a wrong number of fields, or a quoted field that swallowed rows."""
        if not rec or not any(f.strip() for f in rec):
            raise Skip("empty", "empty line")
        n = len(rec)
        span = f" (the record runs over lines {start}-{end}: an unbalanced quote?)" if end > start else ""
        if n < self.n_fields:
            raise Skip(
                "garbled", f"{n} of {self.n_fields} fields (truncated row or a separator missing){span}"
            )
        if n > self.n_fields and any(f.strip() for f in rec[self.n_fields :]):
            raise Skip("garbled", f"{n} fields where the header has {self.n_fields}{span}")
        if span:  # a quoted field runs over lines: fine for notes, unless it swallowed rows
            for f in rec:
                if any(part.count(self.delim) >= self.n_fields - 1 for part in _NEWLINE.split(f)[1:]):
                    raise Skip("garbled", f"a quoted field holds whole rows{span}")

    def _setup_units(self, header: list[str], line: int) -> None:
        """Header units, per-row unit columns, defaults and what is assumed."""
        arg_w, arg_d = self.units.weight, self.units.distance
        stated: dict[str, tuple[str, float] | None] = {"weight": None, "distance": None}
        for name in header:
            key = self.fmt.columns.get(normalise_header(name))
            if key in ("weight", "distance"):
                kind: Kind = "weight" if key == "weight" else "distance"
                raw = header_unit(normalise_header(name))
                if raw is not None:
                    stated[kind] = self._unit(raw, kind, line)
        for kind, arg in (("weight", arg_w), ("distance", arg_d)):
            st = stated[kind]
            if st is not None and arg is not None and canonical(st[0], kind) not in (None, arg):
                raise ValidationError(
                    f"{self.path}: units={arg!r} for {kind}, but the header states {st[0]!r}"
                )
        self.row_units = {"weight": "weight_unit" in self.idx, "distance": "distance_unit" in self.idx}
        sw, sd = stated["weight"], stated["distance"]
        self.default_w: tuple[str, float] = sw or self.units.lookup(arg_w or "kg", "weight") or ("kg", 1.0)
        self.default_d: tuple[str, float] = (
            sd or self.units.lookup(arg_d or "km", "distance") or ("km", 1000.0)
        )
        if sw:
            self.seen_units["weight"].add(sw[0])
        if sd:
            self.seen_units["distance"].add(sd[0])
        said = []
        if not sw and not self.row_units["weight"]:
            self.assumed.append("weight")
            self.seen_units["weight"].add(self.default_w[0])
            self.notes.append(
                f"the file states no weight unit: {self.default_w[0]} "
                + ("as given by units=" if arg_w else "assumed (pass units='lbs' if the weights are pounds)")
            )
            said.append(f"weight {self.default_w[0]} assumed")
        else:
            said.append(f"weight {sw[0] if sw else 'per row'}")
        self.assume_distance = not sd and not self.row_units["distance"] and "distance" in self.idx
        if sd:
            said.append(f"distance {sd[0]}")
        else:
            said.append(
                "distance per row" if self.row_units["distance"] else f"distance {self.default_d[0]} assumed"
            )
        self.headers.append((line, ", ".join(said)))

    def _row(self, rec: list[str], line: int) -> tuple[tuple[Any, ...], Cells]:
        cells: Cells = {f: rec[i].strip() for f, i in self.idx.items()}
        cells = self.fmt.prepare(cells)
        get = cells.get
        raw_type = get("set_type", "").lower()
        set_type = SET_TYPE_NAMES.get(raw_type, "")
        if not set_type:
            self._note(f"unknown set_type {raw_type!r} read as normal", line)
            set_type = "normal"
        si = self._number(get("set_index", ""), "set_index")
        set_index = si if si is not None else math.nan
        superset: float = math.nan
        sid = get("superset_id", "")
        if sid:
            superset = self._number(sid, "superset_id") or 0.0
        workout_seconds = self._duration(get("duration", ""))
        date = self._date(get("date", ""))
        raw_end = get("end", "")
        if raw_end:
            if raw_end not in self._dates:
                self._dates[raw_end] = _parse_date(raw_end)
            end = self._dates[raw_end]
            if end is not None and end >= date:
                workout_seconds = (end - date).total_seconds()
        exercise = get("exercise", "")
        if not exercise:
            raise Skip("garbled", "no exercise name")

        weight = self._number(get("weight", ""), "weight")
        wlabel, wfactor = self.default_w
        if self.row_units["weight"] and get("weight_unit", "") and weight is not None:
            wlabel, wfactor = self._unit(get("weight_unit", ""), "weight", line)
        if weight is not None:
            self.seen_units["weight"].add(wlabel)
            if weight < 0:
                raise Skip("bad value", f"negative weight {get('weight')} {wlabel}")
            weight *= wfactor
            if weight > MAX_WEIGHT_KG:
                raise Skip("bad value", f"absurd weight {get('weight')} {wlabel} (over {MAX_WEIGHT_KG:g} kg)")
        reps = self._number(get("reps", ""), "reps")
        if reps is not None and reps < 0:
            raise Skip("bad value", f"negative reps {get('reps')}")
        if reps is not None and reps > MAX_REPS:
            raise Skip("bad value", f"absurd reps {get('reps')} (over {MAX_REPS})")
        distance = self._number(get("distance", ""), "distance")
        if distance is not None:
            if distance < 0:
                raise Skip("bad value", f"negative distance {get('distance')}")
            if distance > 0:
                dlabel, dfactor = self.default_d
                if self.row_units["distance"] and get("distance_unit", ""):
                    dlabel, dfactor = self._unit(get("distance_unit", ""), "distance", line)
                elif self.assume_distance:
                    self.assumed_distance_used = True
                    if "distance" not in self.assumed:
                        self.assumed.append("distance")
                self.seen_units["distance"].add(dlabel)
                distance *= dfactor
        raw_s = get("seconds", "")
        try:
            seconds = self._number(raw_s, "seconds")
        except Skip:
            seconds = self._duration(raw_s)
            if math.isnan(seconds):
                raise
        if seconds is not None and seconds < 0:
            raise Skip("bad value", f"negative seconds {raw_s}")
        rpe = self._number(get("rpe", ""), "RPE")
        if rpe is not None and not 0 < rpe <= 10:
            self._note(f"RPE outside (0, 10] ignored ({get('rpe')!r} ...)", line)
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
        row = (
            date, get("workout", ""), exercise, set_index, set_type,
            nan if weight is None else weight, nan if reps is None else reps, nan if rpe is None else rpe,
            nan if distance is None else distance, nan if seconds is None else seconds,
            get("notes", ""), line, not_load, superset, workout_seconds, get("workout_notes", ""),
        )  # fmt: skip
        return row, cells

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
        if self.assumed_distance_used:
            self.notes.append(f"the file states no distance unit: {self.default_d[0]} assumed")
        assumed = tuple(dict.fromkeys(self.assumed))
        report = ImportReport(
            path=self.path,
            format=self.fmt.name,
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
            lines=dict(self.lines),
            headers=pd.DataFrame(self.headers, columns=["line", "units"]).astype({"line": np.int64}),
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


def known_formats() -> dict[str, str]:
    """The log formats :func:`read_log` detects: name -> the header it expects, in words."""
    return {k: v.description for k, v in FORMATS.items()}


__all__ = ["known_formats", "read_log"]

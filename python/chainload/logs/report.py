"""The import report of :func:`chainload.read_log`: what happened to every physical line of a file."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


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
            ``bad value``, ``header``: a repeated header) and the reason in words.
        duplicates: DataFrame (line, duplicate_of): rows identical in every field to an earlier
            row (the first is kept); they are in ``skipped`` too.
        unmatched: DataFrame (exercise, rows, suggestions, reason): logged names without a
            catalogue id, how many sets they have in :attr:`Log.sets`, up to 3 catalogue ids.
        matched: DataFrame (exercise, exercise_id, confidence, method, rows) of matched names.
        units: the original units seen, e.g. ``{"weight": ("kg", "lbs"), "distance": ("km",)}``.
        assumed_units: which of those the file did not state (assumed or taken from ``units=``).
        lines: every physical line of the file (a line ends at \\n, \\r\\n or \\r, as CSV
            readers split; form feeds, \\x0b, \\x85 or U+2028 inside a line are text) counted once:
            ``physical`` = ``header`` (header lines, a repeated header included) + ``blank``
            (blank lines before the first header) + ``used`` (lines of rows in :attr:`Log.sets`,
            a quoted field running over lines counts each) + ``reported`` (lines of rows in
            ``skipped``).
        headers: DataFrame (line, units): every header line; a second header inside the file
            (two exports concatenated) sets the columns and units of the rows after it.
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
    lines: dict[str, int] = field(default_factory=dict)
    headers: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["line", "units"]))

    def __post_init__(self) -> None:
        if self.rows_read != self.rows_used + len(self.skipped):  # pragma: no cover - an internal bug
            raise AssertionError(
                f"{self.path}: rows_read {self.rows_read} != rows_used {self.rows_used} "
                f"+ skipped {len(self.skipped)}"
            )
        if self.lines:
            parts = sum(v for k, v in self.lines.items() if k != "physical")
            if parts != self.lines["physical"]:  # pragma: no cover - an internal bug
                raise AssertionError(f"{self.path}: physical lines do not add up: {self.lines}")

    @property
    def matched_share(self) -> float:
        """Share of the used rows whose exercise matched a catalogue id (NaN for no rows)."""
        if self.rows_used == 0:
            return math.nan
        return float(self.matched["rows"].sum()) / self.rows_used

    def skipped_by_kind(self) -> pd.Series:
        """Number of skipped rows per kind."""
        return self.skipped["kind"].value_counts()

    def summary(self) -> pd.Series:
        """The report's counts by name: ``rows_read``, ``rows_used``, ``skipped``, then
        ``skipped:<kind>`` per kind, ``lines:<part>`` per part of :attr:`lines`, ``headers``,
        ``names_matched``, ``names_unmatched``, ``matched_share`` and ``out_of_order``. The
        same facts with the file, encoding, units and notes in words: :meth:`describe`."""
        facts: dict[str, float] = {
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "skipped": len(self.skipped),
        }
        facts |= {f"skipped:{k}": int(n) for k, n in self.skipped_by_kind().items()}
        facts |= {f"lines:{k}": v for k, v in self.lines.items()}
        facts |= {
            "headers": len(self.headers),
            "names_matched": len(self.matched),
            "names_unmatched": len(self.unmatched),
            "matched_share": self.matched_share,
            "out_of_order": self.out_of_order,
        }
        return pd.Series(facts, dtype=float, name=self.path.name)

    def describe(self) -> str:
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
            (
                f"lines {self.lines['physical']}: "
                + ", ".join(f"{k} {v}" for k, v in self.lines.items() if k != "physical")
                if self.lines
                else ""
            )
            + (
                f"; headers on lines {', '.join(str(x) for x in self.headers['line'])}"
                if len(self.headers) > 1
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

    def __str__(self) -> str:
        return self.describe()

    def __repr__(self) -> str:
        return (
            f"ImportReport({self.path.name!r}, {self.format}: read {self.rows_read}, used {self.rows_used}, "
            f"skipped {len(self.skipped)}, unmatched names {len(self.unmatched)})"
        )


__all__ = ["ImportReport"]

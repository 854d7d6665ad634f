"""The Strong app's exports, every variant seen:

* older comma CSV: ``Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,
  Seconds,Notes,Workout Notes,RPE`` (units not stated);
* semicolons with units in columns: ``...;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;...``
  (decimal commas in some locales; ``Distance Unit`` written, e.g. ``mi.``, even when Distance is
  empty);
* newest, units in headers: ``"Workout #";"Date";...;"Duration (sec)";...;"Weight (kg)";...;
  "Distance (meters)";...``.

Set Order is a number, ``W``/``D``/``F`` (warm-up, drop set, failure), ``Rest Timer`` or ``Note``
(rows that are not sets). Two identical W/D/F rows are genuine repeats (the app does not number them).
"""

from __future__ import annotations

import re

from .format import Cells, LogFormat, Skip

_LETTERS = {"w": "warmup", "d": "dropset", "f": "failure"}

COLUMNS = {
    "date": "date", "workout name": "workout", "exercise name": "exercise", "set order": "set_type",
    "weight": "weight", "weight (kg)": "weight", "weight (kgs)": "weight", "weight (lb)": "weight",
    "weight (lbs)": "weight", "weight unit": "weight_unit", "reps": "reps", "rpe": "rpe",
    "distance": "distance", "distance (km)": "distance", "distance (m)": "distance",
    "distance (meters)": "distance", "distance (metres)": "distance", "distance (mi)": "distance",
    "distance (miles)": "distance", "distance unit": "distance_unit", "seconds": "seconds",
    "notes": "notes", "workout notes": "workout_notes", "duration": "duration",
    "workout duration": "duration", "duration (sec)": "duration", "duration (s)": "duration",
    "duration (seconds)": "duration",
}  # fmt: skip


def prepare(cells: Cells) -> Cells:
    """Set Order -> set type; Rest Timer and Note rows are not sets."""
    order = cells.get("set_type", "")
    low = order.lower()
    if low == "rest timer":
        raise Skip("not a set", "rest timer row")
    if low == "note":
        raise Skip("not a set", "note row")
    if not order or re.fullmatch(r"\d+(\.0+)?", order):
        cells["set_type"] = "normal"
    elif re.fullmatch(r"[wdf]\d*", low):
        cells["set_type"] = _LETTERS[low[0]]
    else:
        raise Skip("bad value", f"unknown Set Order {order!r}")
    return cells


def repeatable(cells: Cells) -> bool:
    """Rows whose Set Order is a letter: identical repeats are genuine sets."""
    return cells.get("set_type", "") in ("warmup", "dropset", "failure")


STRONG = LogFormat(
    name="strong",
    description="Strong app export (Date, Workout Name, Exercise Name, Set Order, Weight, Reps, ...; "
    "comma or semicolon separated)",
    columns=COLUMNS,
    required=("date", "workout", "exercise", "set_type", "weight", "reps"),
    prepare=prepare,
    repeatable=repeatable,
)

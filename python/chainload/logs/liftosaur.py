"""The Liftosaur CSV export: ``Workout DateTime,Program,Day Name,Exercise,Is Warmup Set?,Required
Reps,Completed Reps,Is AMRAP?,Required RPE,Completed RPE,Log RPE?,Required Weight Value,Required
Weight Unit,Completed Weight Value,Completed Weight Unit,Ask Weight?,Completed Reps Time,Target
Muscles,Synergist Muscles,Notes``. One row per set with the prescription and what was done side by
side: the completed reps, weight and RPE are read (the prescribed ones ignored); ISO timestamps
with ``Z``; units per row (``lb``, ``kg``). Exercise names are written ``Bench Press, Barbell``:
they are read as ``Bench Press (Barbell)``, the equipment in parentheses as other apps write it."""

from __future__ import annotations

from .format import Cells, LogFormat

COLUMNS = {
    "workout datetime": "date", "day name": "workout", "exercise": "exercise",
    "is warmup set?": "set_type", "completed reps": "reps", "completed rpe": "rpe",
    "completed weight value": "weight", "completed weight unit": "weight_unit", "notes": "notes",
}  # fmt: skip

_TRUE = {"1", "true", "yes", "y"}


def prepare(cells: Cells) -> Cells:
    """Warm-up flag -> set type; "Name, Equipment" -> "Name (Equipment)"."""
    cells["set_type"] = "warmup" if cells.get("set_type", "").lower() in _TRUE else "normal"
    name = cells.get("exercise", "")
    if ", " in name and "(" not in name:
        base, _, equipment = name.rpartition(", ")
        cells["exercise"] = f"{base} ({equipment})"
    return cells


def always(cells: Cells) -> bool:
    """Liftosaur numbers no sets: two identical rows are two sets of the same weight and reps."""
    return True


LIFTOSAUR = LogFormat(
    name="liftosaur",
    description="Liftosaur export (Workout DateTime, Program, Day Name, Exercise, Is Warmup Set?, ..., "
    "Completed Reps, ..., Completed Weight Value, Completed Weight Unit, ...)",
    columns=COLUMNS,
    required=("date", "exercise", "reps", "weight", "weight_unit"),
    prepare=prepare,
    repeatable=always,
)

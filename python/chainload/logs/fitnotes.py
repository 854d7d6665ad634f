"""The FitNotes (Android) CSV export: ``Date,Exercise,Category,Weight (kgs),Reps,Distance,
Distance Unit,Time,Comment`` (or ``Weight (lbs)``; newer exports ``Weight,Weight Unit``). It has no
workout name: one date is one session (the workout is named by its date). Category is a coarse
muscle group (ignored: the catalogue says which muscles an exercise loads). Time is the set's
duration (``0:01:30`` or seconds)."""

from __future__ import annotations

from .format import Cells, LogFormat

COLUMNS = {
    "date": "date", "exercise": "exercise", "weight": "weight", "weight (kgs)": "weight",
    "weight (kg)": "weight", "weight (lbs)": "weight", "weight (lb)": "weight",
    "weight unit": "weight_unit", "reps": "reps", "distance": "distance", "distance unit": "distance_unit",
    "time": "seconds", "comment": "notes",
}  # fmt: skip


def prepare(cells: Cells) -> Cells:
    """No workout name in the file: the day is the workout."""
    cells["workout"] = cells.get("date", "")
    return cells


def always(cells: Cells) -> bool:
    """FitNotes numbers no sets: two identical rows are two sets of the same weight and reps."""
    return True


FITNOTES = LogFormat(
    name="fitnotes",
    description="FitNotes export (Date, Exercise, Category, Weight (kgs) or Weight (lbs) or Weight + "
    "Weight Unit, Reps, Distance, Distance Unit, Time, Comment)",
    columns=COLUMNS,
    required=("date", "exercise", "weight", "reps"),
    prepare=prepare,
    repeatable=always,
)

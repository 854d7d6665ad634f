"""The Hevy app's export: ``title,start_time,end_time,description,exercise_title,superset_id,
exercise_notes,set_index,set_type,weight_kg`` (or ``weight_lbs``) ``,reps,distance_km`` (or
``distance_miles``) ``,duration_seconds,rpe``; set_type normal, warmup, dropset or failure; dates in
the export's language (``15 Sep 2025, 07:48``)."""

from __future__ import annotations

from .format import LogFormat

COLUMNS = {
    "title": "workout", "start_time": "date", "end_time": "end", "description": "workout_notes",
    "exercise_title": "exercise", "superset_id": "superset_id", "exercise_notes": "notes",
    "set_index": "set_index", "set_type": "set_type", "weight_kg": "weight", "weight_lbs": "weight",
    "weight_lb": "weight", "reps": "reps", "distance_km": "distance", "distance_miles": "distance",
    "distance_mi": "distance", "distance_meters": "distance", "distance_m": "distance",
    "duration_seconds": "seconds", "rpe": "rpe",
}  # fmt: skip

HEVY = LogFormat(
    name="hevy",
    description="Hevy app export (title, start_time, exercise_title, set_index, set_type, weight_kg or "
    "weight_lbs, reps, ...)",
    columns=COLUMNS,
    required=("workout", "date", "exercise", "weight", "reps"),
)

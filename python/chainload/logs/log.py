"""The :class:`Log` a workout-log reader returns: one row per set, the import report, and the
history as a :class:`~chainload.program.Program`."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import _display
from ..catalogue import Catalogue
from ..errors import ValidationError
from ..program import Prescription, Program, Session
from .e1rm import Formula, e1rm, strength_tests
from .report import ImportReport

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_WEIGHT_KG = 1000.0
"""A logged weight above this (after conversion to kg) is rejected as absurd."""
MAX_REPS = 200
"""More reps than this in one set are rejected as absurd."""
SET_TYPES = ("normal", "warmup", "failure", "dropset")
SET_COLUMNS = (
    "date", "workout", "exercise", "exercise_id", "match_confidence", "set_index", "set_type",
    "weight_kg", "reps", "rpe", "distance_m", "seconds", "notes", "line", "not_load", "equipment",
    "assisted", "superset_id", "workout_seconds", "workout_notes",
)  # fmt: skip
"""Columns of :attr:`Log.sets`, in order."""


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
        """:func:`chainload.e1rm` of this log."""
        return e1rm(self, formula, **kwargs)

    def strength_tests(self, **kwargs: Any) -> pd.DataFrame:
        """:func:`chainload.logs.strength_tests` of this log: the sets that count as strength tests."""
        return strength_tests(self, **kwargs)

    def daily(self) -> pd.DataFrame:
        """Per calendar day and exercise: work sets, reps, volume load (kg × reps) and timed seconds
        (warm-ups left out; every set kind kept, the ``not_load`` ones counted apart)."""
        s = self.work_sets()
        d = pd.DataFrame(
            {
                "date": s["date"].dt.normalize(),
                "exercise": s["exercise"],
                "exercise_id": s["exercise_id"],
                "sets": 1,
                "load_sets": s["not_load"].isna().astype(int),
                "reps": s["reps"].fillna(0.0),
                "volume_kg": (s["weight_kg"].fillna(0.0) * s["reps"].fillna(0.0)).where(
                    s["not_load"].isna(), 0.0
                ),
                "seconds": s["seconds"].fillna(0.0),
                "distance_m": s["distance_m"].fillna(0.0),
            }
        )
        out: pd.DataFrame = d.groupby(["date", "exercise"], sort=True, dropna=False).agg(
            exercise_id=("exercise_id", "first"),
            sets=("sets", "sum"),
            load_sets=("load_sets", "sum"),
            reps=("reps", "sum"),
            volume_kg=("volume_kg", "sum"),
            seconds=("seconds", "sum"),
            distance_m=("distance_m", "sum"),
        )
        return out

    @property
    def balance(self) -> pd.DataFrame:
        """Balance by calendar week (index: the week's Monday): posterior:anterior whole body and
        per region, antagonist-group ratios and the verdict; weeks without training are rows of
        NaN with verdict "no training". ``.attrs["last_weeks"]``: the last 4 weeks' verdict.
        See :func:`chainload.chains.log_balance`."""
        from .. import chains

        return chains.log_balance(self)

    def plot(self, kind: str | None = None, *, ax: Any = None) -> Figure:
        """``"balance"`` (default): the weekly posterior:anterior ratio against dates, weeks
        without training as gaps, with a rolling mean. Returns the Figure
        (:func:`chainload.plots.plot`)."""
        return _display.draw(self, kind, ax)

    @property
    def volume(self) -> pd.DataFrame:
        """Fractional sets per muscle and calendar week against the volume landmarks (SCIENCE.md 3.1)."""
        from .. import chains

        return chains.log_volume(self)

    def strength_balance(self, bodyweight: float | None = None) -> pd.DataFrame:
        """H:Q, bench:pull-up and pull:push from the e1RMs of paired lifts by calendar week,
        against their norms (SCIENCE.md 4). See :func:`chainload.chains.log_strength_balance`."""
        from .. import chains

        return chains.log_strength_balance(self, bodyweight)

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


__all__ = ["MAX_REPS", "MAX_WEIGHT_KG", "SET_COLUMNS", "SET_TYPES", "Log"]

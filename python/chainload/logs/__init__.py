"""Workout logs: read an app's export, match its exercises to the catalogue, estimate 1RM and pick
the sets that count as strength tests.

>>> log = cl.read_log("strong_export.csv")        # format detected from the header
>>> log.sets                                       # one row per set, in kg, metres and seconds
>>> log.report.skipped                             # every input row not in log.sets, with its line
>>> cl.e1rm(log, formula="epley")                  # best estimated 1RM per exercise and session
>>> cl.logs.strength_tests(log)                    # the strength observations a fit uses

Layout (one place for each fact):

* ``units.py``: every unit name, its canonical form and factor;
* ``format.py``: what a format description is (:class:`LogFormat`) and the registry;
* ``strong.py``, ``hevy.py``, ``fitnotes.py``, ``liftosaur.py``: one description per app;
* ``reader.py``: the generic reader (names no app), line accounting, second headers;
* ``report.py``, ``log.py``: the import report and the :class:`Log`;
* ``matching.py``: logged names -> catalogue ids; ``e1rm.py``: 1RM formulas and test selection.

A new format touches three files: its description module here, its ``register`` line below, and a
fixture with its test (``tests/python/fixtures/logs/``). A format can also be registered (or
passed as ``read_log(path, format=LogFormat(...))``) from outside the package.
"""

from __future__ import annotations

from .e1rm import FORMULAS, MIN_TEST_RPE, TEST_MAX_REPS, Formula, e1rm, strength_tests
from .fitnotes import FITNOTES
from .format import FIELDS, FORMATS, SET_TYPE_NAMES, Cells, LogFormat, Skip, register
from .hevy import HEVY
from .liftosaur import LIFTOSAUR
from .log import MAX_REPS, MAX_WEIGHT_KG, SET_COLUMNS, SET_TYPES, Log
from .matching import (
    ALIASES_FILE,
    FUZZY_THRESHOLD,
    ExerciseMatcher,
    Match,
    load_aliases,
    match_exercise,
    normalise_name,
)
from .reader import known_formats, read_log
from .report import ImportReport
from .strong import STRONG
from .units import LB_KG, MILE_M

# detection order: the first format whose required columns a header has
register(STRONG)
register(HEVY)
register(FITNOTES)
register(LIFTOSAUR)

__all__ = [
    "ALIASES_FILE",
    "FIELDS",
    "FORMATS",
    "FORMULAS",
    "FUZZY_THRESHOLD",
    "LB_KG",
    "MAX_REPS",
    "MAX_WEIGHT_KG",
    "MILE_M",
    "MIN_TEST_RPE",
    "SET_COLUMNS",
    "SET_TYPES",
    "SET_TYPE_NAMES",
    "TEST_MAX_REPS",
    "Cells",
    "ExerciseMatcher",
    "Formula",
    "ImportReport",
    "Log",
    "LogFormat",
    "Match",
    "Skip",
    "e1rm",
    "known_formats",
    "load_aliases",
    "match_exercise",
    "normalise_name",
    "read_log",
    "register",
    "strength_tests",
]

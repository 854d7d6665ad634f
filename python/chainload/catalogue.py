"""The exercise catalogue: each exercise is an activation vector over the muscle graph."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._files import DATA_DIR, TomlSource, finite_number, require, tables
from ._names import hint
from .errors import UnknownNameError, ValidationError
from .graph import MuscleGraph

PATTERNS = (
    "hinge", "squat", "lunge", "vertical_pull", "horizontal_pull", "vertical_push",
    "horizontal_push", "carry", "core", "isolation",
)  # fmt: skip
LOAD_TYPES = ("external", "bodyweight")


@dataclass(frozen=True)
class Exercise:
    """An exercise: activation weights per muscle id (primary ≈ 1, secondary ≈ 0.5, stabiliser ≈ 0.25).

    ``load = "bodyweight"`` means the moved load is ``bodyweight_fraction`` × body mass plus any
    added kg. ``standard_1rm_bw`` is the 1RM (total moved load) of a trained recreational man as
    a multiple of body mass: the default athlete's starting point when no 1RM is given.
    """

    id: str
    name: str
    activation: Mapping[str, float]
    pattern: str = "isolation"
    equipment: str = "other"
    unilateral: bool = False
    load: str = "external"
    bodyweight_fraction: float = 0.0
    standard_1rm_bw: float | None = None
    rationale: str = ""
    source: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        where = f"exercise '{self.id}'"
        if not self.id:
            raise ValidationError("exercise id must not be empty")
        if not self.activation:
            raise ValidationError(f"{where}: activation must name at least one muscle")
        for muscle, w in self.activation.items():
            if not isinstance(w, int | float) or isinstance(w, bool) or not (0 < w <= 1):
                raise ValidationError(f"{where}: activation of '{muscle}' must lie in (0, 1], got {w!r}")
        if self.pattern not in PATTERNS:
            raise ValidationError(f"{where}: pattern {self.pattern!r} is not one of {', '.join(PATTERNS)}")
        if self.load not in LOAD_TYPES:
            raise ValidationError(f"{where}: load {self.load!r} is not one of {', '.join(LOAD_TYPES)}")
        if not (finite_number(self.bodyweight_fraction) and 0 <= self.bodyweight_fraction <= 1.5):
            raise ValidationError(
                f"{where}: bodyweight_fraction must lie in [0, 1.5], got {self.bodyweight_fraction!r}"
            )
        if self.load == "bodyweight" and self.bodyweight_fraction <= 0:
            raise ValidationError(f"{where}: a bodyweight exercise needs bodyweight_fraction > 0")
        s = self.standard_1rm_bw
        if s is not None and not (finite_number(s) and s > 0):
            raise ValidationError(f"{where}: standard_1rm_bw must be > 0, got {s!r}")

    @classmethod
    def from_dict(cls, entry: Mapping[str, Any], where: str = "") -> Exercise:
        where = where or f"exercise {entry.get('id', '?')!r}"
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        try:
            return cls(
                id=require(entry, "id", str, where),
                name=str(entry.get("name", entry["id"])),
                activation=dict(require(entry, "activation", dict, where)),
                **{k: entry[k] for k in known - {"id", "name", "activation"} if k in entry},
                extra={k: v for k, v in entry.items() if k not in known},
            )
        except ValidationError as e:
            msg = str(e)
            raise ValidationError(msg if msg.startswith(where) else f"{where}: {msg}") from None
        except TypeError as e:
            raise ValidationError(f"{where}: {e}") from None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("extra")
        d["activation"] = dict(self.activation)
        return {k: v for k, v in d.items() if v is not None} | dict(self.extra)

    def primary(self) -> list[str]:
        """Muscles at the highest activation weight (the prime movers)."""
        top = max(self.activation.values())
        return [m for m, w in self.activation.items() if w == top]


class Catalogue:
    """An ordered collection of exercises, checked against a muscle graph."""

    def __init__(self, exercises: Iterable[Exercise] = (), graph: MuscleGraph | None = None) -> None:
        self.graph = graph if graph is not None else MuscleGraph.default()
        self._exercises: dict[str, Exercise] = {}
        self._matrix_cache: np.ndarray | None = None
        self._rows: dict[str, int] | None = None
        # Copy-on-write: default() hands out views of one cached catalogue; the first add() takes
        # a private copy of the exercises, so a user's change never reaches the cache.
        self._shared = False
        for e in exercises:
            self.add(e)

    @classmethod
    def default(cls, graph: MuscleGraph | None = None) -> Catalogue:
        """The shipped catalogue (``chainload/data/exercises.toml``): a copy-on-write view of one
        cached instance when ``graph`` is the default."""
        if graph is not None:
            return cls.load(DATA_DIR / "exercises.toml", graph)
        path = DATA_DIR / "exercises.toml"
        return _default_cached(str(path), path.stat().st_mtime_ns)._view()

    def _view(self) -> Catalogue:
        view = Catalogue.__new__(Catalogue)
        view.graph = self.graph._view()
        view._exercises, view._matrix_cache, view._rows = self._exercises, self._matrix_cache, self._rows
        view._shared = True
        return view

    @classmethod
    def load(cls, path: str | Path, graph: MuscleGraph | None = None) -> Catalogue:
        """Read ``[[exercise]]`` tables from a TOML file."""
        cat = cls(graph=graph)
        cat.update_from_file(path)
        return cat

    def update_from_file(self, path: str | Path, override: bool = True) -> None:
        """Add (and by default override) exercises from a TOML file of ``[[exercise]]`` tables."""
        src = (
            _read(str(Path(path).resolve()), Path(path).stat().st_mtime_ns)
            if Path(path).exists()
            else TomlSource(path)
        )
        entries = tables(src.data, "exercise", str(src.path))
        if not entries:
            raise ValidationError(f"{src.path}: no [[exercise]] tables")
        for i, entry in enumerate(entries):
            try:
                self.add(Exercise.from_dict(entry, "?"), override=override, where="?")
            except (ValidationError, UnknownNameError):
                # The line number is found only now: the same step again raises the same error,
                # with the file and line in place of "?" (a failed add changes nothing).
                where = src.where("exercise", i, entry)
                self.add(Exercise.from_dict(entry, where), override=override, where=where)
                raise

    def add(
        self, exercise: Exercise | None = None, *, override: bool = False, where: str = "", **fields: Any
    ) -> Exercise:
        """Add an exercise (an :class:`Exercise` or its fields as keywords); ``override`` replaces one
        with the same id. Every activated muscle must exist in the graph."""
        ex = exercise if exercise is not None else Exercise.from_dict(fields)
        for muscle in ex.activation:
            if muscle not in self.graph:
                raise UnknownNameError(
                    f"{where or 'exercise ' + repr(ex.id)}: unknown muscle '{muscle}'"
                    + hint(muscle, self.graph.ids)
                )
        if ex.id in self._exercises and not override:
            raise ValidationError(
                f"exercise '{ex.id}' is already in the catalogue (pass override=True to replace it)"
            )
        if self._shared:
            self._exercises, self._shared = dict(self._exercises), False
        self._exercises[ex.id] = ex
        self._matrix_cache = None
        self._rows = None
        return ex

    def _shipped_exercises(self) -> object | None:
        """The unchanged shipped exercises this catalogue shares (a cache key), or None once it
        has its own (a user's catalogue, or a copy of the shipped one that was changed)."""
        return self._exercises if self._shared else None

    def __getitem__(self, exercise_id: str) -> Exercise:
        try:
            return self._exercises[exercise_id]
        except KeyError:
            raise UnknownNameError(
                f"unknown exercise '{exercise_id}'{hint(str(exercise_id), self.ids)}"
            ) from None

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._exercises

    def __len__(self) -> int:
        return len(self._exercises)

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._exercises.values())

    @property
    def ids(self) -> list[str]:
        return list(self._exercises)

    def index(self, exercise_id: str) -> int:
        """Row of an exercise in :meth:`activation_matrix`."""
        self[exercise_id]  # raises UnknownNameError with suggestions
        if self._rows is None:
            self._rows = {e: i for i, e in enumerate(self._exercises)}
        return self._rows[exercise_id]

    def activation_matrix(self) -> np.ndarray:
        """Exercises × muscles activation weights (rows in :attr:`ids` order, columns in graph order)."""
        if self._matrix_cache is None:
            muscles = {m: j for j, m in enumerate(self.graph.ids)}
            a = np.zeros((len(self), len(muscles)))
            for i, ex in enumerate(self):
                for m, w in ex.activation.items():
                    a[i, muscles[m]] = w
            a.setflags(write=False)
            self._matrix_cache = a
        return self._matrix_cache

    def core_table(self) -> _core.ActivationTable:
        return _core.ActivationTable(self.activation_matrix())

    def to_frame(self) -> pd.DataFrame:
        """One row per exercise: pattern, equipment, load type and the activation weights."""
        meta = pd.DataFrame(
            [
                {"id": e.id, "name": e.name, "pattern": e.pattern, "equipment": e.equipment, "load": e.load}
                for e in self
            ]
        ).set_index("id")
        weights = pd.DataFrame(self.activation_matrix(), index=meta.index, columns=self.graph.ids)
        return meta.join(weights)

    def with_exercise(self, exercise: Exercise) -> Catalogue:
        """A copy with one exercise added or replaced."""
        new = Catalogue(self, graph=self.graph)
        new.add(exercise, override=True)
        return new

    def __repr__(self) -> str:
        return f"Catalogue({len(self)} exercises)"


@cache
def _read(path: str, _mtime: int) -> TomlSource:
    return TomlSource(path)


@cache
def _default_cached(path: str, _mtime: int) -> Catalogue:
    """The shipped catalogue on the shipped graph, parsed once; handed out only as views."""
    cat = Catalogue.load(path)
    cat.activation_matrix()  # built once: read-only, shared by every view
    cat.index(next(iter(cat.ids)))  # fills the row index
    return cat


__all__ = ["LOAD_TYPES", "PATTERNS", "Catalogue", "Exercise"]

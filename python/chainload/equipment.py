"""Load rounding by equipment (``chainload/data/equipment.toml``): each exercise's loads move in the
steps its equipment offers (plates, dumbbells, kettlebells, machine stacks)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ._files import DATA_DIR, TomlSource, finite_number, require
from .catalogue import Exercise
from .errors import ValidationError

EQUIPMENT_FILE = DATA_DIR / "equipment.toml"
_KEYS = {"step_kg", "implements", "single", "source"}


@dataclass(frozen=True)
class Equipment:
    """One kind of equipment: the step of one implement (kg), how many implements a logged load
    counts, and the exercises of this equipment lifted with one."""

    name: str
    step_kg: float
    implements: int = 1
    single: frozenset[str] = frozenset()
    source: str = ""

    def step_of(self, exercise_id: str) -> float:
        """The rounding step (kg) of ``exercise_id``'s logged load."""
        return self.step_kg * (1 if exercise_id in self.single else self.implements)


def load_equipment(path: str | Path = EQUIPMENT_FILE) -> dict[str, Equipment]:
    """The equipment table of ``path``, checked: every entry has a finite ``step_kg`` >= 0, a
    whole ``implements`` >= 1 and a source; unknown keys are errors naming file, line and key."""
    src = TomlSource(path)
    table = src.data.get("equipment")
    if not isinstance(table, dict) or not table:
        raise ValidationError(f"{src.path}: needs [equipment.<name>] tables")
    out: dict[str, Equipment] = {}
    for name, entry in table.items():
        line = src.line_of_key(name)
        where = f"{src.path}{f' line {line}' if line else ''}, [equipment.{name}]"
        if not isinstance(entry, dict):
            raise ValidationError(f"{where}: must be a table")
        unknown = sorted(set(entry) - _KEYS)
        if unknown:
            raise ValidationError(f"{where}: unknown key {unknown[0]!r}; known: {', '.join(sorted(_KEYS))}")
        step = require(entry, "step_kg", (int, float), where)
        if not finite_number(step) or step < 0:
            raise ValidationError(f"{where}: step_kg must be a finite number >= 0, got {step!r}")
        implements = entry.get("implements", 1)
        if isinstance(implements, bool) or not isinstance(implements, int) or implements < 1:
            raise ValidationError(f"{where}: implements must be a whole number >= 1, got {implements!r}")
        single = entry.get("single", [])
        if not isinstance(single, list) or not all(isinstance(s, str) for s in single):
            raise ValidationError(f"{where}: single must be a list of exercise ids, got {single!r:.80}")
        source = require(entry, "source", str, where)
        out[name] = Equipment(name, float(step), implements, frozenset(single), source)
    return out


@cache
def default_equipment() -> dict[str, Equipment]:
    """The shipped equipment table (read once)."""
    return load_equipment()


def step_kg(exercise: Exercise, equipment: dict[str, Equipment] | None = None) -> float:
    """The rounding step (kg) of ``exercise``'s load, from its equipment."""
    table = equipment if equipment is not None else default_equipment()
    kind = table.get(exercise.equipment)
    if kind is None:
        raise ValidationError(
            f"exercise '{exercise.id}' has equipment {exercise.equipment!r}, which has no rounding step; "
            f"known: {', '.join(table)}"
        )
    return kind.step_of(exercise.id)


__all__ = ["EQUIPMENT_FILE", "Equipment", "default_equipment", "load_equipment", "step_kg"]

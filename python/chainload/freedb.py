"""Import free-exercise-db into a chainload :class:`~chainload.catalogue.Catalogue`.

free-exercise-db (yuhonas/free-exercise-db, Unlicense) ships ``dist/exercises.json``: a JSON array
of about 870 exercise objects, each tagged with ``primaryMuscles`` and ``secondaryMuscles`` drawn
from 17 muscle names. :func:`read_free_exercise_db` turns it into chainload exercises:

- **muscles**: each source name is mapped onto muscle-graph ids by
  ``chainload/data/free_exercise_db_map.toml`` (the documented mapping: a share per id, the force
  split of "shoulders", name rules for lateral/rear delts and obliques, "neck" not modelled). An
  activation weight is role weight (primary 1.0, secondary 0.5) × share; where two contributions
  meet on one muscle the largest is kept.
- **which exercises**: the categories listed as imported in the mapping (strength, powerlifting,
  olympic weightlifting, strongman). Every other entry is listed in ``skipped`` with its reason:
  a non-resistance category, a repeated id, or no muscle that maps onto the graph.
- **ids** are ``"fedb:" + source id``; **pattern** comes from the name, ``mechanic``, ``force``
  and primary muscle (see :func:`derive_pattern`); **equipment** is mapped onto the catalogue's
  vocabulary; ``"body only"`` exercises get ``load = "bodyweight"`` with the mapping's
  per-pattern ``bodyweight_fraction`` (an engine choice), all others ``load = "external"``.

The file is checked against the upstream schema (``schema.json``, draft-04) as far as the import
uses it: the top level must be a non-empty array of objects; each object needs ``id`` (matching
``^[0-9a-zA-Z_-]+$``), ``name``, ``category``, ``primaryMuscles`` and ``secondaryMuscles``;
``force``, ``mechanic`` and ``equipment`` may be null or absent (read as null); every enumerated
value must be one of the schema's. Other keys (level, instructions, images) are not needed and not
checked. Anything wrong raises :class:`~chainload.errors.FileFormatError` naming the file and the
entry (0-based index and id); nothing is dropped without a row in ``skipped`` or
``unmapped_muscles``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ._files import DATA_DIR, TomlSource
from .catalogue import PATTERNS, Catalogue, Exercise
from .errors import FileFormatError
from .graph import MuscleGraph

ID_PREFIX = "fedb:"
MAPPING_PATH = DATA_DIR / "free_exercise_db_map.toml"

# Enumerations of the upstream schema.json (commit acd61f75).
MUSCLES = (
    "abdominals", "abductors", "adductors", "biceps", "calves", "chest", "forearms", "glutes",
    "hamstrings", "lats", "lower back", "middle back", "neck", "quadriceps", "shoulders", "traps",
    "triceps",
)  # fmt: skip
FORCES = ("push", "pull", "static")
MECHANICS = ("compound", "isolation")
EQUIPMENT = (
    "medicine ball", "dumbbell", "body only", "bands", "kettlebells", "foam roll", "cable",
    "machine", "barbell", "exercise ball", "e-z curl bar", "other",
)  # fmt: skip
CATEGORIES = (
    "powerlifting", "strength", "stretching", "cardio", "olympic weightlifting", "strongman",
    "plyometrics",
)  # fmt: skip
REQUIRED_KEYS = ("id", "name", "category", "primaryMuscles", "secondaryMuscles")
BODYWEIGHT_EQUIPMENT = "body only"

# The equipment vocabulary of the shipped catalogue (exercises.toml header).
CATALOGUE_EQUIPMENT = ("barbell", "dumbbell", "kettlebell", "cable", "machine", "bodyweight", "band", "other")

_ID_RE = re.compile(r"^[0-9a-zA-Z_-]+$")
_NULL = "null"  # how JSON null is written as a key in the mapping TOML


# ============================================================================ mapping


@dataclass(frozen=True)
class NameRule:
    """Shares used when any of ``contains`` occurs (case-insensitive) in the exercise name."""

    contains: tuple[str, ...]
    targets: Mapping[str, float]
    reason: str = ""

    def matches(self, exercise_name: str) -> bool:
        low = exercise_name.lower()
        return any(text in low for text in self.contains)


@dataclass(frozen=True)
class MuscleMap:
    """How one free-exercise-db muscle name maps onto graph muscle ids (``{}`` = not modelled)."""

    name: str
    targets: Mapping[str, float]
    by_force: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    name_rules: tuple[NameRule, ...] = ()
    reason: str = ""

    @property
    def modelled(self) -> bool:
        """False when the name maps onto nothing in any case (e.g. "neck")."""
        return bool(self.targets) or any(self.by_force.values()) or any(r.targets for r in self.name_rules)

    def shares(self, exercise_name: str, force: str | None) -> Mapping[str, float]:
        """Shares for one exercise: first matching name rule, else the force split, else ``targets``."""
        for rule in self.name_rules:
            if rule.matches(exercise_name):
                return rule.targets
        key = force if force is not None else _NULL
        if key in self.by_force:
            return self.by_force[key]
        return self.targets


@dataclass(frozen=True)
class FreeDbMapping:
    """The parsed ``free_exercise_db_map.toml``: muscle maps, role weights, categories, equipment, load."""

    source: str
    muscles: Mapping[str, MuscleMap]
    primary_weight: float
    secondary_weight: float
    imported_categories: tuple[str, ...]
    skipped_categories: Mapping[str, str]
    equipment: Mapping[str, str]
    bodyweight_fraction: Mapping[str, float]

    @classmethod
    def load(
        cls, mapping: str | Path | Mapping[str, Any] | None = None, graph: MuscleGraph | None = None
    ) -> FreeDbMapping:
        """Read a mapping (a TOML path, an already parsed table, or None for the shipped file) and
        check it against ``graph``: every target must be a graph muscle, every share in (0, 1]."""
        graph = graph if graph is not None else MuscleGraph.default()
        if mapping is None or isinstance(mapping, str | Path):
            src = TomlSource(MAPPING_PATH if mapping is None else mapping)
            return _parse_mapping(src.data, str(src.path), graph)
        return _parse_mapping(mapping, "mapping", graph)

    def activation(
        self, name: str, force: str | None, primary: Sequence[str], secondary: Sequence[str]
    ) -> dict[str, float]:
        """Activation weights of one exercise (largest contribution per muscle)."""
        act: dict[str, float] = {}
        for muscles, role in ((primary, self.primary_weight), (secondary, self.secondary_weight)):
            for m in muscles:
                for target, share in self.muscles[m].shares(name, force).items():
                    w = role * share
                    if w > act.get(target, 0.0):
                        act[target] = w
        return act


def _parse_mapping(data: Mapping[str, Any], where: str, graph: MuscleGraph) -> FreeDbMapping:
    def fail(msg: str) -> FileFormatError:
        return FileFormatError(f"{where}: {msg}")

    def table(parent: Mapping[str, Any], key: str, ctx: str) -> Mapping[str, Any]:
        value = parent.get(key)
        if not isinstance(value, Mapping):
            raise fail(f"{ctx}: '{key}' must be a table")
        return value

    def number(value: Any, ctx: str, low: float, high: float) -> float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not (low < value <= high):
            raise fail(f"{ctx} must be a number in ({low:g}, {high:g}], got {value!r}")
        return float(value)

    def shares(value: Any, ctx: str) -> dict[str, float]:
        if not isinstance(value, Mapping):
            raise fail(f"{ctx} must be a table of muscle id = share")
        out: dict[str, float] = {}
        for muscle, share in value.items():
            if muscle not in graph:
                raise fail(f"{ctx}: '{muscle}' is not a muscle of the graph ({', '.join(graph.ids)})")
            out[muscle] = number(share, f"{ctx}.{muscle}", 0.0, 1.0)
        return out

    weights = table(data, "weights", "[weights]")
    primary = number(weights.get("primary"), "[weights] primary", 0.0, 1.0)
    secondary = number(weights.get("secondary"), "[weights] secondary", 0.0, 1.0)

    entries = data.get("muscle")
    if not isinstance(entries, list) or not entries:
        raise fail("no [[muscle]] tables")
    muscles: dict[str, MuscleMap] = {}
    for i, entry in enumerate(entries):
        ctx = f"[[muscle]] #{i + 1}"
        if not isinstance(entry, Mapping):
            raise fail(f"{ctx} must be a table")
        name = entry.get("name")
        if name not in MUSCLES:
            raise fail(f"{ctx}: name {name!r} is not a free-exercise-db muscle ({', '.join(MUSCLES)})")
        if name in muscles:
            raise fail(f"{ctx}: muscle {name!r} is mapped twice")
        ctx = f"[[muscle]] {name!r}"
        by_force_raw = entry.get("by_force", {})
        if not isinstance(by_force_raw, Mapping):
            raise fail(f"{ctx}: by_force must be a table")
        by_force: dict[str, dict[str, float]] = {}
        for force, value in by_force_raw.items():
            if force not in (*FORCES, _NULL):
                raise fail(f"{ctx}: by_force key {force!r} is not one of {', '.join((*FORCES, _NULL))}")
            by_force[force] = shares(value, f"{ctx} by_force.{force}")
        rules: list[NameRule] = []
        raw_rules = entry.get("name_rule", [])
        if not isinstance(raw_rules, list):
            raise fail(f"{ctx}: name_rule must be an array of tables")
        for j, rule in enumerate(raw_rules):
            rctx = f"{ctx} name_rule #{j + 1}"
            contains = rule.get("contains") if isinstance(rule, Mapping) else None
            if not (
                isinstance(contains, list) and contains and all(isinstance(t, str) and t for t in contains)
            ):
                raise fail(f"{rctx}: 'contains' must be a non-empty list of non-empty strings")
            rules.append(
                NameRule(
                    tuple(t.lower() for t in contains),
                    shares(rule.get("targets"), f"{rctx} targets"),
                    str(rule.get("reason", "")),
                )
            )
        if "targets" not in entry:
            raise fail(f"{ctx}: missing 'targets' (write targets = {{}} for a muscle that is not modelled)")
        muscles[name] = MuscleMap(
            name,
            shares(entry["targets"], f"{ctx} targets"),
            by_force,
            tuple(rules),
            str(entry.get("reason", "")),
        )
    missing = [m for m in MUSCLES if m not in muscles]
    if missing:
        raise fail(f"no [[muscle]] for {', '.join(map(repr, missing))} (write targets = {{}} to drop one)")

    cats = table(data, "categories", "[categories]")
    imported = cats.get("import")
    if not (isinstance(imported, list) and all(c in CATEGORIES for c in imported)):
        raise fail(f"[categories] import must be a list drawn from {', '.join(CATEGORIES)}")
    skip = table(cats, "skip", "[categories]")
    for cat, reason in skip.items():
        if cat not in CATEGORIES or cat in imported or not isinstance(reason, str) or not reason:
            raise fail(f"[categories.skip] {cat!r}: must be a category not imported, with a reason text")
    unset = [c for c in CATEGORIES if c not in imported and c not in skip]
    if unset:
        raise fail(f"[categories]: {', '.join(map(repr, unset))} neither imported nor skipped with a reason")

    equipment = table(data, "equipment", "[equipment]")
    for key in (*EQUIPMENT, _NULL):
        if equipment.get(key) not in CATALOGUE_EQUIPMENT:
            raise fail(f"[equipment] {key!r} must map onto one of {', '.join(CATALOGUE_EQUIPMENT)}")
    fractions = table(data, "bodyweight_fraction", "[bodyweight_fraction]")
    bw = {p: number(fractions.get(p), f"[bodyweight_fraction] {p}", 0.0, 1.5) for p in PATTERNS}

    return FreeDbMapping(
        source=where,
        muscles=muscles,
        primary_weight=primary,
        secondary_weight=secondary,
        imported_categories=tuple(imported),
        skipped_categories=dict(skip),
        equipment={k: str(equipment[k]) for k in (*EQUIPMENT, _NULL)},
        bodyweight_fraction=bw,
    )


# ============================================================================ pattern

# Name rules, first match wins (case-insensitive regular expressions on the exercise name). The flag
# says whether the rule also holds when the source tags the exercise ``mechanic: isolation``: bridges,
# back extensions and rows are hinges and rows in the shipped catalogue whatever the tag says.
_PATTERN_RULES: tuple[tuple[str, re.Pattern[str], bool], ...] = tuple(
    (p, re.compile(rx, re.IGNORECASE), beats_isolation)
    for p, rx, beats_isolation in (
        ("carry", r"farmer|\bcarry\b|yoke walk|suitcase", False),
        ("lunge", r"lunge|split squat|step[- ]?ups?\b|bulgarian", False),
        (
            "hinge",
            r"deadlift|good ?morning|\bswings?\b|hip thrust|\bbridge\b|hyperextension|back extension"
            r"|hip extension|pull[- ]?through|romanian|stiff[- ]leg|\bclean|snatch|rack pull"
            r"|reverse hyper|atlas|keg load|tire flip|sandbag load",
            True,
        ),
        ("squat", r"squat|leg press|\bhack\b|thruster|wall sit|pistol", False),
        (
            "vertical_pull",
            r"pull[- ]?ups?\b|chin[- ]?ups?\b|\bchins\b|pull[- ]?downs?\b|muscle[- ]?up|upright",
            False,
        ),
        ("horizontal_pull", r"\brows?\b|rowing|face pull|bench pull", True),
        (
            "vertical_push",
            r"overhead press|shoulder press|military|push press|jerk|handstand|arnold|\bdips?\b"
            r"|log lift|bradford|circus bell",
            False,
        ),
        (
            "isolation",
            r"fl(?:y|ye|yes|ies)\b|pullover|cross ?over|glute[- ]ham|\bcurls?\b|kickback|\braises?\b|shrug",
            False,
        ),
        ("horizontal_push", r"bench|push[- ]?ups?\b|\bpress(?:es)?\b", False),
    )
)
# Fallback for compound movements the name does not place: (force, primary muscle) -> pattern.
_FORCE_FALLBACK: dict[tuple[str | None, str], str] = {
    ("push", "chest"): "horizontal_push",
    ("push", "shoulders"): "vertical_push",
    ("push", "triceps"): "vertical_push",
    ("pull", "lats"): "vertical_pull",
    ("pull", "middle back"): "horizontal_pull",
}
_MUSCLE_FALLBACK = {
    "quadriceps": "squat",
    "hamstrings": "hinge",
    "glutes": "hinge",
    "lower back": "hinge",
}
_UNILATERAL_RE = re.compile(r"\b(?:one|single)[- ](?:arm|leg)|unilateral", re.IGNORECASE)


def derive_pattern(
    name: str, force: str | None, mechanic: str | None, primary: Sequence[str]
) -> tuple[str, str]:
    """Movement pattern (one of :data:`~chainload.catalogue.PATTERNS`) and how it was decided.

    In order: "abdominals" primary -> core; the first name rule that matches (carry, lunge, hinge,
    squat, pulls, pushes, isolation words; a "press" whose primary is "shoulders" is a vertical
    push), where ``mechanic: isolation`` turns every match but a hinge or a row into isolation;
    ``mechanic: isolation`` -> isolation; for a compound with no name match, ``force`` and the
    primary muscle (push + chest -> horizontal push, pull + lats -> vertical pull, quadriceps ->
    squat, hamstrings/glutes/lower back -> hinge, ...); else isolation.
    """
    if "abdominals" in primary:
        return "core", "primary muscle abdominals"
    for pattern, rx, beats_isolation in _PATTERN_RULES:
        if rx.search(name):
            if mechanic == "isolation" and not beats_isolation:
                break
            if pattern == "horizontal_push" and "shoulders" in primary:
                return "vertical_push", "name (a press with shoulders primary)"
            return pattern, "name"
    if mechanic == "isolation":
        return "isolation", "mechanic isolation"
    for muscle in primary:
        if (force, muscle) in _FORCE_FALLBACK:
            return _FORCE_FALLBACK[(force, muscle)], f"force {force} + primary {muscle}"
        if muscle in _MUSCLE_FALLBACK:
            return _MUSCLE_FALLBACK[muscle], f"primary {muscle}"
    return "isolation", "no pattern evident"


# ============================================================================ import


@dataclass
class FreeDbImport:
    """The result of :func:`read_free_exercise_db`.

    ``catalogue`` holds the imported exercises; ``skipped`` (columns index, id, name, reason; index
    0-based in the JSON array) every entry not imported; ``unmapped_muscles`` one row per source
    muscle name the mapping does not model: ``entries_in_file`` counts every entry naming it,
    ``exercises`` (split into ``as_primary`` / ``as_secondary``) those of imported categories it
    was dropped from, ``exercises_skipped`` those of them skipped because nothing else mapped, and
    ``what`` says so in words.
    ``rows_read == rows_used + len(skipped)`` always.
    """

    catalogue: Catalogue
    skipped: pd.DataFrame
    unmapped_muscles: pd.DataFrame
    rows_read: int
    rows_used: int
    source: str = ""

    def __post_init__(self) -> None:
        if self.rows_read != self.rows_used + len(self.skipped) or self.rows_used != len(self.catalogue):
            raise AssertionError(  # pragma: no cover - an internal bookkeeping error
                f"free-exercise-db import of {self.source}: {self.rows_read} read != "
                f"{self.rows_used} used + {len(self.skipped)} skipped"
            )

    def __repr__(self) -> str:
        return (
            f"FreeDbImport({self.source!r}: {self.rows_read} read, {self.rows_used} imported, "
            f"{len(self.skipped)} skipped)"
        )


@dataclass(frozen=True)
class _Entry:
    index: int
    id: str
    name: str
    category: str
    force: str | None
    mechanic: str | None
    equipment: str | None
    primary: tuple[str, ...]
    secondary: tuple[str, ...]
    level: Any


def read_free_exercise_db(
    path: str | Path,
    graph: MuscleGraph | None = None,
    mapping: str | Path | Mapping[str, Any] | FreeDbMapping | None = None,
) -> FreeDbImport:
    """Read free-exercise-db's ``exercises.json`` into a :class:`FreeDbImport`.

    ``graph`` defaults to :meth:`MuscleGraph.default`; ``mapping`` to the shipped
    ``free_exercise_db_map.toml`` (or give another TOML path, a parsed table, or a
    :class:`FreeDbMapping`). Raises :class:`~chainload.errors.FileFormatError` for a missing or
    unreadable file, malformed JSON, a top level that is not a non-empty array of objects, or an
    object with missing keys or values outside the schema (the message names the file, the
    0-based entry index and the id).
    """
    graph = graph if graph is not None else MuscleGraph.default()
    fmap = mapping if isinstance(mapping, FreeDbMapping) else FreeDbMapping.load(mapping, graph)
    path = Path(path)
    data = _read_json(path)
    entries = [_check_entry(path, i, raw) for i, raw in enumerate(data)]

    catalogue = Catalogue(graph=graph)
    skipped: list[dict[str, Any]] = []
    first_seen: dict[str, int] = {}
    unmapped = {
        m: {
            "entries_in_file": sum(m in e.primary or m in e.secondary for e in entries),
            "exercises": 0,
            "as_primary": 0,
            "as_secondary": 0,
            "exercises_skipped": 0,
        }
        for m, mm in fmap.muscles.items()
        if not mm.modelled
    }

    for e in entries:
        if e.id in first_seen:
            skipped.append(_skip(e, f"duplicate id: entry [{first_seen[e.id]}] has the same id"))
            continue
        first_seen[e.id] = e.index
        if e.category not in fmap.imported_categories:
            skipped.append(_skip(e, fmap.skipped_categories[e.category]))
            continue
        dropped = sorted({m for m in (*e.primary, *e.secondary) if m in unmapped})
        for m in dropped:
            unmapped[m]["exercises"] += 1
            unmapped[m]["as_primary"] += m in e.primary
            unmapped[m]["as_secondary"] += m in e.secondary
        activation = fmap.activation(e.name, e.force, e.primary, e.secondary)
        if not activation:
            for m in dropped:
                unmapped[m]["exercises_skipped"] += 1
            named = ", ".join(repr(m) for m in (*e.primary, *e.secondary)) or "none"
            skipped.append(_skip(e, f"no muscle that maps onto the graph (muscles: {named})"))
            continue
        catalogue.add(_exercise(e, activation, dropped, fmap, path))

    skipped_df = pd.DataFrame(skipped, columns=["index", "id", "name", "reason"])
    unmapped_df = pd.DataFrame(
        [{"muscle": m, **counts, "what": _unmapped_note(m, counts, fmap)} for m, counts in unmapped.items()],
        columns=[
            "muscle",
            "entries_in_file",
            "exercises",
            "as_primary",
            "as_secondary",
            "exercises_skipped",
            "what",
        ],
    )
    return FreeDbImport(
        catalogue=catalogue,
        skipped=skipped_df,
        unmapped_muscles=unmapped_df,
        rows_read=len(entries),
        rows_used=len(catalogue),
        source=str(path),
    )


def _read_json(path: Path) -> list[Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FileFormatError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FileFormatError(f"{path}: is a directory, not a free-exercise-db JSON file") from None
    except UnicodeDecodeError as e:
        raise FileFormatError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise FileFormatError(f"{path}: cannot be read ({e.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise FileFormatError(
            f"{path}: not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}"
        ) from None
    except (ValueError, RecursionError) as e:
        raise FileFormatError(f"{path}: not valid JSON: {e}") from None
    if not isinstance(data, list):
        raise FileFormatError(
            f"{path}: expected a JSON array of exercise objects (free-exercise-db dist/exercises.json), "
            f"got a JSON {_json_kind(data)}"
        )
    if not data:
        raise FileFormatError(f"{path}: the JSON array is empty: no exercises to import")
    return data


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    return "number"


def _check_entry(path: Path, index: int, raw: Any) -> _Entry:
    if not isinstance(raw, dict):
        raise FileFormatError(
            f"{path}: entry [{index}]: expected a JSON object, got a JSON {_json_kind(raw)}"
        )
    ident = raw.get("id")
    where = f"{path}: entry [{index}]" + (f" (id {ident!r})" if isinstance(ident, str) else "")
    missing = [k for k in REQUIRED_KEYS if k not in raw]
    if missing:
        raise FileFormatError(
            f"{where}: missing required key{'s' * (len(missing) > 1)} {', '.join(map(repr, missing))}"
        )

    def text(key: str) -> str:
        value = raw[key]
        if not isinstance(value, str) or not value.strip():
            raise FileFormatError(f"{where}: '{key}' must be a non-empty string, got {value!r}")
        return value

    def choice(key: str, allowed: tuple[str, ...], nullable: bool) -> str | None:
        value = raw.get(key)
        if value is None and nullable:
            return None
        if value not in allowed:
            null = " or null" if nullable else ""
            raise FileFormatError(
                f"{where}: '{key}' must be one of {', '.join(allowed)}{null}; got {value!r}"
            )
        return str(value)

    def muscles(key: str) -> tuple[str, ...]:
        value = raw[key]
        if not isinstance(value, list):
            raise FileFormatError(f"{where}: '{key}' must be a list of muscle names, got {value!r}")
        for m in value:
            if m not in MUSCLES:
                raise FileFormatError(
                    f"{where}: '{key}' holds {m!r}, not a free-exercise-db muscle ({', '.join(MUSCLES)})"
                )
        return tuple(dict.fromkeys(value))

    ident = text("id")
    if not _ID_RE.match(ident):
        raise FileFormatError(f"{where}: 'id' {ident!r} must match {_ID_RE.pattern}")
    category = choice("category", CATEGORIES, nullable=False)
    assert category is not None
    return _Entry(
        index=index,
        id=ident,
        name=text("name"),
        category=category,
        force=choice("force", FORCES, nullable=True),
        mechanic=choice("mechanic", MECHANICS, nullable=True),
        equipment=choice("equipment", EQUIPMENT, nullable=True),
        primary=muscles("primaryMuscles"),
        secondary=muscles("secondaryMuscles"),
        level=raw.get("level"),
    )


def _skip(e: _Entry, reason: str) -> dict[str, Any]:
    return {"index": e.index, "id": e.id, "name": e.name, "reason": reason}


def _exercise(
    e: _Entry, activation: dict[str, float], dropped: list[str], fmap: FreeDbMapping, path: Path
) -> Exercise:
    pattern, how = derive_pattern(e.name, e.force, e.mechanic, e.primary)
    bodyweight = e.equipment == BODYWEIGHT_EQUIPMENT
    fraction = fmap.bodyweight_fraction[pattern] if bodyweight else 0.0
    notes = [
        f"imported from free-exercise-db (category {e.category}, force {e.force}, mechanic {e.mechanic}): "
        f"primary {', '.join(e.primary) or '-'}; secondary {', '.join(e.secondary) or '-'}; weights = "
        f"{fmap.primary_weight:g} primary / {fmap.secondary_weight:g} secondary × share "
        f"({Path(fmap.source).name})",
        f"pattern from {how}",
    ]
    if dropped:
        notes.append(f"not modelled, dropped: {', '.join(dropped)}")
    if bodyweight:
        notes.append(f"bodyweight_fraction {fraction:g}: engine choice for a 'body only' {pattern}")
    return Exercise(
        id=ID_PREFIX + e.id,
        name=e.name,
        activation=dict(sorted(activation.items(), key=lambda kv: -kv[1])),
        pattern=pattern,
        equipment=fmap.equipment[e.equipment if e.equipment is not None else _NULL],
        unilateral=pattern == "lunge" or bool(_UNILATERAL_RE.search(e.name)),
        load="bodyweight" if bodyweight else "external",
        bodyweight_fraction=fraction,
        rationale="; ".join(notes),
        source=f"free-exercise-db {path.name} entry [{e.index}] id {e.id!r} (yuhonas/free-exercise-db)",
        extra=_extra(e),
    )


def _extra(e: _Entry) -> dict[str, Any]:
    """The source fields worth keeping (nulls left out: they cannot be written to TOML)."""
    extra = {
        "fedb_id": e.id,
        "fedb_category": e.category,
        "fedb_force": e.force,
        "fedb_mechanic": e.mechanic,
        "fedb_equipment": e.equipment,
        "fedb_level": e.level,
        "fedb_primary": list(e.primary),
        "fedb_secondary": list(e.secondary),
    }
    return {k: v for k, v in extra.items() if v is not None}


def _unmapped_note(muscle: str, counts: Mapping[str, int], fmap: FreeDbMapping) -> str:
    reason = fmap.muscles[muscle].reason or "not modelled"
    n, gone = counts["exercises"], counts["exercises_skipped"]
    return (
        f"{muscle!r} (named by {counts['entries_in_file']} entries of the file) dropped from {n} exercise"
        f"{'s' * (n != 1)} of imported categories ({counts['as_primary']} as primary, "
        f"{counts['as_secondary']} as secondary); {gone} of them skipped for lack of any other mapped "
        f"muscle, {n - gone} imported without it. Reason: {reason}"
    )


__all__ = [
    "ID_PREFIX",
    "MAPPING_PATH",
    "MUSCLES",
    "FreeDbImport",
    "FreeDbMapping",
    "MuscleMap",
    "NameRule",
    "derive_pattern",
    "read_free_exercise_db",
]

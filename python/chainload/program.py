"""Training programs: weeks → sessions (on weekdays) → prescriptions, in Python or TOML.

Conventions (used everywhere in chainload):
    * day index 0 is the Monday of week 1; day ``d`` falls in week ``d // 7 + 1`` (weeks are
      1-based in tables, days 0-based), on weekday ``d % 7`` (0 = Monday);
    * loads are in kg; a bodyweight exercise's load is ``bodyweight_fraction`` × body mass plus
      any added kg;
    * a rep range is planned at its midpoint when a single number is needed (dose of a plan).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import tomli_w

from . import _core
from ._files import DATA_DIR, TomlSource, finite_number, require, tables
from ._names import check_keys, unknown
from .errors import ValidationError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RULES: tuple[str, ...] = tuple(_core.RULE_NAMES)  # the core's list (simulator.hpp rule_names)


def _check_number(value: Any, name: str, lo: float, hi: float = math.inf, *, integer: bool = False) -> None:
    ok = finite_number(value)
    if ok and integer:
        ok = float(value).is_integer()
    if not ok or not (lo <= value <= hi):
        kind = "a whole number" if integer else "a number"
        raise ValidationError(f"{name} must be {kind} in [{lo}, {hi}], got {value!r}")


@dataclass(frozen=True)
class Progression:
    """How a prescription's load or reps change when the program is followed (the closed loop).

    rule:
        ``none``; ``linear`` (+``increment_kg`` per session or per week); ``double`` (add reps up to
        the top of the rep range, then ``increment_kg`` and back to the bottom); ``wave`` (the
        ``wave`` list of %1RM, one per week, repeated, + ``increment_kg`` per cycle completed without a
        failure); ``rpe`` (autoregulated: each session the load is chosen from the day's capacity
        so that the target reps leave the prescribed RIR/RPE in reserve, 2 RIR if none is given).
    deload_after:
        after this many failed sessions in a row the added load drops by ``deload_percent`` % (the
        whole load of an external lift; a bodyweight lift never drops below the body; 0 = never;
        autoregulated loads follow the day's capacity and need none).
    min_kg:
        a floor for the load (required with a negative increment).
    """

    rule: str = "none"
    increment_kg: float = 0.0
    per: str = "session"
    wave: tuple[float, ...] = ()
    deload_after: int = 3
    deload_percent: float = 10.0
    min_kg: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.rule, str) or self.rule not in RULES:
            raise unknown("progression rule", self.rule, RULES)
        if isinstance(self.wave, str | bytes) or not isinstance(self.wave, Iterable):
            raise ValidationError(f"progression wave must be a list of %1RM, got {self.wave!r:.80}")
        object.__setattr__(self, "wave", tuple(self.wave))  # a list stays hashable as a tuple
        if self.per not in ("session", "week"):
            raise ValidationError(f"progression per={self.per!r}: must be 'session' or 'week'")
        _check_number(self.increment_kg, "progression increment_kg", -100, 100)
        if self.increment_kg < 0 and self.min_kg is None:
            raise ValidationError(
                f"progression increment_kg={self.increment_kg} is negative with no min_kg floor: "
                "the load would fall without limit"
            )
        if self.rule == "wave" and not self.wave:
            raise ValidationError("progression rule 'wave' needs a list of %1RM in `wave`")
        for pct in self.wave:
            _check_number(pct, "progression wave %1RM", 1, 110)
        _check_number(self.deload_after, "progression deload_after", 0, 100, integer=True)
        _check_number(self.deload_percent, "progression deload_percent", 0, 90)
        if self.min_kg is not None:
            _check_number(self.min_kg, "progression min_kg", 0, 1000)


@dataclass(frozen=True)
class Prescription:
    """``sets`` × ``reps`` (or a rep range ``(low, high)``) of one exercise at one intensity:
    ``percent_1rm`` (of the athlete's 1RM), ``rpe`` (6–10), ``rir`` (reps in reserve) or ``kg``.
    A bodyweight exercise may have no intensity (body weight alone) or ``kg`` added."""

    exercise: str
    sets: int
    reps: int | tuple[int, int]
    percent_1rm: float | None = None
    rpe: float | None = None
    rir: float | None = None
    kg: float | None = None
    progression: Progression = field(default_factory=Progression)

    def __post_init__(self) -> None:
        where = f"prescription of '{self.exercise}'"
        if not isinstance(self.exercise, str) or not self.exercise:
            raise ValidationError(f"prescription exercise must be a non-empty id, got {self.exercise!r}")
        try:
            _check_number(self.sets, "sets", 1, 100, integer=True)
            reps = self.reps
            if isinstance(reps, list | tuple):
                if len(reps) != 2:
                    raise ValidationError(f"a rep range is (low, high), got {reps!r}")
                _check_number(reps[0], "reps", 1, 100, integer=True)
                _check_number(reps[1], "reps", reps[0], 100, integer=True)
                object.__setattr__(self, "reps", (int(reps[0]), int(reps[1])))
            else:
                _check_number(reps, "reps", 1, 100, integer=True)
                object.__setattr__(self, "reps", int(reps))
            object.__setattr__(self, "sets", int(self.sets))
            given = [k for k in ("percent_1rm", "rpe", "rir", "kg") if getattr(self, k) is not None]
            if len(given) > 1:
                raise ValidationError(f"give one intensity, not {' and '.join(given)}")
            limits = {"percent_1rm": (1, 110), "rpe": (5, 10), "rir": (0, 10), "kg": (0, 1000)}
            for k in given:
                _check_number(getattr(self, k), k, *limits[k])
            if isinstance(self.progression, Mapping):
                object.__setattr__(self, "progression", Progression(**_progression_fields(self.progression)))
            elif not isinstance(self.progression, Progression):
                raise ValidationError(
                    f"progression must be a Progression or a table, got {self.progression!r}"
                )
        except ValidationError as e:
            raise ValidationError(f"{where}: {e}") from None

    @property
    def reps_low(self) -> int:
        return self.reps[0] if isinstance(self.reps, tuple) else self.reps

    @property
    def reps_high(self) -> int:
        return self.reps[1] if isinstance(self.reps, tuple) else self.reps

    @property
    def reps_planned(self) -> float:
        """Reps used when one number is needed: the midpoint of a range."""
        return (self.reps_low + self.reps_high) / 2

    @property
    def planned_rir(self) -> float | None:
        """Reps in reserve implied by an RPE or RIR prescription (RPE 10 = 0 RIR; Zourdos 2016)."""
        if self.rir is not None:
            return float(self.rir)
        if self.rpe is not None:
            return 10.0 - float(self.rpe)
        return None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"exercise": self.exercise, "sets": self.sets}
        d["reps"] = list(self.reps) if isinstance(self.reps, tuple) else self.reps
        for k in ("percent_1rm", "rpe", "rir", "kg"):
            if getattr(self, k) is not None:
                d[k] = getattr(self, k)
        if self.progression != Progression():
            p = {k: v for k, v in asdict(self.progression).items() if v != getattr(Progression(), k)}
            if "wave" in p:
                p["wave"] = list(p["wave"])
            d["progression"] = p
        return d


def _progression_fields(p: Mapping[str, Any]) -> dict[str, Any]:
    check_keys(p, sorted(Progression.__dataclass_fields__), "progression", what="progression field")
    out = dict(p)
    if "wave" in out:
        out["wave"] = tuple(out["wave"])
    return out


@dataclass(frozen=True)
class Session:
    """A training session on a weekday (0 = Monday … 6 = Sunday, or 'mon' … 'sun')."""

    day: int
    prescriptions: tuple[Prescription, ...]
    name: str = ""

    def __post_init__(self) -> None:
        day = self.day
        if isinstance(day, str):
            if day.lower()[:3] not in WEEKDAYS:
                raise ValidationError(f"session day {day!r} is not a weekday ({', '.join(WEEKDAYS)})")
            day = WEEKDAYS.index(day.lower()[:3])
        _check_number(day, "session day", 0, 6, integer=True)
        object.__setattr__(self, "day", int(day))
        if isinstance(self.prescriptions, str | bytes) or not isinstance(self.prescriptions, Iterable):
            raise ValidationError(
                f"session prescriptions must be a list of Prescription, got {self.prescriptions!r:.80}"
            )
        object.__setattr__(self, "prescriptions", tuple(self.prescriptions))
        for p in self.prescriptions:
            if not isinstance(p, Prescription):
                raise ValidationError(f"session prescriptions must be Prescription objects, got {p!r:.80}")
        if not self.prescriptions:
            raise ValidationError(f"session {self.name or WEEKDAYS[self.day]!r} has no prescriptions")


Week = tuple[Session, ...]


@dataclass(frozen=True)
class Program:
    """A training program: ``weeks`` is a list of weeks, each a tuple of sessions.

    ``deload_weeks`` (1-based) are planned deloads: sets × ``deload_sets_factor`` and the load
    × ``deload_load_factor`` in those weeks (defaults 0.5 and 0.9: an engine choice following
    common practice, not a published constant).
    """

    name: str
    weeks: tuple[Week, ...]
    description: str = ""
    deload_weeks: tuple[int, ...] = ()
    deload_sets_factor: float = 0.5
    deload_load_factor: float = 0.9
    # Where each exercise id was read (file, line, table) for error messages; not compared.
    origin: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise ValidationError(f"program name must be a string, got {self.name!r:.80}")
        if isinstance(self.weeks, str | bytes) or not isinstance(self.weeks, Iterable):
            raise ValidationError(
                f"program {self.name!r}: weeks must be a list of weeks, got {self.weeks!r:.80}"
            )
        weeks = tuple(self.weeks)
        for i, wk in enumerate(weeks):
            if isinstance(wk, str | bytes) or not isinstance(wk, Iterable):
                raise ValidationError(
                    f"program {self.name!r}: week {i + 1} must be a list of sessions, got {wk!r:.80}"
                )
            for x in wk:
                if not isinstance(x, Session):
                    raise ValidationError(
                        f"program {self.name!r}: week {i + 1} holds {x!r:.80}, not a Session"
                    )
        object.__setattr__(self, "weeks", tuple(tuple(wk) for wk in weeks))
        if isinstance(self.deload_weeks, str | bytes) or not isinstance(self.deload_weeks, Iterable):
            raise ValidationError(
                f"program {self.name!r}: deload_weeks must be a list of week numbers, "
                f"got {self.deload_weeks!r}"
            )
        deloads = tuple(self.deload_weeks)
        for w in deloads:
            _check_number(w, f"program {self.name!r}: deload week", 1, math.inf, integer=True)
        object.__setattr__(self, "deload_weeks", tuple(int(w) for w in deloads))
        if not self.weeks:
            raise ValidationError(f"program {self.name!r} is empty: it has no weeks")
        for w in self.deload_weeks:
            if not 1 <= w <= len(self.weeks):
                raise ValidationError(
                    f"program {self.name!r}: deload week {w} outside weeks 1..{len(self.weeks)}"
                )
        _check_number(self.deload_sets_factor, "deload_sets_factor", 0, 1)
        _check_number(self.deload_load_factor, "deload_load_factor", 0, 1)
        for week in self.weeks:
            days = [s.day for s in week]
            if len(set(days)) != len(days):
                raise ValidationError(f"program {self.name!r}: two sessions on one weekday in a week")

    # --- construction -------------------------------------------------------------------------
    @classmethod
    def rest(cls, weeks: int, name: str = "") -> Program:
        """``weeks`` weeks without sessions: a break (detraining) or a no-training control arm.
        Named "rest (N weeks)" unless ``name`` is given."""
        _check_number(weeks, "rest weeks", 1, 520, integer=True)
        n = int(weeks)
        return cls(name or f"rest ({n} week{'s' if n != 1 else ''})", tuple(() for _ in range(n)))

    @classmethod
    def concat(
        cls, programs: Sequence[Program], name: str | None = None, description: str | None = None
    ) -> Program:
        """The programs' weeks one after another (a phased protocol: train, rest, retrain).

        * Weeks: appended in order; ``n_weeks`` is the sum.
        * Deload weeks: each part's planned deloads, shifted to their new week numbers. Parts
          with deload weeks must agree on ``deload_sets_factor`` and ``deload_load_factor``
          (a ValidationError otherwise); they are carried into the result.
        * Progression state: the core keeps one state per distinct prescription (equal
          prescriptions share it), so a prescription repeated in a later phase continues from
          the load it reached (through any rest in between); a different prescription of the same
          lift starts from its own intensity.
        * Name: ``name``, else the parts' names joined with " + "; description likewise
          (non-empty descriptions joined with "; ").
        """
        parts = list(programs)
        if not parts:
            raise ValidationError("Program.concat() needs at least one program")
        for i, p in enumerate(parts):
            if not isinstance(p, Program):
                raise ValidationError(f"Program.concat(): item #{i + 1} is not a Program, got {p!r:.80}")
        with_deloads = [p for p in parts if p.deload_weeks]
        factors = {(p.deload_sets_factor, p.deload_load_factor) for p in with_deloads}
        if len(factors) > 1:
            raise ValidationError(
                "Program.concat(): the parts' deload factors differ "
                + ", ".join(
                    f"{p.name!r}: {p.deload_sets_factor}/{p.deload_load_factor}" for p in with_deloads
                )
                + "; give them the same deload_sets_factor and deload_load_factor"
            )
        sets_factor, load_factor = factors.pop() if factors else (0.5, 0.9)
        weeks: list[Week] = []
        deloads: list[int] = []
        for p in parts:
            deloads.extend(len(weeks) + w for w in p.deload_weeks)
            weeks.extend(p.weeks)
        if description is None:
            description = "; ".join(p.description for p in parts if p.description)
        return cls(
            name if name is not None else " + ".join(p.name for p in parts),
            tuple(weeks),
            description=description,
            deload_weeks=tuple(deloads),
            deload_sets_factor=sets_factor,
            deload_load_factor=load_factor,
        )

    @classmethod
    def repeat(cls, name: str, sessions: Sequence[Session], weeks: int, **kwargs: Any) -> Program:
        """The same week of ``sessions`` repeated ``weeks`` times."""
        _check_number(weeks, "weeks", 1, 520, integer=True)
        return cls(name, tuple(tuple(sessions) for _ in range(int(weeks))), **kwargs)

    @classmethod
    def load(cls, path: str | Path, *, strict: bool = True) -> Program:
        """Read a program from TOML (see ``chainload/data/programs/*.toml`` for the format).

        An unknown key at any level is an error naming the file, line and nearest valid keys;
        ``strict=False`` turns it into an :class:`~chainload.errors.UnknownKeyWarning`."""
        return _from_source(TomlSource(path), strict=strict)

    @classmethod
    def loads(cls, text: str, name: str = "<string>", *, strict: bool = True) -> Program:
        return _from_source(TomlSource(name, text=text), strict=strict)

    @staticmethod
    def examples() -> dict[str, Program]:
        """The shipped example programs by name."""
        return {p.stem: Program.load(p) for p in sorted((DATA_DIR / "programs").glob("*.toml"))}

    def with_weeks(self, weeks: int) -> Program:
        """The program cut or cycled to ``weeks`` weeks."""
        _check_number(weeks, "weeks", 1, 520, integer=True)
        cycled = tuple(self.weeks[i % len(self.weeks)] for i in range(int(weeks)))
        return replace(self, weeks=cycled, deload_weeks=tuple(w for w in self.deload_weeks if w <= weeks))

    # --- queries ------------------------------------------------------------------------------
    @property
    def n_weeks(self) -> int:
        return len(self.weeks)

    @property
    def n_days(self) -> int:
        return 7 * len(self.weeks)

    @property
    def n_sessions(self) -> int:
        return sum(len(w) for w in self.weeks)

    def exercises(self) -> list[str]:
        """Exercise ids used, in order of first use."""
        seen: dict[str, None] = {}
        for week in self.weeks:
            for s in week:
                for p in s.prescriptions:
                    seen.setdefault(p.exercise)
        return list(seen)

    def occurrences(self) -> Iterable[tuple[int, int, Session, Prescription]]:
        """(week index 0-based, day index, session, prescription) in time order."""
        for w, week in enumerate(self.weeks):
            for s in sorted(week, key=lambda s: s.day):
                for p in s.prescriptions:
                    yield w, 7 * w + s.day, s, p

    def check_exercises(self, known: Iterable[str], where: str = "") -> None:
        """Raise UnknownNameError (with suggestions) for an exercise not in ``known``."""
        known = list(known)
        for ex in self.exercises():
            if ex not in known:
                raise unknown("exercise", ex, known, where or self.origin.get(ex) or f"program {self.name!r}")

    # --- saving -------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name}
        if self.description:
            d["description"] = self.description
        if self.deload_weeks:
            d["deload_weeks"] = list(self.deload_weeks)
            d["deload_sets_factor"] = self.deload_sets_factor
            d["deload_load_factor"] = self.deload_load_factor

        def session_dict(s: Session) -> dict[str, Any]:
            out: dict[str, Any] = {"day": WEEKDAYS[s.day]}
            if s.name:
                out["name"] = s.name
            out["exercise"] = [p.to_dict() for p in s.prescriptions]
            return out

        if self.weeks[0] and all(w == self.weeks[0] for w in self.weeks):
            d["weeks"] = self.n_weeks
            d["session"] = [session_dict(s) for s in self.weeks[0]]
        else:  # a rest week is a [[week]] table without sessions
            d["week"] = [{"session": [session_dict(s) for s in w]} if w else {} for w in self.weeks]
        return d

    def dumps(self) -> str:
        return tomli_w.dumps(self.to_dict())

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.dumps(), encoding="utf-8")

    def to_frame(self, week: int = 1) -> pd.DataFrame:
        """The sessions of one week (1-based) as a table: day, session, exercise, sets, reps,
        intensity, progression."""
        rows = []
        for s in sorted(self.weeks[week - 1], key=lambda s: s.day):
            for p in s.prescriptions:
                labels = {"percent_1rm": "{:g} %1RM", "rpe": "RPE {:g}", "rir": "RIR {:g}", "kg": "{:g} kg"}
                given = [k for k in labels if getattr(p, k) is not None]
                intensity = labels[given[0]].format(getattr(p, given[0])) if given else "body weight"
                rule = p.progression
                prog = "" if rule.rule == "none" else f"{rule.rule} {rule.increment_kg:+g} kg"
                reps = f"{p.reps[0]}-{p.reps[1]}" if isinstance(p.reps, tuple) else str(p.reps)
                row = {"day": WEEKDAYS[s.day], "session": s.name, "exercise": p.exercise, "sets": p.sets}
                rows.append(row | {"reps": reps, "intensity": intensity, "progression": prog})
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        deload = f", deload weeks {list(self.deload_weeks)}" if self.deload_weeks else ""
        head = f"<b>{html.escape(self.name)}</b>: {self.n_weeks} weeks{deload}. Week 1:"
        return head + self.to_frame().to_html(index=False)

    def __repr__(self) -> str:
        n = sum(len(w) for w in self.weeks)
        return (
            f"Program({self.name!r}: {self.n_weeks} weeks, {n} sessions, {len(self.exercises())} exercises)"
        )


_PRESCRIPTION_FIELDS = set(Prescription.__dataclass_fields__)


_PROGRAM_KEYS = (
    "name",
    "description",
    "weeks",
    "session",
    "week",
    "deload_weeks",
    "deload_sets_factor",
    "deload_load_factor",
)
_SESSION_KEYS = ("day", "name", "exercise")


def _from_source(src: TomlSource, strict: bool = True) -> Program:
    data = src.data
    path = src.path
    origin: dict[str, str] = {}
    check_keys(data, _PROGRAM_KEYS, str(path), strict=strict, line_of=src.line_of_key)

    def sessions_of(tables: Any, where: str) -> tuple[Session, ...]:
        if not isinstance(tables, list) or not tables:
            raise ValidationError(f"{where}: no [[session]] tables")
        out = []
        for i, t in enumerate(tables):
            swhere = f"{where} session #{i + 1}"
            if not isinstance(t, dict):
                raise ValidationError(f"{swhere}: expected a [[session]] table, got {t!r:.80}")
            check_keys(t, _SESSION_KEYS, swhere, strict=strict, line_of=src.line_of_key)
            exercises = require(t, "exercise", list, swhere)
            prescriptions = []
            for j, e in enumerate(exercises):
                ex_id = e.get("exercise", "") if isinstance(e, dict) else ""
                line = (
                    (src.line_of("exercise", ex_id) or src.line_containing(f'"{ex_id}"')) if ex_id else None
                )
                pwhere = (
                    f"{path}:{f' line {line},' if line else ''} "
                    f"{swhere.removeprefix(str(path)).lstrip(': ')} exercise #{j + 1}"
                )
                if not isinstance(e, dict):
                    raise ValidationError(f"{pwhere}: expected a table")
                check_keys(e, sorted(_PRESCRIPTION_FIELDS), pwhere, strict=strict, what="field")
                if isinstance(e.get("exercise"), str):
                    origin.setdefault(e["exercise"], pwhere)
                if isinstance(e.get("progression"), dict):
                    check_keys(
                        e["progression"],
                        sorted(Progression.__dataclass_fields__),
                        f"{pwhere} progression",
                        strict=strict,
                        line_of=src.line_of_key,
                        what="progression field",
                    )
                try:
                    fields = {k: v for k, v in e.items() if k in _PRESCRIPTION_FIELDS}
                    if isinstance(fields.get("progression"), dict):
                        known = Progression.__dataclass_fields__
                        fields["progression"] = {k: v for k, v in fields["progression"].items() if k in known}
                    if isinstance(fields.get("reps"), list):
                        fields["reps"] = tuple(fields["reps"])
                    prescriptions.append(Prescription(**fields))
                except (TypeError, ValidationError) as err:
                    raise ValidationError(f"{pwhere}: {err}") from None
            try:
                out.append(
                    Session(
                        day=require(t, "day", (str, int), swhere),
                        prescriptions=tuple(prescriptions),
                        name=str(t.get("name", "")),
                    )
                )
            except ValidationError as err:
                raise ValidationError(
                    f"{swhere}: {err}" if not str(err).startswith(str(path)) else str(err)
                ) from None
        return tuple(out)

    name = str(data.get("name", path.stem))
    if "week" in data:
        week_tables = tables(data, "week", str(path))
        for i, w in enumerate(week_tables):
            check_keys(w, ("session",), f"{path}: [[week]] #{i + 1}", strict=strict, line_of=src.line_of_key)
        # A [[week]] table without sessions (or with session = []) is a rest week.
        weeks = tuple(
            sessions_of(w["session"], f"{path}: [[week]] #{i + 1}") if w.get("session", []) != [] else ()
            for i, w in enumerate(week_tables)
        )
    else:
        n = require(data, "weeks", int, str(path))
        _check_number(n, f"{path}: weeks", 1, 520, integer=True)
        weeks = (sessions_of(data.get("session"), str(path)),) * n
    extra = {k: data[k] for k in ("deload_weeks", "deload_sets_factor", "deload_load_factor") if k in data}
    try:
        return Program(
            name=name, weeks=weeks, description=str(data.get("description", "")), origin=origin, **extra
        )
    except ValidationError as err:
        raise ValidationError(f"{path}: {err}") from None


__all__ = ["RULES", "WEEKDAYS", "Prescription", "Program", "Progression", "Session", "Week"]

"""Virtual athletes: body mass and one-repetition maxima, the starting point of dose and simulation."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import tomllib

from . import _core
from ._files import TomlSource, finite_number
from ._names import check_keys, hint
from .catalogue import Catalogue, Exercise
from .errors import ValidationError
from .program import Prescription

_ATHLETE_KEYS = ("bodyweight", "one_rm", "estimate_missing", "name", "params", "sex")
# Training statuses of the size_neural model (presets in data/model_size_neural.toml).
STATUSES: tuple[str, ...] = ("untrained", "trained", "advanced")
# Sexes (multipliers of women's values in data/model_size_neural.toml [sex.female]).
SEXES: tuple[str, ...] = ("female", "male")


def check_sex(sex: object, where: str = "sex") -> str:
    """``sex`` if it is one of SEXES, else a ValidationError naming ``where`` and the value."""
    if not isinstance(sex, str) or sex not in SEXES:
        raise ValidationError(f"{where}: {sex!r} is not a sex ({', '.join(SEXES)})")
    return sex


def check_status(status: object, where: str = "status") -> str:
    """``status`` if it is one of STATUSES, else a ValidationError naming ``where``, the value, the
    statuses and the nearest one."""
    if not isinstance(status, str) or status not in STATUSES:
        near = hint(str(status), STATUSES, 1)
        raise ValidationError(f"{where}: {status!r} is not a training status ({', '.join(STATUSES)}){near}")
    return status


# The size_neural model's parameters, statuses, spread and sex factors: data/model_size_neural.toml
# is their one source (values, units, citations); the core receives every value from it.
SIZE_NEURAL_FILE = Path(__file__).parent / "data" / "model_size_neural.toml"


@functools.cache
def _size_neural_file() -> dict[str, Any]:
    with SIZE_NEURAL_FILE.open("rb") as f:
        d = tomllib.load(f)
    # The core takes every value from here; its names are the core's (size_neural.hpp, bindings).
    names, core = tuple(d["parameters"]), tuple(_core.SIZE_NEURAL_PARAM_NAMES)
    if sorted(names) != sorted(core):
        raise ValidationError(
            f"{SIZE_NEURAL_FILE}: [parameters] names {sorted(set(names) ^ set(core))} differ from the"
            " core's size_neural parameters (_core.SIZE_NEURAL_PARAM_NAMES)"
        )
    return d


def size_neural_params(status: str = "trained") -> dict[str, float]:
    """The size_neural parameters of a training status ("untrained" | "trained" | "advanced"), read
    from data/model_size_neural.toml (values, units and sources are in that file)."""
    check_status(status)
    d = _size_neural_file()
    out = {k: float(v["value"]) for k, v in d["parameters"].items()}
    for k, v in d["status"][status].items():
        if k != "source":
            out[k] = float(v)
    return out


def population_spread() -> dict[str, float]:
    """Between-athlete spread of the size_neural parameters ([population] of the data file)."""
    return {k: float(v["value"]) for k, v in _size_neural_file()["population"].items()}


def sex_factors(sex: str = "male") -> dict[str, float]:
    """Multipliers of a woman's bodyweight, strength (1RM per kg), neural_max and size_rate over a
    man's ([sex.female] of data/model_size_neural.toml); all 1 for ``"male"``."""
    check_sex(sex)
    female = {k: float(v["value"]) for k, v in _size_neural_file()["sex"]["female"].items()}
    return female if sex == "female" else dict.fromkeys(female, 1.0)


SIZE_NEURAL_NAMES: tuple[str, ...] = tuple(size_neural_params())


@dataclass(frozen=True)
class Athlete:
    """An athlete: ``bodyweight`` in kg and ``one_rm`` in kg per exercise id.

    For a bodyweight exercise the 1RM is the *total* moved load (body share plus added kg).
    With ``estimate_missing`` a 1RM not given is estimated from the catalogue's
    ``standard_1rm_bw`` × body mass; otherwise a program needing it raises an error naming it.
    ``params`` overrides the adaptation model's per-muscle defaults (``DEFAULT_PARAMS``, the
    core's): ``{"tau1": 30}`` or ``{"k1": {"glutes": 0.003}}``, or a
    size_neural parameter (one value: ``{"neural_max": 0.2}``; data/model_size_neural.toml).
    ``status`` ("untrained" | "trained" | "advanced") picks the size_neural preset;
    ``strength_start`` the starting force capacity of some muscles relative to normal (see
    :meth:`with_imbalance`), and ``size_start`` their starting size (the model state it sets).
    ``sex`` ("female" | "male") scales the size_neural neural_max and size_rate (and, with
    ``estimate_missing``, the standard 1RM per kg) by data/model_size_neural.toml [sex.female];
    a ``neural_max`` in ``params`` is a man's value, scaled the same way.
    """

    one_rm: Mapping[str, float] = field(default_factory=dict)
    bodyweight: float = 80.0
    estimate_missing: bool = False
    name: str = "athlete"
    params: Mapping[str, Any] = field(default_factory=dict)
    status: str = "trained"
    size_start: Mapping[str, float] = field(default_factory=dict)
    sex: str = "male"
    strength_start: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_status(self.status)
        check_sex(self.sex, f"athlete {self.name!r} sex")
        for muscle, v in self.size_start.items():
            if not (finite_number(v) and 0.3 <= v <= 1.5):
                raise ValidationError(
                    f"athlete starting size of '{muscle}' must be in [0.3, 1.5] "
                    f"(1 = normal; below the status ceiling), got {v!r}"
                )
        object.__setattr__(self, "size_start", dict(self.size_start))
        for muscle, v in self.strength_start.items():
            if not (finite_number(v) and 0 < v <= 1.5):
                raise ValidationError(
                    f"athlete starting strength of '{muscle}' must be in (0, 1.5] (1 = normal), got {v!r}"
                )
            if muscle in self.size_start:
                raise ValidationError(
                    f"athlete muscle '{muscle}' has both a starting size and a starting strength; "
                    "give one (the strength sets the size)"
                )
        object.__setattr__(self, "strength_start", dict(self.strength_start))
        if not (finite_number(self.bodyweight) and 20 <= self.bodyweight <= 300):
            raise ValidationError(f"athlete bodyweight must be in [20, 300] kg, got {self.bodyweight!r}")
        for ex, kg in self.one_rm.items():
            if not (finite_number(kg) and 0 < kg <= 1000):
                raise ValidationError(f"athlete 1RM of '{ex}' must be in (0, 1000] kg, got {kg!r}")
        object.__setattr__(self, "one_rm", dict(self.one_rm))

    @classmethod
    def default(cls) -> Athlete:
        """An 80 kg trained recreational man whose 1RMs are the catalogue's strength standards
        (engine choice: back squat 1.5 × body mass, the other lifts by the ratios of SCIENCE.md 4.2)."""
        return cls(bodyweight=80.0, estimate_missing=True, name="default athlete")

    def with_imbalance(self, strengths: Mapping[str, float]) -> Athlete:
        """This athlete with some muscles weaker (or stronger) than normal at the start, e.g.
        ``{"hamstrings": 0.8}``: the muscle's starting force capacity, relative to normal.

        size_neural has one per-muscle force state, the size s, with force 1 + size_force (s − 1)
        (docs/model.md), so a starting strength f is the starting size 1 + (f − 1) / size_force
        (0.6 for f = 0.8 at size_force 0.5): the muscle is smaller, and as far below its growth
        ceiling, so it regrows faster under the same dose (docs/balance.md 4). It lowers every lift
        the muscle contributes to by its activation share (1RM × Σ a f / Σ a). Muscle ids and the
        range (the size must be in [0.3, ceiling)) are checked when the athlete is simulated."""
        size = {m: v for m, v in self.size_start.items() if m not in strengths}
        return replace(self, size_start=size, strength_start={**self.strength_start, **dict(strengths)})

    def start_sizes(self, size_force: float, ceiling: float) -> dict[str, float]:
        """Starting size per muscle (relative, 1 = normal): ``size_start``, and for each muscle of
        ``strength_start`` the size whose force 1 + size_force (s − 1) is that strength."""
        out = dict(self.size_start)
        if self.strength_start and not size_force > 0:
            raise ValidationError(
                f"athlete {self.name!r} has a starting strength but size_force is {size_force!r}: "
                "with no force from size a starting strength cannot be set (give size_start)"
            )
        for muscle, f in self.strength_start.items():
            s = 1 + (f - 1) / size_force
            if not 0.3 <= s < ceiling:
                lo, hi = 1 + size_force * (0.3 - 1), 1 + size_force * (ceiling - 1)
                raise ValidationError(
                    f"athlete {self.name!r} starting strength of '{muscle}' is {f!r}: size_neural can "
                    f"start a muscle at [{lo:.3g}, {hi:.3g}) of normal force (size {s:.3g} must be in "
                    f"[0.3, {ceiling:.3g}): force 1 + size_force (s - 1), size_force {size_force:.3g})"
                )
            out[muscle] = s
        return out

    @classmethod
    def load(cls, path: str | Path, *, strict: bool = True, catalogue: Catalogue | None = None) -> Athlete:
        """Read ``bodyweight = 80`` and a ``[one_rm]`` table (kg) from TOML.

        An unknown key, an exercise id of ``[one_rm]`` not in ``catalogue`` (default: the shipped
        one), or an unknown parameter or muscle in ``[params]`` is an error naming the file, the
        line and the nearest valid names; ``strict=False`` makes them warnings."""
        src = TomlSource(path)
        d: dict[str, Any] = src.data
        where = str(src.path)
        check_keys(d, _ATHLETE_KEYS, where, strict=strict, line_of=src.line_of_key)
        if not isinstance(d.get("one_rm", {}), dict):
            raise ValidationError(
                f"{src.path}: one_rm must be a table of kg by exercise id, got {d['one_rm']!r:.80}"
            )
        cat = catalogue if catalogue is not None else Catalogue.default()
        check_keys(
            d.get("one_rm", {}),
            cat.ids,
            f"{where} [one_rm]",
            strict=strict,
            line_of=src.line_of_key,
            what="exercise",
        )
        params = d.get("params", {})
        if not isinstance(params, dict):
            raise ValidationError(f"{where}: params must be a table, got {params!r:.80}")
        check_keys(
            params,
            _core.PARAM_NAMES,
            f"{where} [params]",
            strict=strict,
            line_of=src.line_of_key,
            what="model parameter",
        )
        for name, value in params.items():
            if isinstance(value, dict):
                check_keys(
                    value,
                    cat.graph.ids,
                    f"{where} [params.{name}]",
                    strict=strict,
                    line_of=src.line_of_key,
                    what="muscle",
                )
        try:
            return cls(
                one_rm={k: v for k, v in d.get("one_rm", {}).items() if k in cat.ids},
                bodyweight=d.get("bodyweight", 80.0),
                estimate_missing=bool(d.get("estimate_missing", False)),
                name=str(d.get("name", src.path.stem)),
                params={
                    k: ({m: x for m, x in v.items() if m in cat.graph.ids} if isinstance(v, dict) else v)
                    for k, v in params.items()
                    if k in _core.PARAM_NAMES
                },
                sex=d.get("sex", "male"),
            )
        except ValidationError as e:
            raise ValidationError(f"{src.path}: {e}") from None

    def one_rm_of(self, exercise: Exercise) -> float:
        """This athlete's 1RM (total moved load, kg) for an exercise."""
        if exercise.id in self.one_rm:
            return float(self.one_rm[exercise.id])
        if self.estimate_missing and exercise.standard_1rm_bw is not None:
            return exercise.standard_1rm_bw * self.bodyweight * sex_factors(self.sex)["strength"]
        raise ValidationError(
            f"{self.name} has no 1RM for '{exercise.id}', which the program prescribes by %1RM/RPE/RIR; "
            f"give one_rm={{'{exercise.id}': kg}}"
            + ("" if self.estimate_missing else " or use estimate_missing=True")
        )

    def body_load(self, exercise: Exercise) -> float:
        """The part of the load that is body mass (0 for an external-load exercise)."""
        return exercise.bodyweight_fraction * self.bodyweight if exercise.load == "bodyweight" else 0.0

    def planned_load(self, p: Prescription, exercise: Exercise) -> float:
        """Total moved load (kg) of one rep as planned: kg (+ body share), %1RM × 1RM, or the load
        that leaves the prescribed reps in reserve by Brzycki's relation (SCIENCE.md 5.1)."""
        if p.kg is not None:
            return self.body_load(exercise) + float(p.kg)
        if p.percent_1rm is not None:
            return float(p.percent_1rm) / 100.0 * self.one_rm_of(exercise)
        rir = p.planned_rir
        if rir is not None:
            return float(np.asarray(_core.brzycki_fraction(p.reps_planned + rir))) * self.one_rm_of(exercise)
        if exercise.load == "bodyweight":
            return self.body_load(exercise)
        raise ValidationError(
            f"prescription of '{exercise.id}' has no intensity: give kg, percent_1rm, rpe or rir"
        )

    def with_catalogue_standards(self, catalogue: Catalogue) -> dict[str, float]:
        """Every 1RM this athlete has or can estimate, by exercise id."""
        out = {}
        for ex in catalogue:
            try:
                out[ex.id] = self.one_rm_of(ex)
            except ValidationError:
                continue
        return out

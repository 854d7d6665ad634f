"""The closed-loop simulation: a program run against a virtual athlete, day by day, in C++.

Each session the core derives today's 1RM of every lift, the reps possible at the prescribed
load by Brzycki's relation, records what was achieved, applies the progression rule, and feeds
the achieved, effort-weighted dose into the adaptation model. The default model, ``size_neural``
(docs/model.md), combines per-muscle size by activation weight with a per-lift neural state and
hour-resolved fatigue; the published open-loop references (banister, busso, saturating) take a
lift's 1RM from its weakest muscle at activation >= 0.5. See the README for conventions.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from . import _core, _display
from ._files import finite_number
from .athlete import SIZE_NEURAL_NAMES as SIZE_NEURAL_NAMES  # re-exported: population, athlete_fit
from .athlete import Athlete
from .athlete import population_spread as population_spread
from .athlete import sex_factors as sex_factors
from .athlete import size_neural_params as size_neural_params
from .catalogue import Catalogue
from .equipment import step_kg
from .errors import ValidationError
from .graph import MuscleGraph
from .program import WEEKDAYS, Prescription, Program, Session

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .population import Population

# The model names and the default of every entry point (simulate, compare, sweep, run_batch, the CLI).
ModelName = Literal["size_neural", "banister", "busso", "saturating"]
MODELS: tuple[str, ...] = tuple(_core.MODEL_NAMES)  # the core's list (adaptation.hpp model_names)
DEFAULT_MODEL: ModelName = "size_neural"


def check_model(model: str) -> str:
    """``model`` if it is a known model name, else a ValidationError listing them."""
    if model not in MODELS:
        raise ValidationError(f"unknown model {model!r}; known: {', '.join(MODELS)}")
    return model


@dataclass(frozen=True)
class LiftInfo:
    """What size_neural needs of each catalogue exercise: a movement-pattern id and a single-joint
    ("isolation" pattern) flag (the core's ``pattern`` and ``single_joint`` arguments)."""

    pattern: list[int]
    single_joint: list[int]


def lift_info(catalogue: Catalogue) -> LiftInfo:
    """The catalogue's :class:`LiftInfo`."""
    patterns = sorted({e.pattern for e in catalogue})
    return LiftInfo(
        [patterns.index(e.pattern) for e in catalogue],
        [1 if e.pattern == "isolation" else 0 for e in catalogue],
    )


# Per-muscle defaults of the banister, busso and saturating models: the core's
# (adaptation.hpp model_param_fields, where each value cites its source).
DEFAULT_PARAMS: dict[str, float] = dict(_core.default_params())


def model_params(graph: MuscleGraph, overrides: Mapping[str, Any] | None = None) -> dict[str, np.ndarray]:
    """Per-muscle parameter arrays: defaults, then ``overrides`` ({name: value} for every muscle,
    or {name: {muscle: value}} for some)."""
    out = {k: np.full(len(graph), v) for k, v in DEFAULT_PARAMS.items()}
    for name, value in (overrides or {}).items():
        if name not in out:
            raise ValidationError(f"unknown model parameter {name!r}; known: {', '.join(DEFAULT_PARAMS)}")
        if isinstance(value, Mapping):
            for muscle, v in value.items():
                out[name][graph.index(muscle)] = float(v)
        else:
            out[name][:] = float(value)
    return out


def prescription_fields(
    p: Prescription, catalogue: Catalogue, round_kg: float | None = None
) -> dict[str, Any]:
    """A prescription as the core's PrescriptionSpec takes it (keyword arguments). Its loads round
    to ``round_kg`` if given, else to the step of the exercise's equipment (data/equipment.toml)."""
    if p.kg is not None:
        intensity, value = "kg", float(p.kg)
    elif p.percent_1rm is not None:
        intensity, value = "percent", float(p.percent_1rm)
    elif p.planned_rir is not None:
        intensity, value = "rir", float(p.planned_rir)
    else:
        if catalogue[p.exercise].load != "bodyweight" and p.progression.rule not in ("rpe", "wave"):
            raise ValidationError(
                f"prescription of '{p.exercise}' has no intensity: give kg, percent_1rm, rpe or rir"
            )
        intensity, value = "bodyweight", 0.0
    prog = p.progression
    return {
        "exercise": catalogue.index(p.exercise),
        "sets": p.sets,
        "reps_low": p.reps_low,
        "reps_high": p.reps_high,
        "intensity": intensity,
        "value": value,
        "rule": prog.rule,
        "increment": float(prog.increment_kg),
        "per_week": prog.per == "week",
        "deload_after": int(prog.deload_after),
        "deload_fraction": float(prog.deload_percent) / 100.0,
        "min_kg": float(prog.min_kg or 0.0),
        "wave": [float(x) for x in prog.wave],
        "round_kg": step_kg(catalogue[p.exercise]) if round_kg is None else float(round_kg),
    }


@dataclass
class _Compiled:
    spec: _core.ProgramSpec
    slots: list[tuple[int, int, str]]  # (weekday, position, exercise) of each prescription row


# Compiled programs on the shipped catalogue, by program and rounding (the last few, for notebook
# loops): the shipped catalogue's exercises never change (copy-on-write), so a program compiles to
# the same spec.
_COMPILED: dict[tuple[Program, float | None], tuple[object, _Compiled]] = {}
_COMPILED_KEEP = 32  # engine choice


def compile_program(program: Program, catalogue: Catalogue, round_kg: float | None = None) -> _Compiled:
    """The program as the core's ProgramSpec. Equal prescriptions share one progression state
    (the same lift prescribed the same way on Monday and Thursday progresses session by session
    across both); different prescriptions of one lift (heavy and light days) progress apart.
    Loads round to each exercise's equipment step, or to ``round_kg`` everywhere if given.
    Cached for the shipped catalogue (until a copy of it is changed)."""
    if round_kg is not None and not (finite_number(round_kg) and round_kg >= 0):
        raise ValidationError(f"round_kg must be a finite number >= 0 (kg) or None, got {round_kg!r}")
    shipped = catalogue._shipped_exercises()
    if shipped is None:
        return _compile_program(program, catalogue, round_kg)
    try:
        hit = _COMPILED.get((program, round_kg))
    except TypeError:  # a program holding an unhashable value: compiled every time
        return _compile_program(program, catalogue, round_kg)
    if hit is not None and hit[0] is shipped:
        return hit[1]
    compiled = _compile_program(program, catalogue, round_kg)
    if len(_COMPILED) >= _COMPILED_KEEP:
        del _COMPILED[next(iter(_COMPILED))]  # the oldest
    _COMPILED[(program, round_kg)] = (shipped, compiled)
    return compiled


def _compile_program(program: Program, catalogue: Catalogue, round_kg: float | None) -> _Compiled:
    program.check_exercises(catalogue.ids)
    slots: dict[Prescription, int] = {}
    specs: list[_core.PrescriptionSpec] = []
    names: list[tuple[int, int, str]] = []
    day, which = [], []
    for _w, d, session, p in program.occurrences():
        if p not in slots:
            slots[p] = len(specs)
            specs.append(_core.PrescriptionSpec(**prescription_fields(p, catalogue, round_kg)))
            names.append((session.day, session.prescriptions.index(p), p.exercise))
        day.append(d)
        which.append(slots[p])
    deload = [1 if (w + 1) in program.deload_weeks else 0 for w in range(program.n_weeks)]
    spec = _core.ProgramSpec(
        specs, day, which, program.n_days, deload, program.deload_sets_factor, program.deload_load_factor
    )
    return _Compiled(spec, names)


def athlete_size_neural(athlete: Athlete, graph: MuscleGraph) -> dict[str, Any]:
    """The athlete's size_neural parameters: its status preset, its overrides in ``params`` and its
    per-muscle starting sizes (``size_start``, and those of its ``strength_start``)."""
    sn: dict[str, Any] = size_neural_params(athlete.status)
    for k, v in athlete.params.items():
        if k == "size_response":  # per muscle: {muscle: multiplier of size_rate}
            response = np.ones(len(graph))
            for muscle, x in dict(v).items():
                response[graph.index(muscle)] = float(x)
            sn[k] = response
        elif k in sn:
            if isinstance(v, Mapping):
                raise ValidationError(f"size_neural parameter {k!r} takes one value per athlete, got {v!r}")
            sn[k] = float(v)
    for k, factor in sex_factors(athlete.sex).items():
        if k in sn:  # neural_max, size_rate: a woman's = a man's (or the given value) x factor
            sn[k] = sn[k] * factor
    start = np.ones(len(graph))
    for muscle, v in athlete.start_sizes(sn["size_force"], sn["size_ceiling"]).items():
        start[graph.index(muscle)] = float(v)
    sn["size_start"] = start
    return sn


def athlete_spec(
    athlete: Athlete, program: Program, catalogue: Catalogue, tests: Sequence[str] = ()
) -> _core.AthleteSpec:
    one_rm = np.full(len(catalogue), np.nan)
    body = np.zeros(len(catalogue))
    for ex in catalogue:
        body[catalogue.index(ex.id)] = athlete.body_load(ex)
    for ex_id in [*program.exercises(), *tests]:
        one_rm[catalogue.index(ex_id)] = athlete.one_rm_of(catalogue[ex_id])
    old = {k: v for k, v in athlete.params.items() if k not in SIZE_NEURAL_NAMES and k != "size_response"}
    return _core.AthleteSpec(
        one_rm, body, model_params(catalogue.graph, old), athlete_size_neural(athlete, catalogue.graph)
    )


@dataclass
class Simulation:
    """Result of :func:`simulate`: daily per-muscle state, estimated 1RMs and the session log."""

    program_name: str
    model: str
    muscle_ids: list[str]
    exercise_ids: list[str]
    arrays: dict[str, np.ndarray]
    sessions: pd.DataFrame
    chains: dict[str, list[str]] = field(default_factory=dict)
    sizes: dict[str, float] = field(default_factory=dict)
    # the catalogue it ran with (its volume shares give the dose balance); None when loaded from a file
    catalogue: Catalogue | None = field(default=None, repr=False, compare=False)

    @property
    def n_days(self) -> int:
        return int(self.arrays["capacity"].shape[0])

    def _frame(self, name: str) -> pd.DataFrame:
        f = pd.DataFrame(self.arrays[name], columns=pd.Index(self.muscle_ids, name="muscle"))
        f.index.name = "day"
        return f

    @property
    def performance(self) -> pd.DataFrame:
        """Estimated 1RM (kg, total moved load) of each lift at the start of each day."""
        f = pd.DataFrame(self.arrays["one_rm"], columns=pd.Index(self.exercise_ids, name="exercise"))
        f.index.name = "day"
        return f

    @property
    def performance_interval(self) -> pd.DataFrame:
        """For an athlete that carries parameter uncertainty (``fit.athlete()``): per day and lift,
        the 1RM of the fitted athlete (``estimate``) and the 2.5 and 97.5 % quantiles over its
        posterior draws (``lower``, ``upper``). Raises ValidationError for a plain athlete."""
        if "one_rm_lower" not in self.arrays:
            raise ValidationError(
                "performance_interval: the athlete carries no parameter draws (use a fit's athlete())"
            )
        parts = {
            name: pd.DataFrame(self.arrays[key], columns=pd.Index(self.exercise_ids, name="exercise")).stack()
            for name, key in (("estimate", "one_rm"), ("lower", "one_rm_lower"), ("upper", "one_rm_upper"))
        }
        out = pd.DataFrame(parts)
        out.index.names = ["day", "exercise"]
        return out

    @property
    def muscles(self) -> pd.DataFrame:
        """Tidy table: day, muscle, fitness, fatigue, capacity, readiness (%), dose (same-day load)."""
        parts = {k: self._frame(k).stack() for k in ("fitness", "fatigue", "capacity", "readiness", "dose")}
        return pd.DataFrame(parts).reset_index()

    def capacity(self) -> pd.DataFrame:
        """Relative capacity (1 = start) per day × muscle."""
        return self._frame("capacity")

    def rested_capacity(self) -> pd.DataFrame:
        """Capacity without the day's acute fatigue (capacity / readiness; NaN where readiness is
        0): what a strength test on a rested day would find, per day × muscle."""
        ready = self._frame("readiness") / 100.0
        return self.capacity() / ready.where(ready > 0)

    @property
    def balance(self) -> pd.DataFrame:
        """Per week: posterior:anterior of the sets performed (the per-set volume share of
        docs/balance.md, as :func:`~chainload.analyze` measures it) and of the capacity (each chain's
        volume-weighted mean). See :func:`chainload.chains.simulation_balance`."""
        from . import chains

        return chains.simulation_balance(self)

    @property
    def strength_balance(self) -> pd.DataFrame:
        """Per week: H:Q, bench:pull-up, pull:push and trunk extensors:flexors against their
        published norms (SCIENCE.md 4), from the capacities and, where the program has both
        lifts, from the 1RMs. See :func:`chainload.chains.simulation_strength_balance`."""
        from . import chains

        return chains.simulation_strength_balance(self)

    def summary(self) -> pd.Series:
        """Gain per lift (%), failures, auto deloads, peak fatigue, final capacity balance."""
        perf = self.performance
        gains = (perf.iloc[-1] / perf.iloc[0] - 1) * 100
        s = pd.Series({f"gain_{k}_pct": v for k, v in gains.items()}, dtype=float)
        s["failures"] = float(self.sessions["failed"].sum())
        s["auto_deloads"] = float(self.sessions["auto_deload"].sum())
        s["peak_fatigue"] = float(self.arrays["fatigue"].max())
        s["capacity_posterior_anterior"] = float(self.balance["capacity_posterior_anterior"].iloc[-1])
        return s

    # --- Parquet ------------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write to one Parquet file: the tidy muscle table, with the 1RM table, the session log
        and the metadata in the file's key-value metadata."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(self.muscles, preserve_index=False)
        meta = {
            "program_name": self.program_name,
            "model": self.model,
            "muscle_ids": self.muscle_ids,
            "exercise_ids": self.exercise_ids,
            "chains": self.chains,
            "sizes": self.sizes,
            "one_rm": self.arrays["one_rm"].tolist(),
            "sessions": self.sessions.to_json(orient="split"),
        }
        table = table.replace_schema_metadata(
            {**(table.schema.metadata or {}), b"chainload": json.dumps(meta)}
        )
        pq.write_table(table, path)

    @classmethod
    def load(cls, path: str | Path) -> Simulation:
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        raw = (table.schema.metadata or {}).get(b"chainload")
        if raw is None:
            raise ValidationError(f"{path}: not a chainload simulation (no chainload metadata)")
        meta = json.loads(raw)
        tidy = table.to_pandas()
        arrays = {
            k: tidy.pivot(index="day", columns="muscle", values=k)[meta["muscle_ids"]].to_numpy()
            for k in ("fitness", "fatigue", "capacity", "readiness", "dose")
        }
        arrays["one_rm"] = np.array(meta["one_rm"], dtype=float).reshape(len(arrays["capacity"]), -1)
        sessions = pd.read_json(io.StringIO(meta["sessions"]), orient="split")
        ids = (meta["program_name"], meta["model"], meta["muscle_ids"], meta["exercise_ids"])
        return cls(*ids, arrays, sessions, meta["chains"], meta["sizes"])

    def plot(self, kind: str | None = None, *, ax: Any = None) -> Figure:
        """A figure of the run: ``"fitness_fatigue"`` (default; by chain), ``"performance"`` (1RM
        per lift), ``"balance"`` (weekly posterior:anterior ratios) or ``"body_map"``. Returns the
        Figure (:func:`chainload.plots.plot`)."""
        return _display.draw(self, kind, ax)

    def _repr_html_(self) -> str:
        s = self.summary().to_frame("value").round(3)
        return (
            f"<b>Simulation</b> of {self.program_name!r}, model {self.model}, {self.n_days} days"
            + s.to_html()
        )

    def __repr__(self) -> str:
        return f"Simulation({self.program_name!r}, model={self.model!r}, {self.n_days} days)"


def _simulate_one(
    program: Program,
    athlete: Athlete | None,
    cat: Catalogue,
    model: str,
    round_kg: float | None = None,
    **options: Any,
) -> tuple[_Compiled, dict[str, Any]]:
    """One closed-loop core run: the program compiled, the athlete's spec and the catalogue's lift
    information (the one place simulate and recovery build the core's inputs)."""
    compiled = compile_program(program, cat, round_kg)
    spec = athlete_spec(athlete if athlete is not None else Athlete.default(), program, cat)
    info = lift_info(cat)
    r = _core.simulate(
        cat.core_table(),
        compiled.spec,
        spec,
        model,
        pattern=info.pattern,
        single_joint=info.single_joint,
        **options,
    )
    return compiled, r


def simulate(
    program: Program,
    athlete: Athlete | None = None,
    weeks: int | None = None,
    model: ModelName = DEFAULT_MODEL,
    catalogue: Catalogue | None = None,
    round_kg: float | None = None,
) -> Simulation:
    """Run ``program`` (cycled or cut to ``weeks``) against ``athlete`` in the closed loop. Loads
    round to each exercise's equipment step (data/equipment.toml), or to ``round_kg`` kg if given."""
    check_model(model)
    if weeks is not None:
        if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks <= 0:
            raise ValidationError(f"weeks must be a whole number > 0, got {weeks!r}")
        program = program.with_weeks(weeks)
    cat = catalogue if catalogue is not None else Catalogue.default()
    compiled, r = _simulate_one(program, athlete, cat, model, round_kg=round_kg)
    for k in ("pre_test_one_rm", "post_test_one_rm", "pre_size", "post_size"):
        r.pop(k, None)
    draws = tuple(getattr(athlete, "parameter_draws", ()))
    if draws:  # a fitted athlete: the same program on each posterior draw (docs/fitting.md §6)
        runs = np.array(
            [_simulate_one(program, a, cat, model, round_kg=round_kg)[1]["one_rm"] for a in draws]
        )
        r["one_rm_lower"], r["one_rm_upper"] = np.quantile(runs, [0.025, 0.975], axis=0)
    used = [cat.ids[i] for i in compiled.spec.used_exercises]
    log = pd.DataFrame(r.pop("sessions"))
    slot = [compiled.slots[i] for i in log["prescription"]]
    log.insert(1, "week", log["day"] // 7 + 1)
    log.insert(2, "weekday", [WEEKDAYS[d % 7] for d in log["day"]])
    log.insert(3, "exercise", [s[2] for s in slot])
    for k in ("failed", "planned_deload", "auto_deload"):
        log[k] = log[k].astype(bool)
    graph = cat.graph
    return Simulation(
        program.name,
        model,
        graph.ids,
        used,
        r,
        log,
        {c: graph.chain(c) for c in ("posterior", "anterior", "lateral")},
        {m.id: m.size for m in graph.muscles()},
        cat,
    )


def banister(
    loads: Any,
    p0: float = 0.0,
    k1: float = 1.0,
    k2: float = 2.0,
    tau1: float = 42.0,
    tau2: float = 7.0,
) -> pd.DataFrame:
    """Banister's model on one daily load series (day 0 first): fitness, fatigue, performance.

    fitness(t) = fitness(t-1)·exp(-1/tau1) + w(t), the same for fatigue with tau2,
    performance(t) = p0 + k1·fitness(t) − k2·fatigue(t); day t's load counts on day t.
    """
    try:
        w = np.asarray(loads, dtype=float)
    except (TypeError, ValueError) as e:
        raise ValidationError(f"banister(): loads must be a 1-d series of numbers, got {loads!r:.60}") from e
    if w.ndim != 1 or w.size == 0:
        raise ValidationError(f"loads must be a non-empty 1-d series, got shape {w.shape}")
    for name, v in {"tau1": tau1, "tau2": tau2}.items():
        if (
            isinstance(v, bool)
            or not isinstance(v, int | float | np.number)
            or not (math.isfinite(v) and v > 0)
        ):
            raise ValidationError(f"{name} must be a finite number > 0, got {v!r}")
    p0_, k1_, k2_, tau1_, tau2_ = (np.array([float(x)]) for x in (p0, k1, k2, tau1, tau2))
    fit, fat, perf = _core.banister_open_loop(np.ascontiguousarray(w[:, None]), p0_, k1_, k2_, tau1_, tau2_)
    f = pd.DataFrame({"load": w, "fitness": fit[:, 0], "fatigue": fat[:, 0], "performance": perf[:, 0]})
    f.index.name = "day"
    return f


@dataclass(frozen=True)
class BatchOutcome:
    """Outcomes of one program on a population (:func:`run_batch`)."""

    tests: tuple[str, ...]
    muscles: tuple[str, ...]
    pre_one_rm: np.ndarray  # athletes x tests, kg, true (noise-free) 1RM at day 0 before training
    post_one_rm: np.ndarray  # athletes x tests, kg, on the morning after the program's last day
    pre_size: np.ndarray  # athletes x muscles, relative size at day 0
    post_size: np.ndarray  # athletes x muscles, after the last day (the morning after)


def run_batch(
    program: Program,
    population: Population,
    *,
    tests: Sequence[str],
    model: str | None = None,
    threads: int | None = None,
    catalogue: Catalogue | None = None,
) -> BatchOutcome:
    """Every athlete of ``population`` on ``program`` in one batched C++ call (GIL released;
    bit-identical for any number of threads), tested on every lift of ``tests`` (catalogue ids,
    practised or not) before and after. For banister, busso and saturating, size = capacity."""
    name = check_model(model if model is not None else DEFAULT_MODEL)
    if isinstance(tests, str) or not isinstance(tests, Sequence) or len(tests) == 0:
        raise ValidationError(f"tests must be a non-empty list of exercise ids, got {tests!r}")
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 0):
        raise ValidationError(f"threads must be a whole number >= 0 (0 = all cores), got {threads!r}")
    cat = catalogue if catalogue is not None else Catalogue.default()
    test_ids = tuple(str(t) for t in tests)
    index = [cat.index(t) for t in test_ids]  # unknown ids: UnknownNameError with the nearest names
    compiled = compile_program(program, cat)
    from .config import check_memory, population_run_bytes

    lifts = len(set(program.exercises()) | set(test_ids))
    check_memory(
        population_run_bytes(
            len(population), len(cat.graph), lifts, len(population.params), n_tests=len(index)
        ),
        f"run_batch of {len(population)} athletes x {len(cat.graph)} muscles",
    )
    exercises = [*program.exercises(), *test_ids]
    r = population_run(compiled, cat, population, name, exercises, threads=threads or 0, tests=index)
    return BatchOutcome(
        test_ids,
        tuple(cat.graph.ids),
        np.asarray(r["pre_test_one_rm"]),
        np.asarray(r["post_test_one_rm"]),
        np.asarray(r["pre_size"]),
        np.asarray(r["post_size"]),
    )


def population_run(
    compiled: _Compiled,
    cat: Catalogue,
    population: Population,
    model: str,
    exercises: Sequence[str],
    **options: Any,
) -> dict[str, Any]:
    """One core run of ``population`` on a compiled program: the athletes' arrays for
    ``exercises`` and the catalogue's lift information, built here only (run_batch, the sweep);
    ``options`` go to ``_core.simulate_population`` (threads, tests, sample_days)."""
    one_rm, body, params, sn = population.core_arrays(cat, exercises)
    info = lift_info(cat)
    return _core.simulate_population(  # type: ignore[no-any-return]
        cat.core_table(), compiled.spec, one_rm, body, params, model,
        size_neural=sn, pattern=info.pattern, single_joint=info.single_joint, **options,
    )  # fmt: skip


RECOVERY_HOURS: tuple[float, ...] = (0.0, 6.0, 24.0, 48.0, 72.0)


def recovery(
    session: Program | Session | Sequence[Prescription],
    athlete: Athlete | None = None,
    hours: Sequence[float] = RECOVERY_HOURS,
    *,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """Acute fatigue after one session (size_neural model): a DataFrame indexed by hour after
    the session's end, with one column per lift of the session (``"lift:<id>"``, % decrement of
    its 1RM) and per muscle it loads (``"muscle:<id>"``, % decrement of force). ``session`` is a
    list of prescriptions, a :class:`Session`, or a Program (its first session). The hour states
    come from the closed-form fatigue kinetics in C++ (fast and slow compartments)."""
    hrs = [float(h) for h in hours]
    if not hrs:
        raise ValidationError("hours must list at least one hour")
    for h in hrs:
        if not np.isfinite(h) or h < 0:
            raise ValidationError(f"hours must be finite and >= 0 (after the session), got {h!r}")
    if isinstance(session, Program):
        first = next((s for w in session.weeks for s in w), None)
        assert first is not None  # a Program always has a session
        prescriptions = first.prescriptions
    elif isinstance(session, Session):
        prescriptions = session.prescriptions
    else:
        prescriptions = tuple(session)
        if not prescriptions or not all(isinstance(p, Prescription) for p in prescriptions):
            raise ValidationError("session must be a Program, a Session or a non-empty list of Prescription")
    program = Program("recovery", ((Session(0, prescriptions),),))
    cat = catalogue if catalogue is not None else Catalogue.default()
    compiled, r = _simulate_one(program, athlete, cat, "size_neural", record=False, recovery_hours=hrs)
    used = [cat.ids[i] for i in compiled.spec.used_exercises]
    lifts = pd.DataFrame(100 * np.asarray(r["recovery_lift"]), columns=[f"lift:{e}" for e in used])
    graph = cat.graph
    loaded = sorted({m for e in used for m in cat[e].activation}, key=graph.ids.index)
    muscle = np.asarray(r["recovery_muscle"])[:, [graph.index(m) for m in loaded]]
    muscles = pd.DataFrame(100 * muscle, columns=[f"muscle:{m}" for m in loaded])
    out = pd.concat([lifts, muscles], axis=1)
    out.index = pd.Index(hrs, name="hour")
    return out

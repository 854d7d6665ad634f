"""The closed-loop simulation: a program run against a virtual athlete, day by day, in C++.

Each session the core derives today's 1RM of every lift from the per-muscle capacity (the
weakest muscle at activation >= 0.5 limits a compound lift), the reps possible at the prescribed
load by Brzycki's relation, records what was achieved, applies the progression rule, and feeds
the achieved, effort-weighted dose into the adaptation model. See the README for conventions.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from . import _core
from .athlete import Athlete
from .catalogue import Catalogue
from .errors import ValidationError
from .graph import MuscleGraph
from .program import WEEKDAYS, Prescription, Program

ModelName = Literal["banister", "busso", "saturating"]
MODELS: tuple[str, ...] = ("banister", "busso", "saturating")

# Per-muscle defaults. Time constants: the common Banister defaults tau1 = 42 d, tau2 = 7 d
# (Vermeire et al. 2022, SCIENCE.md 2.1). Gains are engine choices: load is effort-weighted
# fractional sets per day; k1 is calibrated so that ~10 hard sets a week on a muscle for 12 weeks
# raise its capacity by ~10 % (a trained recreational lifter; cf. the dose-response rows of
# SCIENCE.md 3.2), and k2 = 2 k1 follows "fatigue impulse ~2x fitness" (Chiu & Barnes 2003, low
# confidence). Busso: tau3 = 4 d and k3 chosen so that k2(t) ~ 2 k1 at that weekly volume. Saturating:
# ceiling 1.5 x the starting capacity, detraining time constant 120 d (engine choices; no
# published per-muscle constants exist, SCIENCE.md 2.1 and 7).
DEFAULT_PARAMS: dict[str, float] = {
    "k1": 0.002,
    "k2": 0.004,
    "tau1": 42.0,
    "tau2": 7.0,
    "k3": 0.0006,
    "tau3": 4.0,
    "gain": 0.0035,
    "ceiling": 1.5,
    "tau_detrain": 120.0,
}


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


def prescription_fields(p: Prescription, catalogue: Catalogue) -> dict[str, Any]:
    """A prescription as the core's PrescriptionSpec takes it (keyword arguments)."""
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
    }


@dataclass
class _Compiled:
    spec: _core.ProgramSpec
    slots: list[tuple[int, int, str]]  # (weekday, position, exercise) of each prescription row


def compile_program(program: Program, catalogue: Catalogue) -> _Compiled:
    """The program as the core's ProgramSpec. Equal prescriptions share one progression state
    (the same lift prescribed the same way on Monday and Thursday progresses session by session
    across both); different prescriptions of one lift (heavy and light days) progress apart."""
    program.check_exercises(catalogue.ids)
    slots: dict[Prescription, int] = {}
    specs: list[_core.PrescriptionSpec] = []
    names: list[tuple[int, int, str]] = []
    day, which = [], []
    for _w, d, session, p in program.occurrences():
        if p not in slots:
            slots[p] = len(specs)
            specs.append(_core.PrescriptionSpec(**prescription_fields(p, catalogue)))
            names.append((session.day, session.prescriptions.index(p), p.exercise))
        day.append(d)
        which.append(slots[p])
    deload = [1 if (w + 1) in program.deload_weeks else 0 for w in range(program.n_weeks)]
    spec = _core.ProgramSpec(
        specs, day, which, program.n_days, deload, program.deload_sets_factor, program.deload_load_factor
    )
    return _Compiled(spec, names)


def athlete_spec(athlete: Athlete, program: Program, catalogue: Catalogue) -> _core.AthleteSpec:
    one_rm = np.full(len(catalogue), np.nan)
    body = np.zeros(len(catalogue))
    for ex in catalogue:
        body[catalogue.index(ex.id)] = athlete.body_load(ex)
    for ex_id in program.exercises():
        one_rm[catalogue.index(ex_id)] = athlete.one_rm_of(catalogue[ex_id])
    return _core.AthleteSpec(one_rm, body, model_params(catalogue.graph, athlete.params))


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
    def muscles(self) -> pd.DataFrame:
        """Tidy table: day, muscle, fitness, fatigue, capacity, readiness (%), dose (same-day load)."""
        parts = {k: self._frame(k).stack() for k in ("fitness", "fatigue", "capacity", "readiness", "dose")}
        return pd.DataFrame(parts).reset_index()

    def capacity(self) -> pd.DataFrame:
        """Relative capacity (1 = start) per day × muscle."""
        return self._frame("capacity")

    @property
    def balance(self) -> pd.DataFrame:
        """Per week: posterior:anterior ratio of the achieved dose, and of the capacity (each
        chain's volume-weighted mean; wrapping muscles split by their posterior share). See
        :func:`chainload.chains.simulation_balance`."""
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

    def plot(self, kind: Literal["fitness_fatigue", "performance", "balance"] = "fitness_fatigue") -> Any:
        """A figure of the run: fitness/fatigue/capacity by chain, 1RM per lift, or the weekly
        posterior:anterior ratios. Returns the Figure."""
        from . import plots

        if kind == "fitness_fatigue":
            return plots.fitness_fatigue(self, by="chain")
        if kind == "performance":
            return plots.performance(self)
        if kind == "balance":
            return plots.balance_over_time(self)
        raise ValidationError(f"kind must be 'fitness_fatigue', 'performance' or 'balance', got {kind!r}")

    def _repr_html_(self) -> str:
        s = self.summary().to_frame("value").round(3)
        return (
            f"<b>Simulation</b> of {self.program_name!r}, model {self.model}, {self.n_days} days"
            + s.to_html()
        )

    def __repr__(self) -> str:
        return f"Simulation({self.program_name!r}, model={self.model!r}, {self.n_days} days)"


def simulate(
    program: Program,
    athlete: Athlete | None = None,
    weeks: int | None = None,
    model: ModelName = "banister",
    catalogue: Catalogue | None = None,
    round_kg: float = 2.5,
) -> Simulation:
    """Run ``program`` (cycled or cut to ``weeks``) against ``athlete`` in the closed loop."""
    if model not in MODELS:
        raise ValidationError(f"unknown model {model!r}; known: {', '.join(MODELS)}")
    if weeks is not None:
        if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks <= 0:
            raise ValidationError(f"weeks must be a whole number > 0, got {weeks!r}")
        program = program.with_weeks(weeks)
    cat = catalogue if catalogue is not None else Catalogue.default()
    ath = athlete if athlete is not None else Athlete.default()
    compiled = compile_program(program, cat)
    spec = athlete_spec(ath, program, cat)
    r = _core.simulate(cat.core_table(), compiled.spec, spec, model, round_kg)
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
    w = np.asarray(loads, dtype=float)
    if w.ndim != 1 or w.size == 0:
        raise ValidationError(f"loads must be a non-empty 1-d series, got shape {w.shape}")
    for name, v in {"tau1": tau1, "tau2": tau2}.items():
        if not (np.isfinite(v) and v > 0):
            raise ValidationError(f"{name} must be a finite number > 0, got {v}")
    p0_, k1_, k2_, tau1_, tau2_ = (np.array([float(x)]) for x in (p0, k1, k2, tau1, tau2))
    fit, fat, perf = _core.banister_open_loop(np.ascontiguousarray(w[:, None]), p0_, k1_, k2_, tau1_, tau2_)
    f = pd.DataFrame({"load": w, "fitness": fit[:, 0], "fatigue": fat[:, 0], "performance": perf[:, 0]})
    f.index.name = "day"
    return f

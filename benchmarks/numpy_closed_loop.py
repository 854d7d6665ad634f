"""A numpy reference of the closed loop (Banister model), vectorised over athletes.

The same model as ``cpp/src/simulator.cpp`` run with ``record=False``: every day the morning
capacity (yesterday's state after one day of decay) gives each lift's 1RM through its weakest
heavily loaded muscle (activation >= min(limit_weight, the lift's top weight)); each scheduled
prescription sets a load (kg / %1RM / bodyweight from its progression state, %1RM of the wave,
or autoregulated from Brzycki's relation for RIR/RPE), planned deloads cut sets and load, the load
is rounded to its equipment's step (or ``round_kg``) above the body share, the reps possible come from Brzycki's inverse,
the achieved sets are effort-weighted into the day's per-muscle dose, and the progression rule
(none, linear per session/week, double, wave, rpe) and the automatic deload after failures run.
The Banister state then takes the dose.

Arrays are (athletes, muscles) or (athletes,); the Python loop runs over days and over the
prescriptions scheduled on that day. Rounding follows C++ (std::round / std::lround: halves away
from zero), not numpy's half-to-even.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

import chainload as cl
from chainload.catalogue import Catalogue
from chainload.program import Program
from chainload.simulation import model_params, prescription_fields

INTENSITIES = ("kg", "percent", "rir", "bodyweight")


@dataclass(frozen=True)
class Rx:
    """One prescription, as ``_core.PrescriptionSpec`` holds it."""

    exercise: int
    sets: int
    reps_low: int
    reps_high: int
    intensity: str
    value: float
    rule: str
    increment: float
    per_week: bool
    deload_after: int
    deload_fraction: float
    min_kg: float
    wave: tuple[float, ...] = ()
    round_kg: float = -1.0  # the equipment's step; < 0: simulate's round_kg


@dataclass
class CompiledProgram:
    """The program as ``_core.ProgramSpec`` holds it: prescriptions, the schedule, planned deloads."""

    prescriptions: list[Rx]
    day: np.ndarray  # schedule, in day order
    prescription: np.ndarray
    n_days: int
    deload_week: np.ndarray  # bool per week
    deload_sets: float
    deload_load: float

    @property
    def used_exercises(self) -> list[int]:
        return list(dict.fromkeys(p.exercise for p in self.prescriptions))


@dataclass
class Population:
    """Per-athlete inputs: one_rm and body_load (athletes x catalogue exercises), Banister
    parameters (athletes x muscles)."""

    one_rm: np.ndarray
    body_load: np.ndarray
    k1: np.ndarray
    k2: np.ndarray
    tau1: np.ndarray
    tau2: np.ndarray
    specs: list[Any] = field(default_factory=list)  # the matching _core.AthleteSpec objects

    def __len__(self) -> int:
        return int(self.one_rm.shape[0])


def compile_reference(
    program: Program, catalogue: Catalogue, round_kg: float | None = None
) -> CompiledProgram:
    """The same compilation as ``chainload.simulation.compile_program`` (its prescription_fields), into plain Python."""
    program.check_exercises(catalogue.ids)
    slots: dict[Any, int] = {}
    specs: list[Rx] = []
    day, which = [], []
    for _w, d, _session, p in program.occurrences():
        if p not in slots:
            fields = prescription_fields(p, catalogue, round_kg)
            slots[p] = len(specs)
            specs.append(Rx(**(fields | {"wave": tuple(fields["wave"])})))
        day.append(d)
        which.append(slots[p])
    deload = np.array([(w + 1) in program.deload_weeks for w in range(program.n_weeks)], dtype=bool)
    return CompiledProgram(
        specs,
        np.array(day, dtype=np.int64),
        np.array(which, dtype=np.int64),
        program.n_days,
        deload,
        float(program.deload_sets_factor),
        float(program.deload_load_factor),
    )


def population(athletes: list[cl.Athlete], program: Program, catalogue: Catalogue) -> Population:
    """Per-athlete arrays for the reference, and the same athletes as ``_core.AthleteSpec``."""
    from chainload.simulation import athlete_spec

    n, n_ex, n_mu = len(athletes), len(catalogue), len(catalogue.graph)
    one_rm, body = np.full((n, n_ex), np.nan), np.zeros((n, n_ex))
    params = {k: np.empty((n, n_mu)) for k in ("k1", "k2", "tau1", "tau2")}
    exercises = [catalogue[e] for e in program.exercises()]
    for i, a in enumerate(athletes):
        for j, ex in enumerate(catalogue):
            body[i, j] = a.body_load(ex)
        for ex in exercises:
            one_rm[i, catalogue.index(ex.id)] = a.one_rm_of(ex)
        p = model_params(catalogue.graph, a.params)
        for k in params:
            params[k][i] = p[k]
    specs = [athlete_spec(a, program, catalogue) for a in athletes]
    return Population(one_rm, body, **params, specs=specs)


def core_arrays(pop: Population, catalogue: Catalogue) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The population as ``_core.simulate_population`` reads it (with ``pop.one_rm`` and
    ``pop.body_load``): every model parameter per (athlete, muscle), the drawn k1, k2, tau1, tau2
    and the core's defaults for the rest; and the size_neural parameters per athlete, those of a
    default athlete (the random athletes set none)."""
    from chainload import _core
    from chainload.simulation import athlete_size_neural

    n = len(pop)
    defaults = _core.default_params()
    params = {
        k: getattr(pop, k) if hasattr(pop, k) else np.full(pop.k1.shape, defaults[k])
        for k in _core.PARAM_NAMES
    }
    sn = {
        k: np.full(n, v) if np.isscalar(v) else np.tile(v, (n, 1))
        for k, v in athlete_size_neural(cl.Athlete(bodyweight=80.0), catalogue.graph).items()
    }
    return params, sn


# --- the C++ helpers, elementwise -----------------------------------------------------------------
def round_half_away(x: np.ndarray) -> np.ndarray:
    """std::round: nearest integer, halves away from zero (exact: x - trunc(x) is exact)."""
    t = np.trunc(x)
    return t + np.where(np.abs(x - t) >= 0.5, np.sign(x), 0.0)


def round_to(x: np.ndarray, step: float) -> np.ndarray:
    return round_half_away(x / step) * step if step > 0.0 else x


def brzycki_fraction(reps: np.ndarray) -> np.ndarray:
    return (37.0 - np.clip(reps, 1.0, 36.0)) / 36.0


def brzycki_reps(fraction: np.ndarray) -> np.ndarray:
    r = np.clip(37.0 - 36.0 * fraction, 0.0, 36.0)
    r = np.where(fraction <= 0.0, 36.0, r)
    return np.where(np.isnan(fraction), 0.0, r)


def effort_weight(rir: np.ndarray) -> np.ndarray:
    return np.clip((10.0 - rir) / 6.0, 0.0, 1.0)


def _limiting(activation: np.ndarray, exercise: int, limit_weight: float) -> np.ndarray:
    """Muscles that limit a lift: activation > 0 and >= min(limit_weight, the lift's top weight)."""
    row = activation[exercise]
    top = row.max(initial=0.0)
    return np.flatnonzero((row > 0.0) & (row >= min(limit_weight, top)))


def _lift_capacity(capacity: np.ndarray, limiting: np.ndarray) -> np.ndarray:
    if limiting.size == 0:
        return np.ones(capacity.shape[0])
    return np.maximum(capacity[:, limiting].min(axis=1), 0.05)


class _State:
    """What one prescription remembers between sessions, for every athlete."""

    def __init__(self, p: Rx, pop: Population) -> None:
        n = len(pop)
        body = pop.body_load[:, p.exercise]
        if p.intensity == "percent":
            self.load = p.value / 100.0 * pop.one_rm[:, p.exercise]
        else:
            self.load = body + p.value
        self.wave_added = np.zeros(n)
        self.target = np.full(n, p.reps_low, dtype=np.int64)
        self.streak = np.zeros(n, dtype=np.int64)
        self.week = -1  # the schedule is the same for every athlete
        self.last_ok = np.ones(n, dtype=bool)
        self.last_deload = False  # the last session fell in a planned deload week (same for all)
        self.cycle_failed = np.zeros(n, dtype=bool)


def simulate(
    activation: np.ndarray,
    program: CompiledProgram,
    pop: Population,
    round_kg: float = 2.5,
    limit_weight: float = 0.5,
    default_rir: float = 2.0,
) -> dict[str, np.ndarray]:
    """The closed loop for every athlete at once; the summaries of ``_core.simulate_batch``."""
    n, n_mu = len(pop), activation.shape[1]
    used = program.used_exercises
    limiting = {e: _limiting(activation, e, limit_weight) for e in used}
    muscles = {e: np.flatnonzero(activation[e] > 0.0) for e in used}
    weights = {e: activation[e, muscles[e]] for e in used}
    e1, e2 = np.exp(-1.0 / pop.tau1), np.exp(-1.0 / pop.tau2)
    k1, k2 = pop.k1, pop.k2
    fit, fat = np.zeros((n, n_mu)), np.zeros((n, n_mu))
    total_dose = np.zeros((n, n_mu))
    peak = np.zeros(n)
    failures = np.zeros(n, dtype=np.int64)
    states = [_State(p, pop) for p in program.prescriptions]
    schedule = list(zip(program.day.tolist(), program.prescription.tolist(), strict=True))

    nxt = 0
    for t in range(program.n_days):
        fit *= e1  # one day of decay: the morning state (C++: step with zero load)
        fat *= e2
        if nxt < len(schedule) and schedule[nxt][0] == t:
            capacity = 1.0 + k1 * fit - k2 * fat
            lift: dict[int, np.ndarray] = {}
            w = np.zeros((n, n_mu))
            week = t // 7
            deload = bool(program.deload_week[week])
            while nxt < len(schedule) and schedule[nxt][0] == t:
                pi = schedule[nxt][1]
                nxt += 1
                p, s = program.prescriptions[pi], states[pi]
                ex = p.exercise
                if ex not in lift:
                    lift[ex] = _lift_capacity(capacity, limiting[ex])
                one_rm = pop.one_rm[:, ex]
                body = pop.body_load[:, ex]
                one_rm_now = one_rm * lift[ex]

                # A new week: weekly linear progression and wave cycles advance. A week's increment
                # is earned by the previous week's last session; a deload week earns none.
                if week > s.week:
                    if p.rule == "linear" and p.per_week and s.week >= 0 and not s.last_deload:
                        s.load = np.where(s.last_ok, s.load + p.increment, s.load)
                    if p.rule == "wave" and week > 0 and week % len(p.wave) == 0:
                        s.wave_added = np.where(s.cycle_failed, s.wave_added, s.wave_added + p.increment)
                        s.cycle_failed = np.zeros(n, dtype=bool)
                    s.week = week

                # The load of today's sets.
                autoregulated = p.intensity == "rir" or p.rule == "rpe"
                if p.rule == "wave":
                    load = p.wave[week % len(p.wave)] / 100.0 * one_rm + s.wave_added
                elif autoregulated:
                    rir = p.value if p.intensity == "rir" else default_rir
                    load = brzycki_fraction(s.target + rir) * one_rm_now
                else:
                    load = s.load
                sets = p.sets
                if deload:  # fewer sets, less added load (never less than the body)
                    sets = max(1, int(round_half_away(np.float64(p.sets * program.deload_sets))))
                    load = body + (load - body) * program.deload_load
                step = p.round_kg if p.round_kg >= 0.0 else round_kg
                load = np.maximum(body + round_to(load - body, step), max(p.min_kg, 0.0))

                possible = brzycki_reps(load / one_rm_now)
                achieved = np.minimum(s.target, np.floor(possible + 1e-9))
                failed = achieved < s.target
                effort = effort_weight(np.maximum(possible - achieved, 0.0))
                w[:, muscles[ex]] += (sets * effort)[:, None] * weights[ex]

                # Progression (not during a planned deload week).
                failures += failed
                s.cycle_failed |= failed
                if not deload:
                    if p.deload_after > 0 and not autoregulated:
                        s.streak = np.where(failed, s.streak + 1, 0)
                        cut = s.streak >= p.deload_after  # only failed athletes can reach it
                        # A deload cuts the added load only, never the body.
                        if p.rule == "wave":
                            cut_kg = p.deload_fraction * np.maximum(load - body, 0.0)
                            s.wave_added = np.where(cut, s.wave_added - cut_kg, s.wave_added)
                        else:
                            added = s.load - body
                            lighter = np.where(added > 0.0, body + added * (1.0 - p.deload_fraction), s.load)
                            s.load = np.where(cut, np.maximum(lighter, p.min_kg), s.load)
                        s.streak = np.where(cut, 0, s.streak)
                    else:
                        s.streak = np.where(failed, s.streak, 0)
                    ok = ~failed
                    if p.rule == "linear" and not p.per_week:
                        s.load = np.where(ok, s.load + p.increment, s.load)
                    if p.rule == "double":
                        top = ok & (s.target >= p.reps_high)
                        s.load = np.where(top, s.load + p.increment, s.load)
                        s.target = np.where(top, p.reps_low, np.where(ok, s.target + 1, s.target))
                s.last_ok = ~failed
                s.last_deload = deload
                s.load = np.maximum(s.load, p.min_kg)

            fit += w  # the evening state: fit * e1 + w, as C++
            fat += w
            total_dose += w
        np.maximum(peak, (k2 * fat).max(axis=1), out=peak)

    capacity = 1.0 + k1 * fit - k2 * fat
    final_one_rm = np.column_stack([pop.one_rm[:, e] * _lift_capacity(capacity, limiting[e]) for e in used])
    return {
        "final_capacity": capacity,
        "final_one_rm": final_one_rm,
        "total_dose": total_dose,
        "peak_fatigue": peak,
        "failures": failures.astype(float),
    }


def random_athletes(n: int, catalogue: Catalogue, seed: int = 0) -> list[cl.Athlete]:
    """Athletes with body mass and per-muscle Banister parameters drawn at random (fixed seed):
    k1, k2, tau1, tau2 scaled around the defaults, one draw per athlete and muscle."""
    rng = np.random.default_rng(seed)
    ids = catalogue.graph.ids
    out = []
    for i in range(n):
        params = {
            "k1": dict(zip(ids, 0.002 * rng.uniform(0.5, 2.0, len(ids)), strict=True)),
            "k2": dict(zip(ids, 0.004 * rng.uniform(0.5, 2.0, len(ids)), strict=True)),
            "tau1": dict(zip(ids, rng.uniform(25.0, 60.0, len(ids)), strict=True)),
            "tau2": dict(zip(ids, rng.uniform(4.0, 12.0, len(ids)), strict=True)),
        }
        bw = float(rng.uniform(55.0, 110.0))
        out.append(cl.Athlete(bodyweight=bw, estimate_missing=True, name=f"a{i}", params=params))
    return out

"""TEMPORARY stand-in for ``chainload.simulation.run_batch`` (the model branch's batched run).

It has exactly the interface the model branch adds to ``simulation.py`` and is built on
today's core (``_core.simulate_population``, the current default model ``banister``):

* size of a muscle = its relative capacity (1 at day 0);
* the 1RM of every test lift, in the program or not, = its day-0 1RM (catalogue standard ×
  body mass × strength level, as the sweep uses) × the capacity of its limiting muscles by the
  core's own rule (the weakest muscle at activation >= 0.5, or at the lift's top weight);
* "post" is read the morning after the program's last day (one extra day without load).

Delete this module when the model branch is merged: ``trial.py`` then imports the real one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import _core
from .catalogue import Catalogue
from .errors import ValidationError
from .population import Population
from .program import Prescription, Program
from .simulation import MODELS, prescription_fields

DEFAULT_MODEL = "banister"  # today's default of simulate() and sweep()


@dataclass(frozen=True)
class BatchOutcome:
    tests: tuple[str, ...]
    muscles: tuple[str, ...]
    pre_one_rm: np.ndarray  # athletes x tests, kg, true (noise-free) 1RM at day 0
    post_one_rm: np.ndarray  # athletes x tests, kg, the morning after the program's last day
    pre_size: np.ndarray  # athletes x muscles, relative size at day 0
    post_size: np.ndarray  # athletes x muscles, after the last day


def _spec_morning_after(program: Program, catalogue: Catalogue) -> _core.ProgramSpec:
    """The program as a ProgramSpec with one extra day without load at the end."""
    program.check_exercises(catalogue.ids)
    slots: dict[Prescription, int] = {}
    specs: list[_core.PrescriptionSpec] = []
    day: list[int] = []
    which: list[int] = []
    for _w, d, _session, p in program.occurrences():
        if p not in slots:
            slots[p] = len(specs)
            specs.append(_core.PrescriptionSpec(**prescription_fields(p, catalogue)))
        day.append(d)
        which.append(slots[p])
    deload = [1 if (w + 1) in program.deload_weeks else 0 for w in range(program.n_weeks)] + [0]
    return _core.ProgramSpec(
        specs, day, which, program.n_days + 1, deload, program.deload_sets_factor, program.deload_load_factor
    )


def _limiting_muscles(catalogue: Catalogue, lift: str, limit_weight: float = 0.5) -> np.ndarray:
    row = catalogue.activation_matrix()[catalogue.index(lift)]
    top = float(row.max())
    return np.flatnonzero(row >= min(limit_weight, top) - 1e-12) if top > 0 else np.array([], dtype=int)


def run_batch(
    program: Program,
    population: Population,
    *,
    tests: Sequence[str],
    model: str | None = None,
    threads: int | None = None,
    catalogue: Catalogue | None = None,
) -> BatchOutcome:
    cat = catalogue if catalogue is not None else Catalogue.default()
    name = model if model is not None else DEFAULT_MODEL
    if name not in MODELS:
        raise ValidationError(f"unknown model {name!r}; known: {', '.join(MODELS)}")
    tests = tuple(tests)
    standards = []
    for lift in tests:
        s = cat[lift].standard_1rm_bw
        if s is None:
            raise ValidationError(f"test lift '{lift}' has no standard_1rm_bw: its day-0 1RM is unknown")
        standards.append(s)
    spec = _spec_morning_after(program, cat)
    bw = population.athletes["bodyweight"].to_numpy(dtype=float)
    strength = population.athletes["strength"].to_numpy(dtype=float)
    n = len(population)
    one_rm = np.full((n, len(cat)), np.nan)
    used = program.exercises()
    for e in used:
        s = cat[e].standard_1rm_bw
        if s is None:
            raise ValidationError(
                f"exercise '{e}' has no standard_1rm_bw: a population cannot estimate its 1RM"
            )
        one_rm[:, cat.index(e)] = bw * strength * s
    body_fraction = np.array([e.bodyweight_fraction if e.load == "bodyweight" else 0.0 for e in cat])
    body = np.outer(bw, body_fraction)
    params = {k: np.ascontiguousarray(v) for k, v in population.params.items()}
    r = _core.simulate_population(
        cat.core_table(), spec, one_rm, body, params, name, threads=int(threads or 0)
    )
    capacity = np.asarray(r["final_capacity"], dtype=float)
    pre = np.outer(bw * strength, np.asarray(standards, dtype=float))
    post = np.empty_like(pre)
    for j, lift in enumerate(tests):
        limit = _limiting_muscles(cat, lift)
        factor = capacity[:, limit].min(axis=1) if limit.size else np.ones(n)
        post[:, j] = pre[:, j] * np.maximum(factor, 0.05)
    return BatchOutcome(
        tests=tests,
        muscles=tuple(cat.graph.ids),
        pre_one_rm=pre,
        post_one_rm=post,
        pre_size=np.ones_like(capacity),
        post_size=capacity,
    )

"""Programs flattened into the core's set blocks (planned loads, planned deloads applied): what the
dose, the balance and the chain stimulus take. Below both analysis and chains, which use it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .athlete import Athlete
from .catalogue import Catalogue
from .program import Program


@dataclass(frozen=True)
class SetBlocks:
    """Programs flattened for the C++ core: block i is ``sets[i]`` sets of ``reps[i]`` reps at
    ``kg[i]`` (total moved load) of exercise row ``exercise[i]`` on day ``day[i]``."""

    day: np.ndarray
    exercise: np.ndarray
    sets: np.ndarray
    reps: np.ndarray
    kg: np.ndarray
    offsets: np.ndarray
    n_days: int


def set_blocks(programs: Sequence[Program], catalogue: Catalogue, athlete: Athlete) -> SetBlocks:
    """Flatten programs into set blocks (planned loads, planned deloads applied)."""
    rows: list[tuple[int, int, float, float, float]] = []
    offsets = [0]
    index = {ex: i for i, ex in enumerate(catalogue.ids)}
    for program in programs:
        program.check_exercises(catalogue.ids)
        deloads = set(program.deload_weeks)
        for w, day, _session, p in program.occurrences():
            ex = catalogue[p.exercise]
            sets, kg = float(p.sets), athlete.planned_load(p, ex)
            if w + 1 in deloads:
                # half up, as the C++ closed loop rounds (std::lround): 5 sets x 0.5 -> 3
                sets = max(1.0, math.floor(sets * program.deload_sets_factor + 0.5))
                kg *= program.deload_load_factor
            rows.append((day, index[p.exercise], sets, p.reps_planned, kg))
        offsets.append(len(rows))
    a = np.array(rows, dtype=float).reshape(-1, 5)
    return SetBlocks(
        day=a[:, 0].astype(np.int32),
        exercise=a[:, 1].astype(np.int32),
        sets=np.ascontiguousarray(a[:, 2]),
        reps=np.ascontiguousarray(a[:, 3]),
        kg=np.ascontiguousarray(a[:, 4]),
        offsets=np.array(offsets, dtype=np.int64),
        n_days=max(p.n_days for p in programs),
    )

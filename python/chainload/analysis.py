"""Dose and balance of a program: the days × muscles load matrix and the posterior:anterior ratio."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from . import _core
from .athlete import Athlete
from .catalogue import Catalogue
from .errors import ValidationError
from .program import Program

METRICS = {
    "fractional_sets": "sets (each set counts by the muscle's activation weight)",
    "volume_load": "kg × reps × activation weight",
}
Metric = Literal["fractional_sets", "volume_load"]
# Posterior:anterior band of a "balanced" program: at least as much posterior as anterior work,
# at most twice as much. An engine choice (no published norm for a load ratio of the chains);
# the strength norms of SCIENCE.md 4 (H:Q ≈ 0.6, bench ≈ pull-up) concern strength, not load.
DEFAULT_BAND = (1.0, 2.0)


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


def dose(
    programs: Program | Sequence[Program],
    athlete: Athlete | None = None,
    catalogue: Catalogue | None = None,
    *,
    by: Literal["day", "week"] = "day",
    threads: int = 0,
) -> dict[str, np.ndarray]:
    """Per-muscle dose of one or many programs in one batched C++ call.

    Returns ``{metric: array}`` with shape (programs, days or weeks, muscles); muscles in the
    catalogue graph's order. The arrays are the core's own buffers (no copy).
    """
    progs = [programs] if isinstance(programs, Program) else list(programs)
    if not progs:
        raise ValidationError("dose() needs at least one program")
    cat = catalogue if catalogue is not None else Catalogue.default()
    ath = athlete if athlete is not None else Athlete.default()
    buckets = {"day": 1, "week": 7}
    if not isinstance(by, str) or by not in buckets:
        from ._names import unknown

        raise unknown("dose bucket (by=)", by, buckets)
    bucket = buckets[by]
    b = set_blocks(progs, cat, ath)
    sets, volume = _core.dose_batch(
        cat.core_table(), b.day, b.exercise, b.sets, b.reps, b.kg, b.offsets, b.n_days, bucket, threads
    )
    shape = (len(progs), -1, len(cat.graph))
    return {"fractional_sets": sets.reshape(shape), "volume_load": volume.reshape(shape)}


class Report:
    """The dose and balance of one program (from :func:`analyze`)."""

    def __init__(
        self, program: Program, athlete: Athlete, catalogue: Catalogue, band: tuple[float, float]
    ) -> None:
        lo, hi = band
        if not (0 < lo < hi):
            raise ValidationError(f"balance band must satisfy 0 < low < high, got {band}")
        self.program, self.athlete, self.catalogue, self.band = program, athlete, catalogue, band
        self.graph = catalogue.graph
        self.daily = {k: v[0] for k, v in dose(program, athlete, catalogue, by="day").items()}

    def per_muscle(
        self, metric: Metric = "fractional_sets", by: Literal["day", "week", "total"] = "week"
    ) -> pd.DataFrame:
        """Dose per muscle: rows are days (0-based) or weeks (1-based), columns muscle ids."""
        if metric not in METRICS:
            raise ValidationError(f"unknown metric {metric!r}; known: {', '.join(METRICS)}")
        daily = pd.DataFrame(self.daily[metric], columns=pd.Index(self.graph.ids, name="muscle"))
        daily.index.name = "day"
        if by == "day":
            return daily
        weekly = daily.groupby(daily.index // 7 + 1).sum()
        weekly.index.name = "week"
        if by == "week":
            return weekly
        if by == "total":
            return weekly.sum().to_frame(metric)
        raise ValidationError(f"by must be 'day', 'week' or 'total', got {by!r}")

    def balance_of(self, metric: Metric = "fractional_sets") -> pd.DataFrame:
        """Per week: posterior:anterior (raw and per unit muscle size), each antagonist-group ratio
        (a-side over b-side), and a verdict against the band. Lateral muscles take no part."""
        weekly = self.per_muscle(metric, by="week")
        spec = _core.BalanceSpec(self.graph._core)
        ratios = _core.balance(spec, np.ascontiguousarray(weekly.to_numpy()))
        out = pd.DataFrame(ratios, index=weekly.index, columns=spec.columns)
        lo, hi = self.band
        pa = out["posterior_anterior"]
        out["verdict"] = np.where(
            pa < lo, "anterior-dominant", np.where(pa > hi, "posterior-dominant", "balanced")
        )
        out.loc[pa.isna(), "verdict"] = "no chain load"
        return out

    @property
    def balance(self) -> pd.DataFrame:
        """:meth:`balance_of` on fractional sets."""
        return self.balance_of("fractional_sets")

    def summary(self) -> pd.Series:
        """Whole-program totals: the balance over all weeks together, and the weekly mean dose."""
        total = self.per_muscle("fractional_sets", by="week").sum().to_numpy()[None, :]
        spec = _core.BalanceSpec(self.graph._core)
        ratios = pd.Series(_core.balance(spec, np.ascontiguousarray(total))[0], index=spec.columns)
        ratios["weekly_sets"] = float(total.sum()) / self.program.n_weeks
        return ratios

    def suggest(self, candidates: Sequence[str] | None = None, top: int = 5) -> pd.DataFrame:
        """The smallest changes of weekly sets that bring the program's posterior:anterior ratio
        (fractional sets over the whole program, per average week) into the band.

        For each candidate exercise (default: the whole catalogue) with posterior and anterior
        activation sums p and a per set, adding k weekly sets moves the ratio to
        (P + k p) / (A + k a); removing k sets of an exercise the program has (at most as many as
        it has) to (P − k p) / (A − k a). The least k that lands inside the band is solved in
        closed form. Rows: exercise, action ("add"/"remove"), sets_per_week, new ratio; smallest
        first. Empty when the program is already inside the band.
        """
        lo, hi = self.band
        weekly = self.per_muscle("fractional_sets", by="week").mean()
        chain = {m.id: m.chain for m in self.graph.muscles()}
        post = float(sum(v for m, v in weekly.items() if chain[str(m)] == "posterior"))
        ant = float(sum(v for m, v in weekly.items() if chain[str(m)] == "anterior"))
        ratio = post / ant if ant > 0 else math.inf
        if lo <= ratio <= hi:
            return pd.DataFrame(columns=["exercise", "action", "sets_per_week", "posterior_anterior"])
        target = lo if ratio < lo else hi
        in_program: dict[str, float] = {}
        for _w, _d, _s, pr in self.program.occurrences():
            in_program[pr.exercise] = in_program.get(pr.exercise, 0.0) + pr.sets / self.program.n_weeks
        rows = []
        for ex_id in candidates if candidates is not None else self.catalogue.ids:
            act = self.catalogue[ex_id].activation
            p = sum(w for m, w in act.items() if chain[m] == "posterior")
            a = sum(w for m, w in act.items() if chain[m] == "anterior")
            for action, sign in (("add", 1.0), ("remove", -1.0)):
                # sign k (p - target a) must reach target A - P
                slope = sign * (p - target * a)
                need = target * ant - post
                if slope == 0 or need / slope <= 0:
                    continue
                k = math.ceil(need / slope - 1e-9)
                if action == "remove" and k > in_program.get(ex_id, 0.0) + 1e-9:
                    continue
                new_post, new_ant = post + sign * k * p, ant + sign * k * a
                new = new_post / new_ant if new_ant > 0 else math.inf
                if lo - 1e-9 <= new <= hi + 1e-9:
                    rows.append(
                        {"exercise": ex_id, "action": action, "sets_per_week": k, "posterior_anterior": new}
                    )
        out = pd.DataFrame(rows, columns=["exercise", "action", "sets_per_week", "posterior_anterior"])
        return out.sort_values(["sets_per_week", "exercise"], kind="stable").head(top).reset_index(drop=True)

    @property
    def excluded_muscles(self) -> list[str]:
        """The lateral muscles, left out of the posterior:anterior ratio."""
        return self.graph.chain("lateral")

    def plot(self, kind: Literal["balance", "body_map"] = "balance") -> Any:
        """``balance``: the weekly posterior:anterior ratio with the band; ``body_map``: the mean
        weekly fractional sets per muscle on front and back silhouettes. Returns the Figure."""
        from . import plots

        if kind == "body_map":
            weekly = self.per_muscle("fractional_sets", by="week").mean()
            return plots.body_map(weekly, self.graph, title=self.program.name, label="fractional sets / week")
        if kind == "balance":
            return plots.balance_over_time(self)
        raise ValidationError(f"kind must be 'balance' or 'body_map', got {kind!r}")

    def _repr_html_(self) -> str:
        s = self.summary().to_frame(self.program.name).T.round(3)
        note = f"lateral muscles excluded from the chain ratio: {', '.join(self.excluded_muscles)}"
        return (
            f"<b>Dose and balance</b> (band {self.band[0]:g}–{self.band[1]:g})"
            + s.to_html()
            + f"<p>{note}</p>"
        )

    def __repr__(self) -> str:
        s = self.summary()
        return (
            f"Report({self.program.name!r}: posterior:anterior {s['posterior_anterior']:.2f} "
            f"(per size {s['posterior_anterior_per_size']:.2f}), band {self.band}; "
            f"lateral muscles excluded: {', '.join(self.excluded_muscles)})"
        )


def analyze(
    program: Program,
    athlete: Athlete | None = None,
    catalogue: Catalogue | None = None,
    band: tuple[float, float] = DEFAULT_BAND,
) -> Report:
    """Dose and balance of a program for an athlete (default: :meth:`Athlete.default`)."""
    cat = catalogue if catalogue is not None else Catalogue.default()
    return Report(program, athlete if athlete is not None else Athlete.default(), cat, band)

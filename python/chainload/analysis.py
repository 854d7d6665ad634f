"""Dose and balance of a program: the days × muscles load matrix and the posterior:anterior ratio."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from . import _core, _display, chains
from ._blocks import SetBlocks as SetBlocks  # re-exported
from ._blocks import set_blocks
from .athlete import Athlete
from .catalogue import Catalogue
from .errors import ValidationError
from .program import Program

if TYPE_CHECKING:
    from matplotlib.figure import Figure

METRICS = {
    "fractional_sets": "sets (each set counts by the muscle's activation weight)",
    "volume_load": "kg × reps × activation weight",
}
Metric = Literal["fractional_sets", "volume_load"]
# Posterior:anterior band of a "balanced" program (engine choice, see chains.DEFAULT_BAND).
DEFAULT_BAND = chains.DEFAULT_BAND


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
        chains.check_band(band)
        self.program, self.athlete, self.catalogue, self.band = program, athlete, catalogue, band
        self.graph = catalogue.graph
        self.daily = {k: v[0] for k, v in dose(program, athlete, catalogue, by="day").items()}
        self._stimulus: dict[str, np.ndarray] | None = None

    def chain_stimulus(
        self, metric: Metric = "fractional_sets", by: Literal["day", "week", "total"] = "week"
    ) -> pd.DataFrame:
        """X per muscle: the dose of the volume-share table (:func:`chainload.chains.share_matrix`),
        each set spread over its muscles by activation × muscle volume; what the chain ratios take."""
        if self._stimulus is None:
            x = chains.program_stimulus([self.program], self.catalogue, self.athlete)
            self._stimulus = {k: v[0] for k, v in x.items()}
        return _bucket(self._stimulus, metric, by, self.graph.ids)

    def per_muscle(
        self, metric: Metric = "fractional_sets", by: Literal["day", "week", "total"] = "week"
    ) -> pd.DataFrame:
        """Dose per muscle: rows are days (0-based) or weeks (1-based), columns muscle ids."""
        return _bucket(self.daily, metric, by, self.graph.ids)

    def balance_of(self, metric: Metric = "fractional_sets") -> pd.DataFrame:
        """Per week: posterior:anterior (the share of each set's working muscle volume on each
        chain, summed; whole body and per region: upper, lower, trunk), each antagonist-group
        ratio (a-side over b-side) and a verdict against the band. See :mod:`chainload.chains`."""
        return chains.balance_table(self.chain_stimulus(metric, by="week"), self.graph, self.band)

    @property
    def balance(self) -> pd.DataFrame:
        """:meth:`balance_of` on fractional sets."""
        return self.balance_of("fractional_sets")

    @property
    def volume(self) -> pd.DataFrame:
        """Per muscle and week: fractional sets against the muscle's volume landmarks (MV, MEV,
        MAV range, MRV; SCIENCE.md 3.1) and a flag (below maintenance, maintenance, productive,
        above maximum, or no landmark)."""
        return chains.volume_table(self.per_muscle("fractional_sets", by="week"))

    def summary(self) -> pd.Series:
        """Whole-program totals: the balance over all weeks together, and the weekly mean dose."""
        weekly = self.per_muscle("fractional_sets", by="week")
        total = weekly.sum().to_frame().T
        x = self.chain_stimulus("fractional_sets", by="week").sum().to_frame().T
        ratios = chains.balance_table(x, self.graph, self.band).iloc[0].drop("verdict")
        out = pd.Series(ratios.to_numpy(dtype=float), index=ratios.index)
        out["weekly_sets"] = float(total.to_numpy().sum()) / self.program.n_weeks
        return out

    def suggest(
        self,
        window: int = 4,
        candidates: Sequence[str] | None = None,
        pair_band: tuple[float, float] = chains.PAIR_BAND,
    ) -> chains.Suggestion:
        """The smallest edit (add / remove / swap weekly sets of named catalogue exercises) that
        brings the mean week of the last ``window`` weeks inside every band: posterior:anterior
        in the report's band, every antagonist-group ratio in ``pair_band``, every muscle between
        its maintenance and maximum recoverable volume (SCIENCE.md 3.1). Solved as a small
        integer program (:func:`chainload.chains.suggest`); ``.apply(program)`` makes the edits.
        Its verdict says "within band" when nothing is outside."""
        weekly = self.per_muscle("fractional_sets", by="week")
        x = self.chain_stimulus("fractional_sets", by="week")
        return chains.suggest(
            weekly, self.program, self.catalogue, window, self.band, pair_band, candidates, stimulus=x
        )

    @property
    def memberships(self) -> pd.DataFrame:
        """Each muscle's chain, posterior share and weight in the chain ratio (none is left out)."""
        return chains.membership(self.graph)

    def plot(self, kind: str | None = None, *, ax: Any = None) -> Figure:
        """A figure of the plan: ``"balance"`` (default; the weekly posterior:anterior ratio with
        the band) or ``"body_map"`` (mean weekly fractional sets per muscle). Returns the Figure
        (:func:`chainload.plots.plot`)."""
        return _display.draw(self, kind, ax)

    def _repr_html_(self) -> str:
        s = self.summary().to_frame(self.program.name).T.round(3)
        note = (
            "each set spreads one unit over its muscles by activation × muscle volume (the per-set"
            " volume share); posterior:anterior is the part landing on each chain, wrapping muscles"
            " split by their posterior share"
        )
        return (
            f"<b>Dose and balance</b> (band {self.band[0]:.2f}–{self.band[1]:.2f})"
            + s.to_html()
            + f"<p>{note}</p>"
        )

    def __repr__(self) -> str:
        s = self.summary()
        return (
            f"Report({self.program.name!r}: posterior:anterior {s['posterior_anterior']:.2f} "
            f"(upper {s['posterior_anterior_upper']:.2f}, lower {s['posterior_anterior_lower']:.2f}, "
            f"trunk {s['posterior_anterior_trunk']:.2f}), band {self.band[0]:.2f}-{self.band[1]:.2f})"
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


def _bucket(daily: dict[str, np.ndarray], metric: str, by: str, ids: Sequence[str]) -> pd.DataFrame:
    if metric not in METRICS:
        raise ValidationError(f"unknown metric {metric!r}; known: {', '.join(METRICS)}")
    day = pd.DataFrame(daily[metric], columns=pd.Index(list(ids), name="muscle"))
    day.index.name = "day"
    if by == "day":
        return day
    weekly = day.groupby(day.index // 7 + 1).sum()
    weekly.index.name = "week"
    if by == "week":
        return weekly
    if by == "total":
        return weekly.sum().to_frame(metric)
    raise ValidationError(f"by must be 'day', 'week' or 'total', got {by!r}")

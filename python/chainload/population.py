"""Populations of virtual athletes: per-muscle model parameters drawn from stated distributions.

Distributions (engine choices grounded where SCIENCE.md allows):
    * tau1, tau2: log-normal around the common defaults 42 d and 7 d (Vermeire et al. 2022,
      SCIENCE.md 2.1) with log-SD 0.35, clipped to the fitted ranges reported there
      (tau1 4–51 d, tau2 4–74 d); each muscle varies around its athlete's value (log-SD 0.1);
    * k1 ("responsiveness"): log-normal around the default with log-SD 0.5 — individual responses
      to the same training differ widely; k2 = 2·k1 × a log-normal factor (log-SD 0.2), so a
      high responder also fatigues more (correlated, as fitted fitness and fatigue gains are);
    * ceiling: 1 + 0.5 × a log-normal factor (log-SD 0.3); tau_detrain log-normal around 120 d;
    * body mass: normal 80 ± 10 kg (clipped to 50–130); strength level (every standard 1RM ×):
      log-normal, log-SD 0.2.
Seeded and reproducible: the same ``seed`` and ``n`` give the same athletes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .athlete import Athlete
from .catalogue import Catalogue
from .errors import ValidationError
from .graph import MuscleGraph
from .simulation import DEFAULT_PARAMS

ATHLETE_COLUMNS = ("bodyweight", "strength")


@dataclass(frozen=True)
class Population:
    """``n`` virtual athletes: ``athletes`` (bodyweight, strength level) and per-muscle parameter
    arrays ``params[name]`` of shape (n, muscles)."""

    athletes: pd.DataFrame
    params: dict[str, np.ndarray]
    muscle_ids: tuple[str, ...]
    seed: int | None = None

    def __post_init__(self) -> None:
        n = len(self.athletes)
        if n == 0:
            raise ValidationError("a population needs at least one athlete")
        for col, lo, hi in (("bodyweight", 20.0, 300.0), ("strength", 0.0, 10.0)):
            if col not in self.athletes:
                raise ValidationError(f"a population needs a {col!r} column")
            v = self.athletes[col].to_numpy(dtype=float)
            bad = np.flatnonzero(~((v > lo) & (v <= hi)))
            if bad.size:
                raise ValidationError(
                    f"athlete {int(bad[0])}: {col} {float(v[bad[0]])!r} outside ({lo:g}, {hi:g}]"
                    f" ({bad.size} athlete{'s' if bad.size > 1 else ''} in all)"
                )
        for name, a in self.params.items():
            if name not in DEFAULT_PARAMS:
                raise ValidationError(f"unknown model parameter {name!r}; known: {', '.join(DEFAULT_PARAMS)}")
            if a.shape != (n, len(self.muscle_ids)):
                raise ValidationError(
                    f"parameter {name!r} must have shape {(n, len(self.muscle_ids))}, got {a.shape}"
                )

    @classmethod
    def sample(cls, n: int, seed: int = 0, graph: MuscleGraph | None = None) -> Population:
        """Draw ``n`` athletes from the distributions of this module's docstring."""
        if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
            raise ValidationError(f"n must be a whole number > 0, got {n!r}")
        g = graph if graph is not None else MuscleGraph.default()
        m = len(g)
        from .config import check_memory

        # 9 parameter arrays of n x muscles doubles, and about as much again in temporaries.
        check_memory(2 * len(DEFAULT_PARAMS) * n * m * 8 + 64 * n, f"Population.sample({n}) on {m} muscles")
        rng = np.random.default_rng(seed)

        def lognormal(median: float, sd: float, size: tuple[int, ...]) -> np.ndarray:
            return median * np.exp(sd * rng.standard_normal(size))

        def per_muscle(athlete_value: np.ndarray, sd: float) -> np.ndarray:
            return athlete_value[:, None] * np.exp(sd * rng.standard_normal((n, m)))

        d = DEFAULT_PARAMS
        tau1 = np.clip(per_muscle(lognormal(d["tau1"], 0.35, (n,)), 0.1), 4, 51)
        tau2 = np.clip(per_muscle(lognormal(d["tau2"], 0.35, (n,)), 0.1), 4, 74)
        k1 = per_muscle(lognormal(d["k1"], 0.5, (n,)), 0.1)
        k2 = 2 * k1 * lognormal(1.0, 0.2, (n, m))
        params = {
            "k1": k1,
            "k2": k2,
            "tau1": tau1,
            "tau2": tau2,
            "k3": per_muscle(lognormal(d["k3"], 0.5, (n,)), 0.1),
            "tau3": np.full((n, m), d["tau3"]),
            "gain": per_muscle(lognormal(d["gain"], 0.5, (n,)), 0.1),
            "ceiling": 1 + (d["ceiling"] - 1) * per_muscle(lognormal(1.0, 0.3, (n,)), 0.05),
            "tau_detrain": per_muscle(lognormal(d["tau_detrain"], 0.3, (n,)), 0.1),
        }
        athletes = pd.DataFrame(
            {
                "bodyweight": np.clip(rng.normal(80, 10, n), 50, 130).round(1),
                "strength": lognormal(1.0, 0.2, (n,)),
            }
        )
        athletes.index.name = "athlete"
        return cls(athletes, params, tuple(g.ids), seed)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, graph: MuscleGraph | None = None) -> Population:
        """A population from a DataFrame of fitted athletes: one row per athlete, columns
        ``bodyweight``, ``strength`` (optional) and any of the model parameters (one value for all
        muscles) or ``<param>:<muscle>`` columns for one muscle; missing ones take the defaults."""
        g = graph if graph is not None else MuscleGraph.default()
        n, m = len(frame), len(g)
        params = {k: np.full((n, m), v) for k, v in DEFAULT_PARAMS.items()}
        for col in frame.columns:
            name, _, muscle = str(col).partition(":")
            if name in ATHLETE_COLUMNS:
                continue
            if name not in params:
                raise ValidationError(
                    f"column {col!r}: unknown model parameter; known: {', '.join(DEFAULT_PARAMS)}"
                )
            values = frame[col].to_numpy(dtype=float)
            if muscle:
                params[name][:, g.index(muscle)] = values
            else:
                params[name][:] = values[:, None]
        athletes = pd.DataFrame(
            {
                "bodyweight": frame["bodyweight"].to_numpy(dtype=float)
                if "bodyweight" in frame
                else np.full(n, 80.0),
                "strength": frame["strength"].to_numpy(dtype=float) if "strength" in frame else np.ones(n),
            }
        )
        athletes.index.name = "athlete"
        return cls(athletes, params, tuple(g.ids))

    def __len__(self) -> int:
        return len(self.athletes)

    def athlete(self, i: int, catalogue: Catalogue | None = None) -> Athlete:
        """Athlete ``i`` as an :class:`Athlete`: 1RM = the catalogue's standard × body mass ×
        strength level (as the sweep uses), and this athlete's per-muscle parameters."""
        cat = catalogue if catalogue is not None else Catalogue.default()
        row = self.athletes.iloc[i]
        bw, strength = float(row["bodyweight"]), float(row["strength"])
        one_rm = {e.id: e.standard_1rm_bw * bw * strength for e in cat if e.standard_1rm_bw is not None}
        params = {k: dict(zip(self.muscle_ids, v[i].tolist(), strict=True)) for k, v in self.params.items()}
        return Athlete(one_rm=one_rm, bodyweight=bw, name=f"athlete {i}", params=params)

    def __iter__(self) -> Iterator[Athlete]:
        cat = Catalogue.default()
        return (self.athlete(i, cat) for i in range(len(self)))

    def take(self, rows: Sequence[int] | slice) -> Population:
        """A sub-population (for chunking a sweep)."""
        idx = np.arange(len(self))[rows]
        return Population(
            self.athletes.iloc[idx].reset_index(drop=True),
            {k: v[idx] for k, v in self.params.items()},
            self.muscle_ids,
            self.seed,
        )

    def describe(self) -> pd.DataFrame:
        """Median and 5–95 % range of every parameter (over athletes and muscles)."""
        rows = {k: np.quantile(v, [0.05, 0.5, 0.95]) for k, v in self.params.items()}
        for c in ATHLETE_COLUMNS:
            rows[c] = np.quantile(self.athletes[c], [0.05, 0.5, 0.95])
        return pd.DataFrame(rows, index=["p5", "median", "p95"]).T

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
      log-normal, log-SD 0.2 (a between-athlete 1RM CV of ~20 %, engine choice).
size_neural (the default model; spreads in data/model_size_neural.toml [population]): the status
preset, then per athlete a size response (× size_rate, per muscle around the athlete's) and a
neural response (× neural_max), log-normal and correlated (response_correlation); a reference
size ``size_scale`` log-normal and correlated with the strength level (size_strength_correlation);
with ``imbalance_sd`` > 0 each muscle's starting size is log-normal around 1, the state
``Athlete.with_imbalance`` sets: its starting strength is 1 + size_force (s − 1) (docs/balance.md 4).
Log-normals have no
mass at a bound; drawn after the older models' parameters, so those stay as they were per seed.
Sex (``share_female``, drawn last, so a population of men is the same as before per seed): a
woman's body mass, 1RM per kg, neural_max and size_rate are a man's × [sex.female] of that file
(Janssen 2000, Hubal 2005; docs/model.md "Sex").
Seeded and reproducible: the same ``seed`` and ``n`` give the same athletes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .athlete import SEXES, Athlete, check_status
from .catalogue import Catalogue
from .errors import ValidationError
from .graph import MuscleGraph
from .simulation import DEFAULT_PARAMS, SIZE_NEURAL_NAMES, population_spread, sex_factors, size_neural_params

PER_MUSCLE_SIZE_NEURAL = ("size_start", "size_response")

ATHLETE_COLUMNS = ("bodyweight", "strength")


@dataclass(frozen=True)
class Population:
    """``n`` virtual athletes: ``athletes`` (bodyweight, strength level, optional sex) and per-muscle
    parameter arrays ``params[name]`` of shape (n, muscles); ``size_neural[name]`` the size_neural
    parameters (shape (n,), or (n, muscles) for size_start and size_response; missing ones take the preset
    of ``status``)."""

    athletes: pd.DataFrame
    params: dict[str, np.ndarray]
    muscle_ids: tuple[str, ...]
    seed: int | None = None
    status: str = "trained"
    size_neural: dict[str, np.ndarray] = field(default_factory=dict)

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
        check_status(self.status)
        if "sex" in self.athletes:
            sex = self.athletes["sex"].to_numpy()
            bad = np.flatnonzero(~np.isin(sex, SEXES))
            if bad.size:
                raise ValidationError(
                    f"athlete {int(bad[0])}: sex {sex[bad[0]]!r} is not one of {', '.join(SEXES)}"
                )
        for name, a in self.size_neural.items():
            shape = (n, len(self.muscle_ids)) if name in PER_MUSCLE_SIZE_NEURAL else (n,)
            if name not in SIZE_NEURAL_NAMES and name not in PER_MUSCLE_SIZE_NEURAL:
                raise ValidationError(
                    f"unknown size_neural parameter {name!r}; known: {', '.join(SIZE_NEURAL_NAMES)}, "
                    + ", ".join(PER_MUSCLE_SIZE_NEURAL)
                )
            if a.shape != shape:
                raise ValidationError(
                    f"size_neural parameter {name!r} must have shape {shape}, got {a.shape}"
                )

    @classmethod
    def sample(
        cls,
        n: int,
        seed: int = 0,
        graph: MuscleGraph | None = None,
        *,
        status: str = "trained",
        imbalance_sd: float = 0.0,
        share_female: float = 0.0,
    ) -> Population:
        """Draw ``n`` athletes of training ``status`` ("untrained" | "trained" | "advanced") from
        the distributions of this module's docstring; ``imbalance_sd`` (log-SD, 0–0.3) spreads
        each muscle's starting size around normal; ``share_female`` (0–1) is the chance that an
        athlete is a woman (column ``sex``)."""
        if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
            raise ValidationError(f"n must be a whole number > 0, got {n!r}")
        check_status(status)
        if not (isinstance(imbalance_sd, int | float) and 0 <= imbalance_sd <= 0.3):
            raise ValidationError(f"imbalance_sd must be a number in [0, 0.3], got {imbalance_sd!r}")
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            raise ValidationError(f"seed must be a whole number >= 0, got {seed!r}")
        if isinstance(share_female, bool) or not (
            isinstance(share_female, int | float) and 0 <= share_female <= 1
        ):
            raise ValidationError(f"share_female must be a number in [0, 1], got {share_female!r}")
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
        bodyweight = np.clip(rng.normal(80, 10, n), 50, 130).round(1)
        z_strength = rng.standard_normal(n)
        athletes = pd.DataFrame({"bodyweight": bodyweight, "strength": np.exp(0.2 * z_strength)})
        athletes.index.name = "athlete"
        # size_neural: drawn after everything above, so the older models' draws stay per seed.
        spread = population_spread()
        preset = size_neural_params(status)
        rho = spread["response_correlation"]
        z_size, z_other = rng.standard_normal(n), rng.standard_normal(n)
        z_neural = rho * z_size + np.sqrt(1 - rho**2) * z_other
        rho_s = spread["size_strength_correlation"]
        z_scale = rho_s * z_strength + np.sqrt(1 - rho_s**2) * rng.standard_normal(n)
        size_response = np.exp(spread["size_response_sd"] * z_size)[:, None] * np.exp(
            spread["muscle_sd"] * rng.standard_normal((n, m))
        )
        start = np.exp(imbalance_sd * rng.standard_normal((n, m)))
        # A muscle cannot start at its growth ceiling (validated in the core), so sizes above
        # 1 + 0.9 (ceiling - 1) are capped there: for the trained preset (ceiling 1.25) 2 % of muscles
        # at imbalance_sd 0.1, 25 % at 0.3; advanced (1.06) 30-43 % (2,000 athletes, seed 1).
        start = np.minimum(start, 1 + 0.9 * (preset["size_ceiling"] - 1))
        sn = {
            "neural_max": preset["neural_max"] * np.exp(spread["neural_response_sd"] * z_neural),
            "size_scale": np.exp(spread["size_scale_sd"] * z_scale),
            "size_response": size_response,
            "size_start": start,
        }
        # Sex last, so the draws above stay as they were per seed; a woman's values are a man's
        # times [sex.female] (the same z-scores); neural_max and size_rate are scaled where the core
        # arrays are made (core_arrays, athlete_size_neural).
        female = rng.random(n) < share_female
        f = sex_factors("female")
        athletes["sex"] = np.where(female, "female", "male")
        athletes.loc[female, "bodyweight"] = (bodyweight[female] * f["bodyweight"]).round(1)
        athletes.loc[female, "strength"] *= f["strength"]
        return cls(athletes, params, tuple(g.ids), seed, status, sn)

    @classmethod
    def from_frame(
        cls, frame: pd.DataFrame, graph: MuscleGraph | None = None, *, status: str = "trained"
    ) -> Population:
        """A population from a DataFrame of fitted athletes: one row per athlete, columns
        ``bodyweight``, ``strength`` (optional), ``sex`` (optional: "female" | "male") and any of the
        model parameters (one value for all muscles) or ``<param>:<muscle>`` columns for one muscle;
        missing ones take the defaults."""
        g = graph if graph is not None else MuscleGraph.default()
        n, m = len(frame), len(g)
        params = {k: np.full((n, m), v) for k, v in DEFAULT_PARAMS.items()}
        for col in frame.columns:
            name, _, muscle = str(col).partition(":")
            if name in ATHLETE_COLUMNS or name == "sex":
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
        if "sex" in frame:
            athletes["sex"] = frame["sex"].to_numpy(dtype=object)
        athletes.index.name = "athlete"
        return cls(athletes, params, tuple(g.ids), status=status)

    @classmethod
    def from_fits(cls, fits: Sequence[Any], catalogue: Catalogue | None = None) -> Population:
        """A population of fitted lifters (:func:`chainload.fit_athlete` results, one athlete
        each, at their MAP): size_neural ``size_response`` and ``neural_max`` from each fit's
        responses, body mass from the fit, and the strength level = the geometric mean over the
        fit's lifts of base 1RM / (catalogue standard × body mass), since a population scales
        every standard by one level. All fits must share one training status (the preset)."""
        from .athlete_fit import AthleteFit

        if isinstance(fits, AthleteFit) or not isinstance(fits, Sequence) or len(fits) == 0:
            raise ValidationError("Population.from_fits needs a non-empty list of fit_athlete results")
        for i, f in enumerate(fits):
            if not isinstance(f, AthleteFit):
                raise ValidationError(
                    f"Population.from_fits: item {i} is a {type(f).__name__}, not an AthleteFit"
                )
        statuses = {f.status for f in fits}
        if len(statuses) > 1:
            raise ValidationError(f"Population.from_fits: the fits mix training statuses {sorted(statuses)}")
        cat = catalogue if catalogue is not None else Catalogue.default()
        g = cat.graph
        n, m = len(fits), len(g)
        preset = size_neural_params(fits[0].status)
        strength, bw = [], []
        for i, f in enumerate(fits):
            ratios = []
            for lift in f.lifts:
                std = cat[lift].standard_1rm_bw
                if std is not None:
                    ratios.append(
                        math.log(float(f.params.loc[f"base:{lift}", "estimate"]) / (std * f.bodyweight))
                    )
            if not ratios:
                raise ValidationError(
                    f"Population.from_fits: fit {i} ({f.name}) has no lift with a catalogue standard 1RM"
                )
            strength.append(math.exp(float(np.mean(ratios))))
            bw.append(f.bodyweight)
        athletes = pd.DataFrame({"bodyweight": bw, "strength": strength})
        athletes.index.name = "athlete"
        size = np.array([float(f.params.loc["size_response", "estimate"]) for f in fits])
        neural = np.array([float(f.params.loc["neural_response", "estimate"]) for f in fits])
        sn = {
            "size_response": np.repeat(size[:, None], m, axis=1),
            "neural_max": preset["neural_max"] * neural,
        }
        params = {k: np.full((n, m), v) for k, v in DEFAULT_PARAMS.items()}
        return cls(athletes, params, tuple(g.ids), status=fits[0].status, size_neural=sn)

    def __len__(self) -> int:
        return len(self.athletes)

    def athlete(self, i: int, catalogue: Catalogue | None = None) -> Athlete:
        """Athlete ``i`` as an :class:`Athlete`: 1RM = the catalogue's standard × body mass ×
        strength level (as the sweep uses), and this athlete's per-muscle parameters."""
        cat = catalogue if catalogue is not None else Catalogue.default()
        row = self.athletes.iloc[i]
        bw, strength = float(row["bodyweight"]), float(row["strength"])
        one_rm = {e.id: e.standard_1rm_bw * bw * strength for e in cat if e.standard_1rm_bw is not None}
        params: dict[str, Any] = {
            k: dict(zip(self.muscle_ids, v[i].tolist(), strict=True)) for k, v in self.params.items()
        }
        size_start: dict[str, float] = {}
        for k, v in self.size_neural.items():
            if k == "size_start":
                size_start = dict(zip(self.muscle_ids, v[i].tolist(), strict=True))
            elif k == "size_response":
                params[k] = dict(zip(self.muscle_ids, v[i].tolist(), strict=True))
            else:
                params[k] = float(v[i])
        return Athlete(
            one_rm=one_rm,
            bodyweight=bw,
            name=f"athlete {i}",
            params=params,
            status=self.status,
            size_start=size_start,
            sex=str(row["sex"]) if "sex" in row else "male",
        )

    def core_arrays(
        self, catalogue: Catalogue, exercises: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
        """What the core's simulate_population takes: 1RM (athletes x catalogue exercises; the
        standard x body mass x strength level for ``exercises``, NaN elsewhere), body load, the
        per-muscle parameters of the older models and the size_neural parameters (preset of
        ``status``, then this population's draws)."""
        n = len(self)
        standards = []
        for e in exercises:
            s = catalogue[e].standard_1rm_bw
            if s is None:
                raise ValidationError(
                    f"exercise '{e}' has no standard_1rm_bw: a population cannot estimate its 1RM"
                )
            standards.append(s)
        bw = self.athletes["bodyweight"].to_numpy(dtype=float)
        strength = self.athletes["strength"].to_numpy(dtype=float)
        one_rm = np.full((n, len(catalogue)), np.nan)
        one_rm[:, [catalogue.index(e) for e in exercises]] = np.outer(bw * strength, standards)
        fraction = np.array(
            [e.bodyweight_fraction if e.load == "bodyweight" else 0.0 for e in catalogue], dtype=float
        )
        body = np.outer(bw, fraction)
        params = {k: np.ascontiguousarray(v) for k, v in self.params.items()}
        sn: dict[str, np.ndarray] = {k: np.full(n, v) for k, v in size_neural_params(self.status).items()}
        sn.update({k: np.ascontiguousarray(v, dtype=float) for k, v in self.size_neural.items()})
        if "sex" in self.athletes:
            female = self.athletes["sex"].to_numpy() == "female"
            for k, factor in sex_factors("female").items():
                if k in sn:  # neural_max, size_rate: a woman's = a man's x factor
                    sn[k] = np.where(female, sn[k] * factor, sn[k])
        return one_rm, body, params, sn

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
            self.status,
            {k: v[idx] for k, v in self.size_neural.items()},
        )

    def describe(self) -> pd.DataFrame:
        """Median and 5–95 % range of every parameter (over athletes and muscles)."""
        rows = {k: np.quantile(v, [0.05, 0.5, 0.95]) for k, v in self.params.items()}
        for c in ATHLETE_COLUMNS:
            rows[c] = np.quantile(self.athletes[c], [0.05, 0.5, 0.95])
        return pd.DataFrame(rows, index=["p5", "median", "p95"]).T

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
from dataclasses import dataclass, field, replace
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


def _strength_level(one_rm: dict[str, float], bodyweight: float, cat: Catalogue, who: str) -> float:
    """The geometric mean over the lifts of 1RM / (catalogue standard × body mass)."""
    ratios = []
    for x, v in one_rm.items():
        std = cat[x].standard_1rm_bw if x in cat else None
        if std is not None:
            ratios.append(math.log(v / (std * bodyweight)))
    if not ratios:
        raise ValidationError(f"{who} has no lift with a catalogue standard 1RM")
    return math.exp(float(np.mean(ratios)))


@dataclass(frozen=True)
class Population:
    """``n`` virtual athletes: ``athletes`` (bodyweight, strength level, optional sex) and per-muscle
    parameter arrays ``params[name]`` of shape (n, muscles); ``size_neural[name]`` the size_neural
    parameters (shape (n,), or (n, muscles) for size_start and size_response; missing ones take the preset
    of ``status``); ``parameter_draws``: for fitted lifters (:meth:`from_fits`), populations of the
    same athletes at posterior draws of their parameters, run by :func:`chainload.trial` for
    prediction intervals (empty for sampled populations)."""

    athletes: pd.DataFrame
    params: dict[str, np.ndarray]
    muscle_ids: tuple[str, ...]
    seed: int | None = None
    status: str = "trained"
    size_neural: dict[str, np.ndarray] = field(default_factory=dict)
    parameter_draws: tuple[Population, ...] = ()

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
        for k, d in enumerate(self.parameter_draws):
            if not isinstance(d, Population) or len(d) != n or d.muscle_ids != self.muscle_ids:
                raise ValidationError(
                    f"parameter_draws[{k}] must be a Population of the same {n} athletes and muscles"
                )
            if d.parameter_draws or d.status != self.status:
                raise ValidationError(f"parameter_draws[{k}] must have status {self.status!r} and no draws")

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
    def from_fits(
        cls,
        fits: Sequence[Any],
        catalogue: Catalogue | None = None,
        *,
        draws: int | None = None,
        seed: int = 0,
    ) -> Population:
        """A population of fitted lifters, one athlete each: :func:`chainload.fit_athlete` results
        (AthleteFit) or their ``athlete()`` (FittedAthlete). Each athlete is at its fit's MAP:
        size_neural ``size_response`` and ``neural_max`` from the fit's responses, body mass from
        the fit, and the strength level = the geometric mean over the fit's lifts of base 1RM /
        (catalogue standard × body mass), since a population scales every standard by one level.
        All fits must share one training status (the preset).

        Parameter uncertainty: the population also carries ``parameter_draws``, ``draws``
        populations of the same athletes, draw k holding every athlete's k-th posterior draw;
        :func:`chainload.trial` runs them for prediction intervals. ``draws`` None: an AthleteFit
        gives :data:`chainload.athlete_fit.DRAWS` draws (seeded by ``seed`` + its position), a
        FittedAthlete the draws it carries (all must carry the same number); a number: that many
        (a FittedAthlete must carry at least as many). A FittedAthlete's draws are put in a seeded
        random order, so that athletes drawn with the same seed are not paired draw by draw.
        FittedAthletes without draws give a population without draws; mixing them with
        uncertain fits is an error."""
        from .athlete_fit import DRAWS, AthleteFit, FittedAthlete

        where = "Population.from_fits"
        if isinstance(fits, AthleteFit | Athlete) or not isinstance(fits, Sequence) or len(fits) == 0:
            raise ValidationError(f"{where} needs a non-empty list of fit_athlete results")
        for i, f in enumerate(fits):
            if not isinstance(f, AthleteFit | FittedAthlete):
                kind = "an Athlete without a fit" if isinstance(f, Athlete) else f"a {type(f).__name__}"
                raise ValidationError(
                    f"{where}: item {i} is {kind}, not an AthleteFit or a FittedAthlete (fit.athlete())"
                )
        if draws is not None and (isinstance(draws, bool) or not isinstance(draws, int) or draws <= 0):
            raise ValidationError(f"{where}: draws must be a whole number > 0 or None, got {draws!r}")
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            raise ValidationError(f"{where}: seed must be a whole number >= 0, got {seed!r}")
        statuses = {f.status for f in fits}
        if len(statuses) > 1:
            raise ValidationError(f"{where}: the fits mix training statuses {sorted(statuses)}")
        status = fits[0].status
        preset = size_neural_params(status)
        carried = {i: len(f.parameter_draws) for i, f in enumerate(fits) if isinstance(f, FittedAthlete)}
        zero = [i for i, c in carried.items() if c == 0]
        if zero and len(zero) < len(fits):
            raise ValidationError(
                f"{where}: item {zero[0]} is a FittedAthlete without parameter draws, mixed with fits "
                "that carry parameter uncertainty: use fit.athlete() (with draws) for every athlete"
            )
        if zero:
            if draws is not None:
                raise ValidationError(f"{where}: draws={draws} but the athletes carry no parameter draws")
            k = 0
        elif draws is None:
            counts = set(carried.values()) | ({DRAWS} if len(carried) < len(fits) else set())
            if len(counts) > 1:
                raise ValidationError(
                    f"{where}: the fits carry different numbers of parameter draws ("
                    + ", ".join(f"item {i}: {c}" for i, c in carried.items())
                    + (f"; an AthleteFit gives {DRAWS}" if len(carried) < len(fits) else "")
                    + "); pass draws= to use the same number of each"
                )
            k = counts.pop()
        else:
            short = [i for i, c in carried.items() if c < draws]
            if short:
                raise ValidationError(
                    f"{where}: draws={draws} but item {short[0]} carries {carried[short[0]]} parameter draws"
                )
            k = draws
        cat = catalogue if catalogue is not None else Catalogue.default()
        rng = np.random.default_rng(np.random.SeedSequence([seed, 0xF175]))
        # per athlete: rows MAP, draw 1, ..., draw k of (size response, neural response, strength)
        values, bw = [], []
        for i, f in enumerate(fits):
            if isinstance(f, AthleteFit):
                us, bs = f.draws(k, seed + i) if k else (np.zeros((0, 2)), np.zeros((0, len(f.lifts))))
                u = np.vstack([f.u, us])
                bases = [dict(zip(f.lifts, np.exp(b).tolist(), strict=True)) for b in [f.log_base, *bs]]
                rows = [(math.exp(a), math.exp(b)) for a, b in u]
            else:
                drawn = [f.parameter_draws[j] for j in rng.permutation(len(f.parameter_draws))[:k]]
                bases = [dict(a.one_rm) for a in (f, *drawn)]
                rows = [
                    (
                        float(np.mean(list(dict(a.params["size_response"]).values()))),
                        float(a.params["neural_max"]) / preset["neural_max"],
                    )
                    for a in (f, *drawn)
                ]
            strength = [_strength_level(b, f.bodyweight, cat, f"{where}: item {i} ({f.name})") for b in bases]
            values.append([(*r, s) for r, s in zip(rows, strength, strict=True)])
            bw.append(float(f.bodyweight))
        table = np.array(values)  # athletes x (1 + k) x 3
        m = len(cat.graph)

        def one(j: int, drawn: tuple[Population, ...] = ()) -> Population:
            athletes = pd.DataFrame({"bodyweight": bw, "strength": table[:, j, 2]})
            athletes.index.name = "athlete"
            sn = {
                "size_response": np.repeat(table[:, j, 0][:, None], m, axis=1),
                "neural_max": preset["neural_max"] * table[:, j, 1],
            }
            params = {name: np.full((len(fits), m), v) for name, v in DEFAULT_PARAMS.items()}
            return cls(
                athletes, params, tuple(cat.graph.ids), status=status, size_neural=sn, parameter_draws=drawn
            )

        return one(0, tuple(one(j) for j in range(1, k + 1)))

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
            tuple(d.take(rows) for d in self.parameter_draws),
        )

    def without_draws(self) -> Population:
        """The same athletes at their point (MAP) parameters, without :attr:`parameter_draws`."""
        return replace(self, parameter_draws=())

    @classmethod
    def concat(cls, parts: Sequence[Population]) -> Population:
        """The athletes of ``parts`` one after the other (same muscles and status; parameter draws
        are dropped): what :func:`chainload.trial` runs in one core call per arm."""
        first = parts[0]
        keys = set(first.size_neural)
        for p in parts[1:]:
            if p.muscle_ids != first.muscle_ids or p.status != first.status or set(p.size_neural) != keys:
                raise ValidationError("Population.concat: the parts differ in muscles, status or parameters")
        return cls(
            pd.concat([p.athletes for p in parts], ignore_index=True).rename_axis("athlete"),
            {k: np.concatenate([p.params[k] for p in parts]) for k in first.params},
            first.muscle_ids,
            first.seed,
            first.status,
            {k: np.concatenate([p.size_neural[k] for p in parts]) for k in keys},
        )

    def describe(self) -> pd.DataFrame:
        """Median and 5–95 % range of every parameter (over athletes and muscles)."""
        rows = {k: np.quantile(v, [0.05, 0.5, 0.95]) for k, v in self.params.items()}
        for c in ATHLETE_COLUMNS:
            rows[c] = np.quantile(self.athletes[c], [0.05, 0.5, 0.95])
        return pd.DataFrame(rows, index=["p5", "median", "p95"]).T

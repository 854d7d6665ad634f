"""From a lifter's log to a fitted virtual athlete: the default model (size_neural) fitted jointly
over all lifts of a log, with what the data cannot determine pulled towards the population.

>>> af = cl.fit_athlete(log)          # every lift with >= 4 strength tests, fitted at once
>>> af.params                         # size and neural response, each lift's base 1RM; intervals, labels
>>> af.state("2024-09-12")            # that day's lift 1RMs and muscle sizes, 95 % intervals
>>> af.validate()                     # expanding-window out-of-sample error beside the baselines
>>> af.athlete()                      # a FittedAthlete (a cl.Athlete carrying posterior draws)

Measurement model (docs/fitting.md §5): the log's training is replayed through the default model
(``log.to_program()``, then the closed loop of :func:`chainload.simulate`), so every lift's 1RM
is the model's function of the shared per-muscle sizes and that lift's own neural gain and fatigue
(docs/model.md). Each strength test y of lift u on day t is

    log y = log b_u + log g_u(t; θ) + ε,     ε ~ N(0, σ_u²)      (a relative test error per lift)

with g_u the model's 1RM relative to its base b_u, and θ the athlete's two response multipliers
that :meth:`chainload.Population.sample` draws (size response × size_rate, neural response ×
neural_max; log-normal, correlated: data/model_size_neural.toml [population]). θ gets that
population distribution as its prior; each log b_u is solved exactly for θ (the mean residual) and
each σ_u is concentrated out. MAP by Nelder–Mead in log θ from the population median, Laplace covariance
from the curvature there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from .athlete import Athlete, check_status
from .catalogue import Catalogue
from .errors import UnknownNameError, ValidationError
from .fit import _test_options, _why_no_tests
from .logs import Log, strength_tests
from .program import Program
from .simulation import athlete_spec, compile_program, lift_info, population_spread, size_neural_params

MIN_TESTS = 4
"""Fewest test days for a lift to enter the joint fit (engine choice: one parameter of its own,
the base 1RM, and at least three tests left to inform the shared responses)."""
RESPONSES: tuple[str, ...] = ("size_response", "neural_response")
"""The athlete-level parameters of the measurement model: multipliers of the size_neural preset's
size_rate and neural_max (what Population.sample draws per athlete)."""
IDENTIFIED_RATIO = 0.5
"""A response is identified when its posterior SD is below this share of its prior SD (the data
halve the population's spread at least), weakly identified below :data:`WEAK_RATIO`, else not
identified: the prior dominates (engine choices, docs/fitting.md §5)."""
WEAK_RATIO = 0.8
SIGMA_FLOOR = 0.005
"""Smallest relative test error a lift is credited with (0.5 %; engine choice): a lift logged at
the same weight × reps every session would otherwise claim a near-zero error and outweigh the rest."""
DRAWS = 100
"""Posterior draws behind every interval of a fitted athlete (state, simulate): the 2.5 and
97.5 % quantiles of 100 draws sit within about 1.6 percentile points of the true ones (binomial
SE √(0.025·0.975/100)); engine choice trading that against 100 simulations per call."""


def response_prior() -> tuple[np.ndarray, np.ndarray]:
    """Mean (0, 0) and covariance of (log size response, log neural response) in the population:
    log-SDs and correlation of data/model_size_neural.toml [population]."""
    s = population_spread()
    sd = np.array([s["size_response_sd"], s["neural_response_sd"]])
    rho = s["response_correlation"]
    cov = np.array([[sd[0] ** 2, rho * sd[0] * sd[1]], [rho * sd[0] * sd[1], sd[1] ** 2]])
    return np.zeros(2), cov


@dataclass
class _Problem:
    """The joint fit's fixed inputs: the program replaying the log, the tests as (day, lift
    column, log e1RM), the athlete's fixed parts."""

    program: Program
    catalogue: Catalogue
    lifts: list[str]
    day: np.ndarray
    lift: np.ndarray
    log_y: np.ndarray
    base: dict[str, float]
    bodyweight: float
    status: str
    n_days: int

    def __post_init__(self) -> None:
        self._compiled = compile_program(self.program, self.catalogue)
        self._info = lift_info(self.catalogue)
        self._table = self.catalogue.core_table()
        used = [self.catalogue.ids[i] for i in self._compiled.spec.used_exercises]
        self.columns = np.array([used.index(u) for u in self.lifts])
        self.muscles = self.catalogue.graph.ids
        mean, cov = response_prior()
        self.prior_mean, self.prior_cov = mean, cov
        self._prior_inv = np.linalg.inv(cov)

    def athlete(self, u: np.ndarray, base: dict[str, float] | None = None) -> Athlete:
        preset = size_neural_params(self.status)
        params = {
            "size_response": {m: math.exp(float(u[0])) for m in self.muscles},
            "neural_max": preset["neural_max"] * math.exp(float(u[1])),
        }
        one_rm = base if base is not None else self.base
        return Athlete(
            one_rm=dict(one_rm), bodyweight=self.bodyweight, estimate_missing=True, params=params,
            status=self.status, name="fitted athlete",
        )  # fmt: skip

    def run(self, u: np.ndarray, base: dict[str, float] | None = None) -> dict[str, Any]:
        """One closed-loop run of the log's program on the athlete with responses exp(u)."""
        spec = athlete_spec(self.athlete(u, base), self.program, self.catalogue)
        return dict(
            _core.simulate(
                self._table, self._compiled.spec, spec, "size_neural",
                pattern=self._info.pattern, single_joint=self._info.single_joint,
            )
        )  # fmt: skip

    def log_g(self, u: np.ndarray) -> np.ndarray:
        """log of each lift's model 1RM relative to its base, on every day (days × lifts)."""
        one_rm = np.asarray(self.run(u)["one_rm"])[:, self.columns]
        return np.asarray(np.log(one_rm) - np.log([self.base[x] for x in self.lifts]))

    def solve(
        self, u: np.ndarray, use: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per lift: the SSE of its log residuals and its log base solved exactly; and the
        relative curve (days × lifts)."""
        lg = self.log_g(u)
        sel = np.ones(len(self.day), bool) if use is None else use
        r = self.log_y[sel] - lg[self.day[sel], self.lift[sel]]
        k = len(self.lifts)
        n = np.bincount(self.lift[sel], minlength=k)
        log_b = np.bincount(self.lift[sel], weights=r, minlength=k) / np.maximum(n, 1)
        e = r - log_b[self.lift[sel]]
        return np.bincount(self.lift[sel], weights=e * e, minlength=k), log_b, lg

    def objective(self, u: np.ndarray, use: np.ndarray | None = None) -> float:
        """Σ_lifts n_u/2 · log SSE_u (each lift's own test error, concentrated out) + the prior."""
        sse, _, _ = self.solve(u, use)
        sel = np.ones(len(self.day), bool) if use is None else use
        n = np.bincount(self.lift[sel], minlength=len(self.lifts)).astype(float)
        floor = n * SIGMA_FLOOR**2
        fit = n > 0
        d = u - self.prior_mean
        like = 0.5 * float(n[fit] @ np.log(np.maximum(sse[fit], floor[fit])))
        return like + 0.5 * float(d @ self._prior_inv @ d)

    def map(self, use: np.ndarray | None = None, start: np.ndarray | None = None) -> np.ndarray:
        x0 = self.prior_mean if start is None else start
        step = 0.3 if start is None else 0.1
        simplex = np.array([x0, x0 + np.array([step, 0.0]), x0 + np.array([0.0, step])])
        from scipy.optimize import minimize  # type: ignore[import-untyped]  # lazy: import chainload stays light

        res = minimize(
            self.objective, x0, args=(use,), method="Nelder-Mead",
            options={"initial_simplex": simplex, "xatol": 0.01, "fatol": 0.01, "maxfev": 80},
        )  # fmt: skip
        return np.asarray(res.x, dtype=float)

    def base_slope(self, u: np.ndarray, h: float = 0.05) -> np.ndarray:
        """d log b / d u (lifts × 2), central differences: how the solved bases move with the
        responses, so that their intervals carry the responses' uncertainty too."""
        cols = [(self.solve(u + e)[1] - self.solve(u - e)[1]) / (2 * h) for e in np.eye(2) * h]
        return np.stack(cols, axis=1)

    def laplace(self, u: np.ndarray) -> np.ndarray:
        """Posterior covariance of u: the inverse curvature of the objective at the MAP."""
        h = 0.05
        f0 = self.objective(u)
        hess = np.zeros((2, 2))
        e = np.eye(2) * h
        fp = [self.objective(u + e[i]) for i in range(2)]
        fm = [self.objective(u - e[i]) for i in range(2)]
        for i in range(2):
            hess[i, i] = (fp[i] - 2 * f0 + fm[i]) / h**2
        cross = (
            self.objective(u + e[0] + e[1]) - fp[0] - fp[1] + 2 * f0 - fm[0] - fm[1]
            + self.objective(u - e[0] - e[1])
        ) / (2 * h**2)  # fmt: skip
        hess[0, 1] = hess[1, 0] = cross
        try:
            cov = np.linalg.inv(hess)
        except np.linalg.LinAlgError:
            return self.prior_cov.copy()
        if not np.all(np.linalg.eigvalsh(cov) > 0):  # a flat or concave direction: the prior's
            return self.prior_cov.copy()
        return np.asarray(cov)


@dataclass
class AthleteFit:
    """What :func:`fit_athlete` returns. ``params``: one row per parameter (the two responses as
    multipliers of the preset, each lift's ``base:<lift>`` 1RM in kg) with estimate, 95 % interval,
    label and reason; ``tests`` the observations used (date, lift, e1rm_kg, fitted); ``skipped``
    the lifts left out with the reason; ``sigma`` each lift's relative test error (log-SD)."""

    params: pd.DataFrame
    tests: pd.DataFrame
    skipped: dict[str, str]
    dates: pd.DatetimeIndex
    sigma: dict[str, float]
    name: str
    status: str
    bodyweight: float
    u: np.ndarray
    cov: np.ndarray
    log_base: np.ndarray
    base_se: np.ndarray
    base_slope: np.ndarray
    base_cond_se: np.ndarray
    notes: list[str] = field(default_factory=list)
    _problem: _Problem | None = field(default=None, repr=False)
    _start: pd.Timestamp | None = field(default=None, repr=False)
    _draws: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def lifts(self) -> list[str]:
        return list(self._prob.lifts)

    @property
    def _prob(self) -> _Problem:
        if self._problem is None:  # pragma: no cover - built by fit_athlete
            raise ValidationError("this AthleteFit has no problem attached")
        return self._problem

    @property
    def labels(self) -> pd.Series:
        return self.params["label"]

    def draws(self, n: int = DRAWS, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """``n`` posterior draws: responses u (n × 2, log multipliers; Laplace) and log bases
        (n × lifts: moved with u along their slope, plus their spread given u)."""
        rng = np.random.default_rng(seed)
        u = rng.multivariate_normal(self.u, self.cov, size=n)
        b = (
            self.log_base
            + (u - self.u) @ self.base_slope.T
            + self.base_cond_se * rng.standard_normal((n, len(self.log_base)))
        )
        return u, b

    def athlete(self, bodyweight: float | None = None, draws: int = DRAWS, seed: int = 0) -> FittedAthlete:
        """A :class:`FittedAthlete` at the MAP (base 1RMs as ``one_rm``, responses as ``params``)
        carrying ``draws`` posterior draws, so :func:`chainload.simulate` gives intervals."""
        p = self._prob
        bw = self.bodyweight if bodyweight is None else float(bodyweight)
        base = dict(zip(p.lifts, np.exp(self.log_base).tolist(), strict=True))
        a = p.athlete(self.u, base)
        us, bs = self.draws(draws, seed)
        drawn = tuple(
            _with_bodyweight(p.athlete(us[i], dict(zip(p.lifts, np.exp(bs[i]).tolist(), strict=True))), bw)
            for i in range(draws)
        )
        return FittedAthlete(
            one_rm=a.one_rm, bodyweight=bw, estimate_missing=True, name=self.name, params=a.params,
            status=self.status, parameter_draws=drawn,
        )  # fmt: skip

    def state(self, date: Any) -> pd.DataFrame:
        """That day's model state (a test that day, before its training), with 95 % intervals
        from :data:`DRAWS` posterior draws: each fitted lift's 1RM (kg) and each muscle's
        relative size. A date outside the log raises ValidationError naming the log's range."""
        try:
            day = pd.Timestamp(date).normalize()
        except (TypeError, ValueError):
            raise ValidationError(f"state: {date!r} is not a date") from None
        first, last = self.dates[0], self.dates[-1]
        if not first <= day <= last:
            raise ValidationError(f"state: {day.date()} is outside the log ({first.date()} to {last.date()})")
        if self._start is None:  # pragma: no cover - built by fit_athlete
            raise ValidationError("state: this AthleteFit has no calendar")
        i = int((day - self._start).days)
        if not self._draws:
            self._draws = self._simulate_draws()
        rows = {}
        for key, arr in self._draws.items():
            est, draws = arr[0, i], arr[1:, i]
            lo, hi = np.quantile(draws, [0.025, 0.975], axis=0)
            for j, name in enumerate(self._names(key)):
                rows[name] = (float(est[j]), float(lo[j]), float(hi[j]))
        out = pd.DataFrame.from_dict(rows, orient="index", columns=["estimate", "lower", "upper"])
        out.index.name = str(day.date())
        return out

    def _names(self, key: str) -> list[str]:
        p = self._prob
        return [f"one_rm:{x}" for x in p.lifts] if key == "one_rm" else [f"size:{m}" for m in p.muscles]

    def _simulate_draws(self) -> dict[str, np.ndarray]:
        """MAP run first, then the draws: arrays (1 + draws) × days × (lifts | muscles)."""
        p = self._prob
        us, bs = self.draws()
        one_rm, size = [], []
        for u, lb in [(self.u, self.log_base), *zip(us, bs, strict=True)]:
            r = p.run(u)
            rel = np.asarray(r["one_rm"])[:, p.columns] / np.array([p.base[x] for x in p.lifts])
            one_rm.append(rel * np.exp(lb))
            size.append(np.asarray(r["capacity"]))
        return {"one_rm": np.array(one_rm), "size": np.array(size)}

    def validate(self, folds: int = 10, horizon_days: int = 28) -> pd.DataFrame:
        """Expanding-window out-of-sample error (VALIDATION.md FFM-5): at ``folds`` forecast origins
        spread over the second half of the tests, refit on the tests before the origin (warm
        start at the full fit) and forecast every test of the next ``horizon_days``; beside it the
        last value of each lift and its least-squares linear trend over the training tests.
        Returns one row per method (model, last_value, trend): n, MAE and RMSE in kg, and the
        model's in-sample RMSE on the whole log for contrast (``in_sample_rmse``)."""
        return _validate(self, folds, horizon_days)

    def summary(self) -> pd.DataFrame:
        """:attr:`params`: one row per fitted parameter, its ``estimate``, 95 % ``lower`` and
        ``upper`` bounds, identification ``label`` and ``reason``. The same facts with the lifts,
        dates and test error in words: :meth:`describe`."""
        return self.params.copy()

    def describe(self) -> str:
        """A few lines of text: the lifts and dates fitted, the test error, each parameter with
        its interval and label, the lifts left out and the notes."""
        d0, d1 = self.dates[0].date(), self.dates[-1].date()
        lines = [
            f"{self.name}: size_neural fitted jointly to {len(self.tests)} tests of {len(self.lifts)} lifts, "
            f"{d0} to {d1}; test error {100 * float(np.median(list(self.sigma.values()))):.1f} % "
            "(median of the lifts)"
        ]
        for name, r in self.params.iterrows():
            lines.append(
                f"  {name:<28} {r['estimate']:9.4g}  95 % [{r['lower']:.4g}, {r['upper']:.4g}]  {r['label']}"
            )
        for name, r in self.params.iterrows():
            if r["label"] != "identified":
                lines.append(f"    {name}: {r['label']}: {r['reason']}")
        for ex, why in self.skipped.items():
            lines.append(f"  left out {ex}: {why}")
        return "\n".join(lines + [f"  note: {n}" for n in self.notes])

    def __str__(self) -> str:
        return self.describe()

    def __repr__(self) -> str:
        return f"AthleteFit({self.name!r}: {len(self.lifts)} lifts, {len(self.tests)} tests)"


@dataclass(frozen=True)
class FittedAthlete(Athlete):
    """An :class:`~chainload.Athlete` at a fit's MAP that carries ``parameter_draws``: athletes
    drawn from the fit's posterior. :func:`chainload.simulate` runs them too and gives
    ``Simulation.performance_interval``."""

    parameter_draws: tuple[Athlete, ...] = ()


def _with_bodyweight(a: Athlete, bw: float) -> Athlete:
    return Athlete(
        one_rm=a.one_rm, bodyweight=bw, estimate_missing=True, name=a.name, params=a.params, status=a.status
    )


def _label(post_sd: float, prior_sd: float) -> tuple[str, str]:
    ratio = post_sd / prior_sd
    why = f"posterior SD {post_sd:.3g} against the population's {prior_sd:.3g} (log scale; ratio {ratio:.2f})"
    if ratio < IDENTIFIED_RATIO:
        return "identified", why
    if ratio < WEAK_RATIO:
        return "weakly identified", why + ": the data narrow the prior, the prior still counts"
    return "not identified", why + ": the prior dominates; the estimate is the population's, not the log's"


def fit_program(
    program: Program,
    tests: pd.DataFrame,
    *,
    start: Any,
    bodyweight: float = 80.0,
    status: str = "trained",
    catalogue: Catalogue | None = None,
    base: dict[str, float] | None = None,
    name: str = "fitted athlete",
    skipped: dict[str, str] | None = None,
) -> AthleteFit:
    """The joint fit on a program and its tests: ``tests`` has columns date (calendar day),
    exercise_id and e1rm_kg; ``start`` is the calendar date of the program's day 0. ``base``: the
    1RMs the loads of kg prescriptions are read against (default: each lift's first test)."""
    cat = catalogue if catalogue is not None else Catalogue.default()
    day0 = pd.Timestamp(start).normalize()
    t = tests.sort_values(["date", "exercise_id"], kind="stable").reset_index(drop=True)
    lifts = sorted(str(x) for x in t["exercise_id"].unique())
    day = ((pd.to_datetime(t["date"]).dt.normalize() - day0).dt.days).to_numpy()
    n_days = len(program.weeks) * 7
    if day.min() < 0 or day.max() >= n_days:
        raise ValidationError(f"tests fall outside the program's {n_days} days from {day0.date()}")
    missing = [x for x in lifts if x not in program.exercises()]
    if missing:
        raise ValidationError(f"tests of lifts the program never trains: {', '.join(missing)}")
    lift = np.array([lifts.index(str(x)) for x in t["exercise_id"]])
    y = t["e1rm_kg"].to_numpy(dtype=float)
    if base is None:
        base = {x: float(y[lift == i][0]) for i, x in enumerate(lifts)}
    prob = _Problem(program, cat, lifts, day, lift, np.log(y), base, float(bodyweight), status, n_days)
    u = prob.map()
    cov = prob.laplace(u)
    sse, log_b, lg = prob.solve(u)
    k = len(lifts)
    counts = np.bincount(lift, minlength=k)
    sigma_u = np.sqrt(np.maximum(sse / np.maximum(counts - 1, 1), SIGMA_FLOOR**2))
    sigma = dict(zip(lifts, sigma_u.tolist(), strict=True))
    slope = prob.base_slope(u)
    base_cond_se = sigma_u / np.sqrt(counts)  # given the responses
    base_se = np.sqrt(base_cond_se**2 + np.einsum("ij,jk,ik->i", slope, cov, slope))
    prior_sd = np.sqrt(np.diag(prob.prior_cov))
    post_sd = np.sqrt(np.diag(cov))
    rows: dict[str, dict[str, Any]] = {}
    for j, p in enumerate(RESPONSES):
        lab, why = _label(float(post_sd[j]), float(prior_sd[j]))
        rows[p] = {
            "estimate": math.exp(u[j]),
            "lower": math.exp(u[j] - 1.96 * post_sd[j]),
            "upper": math.exp(u[j] + 1.96 * post_sd[j]),
            "label": lab,
            "reason": why,
            "method": "MAP + Laplace, population prior",
        }
    # Student-t quantiles: each base's error SD is estimated from its own n_u - 1 residual dof
    from scipy.stats import t as student_t  # type: ignore[import-untyped]

    q = student_t.ppf(0.975, np.maximum(counts - 1, 1))
    for i, x in enumerate(lifts):
        rows[f"base:{x}"] = {
            "estimate": math.exp(log_b[i]),
            "lower": math.exp(log_b[i] - q[i] * base_se[i]),
            "upper": math.exp(log_b[i] + q[i] * base_se[i]),
            "label": "identified",
            "reason": f"{counts[i]} tests",
            "method": "least squares given the responses, their uncertainty propagated",
        }
    params = pd.DataFrame.from_dict(rows, orient="index")
    params.index.name = "param"
    fitted = np.exp(log_b[lift] + lg[day, lift])
    table = pd.DataFrame(
        {"date": pd.to_datetime(t["date"]).dt.normalize(), "exercise_id": t["exercise_id"], "e1rm_kg": y,
         "fitted": fitted}
    )  # fmt: skip
    dates = pd.date_range(day0, day0 + pd.Timedelta(days=n_days - 1), freq="D", name="date")
    notes = [
        "responses are multipliers of the size_neural preset of status "
        f"{status!r}: size_rate × size_response, neural_max × neural_response"
    ]
    return AthleteFit(
        params, table, dict(skipped or {}), dates, sigma, name, status, float(bodyweight), u, cov, log_b,
        base_se, slope, base_cond_se, notes, prob, day0,
    )  # fmt: skip


def fit_athlete(
    log: Log,
    lifts: Sequence[str] | None = None,
    *,
    min_tests: int = MIN_TESTS,
    bodyweight: float | None = None,
    formula: str = "epley",
    tests: dict[str, Any] | None = None,
    status: str = "trained",
) -> AthleteFit:
    """Fit the default model to ``log``: every catalogue lift with at least ``min_tests`` test
    days (or the ``lifts`` named, as logged or by catalogue id), jointly (see the module)."""
    if not isinstance(log, Log):
        raise TypeError(f"fit_athlete needs a Log (chainload.read_log), got {type(log).__name__}")
    if isinstance(min_tests, bool) or not isinstance(min_tests, int) or min_tests < 2:
        raise ValidationError(f"fit_athlete: min_tests must be an integer >= 2, got {min_tests!r}")
    if bodyweight is not None and (
        isinstance(bodyweight, bool)
        or not isinstance(bodyweight, int | float)
        or not 20.0 <= float(bodyweight) <= 400.0  # a plausible adult body mass (engine choice)
    ):
        raise ValidationError(f"fit_athlete: bodyweight must be 20-400 kg, got {bodyweight!r}")
    if lifts is not None and (isinstance(lifts, str) or not all(isinstance(x, str) for x in lifts)):
        raise TypeError(f"fit_athlete: lifts must be a list of lift names, got {lifts!r}")
    check_status(status, "fit_athlete: status")
    if len(log) == 0:
        raise ValidationError(f"{log.report.path}: the log is empty (no sets to fit)")
    opts = _test_options(formula, tests)
    est = strength_tests(log, bodyweight=bodyweight, **opts)
    known = set(log.catalogue.ids)
    s = log.sets
    wanted: list[str] | None = None
    if lifts is not None:
        wanted = []
        for x in lifts:
            rows = (s["exercise"] == x) | (s["exercise_id"] == x)
            if not rows.any():
                raise UnknownNameError(f"{log.report.path}: fit_athlete: lift {x!r} is not in the log")
            ids = s.loc[rows, "exercise_id"].dropna().unique()
            if len(ids) == 0 or str(ids[0]) not in known:
                raise ValidationError(
                    f"{log.report.path}: fit_athlete: lift {x!r} matches no catalogue exercise "
                    "(the model needs its muscles)"
                )
            if not (est["exercise_id"] == ids[0]).any():
                raise ValidationError(
                    f"{log.report.path}: lift {x!r} has no usable strength observation "
                    f"({_why_no_tests(log, rows, opts, bodyweight)})"
                )
            wanted.append(str(ids[0]))
    est = est[est["exercise_id"].isin(known)]
    if est.empty:
        raise ValidationError(
            f"{log.report.path}: no set of a catalogue lift counts as a strength test "
            f"({_why_no_tests(log, None, opts, bodyweight)})"
        )
    perf = est.groupby(["exercise_id", "date"], as_index=False)["e1rm_kg"].max()
    skipped: dict[str, str] = {}
    use: list[pd.DataFrame] = []
    for ex_id, g in perf.groupby("exercise_id", sort=True):
        if wanted is not None and ex_id not in wanted:
            continue
        if len(g) < min_tests:
            skipped[str(ex_id)] = f"{len(g)} test days (fewer than min_tests = {min_tests})"
            continue
        use.append(pd.DataFrame(g))
    if not use:
        raise ValidationError(
            f"{log.report.path}: no lift has {min_tests} test days or more: "
            + "; ".join(f"{k}: {v}" for k, v in skipped.items())
        )
    observations = pd.DataFrame(pd.concat(use, ignore_index=True))
    program = log.to_program()
    day0 = s["date"].min().normalize()
    day0 = day0 - pd.Timedelta(days=day0.weekday())  # to_program's week 1 starts on that Monday
    bw = bodyweight if bodyweight is not None else 80.0
    af = fit_program(
        program, observations, start=day0, bodyweight=bw, status=status, catalogue=log.catalogue,
        name=f"fitted {log.report.path.stem}", skipped=skipped,
    )  # fmt: skip
    af.dates = pd.date_range(s["date"].min().normalize(), s["date"].max().normalize(), freq="D", name="date")
    if bodyweight is None:
        af.notes.append("body mass not given: 80 kg assumed (bodyweight lifts' load)")
    return af


def _trend(days: np.ndarray, y: np.ndarray, at: np.ndarray) -> np.ndarray:
    if len(y) < 2 or np.ptp(days) == 0:
        return np.full(len(at), y[-1])
    slope, icpt = np.polyfit(days, y, 1)
    return np.asarray(icpt + slope * at)


def _validate(af: AthleteFit, folds: int, horizon_days: int) -> pd.DataFrame:
    p = af._prob
    days = np.unique(p.day)
    if len(days) < 4:
        raise ValidationError(f"validate: {len(days)} test days; at least 4 are needed")
    origins = np.unique(days[np.linspace(len(days) // 2, len(days) - 1, folds).astype(int)])
    y = np.exp(p.log_y)
    err: dict[str, list[float]] = {"model": [], "last_value": [], "trend": []}
    u = af.u
    for origin in origins:
        train = p.day < origin
        test = (p.day >= origin) & (p.day < origin + horizon_days)
        if not test.any():
            continue
        u = p.map(train, start=u)
        _, log_b, lg = p.solve(u, train)
        for i in np.flatnonzero(test):
            j = p.lift[i]
            prior_j = train & (p.lift == j)
            if not prior_j.any():
                continue  # a lift not tested before the origin has no base to forecast from
            err["model"].append(float(np.exp(log_b[j] + lg[p.day[i], j]) - y[i]))
            err["last_value"].append(float(y[prior_j][-1] - y[i]))
            err["trend"].append(float(_trend(p.day[prior_j], y[prior_j], np.array([p.day[i]]))[0] - y[i]))
    if not err["model"]:
        raise ValidationError("validate: no test to forecast after the first half of the log")
    in_rmse = math.sqrt(float(((af.tests["fitted"] - af.tests["e1rm_kg"]) ** 2).mean()))
    out = pd.DataFrame(
        {
            k: {
                "n": float(len(v)),
                "mae": float(np.mean(np.abs(v))),
                "rmse": math.sqrt(float(np.mean(np.square(v)))),
            }
            for k, v in err.items()
        }
    ).T
    out["in_sample_rmse"] = [in_rmse, math.nan, math.nan]
    out.index.name = "method"
    return out


def simulated_tests(
    program: Program,
    athlete: Athlete,
    schedule: Sequence[tuple[str, int]],
    *,
    every_weeks: int = 2,
    noise: float = 0.04,
    start: Any = "2024-01-01",
    seed: int = 0,
) -> pd.DataFrame:
    """Strength tests of a synthetic lifter: ``athlete`` runs ``program`` (:func:`chainload.simulate`),
    and each (lift, weekday) of ``schedule`` is tested every ``every_weeks`` weeks at the start of
    that day, with a log-normal relative error of SD ``noise`` (4 %: the test-retest error the
    coverage check of issue 12 assumes). Columns date, exercise_id, e1rm_kg, as
    :func:`fit_program` takes."""
    from .simulation import simulate

    rng = np.random.default_rng(seed)
    perf = simulate(program, athlete).performance
    day0 = pd.Timestamp(start).normalize()
    rows = []
    for lift, weekday in schedule:
        for week in range(0, len(program.weeks), every_weeks):
            d = 7 * week + weekday
            y = float(perf[lift].iloc[d]) * math.exp(noise * rng.standard_normal())
            rows.append((day0 + pd.Timedelta(days=d), lift, y))
    return pd.DataFrame(rows, columns=["date", "exercise_id", "e1rm_kg"])


SYNTHETIC_SCHEDULE: tuple[tuple[str, int], ...] = (
    ("bench_press", 0), ("back_squat", 0), ("deadlift", 2), ("bent_over_row", 2),
)  # fmt: skip
"""The synthetic lifter's tests: each lift on the first session of its week, every second week
(26 tests a lift in a year: the realistic test spacing of issue 12's coverage check)."""
SYNTHETIC_BASE = {"bench_press": 100.0, "back_squat": 140.0, "deadlift": 170.0, "bent_over_row": 80.0}
"""Typical 1RMs (kg) the synthetic lifters' bases spread around (log-SD 0.15; engine choice)."""


def synthetic_program(weeks: int = 52) -> Program:
    """Three sessions a week at percentages of today's 1RM (so the loads follow the lifter):
    bench and squat 3 × 8 at 75 % and 3 × 5 at 82 %, deadlift 3 × 5 at 80 %, row 3 × 10 at 70 %."""
    from .program import Prescription, Session

    def rx(ex: str, reps: int, pct: float) -> Prescription:
        return Prescription(ex, 3, reps, percent_1rm=pct)

    a = Session(0, (rx("bench_press", 8, 75), rx("back_squat", 8, 75)))
    b = Session(2, (rx("deadlift", 5, 80), rx("bent_over_row", 10, 70)))
    c = Session(4, (rx("bench_press", 5, 82), rx("back_squat", 5, 82)))
    return Program(name="synthetic", weeks=tuple((a, b, c) for _ in range(weeks)))


def synthetic_lifter(
    seed: int, program: Program | None = None, start: Any = "2024-01-01", noise: float = 0.04
) -> tuple[np.ndarray, dict[str, float], pd.DataFrame]:
    """A lifter drawn from the population the fit's prior describes: responses u (log
    multipliers) from :func:`response_prior`, bases around :data:`SYNTHETIC_BASE`, and its tests
    (:data:`SYNTHETIC_SCHEDULE`, relative noise ``noise``) on ``program`` (default
    :func:`synthetic_program`). Returns (u, bases, tests)."""
    from .catalogue import Catalogue

    prog = program if program is not None else synthetic_program()
    rng = np.random.default_rng(seed)
    mean, cov = response_prior()
    u = rng.multivariate_normal(mean, cov)
    base = {k: v * math.exp(0.15 * rng.standard_normal()) for k, v in SYNTHETIC_BASE.items()}
    muscles = Catalogue.default().graph.ids
    athlete = Athlete(
        one_rm=base,
        params={
            "size_response": {m: math.exp(float(u[0])) for m in muscles},
            "neural_max": size_neural_params("trained")["neural_max"] * math.exp(float(u[1])),
        },
    )
    tests = simulated_tests(prog, athlete, SYNTHETIC_SCHEDULE, start=start, noise=noise, seed=seed + 10_000)
    return u, base, tests


def fit_report(lifters: int = 30, seed: int = 0) -> dict[str, float]:
    """What VALIDATION.md FFM-5 asks of a fit's report, measured on ``lifters`` synthetic lifters
    (:func:`synthetic_lifter`, seeds from ``seed``):

    * ``out_of_sample_over_in_sample``: pooled out-of-sample RMSE of :meth:`AthleteFit.validate`
      over the in-sample RMSE it reports apart; above 1 when the forecasts are truly out of
      sample (a forecast that saw its test would match the in-sample error or beat it);
    * ``r2_flagged`` and ``r2_identified``: across lifters, the R² of the true log responses
      on the estimated ones, for the responses labelled not identified and for those labelled
      identified: a flag is right when the flagged estimates do not track the truth and the
      identified ones do;
    * ``flagged_share``: the share of response estimates flagged not identified."""
    start = pd.Timestamp("2024-01-01")
    prog = synthetic_program()
    out_sq = out_n = in_sq = in_n = 0.0
    pairs: dict[str, list[tuple[float, float]]] = {"identified": [], "not identified": []}
    for i in range(lifters):
        u, _, tests = synthetic_lifter(seed + i, prog, start)
        af = fit_program(prog, tests, start=start)
        model = af.validate().loc["model"].to_numpy(dtype=float)  # n, mae, rmse, in_sample_rmse
        out_sq += model[2] ** 2 * model[0]
        out_n += model[0]
        in_sq += model[3] ** 2 * len(af.tests)
        in_n += len(af.tests)
        for j, name in enumerate(RESPONSES):
            lab = str(af.params.loc[name, "label"])
            if lab in pairs:
                est = af.params["estimate"].to_numpy(dtype=float)[j]  # the responses come first
                pairs[lab].append((float(u[j]), math.log(est)))

    def r2(xy: list[tuple[float, float]]) -> float:
        if len(xy) < 3:
            return math.nan
        a = np.array(xy)
        return float(np.corrcoef(a[:, 0], a[:, 1])[0, 1] ** 2)

    n_resp = sum(len(v) for v in pairs.values())
    return {
        "out_of_sample_over_in_sample": math.sqrt(out_sq / out_n) / math.sqrt(in_sq / in_n),
        "r2_flagged": r2(pairs["not identified"]),
        "r2_identified": r2(pairs["identified"]),
        "flagged_share": len(pairs["not identified"]) / max(n_resp, 1),
    }


__all__ = [
    "DRAWS",
    "MIN_TESTS",
    "AthleteFit",
    "FittedAthlete",
    "fit_athlete",
    "fit_program",
    "fit_report",
    "response_prior",
    "simulated_tests",
    "synthetic_lifter",
    "synthetic_program",
]

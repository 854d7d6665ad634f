"""Fitting an adaptation model to observed performance: a daily load series and test results (or
the e1RM history of a lift in a workout log).

>>> fit = cl.fit_series(daily_load, performance)       # performance NaN on days without a test
>>> fit.params, fit.metrics, fit.uncertainty           # p0, k1, k2, tau1, tau2 / r2, rmse ... / SE, 95 % CI
>>> cl.fit(log).plot()                                 # the lift with the most e1RM sessions

Models (the engine's conventions, README "Conventions"; day t's load counts on day t, state 0
before day 0):

* ``"banister"``: performance(t) = p0 + k1·fitness(t) − k2·fatigue(t), fitness(t) =
  fitness(t−1)·e^(−1/tau1) + w(t), fatigue the same with tau2.
* ``"saturating"``: performance(t) = p0·(1 + S(t) − k2·fatigue(t)), S the long-term capacity gain
  of the engine's saturating model (gain, ceiling, tau_detrain; it never passes ceiling − 1).

Method (C++ core, ``cpp/src/fit.cpp``): bounded nonlinear least squares by variable projection.
Performance is linear in p0, k1, k2 (saturating: p0) for fixed time constants: those are solved
exactly (box-bounded linear least squares) for each value of the others, which
Levenberg–Marquardt fits with the analytic Jacobian inside their box (log coordinates where the
lower bound is > 0), from ``starts`` seeded Latin-hypercube starts; the best fit wins. Uncertainty:
a residual bootstrap — the best fit's residuals, centred and scaled by √(n/(n−p)), resampled onto
its fitted values ``bootstrap`` times, each resample refitted from the best fit; the standard
error is the replicates' SD and the interval their 2.5–97.5 % percentiles. With few tests the
time constants are often poorly determined (Vermeire et al. 2022 quote fitted tau1 of 4–51 d and
tau2 of 4–74 d, SCIENCE.md 2.1): read the intervals, and fix parameters (equal bounds) when the
data cannot carry all five.
"""

from __future__ import annotations

import dataclasses
import html
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core, _display
from ._names import hint
from .errors import UnknownNameError, ValidationError
from .logs import FORMULAS, TEST_MAX_REPS, Formula, Log, strength_tests

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FitModelName = Literal["banister", "saturating"]
MODELS: tuple[str, ...] = ("banister", "saturating")
PARAMS: dict[str, tuple[str, ...]] = {m: tuple(_core.fit_param_names(m)) for m in MODELS}
"""Parameter names of each model, in the order the core uses."""

BoundsArg = Mapping[str, "tuple[float, float] | float"]
PriorArg = Literal["population"] | Mapping[str, tuple[float, float]] | None

BOUND_RTOL = 1e-6
"""A parameter is at a bound when within this relative distance of it (|v − b| ≤ 1e-6·max(1, |b|)):
tau = 99.99999998 against a bound of 100 is at the bound (engine choice)."""
POPULATION_PRIOR: dict[str, tuple[float, float]] = {"tau1": (42.0, 0.35), "tau2": (7.0, 0.35)}
"""(median, log-SD) of the log-normal prior on the Banister time constants: the distribution
:meth:`chainload.Population.sample` draws athletes from (common defaults 42 d and 7 d, Vermeire et
al. 2022, SCIENCE.md 2.1; log-SD 0.35 spans most of the fitted range they quote, 4–51 d and 4–74 d)."""
WEAK_REL = 0.25
"""A 95 % interval whose half-width is above this share of the estimate: weakly identified."""
NOT_REL = 1.0
"""A 95 % interval whose half-width is above the estimate itself (or that covers half of a finite
box): not identified (engine choices, docs/fitting.md)."""


def default_bounds(model: FitModelName = "banister") -> dict[str, tuple[float, float]]:
    """The default box of each parameter: banister p0 free, k1, k2 ≥ 0, tau1, tau2 in [1, 100] d;
    saturating p0 ≥ 0, gain in [1e-5, 10], ceiling in [1.01, 5], tau_detrain in [1, 1000] d,
    k2 in [0, 1], tau2 in [1, 100] d."""
    _check_model(model)
    lo, hi = _core.fit_default_bounds(model)
    return {p: (float(a), float(b)) for p, a, b in zip(PARAMS[model], lo, hi, strict=True)}


@dataclass
class Fit:
    """A model fitted to performance: what :func:`fit_series` and :func:`fit` return.

    ``params`` (the best fit), ``metrics`` (``r2`` = 1 − SSE/SST, ``rmse`` = √(SSE/n), ``mae`` =
    mean |residual|, ``sse``, ``n_obs``), ``uncertainty`` (per parameter: estimate, bootstrap
    ``se``, 95 % percentile interval ``ci_low``/``ci_high``; NaN without bootstrap or when there
    are no more tests than free parameters), ``predicted`` (the model's performance on every day,
    as a test on that day would see it), ``observed`` (the tests), ``starts`` (one row per start:
    its time constants, where it ended, sse, iterations, converged, best), ``bootstrap`` (the
    replicates), ``load`` (the daily load fitted), ``bounds``, and for :func:`fit` the exercise.
    """

    model: str
    params: dict[str, float]
    metrics: dict[str, float]
    uncertainty: pd.DataFrame
    predicted: pd.Series
    observed: pd.Series
    starts: pd.DataFrame
    bootstrap: pd.DataFrame
    load: pd.Series
    bounds: dict[str, tuple[float, float]]
    test_before_load: bool = False
    exercise: str | None = None
    load_unit: str = ""
    performance_unit: str = ""
    notes: list[str] = field(default_factory=list)
    free_params: dict[str, float] = field(default_factory=dict)
    _spec: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def labels(self) -> pd.Series:
        """Per parameter: ``identified``, ``weakly identified``, ``not identified`` or ``fixed``."""
        return self.uncertainty.set_index("param")["label"]

    def identified(self) -> list[str]:
        """The free parameters labelled identified."""
        return [str(p) for p, v in self.labels.items() if v == "identified"]

    def validate(self, min_train: int | None = None, horizon: int = 1) -> Validation:
        """Expanding-window out-of-sample validation (VALIDATION.md FFM-5): for each test session
        k from ``min_train`` on (default: free parameters + 2, at least 4), refit the model on the
        tests before k (same options, no bootstrap) and forecast test k (``horizon`` = 1) or the
        next ``horizon`` tests, beside two baselines fitted to the same tests: the last value and a
        least-squares linear trend over the training tests. Returns a :class:`Validation`."""
        return _validate(self, min_train, horizon)

    @property
    def fitted(self) -> pd.Series:
        """The model's performance on the test days."""
        return self.predicted.loc[self.observed.index]

    @property
    def residuals(self) -> pd.Series:
        """Observed minus fitted, on the test days."""
        return self.observed - self.fitted

    def plot(self, kind: str | None = None, *, ax: Any = None) -> Figure:
        """``"fit"`` (default): the tests, the fitted performance with its 95 % prediction band,
        the residuals and the daily load; with ``ax`` only the performance panel, into it.
        Returns the Figure (:func:`chainload.plots.plot`)."""
        return _display.draw(self, kind, ax)

    def summary(self) -> pd.DataFrame:
        """One row per parameter (index ``param``): ``estimate``, ``se``, ``ci_low``, ``ci_high``
        and the identification ``label`` (the columns of :attr:`uncertainty`), then the fit's
        ``r2``, ``rmse``, ``mae``, ``sse`` and ``n_obs`` on every row (one table, tidy). The
        same facts in words: :meth:`describe`."""
        out = self.uncertainty.set_index("param")
        return out.assign(**{k: float(self.metrics[k]) for k in ("r2", "rmse", "mae", "sse", "n_obs")})

    def describe(self) -> str:
        """A few lines of text: the lift, the metrics and each parameter with its interval."""
        m = self.metrics
        head = f"{self.model} fit" + (f" of {self.exercise}" if self.exercise else "")
        lines = [
            f"{head}: n_obs = {m['n_obs']:.0f}, R² = {m['r2']:.3f}, RMSE = {m['rmse']:.4g}, "
            f"MAE = {m['mae']:.4g}, SSE = {m['sse']:.4g}"
        ]
        for r in self.uncertainty.itertuples():
            ci = f"[{r.ci_low:.4g}, {r.ci_high:.4g}]"
            label = getattr(r, "label", "")
            how = " (MAP, prior)" if getattr(r, "method", "") == "MAP" else ""
            lines.append(f"  {r.param:<12} {r.estimate:12.5g}  SE {r.se:10.3g}  95% CI {ci:<24} {label}{how}")
        for r in self.uncertainty.itertuples():
            if getattr(r, "label", "") in ("not identified", "weakly identified"):
                lines.append(f"    {r.param}: {r.label}: {r.reason}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        m = self.metrics
        head = f"<b>Fit</b> ({html.escape(self.model)})"
        if self.exercise:
            head += f" of {html.escape(self.exercise)}"
        stats = ", ".join(f"{k} = {m[k]:.4g}" for k in ("r2", "rmse", "mae", "sse", "n_obs"))
        units = []
        if self.load_unit:
            units.append(f"load in {html.escape(self.load_unit)}")
        if self.performance_unit:
            units.append(f"performance in {html.escape(self.performance_unit)}")
        notes = "".join(f"<br><i>{html.escape(n)}</i>" for n in self.notes)
        extra = f" ({'; '.join(units)})" if units else ""
        return f"{head}: {stats}{extra}{notes}" + self.uncertainty.round(5).to_html(index=False)

    def __str__(self) -> str:
        return self.describe()

    def __repr__(self) -> str:
        m = self.metrics
        what = f", {self.exercise!r}" if self.exercise else ""
        return f"Fit({self.model}{what}: r2={m['r2']:.3f}, rmse={m['rmse']:.4g}, n_obs={m['n_obs']:.0f})"


def metrics(observed: npt.ArrayLike, fitted: npt.ArrayLike) -> dict[str, float]:
    """Fit metrics of ``fitted`` against ``observed``: ``sse`` = Σ e², ``rmse`` = √(SSE/n),
    ``mae`` = Σ|e|/n, ``r2`` = 1 − SSE/Σ(y − ȳ)² (NaN when the observations are all equal),
    ``n_obs`` = n, with e = observed − fitted."""
    y = np.asarray(observed, dtype=float)
    f = np.asarray(fitted, dtype=float)
    if y.shape != f.shape or y.ndim != 1 or y.size == 0:
        raise ValidationError("observed and fitted must be non-empty 1-d arrays of one length")
    e = y - f
    sse = float(e @ e)
    sst = float(((y - y.mean()) ** 2).sum())
    return {
        "r2": 1.0 - sse / sst if sst > 0 else math.nan,
        "rmse": math.sqrt(sse / y.size),
        "mae": float(np.abs(e).mean()),
        "sse": sse,
        "n_obs": float(y.size),
    }


def _check_model(model: str) -> None:
    if model not in MODELS:
        raise ValidationError(f"unknown model {model!r}; known: {', '.join(MODELS)}")


def _bounds(model: FitModelName, bounds: BoundsArg | None) -> dict[str, tuple[float, float]]:
    out = default_bounds(model)
    if bounds is None:
        return out
    if not isinstance(bounds, Mapping):
        raise ValidationError(f"bounds must be a mapping {{parameter: (low, high) or value}}, got {bounds!r}")
    for name, b in bounds.items():
        if name not in out:
            raise ValidationError(
                f"bounds: unknown parameter {name!r} of the {model} model; known: {', '.join(PARAMS[model])}"
            )
        if isinstance(b, int | float) and not isinstance(b, bool):
            lo = hi = float(b)
        else:
            try:
                lo, hi = (float(v) for v in b)  # type: ignore[union-attr]
            except (TypeError, ValueError):
                raise ValidationError(
                    f"bounds of {name} must be (low, high) or a single value (fixed), got {b!r}"
                ) from None
        out[name] = (lo, hi)
    # NaN, low above high, and the model's own limits: the core's one check, before any work
    names = PARAMS[model]
    _core.fit_check_bounds(model, np.array([out[p][0] for p in names]), np.array([out[p][1] for p in names]))
    return out


def _whole(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValidationError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def _series_1d(x: Any, name: str) -> npt.NDArray[np.float64]:
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ValidationError(f"{name} must be a 1-d series of numbers") from None
    if a.ndim != 1 or a.size == 0:
        raise ValidationError(f"{name} must be a non-empty 1-d series, got shape {a.shape}")
    return a


def _days(index: pd.Index, mask: npt.NDArray[np.bool_], limit: int = 5) -> str:
    pos = np.flatnonzero(mask)
    shown = ", ".join(
        str(index[i].date() if isinstance(index[i], pd.Timestamp) else index[i]) for i in pos[:limit]
    )
    return shown + (f" and {len(pos) - limit} more" if len(pos) > limit else "")


def _fit_series(
    daily_load: Any,
    performance: Any,
    model: FitModelName = "banister",
    starts: int = 20,
    bootstrap: int = 200,
    seed: int = 0,
    bounds: BoundsArg | None = None,
    *,
    test_before_load: bool = False,
    threads: int = 0,
    prior: PriorArg = "population",
    force_targets: list[str] | None = None,
) -> Fit:
    """Fit ``model`` to ``performance`` given ``daily_load`` (one value per day, day 0 first;
    0 on rest days), as dorem and GoldenCheetah do with a load series and tests.

    ``performance`` has one value per day too, NaN on days without a test. ``bounds`` overrides
    the :func:`default_bounds` of some parameters: ``{"tau1": (20, 60)}``, or a single value to
    fix one (``{"tau1": 42, "tau2": 7}`` fits the gains only). With ``test_before_load`` a test
    on day t is taken before that day's training (an e1RM from the session's own sets), so it is
    fitted to the performance at the end of day t−1 (p0 on day 0); ``predicted`` follows the same
    timing. ``starts`` Latin-hypercube starts and ``bootstrap`` resamples are drawn from ``seed``
    (the result depends on nothing else; ``threads``, 0 = all cores, only changes the speed).
    Pandas Series keep their index (``daily_load``'s first) in ``predicted``. Raises
    ValidationError for NaN or negative loads, series of different lengths, no tests, fewer tests
    than free parameters and bad bounds.

    Identifiability: each parameter of :attr:`Fit.uncertainty` gets a ``label`` (``identified``,
    ``weakly identified``, ``not identified``, or ``fixed`` by equal bounds) and its ``reason``
    (:func:`_identify`: at a bound within a relative tolerance, the degenerate Banister limit,
    equally good starts that disagree, or the width of the 95 % interval). With ``prior``
    (default ``"population"``: the time constants' distribution of :class:`chainload.Population`,
    tau1 log-normal around 42 d and tau2 around 7 d, log-SD 0.35) the Banister time constants the
    data cannot determine are estimated by MAP under that prior instead (the gains solved exactly
    for them; Laplace intervals; docs/fitting.md), and ``params`` holds those estimates;
    ``free_params`` keeps the unpenalised best fit. ``prior=None`` never applies one; a mapping
    ``{"tau1": (median, log_sd), ...}`` gives your own.
    """
    _check_model(model)
    starts = _whole(starts, "starts", 1)
    bootstrap = _whole(bootstrap, "bootstrap", 0)
    seed = _whole(seed, "seed", 0)
    threads = _whole(threads, "threads", 0)
    w = _series_1d(daily_load, "daily_load")
    y = _series_1d(performance, "performance")
    if isinstance(daily_load, pd.Series):
        index = daily_load.index
    elif isinstance(performance, pd.Series):
        index = performance.index
    else:
        index = pd.RangeIndex(len(w), name="day")
    if len(w) != len(y):
        raise ValidationError(
            f"daily_load and performance differ in length ({len(w)} and {len(y)}): performance needs "
            "one value per day of the load, NaN on days without a test"
        )
    if (
        isinstance(daily_load, pd.Series)
        and isinstance(performance, pd.Series)
        and not daily_load.index.equals(performance.index)
    ):
        raise ValidationError("daily_load and performance are Series with different indexes")
    if np.isnan(w).any():
        raise ValidationError(f"daily_load is NaN on {_days(index, np.isnan(w))}: use 0 on rest days")
    if np.isinf(w).any() or (w < 0).any():
        raise ValidationError(
            f"daily_load must be finite and >= 0; it is not on {_days(index, ~(w >= 0) | np.isinf(w))}"
        )
    if np.isinf(y).any():
        raise ValidationError(f"performance is infinite on {_days(index, np.isinf(y))}")
    obs = np.flatnonzero(~np.isnan(y))
    b = _bounds(model, bounds)
    free = [p for p, (lo, hi) in b.items() if lo < hi]
    if len(obs) == 0:
        raise ValidationError("no observations: performance is NaN on every day")
    if len(obs) < len(free):
        raise ValidationError(
            f"{len(obs)} observation{'s' if len(obs) != 1 else ''} (days with a performance value) for "
            f"{len(free)} free parameters ({', '.join(free)}): at least one per parameter is needed; fix "
            "some with bounds, e.g. bounds={'tau1': 42, 'tau2': 7}"
        )
    names = PARAMS[model]
    lower = np.array([b[p][0] for p in names])
    upper = np.array([b[p][1] for p in names])
    lag = 1 if test_before_load else 0
    r = _core.fit_model(
        model,
        np.ascontiguousarray(w),
        obs.astype(np.int32),
        np.ascontiguousarray(y[obs]),
        lower,
        upper,
        starts=starts,
        bootstrap=bootstrap,
        seed=seed,
        lag=lag,
        threads=threads,
    )
    params = {p: float(v) for p, v in zip(names, r["params"], strict=True)}
    perf = _core.fit_predict(model, r["params"], np.ascontiguousarray(w))
    if lag:
        perf = np.concatenate([[params["p0"]], perf[:-1]])
    predicted = pd.Series(perf, index=index, name="performance")
    observed = pd.Series(y[obs], index=index[obs], name="performance")
    uncertainty = pd.DataFrame(
        {
            "param": list(names),
            "estimate": r["params"],
            "se": r["se"],
            "ci_low": r["ci_low"],
            "ci_high": r["ci_high"],
        }
    )
    nonlinear = [p for p, v in zip(names, r["start_initial"][0], strict=True) if not np.isnan(v)]
    initial = pd.DataFrame(r["start_initial"], columns=[f"{p}_start" for p in names])
    st = initial[[f"{p}_start" for p in nonlinear]]
    st = pd.concat([st, pd.DataFrame(r["start_params"], columns=list(names))], axis=1)
    st["sse"] = r["start_sse"]
    st["iterations"] = r["start_iterations"]
    st["converged"] = r["start_converged"]
    st["best"] = False
    st.loc[int(np.argmin(r["start_sse"])), "best"] = True
    st.index.name = "start"
    notes = []
    if len(obs) <= len(free) and bootstrap > 0:
        notes.append(
            f"no uncertainty: {len(obs)} tests for {len(free)} free parameters leave no residual to resample"
        )
    labels = _identify(model, params, uncertainty, st, b, free, bootstrap)
    uncertainty["label"] = [labels[p][0] for p in names]
    uncertainty["reason"] = [labels[p][1] for p in names]
    at_bound = [p for p in free if _at_bound(params[p], *b[p])]
    if at_bound:
        notes.append(f"at a bound: {', '.join(f'{p} = {params[p]:g}' for p in at_bound)}")
    if model == "banister" and _cancelling(params):
        notes.append(
            "free fit: tau1 ≈ tau2 with large k1 ≈ k2: fitness and fatigue nearly cancel, so the data do not "
            "separate the two components (their difference acts as one delayed response); read the "
            "intervals, or fix the time constants, e.g. bounds={'tau1': 42, 'tau2': 7}"
        )
    free_params = dict(params)
    spec = {
        "model": model, "load": w, "y": y, "index": index, "bounds": bounds, "starts": starts,
        "seed": seed, "lag": lag, "threads": threads, "prior": prior, "bootstrap": bootstrap,
        "n_free": len(free),
    }  # fmt: skip
    use_prior = _prior_targets(model, prior, b, labels) if force_targets is None else force_targets
    if use_prior:
        params, uncertainty, perf, r, extra = _map_fit(
            model, w, obs, y[obs], b, prior, use_prior, lag, bootstrap, seed, threads, uncertainty
        )
        notes.append(extra)
        if lag:
            perf = np.concatenate([[params["p0"]], perf[:-1]])
        predicted = pd.Series(perf, index=index, name="performance")
    if "method" not in uncertainty:
        uncertainty["method"] = ["fixed" if p not in free else "free" for p in names]
    uncertainty["free_estimate"] = [free_params[p] for p in names]
    return Fit(
        model=model,
        params=params,
        metrics=metrics(y[obs], r["fitted"]),
        uncertainty=uncertainty,
        predicted=predicted,
        observed=observed,
        starts=st,
        bootstrap=pd.DataFrame(r["replicates"], columns=list(names)),
        load=pd.Series(w, index=index, name="load"),
        bounds=b,
        test_before_load=test_before_load,
        notes=notes,
        free_params=free_params,
        _spec={**spec, "targets": use_prior},
    )


def fit_series(
    daily_load: Any,
    performance: Any,
    model: FitModelName = "banister",
    starts: int = 20,
    bootstrap: int = 200,
    seed: int = 0,
    bounds: BoundsArg | None = None,
    *,
    test_before_load: bool = False,
    threads: int = 0,
    prior: PriorArg = "population",
) -> Fit:
    return _fit_series(
        daily_load, performance, model, starts, bootstrap, seed, bounds,
        test_before_load=test_before_load, threads=threads, prior=prior,
    )  # fmt: skip


fit_series.__doc__ = _fit_series.__doc__


@dataclass
class Validation:
    """Expanding-window out-of-sample validation of a :class:`Fit` (:meth:`Fit.validate`).

    ``forecasts``: one row per forecast: ``origin`` (the last training test), ``target`` (the
    test forecast), ``step`` (1 = the next test), ``train`` (tests used), ``observed``, and the
    forecasts of the ``model`` (refitted on the training tests), the ``last_value`` baseline (the
    last training test) and the ``trend`` baseline (least-squares line through the training tests
    against their day). ``errors``: MAE, RMSE and n of each, rows model, last_value, trend.
    """

    forecasts: pd.DataFrame
    errors: pd.DataFrame
    exercise: str | None = None

    @property
    def n(self) -> int:
        """The number of forecasts."""
        return len(self.forecasts)

    @property
    def skill(self) -> float:
        """1 − model MAE / last-value MAE: above 0 when the model forecasts better than the last value."""
        e = self.errors["mae"]
        return float(1.0 - e["model"] / e["last_value"]) if e["last_value"] > 0 else math.nan

    def summary(self) -> pd.DataFrame:
        """:attr:`errors` (rows model, last_value, trend: ``mae``, ``rmse``, ``n``) with each
        method's ``skill`` against the last value (1 − its MAE / the last value's MAE; the model
        row is :attr:`skill`). The same facts in words: :meth:`describe`."""
        mae = self.errors["mae"].astype(float)
        last = mae["last_value"]
        return self.errors.assign(skill=1.0 - mae / last if last > 0 else math.nan)

    def describe(self) -> str:
        """A few lines of text: the forecasts' MAE and RMSE per method and the model's skill."""
        e = self.errors
        what = f" of {self.exercise}" if self.exercise else ""
        lines = [f"out-of-sample{what}: {int(self.n)} forecasts of the next test (expanding window)"]
        for name in e.index:
            lines.append(f"  {name:<11} MAE {e.loc[name, 'mae']:8.4g}  RMSE {e.loc[name, 'rmse']:8.4g}")
        lines.append(f"  skill vs last value: {self.skill:+.1%} (1 − MAE ratio; > 0: the model is better)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()

    def __repr__(self) -> str:
        e = self.errors["mae"]
        return (
            f"Validation(n={int(self.n)}, MAE model {e['model']:.4g}, "
            f"last value {e['last_value']:.4g}, trend {e['trend']:.4g})"
        )


def _validate(fit: Fit, min_train: int | None, horizon: int) -> Validation:
    spec = fit._spec
    if not spec:
        raise ValidationError("validate: this Fit does not carry its fitting options (made by hand?)")
    horizon = _whole(horizon, "horizon", 1)
    y = spec["y"]
    obs = np.flatnonzero(~np.isnan(y))
    n = len(obs)
    m0 = max(int(spec["n_free"]) + 2, 4) if min_train is None else _whole(min_train, "min_train", 2)
    if m0 < int(spec["n_free"]) + 1:
        raise ValidationError(
            f"validate: min_train {m0} is below the free parameters + 1 ({int(spec['n_free']) + 1})"
        )
    if n < m0 + 1:
        raise ValidationError(
            f"validate: {n} tests; at least {m0 + 1} are needed (min_train = {m0} to fit, one to forecast)"
        )
    index = spec["index"]
    rows = []
    for i in range(m0, n):
        yy = np.full(len(y), np.nan)
        yy[obs[:i]] = y[obs[:i]]
        f = _fit_series(
            spec["load"], yy, spec["model"], spec["starts"], 0, spec["seed"], spec["bounds"],
            test_before_load=bool(spec["lag"]), threads=spec["threads"], prior=spec["prior"],
            force_targets=list(spec["targets"]),
        )  # fmt: skip
        days = obs[:i].astype(float)
        slope, icpt = np.polyfit(days, y[obs[:i]], 1)
        for h in range(horizon):
            j = i + h
            if j >= n:
                break
            d = int(obs[j])
            rows.append(
                {
                    "origin": index[obs[i - 1]], "target": index[d], "step": h + 1, "train": i,
                    "observed": float(y[d]), "model": float(f.predicted.iloc[d]),
                    "last_value": float(y[obs[i - 1]]), "trend": float(icpt + slope * d),
                }
            )  # fmt: skip
    fc = pd.DataFrame(rows)
    err = {}
    for name in ("model", "last_value", "trend"):
        e = fc["observed"] - fc[name]
        err[name] = {
            "mae": float(e.abs().mean()),
            "rmse": float(math.sqrt((e**2).mean())),
            "n": float(len(e)),
        }
    return Validation(fc, pd.DataFrame(err).T, fit.exercise)


def _cancelling(params: Mapping[str, float]) -> bool:
    """Banister's degenerate optimum: near-equal time constants with both gains large and close."""
    t1, t2, k1, k2 = params["tau1"], params["tau2"], params["k1"], params["k2"]
    return bool(k1 > 0 and k2 > 0 and abs(t1 - t2) < 0.05 * max(t1, t2) and abs(k1 - k2) < 0.5 * max(k1, k2))


def _at_bound(v: float, lo: float, hi: float) -> str | None:
    """ "lower"/"upper" when ``v`` is within :data:`BOUND_RTOL` (relative) of a finite bound."""
    for name, b in (("lower", lo), ("upper", hi)):
        if math.isfinite(b) and abs(v - b) <= BOUND_RTOL * max(1.0, abs(b)):
            return name
    return None


def _identify(
    model: str,
    params: Mapping[str, float],
    unc: pd.DataFrame,
    starts: pd.DataFrame,
    bounds: Mapping[str, tuple[float, float]],
    free: list[str],
    bootstrap: int,
) -> dict[str, tuple[str, str]]:
    """(label, reason) per parameter, from the first rule that applies:

    1. equal bounds: ``fixed``;
    2. Banister's degenerate limit (tau1 ≈ tau2 within 5 %, k1 ≈ k2 within 50 %, both > 0):
       k1, k2, tau1, tau2 ``not identified`` (fitness and fatigue cancel);
    3. at a bound (:data:`BOUND_RTOL`): ``not identified``, the optimum lies outside the box;
    4. starts within 0.1 % of the best SSE that disagree on the parameter by more than half its
       value: ``not identified`` (a flat likelihood);
    5. no interval (no bootstrap, or no residual to resample): ``not identified``;
    6. the 95 % bootstrap interval: half-width > :data:`NOT_REL` × |estimate| or covering half of
       a finite box: ``not identified``; > :data:`WEAK_REL` × |estimate|: ``weakly identified``;
       else ``identified``.
    """
    out: dict[str, tuple[str, str]] = {}
    ci_low = dict(zip(unc["param"], unc["ci_low"].to_numpy(dtype=float), strict=True))
    ci_high = dict(zip(unc["param"], unc["ci_high"].to_numpy(dtype=float), strict=True))
    degenerate = model == "banister" and _cancelling(params)
    best = float(starts["sse"].min()) if len(starts) else math.nan
    near = starts[starts["sse"] <= best * (1 + 1e-3) + 1e-12] if len(starts) else starts
    for p, (lo, hi) in bounds.items():
        v = params[p]
        if p not in free:
            out[p] = ("fixed", f"fixed at {v:g} by its bounds")
            continue
        if degenerate and p in ("k1", "k2", "tau1", "tau2"):
            out[p] = (
                "not identified",
                f"degenerate Banister limit: tau1 ≈ tau2 ({params['tau1']:.3g}, {params['tau2']:.3g} d) with "
                f"k1 ≈ k2 ({params['k1']:.3g}, {params['k2']:.3g}): fitness and fatigue cancel, the data "
                "do not separate them",
            )
            continue
        side = _at_bound(v, lo, hi)
        if side is not None:
            out[p] = (
                "not identified",
                f"at its {side} bound {lo if side == 'lower' else hi:g}: the data push it out of the box",
            )
            continue
        if len(near) > 1 and p in near:
            spread = float(near[p].max() - near[p].min())
            if spread > 0.5 * max(abs(v), 1e-12):
                out[p] = (
                    "not identified",
                    f"flat likelihood: {len(near)} starts fit equally well (SSE within 0.1 %) with {p} from "
                    f"{near[p].min():.4g} to {near[p].max():.4g}",
                )
                continue
        lo_ci, hi_ci = float(ci_low[p]), float(ci_high[p])
        if not (math.isfinite(lo_ci) and math.isfinite(hi_ci)):
            why = "bootstrap=0" if bootstrap == 0 else "no residual to resample"
            out[p] = ("not identified", f"no interval ({why})")
            continue
        half = (hi_ci - lo_ci) / 2
        rel = half / abs(v) if v != 0 else math.inf
        box = hi - lo
        ci = f"95 % interval [{lo_ci:.4g}, {hi_ci:.4g}]"
        if rel > NOT_REL or (math.isfinite(box) and box > 0 and (hi_ci - lo_ci) >= 0.5 * box):
            out[p] = ("not identified", f"{ci} is wider than the estimate {v:.4g} or covers half of the box")
        elif rel > WEAK_REL:
            out[p] = ("weakly identified", f"{ci}: ±{rel:.0%} of the estimate")
        else:
            out[p] = ("identified", f"{ci}: ±{rel:.0%} of the estimate")
    return out


def _prior_of(prior: Any) -> dict[str, tuple[float, float]]:
    if prior is None:
        return {}
    if isinstance(prior, str):
        if prior != "population":
            raise ValidationError(f"prior must be 'population', None or a mapping, got {prior!r}")
        return dict(POPULATION_PRIOR)
    if not isinstance(prior, Mapping):
        raise ValidationError(f"prior must be 'population', None or a mapping, got {prior!r}")
    out: dict[str, tuple[float, float]] = {}
    for k, v in prior.items():
        if k not in ("tau1", "tau2"):
            raise ValidationError(f"prior: only tau1 and tau2 take a prior, got {k!r}")
        try:
            med, sd = (float(x) for x in v)
        except (TypeError, ValueError):
            raise ValidationError(f"prior[{k!r}] must be (median in days, log-SD), got {v!r}") from None
        if not (med > 0 and sd > 0 and math.isfinite(med) and math.isfinite(sd)):
            raise ValidationError(f"prior[{k!r}]: median and log-SD must be finite and > 0, got {v!r}")
        out[k] = (med, sd)
    return out


def _prior_targets(
    model: str, prior: Any, bounds: Mapping[str, tuple[float, float]], labels: Mapping[str, tuple[str, str]]
) -> list[str]:
    """The time constants to estimate under the prior: free, with a prior, and some Banister
    parameter not identified for a structural reason at the best fit (the degenerate limit, a
    bound, a flat likelihood across starts): the time constants carry the non-identifiability of
    the gains. A parameter only labelled so for its wide bootstrap interval keeps its free
    estimate (the interval says it; the estimate is still the data's)."""
    pri = _prior_of(prior)
    if model != "banister" or not pri:
        return []
    structural = ("degenerate", "at its", "flat likelihood")
    if not any(
        labels[p][0] == "not identified" and labels[p][1].startswith(structural)
        for p in ("k1", "k2", "tau1", "tau2")
    ):
        return []
    return [p for p in ("tau1", "tau2") if p in pri and bounds[p][0] < bounds[p][1]]


def _map_fit(
    model: str,
    w: npt.NDArray[np.float64],
    obs: npt.NDArray[np.intp],
    y: npt.NDArray[np.float64],
    b: Mapping[str, tuple[float, float]],
    prior: Any,
    targets: list[str],
    lag: int,
    bootstrap: int,
    seed: int,
    threads: int,
    free_unc: pd.DataFrame,
) -> tuple[dict[str, float], pd.DataFrame, npt.NDArray[np.float64], dict[str, Any], str]:
    """MAP of the time constants ``targets`` under the log-normal prior, the other parameters
    solved exactly for each (the core's variable projection with the time constants fixed).

    Objective (Gaussian errors of unknown variance, concentrated out): n/2·log SSE(τ) +
    Σ ½((log τ − log median)/log-SD)². Minimised on a log grid over the box, refined twice around
    the best cell. Intervals of the time constants: Laplace (the objective's curvature in log τ);
    of the other parameters: the residual bootstrap with the time constants at their MAP values."""
    pri = _prior_of(prior)
    names = PARAMS[model]
    n = len(y)
    lo = np.array([b[p][0] for p in names])
    hi = np.array([b[p][1] for p in names])
    ti = [names.index(t) for t in targets]
    obs32 = obs.astype(np.int32)
    wc = np.ascontiguousarray(w)
    yc = np.ascontiguousarray(y)

    def solve(logt: npt.NDArray[np.float64], boot: int = 0) -> dict[str, Any]:
        lo2, hi2 = lo.copy(), hi.copy()
        for j, i in enumerate(ti):
            lo2[i] = hi2[i] = min(max(math.exp(logt[j]), lo[i]), hi[i])
        return dict(
            _core.fit_model(
                model, wc, obs32, yc, lo2, hi2, starts=1, bootstrap=boot, seed=seed, lag=lag, threads=threads
            )
        )

    def objective(logt: npt.NDArray[np.float64]) -> float:
        sse = float(solve(logt)["sse"])
        pen = sum(
            0.5 * ((float(logt[j]) - math.log(pri[t][0])) / pri[t][1]) ** 2 for j, t in enumerate(targets)
        )
        return 0.5 * n * math.log(max(sse, 1e-300)) + float(pen)

    box = [(math.log(max(b[t][0], 1e-3)), math.log(b[t][1])) for t in targets]
    centre = np.array([math.log(pri[t][0]) for t in targets])
    width = np.array([(top - bottom) for bottom, top in box])
    best_x, best_f = np.clip(centre, [a for a, _ in box], [z for _, z in box]), math.inf
    for level, k in enumerate((15, 9, 9)):
        if level == 0:
            axes = [np.linspace(a, z, k) for a, z in box]
        else:
            step = width / (15 - 1) / (4 ** (level - 1))
            axes = [
                np.clip(np.linspace(best_x[j] - step[j], best_x[j] + step[j], k), box[j][0], box[j][1])
                for j in range(len(targets))
            ]
        for point in np.array(np.meshgrid(*axes, indexing="ij")).reshape(len(targets), -1).T:
            f = objective(point)
            if f < best_f:
                best_x, best_f = point.copy(), f
    # Laplace: curvature of the objective in log tau (central differences)
    h = 0.02
    k = len(targets)
    hess = np.zeros((k, k))
    for i in range(k):
        for j in range(k):
            ei, ej = np.eye(k)[i] * h, np.eye(k)[j] * h
            hess[i, j] = (
                objective(best_x + ei + ej)
                - objective(best_x + ei - ej)
                - objective(best_x - ei + ej)
                + objective(best_x - ei - ej)
            ) / (4 * h * h)
    try:
        cov = np.linalg.inv(hess)
        se_log = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    except np.linalg.LinAlgError:
        se_log = np.full(k, math.nan)
    r = solve(best_x, bootstrap)
    params = {p: float(v) for p, v in zip(names, r["params"], strict=True)}
    unc = free_unc.copy()
    unc["estimate"] = r["params"]
    unc["se"] = r["se"]
    unc["ci_low"] = r["ci_low"]
    unc["ci_high"] = r["ci_high"]
    for j, t in enumerate(targets):
        i = names.index(t)
        est = params[t]
        unc.loc[i, "ci_low"] = est * math.exp(-1.96 * se_log[j])
        unc.loc[i, "ci_high"] = est * math.exp(1.96 * se_log[j])
        unc.loc[i, "se"] = est * se_log[j]
    unc["method"] = ["MAP" if p in targets else "given MAP time constants" for p in names]
    perf = _core.fit_predict(model, r["params"], wc)
    which = ", ".join(f"{t} ~ log-normal({pri[t][0]:g} d, log-SD {pri[t][1]:g})" for t in targets)
    note = (
        f"not identified by the data: {', '.join(targets)} estimated by MAP under the prior {which} "
        "(gains solved exactly for them; docs/fitting.md); free_params holds the unpenalised fit"
    )
    return params, unc, perf, r, note


def _test_options(formula: str, tests: Mapping[str, Any] | None) -> dict[str, Any]:
    """Options of :func:`chainload.logs.strength_tests` for a fit: ``formula`` "epley" or
    "brzycki", or "rpe" (Brzycki at reps + reps in reserve, only sets with an RPE); ``tests``
    overrides ``max_reps``, ``use_rpe``, ``min_rpe``, ``include_warmups``."""
    if formula not in FORMULAS:
        raise ValidationError(f"unknown 1RM formula {formula!r}; known: {', '.join(FORMULAS)}")
    opts: dict[str, Any] = {"formula": "brzycki" if formula == "rpe" else formula}
    if formula == "rpe":
        opts["require_rpe"] = True
    allowed = {"max_reps", "use_rpe", "min_rpe", "include_warmups", "require_rpe"}
    for k, v in (tests or {}).items():
        if k not in allowed:
            raise ValidationError(f"tests: unknown option {k!r}; known: {', '.join(sorted(allowed))}")
        opts[k] = v
    return opts


def _why_no_tests(log: Log, rows: Any, opts: Mapping[str, Any], bodyweight: float | None) -> str:
    """Why the sets of ``rows`` (a mask of log.sets, None = all) give no strength test, in counts."""
    s = log.sets if rows is None else log.sets[rows]
    parts = [f"{len(s)} sets"]
    warm = s["set_type"] == "warmup"
    if warm.any() and not opts.get("include_warmups", False):
        parts.append(f"{int(warm.sum())} warm-ups")
    w = s[~warm]
    for kind, n in w["not_load"].value_counts().items():
        parts.append(f"{n} {kind}")
    loaded = w[w["not_load"].isna()]
    max_reps = opts.get("max_reps", TEST_MAX_REPS)
    if max_reps is not None:
        n_over = int((loaded["reps"] > max_reps).sum())
        if n_over:
            parts.append(f"{n_over} with more than {max_reps} reps")
    no_w = int((loaded["weight_kg"].fillna(0) <= 0).sum())
    if no_w:
        parts.append(f"{no_w} without load" + ("" if bodyweight else " (bodyweight lifts need bodyweight=)"))
    if opts.get("require_rpe"):
        parts.append(f"{int(loaded['rpe'].isna().sum())} without RPE")
    return ", ".join(parts)


def _volume_load_kg(log: Log, exercise: str, bodyweight: float | None) -> pd.Series:
    """kg × reps of the exercise's work sets per day, with the load of :func:`chainload.e1rm`:
    the logged kg, and for a bodyweight exercise its body share (with ``bodyweight``) plus the
    logged kg (minus it where assisted); an assisted external-load set counts 0 (the logged
    weight is assistance). Sets that are not load (cardio, timed, no reps) count 0."""
    s = log.work_sets()
    s = s[s["exercise"] == exercise]
    ex_id = s["exercise_id"].dropna()
    cat = log.catalogue
    frac = 0.0
    if len(ex_id) and str(ex_id.iloc[0]) in cat:
        e = cat[str(ex_id.iloc[0])]
        frac = e.bodyweight_fraction if e.load == "bodyweight" else 0.0
    logged = np.nan_to_num(s["weight_kg"].to_numpy(dtype=float))
    assisted = s["assisted"].to_numpy(dtype=bool)
    if frac > 0:
        kg = frac * (bodyweight or 0.0) + np.where(assisted, -logged, logged)
    else:
        kg = np.where(assisted, 0.0, logged)
    reps = np.nan_to_num(s["reps"].to_numpy(dtype=float))
    vol = np.where(s["not_load"].isna().to_numpy(), np.clip(kg, 0.0, None) * reps, 0.0)
    return pd.Series(vol, index=s["date"].dt.normalize().to_numpy()).groupby(level=0).sum()


def _muscle_sets(log: Log, muscle: str) -> pd.Series:
    """Fractional work sets on one muscle per day: each matched work set counts by its
    exercise's activation weight on the muscle (sets that are not load count 0)."""
    s = log.work_sets()
    s = s[s["exercise_id"].notna() & s["not_load"].isna()]
    cat = log.catalogue
    weight = np.array([cat[str(e)].activation.get(muscle, 0.0) for e in s["exercise_id"]], dtype=float)
    return pd.Series(weight, index=s["date"].dt.normalize().to_numpy()).groupby(level=0).sum()


def fit(
    log: Log,
    exercise: str | None = None,
    model: FitModelName = "banister",
    formula: Formula = "epley",
    *,
    muscle: str | None = None,
    bodyweight: float | None = None,
    tests: Mapping[str, Any] | None = None,
    **kw: Any,
) -> Fit:
    """Fit ``model`` to one lift of a workout log: its e1RM history against its own training load.

    ``exercise`` is a name as logged or a catalogue id (default: the lift with the most test
    sessions; for an id logged under several names, the name with the most sessions).
    Performance = the lift's strength test of each session day, in kg e1RM
    (:func:`chainload.logs.strength_tests`: the top set by e1RM among work sets of at most 10
    reps to failure, SCIENCE.md 5.1, RPE-adjusted where logged, SCIENCE.md 5.2; ``formula``
    "epley" or "brzycki", or "rpe" for Brzycki at reps + reps in reserve from RPE-logged sets
    only; ``tests`` overrides ``max_reps``, ``use_rpe``, ``min_rpe``, ``include_warmups``;
    ``bodyweight`` for bodyweight lifts). Calendar dates are kept: the series' index is the date.
    Daily load = the lift's volume load that day, Σ kg ×
    reps over its work sets (warm-ups left out), **in tonnes** (kg × reps / 1000) so that k1 and
    k2 read as kg of 1RM per tonne; 0 on days without the lift. Day 0 is the lift's first
    session, the series ends on its last. An e1RM comes from the session's own sets, so it is
    fitted as a test taken before that day's load (``test_before_load=True``). Other keywords
    go to :func:`fit_series` (``starts``, ``bootstrap``, ``seed``, ``bounds`` ...).

    With ``muscle`` (a muscle id) the fit is per muscle group: the daily load is that muscle's
    fractional work sets from every logged exercise (each set × its activation weight on the
    muscle), and the performance the e1RM history of a lift it is a prime mover of (weight 1):
    ``exercise`` if given, else the most-logged such lift.
    """
    if not isinstance(log, Log):
        raise ValidationError(f"fit needs a Log (chainload.read_log), got {type(log).__name__}")
    if len(log) == 0:
        raise ValidationError(f"{log.report.path}: the log is empty (no sets to fit)")
    opts = _test_options(formula, tests)
    est = strength_tests(log, bodyweight=bodyweight, **opts)
    if est.empty:
        raise ValidationError(
            f"{log.report.path}: no set counts as a strength test "
            f"({_why_no_tests(log, None, opts, bodyweight)})"
        )
    counts = est.groupby("exercise").size().sort_values(ascending=False, kind="stable")
    if exercise is not None and exercise not in counts.index and not (est["exercise_id"] == exercise).any():
        logged = (log.sets["exercise"] == exercise) | (log.sets["exercise_id"] == exercise)
        if logged.any():
            raise ValidationError(
                f"{log.report.path}: {exercise!r} has no usable strength observation "
                f"({_why_no_tests(log, logged, opts, bodyweight)})"
            )
    if muscle is not None:
        log.catalogue.graph.index(muscle)  # UnknownNameError with suggestions
        if exercise is None:
            ids = est.groupby("exercise")["exercise_id"].first()
            known = set(log.catalogue.ids)
            prime = [
                n
                for n in counts.index
                if isinstance(ids[n], str)
                and ids[n] in known
                and log.catalogue[str(ids[n])].activation.get(muscle, 0.0) >= 1.0
            ]
            if not prime:
                raise ValidationError(
                    f"no logged lift has '{muscle}' as a prime mover (weight 1): give exercise="
                )
            exercise = str(prime[0])
    if exercise is None:
        name = str(counts.index[0])
    elif exercise in counts.index:
        name = exercise
    else:
        by_id = est.loc[est["exercise_id"] == exercise, "exercise"]
        if by_id.empty:
            near = hint(exercise, [str(i) for i in counts.index])
            raise UnknownNameError(f"no e1RM of exercise {exercise!r} in the log (no such lift logged){near}")
        name = str(counts.loc[by_id.unique()].sort_values(ascending=False, kind="stable").index[0])
    perf = est.loc[est["exercise"] == name].set_index("date")["e1rm_kg"]
    if muscle is not None:
        daily, unit = _muscle_sets(log, muscle), f"fractional sets on {muscle}"
    else:
        daily, unit = _volume_load_kg(log, name, bodyweight) / 1000.0, "t (kg × reps / 1000)"
    start = min(daily.index.min(), perf.index.min())
    days = pd.date_range(start, perf.index.max(), freq="D", name="date")
    load = daily.reindex(days, fill_value=0.0).rename("load")
    performance = perf.reindex(days)
    kw.setdefault("test_before_load", True)
    result = fit_series(load, performance, model, **kw)
    label = f"{name} ({muscle})" if muscle is not None else name
    return dataclasses.replace(result, exercise=label, load_unit=unit, performance_unit="kg e1RM")

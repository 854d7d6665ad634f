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

from . import _core
from ._names import hint
from .errors import UnknownNameError, ValidationError
from .io import Formula, Log, e1rm

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FitModelName = Literal["banister", "saturating"]
MODELS: tuple[str, ...] = ("banister", "saturating")
PARAMS: dict[str, tuple[str, ...]] = {m: tuple(_core.fit_param_names(m)) for m in MODELS}
"""Parameter names of each model, in the order the core uses."""

BoundsArg = Mapping[str, "tuple[float, float] | float"]


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

    @property
    def fitted(self) -> pd.Series:
        """The model's performance on the test days."""
        return self.predicted.loc[self.observed.index]

    @property
    def residuals(self) -> pd.Series:
        """Observed minus fitted, on the test days."""
        return self.observed - self.fitted

    def plot(self, ax: Any = None) -> Figure:
        """The tests (points) and the fitted performance (line) above the daily load (bars).
        With ``ax`` the performance panel is drawn into it (no load panel). Returns the Figure."""
        from matplotlib.figure import Figure

        from .plots import OKABE_ITO

        if ax is None:
            fig = Figure(figsize=(8.0, 4.8), layout="constrained")
            top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1))
        else:
            top, bottom = ax, None
            fig = ax.get_figure()
        x = self.predicted.index
        top.plot(x, self.predicted.to_numpy(), color=OKABE_ITO["blue"], lw=1.5, label=f"{self.model} fit")
        top.plot(
            self.observed.index,
            self.observed.to_numpy(),
            "o",
            color=OKABE_ITO["vermillion"],
            ms=4,
            label="observed",
        )
        unit = f" ({self.performance_unit})" if self.performance_unit else ""
        top.set_ylabel(f"performance{unit}")
        m = self.metrics
        what = self.exercise or "performance"
        top.set_title(
            f"{what}: {self.model} fit, R² = {m['r2']:.2f}, RMSE = {m['rmse']:.3g}, n = {m['n_obs']:.0f}"
        )
        top.legend(loc="best", frameon=False)
        if bottom is not None:
            bottom.bar(x, self.load.to_numpy(), width=1.0, color=OKABE_ITO["grey"])
            lunit = f" ({self.load_unit})" if self.load_unit else ""
            bottom.set_ylabel(f"load{lunit}")
            bottom.set_xlabel("date" if isinstance(x, pd.DatetimeIndex) else "day")
        if isinstance(x, pd.DatetimeIndex):
            from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

            axis = (bottom if bottom is not None else top).xaxis
            locator = AutoDateLocator()  # type: ignore[no-untyped-call]
            axis.set_major_locator(locator)
            axis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        if not isinstance(fig, Figure):  # pragma: no cover - an Axes always belongs to a figure
            raise ValidationError("ax is not attached to a figure")
        return fig

    def summary(self) -> str:
        """A few lines of text: the lift, the metrics and each parameter with its interval."""
        m = self.metrics
        head = f"{self.model} fit" + (f" of {self.exercise}" if self.exercise else "")
        lines = [
            f"{head}: n_obs = {m['n_obs']:.0f}, R² = {m['r2']:.3f}, RMSE = {m['rmse']:.4g}, "
            f"MAE = {m['mae']:.4g}, SSE = {m['sse']:.4g}"
        ]
        for r in self.uncertainty.itertuples():
            ci = f"[{r.ci_low:.4g}, {r.ci_high:.4g}]"
            lines.append(f"  {r.param:<12} {r.estimate:12.5g}  SE {r.se:10.3g}  95% CI {ci}")
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
        if math.isnan(lo) or math.isnan(hi):
            raise ValidationError(f"bounds of {name} contain NaN: ({lo}, {hi})")
        if lo > hi:
            raise ValidationError(f"bounds of {name}: low {lo} is above high {hi}")
        out[name] = (lo, hi)
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
    at_bound = [p for p in free if params[p] in b[p]]
    if at_bound:
        notes.append(f"at a bound: {', '.join(f'{p} = {params[p]:g}' for p in at_bound)}")
    if model == "banister" and _cancelling(params):
        notes.append(
            "tau1 ≈ tau2 with large k1 ≈ k2: fitness and fatigue nearly cancel, so the data do not "
            "separate the two components (their difference acts as one delayed response); read the "
            "intervals, or fix the time constants, e.g. bounds={'tau1': 42, 'tau2': 7}"
        )
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
    )


def _cancelling(params: Mapping[str, float]) -> bool:
    """Banister's degenerate optimum: near-equal time constants with both gains large and close."""
    t1, t2, k1, k2 = params["tau1"], params["tau2"], params["k1"], params["k2"]
    return bool(k1 > 0 and k2 > 0 and abs(t1 - t2) < 0.05 * max(t1, t2) and abs(k1 - k2) < 0.5 * max(k1, k2))


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
    **kw: Any,
) -> Fit:
    """Fit ``model`` to one lift of a workout log: its e1RM history against its own training load.

    ``exercise`` is a name as logged or a catalogue id (default: the lift with the most e1RM
    sessions; for an id logged under several names, the name with the most sessions).
    Performance = the lift's best e1RM of each session day (:func:`chainload.e1rm` with
    ``formula`` and ``bodyweight``), in kg. Daily load = the lift's volume load that day, Σ kg ×
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
    est = e1rm(log, formula, bodyweight=bodyweight)
    if est.empty:
        raise ValidationError(
            f"{log.report.path}: no e1RM could be estimated (no work set with load and reps)"
        )
    counts = est.groupby("exercise").size().sort_values(ascending=False, kind="stable")
    if muscle is not None:
        log.catalogue.graph.index(muscle)  # UnknownNameError with suggestions
        if exercise is None:
            ids = est.groupby("exercise")["exercise_id"].first()
            prime = [n for n in counts.index if log.catalogue[str(ids[n])].activation.get(muscle, 0.0) >= 1.0]
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
            raise UnknownNameError(f"no e1RM of exercise {exercise!r} in the log{near}")
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

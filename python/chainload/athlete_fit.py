"""From a lifter's log to a fitted athlete: every well-tested lift's strength trajectory fitted
jointly, with shared time constants, and bridged to a :class:`~chainload.Athlete`.

>>> af = cl.fit_athlete(log)                 # lifts with >= 8 test days, shared tau1/tau2
>>> af.lifts["bench_press"].summary()        # that lift's Fit (p0, k1, k2 given the shared taus)
>>> af.state("2021-09-12")                   # each lift's fitted e1RM that day
>>> af.athlete()                             # a cl.Athlete whose one_rm is the fitted state at the log's end

A thin layer over :func:`chainload.fit_series`: the daily load of a lift is its volume load
(tonnes, as :func:`chainload.fit`), its observations its strength tests
(:func:`chainload.logs.strength_tests`). The time constants are shared by all lifts (one athlete
recovers at one pace; engine choice) and estimated by MAP under the population prior
(docs/fitting.md §3) over the joint objective Σ_lifts n/2·log SSE + prior; the gains and p0 of each
lift are solved exactly for them, with bootstrap intervals given the shared time constants.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from .athlete import Athlete
from .errors import ValidationError
from .fit import PARAMS, Fit, PriorArg, _bounds, _fit_series, _prior_of, _test_options, _why_no_tests
from .logs import Log, strength_tests

MIN_TESTS = 8
"""Fewest test days for a lift to be fitted (engine choice: 3 free parameters per lift given the
shared time constants, and enough left to validate out of sample)."""


@dataclass
class AthleteFit:
    """What :func:`fit_athlete` returns: one :class:`~chainload.fit.Fit` per lift (catalogue id)
    with the shared time constants, their MAP estimates and 95 % Laplace intervals (``tau``), and
    the lifts left out with the reason (``skipped``)."""

    lifts: dict[str, Fit]
    tau: pd.DataFrame
    skipped: dict[str, str]
    dates: pd.DatetimeIndex
    bodyweight: float | None
    name: str
    notes: list[str] = field(default_factory=list)

    def state(self, date: Any) -> pd.Series:
        """Each lift's fitted e1RM (kg) on ``date`` (a test that day, before its training); a date
        outside the log raises ValidationError naming the log's range."""
        try:
            day = pd.Timestamp(date).normalize()
        except (TypeError, ValueError):
            raise ValidationError(f"state: {date!r} is not a date") from None
        first, last = self.dates[0], self.dates[-1]
        if not first <= day <= last:
            raise ValidationError(f"state: {day.date()} is outside the log ({first.date()} to {last.date()})")
        return pd.Series({ex: float(f.predicted.loc[day]) for ex, f in self.lifts.items()}, name=day)

    def athlete(self, bodyweight: float | None = None) -> Athlete:
        """A :class:`~chainload.Athlete` whose ``one_rm`` is each fitted lift's state on the log's
        last day (other lifts estimated from the catalogue's standards); body mass ``bodyweight``,
        else the one given to :func:`fit_athlete`, else 80 kg."""
        bw = (
            bodyweight if bodyweight is not None else self.bodyweight if self.bodyweight is not None else 80.0
        )
        one_rm = {str(ex): float(v) for ex, v in self.state(self.dates[-1]).items() if 0 < v <= 1000}
        return Athlete(one_rm=one_rm, bodyweight=bw, estimate_missing=True, name=self.name)

    def validate(self) -> pd.DataFrame:
        """Per lift: out-of-sample MAE of the model, the last value and the trend
        (:meth:`Fit.validate`). The shared time constants are held at their joint estimate from
        the whole log, so the model's figures are mildly optimistic."""
        rows = {}
        for ex, f in self.lifts.items():
            try:
                v = f.validate()
            except ValidationError as e:
                self.notes.append(f"{ex}: not validated ({e})")
                continue
            rows[ex] = {"n": v.n, **{f"mae_{k}": float(v.errors.loc[k, "mae"]) for k in v.errors.index}}
        return pd.DataFrame(rows).T

    def summary(self) -> str:
        t = self.tau
        d0, d1 = self.dates[0].date(), self.dates[-1].date()
        lines = [f"{self.name}: {len(self.lifts)} lifts fitted jointly, {d0} to {d1}"]
        for p, r in t.iterrows():
            lines.append(
                f"  {p} = {r['estimate']:.3g} d, 95 % [{r['ci_low']:.3g}, {r['ci_high']:.3g}] (shared, MAP)"
            )
        for ex, f in self.lifts.items():
            lab = f.labels
            gains = ", ".join(f"{p} {f.params[p]:.3g} ({lab[p]})" for p in ("p0", "k1", "k2"))
            lines.append(f"  {ex}: n = {f.metrics['n_obs']:.0f}, RMSE {f.metrics['rmse']:.3g} kg; {gains}")
        for ex, why in self.skipped.items():
            lines.append(f"  left out {ex}: {why}")
        return "\n".join(lines + [f"  note: {n}" for n in self.notes])

    def __repr__(self) -> str:
        tau1 = float(self.tau["estimate"].iloc[0])
        return f"AthleteFit({self.name!r}: {len(self.lifts)} lifts, tau1 {tau1:.3g} d)"


def fit_athlete(
    log: Log,
    *,
    min_tests: int = MIN_TESTS,
    bodyweight: float | None = None,
    formula: str = "epley",
    tests: dict[str, Any] | None = None,
    prior: PriorArg = "population",
    bootstrap: int = 100,
    seed: int = 0,
) -> AthleteFit:
    """Fit every lift of ``log`` with at least ``min_tests`` test days (see the module)."""
    if not isinstance(log, Log):
        raise TypeError(f"fit_athlete needs a Log (chainload.read_log), got {type(log).__name__}")
    if len(log) == 0:
        raise ValidationError(f"{log.report.path}: the log is empty (no sets to fit)")
    pri = _prior_of(prior)
    if not pri or set(pri) != {"tau1", "tau2"}:
        raise ValidationError("fit_athlete needs a prior on both tau1 and tau2 (the shared time constants)")
    opts = _test_options(formula, tests)
    est = strength_tests(log, bodyweight=bodyweight, **opts)
    est = est[est["exercise_id"].isin(set(log.catalogue.ids))]
    if est.empty:
        raise ValidationError(
            f"{log.report.path}: no set of a catalogue lift counts as a strength test "
            f"({_why_no_tests(log, None, opts, bodyweight)})"
        )
    start = log.sets["date"].min().normalize()
    end = log.sets["date"].max().normalize()
    days = pd.date_range(start, end, freq="D", name="date")
    work = log.work_sets()
    lifts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    skipped: dict[str, str] = {}
    for ex_id, g in est.groupby("exercise_id", sort=True):
        perf = g.groupby("date")["e1rm_kg"].max()
        if len(perf) < min_tests:
            skipped[str(ex_id)] = f"{len(perf)} test days (fewer than min_tests = {min_tests})"
            continue
        s = work[(work["exercise_id"] == ex_id) & work["not_load"].isna()]
        kg = np.nan_to_num(s["weight_kg"].to_numpy(dtype=float))
        kg = np.where(s["assisted"].to_numpy(dtype=bool), 0.0, kg)
        vol = pd.Series(
            kg * np.nan_to_num(s["reps"].to_numpy(dtype=float)) / 1000.0, index=s["date"].dt.normalize()
        )
        load = vol.groupby(level=0).sum().reindex(days, fill_value=0.0).to_numpy()
        y = perf.reindex(days).to_numpy()
        lifts[str(ex_id)] = (np.ascontiguousarray(load), y)
    if not lifts:
        raise ValidationError(
            f"{log.report.path}: no lift has {min_tests} test days or more: "
            + "; ".join(f"{k}: {v}" for k, v in skipped.items())
        )
    b = _bounds("banister", None)
    names = PARAMS["banister"]
    lo = np.array([b[p][0] for p in names])
    hi = np.array([b[p][1] for p in names])

    def objective(x: np.ndarray) -> float:
        lo2, hi2 = lo.copy(), hi.copy()
        for j, i in enumerate((3, 4)):
            lo2[i] = hi2[i] = min(max(math.exp(float(x[j])), lo[i]), hi[i])
        total = 0.0
        for load, y in lifts.values():
            obs = np.flatnonzero(~np.isnan(y))
            yo = np.ascontiguousarray(y[obs])
            r = _core.fit_model(
                "banister",
                load,
                obs.astype(np.int32),
                yo,
                lo2,
                hi2,
                starts=1,
                bootstrap=0,
                seed=seed,
                lag=1,
                threads=1,
            )
            total += 0.5 * len(obs) * math.log(max(float(r["sse"]), 1e-300))
        for j, t in enumerate(("tau1", "tau2")):
            total += 0.5 * ((float(x[j]) - math.log(pri[t][0])) / pri[t][1]) ** 2
        return total

    box = [(math.log(b[t][0]), math.log(b[t][1])) for t in ("tau1", "tau2")]
    best_x, best_f = np.array([math.log(pri["tau1"][0]), math.log(pri["tau2"][0])]), math.inf
    width = np.array([z - a for a, z in box])
    for level, k in enumerate((11, 7, 7)):
        if level == 0:
            axes = [np.linspace(a, z, k) for a, z in box]
        else:
            step = width / 10 / (3 ** (level - 1))
            axes = [
                np.clip(np.linspace(best_x[j] - step[j], best_x[j] + step[j], k), *box[j]) for j in range(2)
            ]
        for point in np.array(np.meshgrid(*axes, indexing="ij")).reshape(2, -1).T:
            f = objective(point)
            if f < best_f:
                best_x, best_f = point.copy(), f
    h = 0.02
    hess = np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            ei, ej = np.eye(2)[i] * h, np.eye(2)[j] * h
            hess[i, j] = (
                objective(best_x + ei + ej) - objective(best_x + ei - ej) - objective(best_x - ei + ej)
                + objective(best_x - ei - ej)
            ) / (4 * h * h)  # fmt: skip
    try:
        se = np.sqrt(np.clip(np.diag(np.linalg.inv(hess)), 0.0, None))
    except np.linalg.LinAlgError:
        se = np.full(2, math.nan)
    taus = {t: min(max(math.exp(float(best_x[j])), b[t][0]), b[t][1]) for j, t in enumerate(("tau1", "tau2"))}
    tau = pd.DataFrame(
        {
            "estimate": [taus["tau1"], taus["tau2"]],
            "ci_low": [
                max(taus[t] * math.exp(-1.96 * se[j]), b[t][0]) for j, t in enumerate(("tau1", "tau2"))
            ],
            "ci_high": [
                min(taus[t] * math.exp(1.96 * se[j]), b[t][1]) for j, t in enumerate(("tau1", "tau2"))
            ],
        },
        index=pd.Index(["tau1", "tau2"], name="param"),
    )
    at = [f"{t} = {taus[t]:g}" for t in ("tau1", "tau2") if abs(taus[t] - b[t][1]) <= 1e-6 * b[t][1]]
    fits: dict[str, Fit] = {}
    for ex, (load, y) in lifts.items():
        lf = _fit_series(
            pd.Series(load, index=days), pd.Series(y, index=days), "banister", 1, bootstrap, seed,
            {"tau1": taus["tau1"], "tau2": taus["tau2"]}, test_before_load=True, prior=None,
        )  # fmt: skip
        lf.exercise = ex
        lf.load_unit = "t (kg × reps / 1000)"
        lf.performance_unit = "kg e1RM"
        fits[ex] = lf
    prior_text = ", ".join(f"{t} ~ log-normal({pri[t][0]:g} d, {pri[t][1]:g})" for t in ("tau1", "tau2"))
    notes = [f"shared time constants by MAP under the prior {prior_text}; per-lift intervals are given them"]
    if at:
        notes.append(f"at the upper bound of the box: {', '.join(at)} (the intervals are cut there)")
    return AthleteFit(fits, tau, skipped, days, bodyweight, f"fitted {log.report.path.stem}", notes)


__all__ = ["MIN_TESTS", "AthleteFit", "fit_athlete"]

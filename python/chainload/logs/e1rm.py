"""Estimated one-repetition maximum (e1RM) from logged sets, and which sets count as a strength test.

>>> e1rm(log, formula="epley")        # best e1RM per exercise and session day (every rep count)
>>> strength_tests(log)               # the strength observations a fit uses: top set per session,
...                                   # sets of at most 10 reps to failure, RPE-adjusted where logged
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..catalogue import Catalogue
from ..errors import ValidationError

if TYPE_CHECKING:  # a Log is read by its methods only: log.py imports this module
    from .log import Log

Formula = Literal["epley", "brzycki", "rpe"]
FORMULAS: dict[str, str] = {
    "epley": "w·(1 + r/30), w at r = 1 (Epley 1985)",
    "brzycki": "w·36/(37 − r), r ≤ 36 (Brzycki 1993)",
    "rpe": "w·36/(37 − (r + 10 − RPE)): Brzycki at reps + reps in reserve (Zourdos et al. 2016 RIR scale)",
}


def _log_sets(log: Log, caller: str, include_warmups: bool) -> pd.DataFrame:
    """The work sets of a Log (known by its method: log.py imports this module, not the reverse)."""
    if not callable(getattr(log, "work_sets", None)):
        raise TypeError(f"{caller}: log must be a Log (chainload.read_log), got {type(log).__name__}")
    return log.work_sets(include_warmups)  # type: ignore[no-any-return]


def e1rm(
    log: Log | pd.DataFrame,
    formula: Formula = "epley",
    *,
    bodyweight: float | None = None,
    catalogue: Catalogue | None = None,
    include_warmups: bool = False,
    max_reps: int | None = None,
) -> pd.DataFrame:
    """Best estimated one-repetition maximum per exercise per session day, from the work sets.

    With w the load lifted (kg) and r the reps (SCIENCE.md 5.1):

    * ``"epley"``: 1RM = w·(1 + r/30) (Epley 1985), and w itself at r = 1: Epley gives
      96.8 % (not 100 %) of the 1RM at one rep (Whisenant et al. 2003), so it applies to r > 1.
    * ``"brzycki"``: 1RM = w·36/(37 − r) = w/(1.0278 − 0.0278·r) (Brzycki 1993), for r ≤ 36.
    * ``"rpe"``: where the set has an RPE, the reps to failure are r + (10 − RPE) (RPE 10 = 0
      reps in reserve, RPE 9 = 1 ...; Zourdos et al. 2016, SCIENCE.md 5.2), and the load is
      that fraction of 1RM by Brzycki: 1RM = w / ((37 − (r + 10 − RPE))/36), for
      r + 10 − RPE ≤ 36; sets without an RPE are left out.

    The estimates are good up to about 10 reps and worse beyond (Whisenant et al. 2003);
    ``max_reps`` leaves out sets with more reps. Sets used: not warm-ups (unless
    ``include_warmups``), reps ≥ 1, not ``not_load``, load > 0.

    The load w of an exercise the catalogue (``catalogue``, default the log's) lists as
    bodyweight (pull-up, dip, back extension ...) is the total moved load, body share
    included: ``bodyweight_fraction × bodyweight + logged kg`` (minus the logged kg for an
    assisted variant, ``assisted``), as in :meth:`Athlete.planned_load`. Without
    ``bodyweight`` those sets are left out, as are the sets of assisted external-load
    variants, whose logged weight is assistance, not load.

    Returns a DataFrame with columns exercise (as logged), exercise_id, date (the session day),
    e1rm_kg, and of the best set load_kg (w), weight_kg (as logged), reps and rpe, then sets
    (the sets that day that gave an estimate); sorted by exercise and date.
    """
    if formula not in FORMULAS:
        raise ValidationError(f"unknown 1RM formula {formula!r}; known: {', '.join(FORMULAS)}")
    if isinstance(log, pd.DataFrame):
        s = log if include_warmups else log[log["set_type"] != "warmup"]
        cat = catalogue if catalogue is not None else Catalogue.default()
    else:
        s = _log_sets(log, "e1rm", include_warmups)
        cat = catalogue if catalogue is not None else log.catalogue
    w, ok = _loads(s, cat, bodyweight)
    r = s["reps"].to_numpy(dtype=float)
    ok &= r >= 1
    if max_reps is not None:
        ok &= r <= max_reps
    with np.errstate(divide="ignore", invalid="ignore"):
        if formula == "epley":
            est = np.where(r == 1, w, w * (1 + r / 30))
        elif formula == "brzycki":
            ok &= r <= 36
            est = w * 36 / (37 - r)
        else:
            rpe = s["rpe"].to_numpy(dtype=float)
            to_failure = r + (10 - rpe)
            ok &= np.isfinite(rpe) & (to_failure <= 36)
            est = w * 36 / (37 - to_failure)
    cols = ["exercise", "exercise_id", "date", "e1rm_kg", "load_kg", "weight_kg", "reps", "rpe", "sets"]
    if not ok.any():
        return pd.DataFrame(columns=cols)
    d = s.loc[ok, ["exercise", "exercise_id", "weight_kg", "reps", "rpe"]].copy()
    d["e1rm_kg"] = est[ok]
    d["load_kg"] = w[ok]
    d["date"] = s.loc[ok, "date"].dt.normalize()
    grouped = d.groupby(["exercise", "date"], sort=True)
    best = d.loc[grouped["e1rm_kg"].idxmax()].copy()
    best["sets"] = grouped["e1rm_kg"].size().to_numpy()
    out: pd.DataFrame = best[cols].reset_index(drop=True)
    return out


TEST_MAX_REPS = 10
"""Default most reps to failure of a set that counts as a strength test: the rep–load formulas are
good up to about 10 reps and their error grows beyond (Whisenant et al. 2003, SCIENCE.md 5.1)."""
MIN_TEST_RPE = 6.5
"""Lowest RPE of a set that counts as a strength test where an RPE is logged: below it the set is
more than 3.5 reps from failure, outside the RTS %1RM chart (SCIENCE.md 5.2), and reps-in-reserve
estimates err by more than 2 reps at 7–10 RIR (Hackett et al. 2017, SCIENCE.md 5.2)."""
Selection = Literal["top", "all"]


def _estimate(
    formula: str, w: npt.NDArray[np.float64], r: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    with np.errstate(divide="ignore", invalid="ignore"):
        if formula == "brzycki":
            out: npt.NDArray[np.float64] = np.where(r <= 36, w * 36 / (37 - r), np.nan)
        else:
            out = np.where(r <= 1, w, w * (1 + r / 30))
    return out


def strength_tests(
    log: Log,
    formula: Literal["epley", "brzycki"] = "epley",
    *,
    max_reps: int | None = TEST_MAX_REPS,
    select: Selection = "top",
    use_rpe: bool = True,
    min_rpe: float = MIN_TEST_RPE,
    require_rpe: bool = False,
    bodyweight: float | None = None,
    catalogue: Catalogue | None = None,
    include_warmups: bool = False,
) -> pd.DataFrame:
    """The sets of ``log`` that count as strength observations, with their e1RM.

    A set counts when it is a work set (not a warm-up unless ``include_warmups``) with load and
    reps (the load rules of :func:`e1rm`: body share of bodyweight lifts with ``bodyweight``,
    assisted sets left out), its reps to failure are at most ``max_reps`` (default 10, where the
    rep–load formulas hold: SCIENCE.md 5.1; None for no limit), and, where an RPE is logged and
    ``use_rpe``, its RPE is at least ``min_rpe`` (6.5, :data:`MIN_TEST_RPE`); with
    ``require_rpe`` only sets with an RPE count.

    Reps to failure = reps + (10 − RPE) where an RPE is logged and ``use_rpe`` (RPE 10 = 0 reps in
    reserve; Zourdos et al. 2016, SCIENCE.md 5.2), else the reps (the set is taken as taken to
    failure); the e1RM is ``formula`` (Epley or Brzycki, SCIENCE.md 5.1) at those reps to failure.
    ``select="top"`` keeps the best set per exercise and calendar day (a session's top set),
    ``"all"`` every counting set.

    Returns a DataFrame with columns exercise (as logged), exercise_id, date (the calendar day),
    e1rm_kg, load_kg, weight_kg, reps, rpe, reps_to_failure, line (the set's line in the file) and
    sets (counting sets that exercise and day), sorted by exercise, date and line.
    """
    if formula not in ("epley", "brzycki"):
        raise ValidationError(f"strength_tests: formula must be 'epley' or 'brzycki', got {formula!r}")
    if select not in ("top", "all"):
        raise ValidationError(f"strength_tests: select must be 'top' or 'all', got {select!r}")
    if max_reps is not None and (isinstance(max_reps, bool) or not isinstance(max_reps, int) or max_reps < 1):
        raise ValidationError(
            f"strength_tests: max_reps must be a whole number >= 1 or None, got {max_reps!r}"
        )
    if isinstance(log, pd.DataFrame):
        raise TypeError("strength_tests needs a Log (chainload.read_log), got DataFrame")
    s = _log_sets(log, "strength_tests", include_warmups)
    cat = catalogue if catalogue is not None else log.catalogue
    w, ok = _loads(s, cat, bodyweight)
    r = s["reps"].to_numpy(dtype=float)
    rpe = s["rpe"].to_numpy(dtype=float)
    has_rpe = np.isfinite(rpe) & use_rpe
    rtf = np.where(has_rpe, r + (10 - np.where(has_rpe, rpe, 10.0)), r)
    ok &= r >= 1
    ok &= ~has_rpe | (rpe >= min_rpe)
    if require_rpe:
        ok &= has_rpe
    if max_reps is not None:
        ok &= rtf <= max_reps
    est = _estimate(formula, w, rtf)
    ok &= np.isfinite(est)
    cols = ["exercise", "exercise_id", "date", "e1rm_kg", "load_kg", "weight_kg", "reps", "rpe",
            "reps_to_failure", "line", "sets"]  # fmt: skip
    if not ok.any():
        return pd.DataFrame(columns=cols)
    d = s.loc[ok, ["exercise", "exercise_id", "weight_kg", "reps", "rpe", "line"]].copy()
    d["e1rm_kg"] = est[ok]
    d["load_kg"] = w[ok]
    d["reps_to_failure"] = rtf[ok]
    d["date"] = s.loc[ok, "date"].dt.normalize()
    grouped = d.groupby(["exercise", "date"], sort=True)
    d["sets"] = grouped["e1rm_kg"].transform("size").astype(int)
    if select == "top":
        d = d.loc[grouped["e1rm_kg"].idxmax()]
    out: pd.DataFrame = d.sort_values(["exercise", "date", "line"], kind="stable")[cols].reset_index(
        drop=True
    )
    return out


def _loads(
    s: pd.DataFrame, cat: Catalogue, bodyweight: float | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """(load moved in kg, usable) per set: the logged kg; for a bodyweight exercise its body share
    plus the logged kg (minus it where assisted), usable only with ``bodyweight``; assisted
    external-load sets and sets that are not load are not usable."""
    if bodyweight is not None and not (
        isinstance(bodyweight, int | float) and not isinstance(bodyweight, bool) and 20 <= bodyweight <= 300
    ):
        raise ValidationError(f"bodyweight must be in [20, 300] kg, got {bodyweight!r}")
    fraction = {e.id: e.bodyweight_fraction for e in cat if e.load == "bodyweight"}
    body = s["exercise_id"].map(lambda i: fraction.get(i, 0.0) if isinstance(i, str) else 0.0)
    body_share = body.to_numpy(dtype=float) * (bodyweight or 0.0)
    is_body = body.to_numpy(dtype=float) > 0
    assisted = s["assisted"].to_numpy(dtype=bool)
    logged = np.nan_to_num(s["weight_kg"].to_numpy(dtype=float))
    w = np.where(is_body, body_share + np.where(assisted, -logged, logged), logged)
    ok = (w > 0) & s["not_load"].isna().to_numpy()
    ok &= (~is_body | (bodyweight is not None)) & (is_body | ~assisted)
    return w, ok


__all__ = ["FORMULAS", "MIN_TEST_RPE", "TEST_MAX_REPS", "Formula", "e1rm", "strength_tests"]

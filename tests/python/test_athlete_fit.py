"""cl.fit_athlete / fit_program: the default model fitted jointly over all lifts of a log (issue 12).

Expectations come from the model itself (a synthetic lifter simulated by cl.simulate, independent
of the fit's own replay) or from the measurement model's algebra, never from today's parameter
values, so they hold as size_neural's parameters change."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_fit import STRONG_HEADER, write_log

import chainload as cl
from chainload.athlete_fit import DRAWS, fit_program, response_prior, synthetic_lifter, synthetic_program
from chainload.errors import UnknownNameError, ValidationError
from chainload.simulation import size_neural_params

START = pd.Timestamp("2024-01-01")  # a Monday: the program's day 0
PROGRAM = synthetic_program()


def lifter(seed: int) -> tuple[np.ndarray, dict[str, float], pd.DataFrame]:
    """A synthetic lifter drawn from the population the fit's prior describes (4 % test noise)."""
    return synthetic_lifter(seed, PROGRAM, START)


def test_joint_fit_recovers_a_lifter_and_its_algebra_holds() -> None:
    _, base, tests = lifter(1)
    af = fit_program(PROGRAM, tests, start=START)
    assert af.lifts == sorted(base)
    assert len(af.tests) == 4 * 26
    # least squares in log: each lift's log residuals average to zero (its base is their intercept)
    t = af.tests.assign(r=np.log(af.tests["e1rm_kg"] / af.tests["fitted"]))
    assert t.groupby("exercise_id")["r"].mean().abs().max() < 1e-9
    # 4 % test noise is what the fit sees: each lift's relative error (log-SD) from 26 tests,
    # whose sample SD errs by about 1/sqrt(2 * 25) = 14 %
    assert set(af.sigma) == set(base)
    for s in af.sigma.values():
        assert s == pytest.approx(0.04, rel=0.35)
    # on day 0 the model 1RM is the base (size 1, no neural gain, no fatigue: docs/model.md)
    first = af.tests[af.tests["date"] == START].set_index("exercise_id")["fitted"]
    for lift in ("bench_press", "back_squat"):
        assert first[lift] == pytest.approx(af.params.loc[f"base:{lift}", "estimate"])
        lo, hi = af.params.loc[f"base:{lift}", ["lower", "upper"]]
        assert lo <= base[lift] <= hi
    lab = af.labels
    assert set(lab) <= {"identified", "weakly identified", "not identified"}
    sd = np.sqrt(np.diag(response_prior()[1]))
    for j, name in enumerate(("size_response", "neural_response")):
        # the label follows the posterior-to-prior SD ratio (docs/fitting.md §5)
        lo, hi = af.params.loc[name, ["lower", "upper"]]
        ratio = math.log(hi / lo) / (2 * 1.96) / sd[j]
        want = "identified" if ratio < 0.5 else "weakly identified" if ratio < 0.8 else "not identified"
        assert lab[name] == want, (name, ratio)
    st = af.state("2024-06-03")
    assert list(st.columns) == ["estimate", "lower", "upper"]
    assert (st["lower"] <= st["upper"]).all()
    assert (
        st.loc[[f"one_rm:{x}" for x in af.lifts], "upper"]
        > st.loc[[f"one_rm:{x}" for x in af.lifts], "lower"]
    ).all()
    assert {f"size:{m}" for m in cl.Catalogue.default().graph.ids} <= set(st.index)


@pytest.mark.slow
def test_identified_parameters_are_covered_in_90_to_98_percent_of_200_lifters() -> None:
    """Issue 12's coverage check on the default model: 200 synthetic lifters drawn from the
    population (responses) with 4 % test noise and a test every two weeks. Measured: identified
    parameters inside their 95 % intervals in 93.5 % of 986 parameter-draws (neural response
    91.4 % of 186, base 1RMs 94.0 % of 800); size response labelled not identified in all 200."""
    inside: dict[str, list[bool]] = {}
    size_labels = []
    for seed in range(200):
        u, base, tests = lifter(seed)
        af = fit_program(PROGRAM, tests, start=START)
        p = af.params
        for j, name in enumerate(("size_response", "neural_response")):
            inside.setdefault(p.loc[name, "label"], []).append(
                bool(p.loc[name, "lower"] <= math.exp(u[j]) <= p.loc[name, "upper"])
            )
        size_labels.append(p.loc["size_response", "label"])
        for lift, v in base.items():
            r = p.loc[f"base:{lift}"]
            inside.setdefault(r["label"], []).append(bool(r["lower"] <= v <= r["upper"]))
    ident = inside["identified"]
    assert len(ident) >= 200
    assert 0.90 <= np.mean(ident) <= 0.98, {k: (len(v), np.mean(v)) for k, v in inside.items()}
    # four tests a month cannot tell the size response from the prior: flagged, not reported as an estimate
    assert np.mean([x != "identified" for x in size_labels]) >= 0.95


def test_out_of_sample_the_model_beats_the_last_value_on_synthetic_lifters() -> None:
    """Expanding-window forecasts of the next 4 weeks' tests, pooled over three synthetic
    lifters: the model's MAE is below the last value's (FFM-5's report: out-of-sample beside the
    baselines, in-sample apart)."""
    mae = {"model": [], "last_value": []}
    for seed in (1, 2, 3):
        _, _, tests = lifter(seed)
        v = fit_program(PROGRAM, tests, start=START).validate()
        assert list(v.index) == ["model", "last_value", "trend"]
        assert v.loc["model", "n"] == v.loc["last_value", "n"] > 0
        assert math.isfinite(v.loc["model", "in_sample_rmse"])
        for k in mae:
            mae[k].append(v.loc[k, "mae"] * v.loc[k, "n"])
    assert sum(mae["model"]) < sum(mae["last_value"])


def test_fitted_athlete_gives_prediction_intervals_in_simulate() -> None:
    _, _, tests = lifter(2)
    af = fit_program(PROGRAM, tests, start=START)
    athlete = af.athlete(bodyweight=85)
    assert isinstance(athlete, cl.Athlete) and athlete.bodyweight == 85
    assert len(athlete.parameter_draws) == DRAWS
    assert athlete.one_rm["bench_press"] == pytest.approx(af.params.loc["base:bench_press", "estimate"])
    sim = cl.simulate(synthetic_program(12), athlete)
    band = sim.performance_interval.xs("bench_press", level="exercise")
    assert (band["lower"] <= band["upper"]).all()
    assert (band["upper"] - band["lower"]).iloc[-1] > 0
    # the estimate is the fitted athlete's own run
    assert band["estimate"].to_numpy() == pytest.approx(sim.performance["bench_press"].to_numpy())
    with pytest.raises(ValidationError, match="carries no parameter draws"):
        _ = cl.simulate(synthetic_program(2), cl.Athlete.default()).performance_interval


def test_population_from_fits() -> None:
    fits = [
        fit_program(PROGRAM, lifter(s)[2], start=START, bodyweight=bw) for s, bw in ((1, 80.0), (2, 90.0))
    ]
    pop = cl.Population.from_fits(fits)
    assert len(pop) == 2
    assert pop.athletes["bodyweight"].tolist() == [80.0, 90.0]
    neural = [f.params.loc["neural_response", "estimate"] for f in fits]
    assert pop.size_neural["neural_max"] == pytest.approx(
        np.array(neural) * size_neural_params("trained")["neural_max"]
    )
    # strength level: geometric mean of base / (standard × body mass) over the fitted lifts
    cat = cl.Catalogue.default()
    f = fits[1]
    want = math.exp(
        np.mean(
            [
                math.log(f.params.loc[f"base:{x}", "estimate"] / (cat[x].standard_1rm_bw * 90.0))
                for x in f.lifts
            ]
        )
    )
    assert pop.athletes["strength"].iloc[1] == pytest.approx(want)
    with pytest.raises(ValidationError, match="non-empty list"):
        cl.Population.from_fits([])
    with pytest.raises(ValidationError, match="item 0 is a str"):
        cl.Population.from_fits(["x"])


def test_fit_athlete_on_a_log_by_hand(tmp_path: Path) -> None:
    log = cl.read_log(write_log(tmp_path))
    af = cl.fit_athlete(log)
    assert af.lifts == ["bench_press"]  # 8 test days; the squat's 2 are too few
    assert af.skipped == {"back_squat": "2 test days (fewer than min_tests = 4)"}
    # the observations are the strength tests: 80 x 5 on the first day -> Epley 93.33 kg
    first = af.tests.iloc[0]
    assert first["date"] == pd.Timestamp("2024-01-01") and first["e1rm_kg"] == pytest.approx(
        80 * (1 + 5 / 30)
    )
    assert af.dates[0] == pd.Timestamp("2024-01-01") and af.dates[-1] == pd.Timestamp("2024-01-24")
    assert "1 lifts" in af.describe()
    with pytest.raises(ValidationError, match=r"2023-12-31 is outside the log \(2024-01-01 to 2024-01-24\)"):
        af.state("2023-12-31")
    with pytest.raises(ValidationError, match="not a date"):
        af.state("someday")


def test_fit_athlete_bad_input(tmp_path: Path) -> None:
    """Must-have 7: each bad input is a clear error naming what is at fault."""
    base = write_log(tmp_path).read_text(encoding="utf-8")
    curls = "".join(
        f'2024-01-0{d} 08:00:00,"C",1h,"Bicep Curl (Dumbbell)",1,12,15,0,0,,,\n' for d in (2, 4, 6)
    )
    p = tmp_path / "curls.csv"
    p.write_text(base + curls, encoding="utf-8")
    log = cl.read_log(p)
    # a lift with no usable strength observation: which and why (15 reps, above the 10 of SCIENCE.md 5.1)
    with pytest.raises(
        ValidationError,
        match=r"lift 'Bicep Curl \(Dumbbell\)' has no usable strength observation .*3 with more than 10 reps",
    ):
        cl.fit_athlete(log, ["Bicep Curl (Dumbbell)"])
    # a lift absent from the log
    with pytest.raises(UnknownNameError, match="lift 'Deadlift' is not in the log"):
        cl.fit_athlete(log, ["Deadlift"])
    # too few tests of every lift
    with pytest.raises(ValidationError, match="no lift has 9 test days or more"):
        cl.fit_athlete(log, min_tests=9)
    # an empty log
    empty = cl.read_log(Path(__file__).parent / "fixtures" / "logs" / "header_only_hevy.csv")
    with pytest.raises(ValidationError, match="the log is empty"):
        cl.fit_athlete(empty)
    with pytest.raises(TypeError, match="needs a Log"):
        cl.fit_athlete(pd.DataFrame())  # type: ignore[arg-type]
    assert STRONG_HEADER  # the fixture's header, shared with test_fit

"""Prediction intervals in cl.trial for a population of fitted lifters (issue 12, must-have 5).

Every expectation follows from the design (docs/fitting.md §6, chainload.trial): each arm runs on
the point (MAP) population and on its parameter draws, the test noise of athlete i held the same
on every draw; an athlete's interval is the quantiles of its per-draw outcomes, and a draw run
alone as a plain population with the same seed is that draw, bit for bit."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import chainload as cl
from chainload.athlete_fit import DRAWS, AthleteFit, fit_program, synthetic_lifter, synthetic_program
from chainload.errors import ValidationError

START = pd.Timestamp("2024-01-01")
PROGRAM = synthetic_program()
ARM = synthetic_program(12)
ARMS = {"12 weeks": ARM, "6 weeks, 6 off": cl.Program.concat([ARM.with_weeks(6), cl.Program.rest(6)])}
TESTS = ["bench_press", "back_squat"]


@pytest.fixture(scope="module")
def fits() -> list[AthleteFit]:
    return [fit_program(PROGRAM, synthetic_lifter(s, PROGRAM, START)[2], start=START) for s in (1, 2, 3)]


def scaled(f: AthleteFit, sd: float) -> AthleteFit:
    """The same fit with its posterior SDs (responses and bases) times ``sd``."""
    return dataclasses.replace(f, cov=f.cov * sd**2, base_cond_se=f.base_cond_se * sd)


def point(pop: cl.Population) -> cl.Population:
    return dataclasses.replace(pop, parameter_draws=())


def test_intervals_are_the_quantiles_of_the_draws_each_run_alone(fits: list[AthleteFit]) -> None:
    pop = cl.Population.from_fits(fits)
    assert len(pop.parameter_draws) == DRAWS
    t = cl.trial(ARMS, pop, tests=TESTS, seed=3, n_boot=200)
    assert t.n_draws == DRAWS and t.level == 0.95 and t.outcomes.attrs["interval_level"] == 0.95
    o = t.outcomes
    for c in ("change_lo", "change_hi", "change_pct_lo", "change_pct_hi"):
        assert c in o.columns
    v = t.values("12 weeks", "1rm:bench_press")
    assert list(v.columns[4:]) == ["change_lo", "change_hi", "change_pct_lo", "change_pct_hi"]
    # the point values are the MAP population's own trial, bit for bit
    pt = cl.trial(ARMS, point(pop), tests=TESTS, seed=3, n_boot=200)
    pd.testing.assert_frame_equal(o[pt.outcomes.columns], pt.outcomes)
    assert "change_pct_lo" not in pt.outcomes and pt.n_draws == 0
    # draw k is the trial of population draw k alone (same seed, hence the same test noise)
    per_draw = np.array(
        [
            cl.trial(ARMS, d, tests=TESTS, seed=3, n_boot=1).outcomes["change_pct"].to_numpy()
            for d in pop.parameter_draws
        ]
    )
    np.testing.assert_allclose(o["change_pct_lo"], np.quantile(per_draw, 0.025, axis=0), rtol=1e-12)
    np.testing.assert_allclose(o["change_pct_hi"], np.quantile(per_draw, 0.975, axis=0), rtol=1e-12)
    one_rm = o[o["outcome"].str.startswith("1rm:")]
    assert (one_rm["change_pct_hi"] - one_rm["change_pct_lo"] > 0.5).all()  # percentage points
    # level=0.5: the quartiles, inside the 95 % interval
    half = cl.trial(ARMS, pop, tests=TESTS, seed=3, n_boot=200, level=0.5).outcomes
    assert half.attrs["interval_level"] == 0.5
    np.testing.assert_allclose(half["change_pct_lo"], np.quantile(per_draw, 0.25, axis=0), rtol=1e-12)
    assert (half["change_pct_lo"] >= o["change_pct_lo"]).all() and (
        half["change_pct_hi"] <= o["change_pct_hi"]
    ).all()


def test_zero_spread_gives_zero_width_equal_to_the_point_trial(fits: list[AthleteFit]) -> None:
    pop = cl.Population.from_fits([scaled(f, 0.0) for f in fits])
    t = cl.trial(ARMS, pop, tests=TESTS, seed=5, n_boot=300)
    pt = cl.trial(ARMS, point(pop), tests=TESTS, seed=5, n_boot=300)
    o = t.outcomes
    np.testing.assert_array_equal(o["change_pct_lo"], o["change_pct_hi"])
    np.testing.assert_array_equal(o["change_pct_lo"], pt.outcomes["change_pct"])
    np.testing.assert_array_equal(o["change_lo"], pt.outcomes["change"])
    # every bootstrap resample sees the same athletes on an identical draw: the point trial's CIs
    for outcome in ("1rm:bench_press", "size:quadriceps"):
        e, pe = (
            t.effect("12 weeks", "6 weeks, 6 off", outcome),
            pt.effect("12 weeks", "6 weeks, 6 off", outcome),
        )
        np.testing.assert_allclose(e.to_numpy(), pe.to_numpy(), rtol=1e-12, equal_nan=True)
    s, ps = t.summary(), pt.summary()
    np.testing.assert_allclose(s["change_pct_ci_low"], ps["change_pct_ci_low"], rtol=1e-12)


def test_wider_draws_give_wider_intervals(fits: list[AthleteFit]) -> None:
    """Four copies of one fitted lifter, without test noise: at the point they are one athlete, so
    the effect's and the summary's bootstrap intervals have zero width there; with parameter
    draws (independent for each copy) they widen with the posterior SD."""

    def widths(sd: float) -> tuple[float, float, float]:
        pop = cl.Population.from_fits([scaled(fits[0], sd)] * 4)
        t = cl.trial(ARMS, pop, tests=TESTS, seed=1, noise_cv=0.0, n_boot=500)
        o = t.outcomes[t.outcomes["outcome"] == "1rm:back_squat"]
        e = t.effect("12 weeks", "6 weeks, 6 off", "1rm:back_squat").loc["mean_pct_difference"]
        s = t.summary(["1rm:back_squat"]).iloc[0]
        return (
            float((o["change_pct_hi"] - o["change_pct_lo"]).mean()),
            float(e["ci_high"] - e["ci_low"]),
            float(s["change_pct_ci_high"] - s["change_pct_ci_low"]),
        )

    assert widths(0.0) == (0.0, 0.0, 0.0)
    w1, w2 = widths(1.0), widths(2.0)
    assert min(w1) > 0
    # twice the posterior SD: about twice the width (the model bends it a little)
    for one, two in zip(w1, w2, strict=True):
        assert 1.5 * one < two < 2.5 * one


def test_the_same_draws_in_every_arm_and_the_same_seed_the_same_trial(fits: list[AthleteFit]) -> None:
    pop = cl.Population.from_fits(fits)
    same = {"a": ARM, "b": ARM}
    t = cl.trial(same, pop, tests=TESTS, seed=2, n_boot=200, noise_cv=0.0)
    # paired draws: two identical arms differ by exactly 0 on every draw and every resample
    e = t.effect("a", "b", "size:quadriceps").loc["mean_difference"]
    assert (e["estimate"], e["ci_low"], e["ci_high"]) == (0.0, 0.0, 0.0)
    a = cl.trial(ARMS, pop, tests=TESTS, seed=2, n_boot=200)
    b = cl.trial(ARMS, pop, tests=TESTS, seed=2, n_boot=200, threads=1)
    pd.testing.assert_frame_equal(a.outcomes, b.outcomes)
    pd.testing.assert_frame_equal(a.effect(*ARMS, "1rm:bench_press"), b.effect(*ARMS, "1rm:bench_press"))
    c = cl.trial(ARMS, pop, tests=TESTS, seed=4, n_boot=200)
    assert not np.array_equal(a.outcomes["change_pct_lo"], c.outcomes["change_pct_lo"])
    # the population's draws are seeded too
    again = cl.Population.from_fits(fits)
    np.testing.assert_array_equal(
        again.parameter_draws[7].size_neural["neural_max"], pop.parameter_draws[7].size_neural["neural_max"]
    )
    other = cl.Population.from_fits(fits, seed=1)
    assert not np.array_equal(
        other.parameter_draws[7].size_neural["neural_max"], pop.parameter_draws[7].size_neural["neural_max"]
    )


def test_fitted_athletes_carry_their_own_draws(fits: list[AthleteFit]) -> None:
    athletes = [f.athlete(draws=20, seed=0) for f in fits]
    pop = cl.Population.from_fits(athletes)
    by_fit = cl.Population.from_fits(fits, draws=20)
    assert len(pop.parameter_draws) == 20
    # the point is each fit's MAP, either way
    pd.testing.assert_frame_equal(pop.athletes, by_fit.athletes)
    np.testing.assert_allclose(pop.size_neural["neural_max"], by_fit.size_neural["neural_max"], rtol=1e-12)
    # each draw is one of the athlete's own posterior draws (in a seeded random order)
    neural = {float(d.params["neural_max"]) for d in athletes[1].parameter_draws}
    assert {float(p.size_neural["neural_max"][1]) for p in pop.parameter_draws} == neural
    assert len(cl.Population.from_fits(athletes, draws=5).parameter_draws) == 5
    t = cl.trial(ARMS, pop, tests=TESTS, draws=10, n_boot=100)
    assert t.n_draws == 10


def test_bad_input_names_the_argument(fits: list[AthleteFit]) -> None:
    pop = cl.Population.from_fits(fits, draws=10)
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValidationError, match=r"trial\(\): draws must be a whole number >= 1"):
            cl.trial(ARMS, pop, tests=TESTS, draws=bad)
    with pytest.raises(ValidationError, match="draws=11 but the population carries 10 parameter draws"):
        cl.trial(ARMS, pop, tests=TESTS, draws=11)
    with pytest.raises(ValidationError, match="carries 0 parameter draws .Population.from_fits"):
        cl.trial(ARMS, cl.Population.sample(5), tests=TESTS, draws=1)
    for level in (0, 1, 95, "0.9"):
        with pytest.raises(ValidationError, match=r"trial\(\): level must be a number in \(0, 1\)"):
            cl.trial(ARMS, pop, tests=TESTS, level=level)
    for bad in (0, -3, 1.5):
        with pytest.raises(ValidationError, match="from_fits: draws must be a whole number > 0"):
            cl.Population.from_fits(fits, draws=bad)
    with pytest.raises(ValidationError, match="item 1 is a FittedAthlete without parameter draws, mixed"):
        cl.Population.from_fits([fits[0], fits[1].athlete(draws=0)])
    with pytest.raises(ValidationError, match="item 1 is an Athlete without a fit"):
        cl.Population.from_fits([fits[0], cl.Athlete.default()])
    with pytest.raises(ValidationError, match="draws=30 but item 0 carries 20 parameter draws"):
        cl.Population.from_fits([fits[0].athlete(draws=20), fits[1]], draws=30)
    with pytest.raises(ValidationError, match="different numbers of parameter draws"):
        cl.Population.from_fits([fits[0].athlete(draws=20), fits[1]])
    # fitted athletes without any draws: a point population, and no draws to ask for
    flat = cl.Population.from_fits([f.athlete(draws=0) for f in fits])
    assert flat.parameter_draws == ()
    with pytest.raises(ValidationError, match="draws=3 but the athletes carry no parameter draws"):
        cl.Population.from_fits([f.athlete(draws=0) for f in fits], draws=3)


def test_a_sweep_refuses_parameter_draws_instead_of_dropping_them(fits: list[AthleteFit]) -> None:
    # sweep runs one parameter set per athlete: silently using the MAP would drop the draws
    pop = cl.Population.from_fits(fits, draws=5)
    with pytest.raises(
        ValidationError, match="carries 5 parameter draws of fitted lifters: use chainload.trial"
    ):
        cl.sweep([cl.Variant({"program": "arm"}, ARM)], pop, weeks=4)
    flat = pop.without_draws()
    assert flat.parameter_draws == () and len(flat) == len(pop)
    assert cl.sweep([cl.Variant({"program": "arm"}, ARM)], flat, weeks=4).outcomes.shape[0] == len(pop)

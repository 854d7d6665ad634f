"""Virtual trials (cl.trial), breaks and phases (Program.rest / concat), the battery comparison.

Numbers are worked out by hand in the comments; effect sizes follow VALIDATION.md's definition
(an arm's mean change / the between-athlete SD of its pre-test, SD with ddof = 1).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import chainload as cl
from chainload.program import Prescription, Program, Session
from chainload.trial import BATTERY, Trial, check_status

SQUAT = Prescription("back_squat", 3, (8, 12), rir=1)
BENCH = Prescription("bench_press", 3, (8, 12), rir=1)


def three_days(weeks: int, name: str = "full body", sets: int = 3) -> Program:
    pres = [
        Prescription("back_squat", sets, (8, 12), rir=1),
        Prescription("bench_press", sets, (8, 12), rir=1),
    ]
    return Program.repeat(name, [Session(d, pres) for d in ("mon", "wed", "fri")], weeks)


@pytest.fixture(scope="module")
def pop() -> cl.Population:
    return cl.Population.sample(n=60, seed=3)


# --- breaks and phases ------------------------------------------------------------------------------
def test_rest_is_weeks_without_sessions():
    r = Program.rest(3)
    assert (r.n_weeks, r.n_days, r.n_sessions, r.exercises()) == (3, 21, 0, [])
    assert r.name == "rest (3 weeks)" and Program.rest(1).name == "rest (1 week)"
    for bad in (0, -1, 2.5, True):
        with pytest.raises(cl.ValidationError, match="rest weeks must be a whole number"):
            Program.rest(bad)


def test_concat_counts_weeks_sessions_and_days():
    a = three_days(4, "A")  # 4 weeks x 3 sessions = 12
    b = Program.repeat("B", [Session("tue", [SQUAT]), Session("thu", [BENCH])], 2)  # 2 x 2 = 4
    p = Program.concat([a, Program.rest(3), b])
    assert (p.n_weeks, p.n_days, p.n_sessions) == (4 + 3 + 2, 63, 12 + 0 + 4)
    assert p.name == "A + rest (3 weeks) + B"
    days = [d for _w, d, _s, _p in p.occurrences()]
    # A's last session: Friday of week 4 = day 3*7 + 4 = 25; B's first: Tuesday of week 8 = 7*7 + 1 = 50
    assert max(d for d in days if d < 49) == 25 and min(d for d in days if d >= 28) == 50
    assert Program.concat([a, b], name="AB").name == "AB"


def test_concat_shifts_deload_weeks_and_refuses_different_factors():
    a = Program.repeat("A", [Session("mon", [SQUAT])], 4, deload_weeks=[2])
    b = Program.repeat("B", [Session("mon", [SQUAT])], 3, deload_weeks=[1])
    p = Program.concat([a, Program.rest(2), b])
    assert p.deload_weeks == (2, 4 + 2 + 1)
    c = Program.repeat("C", [Session("mon", [SQUAT])], 3, deload_weeks=[3], deload_sets_factor=0.3)
    with pytest.raises(cl.ValidationError, match="deload factors differ"):
        Program.concat([a, c])
    with pytest.raises(cl.ValidationError, match="needs at least one program"):
        Program.concat([])
    with pytest.raises(cl.ValidationError, match="item #2 is not a Program"):
        Program.concat([a, "rest"])  # type: ignore[list-item]


def test_concat_carries_progression_state_of_equal_prescriptions():
    """Equal prescriptions share one progression state: +2.5 kg per session through both phases."""
    lin = Prescription("back_squat", 3, 5, kg=100, progression=cl.Progression("linear", 2.5))
    a = Program.repeat("A", [Session("mon", [lin])], 2)
    p = Program.concat([a, Program.rest(1), a])
    log = cl.simulate(p, cl.Athlete(one_rm={"back_squat": 200}, bodyweight=80)).sessions
    # 4 sessions on days 0, 7, 21, 28, each 2.5 kg above the last (none fails at <= 107.5 kg of a 200 kg 1RM)
    assert log["day"].tolist() == [0, 7, 21, 28]
    assert log["kg"].tolist() == [100.0, 102.5, 105.0, 107.5]


def test_rest_weeks_in_toml_round_trip(tmp_path):
    text = """
name = "train, rest, train"
[[week]]
session = [{ day = "mon", exercise = [{ exercise = "back_squat", sets = 3, reps = 5, percent_1rm = 80 }] }]
[[week]]
[[week]]
session = []
[[week]]
session = [{ day = "wed", exercise = [{ exercise = "bench_press", sets = 2, reps = 5, percent_1rm = 75 }] }]
"""
    p = Program.loads(text)
    assert (p.n_weeks, p.n_sessions, [len(w) for w in p.weeks]) == (4, 2, [1, 0, 0, 1])
    assert Program.loads(p.dumps()) == p
    r = Program.rest(2)
    assert Program.loads(r.dumps()) == r
    path = tmp_path / "phases.toml"
    Program.concat([three_days(1), Program.rest(2)]).save(path)
    assert [len(w) for w in Program.load(path).weeks] == [3, 0, 0]


def test_a_rest_program_gives_no_dose():
    sim = cl.simulate(Program.rest(2))
    assert sim.n_days == 14 and float(sim.arrays["dose"].sum()) == 0.0


# --- effects by hand --------------------------------------------------------------------------------
def hand_table() -> pd.DataFrame:
    """Arm A: pre 100, 110, 120 -> post 110, 121, 126 (changes 10, 11, 6; 10 %, 10 %, 5 %).
    Arm B: pre 100, 110, 120 -> post 105, 110, 120 (changes 5, 0, 0; 5 %, 0 %, 0 %)."""
    rows = []
    for arm, post in (("A", [110, 121, 126]), ("B", [105, 110, 120])):
        for i, (pre, po) in enumerate(zip([100, 110, 120], post, strict=True)):
            rows.append({"arm": arm, "athlete": i, "outcome": "1rm:x", "pre": float(pre), "post": float(po)})
    return pd.DataFrame(rows)


def test_effect_statistics_by_hand():
    t = Trial(hand_table(), n_boot=200)
    e = t.effect("A", "B", "1rm:x")["estimate"]
    # SD of the pre-test (100, 110, 120) = 10; mean change A = 9, B = 5/3
    assert e["es_a"] == pytest.approx(0.9)
    assert e["es_b"] == pytest.approx(1 / 6)
    assert e["smd_difference"] == pytest.approx(0.9 - 1 / 6)
    assert e["mean_difference"] == pytest.approx(9 - 5 / 3)
    # mean % changes: A (10 + 10 + 5) / 3 = 8.333, B 5 / 3 = 1.667: ratio 5, difference 6.667 points
    assert e["ratio"] == pytest.approx(5.0)
    assert e["mean_pct_difference"] == pytest.approx(25 / 3 - 5 / 3)
    s = t.summary().set_index("arm")
    assert s.loc["A", "change"] == pytest.approx(9.0) and s.loc["A", "es"] == pytest.approx(0.9)
    assert s.loc["B", "change_pct"] == pytest.approx(5 / 3)


def test_paired_bootstrap_interval_by_hand():
    """Two athletes, changes A = 2 and 6, B = 0 and 0. A paired resample of two athletes has a
    mean difference of 2 (both athlete 0, p = 1/4), 4 (p = 1/2) or 6 (p = 1/4): the 2.5 % and
    97.5 % percentiles are exactly 2 and 6. The pre-test has no spread: no effect size."""
    rows = [
        {"arm": arm, "athlete": i, "outcome": "size:m", "pre": 1.0, "post": 1.0 + d}
        for arm, ds in (("A", [0.02, 0.06]), ("B", [0.0, 0.0]))
        for i, d in enumerate(ds)
    ]
    e = Trial(pd.DataFrame(rows), n_boot=4000, seed=5).effect("A", "B", "size:m")
    md = e.loc["mean_difference"]
    assert md["estimate"] == pytest.approx(0.04)
    assert (md["ci_low"], md["ci_high"]) == (pytest.approx(0.02), pytest.approx(0.06))
    assert math.isnan(e.loc["es_a", "estimate"])
    # Resamples are seeded: the same table and seed give the same interval.
    again = Trial(pd.DataFrame(rows), n_boot=4000, seed=5).effect("A", "B", "size:m")
    pd.testing.assert_frame_equal(e, again)


def test_effect_names_an_unknown_arm_or_outcome():
    t = Trial(hand_table())
    with pytest.raises(cl.UnknownNameError, match="unknown arm 'a'.*did you mean 'A'"):
        t.effect("a", "B", "1rm:x")
    with pytest.raises(cl.UnknownNameError, match="unknown outcome '1rm:y'.*did you mean '1rm:x'"):
        t.effect("A", "B", "1rm:y")
    with pytest.raises(cl.ValidationError, match="missing column"):
        Trial(hand_table().drop(columns="pre"))
    with pytest.raises(cl.ValidationError, match="0 athletes"):
        Trial(hand_table().iloc[:0])


# --- running trials ---------------------------------------------------------------------------------
def test_no_training_gives_zero_change_and_the_true_pre_test(pop):
    t = cl.trial({"rest": Program.rest(6), "train": three_days(6)}, pop, noise_cv=0.0)
    rest = t.outcomes[t.outcomes["arm"] == "rest"]
    assert len(rest) == len(pop) * t.outcomes["outcome"].nunique()
    assert (rest["change"] == 0).all() and (rest["change_pct"] == 0).all()
    # Without noise the pre-test is the day-0 1RM: catalogue standard x body mass x strength level
    # (back squat 1.5 x body mass, exercises.toml).
    squat = t.values("rest", "1rm:back_squat")["pre"].to_numpy()
    ath = pop.athletes
    np.testing.assert_allclose(squat, 1.5 * ath["bodyweight"] * ath["strength"], rtol=1e-12)
    assert {f"1rm:{x}" for x in BATTERY} <= set(t.outcome_names)
    assert {"size:quadriceps", "chain:posterior", "chain:anterior"} <= set(t.outcome_names)
    trained = t.values("train", "1rm:back_squat")["change"]
    assert (trained > 0).mean() > 0.9  # training raises the squat of almost every athlete


def test_same_seed_gives_identical_trials_for_1_and_2_threads(pop):
    arms = {"3 sets": three_days(4), "1 set": three_days(4, sets=1)}
    one = cl.trial(arms, pop, seed=7, threads=1, tests=["back_squat", "deadlift"])
    two = cl.trial(arms, pop, seed=7, threads=2, tests=["back_squat", "deadlift"])
    pd.testing.assert_frame_equal(one.outcomes, two.outcomes, check_exact=True)
    other = cl.trial(arms, pop, seed=8, threads=2, tests=["back_squat", "deadlift"])
    assert not np.array_equal(one.outcomes["pre"], other.outcomes["pre"])


def test_test_noise_is_independent_at_pre_and_post(pop):
    """With CV c at each test, post/pre of an unchanged athlete has SD c·√2 (0.0594 for 4.2 %)."""
    big = cl.Population.sample(n=2000, seed=1)
    t = cl.trial({"rest": Program.rest(1)}, big, tests=["back_squat"], seed=2)
    v = t.values("rest", "1rm:back_squat")
    sd = float((v["post"] / v["pre"]).std(ddof=1))
    assert sd == pytest.approx(0.042 * math.sqrt(2), rel=0.05)  # SE of an SD at n = 2000: 1.6 %


def test_doubling_the_noise_leaves_the_mean_effect_inside_its_ci(pop):
    big = cl.Population.sample(n=300, seed=4)
    arms = {"train": three_days(8), "rest": Program.rest(8)}
    e1 = cl.trial(arms, big, seed=1).effect("train", "rest", "1rm:back_squat")
    e2 = cl.trial(arms, big, seed=1, noise_cv=0.084).effect("train", "rest", "1rm:back_squat")
    for stat in ("mean_difference", "mean_pct_difference"):
        assert e1.loc[stat, "ci_low"] <= e2.loc[stat, "estimate"] <= e1.loc[stat, "ci_high"]
        assert e2.loc[stat, "ci_low"] <= e1.loc[stat, "estimate"] <= e2.loc[stat, "ci_high"]
    # more noise, a wider interval
    width = e1.loc["mean_difference", "ci_high"] - e1.loc["mean_difference", "ci_low"]
    assert e2.loc["mean_difference", "ci_high"] - e2.loc["mean_difference", "ci_low"] > width


def test_weeks_cuts_or_cycles_the_arms(pop):
    t = cl.trial({"4": three_days(4), "12": three_days(12)}, pop, weeks=8, tests=["back_squat"])
    assert {p.n_weeks for p in t.programs.values()} == {8}
    # Both arms are the same week repeated: cut and cycled to 8 weeks they are identical programs.
    a, b = (t.values(k, "1rm:back_squat")["post"] for k in ("4", "12"))
    assert not np.array_equal(a, b)  # the test noise differs between arms ...
    np.testing.assert_allclose(a.mean(), b.mean(), rtol=0.02)  # ... the true gains do not


# --- bad input --------------------------------------------------------------------------------------
def test_bad_trials_are_refused_before_any_work(pop, monkeypatch):
    import importlib

    def no_work(*args, **kwargs):
        raise AssertionError("a core run started before the input was checked")

    monkeypatch.setattr(importlib.import_module("chainload.trial"), "run_batch", no_work)
    a, b = three_days(4), three_days(6)
    with pytest.raises(cl.ValidationError, match=r"different lengths \('a': 4 weeks, 'b': 6 weeks\).*weeks="):
        cl.trial({"a": a, "b": b}, pop)
    for weeks in (0, -2, 2.5, True):
        with pytest.raises(cl.ValidationError, match="weeks must be a whole number >= 1"):
            cl.trial({"a": a}, pop, weeks=weeks)  # type: ignore[arg-type]
    with pytest.raises(
        cl.UnknownNameError, match="test lift: unknown exercise 'back_sqat'; did you mean 'back_squat'"
    ):
        cl.trial({"a": a}, pop, tests=["back_sqat"])
    with pytest.raises(cl.ValidationError, match="tests is empty"):
        cl.trial({"a": a}, pop, tests=[])
    with pytest.raises(cl.ValidationError, match="'deadlift' is listed twice"):
        cl.trial({"a": a}, pop, tests=["deadlift", "deadlift"])
    with pytest.raises(cl.ValidationError, match="noise_cv must be a number in"):
        cl.trial({"a": a}, pop, noise_cv=-0.1)
    with pytest.raises(cl.ValidationError, match="unknown model 'banistr'.*did you mean 'banister'"):
        cl.trial({"a": a}, pop, model="banistr")
    with pytest.raises(cl.ValidationError, match="at least one arm"):
        cl.trial({}, pop)
    with pytest.raises(cl.ValidationError, match="arm 'x' is not a Program"):
        cl.trial({"x": "rest"}, pop)  # type: ignore[dict-item]
    odd = Program.repeat("odd", [Session("mon", [Prescription("back_squatt", 3, 5, kg=60)])], 4)
    with pytest.raises(cl.UnknownNameError, match="arm 'odd'.*unknown exercise 'back_squatt'"):
        cl.trial({"odd": odd}, pop)
    with pytest.raises(cl.ValidationError, match="a population needs at least one athlete"):
        cl.trial({"a": a}, pop.take([]))
    with pytest.raises(cl.ValidationError, match="population must be a Population"):
        cl.trial({"a": a}, 100)  # type: ignore[arg-type]


def test_arms_on_different_catalogues_are_refused(pop):
    cat = cl.Catalogue.default()
    squat = cat["back_squat"]
    other = cat.with_exercise(type(squat)(**{**squat.__dict__, "activation": {"quadriceps": 1.0}}))
    a = three_days(4)
    with pytest.raises(cl.ValidationError, match="arm 'b' is on a different catalogue from arm 'a'"):
        cl.trial({"a": (a, cat), "b": (a, other)}, pop)
    t = cl.trial({"a": (a, cat), "b": (a, cl.Catalogue.default())}, pop, tests=["back_squat"])
    assert t.arms == ["a", "b"]


def test_status_outside_the_list():
    assert check_status("trained") == "trained"
    with pytest.raises(
        cl.ValidationError, match=r"'trainned' is not a training status .*did you mean 'trained'"
    ):
        check_status("trainned")


# --- the battery comparison -------------------------------------------------------------------------
def test_compare_tests_every_program_on_the_whole_battery(pop):
    squat_only = Program.repeat("squat only", [Session("mon", [SQUAT])], 6)
    table = cl.compare([squat_only, Program.rest(6, name="no training")], pop, weeks=6, noise_cv=0.0)
    for lift in BATTERY:
        for col in (f"{lift}_pct", f"{lift}_pct_lo", f"{lift}_pct_hi"):
            assert table.loc["no training", col] == 0.0  # nothing trained, no test noise: no change
        lo, mid, hi = (table.loc["squat only", f"{lift}_pct{s}"] for s in ("_lo", "", "_hi"))
        assert lo <= mid <= hi
    # tested on the bench although it never benches; the squat gains what its muscles gain
    assert table.loc["squat only", "back_squat_pct"] > 0
    assert table.loc["squat only", "own_lifts_pct"] == table.loc["squat only", "back_squat_pct"]
    assert math.isnan(table.loc["no training", "own_lifts_pct"])
    assert table.loc["squat only", "size_anterior_pct"] > 0
    expected = np.mean([table.loc["squat only", f"{x}_pct"] for x in BATTERY])
    assert table.loc["squat only", "battery_pct"] == pytest.approx(expected)


def test_paired_differences_on_the_same_athletes_by_hand():
    # Two arms, four athletes, pre 100 kg each: changes A 1, 2, 3, 4 % and B 2, 4, 4, 8 %, so the
    # paired differences B - A are 1, 2, 1, 4: mean 2, SD sqrt(2), dz 1.41421; 95 % t interval
    # 2 +- 3.182446 * sqrt(2) / 2 = [-0.25033, 4.25033]: no clear difference; all 4 higher.
    from chainload.trial import Trial

    rows = [
        {"arm": arm, "athlete": i, "outcome": "1rm:x", "pre": 100.0, "post": 100.0 + c}
        for arm, changes in (("A", (1, 2, 3, 4)), ("B", (2, 4, 4, 8)))
        for i, c in enumerate(changes)
    ]
    p = Trial(pd.DataFrame(rows), n_boot=10).paired()
    assert list(p["arm"]) == ["B"] and list(p["outcome"]) == ["1rm:x"]
    r = p.iloc[0]
    assert r["n"] == 4 and r["mean_difference"] == pytest.approx(2.0)
    assert r["dz"] == pytest.approx(2.0 / np.sqrt(2.0))
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((-0.25033, 4.25033), abs=1e-5)
    assert r["share_higher"] == 1.0 and r["verdict"] == "no clear difference"
    # against B instead: the mirror image, in kg (pre 100, so the same numbers)
    q = Trial(pd.DataFrame(rows), n_boot=10).paired("B", value="change").iloc[0]
    assert q["arm"] == "A" and q["mean_difference"] == pytest.approx(-2.0) and q["share_higher"] == 0.0
    with pytest.raises(cl.UnknownNameError, match="'C'"):
        Trial(pd.DataFrame(rows), n_boot=10).paired("C")

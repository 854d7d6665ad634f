"""Dose and balance: per-muscle load by hand, intensities, deloads, posterior:anterior ratios."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import one_week
from test_chains import SIZE, hand_ratio, week_dose, week_stimulus

import chainload as cl
from chainload import Athlete, Prescription, Program, Session, analyze, dose

# Balance by hand: the sizes and posterior shares of muscle_graph.toml typed into test_chains.py
# and the per-set volume share of docs/balance.md (issue 11): each set of exercise e spreads one
# unit over its muscles, share_em = a_em s_m / Σ_k a_ek s_k; X_m = Σ_e sets_e share_em;
# posterior:anterior = Σ p X / Σ (1 − p) X, a pair Σ_a X / Σ_b X. Expected numbers are worked
# below from the activations of exercises.toml; hand_ratio(week_stimulus(...)) is the same formula.


def weights(catalogue, exercise: str) -> np.ndarray:
    """The catalogue's activation weights of one exercise, in graph (column) order."""
    ids = catalogue.graph.ids
    return np.array([catalogue[exercise].activation.get(m, 0.0) for m in ids])


def reference_weekly_sets(program: Program, catalogue) -> np.ndarray:
    """Weekly fractional sets computed in plain Python: sets × activation weight, summed per week,
    with planned deload weeks at max(1, sets × deload_sets_factor rounded half up) sets."""
    out = np.zeros((program.n_weeks, len(catalogue.graph)))
    for w, _day, _s, p in program.occurrences():
        sets = p.sets
        if w + 1 in program.deload_weeks:
            sets = max(1, math.floor(sets * program.deload_sets_factor + 0.5))
        out[w] += sets * weights(catalogue, p.exercise)
    return out


def reference_weekly_stimulus(program: Program, catalogue) -> np.ndarray:
    """Weekly volume-share stimulus X in plain Python: each set (deload sets as above) adds
    a_em s_m / Σ_k a_ek s_k to muscle m, with the sizes of muscle_graph.toml typed in (SIZE)."""
    ids = catalogue.graph.ids
    out = np.zeros((program.n_weeks, len(ids)))
    for w, _day, _s, p in program.occurrences():
        sets = p.sets
        if w + 1 in program.deload_weeks:
            sets = max(1, math.floor(sets * program.deload_sets_factor + 0.5))
        act = catalogue[p.exercise].activation
        total = sum(a * SIZE[m] for m, a in act.items())
        out[w] += [sets * act.get(m, 0.0) * SIZE[m] / total for m in ids]
    return out


# --------------------------------------------------------------------------- the 3×5 deadlift
def test_deadlift_3x5_at_100kg_by_day(catalogue):
    program = one_week(Prescription("deadlift", 3, 5, kg=100))
    w = weights(catalogue, "deadlift")
    assert w.sum() == 7.0  # 3 × 1.0 + 5 × 0.5 + 6 × 0.25, from exercises.toml
    d = dose(program, catalogue=catalogue)
    assert set(d) == set(cl.METRICS) and d["fractional_sets"].shape == (1, 7, 22)
    sets, volume = d["fractional_sets"][0], d["volume_load"][0]
    # Day 0: every muscle gets 3 sets × its weight and 3 × 5 × 100 kg = 1500 kg × its weight.
    np.testing.assert_allclose(sets[0], 3 * w, rtol=0, atol=1e-12)
    np.testing.assert_allclose(volume[0], 1500 * w, rtol=0, atol=1e-9)
    assert not sets[1:].any() and not volume[1:].any()
    report = analyze(program, catalogue=catalogue)
    by_day = report.per_muscle(by="day")
    assert by_day.shape == (7, 22) and list(by_day.columns) == catalogue.graph.ids
    for muscle, weight in catalogue["deadlift"].activation.items():
        assert by_day.loc[0, muscle] == 3 * weight
        assert report.per_muscle("volume_load", by="day").loc[0, muscle] == 1500 * weight
    assert by_day.loc[0, "glutes"] == 3.0 and by_day.loc[0, "quadriceps"] == 1.5
    assert by_day.loc[0, "pecs"] == 0.0 and by_day.loc[1:].to_numpy().sum() == 0.0


def test_deadlift_3x5_at_100kg_by_week(catalogue):
    program = one_week(Prescription("deadlift", 3, 5, kg=100), day=3)
    w = weights(catalogue, "deadlift")
    d = dose(program, catalogue=catalogue, by="week")
    assert d["fractional_sets"].shape == (1, 1, 22)
    np.testing.assert_allclose(d["fractional_sets"][0, 0], 3 * w, rtol=0, atol=1e-12)
    np.testing.assert_allclose(d["volume_load"][0, 0], 1500 * w, rtol=0, atol=1e-9)
    report = analyze(program, catalogue=catalogue)
    weekly = report.per_muscle(by="week")
    assert list(weekly.index) == [1] and weekly.loc[1, "hamstrings"] == 3.0
    assert report.per_muscle("volume_load", by="week").loc[1, "hamstrings"] == 1500.0
    assert report.per_muscle("volume_load", by="total").loc["upper_traps", "volume_load"] == 750.0
    # Every day of the week other than Thursday (3) is zero.
    by_day = report.per_muscle(by="day")
    assert by_day.loc[3].sum() == 21.0 and by_day.drop(index=3).to_numpy().sum() == 0.0


def test_dose_of_several_programs_in_one_call(catalogue):
    a = one_week(Prescription("deadlift", 3, 5, kg=100))
    b = one_week(Prescription("bench_press", 4, 8, kg=60), day=2, weeks=2)
    d = dose([a, b], catalogue=catalogue, threads=2)
    sets, volume = d["fractional_sets"], d["volume_load"]
    assert sets.shape == (2, 14, 22)  # padded to the longest program (2 weeks = 14 days)
    np.testing.assert_allclose(sets[0, 0], 3 * weights(catalogue, "deadlift"))
    assert not sets[0, 1:].any()
    wb = weights(catalogue, "bench_press")
    for day in (2, 9):  # Wednesday of weeks 1 and 2
        np.testing.assert_allclose(sets[1, day], 4 * wb)
        np.testing.assert_allclose(volume[1, day], 4 * 8 * 60 * wb)  # 1920 kg × weight
    assert sets[1].sum() == 2 * 4 * 2.5
    weekly = dose([a, b], catalogue=catalogue, by="week")["fractional_sets"]
    assert weekly.shape == (2, 2, 22) and weekly[0, 1].sum() == 0 and weekly[1, 1].sum() == 10.0
    with pytest.raises(cl.ValidationError, match="at least one program"):
        dose([], catalogue=catalogue)


@pytest.mark.parametrize("name", ["balanced_full_body", "mirror_muscles", "posterior_chain"])
def test_examples_weekly_sets_match_reference(name, catalogue):
    program = Program.examples()[name]
    report = analyze(program, catalogue=catalogue)
    expected = reference_weekly_sets(program, catalogue)
    np.testing.assert_allclose(report.per_muscle(by="week").to_numpy(), expected, rtol=1e-12)
    # summary: posterior:anterior of the whole program (the hand formula on the summed weeks'
    # volume-share stimulus X, not on the raw fractional sets)
    stim = reference_weekly_stimulus(program, catalogue)
    total = dict(zip(catalogue.graph.ids, stim.sum(axis=0), strict=True))
    s = report.summary()
    assert s["posterior_anterior"] == pytest.approx(hand_ratio(total), rel=1e-12)
    assert s["weekly_sets"] == pytest.approx(expected.sum() / program.n_weeks)


# --------------------------------------------------------------------------- intensities
def test_percent_of_1rm(catalogue):
    athlete = Athlete(one_rm={"deadlift": 200})
    p = Prescription("deadlift", 3, 5, percent_1rm=80)
    assert athlete.planned_load(p, catalogue["deadlift"]) == pytest.approx(160.0)  # 0.80 × 200
    d = dose(one_week(p), athlete, catalogue)
    # 3 × 5 × 160 kg = 2400 kg × weight
    np.testing.assert_allclose(d["volume_load"][0, 0], 2400 * weights(catalogue, "deadlift"))


def test_rpe_and_rir_use_brzycki(catalogue):
    athlete = Athlete(one_rm={"deadlift": 200})
    ex = catalogue["deadlift"]
    # RPE 8 = RIR 2 (Zourdos 2016), so 5 reps leave 7 reps to failure; Brzycki 1993 (SCIENCE.md
    # 5.1): 1RM = w·36/(37 − r) -> w = 1RM × (37 − 7)/36 = 200 × 30/36 = 166.67 kg.
    expected = 200 * (37 - 7) / 36
    assert athlete.planned_load(Prescription("deadlift", 3, 5, rpe=8), ex) == pytest.approx(expected)
    assert athlete.planned_load(Prescription("deadlift", 3, 5, rir=2), ex) == pytest.approx(expected)
    # RPE 10 × 1 rep = 1RM; RPE 9 × 3 reps: r = 4 -> 200 × 33/36
    assert athlete.planned_load(Prescription("deadlift", 1, 1, rpe=10), ex) == pytest.approx(200.0)
    assert athlete.planned_load(Prescription("deadlift", 1, 3, rpe=9), ex) == pytest.approx(200 * 33 / 36)
    # a rep range is planned at its midpoint: 8-12 at RPE 8 -> 10 reps + 2 RIR = 12 -> 200 × 25/36
    assert athlete.planned_load(Prescription("deadlift", 3, (8, 12), rpe=8), ex) == pytest.approx(
        200 * 25 / 36
    )
    # SCIENCE.md 5.1 check values: Brzycki %1RM at 10RM / 5RM = 75.0 / 88.9
    assert float(cl._core.brzycki_fraction(10.0)) == pytest.approx(0.75)
    assert float(cl._core.brzycki_fraction(5.0)) == pytest.approx(0.889, abs=5e-4)
    # volume of 3 × 5 at RPE 8: 15 × 166.67 = 2500 kg × weight
    d = dose(one_week(Prescription("deadlift", 3, 5, rpe=8)), athlete, catalogue)
    np.testing.assert_allclose(d["volume_load"][0, 0], 2500 * weights(catalogue, "deadlift"))


def test_bodyweight_exercises(catalogue):
    athlete = Athlete(bodyweight=70)
    # pull-up: bodyweight_fraction 1.0; push-up 0.64 (exercises.toml) -> 70 and 44.8 kg
    assert athlete.planned_load(Prescription("pull_up", 3, 6), catalogue["pull_up"]) == 70.0
    assert athlete.planned_load(Prescription("push_up", 3, 6), catalogue["push_up"]) == pytest.approx(44.8)
    # added kg come on top of the body share: 70 + 10
    assert athlete.planned_load(Prescription("pull_up", 3, 6, kg=10), catalogue["pull_up"]) == 80.0
    # an external exercise takes no body share
    assert athlete.body_load(catalogue["deadlift"]) == 0.0
    d = dose(one_week(Prescription("pull_up", 3, 6)), athlete, catalogue)
    # 3 × 6 × 70 kg = 1260 kg × weight; lats weight 1.0
    lats = catalogue.graph.index("lats")
    assert d["volume_load"][0, 0, lats] == pytest.approx(1260.0)


def test_external_exercise_without_intensity_raises(catalogue):
    p = Prescription("deadlift", 3, 5)
    with pytest.raises(cl.ValidationError, match="prescription of 'deadlift' has no intensity"):
        Athlete().planned_load(p, catalogue["deadlift"])
    with pytest.raises(cl.ValidationError, match="'deadlift' has no intensity"):
        analyze(one_week(p), catalogue=catalogue)


def test_athlete_without_needed_1rm(catalogue):
    program = one_week(
        Prescription("back_squat", 3, 5, kg=100), Prescription("deadlift", 3, 5, percent_1rm=80)
    )
    athlete = Athlete(one_rm={"back_squat": 150}, name="Ann")
    with pytest.raises(cl.ValidationError, match="Ann has no 1RM for 'deadlift'") as e:
        analyze(program, athlete, catalogue)
    assert "estimate_missing=True" in str(e.value)
    with pytest.raises(cl.ValidationError, match="no 1RM for 'bench_press'"):
        Athlete().planned_load(Prescription("bench_press", 3, 5, rpe=8), catalogue["bench_press"])


def test_default_athlete_estimates_from_standards(catalogue):
    a = Athlete.default()
    assert a.bodyweight == 80.0 and a.estimate_missing
    # deadlift standard_1rm_bw 1.67 × 80 kg = 133.6 kg; back squat 1.5 × 80 = 120 kg
    assert a.one_rm_of(catalogue["deadlift"]) == pytest.approx(133.6)
    assert a.one_rm_of(catalogue["back_squat"]) == pytest.approx(120.0)
    assert a.planned_load(
        Prescription("deadlift", 3, 5, percent_1rm=80), catalogue["deadlift"]
    ) == pytest.approx(0.8 * 133.6)
    standards = a.with_catalogue_standards(catalogue)
    assert len(standards) == 63 and standards["pull_up"] == pytest.approx(1.25 * 80)
    # a given 1RM wins over the estimate
    assert Athlete(one_rm={"deadlift": 180}, estimate_missing=True).one_rm_of(catalogue["deadlift"]) == 180.0
    assert Athlete(one_rm={"deadlift": 180}).with_catalogue_standards(catalogue) == {"deadlift": 180.0}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"bodyweight": 10}, r"bodyweight must be in \[20, 300\] kg, got 10"),
        ({"bodyweight": math.nan}, "bodyweight must be in .* got nan"),
        ({"bodyweight": True}, "bodyweight must be in .* got True"),
        ({"one_rm": {"deadlift": -5}}, r"1RM of 'deadlift' must be in \(0, 1000\] kg, got -5"),
        ({"one_rm": {"deadlift": math.inf}}, "1RM of 'deadlift' must be in .* got inf"),
        ({"one_rm": {"deadlift": "x"}}, "1RM of 'deadlift' must be in .* got 'x'"),
    ],
)
def test_bad_athlete(kwargs, match):
    with pytest.raises(cl.ValidationError, match=match):
        Athlete(**kwargs)


def test_athlete_from_toml(tmp_path):
    path = tmp_path / "ann.toml"
    path.write_text("bodyweight = 62.5\n[one_rm]\ndeadlift = 120\nback_squat = 95.5\n")
    a = Athlete.load(path)
    assert (a.name, a.bodyweight, a.one_rm, a.estimate_missing) == (
        "ann", 62.5, {"deadlift": 120, "back_squat": 95.5}, False,
    )  # fmt: skip
    path.write_text("one_rm = 5\n")
    with pytest.raises(cl.ValidationError, match="ann.toml: one_rm must be a table"):
        Athlete.load(path)
    path.write_text("bodyweight = 500\n")
    with pytest.raises(cl.ValidationError, match="ann.toml: athlete bodyweight must be in"):
        Athlete.load(path)


# --------------------------------------------------------------------------- deloads
def test_posterior_chain_deload_week(catalogue):
    program = Program.examples()["posterior_chain"]
    assert program.deload_weeks == (4, 8, 12) and program.deload_sets_factor == 0.5
    weekly = analyze(program, catalogue=catalogue).per_muscle(by="week")
    # Hamstrings by hand (sets × weight, exercises.toml):
    # week 1: deadlift 3×1 + hip_thrust 3×.5 + back_extension 3×.5 + back_squat 4×.25
    #         + bent_over_row 4×.25 + lunge 3×.25 + romanian_deadlift 3×1 + kettlebell_swing 5×1
    #         + glute_bridge 3×.5 = 18.25
    # week 4: every prescription at max(1, sets × 0.5 rounded half up) sets: 3 -> 1.5 -> 2,
    #         4 -> 2, 5 -> 2.5 -> 3 (as the C++ closed loop's std::lround):
    #         2 + 1 + 1 + .5 + .5 + .5 + 2 + 3 + 1 = 11.5
    assert weekly.loc[1, "hamstrings"] == pytest.approx(18.25)
    assert weekly.loc[4, "hamstrings"] == pytest.approx(11.5)
    assert weekly.loc[3, "hamstrings"] == weekly.loc[5, "hamstrings"] == pytest.approx(18.25)
    assert weekly.loc[8, "hamstrings"] == weekly.loc[12, "hamstrings"] == pytest.approx(11.5)
    # Every deload-week prescription at max(1, floor(sets × 0.5 + 0.5)), for every muscle:
    w4 = sum(
        max(1, math.floor(p.sets * 0.5 + 0.5)) * weights(catalogue, p.exercise)
        for s in program.weeks[3]
        for p in s.prescriptions
    )
    np.testing.assert_allclose(weekly.loc[4].to_numpy(), w4)


def test_deload_sets_and_load(catalogue):
    program = one_week(
        Prescription("deadlift", 3, 5, kg=100),
        Prescription("bench_press", 1, 5, kg=60),
        weeks=2,
        deload_weeks=[2],
    )
    report = analyze(program, catalogue=catalogue)
    sets = report.per_muscle(by="week")
    vol = report.per_muscle("volume_load", by="week")
    # week 2: deadlift round(3 × 0.5) = 2 sets at 100 × 0.9 = 90 kg; bench max(1, round(0.5)) = 1 set at 54 kg
    assert sets.loc[1, "glutes"] == 3.0 and sets.loc[2, "glutes"] == 2.0
    assert vol.loc[1, "glutes"] == pytest.approx(1500.0) and vol.loc[2, "glutes"] == pytest.approx(
        2 * 5 * 90.0
    )
    assert sets.loc[2, "pecs"] == 1.0 and vol.loc[2, "pecs"] == pytest.approx(5 * 54.0)


# --------------------------------------------------------------------------- balance
def test_bench_below_deadlift(catalogue):
    bench = analyze(one_week(Prescription("bench_press", 3, 5, kg=80)), catalogue=catalogue).summary()
    dead = analyze(one_week(Prescription("deadlift", 3, 5, kg=100)), catalogue=catalogue).summary()
    # bench press {pecs 1, triceps 1, front_delts .5}: Σ a s = 0.0308 + 0.038 + 0.5 x 0.0111 =
    # 0.07435; triceps posterior (mirror test), pecs and front delts anterior, so each set is
    # P 0.038 / 0.07435 and A 0.03635 / 0.07435 and the ratio (sets cancel) 0.038 / 0.03635 = 1.0454
    assert bench["posterior_anterior"] == pytest.approx(
        hand_ratio(week_stimulus(catalogue, ("bench_press", 3)))
    )
    assert bench["posterior_anterior"] == pytest.approx(1.0454, abs=1e-4)
    # deadlift, a s (p a s): glutes .0656 (.0656), hamstrings .0571 (.0571), erectors .040 (.040),
    # quadriceps .5 x .1397 = .06985 (0), adductors .5 x .0718 = .0359 (.602 x = .0216118),
    # hip_abductors .5 x .038 = .019 (.871 x = .016549), upper_traps .005 (.005), forearms
    # .5 x .0352 = .0176 (.0088), lats .25 x .0264 = .0066 (.0066), rhomboids .003 (.003), calves
    # .25 x .0657 = .016425 (.016425), tibialis .002625 (0), abs .003 (0), obliques .0075 (.001875):
    # P = .2425608, A = .3492 - .2425608 = .1066392, ratio 2.2746
    assert dead["posterior_anterior"] == pytest.approx(hand_ratio(week_stimulus(catalogue, ("deadlift", 3))))
    assert dead["posterior_anterior"] == pytest.approx(2.2746, abs=1e-4)
    assert bench["posterior_anterior"] < dead["posterior_anterior"]
    # H:Q = X_ham / X_quad = (1 x 0.0571) / (0.5 x 0.1397) = 0.0571 / 0.06985 (one muscle a side,
    # the same set's Σ a s cancels) = 0.8175
    assert dead["hamstrings:quadriceps"] == pytest.approx(0.0571 / 0.06985)
    assert dead["glutes:hip_flexors"] == math.inf  # no hip-flexor load at all
    assert math.isnan(dead["biceps:triceps"])  # neither side loaded
    assert dead["weekly_sets"] == 21.0  # 3 sets × 7.0 total weight


def test_shipped_programs_balance(catalogue):
    ex = Program.examples()
    pc = analyze(ex["posterior_chain"], catalogue=catalogue)
    mm = analyze(ex["mirror_muscles"], catalogue=catalogue)
    assert pc.summary()["posterior_anterior"] > 4 / 3 > 0.75 > mm.summary()["posterior_anterior"]
    assert list(pc.balance.index) == list(range(1, 13))
    # default band (0.75, 1.33): posterior_chain is posterior-dominant, mirror_muscles anterior-dominant
    assert (pc.balance["verdict"] == "posterior-dominant").all()
    assert (mm.balance["verdict"] == "anterior-dominant").all()
    assert cl.DEFAULT_BAND == (0.75, 4 / 3)


def test_hamstring_quadriceps_ratio_by_hand(catalogue):
    program = one_week(Prescription("leg_curl", 3, 12, kg=40), Prescription("leg_extension", 3, 12, kg=50))
    report = analyze(program, catalogue=catalogue)
    lc, le = catalogue["leg_curl"].activation, catalogue["leg_extension"].activation
    ham = 3 * lc.get("hamstrings", 0) + 3 * le.get("hamstrings", 0)
    quad = 3 * lc.get("quadriceps", 0) + 3 * le.get("quadriceps", 0)
    assert (ham, quad) == (3.0, 3.0)  # leg_curl {hamstrings 1, calves .5}, leg_extension {quadriceps 1}
    bal = report.balance.loc[1]
    # the ratio takes the volume share, not the raw sets: leg curl Σ a s = 0.0571 + 0.5 x 0.0657 =
    # 0.08995, so X_ham = 3 x 0.0571 / 0.08995 = 1.9044 (X_calves = 3 x 0.03285 / 0.08995 = 1.0956);
    # leg extension X_quad = 3 x 0.1397 / 0.1397 = 3. H:Q = 1.9044 / 3 = 0.6348
    x_ham, x_calves, x_quad = 3 * 0.0571 / 0.08995, 3 * 0.03285 / 0.08995, 3.0
    assert x_ham / x_quad == pytest.approx(0.6348, abs=1e-4)
    assert bal["hamstrings:quadriceps"] == pytest.approx(x_ham / x_quad)
    # whole body (test_chains.test_leg_pair_by_hand): hamstrings and calves are both posterior
    # (p = 1), quadriceps anterior, so P = 1.9044 + 1.0956 = 3 and A = 3: ratio 3 / 3 = 1.000
    assert bal["posterior_anterior"] == pytest.approx(1.0, abs=1e-4)
    lower = {m for m in SIZE if catalogue.graph.muscle(m).region == "lower"}
    assert bal["posterior_anterior_lower"] == pytest.approx(
        hand_ratio({"hamstrings": x_ham, "calves": x_calves, "quadriceps": x_quad}, lower)
    )
    # 1.0 is inside the default band (0.75, 1.33)
    assert bal["calves:tibialis"] == math.inf and bal["verdict"] == "balanced"
    # one more leg_extension set shifts H:Q to 1.9044 / 4 = 0.4761
    r2 = analyze(
        one_week(Prescription("leg_curl", 3, 12, kg=40), Prescription("leg_extension", 4, 12, kg=50))
    )
    assert r2.summary()["hamstrings:quadriceps"] == pytest.approx(x_ham / 4)


def test_the_measure_is_not_a_constant_multiple_of_the_raw_ratio(catalogue, graph):
    # The old "per size" ratio was the raw ratio x one constant for every program. Here the ratio
    # over the raw sum ratio differs between programs that load different muscles.
    post, ant = graph.chain("posterior"), graph.chain("anterior")
    quotients = []
    for ex in ("deadlift", "bench_press", "bent_over_row"):
        d = week_dose(catalogue, (ex, 3))
        raw = sum(d.get(m, 0) for m in post) / sum(d.get(m, 0) for m in ant)
        quotients.append(
            analyze(one_week(Prescription(ex, 3, 5, kg=60)), catalogue=catalogue).summary()[
                "posterior_anterior"
            ]
            / raw
        )
    assert max(quotients) / min(quotients) > 1.2


def test_pull_push_pools_its_edges(catalogue):
    program = one_week(Prescription("bent_over_row", 3, 8, kg=60), Prescription("bench_press", 3, 8, kg=60))
    s = analyze(program, catalogue=catalogue).summary()
    # pull:push = Σ X over (lats, rhomboids, rear_delts) / Σ X over (pecs, front_delts).
    # Row a s: lats .0264, rhomboids .012, rear_delts .5 x .0111 = .00555, lower_traps .003,
    # erectors .020, biceps .5 x .0311 = .01555, forearms .0176, upper_traps .0025, hamstrings
    # .25 x .0571 = .014275, glutes .0164: Σ = .133275. Bench Σ a s = .0308 + .038 + .00555 = .07435.
    row, bench = 0.133275, 0.07435
    pull = 3 * (0.0264 + 0.012 + 0.00555) / row  # 0.9893
    push = 3 * (0.0308 + 0.00555) / bench  # 1.4667
    assert pull / push == pytest.approx(0.6745, abs=1e-4)
    assert s["pull:push"] == pytest.approx(pull / push)
    # biceps:triceps = X_biceps (row) / X_triceps (bench) = (3 x .01555 / .133275) / (3 x .038 /
    # .07435) = 0.3500 / 1.5333 = 0.2283
    assert s["biceps:triceps"] == pytest.approx((3 * 0.01555 / row) / (3 * 0.038 / bench))
    # whole body: row posterior = all but biceps and half the forearms, .133275 - .01555 - .0088 =
    # .108925; P = 3 x .108925 / .133275 + 3 x .038 / .07435 = 2.4519 + 1.5333 = 3.9852,
    # A = 3 x .02435 / .133275 + 3 x .03635 / .07435 = 0.5481 + 1.4667 = 2.0148 -> 1.9779
    d = week_stimulus(catalogue, ("bent_over_row", 3), ("bench_press", 3))
    assert s["posterior_anterior"] == pytest.approx(hand_ratio(d))
    assert s["posterior_anterior"] == pytest.approx(
        (3 * 0.108925 / row + 3 * 0.038 / bench) / (3 * 0.02435 / row + 3 * 0.03635 / bench)
    )


def test_no_muscle_is_left_out(catalogue):
    # triceps extension {triceps 1, forearms .25}: triceps posterior, forearms split 0.5 / 0.5
    report = analyze(one_week(Prescription("triceps_extension", 3, 12, kg=30)), catalogue=catalogue)
    assert len(report.memberships) == 22 and report.memberships["posterior_share"].notna().all()
    s = report.summary()
    # Σ a s = 0.038 + 0.25 x 0.0352 = 0.0468; X_triceps = 3 x 0.038 / 0.0468, X_forearms =
    # 3 x 0.0088 / 0.0468; P = X_triceps + 0.5 X_forearms, A = 0.5 X_forearms:
    # (0.038 + 0.0044) / 0.0044 = 9.636 (the forearms, split half and half, are in it)
    p = (3 * 0.038 + 0.5 * 3 * 0.0088) / 0.0468
    a = (0.5 * 3 * 0.0088) / 0.0468
    assert p / a == pytest.approx(9.6364, abs=1e-4)
    assert s["posterior_anterior"] == pytest.approx(p / a)
    assert s["biceps:triceps"] == 0.0  # 0 biceps / 3 triceps
    assert report.balance.loc[1, "verdict"] == "posterior-dominant"
    assert s["weekly_sets"] == pytest.approx(3 * 1.25)  # triceps 1 + forearms .25
    # Work on a wrapping group moves the ratio (it was ignored before): hip adduction (adductors
    # 0.602 posterior) added to a deadlift
    base = [Prescription("deadlift", 3, 5, kg=100)]
    r1 = analyze(one_week(*base)).summary()["posterior_anterior"]
    r2 = analyze(one_week(*base, Prescription("hip_adduction", 4, 12, kg=40))).summary()["posterior_anterior"]
    assert r2 == pytest.approx(hand_ratio(week_stimulus(catalogue, ("deadlift", 3), ("hip_adduction", 4))))
    assert r1 != pytest.approx(r2)


@pytest.mark.parametrize(
    ("prescriptions", "verdict"),
    [
        # Each leg curl set is wholly posterior (hamstrings, calves: p = 1), each leg extension set
        # wholly anterior (quadriceps), so curl + extension scores curl sets / extension sets.
        ([("bench_press", 3)], "balanced"),  # 0.038 / 0.03635 = 1.045 (test_bench_below_deadlift)
        ([("leg_curl", 3), ("leg_extension", 5)], "anterior-dominant"),  # 3 / 5 = 0.6
        ([("leg_curl", 6), ("leg_extension", 5)], "balanced"),  # 6 / 5 = 1.2
        ([("deadlift", 3)], "posterior-dominant"),  # 2.275 (test_bench_below_deadlift)
        ([("leg_extension", 3)], "anterior-dominant"),  # 0
        ([("leg_curl", 3)], "posterior-dominant"),  # inf
    ],
)
def test_verdict_against_default_band(catalogue, prescriptions, verdict):
    program = one_week(*[Prescription(e, n, 10, kg=20) for e, n in prescriptions])
    row = analyze(program, catalogue=catalogue).balance.loc[1]
    want = hand_ratio(week_stimulus(catalogue, *prescriptions))
    assert row["posterior_anterior"] == pytest.approx(want)
    lo, hi = cl.DEFAULT_BAND
    assert verdict == (
        "anterior-dominant" if want < lo else "posterior-dominant" if want > hi else "balanced"
    )
    assert row["verdict"] == verdict


def test_no_chain_load_in_an_empty_week(catalogue):
    a = Session("mon", [Prescription("deadlift", 3, 5, kg=100)])
    bal = analyze(Program("gap", [[a], []]), catalogue=catalogue).balance
    assert math.isnan(bal.loc[2, "posterior_anterior"]) and bal.loc[2, "verdict"] == "no chain load"


def test_custom_band(catalogue):
    program = one_week(Prescription("leg_curl", 4, 10, kg=20), Prescription("leg_extension", 7, 10, kg=20))
    # leg curl sets are wholly posterior, leg extension sets wholly anterior: ratio 4 / 7 = 0.571
    assert analyze(program, catalogue=catalogue).summary()["posterior_anterior"] == pytest.approx(4 / 7)
    assert (
        analyze(program, catalogue=catalogue, band=(0.2, 0.5)).balance.loc[1, "verdict"]
        == "posterior-dominant"
    )
    assert (
        analyze(program, catalogue=catalogue, band=(0.6, 3.0)).balance.loc[1, "verdict"]
        == "anterior-dominant"
    )
    assert analyze(program, catalogue=catalogue, band=(0.5, 0.6)).balance.loc[1, "verdict"] == "balanced"
    for band in [(2.0, 1.0), (0.0, 1.0), (1.0, 1.0), (-1.0, 2.0)]:
        with pytest.raises(cl.ValidationError, match="balance band must satisfy 0 < low < high"):
            analyze(program, catalogue=catalogue, band=band)


def test_weekly_balance_follows_the_weeks(catalogue):
    # week 1: deadlift only (2.275, test_bench_below_deadlift); week 2: leg extension only (0)
    a = Session("mon", [Prescription("deadlift", 3, 5, kg=100)])
    b = Session("mon", [Prescription("leg_extension", 3, 5, kg=60)])
    report = analyze(Program("ab", [[a], [b]]), catalogue=catalogue)
    bal = report.balance
    assert list(bal.index) == [1, 2]
    assert bal.loc[1, "posterior_anterior"] == pytest.approx(2.2746, abs=1e-4)
    assert bal.loc[2, "posterior_anterior"] == 0.0
    assert list(bal["verdict"]) == ["posterior-dominant", "anterior-dominant"]
    # whole program: the hand formula on both weeks' stimulus together: P = 3 x .2425608 / .3492 =
    # 2.0839, A = 3 x .1066392 / .3492 + 3 = 3.9161 -> 0.5321
    both = hand_ratio(week_stimulus(catalogue, ("deadlift", 3), ("leg_extension", 3)))
    assert both == pytest.approx((3 * 0.2425608 / 0.3492) / (3 * 0.1066392 / 0.3492 + 3))
    assert report.summary()["posterior_anterior"] == pytest.approx(both)
    vb = report.balance_of("volume_load")
    # volume load in week 1: every muscle's load is 1500 kg x its fractional sets: the same ratio
    assert vb.loc[1, "posterior_anterior"] == pytest.approx(bal.loc[1, "posterior_anterior"])
    assert list(bal.columns[:4]) == [
        "posterior_anterior", "posterior_anterior_upper", "posterior_anterior_lower", "posterior_anterior_trunk",
    ]  # fmt: skip
    assert isinstance(bal, pd.DataFrame) and bal.columns[-1] == "verdict"


def test_report_api(catalogue):
    report = analyze(one_week(Prescription("deadlift", 3, 5, kg=100)), catalogue=catalogue)
    # deadlift 2.2746 by hand (test_bench_below_deadlift)
    assert "posterior:anterior 2.27" in repr(report) and "band 0.75-1.33" in repr(report)
    total = report.per_muscle(by="total")
    assert total.loc["glutes", "fractional_sets"] == 3.0 and total.shape == (22, 1)
    with pytest.raises(cl.ValidationError, match="unknown metric 'tonnage'"):
        report.per_muscle("tonnage")
    with pytest.raises(cl.ValidationError, match="by must be 'day', 'week' or 'total', got 'month'"):
        report.per_muscle(by="month")


def test_unknown_exercise_in_program(catalogue):
    program = one_week(Prescription("deadlfit", 3, 5, kg=100))
    with pytest.raises(
        cl.UnknownNameError, match="unknown exercise 'deadlfit'; did you mean 'deadlift'"
    ) as e:
        analyze(program, catalogue=catalogue)
    assert isinstance(e.value, KeyError)


# suggest(): the old closed-form single-exercise test is recomputed for the new measure and the
# integer program in test_chains.py (test_suggest_chain_only_by_hand and the mirror-program test).


@pytest.mark.parametrize("day", [np.array([2**40]), np.array([0.5]), np.array([np.nan])])
def test_core_dose_refuses_day_indices_it_would_have_to_wrap_or_truncate(catalogue, day):
    from chainload import _core

    one = np.array([1.0])
    with pytest.raises(cl.ValidationError, match="day values must be whole numbers within 32-bit range"):
        _core.dose_batch(catalogue.core_table(), day, np.array([0]), one, one, one, np.array([0, 1]), 7, 7)
    # int64 input that fits is accepted and equals int32 input
    a = _core.dose_batch(
        catalogue.core_table(), np.array([3]), np.array([0]), one, one, one, np.array([0, 1]), 7, 1
    )
    b = _core.dose_batch(
        catalogue.core_table(),
        np.array([3], np.int32),
        np.array([0], np.int32),
        one,
        one,
        one,
        np.array([0, 1]),
        7,
        1,
    )
    np.testing.assert_array_equal(a[0], b[0])

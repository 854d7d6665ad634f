"""Adaptation models, the closed loop and monitoring, checked against published or hand-worked numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

import chainload as cl
from chainload.program import Prescription, Program, Progression, Session


# --- Banister (the convention of DESIGN.md; numbers from the published worked example) -----
def impulse(days: int = 60) -> np.ndarray:
    w = np.zeros(days)
    w[0] = 1.0
    return w


def test_banister_single_impulse_matches_the_worked_example():
    perf = cl.banister(impulse(), p0=0, k1=1, k2=2, tau1=42, tau2=7)["performance"].to_numpy()
    # day 1: exp(-1/42) - 2 exp(-1/7) = 0.97647 - 1.73377 = -0.757
    assert perf[1] == pytest.approx(math.exp(-1 / 42) - 2 * math.exp(-1 / 7))
    assert round(perf[1], 3) == -0.757
    assert int(np.argmax(perf > 0)) == 6  # first positive day
    assert int(np.argmax(perf)) == 21 and round(perf.max(), 3) == 0.507
    # closed forms: t_n = t1 t2/(t1-t2) ln(k2/k1), t_g = t1 t2/(t1-t2) ln(k2 t1/(k1 t2))
    c = 42 * 7 / (42 - 7)
    assert c * math.log(2) == pytest.approx(5.82, abs=0.005)
    assert c * math.log(2 * 42 / 7) == pytest.approx(20.87, abs=0.005)
    assert 5 < c * math.log(2) < 6 and round(c * math.log(2 * 42 / 7)) == 21


def test_banister_steady_state_under_constant_load():
    b = cl.banister(np.full(3000, 100.0), p0=0, k1=1, k2=2, tau1=42, tau2=7).iloc[-1] / 100
    # Same-day convention: fitness -> 1/(1 - e^(-1/42)) = 42.50 right after the day's load; the part
    # carried over from earlier days is e/(1-e) = 41.50 (the figure), likewise fatigue
    # 7.51 = 6.51 + 1 and performance before the day's load 41.50 - 2 x 6.51 = 28.48.
    assert b["fitness"] == pytest.approx(42.50, abs=0.005)
    assert b["fatigue"] == pytest.approx(7.51, abs=0.005)
    assert b["fitness"] - 1 == pytest.approx(41.50, abs=0.005)
    assert b["fatigue"] - 1 == pytest.approx(6.51, abs=0.005)
    assert (b["fitness"] - 1) - 2 * (b["fatigue"] - 1) == pytest.approx(28.48, abs=0.01)
    assert b["performance"] == pytest.approx(42.50 - 2 * 7.51, abs=0.01)


@pytest.mark.parametrize("bad", [{"tau1": 0}, {"tau2": -1}, {"tau1": float("nan")}])
def test_banister_rejects_bad_time_constants(bad):
    with pytest.raises(cl.ValidationError, match="tau"):
        cl.banister(impulse(), **bad)


def test_banister_rejects_nan_loads():
    w = impulse()
    w[5] = np.nan
    with pytest.raises(cl.ValidationError, match="day 5"):
        cl.banister(w)


# --- monitoring -----------------------------------------------------------------------------------
def test_foster_monotony_and_strain():
    week = [0, 80, 40, 0, 90, 60, 80]  # mean 50, sample SD 37.86 -> 1.321; strain 350 x 1.321
    assert cl.monotony(week)[0] == pytest.approx(1.321, abs=5e-4)
    assert cl.strain(week)[0] == pytest.approx(462.2, abs=0.05)


def test_acwr_by_hand():
    loads = np.r_[np.full(28, 10.0), np.full(7, 20.0)]
    coupled = cl.acwr(loads, "coupled")
    uncoupled = cl.acwr(loads, "uncoupled")
    assert np.isnan(coupled[26]) and coupled[27] == pytest.approx(1.0)
    # day 34: acute mean 20; coupled chronic (21 x 10 + 7 x 20)/28 = 12.5 -> 1.6; uncoupled chronic 10 -> 2
    assert coupled[34] == pytest.approx(20 / 12.5)
    assert uncoupled[34] == pytest.approx(2.0)
    ewma = cl.acwr(np.full(60, 5.0), "ewma")
    assert ewma[59] == pytest.approx(1.0)
    # lambda = 2/(N+1): after a jump from 0 to 1 on day 28 the acute EWMA is 2/8, the chronic 2/29
    jump = np.r_[np.full(28, 0.0), [1.0]]
    jump[0] = 1e-12  # keep the chronic mean positive before the jump
    assert cl.acwr(jump, "ewma")[28] == pytest.approx((2 / 8) / (2 / 29), rel=1e-6)


# --- the closed loop ------------------------------------------------------------------------------
def one_lift(kg: float, rule: Progression, weeks: int = 4) -> Program:
    session = Session("mon", (Prescription("bench_press", 3, 5, kg=kg, progression=rule),))
    return Program.repeat("one lift", [session, Session("thu", session.prescriptions)], weeks)


ATHLETE = cl.Athlete(one_rm={"bench_press": 100.0}, bodyweight=80)


def test_linear_progression_gives_the_expected_load_sequence():
    prog = one_lift(40.0, Progression("linear", increment_kg=2.5, per="session"))
    sim = cl.simulate(prog, ATHLETE)
    # 8 sessions: 40, 42.5, ... 57.5 kg; 57.5 kg is 57.5 % of 1RM, far below a 5-rep max
    assert sim.sessions["kg"].tolist() == [40 + 2.5 * i for i in range(8)]
    assert not sim.sessions["failed"].any()
    assert (sim.sessions["achieved_reps"] == 5).all()


def test_weekly_linear_progression():
    prog = one_lift(40.0, Progression("linear", increment_kg=5, per="week"))
    assert cl.simulate(prog, ATHLETE).sessions["kg"].tolist() == [40, 40, 45, 45, 50, 50, 55, 55]


def test_failures_trigger_the_automatic_deload():
    rule = Progression("linear", increment_kg=2.5, deload_after=3, deload_percent=10)
    sim = cl.simulate(
        one_lift(100.0, rule), ATHLETE, model="banister"
    )  # Banister: no acute fatigue in the reps
    s = sim.sessions
    # 100 kg = the 1RM: Brzycki allows 1 rep, the target is 5 -> every session fails; after the
    # third failure the load drops 10 % to 90 kg (37 - 36 x 0.9 = 4.6 reps: still short of 5).
    # Three more failures at 90 kg drop it to 81 -> 80 kg on 2.5 kg plates (37 - 36 x 0.8 = 8.2
    # reps: success), then +2.5 kg per session again.
    assert s["kg"].tolist() == [100, 100, 100, 90, 90, 90, 80, 82.5]
    assert s["failed"].tolist() == [True] * 6 + [False] * 2
    assert s["auto_deload"].tolist() == [False, False, True, False, False, True, False, False]
    assert s["achieved_reps"].iloc[0] == 1


def test_double_progression_climbs_the_rep_range():
    rule = Progression("double", increment_kg=2.5)
    session = Session("mon", (Prescription("bench_press", 3, (8, 10), kg=50, progression=rule),))
    sim = cl.simulate(Program.repeat("dp", [session], 5), ATHLETE)
    assert sim.sessions["target_reps"].tolist() == [8, 9, 10, 8, 9]
    assert sim.sessions["kg"].tolist() == [50, 50, 50, 52.5, 52.5]


def test_simulation_is_deterministic_and_round_trips_through_parquet(tmp_path):
    prog = cl.Program.examples()["posterior_chain"]
    a, b = cl.simulate(prog, weeks=6), cl.simulate(prog, weeks=6)
    np.testing.assert_array_equal(a.arrays["capacity"], b.arrays["capacity"])
    a.save(tmp_path / "sim.parquet")
    c = cl.Simulation.load(tmp_path / "sim.parquet")
    np.testing.assert_allclose(c.arrays["capacity"], a.arrays["capacity"])
    np.testing.assert_allclose(c.performance.to_numpy(), a.performance.to_numpy())
    np.testing.assert_allclose(c.sessions["kg"], a.sessions["kg"])


def test_more_volume_raises_fatigue_faster():
    def peak(sets: int) -> float:
        p = Prescription("back_squat", sets, 5, percent_1rm=70)
        return (
            cl.simulate(Program.repeat("v", [Session("mon", (p,)), Session("thu", (p,))], 4))
            .arrays["fatigue"][:14]
            .max()
        )

    assert peak(6) > peak(3) > 0


def test_a_deload_week_raises_readiness():
    p = Prescription("deadlift", 5, 5, percent_1rm=75)
    prog = Program.repeat("d", [Session("mon", (p,)), Session("wed", (p,)), Session("fri", (p,))], 4)
    prog = Program(prog.name, prog.weeks, deload_weeks=(4,))
    readiness = cl.simulate(prog).arrays["readiness"][:, cl.MuscleGraph.default().index("glutes")]
    assert readiness[27] > readiness[20]  # end of the deload week vs end of week 3


def test_a_four_week_break_lowers_capacity_under_the_saturating_model():
    p = Prescription("back_squat", 4, 6, percent_1rm=72)
    week = (Session("mon", (p,)), Session("thu", (p,)))
    prog = Program("break", (week,) * 8 + ((),) * 4)
    cap = cl.simulate(prog, model="saturating").arrays["capacity"][
        :, cl.MuscleGraph.default().index("quadriceps")
    ]
    on_break = cap[56:]
    # Fatigue clears in the first days of the break, then the long-term capacity decays.
    assert on_break[-1] < on_break.max() - 0.005
    assert on_break[-1] > 1.0  # detraining is partial after 4 weeks


@pytest.mark.parametrize("model", ["banister", "busso", "saturating"])
def test_posterior_program_ends_more_posterior_than_mirror(model):
    ex = cl.Program.examples()
    post = cl.simulate(ex["posterior_chain"], weeks=12, model=model).summary()
    mirror = cl.simulate(ex["mirror_muscles"], weeks=12, model=model).summary()
    assert post["capacity_posterior_anterior"] > 1 > mirror["capacity_posterior_anterior"]


def test_bad_input_is_reported():
    prog = cl.Program.examples()["posterior_chain"]
    with pytest.raises(cl.ValidationError, match="deadlift"):
        cl.simulate(prog, cl.Athlete(one_rm={"back_squat": 100}))
    with pytest.raises(cl.ValidationError, match="weeks"):
        cl.simulate(prog, weeks=0)
    with pytest.raises(cl.ValidationError, match="tau1"):
        cl.simulate(prog, cl.Athlete(params={"tau1": 0}, estimate_missing=True))
    with pytest.raises(cl.ValidationError, match="min_kg"):
        Progression("linear", increment_kg=-2.5)
    with pytest.raises(cl.ValidationError, match="model"):
        cl.simulate(prog, model="fitness")  # type: ignore[arg-type]
    with pytest.raises(cl.UnknownNameError, match="glutes"):
        cl.simulate(prog, cl.Athlete(params={"k1": {"glute": 0.1}}, estimate_missing=True))


def test_compiled_programs_are_cached_for_the_shipped_catalogue_only():
    """Issue 15 (notebook loops): the shipped catalogue compiles a program once. A catalogue of
    the same 63 exercises in reverse order is not served that spec: each exercise's row becomes
    62 - its shipped row, by hand."""
    from chainload._files import DATA_DIR
    from chainload.simulation import compile_program

    program = Program.load(DATA_DIR / "programs" / "balanced_full_body.toml")
    shipped = compile_program(program, cl.Catalogue.default())
    assert compile_program(program, cl.Catalogue.default()) is shipped
    reverse = cl.Catalogue(reversed(list(cl.Catalogue.default())))
    again = compile_program(program, reverse)
    assert again is not shipped
    assert list(again.spec.used_exercises) == [62 - i for i in shipped.spec.used_exercises]
    changed = cl.Catalogue.default()
    changed.add(cl.Exercise(id="band_walk", name="Band walk", activation={"glutes": 1.0}))
    assert compile_program(program, changed) is not shipped


def test_the_names_come_from_the_core_once():
    # One list each, in the core (simulator.hpp, adaptation.hpp), read by Python and the CLI; the
    # typing Literal must name the same models, and an unknown name is refused by the core itself.
    from typing import get_args

    from chainload import _core, program, simulation

    assert program.RULES == _core.RULE_NAMES == ("none", "linear", "double", "wave", "rpe")
    assert simulation.MODELS == _core.MODEL_NAMES == ("size_neural", "banister", "busso", "saturating")
    assert get_args(simulation.ModelName) == simulation.MODELS
    assert _core.INTENSITY_NAMES == ("kg", "percent", "rir", "bodyweight")
    with pytest.raises(
        cl.errors.UnknownNameError, match="unknown progression rule 'linaer'; did you mean 'linear'"
    ):
        _core.PrescriptionSpec(0, 1, 1, 1, "kg", 1.0, "linaer", 0.0, False, 0, 0.1, 0.0, [])

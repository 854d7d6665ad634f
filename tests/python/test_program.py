"""Programs: construction, validation, TOML reading and writing, repeat / with_weeks."""

from __future__ import annotations

import math

import pytest
from conftest import one_week

import chainload as cl
from chainload import Prescription, Program, Progression, Session


# --------------------------------------------------------------------------- prescriptions
def test_prescription_fields():
    p = Prescription("deadlift", 3, 5, kg=100)
    assert (p.sets, p.reps, p.kg, p.reps_low, p.reps_high, p.reps_planned) == (3, 5, 100, 5, 5, 5.0)
    assert p.planned_rir is None and p.progression == Progression()
    # a rep range is planned at its midpoint: (8 + 12) / 2 = 10
    r = Prescription("leg_curl", 3.0, [8, 12], rpe=8)
    assert r.reps == (8, 12) and r.sets == 3 and isinstance(r.sets, int) and r.reps_planned == 10.0
    # RPE 8 = 2 reps in reserve (Zourdos 2016, SCIENCE.md 5.2); RPE 9.5 -> 0.5
    assert r.planned_rir == 2.0
    assert Prescription("x", 1, 1, rpe=9.5).planned_rir == 0.5
    assert Prescription("x", 1, 1, rir=3).planned_rir == 3.0
    # a progression may be given as a mapping (as in TOML)
    q = Prescription("x", 1, 1, progression={"rule": "wave", "wave": [70, 80]})
    assert q.progression == Progression("wave", wave=(70.0, 80.0))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sets": -1}, r"sets must be a whole number in \[1, 100\], got -1"),
        ({"sets": 0}, r"sets must be a whole number in \[1, 100\], got 0"),
        ({"sets": math.nan}, "sets must be a whole number .* got nan"),
        ({"sets": math.inf}, "sets must be a whole number .* got inf"),
        ({"sets": -math.inf}, "sets must be a whole number .* got -inf"),
        ({"sets": 2.5}, "sets must be a whole number .* got 2.5"),
        ({"sets": 101}, "sets must be a whole number .* got 101"),
        ({"sets": "3"}, "sets must be a whole number .* got '3'"),
        ({"sets": True}, "sets must be a whole number .* got True"),
        ({"sets": None}, "sets must be a whole number .* got None"),
        ({"reps": 0}, "reps must be a whole number .* got 0"),
        ({"reps": -5}, "reps must be a whole number .* got -5"),
        ({"reps": math.nan}, "reps must be a whole number .* got nan"),
        ({"reps": 1e300}, "reps must be a whole number .* got 1e\\+300"),
        ({"reps": (8, 5)}, r"reps must be a whole number in \[8, 100\], got 5"),
        ({"reps": (5,)}, r"a rep range is \(low, high\), got \(5,\)"),
        ({"reps": (5, 6, 7)}, r"a rep range is \(low, high\)"),
        ({"kg": -1}, r"kg must be a number in \[0, 1000\], got -1"),
        ({"kg": math.nan}, "kg must be a number .* got nan"),
        ({"kg": math.inf}, "kg must be a number .* got inf"),
        ({"kg": 1e9}, "kg must be a number .* got 1000000000.0"),
        ({"percent_1rm": 0}, r"percent_1rm must be a number in \[1, 110\], got 0"),
        ({"percent_1rm": 120}, "percent_1rm must be a number .* got 120"),
        ({"percent_1rm": -80}, "percent_1rm must be a number .* got -80"),
        ({"percent_1rm": math.nan}, "percent_1rm must be a number .* got nan"),
        ({"rpe": 4.5}, r"rpe must be a number in \[5, 10\], got 4.5"),
        ({"rpe": 11}, "rpe must be a number .* got 11"),
        ({"rpe": math.inf}, "rpe must be a number .* got inf"),
        ({"rir": -1}, r"rir must be a number in \[0, 10\], got -1"),
        ({"kg": 100, "rpe": 8}, "give one intensity, not rpe and kg"),
        ({"percent_1rm": 80, "rir": 2}, "give one intensity, not percent_1rm and rir"),
        ({"progression": {"rule": "linear", "increment_kg": -2.5}},
         "increment_kg=-2.5 is negative with no min_kg floor"),
        ({"progression": {"rule": "jump"}}, "unknown progression rule 'jump' \\(known: none, linear"),
        ({"progression": {"rule": "wave"}}, "rule 'wave' needs a list of %1RM"),
        ({"progression": {"rule": "linear", "step": 2}}, r"unknown progression field 'step' \(known: deload_after"),
        ({"progression": {"rule": "linear", "per": "month"}}, "per='month': must be 'session' or 'week'"),
        ({"progression": 5}, "progression must be a Progression or a table, got 5"),
    ],
)  # fmt: skip
def test_bad_prescription(kwargs, match):
    args = {"sets": 3, "reps": 5} | kwargs
    with pytest.raises(cl.ValidationError, match=match) as e:
        Prescription("deadlift", **args)
    assert isinstance(e.value, ValueError) and isinstance(e.value, cl.Error)
    assert str(e.value).startswith("prescription of 'deadlift': ")


@pytest.mark.parametrize("exercise", ["", None, 5])
def test_prescription_needs_an_exercise_id(exercise):
    with pytest.raises(cl.ValidationError, match="prescription exercise must be a non-empty id"):
        Prescription(exercise, 3, 5)


def test_progression_negative_increment_needs_floor():
    with pytest.raises(cl.ValidationError, match="negative with no min_kg floor"):
        Progression("linear", increment_kg=-2.5)
    assert Progression("linear", increment_kg=-2.5, min_kg=20).min_kg == 20
    with pytest.raises(cl.ValidationError, match=r"min_kg must be a number in \[0, 1000\], got -5"):
        Progression("linear", increment_kg=-2.5, min_kg=-5)
    with pytest.raises(cl.ValidationError, match=r"wave %1RM must be a number in \[1, 110\], got 0"):
        Progression("wave", wave=(70, 0))
    with pytest.raises(cl.ValidationError, match="deload_after must be a whole number"):
        Progression(deload_after=1.5)


# --------------------------------------------------------------------------- sessions, programs
def test_session_days():
    p = Prescription("deadlift", 3, 5, kg=100)
    assert Session("mon", [p]).day == 0
    assert Session("Sunday", [p]).day == 6 and Session("WED", [p]).day == 2
    assert Session(4.0, [p]).day == 4
    assert isinstance(Session(0, [p]).prescriptions, tuple)
    for bad, match in [(7, "session day must be a whole number in \\[0, 6\\], got 7"), (-1, "got -1"),
                       ("xyz", "session day 'xyz' is not a weekday"), (1.5, "got 1.5")]:  # fmt: skip
        with pytest.raises(cl.ValidationError, match=match):
            Session(bad, [p])


def test_session_with_no_prescriptions():
    with pytest.raises(cl.ValidationError, match="session 'wed' has no prescriptions"):
        Session(2, [])
    with pytest.raises(cl.ValidationError, match="session 'Legs' has no prescriptions"):
        Session(2, (), name="Legs")


def test_bad_programs():
    s = Session(0, [Prescription("deadlift", 3, 5, kg=100)])
    with pytest.raises(cl.ValidationError, match="program 'e' is empty: it has no weeks"):
        Program("e", [])
    assert Program("e", [[], []]).n_sessions == 0  # two rest weeks are a program (a control arm)
    with pytest.raises(cl.ValidationError, match="program 'p': two sessions on one weekday in a week"):
        Program("p", [[s, Session("mon", [Prescription("bench_press", 3, 5, kg=60)])]])
    with pytest.raises(cl.ValidationError, match=r"program 'p': deload week 3 outside weeks 1..2"):
        Program.repeat("p", [s], 2, deload_weeks=[3])
    with pytest.raises(cl.ValidationError, match="program 'p': deload week must be a whole number"):
        Program.repeat("p", [s], 2, deload_weeks=["a"])
    with pytest.raises(cl.ValidationError, match="deload_weeks must be a list of week numbers, got 3"):
        Program.repeat("p", [s], 4, deload_weeks=3)
    with pytest.raises(cl.ValidationError, match=r"deload_sets_factor must be a number in \[0, 1\], got 2"):
        Program.repeat("p", [s], 2, deload_sets_factor=2)
    with pytest.raises(cl.ValidationError, match=r"weeks must be a whole number in \[1, 520\], got 0"):
        Program.repeat("p", [s], 0)
    with pytest.raises(cl.ValidationError, match=r"weeks must be a whole number .* got nan"):
        Program.repeat("p", [s], math.nan)


def test_program_queries():
    a = Session("wed", [Prescription("bench_press", 3, 5, kg=60), Prescription("deadlift", 1, 5, kg=140)])
    b = Session("mon", [Prescription("deadlift", 3, 5, kg=100)])
    p = Program.repeat("q", [a, b], 3)
    assert (p.n_weeks, p.n_days) == (3, 21)
    assert p.exercises() == ["bench_press", "deadlift"]  # order of first use in the weeks as given
    # occurrences are in time order: Monday (day 0) before Wednesday (day 2), then week 2 ...
    occ = [(w, d, pr.exercise) for w, d, _s, pr in p.occurrences()]
    assert occ[:3] == [(0, 0, "deadlift"), (0, 2, "bench_press"), (0, 2, "deadlift")]
    assert occ[3] == (1, 7, "deadlift") and occ[-1] == (2, 16, "deadlift") and len(occ) == 9
    assert "3 weeks, 6 sessions, 2 exercises" in repr(p)
    with pytest.raises(cl.UnknownNameError, match="program 'q': unknown exercise 'bench_press'"):
        p.check_exercises(["deadlift"])


def test_repeat_and_with_weeks():
    s1 = Session("mon", [Prescription("deadlift", 3, 5, kg=100)])
    s2 = Session("mon", [Prescription("deadlift", 5, 5, kg=90)])
    p = Program("cycle", [[s1], [s2]], deload_weeks=[2])
    # cycled: weeks 1..5 = s1 s2 s1 s2 s1; deload weeks kept when <= 5
    five = p.with_weeks(5)
    assert five.weeks == ((s1,), (s2,), (s1,), (s2,), (s1,)) and five.deload_weeks == (2,)
    one = p.with_weeks(1)
    assert one.weeks == ((s1,),) and one.deload_weeks == ()
    assert p.with_weeks(2) == p
    r = Program.repeat("r", [s1], 4, deload_weeks=[4])
    assert r.weeks == ((s1,),) * 4 and r.deload_weeks == (4,)
    with pytest.raises(cl.ValidationError, match="weeks must be a whole number"):
        p.with_weeks(0)


# --------------------------------------------------------------------------- shipped examples
def test_examples():
    ex = Program.examples()
    assert sorted(ex) == ["balanced_full_body", "mirror_muscles", "posterior_chain"]
    pc = ex["posterior_chain"]
    assert pc.name == "Posterior chain" and pc.n_weeks == 12 and pc.deload_weeks == (4, 8, 12)
    assert [s.day for s in pc.weeks[0]] == [0, 2, 4]
    assert pc.weeks[0][0].prescriptions[0] == Prescription(
        "deadlift", 3, 5, percent_1rm=80,
        progression=Progression("linear", 2.5, "session", deload_after=3, deload_percent=10),
    )  # fmt: skip
    assert ex["mirror_muscles"].deload_weeks == () and ex["balanced_full_body"].deload_weeks == (6, 12)


@pytest.mark.parametrize("name", ["balanced_full_body", "mirror_muscles", "posterior_chain"])
def test_example_round_trip(name, tmp_path):
    p = Program.examples()[name]
    assert Program.loads(p.dumps()) == p
    path = tmp_path / f"{name}.toml"
    p.save(path)
    assert Program.load(path) == p


def test_week_form_round_trip(tmp_path):
    a = Session("mon", [Prescription("deadlift", 3, 5, kg=100)])
    b = Session(
        "wed",
        [
            Prescription("bench_press", 3, (5, 8), rpe=8, progression=Progression("double", 1.25)),
            Prescription("pull_up", 4, 6),
        ],
        name="B",
    )
    c = Session(
        "fri",
        [
            Prescription(
                "romanian_deadlift", 3, 8, percent_1rm=70, progression={"rule": "wave", "wave": [65, 70, 75]}
            )
        ],
    )
    p = Program(
        "weeks differ", [[a], [a, b], [c, b]], description="d", deload_weeks=[3], deload_sets_factor=0.4
    )
    text = p.dumps()
    assert "[[week]]" in text and "\nweeks =" not in text
    assert Program.loads(text) == p
    p.save(tmp_path / "w.toml")
    q = Program.load(tmp_path / "w.toml")
    assert q == p and q.weeks[1][1].prescriptions[0].reps == (5, 8) and q.deload_sets_factor == 0.4


def test_explicit_week_form_text():
    text = """
name = "two weeks"
[[week]]
[[week.session]]
day = "tue"
exercise = [{ exercise = "deadlift", sets = 3, reps = 5, kg = 100 }]
[[week]]
[[week.session]]
day = "thu"
exercise = [{ exercise = "deadlift", sets = 2, reps = 3, kg = 120 }]
"""
    p = Program.loads(text)
    assert p.n_weeks == 2 and p.weeks[0][0].day == 1 and p.weeks[1][0].day == 3
    assert p.weeks[1][0].prescriptions[0] == Prescription("deadlift", 2, 3, kg=120)


# --------------------------------------------------------------------------- bad TOML
GOOD = '\n[[session]]\nday = "mon"\nexercise = [\n  { exercise = "deadlift", sets = 3, reps = 5, kg = 100 },\n]\n'


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('name = "x"\nweeks = 4\n[[session]\nday = "mon"\n', r"malformed TOML.*line 3"),
        ("weeks = 4\n" + GOOD.replace("kg = 100", "kgs = 100"),
         r"session #1 exercise #1: unknown field 'kgs'; did you mean 'kg'\?"),
        ("weeks = 4\n" + GOOD.replace("sets = 3", "sets = -3"),
         r"session #1 exercise #1: prescription of 'deadlift': sets must be a whole number .* got -3"),
        ("weeks = 4\n" + GOOD.replace("kg = 100", "kg = nan"), "kg must be a number .* got nan"),
        ("weeks = 4\n" + GOOD.replace("kg = 100", "kg = inf"), "kg must be a number .* got inf"),
        ("weeks = 4\n" + GOOD.replace("reps = 5", "reps = [8, 5]"), "reps must be a whole number"),
        ("weeks = 4\n" + GOOD.replace("kg = 100", "kg = 100, rpe = 8"), "give one intensity, not rpe and kg"),
        ("weeks = 4\n" + GOOD.replace("kg = 100", 'progression = { rule = "linear", increment_kg = -1 }'),
         "negative with no min_kg floor"),
        ("weeks = 4\n" + GOOD.replace('day = "mon"', 'day = "someday"'), "session day 'someday' is not a weekday"),
        ("weeks = 4\n" + GOOD.replace('exercise = "deadlift", ', ""), "missing 1 required positional argument"),
        ("weeks = 4\n" + GOOD + GOOD, "two sessions on one weekday"),
        ("weeks = 4\n[[session]]\nday = 'mon'\nexercise = []\n", "session 'mon' has no prescriptions"),
        ("weeks = 4\n[[session]]\nday = 'mon'\n", "session #1: missing field 'exercise'"),
        ("weeks = 4\n[[session]]\nday = 'mon'\nexercise = [5]\n", "session #1 exercise #1: expected a table"),
        ("weeks = 4\nsession = [5]\n", r"session #1: expected a \[\[session\]\] table"),
        ("weeks = 4\n", r"no \[\[session\]\] tables"),
        ('name = "x"\n' + GOOD, "missing field 'weeks'"),
        ("weeks = 0\n" + GOOD, r"weeks must be a whole number in \[1, 520\], got 0"),
        ("weeks = 2.5\n" + GOOD, "field 'weeks' must be int, got 2.5"),
        ("weeks = 2\ndeload_weeks = [3]\n" + GOOD, "deload week 3 outside weeks 1..2"),
        ("weeks = 2\ndeload_weeks = 'x'\n" + GOOD, "deload_weeks must be a list of week numbers"),
        ("week = 5\n", r"'week' must be an array of tables \(\[\[week\]\]\)"),
        ("week = [5]\n", r"'week' must be an array of tables"),
        ("[[week]]\nsession = 5\n", r"\[\[week\]\] #1: no \[\[session\]\] tables"),
    ],
)  # fmt: skip
def test_bad_program_file(tmp_path, text, match):
    path = tmp_path / "my_program.toml"
    path.write_text(text)
    with pytest.raises(cl.ValidationError, match=match) as e:
        Program.load(path)
    msg = str(e.value)
    assert "my_program.toml" in msg
    assert msg.count("my_program.toml") == 1  # the file is named once, not repeated


def test_malformed_toml_is_a_file_format_error(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('weeks = 4\n[[session]]\nday = "mon\n')
    with pytest.raises(cl.FileFormatError) as e:
        Program.load(path)
    assert "broken.toml" in str(e.value) and "line 3" in str(e.value)
    assert isinstance(e.value, ValueError) and isinstance(e.value, cl.Error)


def test_missing_and_unreadable_program_files(tmp_path):
    with pytest.raises(cl.FileFormatError, match="nothing.toml: no such file"):
        Program.load(tmp_path / "nothing.toml")
    with pytest.raises(cl.FileFormatError, match="cannot read"):
        Program.load(tmp_path)
    (tmp_path / "latin1.toml").write_bytes("name = 'caf\xe9'\n".encode("latin-1"))
    with pytest.raises(cl.FileFormatError, match="latin1.toml: not UTF-8 text"):
        Program.load(tmp_path / "latin1.toml")


def test_loads_names_the_source():
    with pytest.raises(cl.ValidationError, match="^plan.toml: missing field 'weeks'"):
        Program.loads('name = "x"\n', name="plan.toml")
    p = Program.loads("weeks = 1\n" + GOOD, name="plan.toml")
    assert p.name == "plan"  # no name field: the stem of the source name
    assert one_week(Prescription("deadlift", 3, 5, kg=100)).n_weeks == 1

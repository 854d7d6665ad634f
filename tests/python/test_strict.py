"""Issue 13 item 1: every silent acceptance of a mistake in an input file or on the command
line is now an error before any work starts, naming the file, the line, the key and the nearest
valid names (one did-you-mean helper: chainload._names). strict=False warns instead."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import chainload as cl
from chainload._names import hint, nearest
from chainload.cli import main
from chainload.errors import UnknownKeyWarning
from chainload.sweep import load_spec

PROGRAM = """name = "p"
weeks = 12
deload_week = [6, 12]

[[session]]
day = "mon"
exercise = [{ exercise = "deadlift", sets = 3, reps = 5, percent_1rm = 80 }]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_the_one_helper_suggests_by_edit_distance():
    # edit distances 1 (back_squat) and 6 (front_squat: over half its length, so not suggested)
    assert nearest("back_sqat", ["deadlift", "back_squat", "front_squat"]) == ["back_squat"]
    assert nearest("squat", ["back_squat", "box_squat", "squat_jump"]) == [
        "box_squat",
        "back_squat",
        "squat_jump",
    ]
    assert hint("modle", ["program", "weeks", "model"]) == "; did you mean 'model'?"
    assert hint("zzzzzzzz", ["a", "b"]) == ""


def test_program_deload_week_typo_is_an_error_with_the_line(tmp_path):
    # deload_week (typo of deload_weeks) made the deloads vanish (issue 13).
    path = write(tmp_path, "p.toml", PROGRAM)
    with pytest.raises(cl.UnknownNameError) as e:
        cl.Program.load(path)
    assert str(e.value) == f"{path} line 3: unknown key 'deload_week'; did you mean 'deload_weeks'?"


def test_program_strict_false_warns_and_never_silences(tmp_path):
    path = write(tmp_path, "p.toml", PROGRAM)
    with pytest.warns(UnknownKeyWarning, match="unknown key 'deload_week'; did you mean 'deload_weeks'"):
        p = cl.Program.load(path, strict=False)
    assert p.deload_weeks == () and p.n_weeks == 12


def test_program_unknown_keys_at_every_level(tmp_path):
    session = PROGRAM.replace("deload_week = [6, 12]\n", "").replace('day = "mon"', 'day = "mon"\nnmae = "A"')
    with pytest.raises(
        cl.UnknownNameError, match=r"session #1 line 6: unknown key 'nmae'; did you mean 'name'"
    ):
        cl.Program.load(write(tmp_path, "s.toml", session))
    field = PROGRAM.replace("deload_week = [6, 12]\n", "").replace("percent_1rm = 80", "percent_1RM = 80")
    with pytest.raises(
        cl.UnknownNameError, match=r"exercise #1: unknown field 'percent_1RM'; did you mean 'percent_1rm'"
    ):
        cl.Program.load(write(tmp_path, "f.toml", field))
    prog = PROGRAM.replace("deload_week = [6, 12]\n", "").replace(
        "percent_1rm = 80", 'percent_1rm = 80, progression = { rule = "linear", incremnt_kg = 2.5 }'
    )
    with pytest.raises(
        cl.UnknownNameError,
        match=r"progression.*unknown progression field 'incremnt_kg'; did you mean 'increment_kg'",
    ):
        cl.Program.load(write(tmp_path, "g.toml", prog))


def test_unknown_exercise_in_a_program_file_names_the_file_and_line(tmp_path):
    path = write(
        tmp_path, "p.toml", PROGRAM.replace("deload_week = [6, 12]\n", "").replace('"deadlift"', '"deadlfit"')
    )
    prog = cl.Program.load(path)
    with pytest.raises(
        cl.UnknownNameError,
        match=rf"{path}: line 6, session #1 exercise #1: unknown exercise 'deadlfit'; did you mean 'deadlift'",
    ):
        cl.analyze(prog)


ATHLETE = """bodyweight = 80
estimate_missing = true
[one_rm]
back_sqat = 140
"""


def test_athlete_unknown_exercise_in_one_rm_is_an_error(tmp_path):
    # back_sqat = 140 ran with an estimated 123 kg back squat and no word (issue 13).
    path = write(tmp_path, "a.toml", ATHLETE)
    with pytest.raises(cl.UnknownNameError) as e:
        cl.Athlete.load(path)
    assert str(e.value).startswith(
        f"{path} [one_rm] line 4: unknown exercise 'back_sqat'; did you mean 'back_squat'"
    )
    with pytest.warns(UnknownKeyWarning):
        a = cl.Athlete.load(path, strict=False)
    assert a.one_rm == {}


def test_athlete_unknown_keys_and_params(tmp_path):
    with pytest.raises(
        cl.UnknownNameError, match=r"line 1: unknown key 'bodywieght'; did you mean 'bodyweight'"
    ):
        cl.Athlete.load(write(tmp_path, "a.toml", "bodywieght = 80\n"))
    with pytest.raises(
        cl.UnknownNameError, match=r"\[params\] line 2: unknown model parameter 'tau_1'; did you mean 'tau1'"
    ):
        cl.Athlete.load(write(tmp_path, "b.toml", "[params]\ntau_1 = 30\n"))
    with pytest.raises(
        cl.UnknownNameError, match=r"\[params.k1\] line 2: unknown muscle 'glute'; did you mean 'glutes'"
    ):
        cl.Athlete.load(write(tmp_path, "c.toml", "[params.k1]\nglute = 0.003\n"))


SPEC = """program = "posterior_chain"
week = 24
modle = "saturating"
[populaton]
n = 1000
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # each ran 12 weeks, Banister, 1,000 athletes without a word (issue 13)
        ('program = "posterior_chain"\nweek = 24\n', r"line 2: unknown key 'week'; did you mean 'weeks'"),
        (
            'program = "posterior_chain"\nmodle = "saturating"\n',
            r"line 2: unknown key 'modle'; did you mean 'model'",
        ),
        (
            'program = "posterior_chain"\n[populaton]\nn = 10\n',
            r"line 2: unknown key 'populaton'; did you mean 'population'",
        ),
        (
            'program = "posterior_chain"\n[population]\nnn = 10\n',
            r"\[population\] line 3: unknown key 'nn'; did you mean 'n'",
        ),
        (
            'program = "posterior_chain"\n[vary]\nincrement = [1, 2]\n',
            r"\[vary\] line 3: unknown key 'increment'; did you mean 'increment_kg'",
        ),
        (
            'program = "posterior_chain"\nmodel = "banistr"\n',
            r"line 2: unknown model 'banistr'; did you mean 'banister'",
        ),
        (
            'program = "posterior_chain"\nweeks = 0\n',
            r"line 2: weeks must be a whole number in 1..520, got 0",
        ),
        ('program = "posterior_chain"\n[population]\nn = -3\n', r"n must be a whole number > 0, got -3"),
        # a typo in an objective was reported only after the whole sweep had run
        (
            'program = "posterior_chain"\nobjectives = ["strenght_gain"]\n',
            r"line 2: unknown objective 'strenght_gain'; did you mean 'strength_gain'",
        ),
    ],
)
def test_sweep_spec_mistakes_are_errors_before_any_work(tmp_path, text, message):
    path = write(tmp_path, "s.toml", text)
    with pytest.raises((cl.UnknownNameError, cl.ValidationError), match=message):
        load_spec(path)


def test_sweep_spec_strict_false_warns(tmp_path):
    path = write(tmp_path, "s.toml", 'program = "posterior_chain"\nweek = 24\n')
    with pytest.warns(UnknownKeyWarning, match="did you mean 'weeks'"):
        spec = load_spec(path, strict=False)
    assert spec.weeks == 12 and spec.population_n == 1000


def test_the_shipped_sweep_spec_is_valid():
    from chainload._files import DATA_DIR

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spec = load_spec(
            DATA_DIR / "sweeps" / "posterior_volume.toml",
            program_loader=lambda n, _: cl.Program.examples()[n],
        )
    assert (spec.weeks, spec.model, spec.population_n, spec.population_seed) == (24, "size_neural", 1000, 1)
    assert spec.vary["deload_every"] == [4, None]


def test_cli_sweep_spec_typo_is_an_error_without_traceback(tmp_path, capsys):
    path = write(tmp_path, "s.toml", SPEC)
    assert main(["sweep", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"chainload: error: {path} line 2: unknown key 'week'; did you mean 'weeks'?")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["compare", "--population", "-3"],
        ["compare", "--weeks", "0"],
        ["simulate", "posterior_chain", "--weeks", "x"],
    ],
)
def test_cli_bad_numbers_are_usage_errors(argv, capsys):
    # `chainload compare --population -3` succeeded (issue 13).
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "out of range" in err or "is not a whole number" in err


def test_cli_debug_works_anywhere_on_the_line(tmp_path, capsys):
    path = write(tmp_path, "s.toml", SPEC)
    assert main(["sweep", str(path)]) == 1
    with pytest.raises(cl.UnknownNameError):
        main(["sweep", str(path), "--debug"])
    with pytest.raises(cl.UnknownNameError):
        main(["--debug", "sweep", str(path)])

"""The command line, called in-process through chainload.cli.main."""

from __future__ import annotations

import io
import json
import math
import sys

import pandas as pd
import pytest

import chainload as cl
from chainload import Program, analyze
from chainload.cli import main

DEADLIFT_TOML = """
name = "Deadlift only"
weeks = 2
[[session]]
day = "mon"
exercise = [{ exercise = "deadlift", sets = 3, reps = 5, percent_1rm = 80 }]
"""


def strict_json(text: str):
    """json.loads that refuses NaN / Infinity (not JSON; other parsers reject them)."""

    def refuse(constant: str):
        raise ValueError(f"non-standard JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def posterior_chain_report():
    return analyze(Program.examples()["posterior_chain"])


def test_analyze_table(capsys, posterior_chain_report):
    assert main(["analyze", "posterior_chain"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    ratio = posterior_chain_report.summary()["posterior_anterior"]
    # 2.12 by hand, the per-set volume share (docs/balance.md): each set of exercise e puts
    # f_e = Σ p a s / Σ a s of its unit on the posterior chain (activations of exercises.toml, sizes
    # and shares of muscle_graph.toml); n_e = 9 normal weeks x sets + 3 deload weeks x max(1,
    # round(sets / 2)). f_e (Σ p a s / Σ a s), n_e: deadlift .242561/.3492 = .69462, 33; pull_up
    # .058850/.1043 = .56424, 42; hip_thrust .142311/.2319 = .61367, 33; back_extension
    # .112156/.1193 = .94012, 33; back_squat .134661/.2985 = .45113, 42; bent_over_row
    # .108925/.133275 = .81730, 42; lunge .113536/.2756 = .41196, 33; face_pull .029988/.03915 =
    # .76596, 33; romanian_deadlift .203486/.265725 = .76578, 33; kettlebell_swing .187330/.25205 =
    # .74323, 54; glute_bridge .131505/.1411 = .93200, 33; chin_up .054350/.115275 = .47148, 33.
    # P = Σ n_e f_e = 301.760, A = Σ n_e (1 - f_e) = 444 - 301.760 = 142.240 -> 2.1215
    f_n = [(0.69462, 33), (0.56424, 42), (0.61367, 33), (0.94012, 33), (0.45113, 42), (0.81730, 42),
           (0.41196, 33), (0.76596, 33), (0.76578, 33), (0.74323, 54), (0.93200, 33), (0.47148, 33)]  # fmt: skip
    post = sum(f * n for f, n in f_n)
    assert post / (sum(n for _, n in f_n) - post) == pytest.approx(ratio, abs=1e-3)
    assert f"posterior:anterior {ratio:.2f}" in out and "posterior:anterior 2.12" in out
    assert "Weekly fractional sets per muscle" in out and "posterior-dominant" in out
    assert "band 0.75-1.33" in out and "per-set volume share of each chain" in out


def test_analyze_csv(capsys, posterior_chain_report):
    assert main(["analyze", "posterior_chain", "--format", "csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out), index_col="week")
    assert list(frame.index) == list(range(1, 13))
    pd.testing.assert_series_equal(
        frame["posterior_anterior"], posterior_chain_report.balance["posterior_anterior"], check_names=False
    )
    # hamstrings fractional sets: 18.25 in a normal week, 11.5 in the deload weeks (see test_analysis)
    assert frame.loc[1, "hamstrings"] == 18.25 and frame.loc[4, "hamstrings"] == 11.5
    assert set(frame["verdict"]) == {"posterior-dominant"}
    assert {"hamstrings:quadriceps", "pull:push", "glutes", "tibialis"} <= set(frame.columns)


def test_analyze_json(capsys, posterior_chain_report):
    assert main(["analyze", "posterior_chain", "--format", "json"]) == 0
    out = strict_json(capsys.readouterr().out)
    assert out["program"] == "Posterior chain" and out["band"] == [0.75, pytest.approx(4 / 3)]
    # no muscle is left out: every one has its posterior share (muscle_graph.toml)
    assert len(out["posterior_shares"]) == 22 and out["posterior_shares"]["triceps"] == 1.0
    assert out["posterior_shares"]["adductors"] == 0.602
    summary = posterior_chain_report.summary()
    assert out["summary"]["posterior_anterior"] == pytest.approx(summary["posterior_anterior"])
    assert out["summary"]["posterior_anterior"] > 1
    assert out["summary"]["weekly_sets"] == pytest.approx(summary["weekly_sets"])
    # no hip-flexor work at all: the ratio is unbounded, written "inf" (null would not say which)
    assert out["summary"]["glutes:hip_flexors"] == "inf"
    assert len(out["balance"]) == 12 and out["balance"][0]["week"] == 1
    assert out["balance"][3]["verdict"] == "posterior-dominant"
    assert out["weekly_fractional_sets"][3]["hamstrings"] == 11.5


def test_mirror_muscles_json(capsys):
    assert main(["analyze", "mirror_muscles", "--format", "json"]) == 0
    out = strict_json(capsys.readouterr().out)
    assert out["summary"]["posterior_anterior"] < 0.75
    assert {row["verdict"] for row in out["balance"]} == {"anterior-dominant"}


def test_program_file_and_athlete_file(capsys, tmp_path):
    program = tmp_path / "dl.toml"
    program.write_text(DEADLIFT_TOML)
    athlete = tmp_path / "ann.toml"
    athlete.write_text("bodyweight = 60\n[one_rm]\ndeadlift = 140\n")
    assert main(["analyze", str(program), "--athlete", str(athlete), "--format", "json"]) == 0
    out = strict_json(capsys.readouterr().out)
    # deadlift alone: P / A = .2425608 / .1066392 = 2.2746 by hand (Σ p a s over Σ (1 - p) a s of
    # one set, test_analysis.test_bench_below_deadlift; the raw sum ratio was 4.25)
    assert out["program"] == "Deadlift only"
    assert out["summary"]["posterior_anterior"] == pytest.approx(2.2746, abs=1e-4)
    assert out["weekly_fractional_sets"][1]["glutes"] == 3.0
    # the same program for an athlete without a deadlift 1RM: exit 1 naming the exercise
    athlete.write_text("bodyweight = 60\n[one_rm]\nback_squat = 100\n")
    assert main(["analyze", str(program), "--athlete", str(athlete)]) == 1
    out, err = capsys.readouterr()
    assert "error" in err and "no 1RM for 'deadlift'" in err and "Traceback" not in err


def test_missing_file(capsys):
    assert main(["analyze", "no_such_program.toml"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("chainload: error:") and "no_such_program.toml" in err
    assert "posterior_chain" in err  # lists the shipped examples
    assert "Traceback" not in err


def test_bad_program_file(capsys, tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text(DEADLIFT_TOML.replace("deadlift", "deadlfit"))
    assert main(["analyze", str(path)]) == 1
    err = capsys.readouterr().err
    assert "error" in err and "unknown exercise 'deadlfit'; did you mean 'deadlift'" in err
    path.write_text(DEADLIFT_TOML.replace("sets = 3", "sets = 3, set = 4"))
    assert main(["analyze", str(path)]) == 1
    err = capsys.readouterr().err
    assert "typo.toml: line 6, session #1 exercise #1: unknown field 'set'; did you mean 'sets'?" in err
    assert "Traceback" not in err
    assert main(["analyze", str(tmp_path)]) == 1  # a directory
    assert "error" in capsys.readouterr().err


def test_debug_shows_the_exception():
    with pytest.raises(cl.Error, match="no_such_program.toml"):
        main(["--debug", "analyze", "no_such_program.toml"])


@pytest.mark.parametrize(
    "argv",
    [
        ["analyze", "posterior_chain", "--bogus"],
        ["--bogus"],
        ["analyze", "posterior_chain", "--format", "xml"],
        ["analyze"],
        [],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    assert "usage: chainload" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == f"chainload {cl.__version__}"
    assert cl.__version__ == "0.1.0"  # pyproject.toml [project] version


# --- issue 13 item 7: suggest, shipped sweep specs, --help, JSON, progress bars ------------------


def test_suggest_prints_the_report_s_suggestion(capsys):
    from chainload.analysis import analyze

    expected = analyze(cl.Program.examples()["posterior_chain"]).suggest(window=4)
    assert main(["suggest", "posterior_chain", "--format", "json"]) == 0
    out = strict_json(capsys.readouterr().out)
    assert out["verdict"] == expected.verdict and out["weeks"] == [9, 12] == list(expected.window)
    assert [e["exercise"] for e in out["edits"]] == expected.edits["exercise"].tolist()
    assert sum(e["sets_per_week"] for e in out["edits"]) == int(expected.edits["sets_per_week"].sum())
    assert "glutes:hip_flexors inf outside 0.5-2" in out["problems"]  # no hip-flexor work: x/0
    with pytest.raises(SystemExit) as e:  # a bad number is a usage error
        main(["suggest", "posterior_chain", "--window", "0"])
    assert e.value.code == 2


def test_sweep_takes_a_shipped_spec_by_name(capsys):
    from chainload._files import DATA_DIR
    from chainload.cli import _sweep_spec

    assert _sweep_spec("posterior_volume") == DATA_DIR / "sweeps" / "posterior_volume.toml"
    assert main(["sweep", "posterior_volum"]) == 1
    assert "posterior_volum: no such file (shipped sweep specs: posterior_volume)" in capsys.readouterr().err


def test_every_help_shows_the_defaults_and_an_example():
    from chainload.cli import EXAMPLES, build_parser

    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(commands) == set(EXAMPLES)
    for name, sub in commands.items():
        text = " ".join(sub.format_help().split())
        assert f"example: {EXAMPLES[name]}" in text, name
        bare = "".join(text.split())  # help lines wrap, also at hyphens
        for action in sub._actions:
            if action.option_strings and action.default not in (None, False, "==SUPPRESS=="):
                stated = "default" in (action.help or "")
                assert f"(default:{action.default})" in bare or stated, (name, action.dest)
    simulate = " ".join(commands["simulate"].format_help().split())
    assert (
        "--model {size_neural,banister,busso,saturating} adaptation model (default: size_neural)" in simulate
    )


def test_debug_is_taken_anywhere_on_the_line():
    with pytest.raises(cl.Error):
        main(["analyze", "no_such_program", "--debug"])
    with pytest.raises(cl.Error):
        main(["--debug", "analyze", "no_such_program"])


def test_json_values_say_which_non_finite_number_and_write_dates():
    import numpy as np
    import pandas as pd

    from chainload.cli import _json_value, _records

    assert [_json_value(v) for v in (math.nan, math.inf, -math.inf, np.float64(1.5), np.int64(2))] == [
        "nan", "inf", "-inf", 1.5, 2,
    ]  # fmt: skip
    assert _json_value(pd.Timestamp("2024-03-04")) == "2024-03-04"
    assert _json_value(pd.Timestamp("2024-03-04 18:30")) == "2024-03-04T18:30:00"
    frame = pd.DataFrame(
        {"ratio": [1.0, math.inf]}, index=pd.DatetimeIndex(["2024-01-01", "2024-01-08"], name="week")
    )
    assert _records(frame) == [{"week": "2024-01-01", "ratio": 1.0}, {"week": "2024-01-08", "ratio": "inf"}]
    assert json.loads(json.dumps(_records(frame), allow_nan=False))[1]["ratio"] == "inf"


def test_progress_bars_only_on_a_terminal(monkeypatch):
    import io

    from chainload import cli

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert cli._on_terminal() is False
    monkeypatch.setattr(sys, "stderr", Tty())
    assert cli._on_terminal() is True

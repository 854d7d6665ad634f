"""Issue 9 item 7, a consistent API: every public ``summary()`` is a table (DataFrame or
Series) whose values are the object's own facts, the text is ``describe()``/``str()``; the
validation figure goes through the figure registry like the others (test_plots.py); the sweep's progress bar
shows only where someone can see it."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import one_week
from test_fit import DAYS_20, LOAD, observed_on, write_log
from test_plots import validation_table

import chainload as cl
from chainload import validation
from chainload.program import Prescription, Program
from chainload.sweep import _interactive
from chainload.trial import Trial

FIXTURES = Path(__file__).parent / "fixtures" / "logs"


def small_program() -> Program:
    return one_week(Prescription("back_squat", 3, 5, kg=100), weeks=2)


def test_every_summary_is_a_table_of_the_objects_own_facts(tmp_path: Path) -> None:
    prog = small_program()
    # Report: 3 sets of back squat a week; weekly_sets sums the fractional sets of every muscle
    report = cl.analyze(prog)
    s = report.summary()
    assert isinstance(s, pd.Series)
    weekly = report.per_muscle("fractional_sets", by="week")
    assert s["weekly_sets"] == pytest.approx(float(weekly.to_numpy().sum()) / 2)
    # Simulation: the gain of the squat is last / first 1RM - 1, in %
    sim = cl.simulate(prog, weeks=2)
    s = sim.summary()
    assert isinstance(s, pd.Series)
    perf = sim.performance["back_squat"]
    assert s["gain_back_squat_pct"] == pytest.approx(100 * (perf.iloc[-1] / perf.iloc[0] - 1))
    # SweepResult: the median strength gain of variant 0 over its athletes
    res = cl.sweep(prog, cl.Population.sample(3, seed=1), weeks=2, progress=False)
    s = res.summary()
    assert isinstance(s, pd.DataFrame)
    out = res.outcomes
    assert s.loc[0, "strength_gain"] == pytest.approx(out.loc[out["variant"] == 0, "strength_gain"].median())
    # Trial: one arm, 3 athletes pre 100/110/120, post 110/121/126: mean change 9 kg
    rows = [
        {"arm": "A", "athlete": i, "outcome": "1rm:x", "pre": pre, "post": post}
        for i, (pre, post) in enumerate([(100.0, 110.0), (110.0, 121.0), (120.0, 126.0)])
    ]
    s = Trial(pd.DataFrame(rows), n_boot=50).summary()
    assert isinstance(s, pd.DataFrame)
    assert s.set_index("arm").loc["A", "change"] == pytest.approx(9.0)
    # Fit: one row per parameter with the fit's metrics; the validation: errors with the skill
    f = cl.fit_series(LOAD, observed_on(DAYS_20, noise=0.5), starts=5, bootstrap=0)
    s = f.summary()
    assert isinstance(s, pd.DataFrame)
    assert list(s.index) == list(f.uncertainty["param"])
    assert s.loc["tau1", "estimate"] == f.uncertainty.set_index("param").loc["tau1", "estimate"]
    assert (s["rmse"] == f.metrics["rmse"]).all() and (s["n_obs"] == len(DAYS_20)).all()
    assert "tau1" in f.describe() and str(f) == f.describe()
    v = f.validate()
    s = v.summary()
    assert isinstance(s, pd.DataFrame)
    e = v.errors["mae"]
    assert (
        s.loc["model", "skill"] == pytest.approx(v.skill) == pytest.approx(1 - e["model"] / e["last_value"])
    )
    assert s.loc["last_value", "skill"] == 0.0 and s.loc["trend", "mae"] == e["trend"]
    assert "skill vs last value" in v.describe() and str(v) == v.describe()
    # AthleteFit: the fitted parameters with their intervals
    log = cl.read_log(write_log(tmp_path))
    af = cl.fit_athlete(log)
    s = af.summary()
    assert isinstance(s, pd.DataFrame)
    pd.testing.assert_frame_equal(s, af.params)
    assert "1 lifts" in af.describe() and str(af) == af.describe()
    # ImportReport: the bad-rows fixture reads 13 data rows, uses 4, skips 9 (test_io)
    bad = cl.read_log(FIXTURES / "strong_bad_rows.csv").report
    s = bad.summary()
    assert isinstance(s, pd.Series) and s.dtype == float
    assert (s["rows_read"], s["rows_used"], s["skipped"]) == (13, 4, 9)
    kinds = bad.skipped_by_kind()
    assert sum(s[f"skipped:{k}"] for k in kinds.index) == 9
    assert s["lines:physical"] == bad.lines["physical"] and s["names_unmatched"] == len(bad.unmatched)
    assert "rows read 13, used 4, skipped 9" in bad.describe() and str(bad) == bad.describe()
    # validation: a finding's checks
    s = validation.finding(validation_table(), "X-1").summary()
    assert isinstance(s, pd.DataFrame)
    assert list(s["simulated"].iloc[:1]) == [12.0] and list(s["pass"]) == [True, False]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


class ZMQInteractiveShell:  # the class name IPython gives a notebook kernel's shell
    pass


def test_the_sweeps_progress_bar_shows_only_where_it_can_be_seen(monkeypatch) -> None:
    import types

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert _interactive() is False  # a pipe or a log file
    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    assert _interactive() is False  # ipykernel merely imported, no notebook shell
    shell = types.ModuleType("IPython")
    shell.get_ipython = ZMQInteractiveShell  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", shell)
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    assert _interactive() is False  # a notebook without ipywidgets: text bars in the output
    monkeypatch.setattr("importlib.util.find_spec", lambda name: object() if name == "ipywidgets" else None)
    assert _interactive() is True  # a notebook with the widget
    monkeypatch.setitem(sys.modules, "IPython", None)
    monkeypatch.setattr(sys, "stderr", _Tty())
    assert _interactive() is True  # a terminal


def test_no_bar_is_drawn_into_a_pipe(monkeypatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    res = cl.sweep(
        cl.vary(small_program(), increment_kg=[0.0, 2.5]),
        cl.Population.sample(4, seed=1),
        weeks=2,
        chunk_size=2,
    )
    assert len(res.outcomes) == 8 and "sweep" not in err.getvalue()
    bar_err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", bar_err)
    cl.sweep(small_program(), cl.Population.sample(4, seed=1), weeks=2, chunk_size=2, progress=True)
    assert "sweep" in bar_err.getvalue()  # asked for, it is drawn (2 chunks)

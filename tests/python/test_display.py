"""Rich notebook display (_repr_html_) and the .plot() shortcuts."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest
from matplotlib.figure import Figure

import chainload as cl


@pytest.fixture(scope="module")
def program():
    return cl.Program.examples()["posterior_chain"]


def test_program_html_lists_week_one(program):
    html = program._repr_html_()
    assert "Posterior chain" in html and "deload weeks [4, 8, 12]" in html
    frame = program.to_frame()
    assert len(frame) == sum(len(s.prescriptions) for s in program.weeks[0]) == 12
    assert frame.iloc[0].to_dict() == {
        "day": "mon", "session": "Hinge & pull", "exercise": "deadlift", "sets": 3, "reps": "5",
        "intensity": "80 %1RM", "progression": "linear +2.5 kg",
    }  # fmt: skip


@pytest.mark.slow
def test_report_simulation_and_sweep_display_and_plot(program):
    report = cl.analyze(program)
    assert "posterior_anterior" in report._repr_html_() and "per-set" in report._repr_html_()
    for kind in ("balance", "body_map"):
        assert isinstance(report.plot(kind), Figure)
    sim = cl.simulate(program, weeks=4)
    assert "failures" in sim._repr_html_()
    assert [len(sim.plot(k).axes) >= 1 for k in ("fitness_fatigue", "performance", "balance")] == [True] * 3
    res = cl.sweep(program, cl.Population.sample(5, seed=1), weeks=2)
    assert "1 variants × 5 athletes" in res._repr_html_()
    assert len(res.plot().axes[0].patches) == 1  # one box
    assert isinstance(cl.MuscleGraph.default().plot(), Figure)
    with pytest.raises(cl.ValidationError):
        sim.plot("nope")  # type: ignore[arg-type]

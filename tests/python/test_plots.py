"""chainload.plots: every figure renders to a non-empty PNG and draws the artists it promises."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import math
import re
import sys
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

import chainload as cl
from chainload import plots
from chainload.plots.comparison import MAX_WIDTH_IN

NON_WHITE = 0.97  # a pixel channel below this counts as ink


@pytest.fixture(scope="module")
def sim() -> cl.Simulation:
    # 5 weeks of the posterior-chain example: a planned deload (week 4), and failed sessions from an
    # 80 kg lifter whose pull-up and chin-up 1RM is 84 kg total (2-3 reps at body mass: 3 failures)
    weak_pull = cl.Athlete(one_rm={"pull_up": 84.0, "chin_up": 84.0}, estimate_missing=True)
    return cl.simulate(cl.Program.examples()["posterior_chain"], weak_pull, weeks=5)


@pytest.fixture(scope="module")
def report() -> cl.Report:
    return cl.analyze(cl.Program.examples()["balanced_full_body"])


def render(fig: Figure, tmp_path, name: str, min_ink: float) -> np.ndarray:
    """Save as PNG, check it is a real picture (> 5 kB, enough non-white pixels), return the pixels."""
    assert isinstance(fig, Figure)
    path = tmp_path / f"{name}.png"
    fig.savefig(path, dpi=72)
    assert path.stat().st_size > 5_000
    img = mpimg.imread(path)
    ink = float((img[..., :3] < NON_WHITE).any(axis=2).mean())
    assert ink > min_ink, f"{name}: only {ink:.1%} of the pixels are not white"
    return img


def gids(artists, prefix: str) -> list[str]:
    return [a.get_gid() for a in artists if (a.get_gid() or "").startswith(prefix)]


# --- palette ------------------------------------------------------------------------------------
def test_palette_is_okabe_ito_and_tells_the_chains_apart():
    assert plots.PALETTE.posterior == "#0072B2" and plots.PALETTE.anterior == "#D55E00"
    assert set(plots.CHAIN_COLORS) == {"posterior", "anterior", "lateral"}
    assert len(set(plots.CHAIN_COLORS.values())) == 3
    assert set(plots.CHAIN_COLORS.values()) <= set(plots.OKABE_ITO.values())
    # categorical series avoid the chain colours first
    assert not set(plots.PALETTE.categorical[:4]) & set(plots.CHAIN_COLORS.values())


# --- body map -----------------------------------------------------------------------------------
def test_body_map_shapes_cover_every_default_muscle(graph):
    _outline, shapes = plots.body_shapes()
    assert set(graph.ids) <= {s.name for s in shapes}
    views = {s.name: s.view for s in shapes}
    assert views["pecs"] == "front" and views["hamstrings"] == "back" and views["forearms"] == "both"


def test_body_map_renders_one_coloured_patch_per_muscle(report, graph, tmp_path):
    values = report.per_muscle(by="total").iloc[:, 0]
    fig = plots.body_map(values, title="total sets", label="fractional sets")
    render(fig, tmp_path, "body_map", min_ink=0.15)
    ax = fig.axes[0]
    muscle_patches = [p for p in ax.patches if (p.get_gid() or "").startswith("muscle:")]
    assert len(muscle_patches) >= 22
    assert {p.get_gid().removeprefix("muscle:") for p in muscle_patches} == set(graph.ids)
    assert len(fig.axes) == 2  # the map and its colour bar
    # the largest value takes the top colour of the map
    top = values.idxmax()
    patch = next(p for p in muscle_patches if p.get_gid() == f"muscle:{top}")
    assert to_hex(patch.get_facecolor()) == to_hex(matplotlib.colormaps["viridis"](1.0))


def test_body_map_draws_muscles_without_a_value_grey(tmp_path):
    fig = plots.body_map({"glutes": 3.0, "quadriceps": 1.0}, cmap="magma")
    render(fig, tmp_path, "body_map_partial", min_ink=0.15)
    faces = {p.get_gid(): to_hex(p.get_facecolor()) for p in fig.axes[0].patches if p.get_gid()}
    assert faces["muscle:pecs"] == to_hex(plots.PALETTE.missing)
    assert faces["muscle:glutes"] != to_hex(plots.PALETTE.missing)


def test_body_map_unknown_muscle_raises():
    with pytest.raises(cl.UnknownNameError, match="hamstrings"):
        plots.body_map({"hamstring": 1.0})
    with pytest.raises(cl.UnknownNameError):
        plots.body_map(pd.Series({"glutes": 1.0, "biceps_femoris": 2.0}))


def test_body_map_draws_into_a_given_axes(tmp_path):
    fig = Figure(figsize=(8, 4))
    ax1, ax2 = fig.subplots(1, 2)
    out = plots.body_map({"lats": 2.0}, ax=ax2)
    assert out is fig and gids(ax2.patches, "muscle:") and not ax1.patches


# --- fitness-fatigue and performance -------------------------------------------------------------
@pytest.mark.slow
def test_fitness_fatigue_per_muscle(sim, tmp_path):
    fig = plots.fitness_fatigue(sim, muscles=["glutes", "hamstrings", "quadriceps"])
    render(fig, tmp_path, "fitness_fatigue", min_ink=0.1)
    panels = fig.axes[:3]
    assert [ax.get_ylabel() for ax in panels] == list(plots.quantity_labels(sim.model).values())
    # size_neural records size - 1 and F1 + F2 (simulator.cpp read()): their units, not "a.u."
    assert plots.quantity_labels("size_neural")["fatigue"] == "acute fatigue (fraction of force)"
    assert plots.quantity_labels("banister")["fatigue"].startswith("fatigue (a.u.")
    for ax in panels:
        assert len([ln for ln in ax.lines if ln.get_label() in ("glutes", "hamstrings", "quadriceps")]) == 3
        assert gids(ax.patches, "deload")  # week 4 is a planned deload
    colors = {ln.get_label(): ln.get_color() for ln in panels[0].lines}
    assert colors["quadriceps"] == plots.PALETTE.anterior  # the only anterior muscle: the chain colour
    failures = fig.axes[3].lines[0]
    assert failures.get_gid() == "failures"
    assert len(failures.get_xdata()) == sim.sessions.loc[sim.sessions["failed"], "day"].nunique() > 0


@pytest.mark.slow
def test_fitness_fatigue_per_chain(sim, tmp_path):
    fig = plots.fitness_fatigue(sim, by="chain")
    render(fig, tmp_path, "fitness_fatigue_chain", min_ink=0.1)
    labels = [ln.get_label() for ln in fig.axes[0].lines]
    assert [lab.split()[0] for lab in labels] == ["posterior", "anterior", "lateral"]
    # the chain line is the size-weighted mean of the chain's muscles
    post = sim.chains["posterior"]
    w = np.array([sim.sizes[m] for m in post])
    idx = [sim.muscle_ids.index(m) for m in post]
    expected = sim.arrays["capacity"][:, idx] @ w / w.sum()
    np.testing.assert_allclose(fig.axes[2].lines[0].get_ydata(), expected)
    with pytest.raises(cl.UnknownNameError, match="glutes"):
        plots.fitness_fatigue(sim, muscles=["glute"])
    with pytest.raises(cl.ValidationError):
        plots.fitness_fatigue(sim, by="region")  # type: ignore[arg-type]


@pytest.mark.slow
def test_performance_one_line_per_lift_and_failures_marked(sim, tmp_path):
    fig = plots.performance(sim)
    render(fig, tmp_path, "performance", min_ink=0.08)
    ax = fig.axes[0]
    assert sorted(gids(ax.lines, "lift:")) == sorted(f"lift:{e}" for e in sim.exercise_ids)
    failed = sim.sessions[sim.sessions["failed"]]
    marks = next(ln for ln in ax.lines if ln.get_gid() == "failures")
    assert len(marks.get_xdata()) == len(failed)
    # markers sit on the lift's curve
    row = failed.iloc[0]
    assert marks.get_ydata()[0] == pytest.approx(sim.performance.at[row["day"], row["exercise"]])
    fig = plots.performance(sim, exercises=["deadlift"], relative=True)
    assert gids(fig.axes[0].lines, "lift:") == ["lift:deadlift"]
    assert fig.axes[0].lines[0].get_ydata()[0] == pytest.approx(100.0)
    with pytest.raises(cl.UnknownNameError):
        plots.performance(sim, exercises=["deadlfit"])


# --- balance ------------------------------------------------------------------------------------
def band_edges(ax: Axes) -> tuple[float, float]:
    """y range of the band patch (a Rectangle or a Polygon, depending on the matplotlib version)."""
    (band,) = [p for p in ax.patches if p.get_gid() == "band"]
    assert isinstance(band, Patch)
    ys = band.get_patch_transform().transform(band.get_path().vertices)[:, 1]
    return float(ys.min()), float(ys.max())


def test_balance_over_time_of_a_report(report, tmp_path):
    fig = plots.balance_over_time(report)
    render(fig, tmp_path, "balance_report", min_ink=0.1)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    lo, hi = report.band
    assert band_edges(ax) == pytest.approx((lo, hi))
    data = [ln for ln in ax.lines if len(ln.get_xdata()) == report.program.n_weeks]
    assert len(data) == 4  # whole body, upper, lower, trunk
    np.testing.assert_allclose(data[0].get_ydata(), report.balance["posterior_anterior"])
    np.testing.assert_allclose(data[3].get_ydata(), report.balance["posterior_anterior_trunk"])


def test_balance_over_time_of_a_simulation(sim, tmp_path):
    fig = plots.balance_over_time(sim, band=(0.8, 1.5))
    render(fig, tmp_path, "balance_sim", min_ink=0.1)
    ax = fig.axes[0]
    assert band_edges(ax) == pytest.approx((0.8, 1.5))
    labels = [ln.get_label() for ln in ax.lines if not ln.get_label().startswith("_")]
    assert labels == ["dose achieved", "capacity (1 = chains gained alike)"]
    with pytest.raises(cl.ValidationError):
        plots.balance_over_time(sim, band=(2.0, 1.0))
    with pytest.raises(cl.ValidationError):
        plots.balance_over_time("not a result")  # type: ignore[arg-type]


# --- muscle graph -------------------------------------------------------------------------------
@pytest.mark.slow
def test_muscle_graph_draws_every_link_once(graph, tmp_path):
    fig = plots.muscle_graph(graph)
    render(fig, tmp_path, "muscle_graph", min_ink=0.05)
    ax = fig.axes[0]
    links = graph.links()
    edges = [ln for ln in ax.lines if (ln.get_gid() or "").startswith("edge:")]
    assert len(edges) == len(links)
    kinds = links["kind"].value_counts()
    dashed = [ln for ln in edges if ln.get_linestyle() != "-"]
    solid = [ln for ln in edges if ln.get_linestyle() == "-"]
    assert len(dashed) == kinds["antagonist"] and all(":antagonist:" in ln.get_gid() for ln in dashed)
    assert len(solid) == kinds["synergist"]
    widths = {ln.get_gid(): ln.get_linewidth() for ln in solid}
    syn = links[links["kind"] == "synergist"]
    strong = syn[syn["weight"] == 1.0].iloc[0]
    weak = syn[syn["weight"] == 0.25].iloc[0]
    assert (
        widths[f"edge:synergist:{strong['a']}:{strong['b']}"]
        > widths[f"edge:synergist:{weak['a']}:{weak['b']}"]
    )
    node_colors = {c.get_gid(): to_hex(c.get_facecolor()[0]) for c in ax.collections}
    assert node_colors == {f"nodes:{c}": to_hex(v) for c, v in plots.CHAIN_COLORS.items()}


def test_graph_layout_front_left_back_right_upper_on_top(graph):
    pos = plots.graph_layout(graph)
    assert set(pos) == set(graph.ids)
    for m in graph.muscles():
        x = pos[m.id][0]
        assert {"anterior": x < -0.5, "posterior": x > 0.5, "lateral": abs(x) < 0.5}[m.chain], m.id
    lowest = {r: min(pos[m][1] for m in graph.region(r)) for r in ("upper", "core", "lower")}
    highest = {r: max(pos[m][1] for m in graph.region(r)) for r in ("upper", "core", "lower")}
    assert lowest["upper"] > highest["core"] and lowest["core"] > highest["lower"]
    assert pos["upper_traps"][1] > pos["lats"][1] and pos["glutes"][1] > pos["calves"][1]  # anatomical order


# --- comparison and Pareto front -----------------------------------------------------------------
@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "posterior_anterior": [1.6, 0.17, 3.6],
            "mean_gain_pct": [7.8, 13.9, 10.6],
            "peak_fatigue": [0.056, 0.095, 0.096],
            "failures": [10.0, 17.0, np.nan],
            "note": ["a", "b", "c"],
        },
        index=pd.Index(["Balanced", "Mirror", "Posterior"], name="program"),
    )


def test_compare_one_panel_per_numeric_column(table, tmp_path):
    from chainload.report.comparison import COLUMNS

    # the panel titles are the table maker's (the report's COLUMNS), not the figure's
    assert [ax.get_title() for ax in plots.compare(table).axes if ax.axison] == [
        "posterior anterior", "mean gain (% change)", "peak fatigue", "failures",
    ]  # fmt: skip
    fig = plots.compare(table, title="three programs", titles=COLUMNS)
    render(fig, tmp_path, "compare", min_ink=0.08)
    panels = [ax for ax in fig.axes if ax.axison]
    assert [ax.get_title() for ax in panels] == [
        "posterior:anterior (dose)",
        "mean 1RM gain (%)",
        "peak fatigue (highest\ndaily, any muscle)",  # wrapped at 30 characters
        "failed sessions (count)",
    ]
    bars = [[p for p in ax.patches if p.get_gid() != "band"] for ax in panels]
    assert [len(b) for b in bars] == [3, 3, 3, 2]  # the NaN has no bar
    assert [to_hex(p.get_facecolor()) for p in bars[0]] == [to_hex(c) for c in plots.PALETTE.categorical[:3]]
    assert gids(panels[0].patches, "band")
    fig = plots.compare(table, columns=["failures"])
    assert len([ax for ax in fig.axes if ax.axison]) == 1
    with pytest.raises(cl.UnknownNameError):
        plots.compare(table, columns=["gain"])


def test_pareto_front_and_plot(tmp_path):
    df = pd.DataFrame({"gain": [1.0, 2.0, 3.0, 2.5, 0.5], "error": [0.1, 0.2, 0.5, 0.6, 0.3]})
    front = plots.pareto_front(df, "gain", "error", maximize=(True, False))
    assert front.tolist() == [True, True, True, False, False]
    fig = plots.pareto(df, "gain", "error", maximize=(True, False))
    render(fig, tmp_path, "pareto", min_ink=0.03)
    dominated, highlighted = fig.axes[0].collections
    assert len(dominated.get_offsets()) == 2 and len(highlighted.get_offsets()) == 3
    fig = plots.pareto(df, "gain", "error", front_mask=[False, False, True, True, False])
    assert len(fig.axes[0].collections[1].get_offsets()) == 2
    with pytest.raises(cl.ValidationError):
        plots.pareto(df, "gain", "error", front_mask=[True])


def test_figures_take_an_axes(sim, report):
    fig = Figure()
    axes = fig.subplots(2, 2).ravel()
    assert plots.performance(sim, ax=axes[0]) is fig
    assert plots.balance_over_time(report, ax=axes[1]) is fig
    assert plots.muscle_graph(ax=axes[2]) is fig
    df = pd.DataFrame({"x": [1.0, 2.0], "y": [2.0, 1.0]})
    assert plots.pareto(df, "x", "y", ax=axes[3]) is fig
    assert all(len(ax.get_children()) > 10 for ax in axes)
    assert isinstance(next(iter(axes[2].lines)), Line2D)


# --- the registry -------------------------------------------------------------------------------


def test_every_object_lists_its_kinds_default_first(sim, report):
    assert plots.kinds(sim) == ["fitness_fatigue", "performance", "balance", "body_map"]
    assert plots.kinds(report) == ["balance", "body_map"]
    assert plots.kinds(cl.MuscleGraph.default()) == ["graph"]
    assert plots.kinds(object()) == []
    # The default kind is the first: sim.plot() is the three-panel fitness-fatigue figure + strip.
    assert len(sim.plot().axes) == 4 == len(plots.plot(sim, "fitness_fatigue").axes)


def test_an_unknown_kind_names_the_kinds_and_a_several_panel_figure_refuses_an_axes(sim):
    with pytest.raises(
        cl.UnknownNameError, match=r"'balanc'.*did you mean 'balance'.*kinds: fitness_fatigue"
    ):
        sim.plot("balanc")
    with pytest.raises(cl.ValidationError, match="no figure for a object"):
        plots.plot(object())
    ax = Figure().add_subplot()
    with pytest.raises(cl.ValidationError, match="fitness_fatigue figure has several panels"):
        sim.plot("fitness_fatigue", ax=ax)
    assert sim.plot("performance", ax=ax) is ax.figure


def test_a_figure_registered_outside_the_package():
    # DESIGN.md "A new figure": one register line, no edit of the domain module, and the
    # object's own .plot() draws it.
    from chainload.plots import _registry

    graph = cl.MuscleGraph.default()

    def sizes(g: cl.MuscleGraph, ax):
        fig = Figure() if ax is None else ax.figure
        target = ax if ax is not None else fig.add_subplot()
        target.bar(list(g.ids), [m.size for m in g.muscles()])
        return fig

    plots.register(cl.MuscleGraph, "sizes")(sizes)
    try:
        fig = graph.plot("sizes")
        heights = [p.get_height() for p in fig.axes[0].patches]
        assert heights == [m.size for m in graph.muscles()] and len(heights) == 22
        assert plots.kinds(graph) == ["graph", "sizes"]
        with pytest.raises(cl.ValidationError, match="registered twice"):
            plots.register(cl.MuscleGraph, "sizes")(sizes)
    finally:
        del _registry._KINDS[cl.MuscleGraph]["sizes"]


# --- the gallery: every figure, no overlapping text, bounded sizes ------------------------------

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _gallery():
    sys.path.insert(0, str(SCRIPTS))
    try:
        import gallery
    finally:
        sys.path.remove(str(SCRIPTS))
    return gallery


def test_the_overlap_check_sees_overlapping_text():
    # Two labels drawn at one spot must be reported, touching-free ones not: the check can fail.
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, "posterior")
    ax.text(0.52, 0.5, "anterior")
    ax.text(0.05, 0.05, "apart")
    assert _gallery().text_overlaps(fig) == [("posterior", "anterior")]
    # tick labels outside the view are not drawn and are not counted
    ax.set_xticks([0.0, 0.5, 1.0, 5.0])
    assert _gallery().text_overlaps(fig) == [("posterior", "anterior")]


@pytest.mark.slow
def test_every_gallery_figure_has_no_overlapping_text_and_a_bounded_size():
    gallery = _gallery()
    seen = []
    for name, draw in gallery.figures():
        fig = draw()
        assert gallery.text_overlaps(fig) == [], name
        w, h = fig.get_size_inches()
        assert w <= 9.0 and h <= 9.0, f"{name}: {w:.1f} × {h:.1f} in"  # plots.comparison.MAX_WIDTH_IN
        seen.append(name)
    # every registered kind of the seven objects, plus the two table figures
    assert len(seen) == 2 + 4 + 1 + 1 + 1 + 1 + 1 + 2, seen
    assert {"log_balance", "fit_fit", "sweep_distributions", "validation_checks", "pareto"} <= set(seen)


def test_a_sweep_of_many_variants_keeps_the_box_plot_within_the_page():
    prog = cl.Program.examples()["posterior_chain"]
    res = cl.sweep(cl.vary(prog, weekly_sets={"posterior": list(range(10, 46, 2))}), cl.Population.sample(3, seed=2),
                   weeks=1)  # fmt: skip
    assert len(res.variants) >= 12
    fig = res.plot()
    assert fig.get_size_inches()[0] == MAX_WIDTH_IN == 9.0  # 1.6 + 1.3 n would be > 17 in
    box_median = [ln for ln in fig.axes[0].lines if ln.get_color() == "black" and ln.get_linewidth() == 1.8]
    assert len(box_median) == len(res.variants)  # a black median on every box
    assert _gallery().text_overlaps(fig) == []


def test_log_balance_has_dates_gaps_and_a_rolling_mean():
    log = cl.read_log(Path(__file__).parent / "fixtures" / "logs" / "strong_program.csv")
    table = pd.DataFrame(
        {
            "posterior_anterior": [1.0, 2.0, np.nan, 4.0, 4.0, 1.0],
            "verdict": ["ok"] * 2 + ["no training"] + ["ok"] * 3,
        },
        index=pd.date_range("2024-01-01", periods=6, freq="7D", name="week"),
    )
    fig = plots.balance_over_time(table)
    ax = fig.axes[0]
    trend = next(ln for ln in ax.lines if ln.get_gid() == "rolling_mean")
    y = np.asarray(trend.get_ydata(), dtype=float)
    # Worked by hand: a centred 4-week geometric mean (pandas centres an even window on weeks
    # i-2..i+1) of at least 2 trained weeks. Week 0: weeks 0, 1 -> sqrt(1·2); week 1: weeks 0, 1
    # (week 2 untrained) -> sqrt(2); week 2 stays a gap; week 5: weeks 3..5 -> (4·4·1)^(1/3).
    np.testing.assert_allclose(y[[0, 1]], [math.sqrt(2.0), math.sqrt(2.0)])
    assert np.isnan(y[2])
    np.testing.assert_allclose(y[5], (4.0 * 4.0 * 1.0) ** (1 / 3))
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
    assert len(log.plot().axes) == 1


def validation_table() -> pd.DataFrame:
    """Two checks of one finding, in the columns of validation.run(): one passes (12 in 10-15),
    one is not computable (NaN), and a check of another finding."""
    base = {"finding": "a finding", "model": "default", "note": ""}
    return pd.DataFrame(
        [
            base | {"id": "X-1", "check": "gain", "published": "12 %", "simulated": 12.0,
                    "tolerance": "10 to 15", "pass": True, "low": 10.0, "high": 15.0},
            base | {"id": "X-1", "check": "ratio", "published": "1.2", "simulated": math.nan,
                    "tolerance": "at least 1", "pass": False, "low": 1.0, "high": math.inf},
            base | {"id": "Y-2", "check": "other", "published": "", "simulated": 0.0,
                    "tolerance": "", "pass": True, "low": -1.0, "high": 1.0},
        ]
    )  # fmt: skip


def test_the_validation_figure_is_a_registered_kind_of_a_finding() -> None:
    # worked by hand from the table below: the band 10-15 with the value 12 inside it
    table = validation_table()
    finding = cl.validation.finding(table, "X-1", title="two checks")
    assert plots.kinds(finding) == ["checks"]
    assert len(finding.checks) == 2 and list(finding.checks["check"]) == ["gain", "ratio"]
    fig = cl.validation.plot(table, "X-1")
    assert isinstance(fig, Figure) and len(fig.axes) == 2  # one panel per check of X-1, not Y-2
    assert fig.get_suptitle() == "X-1 (default model): simulated (dot) vs published band (shaded)"
    gain, ratio = fig.axes
    assert gain.get_xlim() == pytest.approx((10 - 1.25, 15 + 1.25))  # the band 10-15 padded by 25 %
    assert gain.lines[0].get_xdata()[0] == 12.0
    # the check not computable: a cross at the left edge, and the open band shaded to the right
    assert ratio.lines[0].get_marker() == "x" and ratio.lines[0].get_xdata()[0] == ratio.get_xlim()[0]
    assert finding.plot().get_suptitle() == "two checks"
    assert plots.plot(finding, "checks").get_suptitle() == "two checks"
    with pytest.raises(cl.ValidationError, match="several panels"):
        finding.plot(ax=Figure().subplots())
    with pytest.raises(cl.UnknownNameError, match="no check of .Z-9."):
        cl.validation.plot(table, "Z-9")


def test_design_says_a_new_figure_touches_at_most_three_files():
    # docs/DESIGN.md "A new figure": numbered steps, one file each, every named file real; the
    # registration test above shows the domain module is not among them.
    design = (Path(__file__).resolve().parents[2] / Path("docs", "DESIGN").with_suffix(".md")).read_text(
        encoding="utf-8"
    )
    section = design.split("### A new figure", 1)[1].split("\n### ", 1)[0]
    steps = re.findall(r"^\d+\. `([^`]+)`", section, flags=re.M)
    assert steps == ["plots/<family>.py", "plots/__init__.py", "tests/python/test_plots.py"]
    package = Path(plots.__file__).parent
    assert (package / "__init__.py").exists() and Path(__file__).exists()
    families = {p.name for p in package.glob("*.py") if not p.name.startswith("_")}
    assert families == {
        "adaptation.py", "balance.py", "body.py", "comparison.py", "fit.py", "graph.py", "validation.py",
    }  # fmt: skip
    assert "No domain module changes" in section


def test_body_map_names_every_muscle_once_and_its_colour_bar_says_the_caption(graph):
    fig = plots.body_map({"glutes": 3.0}, graph, label="fractional sets / week")
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    names = [m.name for m in graph.muscles()]
    assert sorted(t for t in texts if t in names) == sorted(names)  # 22 muscles, one label each
    assert fig.axes[1].get_ylabel() == "fractional sets / week"
    assert not [
        t for t in plots.body_map({"glutes": 3.0}, graph, labels=False).axes[0].texts if t.get_text() in names
    ]


def test_the_reports_full_comparison_figure_has_no_overlapping_text():
    # Every column `chainload compare` draws, with the report's titles: the longest title
    # ("peak fatigue (highest daily, any muscle)") ran into its neighbour before it was wrapped.
    from chainload.report.comparison import COLUMNS

    battery = ["deadlift_pct", "back_squat_pct", "bench_press_pct", "size_posterior_pct", "battery_pct"]
    rng = np.random.default_rng(0)
    full = pd.DataFrame(
        rng.uniform(0.1, 20.0, (3, len(COLUMNS) + len(battery))),
        index=pd.Index(["Balanced full body", "Mirror muscles", "Posterior chain"], name="program"),
        columns=[*COLUMNS, *battery],
    )
    fig = plots.compare(full, titles=COLUMNS)
    assert _gallery().text_overlaps(fig) == []

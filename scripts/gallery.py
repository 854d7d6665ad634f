"""Write every chainload figure to docs/figures/ (PNG), and check that no two texts overlap.

    python scripts/gallery.py [--out docs/figures] [--log PATH]

Every kind of every object in the figure registry (:func:`chainload.plots.kinds`) is drawn, plus
the figures that take a table (comparison bars, Pareto front, body map of values). ``--log`` is a
workout export for the log figures (default: the Strong fixture of the test suite, or the shared
real export when it is on this machine). Exits 1 and names the figure when texts overlap.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

import chainload as cl
from chainload import plots
from chainload.report.comparison import COLUMNS

ROOT = Path(__file__).resolve().parents[1]
LOGS = (
    ROOT.parent.parent / "shared" / "data" / "strong_export_breinsp.csv",
    ROOT / "tests" / "python" / "fixtures" / "logs" / "strong_program.csv",
)


def _log_path(given: str | None) -> Path:
    if given:
        return Path(given)
    return next(p for p in LOGS if p.exists())


def figures(log_path: Path | None = None) -> Iterator[tuple[str, Callable[[], Figure]]]:
    """(name, draw) of every gallery figure; ``draw`` builds it at its default size."""
    program = cl.Program.examples()["posterior_chain"]
    report = cl.analyze(program)
    sim = cl.simulate(program, weeks=12)
    variants = cl.vary(program, weekly_sets={"posterior": [10, 20, 30]})
    sweep = cl.sweep(variants, cl.Population.sample(40, seed=1), weeks=8)
    log = cl.read_log(log_path or _log_path(None))
    days = np.arange(120)
    load = np.where(days % 7 < 3, 10.0, 0.0)
    true = cl.banister(load)["performance"].to_numpy()
    rng = np.random.default_rng(3)
    tests = np.full(len(days), np.nan)
    tests[::9] = 100.0 + true[::9] + rng.normal(0, 0.4, len(tests[::9]))
    index = pd.date_range("2025-01-06", periods=len(days), freq="D")
    fit = cl.fit_series(pd.Series(load, index=index), pd.Series(tests, index=index), bootstrap=0)
    finding = cl.validation.finding(cl.validation.run(["RATIO-4"]), "RATIO-4")
    objects = {"report": report, "simulation": sim, "sweep": sweep, "graph": cl.MuscleGraph.default(),
               "fit": fit, "log": log, "validation": finding}  # fmt: skip
    for name, obj in objects.items():
        for kind in plots.kinds(obj):
            yield f"{name}_{kind}", lambda obj=obj, kind=kind: plots.plot(obj, kind)
    table = pd.DataFrame(
        {
            "posterior_anterior": [1.05, 0.62, 1.41],
            "mean_gain_pct": [8.2, 6.9, 7.4],
            "peak_fatigue": [3.1, 2.2, 4.0],
        },
        index=pd.Index(["posterior chain", "push heavy", "pull heavy"], name="program"),
    )
    yield "compare", lambda: plots.compare(table, titles=COLUMNS)
    med = sweep.outcomes.groupby("variant")[["strength_gain", "peak_fatigue"]].median()
    med.index = [v.name for v in sweep.variants]
    yield "pareto", lambda: plots.pareto(med, "strength_gain", "peak_fatigue", maximize=(True, False))


def text_overlaps(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of visible, non-empty texts of ``fig`` whose rendered boxes intersect (in pixels,
    from matplotlib's renderer at the figure's own size and dpi)."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ticks: set[int] = set()  # every tick label, drawn or not
    drawn: list[Text] = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                ticks |= {id(tick.label1), id(tick.label2)}
            # the ticks matplotlib drew: those inside the view interval
            if ax.axison and axis.get_visible():
                drawn += [t for tick in axis._update_ticks() for t in (tick.label1, tick.label2)]
    texts = [t for t in fig.findobj(Text) if id(t) not in ticks] + drawn
    boxes = []
    for t in texts:
        if not t.get_visible() or not t.get_text().strip():
            continue
        bb = t.get_window_extent(renderer)
        if bb.width > 0 and bb.height > 0:
            boxes.append((t.get_text(), bb))
    out = []
    for i, (a, ba) in enumerate(boxes):
        for b, bb in boxes[i + 1 :]:
            # shrink by half a pixel: boxes that only touch do not overlap
            if (
                ba.x0 + 0.5 < bb.x1 - 0.5
                and bb.x0 + 0.5 < ba.x1 - 0.5
                and ba.y0 + 0.5 < bb.y1 - 0.5
                and bb.y0 + 0.5 < ba.y1 - 0.5
            ):
                out.append((a, b))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", default=str(ROOT / "docs" / "figures"), help="output folder (default: %(default)s)"
    )
    parser.add_argument("--log", default=None, help="workout export for the log figures")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    bad = 0
    for name, draw in figures(_log_path(args.log)):
        fig = draw()
        overlaps = text_overlaps(fig)
        w, h = fig.get_size_inches() * fig.dpi
        print(f"{name}: {w:.0f} × {h:.0f} px" + (f", OVERLAPS {overlaps}" if overlaps else ""))
        bad += bool(overlaps)
        fig.savefig(out / f"{name}.png", dpi=110)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

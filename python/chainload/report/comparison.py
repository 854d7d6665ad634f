"""The comparison report: programs side by side on one athlete and on a small population,
written as one self-contained HTML file (figures embedded) plus the figures as PNG files."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import __version__, plots
from ..analysis import DEFAULT_BAND, analyze
from ..athlete import Athlete
from ..population import Population
from ..program import Program
from ..simulation import DEFAULT_MODEL, ModelName, Simulation, simulate
from ..sweep import SweepResult, compare
from ..trial import BATTERY
from ..trial import compare as compare_battery

COLUMNS: dict[str, str] = {
    "posterior_anterior": "posterior:anterior (dose)",
    "hamstrings:quadriceps": "hamstrings:quadriceps (dose)",
    "pull:push": "pull:push (dose)",
    "mean_gain_pct": "mean 1RM gain (%)",
    "capacity_post_ant": "posterior:anterior (capacity)",
    "peak_fatigue": "peak fatigue (highest daily, any muscle)",
    "failures": "failed sessions (count)",
    "pop_median_gain_pct": "population median 1RM gain (%)",
}
"""The single-athlete columns of the comparison table, each with its title in figures: the one
place that names them (the rows below are built from these keys; the battery's columns are named
by :func:`chainload.trial.compare`)."""


@dataclass
class Comparison:
    """Programs compared: the table ``chainload compare`` prints, the single-athlete simulations
    and the population sweep behind it."""

    table: pd.DataFrame
    simulations: dict[str, Simulation]
    population: SweepResult | None
    weeks: int
    model: str
    athlete: Athlete

    def _repr_html_(self) -> str:
        return self.table.round(3).to_html()


def compare_programs(
    programs: Sequence[Program],
    athlete: Athlete | None = None,
    weeks: int = 12,
    model: ModelName = DEFAULT_MODEL,
    population: int = 200,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> Comparison:
    """Dose balance, simulated adaptation on ``athlete`` and, with ``population`` > 0, the
    distribution of outcomes over that many sampled athletes (seeded), for each program."""
    ath = athlete if athlete is not None else Athlete.default()
    step = progress or (lambda _msg: None)
    rows, sims = {}, {}
    for prog in programs:
        step(f"simulating {prog.name}")
        pairs = analyze(prog, ath).summary()
        sim = simulate(prog, ath, weeks=weeks, model=model)
        s = sim.summary()
        gains = s[[k for k in s.index if k.startswith("gain_")]]
        values = {
            "posterior_anterior": pairs["posterior_anterior"],
            "hamstrings:quadriceps": pairs.get("hamstrings:quadriceps", float("nan")),
            "pull:push": pairs.get("pull:push", float("nan")),
            "mean_gain_pct": gains.mean(),
            "capacity_post_ant": s["capacity_posterior_anterior"],
            "peak_fatigue": s["peak_fatigue"],
            "failures": s["failures"],
        }
        rows[prog.name] = {k: values[k] for k in COLUMNS if k in values}
        sims[prog.name] = sim
    table = pd.DataFrame(rows).T
    table.index.name = "program"
    swept = None
    if population > 0:
        step(f"sweeping {population} virtual athletes")
        swept = compare(
            list(programs), Population.sample(population, seed=seed), weeks, model, progress=False
        )
        med = swept.outcomes.groupby("variant")["strength_gain"].median()
        table["pop_median_gain_pct"] = med.to_numpy()
    # The common test battery: every athlete tested on every lift whatever the program, with
    # 95 % intervals over the population (a 1-athlete population of ``ath``'s body mass,
    # without test noise, when population == 0).
    step("testing the common battery")
    pop = (
        Population.sample(population, seed=seed)
        if population > 0
        else Population.from_frame(pd.DataFrame({"bodyweight": [ath.bodyweight]}))
    )
    noise = 0.042 if population > 0 else 0.0
    battery = compare_battery(
        list(programs), pop, weeks, tests=BATTERY, model=model, noise_cv=noise, seed=seed
    )
    table = table.join(battery.drop(columns=["own_lifts_pct"]))
    return Comparison(table, sims, swept, weeks, model, ath)


def _png(fig: object) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")  # type: ignore[attr-defined]
    return buf.getvalue()


def write_report(
    comparison: Comparison, out_dir: str | Path, progress: Callable[[str], None] | None = None
) -> Path:
    """Write ``index.html`` (self-contained: figures embedded as data URIs) and ``figures/*.png``
    into ``out_dir``; returns the path of the HTML file."""
    step = progress or (lambda _msg: None)
    out = Path(out_dir)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    figures: list[tuple[str, str, bytes]] = []  # (file name, caption, png)

    def add(name: str, caption: str, fig: object) -> None:
        data = _png(fig)
        (out / "figures" / f"{name}.png").write_bytes(data)
        figures.append((name, caption, data))

    step("drawing figures")
    c = comparison
    add(
        "comparison",
        "Programs compared on balance and adaptation outcomes.",
        plots.compare(
            c.table,
            [k for k in c.table.columns if not str(k).endswith(("_lo", "_hi"))],
            band=DEFAULT_BAND,
            titles=COLUMNS,
        ),
    )
    if c.population is not None:
        add(
            "population_gain",
            "Mean 1RM gain across the virtual athletes (boxes: quartiles, whiskers: 1.5 IQR).",
            plots.distributions(c.population, "strength_gain"),
        )
        med = c.population.outcomes.groupby("variant")[["strength_gain", "peak_fatigue"]].median()
        med.index = [v.program.name for v in c.population.variants]
        add(
            "pareto",
            "Median gain against median peak fatigue; the Pareto front joins the programs"
            " that no other program beats on both.",
            plots.pareto(med, "strength_gain", "peak_fatigue", maximize=(True, False)),
        )
    for name, sim in c.simulations.items():
        slug = "".join(ch if ch.isalnum() else "_" for ch in name.lower())
        weekly = pd.DataFrame(sim.arrays["dose"], columns=sim.muscle_ids).sum() / (sim.n_days / 7)
        add(f"{slug}_body_map", f"{name}: mean weekly effort-weighted sets per muscle.",
            plots.body_map(weekly, title=name, label="effort-weighted sets / week"))  # fmt: skip
        add(f"{slug}_balance", f"{name}: posterior:anterior ratio of the achieved dose and of capacity.",
            plots.balance_over_time(sim))  # fmt: skip
        add(f"{slug}_fitness_fatigue", f"{name}: fitness, fatigue and capacity by chain; deloads shaded.",
            plots.fitness_fatigue(sim, by="chain"))  # fmt: skip
        add(f"{slug}_performance", f"{name}: estimated 1RM of each lift; failed sessions marked.",
            plots.performance(sim, relative=True))  # fmt: skip

    step("writing HTML")
    table_html = c.table.round(3).to_html(classes="table", border=0)
    blocks = "\n".join(
        f'<figure id="{n}"><img src="data:image/png;base64,{base64.b64encode(d).decode()}"'
        f' alt="{html.escape(cap)}"><figcaption>{html.escape(cap)}</figcaption></figure>'
        for n, cap, d in figures
    )
    pop = (
        f"{len(c.population.outcomes['athlete'].unique())} virtual athletes (seeded)"
        if c.population
        else "no population"
    )
    legend = "".join(
        f"<dt>{html.escape(str(k))}</dt><dd>{html.escape(COLUMNS[str(k)])}</dd>"
        for k in c.table.columns
        if str(k) in COLUMNS
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>chainload comparison</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }}
.tablewrap {{ overflow-x: auto; }} table.table {{ border-collapse: collapse; font-size: 0.85em; }}
table.table td, table.table th {{ padding: 0.3em 0.7em; border-bottom: 1px solid #ddd; text-align: right; }}
figure {{ margin: 1.5em 0; }} img {{ max-width: 100%; }} figcaption {{ color: #555; font-size: 0.9em; }}
</style></head><body>
<h1>Program comparison</h1>
<p>{c.weeks} weeks, model <b>{html.escape(c.model)}</b>, {html.escape(c.athlete.name)}
({c.athlete.bodyweight:g} kg), population: {pop}. chainload {html.escape(__version__)}.</p>
<p>posterior_anterior: planned dose ratio (the per-set volume share: each set spreads one unit
over its muscles by activation × volume, the part on each chain; every muscle on a chain or split
by its share; balanced band {DEFAULT_BAND[0]:.2f}–{DEFAULT_BAND[1]:.2f};
docs/balance.md). capacity_post_ant: the volume-weighted mean capacity of each chain at the end.
Gains are in % of the starting 1RM.</p>
<dl>{legend}</dl>
<div class="tablewrap">{table_html}</div>
{blocks}
</body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path

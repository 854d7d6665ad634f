"""The validation suite: every row of VALIDATION.md as a virtual trial with its published target.

One TOML file per row in ``chainload/data/validation/`` gives the finding, its source (DOI),
the protocol (arms as program definitions, the population's training status and size, weeks,
test lifts), and one or more checks: a statistic of the simulated trial, the published value and
the tolerance (verbatim in ``target``; the numeric band in each check). :func:`run` runs them
with :func:`chainload.trial` and returns one row per check.

Row kinds: ``trial`` (arms run by :func:`chainload.trial`; arms of different lengths or training
status run as separate trials on the same seeded population, so athlete ``i`` stays paired),
``recovery`` (the decrement at given hours after one session), ``population`` (a property of the
sampled population) and ``not_applicable`` (kept in the table, failing, with its reason).

Arm definitions: ``days`` + ``exercise`` (one session template on each of those weekdays),
``example`` (a shipped program), ``rest`` (weeks without sessions) or ``phases`` (a list of those,
concatenated with :meth:`Program.concat`); ``weeks`` defaults to the row's.

Statistics (``change_pct`` means per athlete, averaged over athletes; see :mod:`chainload.trial`):
``mean_pct``, ``ratio`` (of mean % changes a / b), ``pct_difference``, ``abs_pct_difference``,
``kg_ratio`` (mean kg change a / b), ``mean_difference`` (kg), ``es``, ``smd_difference``,
``abs_smd_difference``, ``post_pct`` (100 (mean post a / mean post b − 1)), ``post_es`` ((mean post a −
mean post b) / SD of post b), ``cv`` (SD / mean of the change), ``max_pct``, ``min_pct``,
``female_minus_male_pct`` (mean change_pct of the women minus the men; the population needs
``share_female``), ``retest_cv`` (SD of post/pre over √2, on an arm that does not change), ``pre_ratio``
(mean pre of ``outcome`` / of ``over``), ``order`` (smallest step of the arms' mean change_pct in the
order given: > 0 when strictly falling), ``concave`` (smallest of the slopes and slope decrements of mean
change_pct against ``x``: > 0 when rising and concave), ``marginal_ratio`` (slope between arms 2→3 over
slope 1→2), ``decrement`` (recovery: % change of a muscle or lift at ``hour``), ``param_within`` (share of
sampled values in [low, high]), ``param_cv`` (between-athlete CV of a sampled parameter) and
``unavailable`` (not computable on this engine: NaN, fails, with its ``reason``); ``scale`` multiplies a
value (e.g. 100 for %). A check may subtract another (``minus``) or pass when any of several passes
(``any_of``).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd
import tomllib

from . import _display
from ._files import DATA_DIR
from .errors import FileFormatError, UnknownNameError, ValidationError
from .population import Population
from .program import Prescription, Program, Session
from .trial import DEFAULT_NOISE_CV, Trial, check_status, trial

if TYPE_CHECKING:
    from matplotlib.figure import Figure

VALIDATION_DIR = DATA_DIR / "validation"
# The ids of VALIDATION.md's rows, in its order (kept here so the suite can be checked without it).
IDS = (
    "VOL-1", "VOL-3", "VOL-4", "VOL-5", "VOL-6",
    "LOAD-2", "LOAD-3", "PROX-1", "SPEC-1",
    "FREQ-3", "FREQ-4",
    "FAT-4", "FAT-2",
    "DET-3", "DET-1", "DET-2",
    "IND-1", "STAT-2", "STAT-3", "MEAS-1",
    "FFM-4", "FFM-5", "RATIO-2", "RATIO-4",
)  # fmt: skip
KINDS = ("trial", "recovery", "population", "fit", "not_applicable")
ARM_STATS = (
    "mean_pct", "es", "cv", "max_pct", "min_pct", "retest_cv", "pre_ratio", "post_ratio",
    "female_minus_male_pct",
)  # fmt: skip
PAIR_STATS = (
    "ratio", "pct_difference", "abs_pct_difference", "kg_ratio", "mean_difference",
    "smd_difference", "abs_smd_difference", "post_pct", "post_es",
)  # fmt: skip
MULTI_STATS = ("order", "concave", "marginal_ratio")
OTHER_STATS = ("decrement", "param_within", "param_cv", "fit_report", "unavailable")
STATS = ARM_STATS + PAIR_STATS + MULTI_STATS + OTHER_STATS
DEFAULT_N = 200  # athletes per row unless the file says otherwise (engine choice)


@dataclass(frozen=True)
class Row:
    """One validation row as read from its file."""

    id: str
    finding: str
    target: str
    source: str
    doi: str
    kind: str
    data: Mapping[str, Any]
    path: Path

    @property
    def checks(self) -> list[Mapping[str, Any]]:
        return list(self.data.get("check", []))


def _where(path: Path, what: str) -> str:
    return f"{path}: {what}"


def load(path: str | Path) -> Row:
    """Read one validation file, checking its fields (errors name the file and the field)."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise FileFormatError(f"{p}: {e}") from None
    for key in ("id", "finding", "target", "source", "kind"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise FileFormatError(_where(p, f"missing or empty field '{key}'"))
    kind = data["kind"]
    if kind not in KINDS:
        raise FileFormatError(_where(p, f"kind {kind!r} is not one of {', '.join(KINDS)}"))
    if kind == "not_applicable" and not data.get("reason"):
        raise FileFormatError(_where(p, "a not_applicable row needs its 'reason'"))
    pop = data.get("population", {})
    if "status" in pop:
        check_status(pop["status"], _where(p, "population.status"))
    share = pop.get("share_female", 0.0)
    if isinstance(share, bool) or not (isinstance(share, int | float) and 0 <= share <= 1):
        raise FileFormatError(_where(p, f"population.share_female must be a number in [0, 1], got {share!r}"))
    arms = [a.get("name") for a in data.get("arm", [])]
    for i, arm in enumerate(data.get("arm", [])):
        if not arm.get("name"):
            raise FileFormatError(_where(p, f"[[arm]] #{i + 1} has no name"))
        if "status" in arm:
            check_status(arm["status"], _where(p, f"arm {arm['name']!r} status"))
    for i, c in enumerate(data.get("check", [])):
        _check_check(c, arms, _where(p, f"[[check]] #{i + 1}"))
    if kind != "not_applicable" and not data.get("check"):
        raise FileFormatError(_where(p, "no [[check]] tables"))
    return Row(
        data["id"], data["finding"], data["target"], data["source"], data.get("doi", ""), kind, data, p
    )


def _check_check(c: Mapping[str, Any], arms: list[Any], where: str) -> None:
    if "any_of" in c:
        for sub in c["any_of"]:
            _check_check(sub, arms, where + " any_of")
        return
    stat = c.get("statistic")
    if stat not in STATS:
        raise FileFormatError(f"{where}: statistic {stat!r} is not one of {', '.join(STATS)}")
    if stat == "fit_report" and not isinstance(c.get("field"), str):
        raise FileFormatError(f"{where}: a fit_report check needs its 'field'")
    for key in ("arm", "a", "b"):
        if key in c and c[key] not in arms:
            raise FileFormatError(f"{where}: {key} = {c[key]!r} is not an arm ({', '.join(map(str, arms))})")
    for name in c.get("arms", []):
        if name not in arms:
            raise FileFormatError(f"{where}: arm {name!r} is not an arm ({', '.join(map(str, arms))})")
    if "minus" in c:
        _check_check(c["minus"], arms, where + " minus")


def rows(ids: Sequence[str] | None = None) -> list[Row]:
    """The validation rows (all, or those with the given ids, in VALIDATION.md's order)."""
    files = {load(f).id: f for f in sorted(VALIDATION_DIR.glob("*.toml"))}
    wanted = list(ids) if ids is not None else [i for i in IDS if i in files] + sorted(set(files) - set(IDS))
    out = []
    for i in wanted:
        if i not in files:
            from . import _core

            near = _core.nearest_names(i, list(files), 3)
            hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
            raise UnknownNameError(f"unknown validation id {i!r}{hint}")
        out.append(load(files[i]))
    return out


# --- building the arms -----------------------------------------------------------------------------
def _block(spec: Mapping[str, Any], weeks: int, where: str) -> Program:
    if "rest" in spec:
        return Program.rest(int(spec["rest"]))
    if "example" in spec:
        examples = Program.examples()
        if spec["example"] not in examples:
            raise UnknownNameError(f"{where}: unknown example program {spec['example']!r}")
        return examples[spec["example"]].with_weeks(int(spec.get("weeks", weeks)))
    days = spec.get("days")
    if not days or "exercise" not in spec:
        raise FileFormatError(f"{where}: an arm needs days + exercise, example, rest or phases")
    try:
        pres = []
        for e in spec["exercise"]:
            fields = dict(e)
            if isinstance(fields.get("reps"), list):
                fields["reps"] = tuple(fields["reps"])
            pres.append(Prescription(**fields))
        sessions = [Session(d, tuple(pres)) for d in days]
        return Program.repeat(str(spec.get("name", "arm")), sessions, int(spec.get("weeks", weeks)))
    except (TypeError, ValidationError) as e:
        raise FileFormatError(f"{where}: {e}") from None


def arm_program(row: Row, arm: Mapping[str, Any]) -> Program:
    """The program of one arm of a row."""
    weeks = int(arm.get("weeks", row.data.get("weeks", 1)))
    where = f"{row.path}: arm {arm['name']!r}"
    if "phases" in arm:
        parts = [_block(ph, weeks, f"{where} phase #{i + 1}") for i, ph in enumerate(arm["phases"])]
        return Program.concat(parts, name=str(arm["name"]))
    p = _block(arm, weeks, where)
    return Program.concat([p], name=str(arm["name"]))


def _population(row: Row, status: str | None, n: int | None, seed: int) -> tuple[Population, str]:
    """The row's population; ``note`` says when a status could not be applied on this branch."""
    spec = row.data.get("population", {})
    if spec.get("default"):
        frame = pd.DataFrame({"bodyweight": [80.0] * int(n or spec.get("n", 1))})
        return Population.from_frame(frame), ""
    size = int(n if n is not None else spec.get("n", DEFAULT_N))
    if size <= 0:
        raise ValidationError(f"{row.id}: a trial of {size} athletes")
    kwargs: dict[str, Any] = {"n": size, "seed": seed, "share_female": float(spec.get("share_female", 0.0))}
    note = ""
    if status is not None:
        if "status" in inspect.signature(Population.sample).parameters:
            kwargs["status"] = status
        else:
            note = f"status {status!r} not applied: Population.sample has no status= on this branch"
    return Population.sample(**kwargs), note


def run_trials(
    row: Row, n: int | None = None, model: str | None = None, seed: int | None = None
) -> tuple[Trial, list[str]]:
    """All arms of a trial row, grouped by (weeks, status) into trials on the same seeded
    population, merged into one :class:`Trial`; ``seed`` replaces the file's (to measure margins)."""
    seed = int(row.data.get("population", {}).get("seed", 1)) if seed is None else int(seed)
    default_status = row.data.get("population", {}).get("status")
    tests = list(row.data.get("tests", []))
    noise = float(row.data.get("noise_cv", DEFAULT_NOISE_CV))
    groups: dict[tuple[int, str | None], dict[str, Program]] = {}
    for arm in row.data.get("arm", []):
        prog = arm_program(row, arm)
        groups.setdefault((prog.n_weeks, arm.get("status", default_status)), {})[arm["name"]] = prog
    frames, notes = [], []
    for k, ((_, status), arms) in enumerate(groups.items()):
        pop, note = _population(row, status, n, seed)
        if note and note not in notes:
            notes.append(note)
        t = trial(arms, pop, tests=tests, noise_cv=noise, seed=seed + 1000 * k, model=model, n_boot=500)
        out = t.outcomes
        if "sex" in pop.athletes:  # for female_minus_male_pct
            out = out.assign(sex=pop.athletes["sex"].to_numpy()[out["athlete"].to_numpy(dtype=int)])
        frames.append(out)
    return Trial(pd.concat(frames, ignore_index=True), n_boot=500, seed=seed, model=model), notes


# --- statistics ------------------------------------------------------------------------------------
def _arm_stat(t: Trial, stat: str, c: Mapping[str, Any]) -> float:
    v = t.values(c["arm"], c["outcome"])
    if stat == "mean_pct":
        return float(v["change_pct"].mean())
    if stat == "es":
        sd = float(v["pre"].std(ddof=1))
        return float(v["change"].mean()) / sd if sd > 1e-9 * abs(float(v["pre"].mean())) else math.nan
    if stat == "cv":
        return float(v["change"].std(ddof=1) / v["change"].mean())
    if stat == "max_pct":
        return float(v["change_pct"].max())
    if stat == "min_pct":
        return float(v["change_pct"].min())
    if stat == "retest_cv":
        return float((v["post"] / v["pre"]).std(ddof=1) / math.sqrt(2))
    if stat == "pre_ratio":
        over = t.values(c["arm"], c["over"])
        return float(v["pre"].mean() / over["pre"].mean())
    if stat == "female_minus_male_pct":
        f = t.outcomes
        if "sex" not in f:
            raise ValidationError(f"{c.get('name', stat)}: the trial's population has no sex column")
        rows = f[(f["arm"] == c["arm"]) & (f["outcome"] == c["outcome"])]
        by_sex = rows.groupby("sex")["change_pct"].mean()
        if not {"female", "male"} <= set(by_sex.index):
            return math.nan
        return float(by_sex["female"] - by_sex["male"])
    if stat == "post_ratio":
        over = t.values(c["arm"], c["over"])
        return float(v["post"].mean() / over["post"].mean())
    raise AssertionError(stat)


def _pair_stat(t: Trial, stat: str, c: Mapping[str, Any]) -> float:
    va, vb = t.values(c["a"], c["outcome"]), t.values(c["b"], c["outcome"])
    common = va.index.intersection(vb.index)
    va, vb = va.loc[common], vb.loc[common]
    pa, pb = float(va["change_pct"].mean()), float(vb["change_pct"].mean())

    def es(v: pd.DataFrame) -> float:
        sd = float(v["pre"].std(ddof=1))
        return float(v["change"].mean()) / sd if sd > 1e-9 * abs(float(v["pre"].mean())) else math.nan

    if stat == "ratio":
        return pa / pb if pb != 0 else math.nan
    if stat == "pct_difference":
        return pa - pb
    if stat == "abs_pct_difference":
        return abs(pa - pb)
    if stat == "kg_ratio":
        kb = float(vb["change"].mean())
        return float(va["change"].mean()) / kb if kb != 0 else math.nan
    if stat == "mean_difference":
        return float(va["change"].mean() - vb["change"].mean())
    if stat == "smd_difference":
        return es(va) - es(vb)
    if stat == "abs_smd_difference":
        return abs(es(va) - es(vb))
    if stat == "post_pct":
        return 100.0 * (float(va["post"].mean()) / float(vb["post"].mean()) - 1.0)
    if stat == "post_es":
        return float(va["post"].mean() - vb["post"].mean()) / float(vb["post"].std(ddof=1))
    raise AssertionError(stat)


def _multi_stat(t: Trial, stat: str, c: Mapping[str, Any]) -> float:
    means = np.array([t.values(a, c["outcome"])["change_pct"].mean() for a in c["arms"]], dtype=float)
    if stat == "order":
        return float(np.min(means[:-1] - means[1:]))
    x = np.asarray(c.get("x", range(len(means))), dtype=float)
    slopes = np.diff(means) / np.diff(x)
    if stat == "concave":
        return float(min(slopes.min(), np.min(slopes[:-1] - slopes[1:]) if len(slopes) > 1 else math.inf))
    if stat == "marginal_ratio":
        return float(slopes[1] / slopes[0]) if slopes[0] != 0 else math.nan
    raise AssertionError(stat)


def _value(row: Row, c: Mapping[str, Any], ctx: dict[str, Any]) -> float:
    stat = c["statistic"]
    if stat in ARM_STATS:
        value = _arm_stat(ctx["trial"], stat, c)
    elif stat in PAIR_STATS:
        value = _pair_stat(ctx["trial"], stat, c)
    elif stat in MULTI_STATS:
        value = _multi_stat(ctx["trial"], stat, c)
    elif stat == "decrement":
        value = ctx["recovery"](c)
    elif stat == "param_within":
        a = ctx["population"].params.get(c["param"])
        value = math.nan if a is None else float(np.mean((a >= c["low"]) & (a <= c["high"])))
    elif stat == "param_cv":
        a = ctx["population"].params.get(c["param"])
        per_athlete = None if a is None else np.asarray(a).mean(axis=1)
        value = math.nan if per_athlete is None else float(per_athlete.std(ddof=1) / per_athlete.mean())
    elif stat == "fit_report":
        value = float(ctx["fit"][c["field"]])
    elif stat == "unavailable":
        value = math.nan  # the row's reason says why this engine cannot compute it
    else:  # pragma: no cover - checked when the file is read
        raise AssertionError(stat)
    value *= float(c.get("scale", 1.0))
    if "minus" in c:
        value -= _value(row, c["minus"], ctx)
    return value


def _passes(c: Mapping[str, Any], value: float) -> bool:
    if not math.isfinite(value):
        return False
    if c["statistic"] in ("order", "concave") and "low" not in c:
        return value > 0
    if c["statistic"] == "param_within":
        return value == 1.0
    lo, hi = c.get("low", -math.inf), c.get("high", math.inf)
    return bool(lo <= value <= hi)


def _band(c: Mapping[str, Any]) -> tuple[float, float]:
    """The numeric pass band of a check (of its first alternative for ``any_of``)."""
    if "any_of" in c:
        return _band(c["any_of"][0])
    if c["statistic"] in ("order", "concave") and "low" not in c:
        return 0.0, math.inf
    if c["statistic"] == "param_within":
        return 1.0, 1.0
    return float(c.get("low", -math.inf)), float(c.get("high", math.inf))


def _tolerance(c: Mapping[str, Any]) -> str:
    if "any_of" in c:
        return " or ".join(_tolerance(s) for s in c["any_of"])
    if c["statistic"] in ("order", "concave") and "low" not in c:
        return "> 0"
    if c["statistic"] == "param_within":
        return f"all in [{c['low']:g}, {c['high']:g}]"
    if c["statistic"] == "unavailable":
        return "not computable on this engine"
    lo, hi = c.get("low"), c.get("high")
    # a bound of ±1e-9 in a file encodes a strict inequality against 0 ("> 0", "< 0")
    if lo is not None and abs(lo) == 1e-9 and hi is None:
        return "> 0" if lo > 0 else ">= 0"
    if hi is not None and abs(hi) == 1e-9 and lo is None:
        return "< 0" if hi < 0 else "<= 0"
    if lo is not None and hi is not None:
        return f"[{lo:g}, {hi:g}]"
    return f">= {lo:g}" if lo is not None else f"<= {hi:g}" if hi is not None else "any"


def _recovery(row: Row, model: str | None) -> Any:
    """decrement(check): % change of a muscle's capacity (``size:<muscle>``) or a lift's 1RM
    (``1rm:<lift>``) ``hour`` hours after the row's one-session arm: ``chainload.recovery`` (hour
    resolution) for the default model; the daily reference models resolve only whole days (24 h,
    48 h ...), read from the capacity of the lift's limiting muscles."""
    from . import simulation
    from .athlete import Athlete

    def one(c: Mapping[str, Any]) -> float:
        arm = next(a for a in row.data["arm"] if a["name"] == c["arm"])
        prog = _block(arm, 1, f"{row.path}: arm {arm['name']!r}")
        session = prog.weeks[0][0]
        kind, _, name = str(c["outcome"]).partition(":")
        hour = float(c["hour"])
        if model is None or model == simulation.DEFAULT_MODEL:
            f = simulation.recovery(session, Athlete.default(), hours=[hour])
            for col in (c["outcome"], name, f"muscle:{name}", f"lift:{name}"):
                if col in f.columns:
                    return -abs(float(f[col].iloc[0]))
            return math.nan
        if hour % 24 != 0 or hour <= 0:
            return math.nan  # below a day: not resolvable by today's daily core
        days = int(hour // 24)
        model_name = model or "banister"
        if model_name not in simulation.MODELS:
            raise ValidationError(f"unknown model {model_name!r}; known: {', '.join(simulation.MODELS)}")
        weeks = max(1, -(-(days + 1) // 7))
        sim = simulation.simulate(prog.with_weeks(weeks), model=cast(Any, model_name))
        cap = sim.capacity()
        if kind == "size":
            return 100.0 * (float(cap[name].iloc[days]) - 1.0)
        from .catalogue import Catalogue

        cat = Catalogue.default()
        row_act = cat.activation_matrix()[cat.index(name)]  # the old models' limit: activation >= 0.5
        limit = [cat.graph.ids[i] for i in np.flatnonzero(row_act >= min(0.5, float(row_act.max())) - 1e-12)]
        return 100.0 * (float(cap[limit].iloc[days].min()) - 1.0)

    return one


def run(
    ids: Sequence[str] | None = None,
    n: int | None = None,
    model: str | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """Run the validation rows (all by default; ``n`` athletes per trial instead of each file's;
    ``model``: None for the default model, or banister / busso / saturating ...; ``seed``: the
    trials' seed instead of each file's, to see how far a pass depends on the draw).

    One row per check: id, check, finding, published, simulated, tolerance, pass, model, note,
    and the numeric pass band low, high.
    A row that is not applicable or cannot be computed on this engine fails with the reason.
    """
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n <= 0):
        raise ValidationError(f"n must be a whole number > 0 (a trial of {n!r} athletes)")
    out = []
    for row in rows(ids):
        note = str(row.data.get("encoding", "")).strip()
        base = {"id": row.id, "finding": row.finding, "model": model or "default"}
        if row.kind == "not_applicable":
            out.append(
                base
                | {
                    "check": "not applicable to the adaptation model",
                    "published": row.target,
                    "simulated": math.nan,
                    "tolerance": "",
                    "pass": False,
                    "low": math.nan,
                    "high": math.nan,
                    "note": str(row.data["reason"]).strip(),
                }
            )
            continue
        ctx: dict[str, Any] = {}
        notes: list[str] = []
        if row.kind == "trial":
            ctx["trial"], notes = run_trials(row, n, model, seed)
        elif row.kind == "recovery":
            ctx["recovery"] = _recovery(row, model)
        elif row.kind == "fit":  # a finding about how fits are reported (athlete_fit.fit_report)
            from .athlete_fit import fit_report

            ctx["fit"] = fit_report(**row.data.get("fit", {}))
        elif row.kind == "population":
            ctx["population"], note2 = _population(row, row.data.get("population", {}).get("status"), n, 1)
            notes = [note2] if note2 else []
        for c in row.checks:
            subs = list(c["any_of"]) if "any_of" in c else [c]
            values = [_value(row, s, ctx) for s in subs]
            ok = any(_passes(s, v) for s, v in zip(subs, values, strict=True))
            out.append(
                base
                | {
                    "check": str(c.get("name", c.get("statistic", "any_of"))),
                    "published": str(c.get("published", "")),
                    "simulated": values[0],
                    "tolerance": _tolerance(c),
                    "pass": ok,
                    "low": _band(c)[0],
                    "high": _band(c)[1],
                    "note": "; ".join(
                        [*notes, *([str(c["reason"])] if "reason" in c else []), *([note] if note else [])]
                    ),
                }
            )
    cols = [
        "id",
        "check",
        "finding",
        "published",
        "simulated",
        "tolerance",
        "pass",
        "model",
        "note",
        "low",
        "high",
    ]
    return pd.DataFrame(out, columns=cols)


def by_row(table: pd.DataFrame) -> pd.DataFrame:
    """One line per finding: passes when every check of the row passes."""
    return table.groupby("id", sort=False).agg(
        finding=("finding", "first"), checks=("check", "size"), passed=("pass", "sum"), ok=("pass", "all")
    )


@dataclass(frozen=True)
class Finding:
    """The checks of one finding in a :func:`run` table: ``id``, its rows of the table
    (``checks``, in order) and an optional figure ``title``. Made by :func:`finding`."""

    id: str
    checks: pd.DataFrame
    title: str | None = None

    def summary(self) -> pd.DataFrame:
        """The finding's checks: check, published, simulated, low, high, pass (one row each)."""
        return self.checks[["check", "published", "simulated", "low", "high", "pass"]]

    def plot(self, kind: str | None = None, *, ax: Any = None) -> Figure:
        """``"checks"`` (default): each check's simulated value (dot: bluish green when it
        passes, orange when not, a cross at the axis when not computable) against its tolerance
        band (shaded), with the published target in the label; one panel per check, so no
        ``ax``. Returns the Figure (:func:`chainload.plots.plot`)."""
        return _display.draw(self, kind, ax)


def finding(table: pd.DataFrame, row_id: str, title: str | None = None) -> Finding:
    """The checks of finding ``row_id`` in a :func:`run` table (refused when it has none)."""
    t = table[table["id"] == row_id].reset_index(drop=True)
    if t.empty:
        raise UnknownNameError(f"no check of {row_id!r} in the table")
    return Finding(row_id, t, title)


def plot(table: pd.DataFrame, row_id: str, title: str | None = None) -> Figure:
    """One figure for one finding: ``finding(table, row_id, title).plot()`` (see
    :meth:`Finding.plot`). Returns the matplotlib Figure."""
    return finding(table, row_id, title).plot()


__all__ = [
    "IDS",
    "STATS",
    "VALIDATION_DIR",
    "Finding",
    "Row",
    "by_row",
    "finding",
    "load",
    "plot",
    "rows",
    "run",
    "run_trials",
]

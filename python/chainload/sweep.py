"""Program variants × virtual-athlete populations, simulated in batched C++ calls.

:func:`vary` makes labelled variants of a program, :func:`sweep` runs every (variant × athlete)
pair through the closed loop (threads inside the C++ core, the GIL released, athletes in chunks
so that Ctrl-C stops promptly), and :class:`SweepResult` summarises, compares and finds the
Pareto front. With a ``dask.distributed`` client the same chunks run on the cluster's workers.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import _display, chains
from .analysis import DEFAULT_BAND
from .catalogue import Catalogue
from .errors import Error, ValidationError
from .population import Population
from .program import Program
from .simulation import DEFAULT_MODEL, ModelName, _Compiled, compile_program, population_run

if TYPE_CHECKING:
    from matplotlib.figure import Figure

OUTCOMES = ("strength_gain", "capacity_balance", "dose_balance", "balance_error", "peak_fatigue", "failures")


@dataclass(frozen=True)
class Variant:
    """A program variant and the parameter values that made it."""

    label: Mapping[str, Any]
    program: Program

    @property
    def name(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.label.items()) or self.program.name


def _chain_of(ex_id: str, catalogue: Catalogue) -> str:
    return chains.chain_of_exercise(catalogue[ex_id].activation, catalogue.graph)


def _set_weekly_sets(program: Program, target: str, n: float, catalogue: Catalogue) -> Program:
    """Share ``n`` sets out over the prescriptions of week 1 that train ``target`` (a chain: the
    exercises dominant in it; a muscle: exercises loading it at >= 0.5), in proportion to their
    current sets, largest remainders first, each keeping at least one: week 1 then holds exactly
    ``n`` such sets (``n`` is rounded to a whole number). Later weeks take the same sets where they
    repeat week 1's prescriptions, and the same scaling factor (rounded) where they differ."""
    if target in ("posterior", "anterior", "lateral"):

        def hits(ex: str) -> bool:
            return _chain_of(ex, catalogue) == target
    else:
        catalogue.graph.index(target)

        def hits(ex: str) -> bool:
            return catalogue[ex].activation.get(target, 0.0) >= 0.5

    first = [
        (i, j, p)
        for i, s in enumerate(program.weeks[0])
        for j, p in enumerate(s.prescriptions)
        if hits(p.exercise)
    ]
    current = sum(p.sets for _i, _j, p in first)
    if current == 0:
        raise ValidationError(
            f"program {program.name!r} has no sets that train {target!r}: cannot scale them"
        )
    wanted = round(n)
    if wanted < len(first):
        raise ValidationError(
            f"weekly_sets {target}={n!r}: week 1 of {program.name!r} has {len(first)} prescriptions that "
            f"train {target!r}, each keeps at least one set, so the fewest is {len(first)}"
        )
    factor = wanted / current
    quota = [p.sets * factor for _i, _j, p in first]
    share = [max(1, int(q)) for q in quota]
    # Largest remainders first (ties: program order) while short; smallest first while over.
    order = sorted(range(len(first)), key=lambda k: -(quota[k] - share[k]))
    k = 0
    while sum(share) < wanted:
        share[order[k % len(order)]] += 1
        k += 1
    for m in reversed(order):
        if sum(share) == wanted:
            break
        if share[m] > 1:
            share[m] -= 1
    new_sets = {(i, j): (p, share[k]) for k, (i, j, p) in enumerate(first)}

    def scale(i: int, j: int, p: Any) -> Any:
        if not hits(p.exercise):
            return p
        same = new_sets.get((i, j))
        if same is not None and same[0] == p:
            return replace(p, sets=same[1])
        return replace(p, sets=max(1, round(p.sets * factor)))

    weeks = tuple(
        tuple(
            replace(s, prescriptions=tuple(scale(i, j, p) for j, p in enumerate(s.prescriptions)))
            for i, s in enumerate(w)
        )
        for w in program.weeks
    )
    return replace(program, weeks=weeks)


def vary(
    program: Program,
    *,
    weekly_sets: Mapping[str, Sequence[float]] | None = None,
    frequency: Sequence[int] | None = None,
    increment_kg: Sequence[float] | None = None,
    deload_every: Sequence[int | None] | None = None,
    substitute: Mapping[str, Sequence[str]] | None = None,
    rep_range: Sequence[tuple[int, int]] | None = None,
    catalogue: Catalogue | None = None,
) -> list[Variant]:
    """Every combination of the given parameter values, each a labelled variant of ``program``.

    weekly_sets: ``{"posterior": [6, 10, 14]}`` (a chain or a muscle id → hard sets in week 1:
    exactly that many, shared out over the prescriptions that train it, each keeping at least one);
    frequency: sessions per week (the first k sessions of each week are kept);
    increment_kg: the increment of every progression rule; deload_every: a planned deload every
    k-th week (None = none); substitute: ``{"back_squat": ["front_squat"]}`` swaps an exercise;
    rep_range: ``[(6, 10), (8, 12)]`` replaces the range of every prescription that has one.
    """
    cat = catalogue if catalogue is not None else Catalogue.default()
    axes: list[tuple[str, list[Any], Callable[[Program, Any], Program]]] = []
    for target, values in (weekly_sets or {}).items():

        def set_sets(p: Program, v: float, target: str = target) -> Program:
            return _set_weekly_sets(p, target, v, cat)

        axes.append((f"weekly_sets_{target}", list(values), set_sets))
    if frequency is not None:

        def set_frequency(p: Program, k: int) -> Program:
            most = max(len(w) for w in p.weeks)
            if not 1 <= k <= most:
                raise ValidationError(f"frequency {k} outside 1..{most} (the sessions of {p.name!r})")
            return replace(p, weeks=tuple(tuple(sorted(w, key=lambda s: s.day)[:k]) for w in p.weeks))

        axes.append(("frequency", list(frequency), set_frequency))
    if increment_kg is not None:

        def set_increment(p: Program, inc: float) -> Program:
            def one(x: Any) -> Any:
                rule = x.progression
                return replace(x, progression=replace(rule, increment_kg=inc)) if rule.rule != "none" else x

            weeks = tuple(
                tuple(replace(s, prescriptions=tuple(one(x) for x in s.prescriptions)) for s in w)
                for w in p.weeks
            )
            return replace(p, weeks=weeks)

        axes.append(("increment_kg", list(increment_kg), set_increment))
    if deload_every is not None:

        def set_deload(p: Program, k: int | None) -> Program:
            weeks = tuple(range(k, p.n_weeks + 1, k)) if k else ()
            return replace(p, deload_weeks=weeks)

        axes.append(("deload_every", list(deload_every), set_deload))
    if rep_range is not None:

        def set_range(p: Program, lo_hi: tuple[int, int]) -> Program:
            lo, hi = lo_hi

            def one(x: Any) -> Any:
                return replace(x, reps=(lo, hi)) if isinstance(x.reps, tuple) else x

            weeks = tuple(
                tuple(replace(s, prescriptions=tuple(one(x) for x in s.prescriptions)) for s in w)
                for w in p.weeks
            )
            return replace(p, weeks=weeks)

        axes.append(("rep_range", [tuple(r) for r in rep_range], set_range))
    for old, news in (substitute or {}).items():
        cat[old]

        def swap(p: Program, new: str, old: str = old) -> Program:
            cat[new]
            weeks = tuple(
                tuple(
                    replace(
                        s,
                        prescriptions=tuple(
                            replace(x, exercise=new) if x.exercise == old else x for x in s.prescriptions
                        ),
                    )
                    for s in w
                )
                for w in p.weeks
            )
            return replace(p, weeks=weeks)

        axes.append((f"substitute_{old}", [old, *news], swap))
    if not axes:
        return [Variant({}, program)]
    for name, values, _ in axes:
        if not values:
            raise ValidationError(f"vary(): no values for {name}")
    variants = []
    for combo in itertools.product(*(values for _, values, _ in axes)):
        p = program
        for (_name, _, apply), value in zip(axes, combo, strict=True):
            p = apply(p, value)
        label = {name: value for (name, _, _), value in zip(axes, combo, strict=True)}
        variants.append(
            Variant(
                label, replace(p, name=f"{program.name} [{', '.join(f'{k}={v}' for k, v in label.items())}]")
            )
        )
    return variants


# --- running ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _VariantRun:
    """What a variant's chunks share: its program at the sweep's length, compiled, and its per-set
    volume share posterior:anterior (analyze's measure, docs/balance.md: every athlete does the
    same sets, auto deloads lower the load, not the sets, so one number)."""

    program: Program
    compiled: _Compiled
    dose_balance: float


def _variant_run(program: Program, weeks: int, cat: Catalogue) -> _VariantRun:
    prog = program.with_weeks(weeks)
    _, ratios = chains.program_balance([prog], cat, bucket_days=prog.n_days)
    return _VariantRun(prog, compile_program(prog, cat), float(ratios[0, 0, 0]))


def _run_chunk(
    program: Program,
    pop: Population,
    weeks: int,
    model: str,
    band: tuple[float, float],
    threads: int,
    catalogue: Catalogue | None = None,
    sample_days: int = 0,
    variant: _VariantRun | None = None,
) -> tuple[pd.DataFrame, dict[str, np.ndarray] | None]:
    """Outcomes of one program on one chunk of athletes (runs locally or on a Dask worker), and
    with ``sample_days`` > 0 the sampled trajectories (athletes × blocks × muscles, float32).
    ``variant``: the program's shared part (_variant_run), computed here when not given."""
    cat = catalogue if catalogue is not None else Catalogue.default()
    v = variant if variant is not None else _variant_run(program, weeks, cat)
    prog, compiled = v.program, v.compiled
    r = population_run(compiled, cat, pop, model, prog.exercises(), threads=threads, sample_days=sample_days)
    used = [cat.ids[i] for i in compiled.spec.used_exercises]
    std = np.array([cat[e].standard_1rm_bw for e in used], dtype=float)
    initial = std[None, :] * (
        pop.athletes["bodyweight"].to_numpy()[:, None] * pop.athletes["strength"].to_numpy()[:, None]
    )
    gains = (r["final_one_rm"] / initial - 1) * 100
    spec = chains.spec(cat.graph)
    cap = r["final_capacity"]
    cap_balance = spec.mean_ratios(cap)[:, 0]  # volume-weighted mean capacity, posterior over anterior
    dose_balance = np.full(len(cap), v.dose_balance)
    lo, hi = band
    error = np.abs(np.log(dose_balance / np.clip(dose_balance, lo, hi)))
    columns: dict[str, np.ndarray] = {
        "strength_gain": gains.mean(axis=1),
        "capacity_balance": cap_balance,
        "dose_balance": dose_balance,
        "balance_error": error,
        "peak_fatigue": r["peak_fatigue"],
        "failures": r["failures"],
    }
    columns.update({f"gain_{e}": gains[:, j] for j, e in enumerate(used)})
    traj = {k: r[k] for k in ("capacity", "fatigue", "dose")} if sample_days > 0 else None
    return pd.DataFrame(columns), traj


def _trajectory_table(
    traj: dict[str, np.ndarray], athletes: np.ndarray, sample_days: int, muscles: list[str]
) -> Any:
    """One row per (athlete, block): athlete, day (last day of the block), then capacity:<muscle>,
    fatigue:<muscle> (at the block's end) and dose:<muscle> (summed over the block), float32."""
    import pyarrow as pa

    n, blocks, m = traj["capacity"].shape
    cols: dict[str, Any] = {
        "athlete": np.repeat(athletes, blocks).astype(np.int32),
        "day": np.tile(np.minimum(np.arange(1, blocks + 1) * sample_days, 10**9) - 1, n).astype(np.int32),
    }
    for kind in ("capacity", "fatigue", "dose"):
        # The core lays its float32 out muscle by muscle (bind_adaptation.cpp), so this transpose
        # is a view and each column a contiguous row that Arrow takes without a copy.
        by_muscle = np.ascontiguousarray(traj[kind].reshape(n * blocks, m).T, dtype=np.float32)
        for j, muscle in enumerate(muscles):
            cols[f"{kind}:{muscle}"] = by_muscle[j]
    return pa.table(cols)


# Bytes one athlete's trajectory holds in flight per value (athlete × block × muscle × kind):
# while a chunk runs, the core's float32 (4; counted as 8 + 4, the doubles and float32 copy the
# core held before it wrote float32 in place: a margin kept so chunk sizes stay); meanwhile the chunk
# before it is written: its float32 (4), the column-major copy for Arrow (4) and the encoded
# Parquet buffer (at most 4, uncompressed). The chunk of athletes is sized from this (engine
# choice): 248 KB per athlete for 52 weekly blocks of 66 muscles, so the default 256 MiB budget
# holds 1,084 athletes (more than the default chunk of 1,000).
TRAJECTORY_BYTES_PER_VALUE = 8 + 4 + 4 + 4 + 4


def trajectory_bytes_per_athlete(weeks: int, sample_days: int, n_muscles: int) -> int:
    """Bytes one athlete's sampled trajectories hold while its chunk is being written."""
    blocks = -(-weeks * 7 // sample_days)
    return blocks * (3 * n_muscles * TRAJECTORY_BYTES_PER_VALUE + 8)  # + athlete and day (int32)


# A trajectory sweep kept in memory must stay under this; larger ones must stream to Parquet.
TRAJECTORY_MEMORY_LIMIT = 2 * 1024**3


@dataclass
class SweepResult:
    """Outcomes of every (variant × athlete) pair: ``outcomes`` has columns variant, athlete,
    strength_gain (mean % 1RM gain over the program's lifts), capacity_balance (size-weighted
    posterior:anterior capacity at the end), dose_balance (posterior:anterior of the program's
    sets by the per-set volume share, docs/balance.md; the same for every athlete),
    balance_error (log-distance of dose_balance outside the band, 0 inside), peak_fatigue,
    failures, and gain_<lift> per lift."""

    variants: list[Variant]
    outcomes: pd.DataFrame
    weeks: int
    model: str
    trajectories: pd.DataFrame | None = None

    def labels(self) -> pd.DataFrame:
        """One row per variant: its parameter values."""
        return pd.DataFrame([dict(v.label) | {"program": v.program.name} for v in self.variants]).rename_axis(
            "variant"
        )

    def names(self) -> list[str]:
        """One name per variant, from its parameters (``weekly_sets.posterior=20``); a name two
        variants share gets ``#<id>`` so that every name is unique."""
        raw = [v.name for v in self.variants]
        return [f"{n} #{i}" if raw.count(n) > 1 else n for i, n in enumerate(raw)]

    def outcome_names(self) -> list[str]:
        """The outcomes a comparison can use: :data:`OUTCOMES`, then ``gain_<lift>`` per lift."""
        cols = [c for c in self.outcomes.columns if c not in ("variant", "athlete")]
        return [c for c in OUTCOMES if c in cols] + [c for c in cols if c not in OUTCOMES]

    def summary(self, quantiles: Sequence[float] | None = None, *, details: bool = False) -> pd.DataFrame:
        """Per variant (named by its parameters): the median across athletes of each of the
        :data:`OUTCOMES` (7 columns, fits a screen). With ``quantiles`` or ``details=True``: every
        parameter, and the ``quantiles`` (default 10/50/90 %) of every outcome including the
        per-lift gains (``<outcome>_p<q>``)."""
        if quantiles is None and not details:
            med = self.outcomes.groupby("variant")[[c for c in OUTCOMES if c in self.outcomes]].median()
            return (
                med.reindex(range(len(self.variants)))
                .assign(name=self.names())[["name", *med.columns]]
                .rename_axis("variant")
            )
        cols = self.outcome_names()
        grouped = self.outcomes.groupby("variant")[cols]
        qs = (0.1, 0.5, 0.9) if quantiles is None else quantiles
        parts = [grouped.quantile(p).add_suffix(f"_p{round(p * 100)}") for p in qs]
        return self.labels().join(pd.concat(parts, axis=1))

    def pareto(self, objectives: Sequence[str], statistic: str = "median") -> pd.DataFrame:
        """Variants not dominated on the objectives (per-variant ``statistic`` across athletes);
        prefix an outcome with '-' to minimise it, e.g. ``["strength_gain", "-peak_fatigue"]``."""
        stats = self.outcomes.groupby("variant").agg(statistic, numeric_only=True)
        signs, names = [], []
        for o in objectives:
            name = o.lstrip("-")
            if name not in stats.columns:
                from ._names import unknown

                raise unknown("outcome", name, self.outcome_names(), "pareto()")
            signs.append(-1.0 if o.startswith("-") else 1.0)
            names.append(name)
        values = stats[names].to_numpy() * np.array(signs)
        front = pareto_mask(values)
        out = self.labels().join(stats[names])
        out["pareto"] = front
        return out[out["pareto"]].drop(columns="pareto")

    def _variant_id(self, variant: int | str, what: str) -> int:
        names = self.names()
        if isinstance(variant, str):
            if variant not in names:
                from ._names import unknown

                raise unknown(f"variant ({what}=)", variant, names)
            return names.index(variant)
        if (
            isinstance(variant, bool)
            or not isinstance(variant, int | np.integer)
            or not 0 <= variant < len(names)
        ):
            raise ValidationError(
                f"{what} must be a variant name or id in 0..{len(names) - 1}, got {variant!r}"
            )
        return int(variant)

    def paired(
        self,
        reference: int | str = 0,
        outcomes: Sequence[str] | None = None,
        level: float = 0.95,
    ) -> pd.DataFrame:
        """Paired differences of every variant against ``reference`` (a name or an id) on the same
        athletes, per outcome and per lift (``gain_<lift>``; ``outcomes`` picks some).

        One row per (variant, outcome): ``n`` (athletes with both values finite),
        ``mean_difference`` (variant − reference), its ``level`` interval (``ci_low``,
        ``ci_high``: Student t on the paired differences), ``dz`` (mean / SD of the differences,
        Cohen's d for paired data), ``share_higher`` (share of athletes whose value is higher)
        and ``verdict``: ``higher`` or ``lower`` when the interval excludes 0, else
        ``no clear difference``. The interval is sampling uncertainty only, over virtual
        athletes: with thousands of them almost every difference is decided, so compare over
        the models too (:func:`compare_models`) before reading a verdict as a finding."""
        from ._stats import paired_table

        ref = self._variant_id(reference, "reference")
        known = self.outcome_names()
        cols = list(known if outcomes is None else ([outcomes] if isinstance(outcomes, str) else outcomes))
        for c in cols:
            if c not in known:
                from ._names import unknown

                raise unknown("outcome", c, known)
        if not (isinstance(level, float | int) and 0 < level < 1):
            raise ValidationError(f"level must be in (0, 1), got {level!r}")
        n_var = len(self.variants)
        wide = self.outcomes.pivot(index="athlete", columns="variant", values=cols)
        wide = wide.reindex(columns=pd.MultiIndex.from_product([cols, range(n_var)]))
        values = wide.to_numpy(dtype=float).reshape(len(wide), len(cols), n_var)
        return paired_table(values, ref, self.names(), cols, float(level), "variant")

    def plot(self, kind: str | None = None, *, ax: Any = None) -> Figure:
        """``"distributions"`` (default): box plots of the strength gain across the athletes, one
        box per variant. Returns the Figure (:func:`chainload.plots.plot`)."""
        return _display.draw(self, kind, ax)

    def _repr_html_(self) -> str:
        n = self.outcomes["athlete"].nunique()
        head = f"<b>Sweep</b>: {len(self.variants)} variants × {n} athletes, {self.weeks} weeks, {self.model}"
        return head + self.summary().round(3).to_html()

    def to_parquet(self, path: str | Path, *, overwrite: bool = False) -> None:
        """Write the outcomes partitioned by variant (one folder ``variant=<i>`` per variant),
        readable by pandas or Dask. A folder that already holds a sweep is refused unless
        ``overwrite=True``, which clears it first. Each part is written under a temporary name
        and renamed: a failure (a full disk) removes the partial file and names it."""
        import pyarrow as pa

        out = prepare_output(path, overwrite)
        for vi, frame in self.outcomes.groupby("variant", sort=True):
            table = pa.Table.from_pandas(frame.drop(columns="variant"), preserve_index=False)
            write_part(table, out / f"variant={vi}" / "part-000000000.parquet")


def prepare_output(path: str | Path, overwrite: bool) -> Path:
    """The output folder of a sweep, created; one that already holds a sweep (``variant=*``
    folders) is refused unless ``overwrite``, which removes those first (and nothing else)."""
    import shutil

    out = Path(path)
    if out.exists() and not out.is_dir():
        raise ValidationError(f"{out}: exists and is not a folder")
    held = sorted(out.glob("variant=*"))
    if held:
        if not overwrite:
            raise ValidationError(
                f"{out}: already holds a sweep ({len(held)} entries such as {held[0].name}); "
                "pass overwrite=True to clear it first, or choose another folder"
            )
        for h in held:
            shutil.rmtree(h) if h.is_dir() else h.unlink()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise Error(f"{out}: cannot create the output folder ({e.strerror or e})") from None
    return out


def write_part(table: Any, path: Path) -> None:
    """Write one Parquet part atomically: a temporary file renamed into place; on any failure
    (disk full, Ctrl-C) the temporary file is removed and the error names the path."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Dictionary encoding only for text columns: on float columns it costs most of the
        # writing time and makes the file larger (issue 15: 8.8x slower, 29 % larger).
        text = [
            f.name for f in table.schema if not (pa.types.is_integer(f.type) or pa.types.is_floating(f.type))
        ]
        pq.write_table(table, tmp, use_dictionary=text)
        tmp.replace(path)
    except BaseException as e:
        tmp.unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise Error(f"{path}: could not write this part ({e.strerror or e}); it was removed") from None
        raise


def pareto_mask(values: np.ndarray) -> np.ndarray:
    """True for rows no other row dominates (all >= and one >) when every column is maximised."""
    v = np.asarray(values, dtype=float)
    n = len(v)
    mask = np.ones(n, dtype=bool)
    for i in range(n):
        if not np.all(np.isfinite(v[i])):
            mask[i] = False
            continue
        dominated = np.all(v >= v[i], axis=1) & np.any(v > v[i], axis=1)
        mask[i] = not dominated.any()
    return mask


def sweep(
    variants: Variant | Program | Iterable[Variant | Program],
    population: Population,
    weeks: int = 12,
    model: ModelName = DEFAULT_MODEL,
    *,
    band: tuple[float, float] = DEFAULT_BAND,
    threads: int = 0,
    chunk_size: int = 5000,
    client: Any = None,
    progress: bool | None = None,
    catalogue: Catalogue | None = None,
    trajectories: str | Path | bool | None = None,
    sample_days: int = 7,
    trajectory_budget: int = 256 * 1024**2,
    overwrite: bool = False,
    worker_timeout: float = 60.0,
) -> SweepResult:
    """Simulate every variant on every athlete of ``population`` for ``weeks`` weeks.

    Locally, athletes go to the core in chunks of ``chunk_size`` (threads inside the core, GIL
    released); with a ``dask.distributed`` ``client`` each (variant, chunk) is a task on the
    cluster, with identical results. ``progress``: a progress bar on stderr (True), none
    (False) or, by default (None), one only when stderr is a terminal or in a notebook with
    ipywidgets installed.

    ``trajectories``: a folder streams, chunk by chunk, the capacity and fatigue of every muscle
    at the end of every ``sample_days`` days (and the dose summed over them) to Parquet files
    partitioned by variant; ``True`` keeps them in memory (``result.trajectories``), refused
    before starting if they would exceed 2 GiB. With trajectories, a chunk holds at most as many
    athletes as fit in ``trajectory_budget`` bytes (default 256 MiB, engine choice; see
    :func:`trajectory_bytes_per_athlete`), fewer than ``chunk_size`` when they are long.
    A folder that already holds a sweep is refused unless ``overwrite=True`` (which clears it
    first); each part is written atomically (a temporary file renamed into place).

    Ctrl-C stops within a fraction of a second (the core checks between athletes); the parts
    already written stay on disk, the one being written is removed. With a Dask ``client``, when
    the cluster has had no live worker for ``worker_timeout`` seconds the sweep fails naming the
    chunks not run. The memory the outcomes (and in-memory trajectories) need is estimated first
    and refused past ``chainload.config.memory_budget``.
    """
    items = [variants] if isinstance(variants, Variant | Program) else list(variants)
    vs = [v if isinstance(v, Variant) else Variant({"program": v.name}, v) for v in items]
    if not vs:
        raise ValidationError("sweep() needs at least one variant")
    if len(population) == 0:
        raise ValidationError("sweep() needs a non-empty population")
    if population.parameter_draws:
        raise ValidationError(
            f"sweep() runs each athlete at one parameter set, but the population carries "
            f"{len(population.parameter_draws)} parameter draws of fitted lifters: use chainload.trial for "
            "prediction intervals, or population.without_draws() to sweep the point (MAP) parameters"
        )
    if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks <= 0:
        raise ValidationError(f"weeks must be a whole number > 0, got {weeks!r}")
    if chunk_size <= 0:
        raise ValidationError(f"chunk_size must be > 0, got {chunk_size}")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int):
        raise ValidationError(f"chunk_size must be a whole number > 0, got {chunk_size!r}")
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 0:
        raise ValidationError(f"threads must be a whole number >= 0 (0 = all cores), got {threads!r}")
    if not (isinstance(worker_timeout, int | float) and worker_timeout > 0):
        raise ValidationError(f"worker_timeout must be a number of seconds > 0, got {worker_timeout!r}")
    from .simulation import MODELS

    if model not in MODELS:
        from ._names import unknown

        raise unknown("model", model, MODELS)
    cat = catalogue if catalogue is not None else Catalogue.default()
    for chain in ("posterior", "anterior"):
        if not cat.graph.chain(chain):
            raise ValidationError(f"the muscle graph has no {chain} muscle: a sweep cannot measure balance")
    if tuple(population.muscle_ids) != tuple(cat.graph.ids):
        raise ValidationError(
            "the population was sampled on another muscle graph than the catalogue's "
            f"({len(population.muscle_ids)} muscles vs {len(cat.graph)}): "
            "sample it with graph=catalogue.graph"
        )
    for v in vs:  # fail early, before any work, on a variant that cannot run
        compile_program(v.program.with_weeks(1), cat)
    from .config import check_memory

    n_lifts = max(len(v.program.exercises()) for v in vs)
    check_memory(
        len(vs) * len(population) * (8 + n_lifts) * 8 * 2,  # outcomes and their concatenation
        f"the outcomes of {len(vs)} variants x {len(population)} athletes",
    )
    wants_traj = trajectories is not None and trajectories is not False
    sample = sample_days if wants_traj else 0
    if wants_traj:
        if isinstance(sample_days, bool) or not isinstance(sample_days, int) or sample_days <= 0:
            raise ValidationError(f"sample_days must be a whole number > 0, got {sample_days!r}")
        per_athlete = trajectory_bytes_per_athlete(weeks, sample_days, len(cat.graph))
        if isinstance(trajectory_budget, bool) or not isinstance(trajectory_budget, int):
            raise ValidationError(
                f"trajectory_budget must be a whole number of bytes, got {trajectory_budget!r}"
            )
        if trajectory_budget < per_athlete:
            raise ValidationError(
                f"trajectory_budget {trajectory_budget} bytes is less than one athlete's trajectories "
                f"({per_athlete} bytes for {weeks} weeks sampled every {sample_days} days)"
            )
        chunk_size = min(chunk_size, trajectory_budget // per_athlete)
        blocks = -(-weeks * 7 // sample_days)
        need = len(vs) * len(population) * blocks * (3 * len(cat.graph) * 4 + 8)
        if trajectories is True and need > TRAJECTORY_MEMORY_LIMIT:
            raise ValidationError(
                f"the trajectories of this sweep need about {need / 1024**3:.1f} GiB in memory "
                f"(limit {TRAJECTORY_MEMORY_LIMIT / 1024**3:.0f} GiB): pass trajectories='some/folder' "
                "to stream them to Parquet instead"
            )
        if trajectories is True:
            check_memory(need, "the in-memory trajectories of this sweep (pass a folder to stream them)")
    from .config import population_run_bytes

    chunk = min(chunk_size, len(population))
    check_memory(
        population_run_bytes(
            chunk,
            len(cat.graph),
            n_lifts,
            len(population.params),
            blocks=-(-weeks * 7 // sample) if sample else 0,
        ),
        f"one sweep chunk of {chunk} athletes x {len(cat.graph)} muscles (chunk_size= to make it smaller)",
    )
    out_dir = prepare_output(trajectories, overwrite) if isinstance(trajectories, str | Path) else None
    kept: list[Any] = []
    muscles = cat.graph.ids
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chainload-parquet")
    writing: Future[None] | None = None

    def keep(vi: int, start: int, traj: dict[str, np.ndarray] | None) -> None:
        if traj is None:
            return
        table = _trajectory_table(
            traj, np.arange(start, start + traj["capacity"].shape[0]), sample_days, muscles
        )
        if out_dir is not None:
            # Written under a temporary name and renamed: an interrupted sweep leaves only whole
            # files. One part is written (pyarrow, without the GIL) while the next chunk runs; at
            # most one write is in flight, so memory stays within the budget (see
            # TRAJECTORY_BYTES_PER_VALUE).
            nonlocal writing
            if writing is not None:
                writing.result()
            writing = writer.submit(
                write_part, table, out_dir / f"variant={vi}" / f"part-{start:09d}.parquet"
            )
        else:
            import pyarrow as pa

            kept.append(table.append_column("variant", pa.array(np.full(table.num_rows, vi, np.int32))))

    chunks = [slice(i, min(i + chunk_size, len(population))) for i in range(0, len(population), chunk_size)]
    tasks = [(vi, c) for vi in range(len(vs)) for c in chunks]
    frames: dict[tuple[int, int], pd.DataFrame] = {}
    bar = _progress(len(tasks), progress)
    try:
        if client is None:
            shared: dict[int, _VariantRun] = {}  # each variant compiled and balanced once
            for vi, c in tasks:
                if vi not in shared:
                    shared = {vi: _variant_run(vs[vi].program, weeks, cat)}
                frame, traj = _run_chunk(
                    vs[vi].program, population.take(c), weeks, model, band, threads, cat, sample, shared[vi]
                )
                frames[(vi, c.start)] = frame
                keep(vi, c.start, traj)
                bar(1)
        else:
            # The workers get the caller's catalogue (and with it the graph): the same exercises,
            # activations and muscles as a local run.
            futures = {
                (vi, c.start): client.submit(
                    _run_chunk,
                    vs[vi].program,
                    population.take(c),
                    weeks,
                    model,
                    band,
                    1,
                    cat,
                    sample,
                    retries=1,
                    pure=False,
                )
                for vi, c in tasks
            }
            _gather(client, futures, frames, keep, bar, len(tasks), float(worker_timeout))
        if writing is not None:
            writing.result()  # the last part is on disk (or its error raised) before returning
    finally:
        writer.shutdown(wait=True)  # an interrupted sweep still finishes or removes its last part
        bar(0, close=True)
    parts = []
    for vi, c in tasks:
        f = frames[(vi, c.start)]
        f.insert(0, "athlete", np.arange(c.start, c.stop))
        f.insert(0, "variant", vi)
        parts.append(f)
    result = SweepResult(vs, pd.concat(parts, ignore_index=True), weeks, model)
    if kept:
        import pyarrow as pa

        result.trajectories = pa.concat_tables(kept).to_pandas()
    return result


def _gather(
    client: Any,
    futures: dict[tuple[int, int], Any],
    frames: dict[tuple[int, int], pd.DataFrame],
    keep: Callable[[int, int, dict[str, np.ndarray] | None], None],
    bar: Callable[..., None],
    n_tasks: int,
    worker_timeout: float,
) -> None:
    """Collect the Dask futures in order; fail naming the chunks not run when the cluster has had
    no live worker for ``worker_timeout`` seconds, or naming the chunks that raised."""
    import time

    failed = []
    poll = min(1.0, worker_timeout / 4)
    no_worker_since: float | None = None
    keys = list(futures)
    for n_done, key in enumerate(keys):
        fut = futures[key]
        while True:
            try:
                frames[key], traj = fut.result(timeout=poll)
            except TimeoutError:
                try:
                    live = len(client.scheduler_info().get("workers", {}))
                except Exception:  # the scheduler itself is gone
                    live = 0
                now = time.monotonic()
                if live:
                    no_worker_since = None
                    continue
                no_worker_since = no_worker_since if no_worker_since is not None else now
                if now - no_worker_since < worker_timeout:
                    continue
                pending = [k for k in keys[n_done:] if futures[k].status not in ("finished",)]
                for k in pending:
                    futures[k].cancel()
                names = ", ".join(f"variant {v} athletes {a}.." for v, a in pending[:10])
                raise Error(
                    f"no live Dask worker for {worker_timeout:g} s (worker_timeout): {len(pending)} of "
                    f"{n_tasks} sweep chunks not run: {names}{' ...' if len(pending) > 10 else ''}"
                ) from None
            except Exception as e:  # the task raised, or its worker died twice: say which chunk
                if isinstance(e, UnboundLocalError) and fut.status != "error":
                    # distributed's sync() raises this when the timeout races the task's completion
                    # (dask/distributed#8514), not the task: wait again (a CI run failed a chunk so)
                    continue
                failed.append(f"variant {key[0]} athletes {key[1]}..: {type(e).__name__}: {e}")
            else:
                keep(key[0], key[1], traj)
            break
        bar(1)
    if failed:
        raise Error(f"{len(failed)} of {n_tasks} sweep chunks failed: " + "; ".join(failed[:5]))


def compare(
    programs: Sequence[Program],
    population: Population,
    weeks: int = 12,
    model: ModelName = DEFAULT_MODEL,
    **kwargs: Any,
) -> SweepResult:
    """Several programs side by side on the same athletes (see :meth:`SweepResult.paired`)."""
    return sweep([Variant({"program": p.name}, p) for p in programs], population, weeks, model, **kwargs)


def paired_over_models(
    results: Mapping[str, SweepResult],
    reference: int | str = 0,
    outcomes: Sequence[str] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """:meth:`SweepResult.paired` under each model of ``results`` (model name -> the same
    variants on the same athletes), stacked with a ``model`` column, and per (variant, outcome)
    the verdict over the models: ``sign_depends_on_model`` is True when the mean difference is
    above 0 under one model and below under another, and ``verdict_over_models`` is then
    ``depends on the model``; otherwise the verdict every model gives, or ``unclear under some
    models`` when they differ only in deciding."""
    if not results:
        raise ValidationError("paired_over_models() needs at least one model's SweepResult")
    names = {m: r.names() for m, r in results.items()}
    first = next(iter(names.values()))
    for m, n in names.items():
        if n != first:
            raise ValidationError(
                f"model {m!r}: its sweep has other variants than the first ({n} vs {first})"
            )
    table = pd.concat(
        [r.paired(reference, outcomes, level).assign(model=m) for m, r in results.items()], ignore_index=True
    )
    keys = ["variant", "outcome"]
    g = table.groupby(keys, sort=False)
    up = g["mean_difference"].transform(lambda x: bool((x > 0).any()))
    down = g["mean_difference"].transform(lambda x: bool((x < 0).any()))
    table["sign_depends_on_model"] = up.astype(bool) & down.astype(bool)
    same = g["verdict"].transform("nunique") == 1
    table["verdict_over_models"] = np.where(
        table["sign_depends_on_model"],
        "depends on the model",
        np.where(same, table["verdict"], "unclear under some models"),
    )
    return table[["model", *[c for c in table.columns if c != "model"]]]


def compare_models(
    variants: Variant | Program | Iterable[Variant | Program],
    population: Population,
    weeks: int = 12,
    models: Sequence[str] = ("size_neural", "banister", "busso", "saturating"),
    *,
    reference: int | str = 0,
    outcomes: Sequence[str] | None = None,
    level: float = 0.95,
    **kwargs: Any,
) -> pd.DataFrame:
    """The paired comparison of :meth:`SweepResult.paired` run under each of ``models`` (default
    every named model, :data:`chainload.simulation.MODELS`) on the same athletes, with the verdict
    marked where its sign depends on the model (:func:`paired_over_models`). ``kwargs`` go to
    :func:`sweep`."""
    from .simulation import MODELS

    models = [models] if isinstance(models, str) else list(models)
    if not models:
        raise ValidationError("compare_models() needs at least one model")
    for m in models:
        if m not in MODELS:
            from ._names import unknown

            raise unknown("model", m, MODELS)
    vs = [variants] if isinstance(variants, Variant | Program) else list(variants)
    results = {m: sweep(vs, population, weeks, m, **kwargs) for m in models}  # type: ignore[arg-type]
    return paired_over_models(results, reference, outcomes, level)


# --- sweep spec files --------------------------------------------------------------------------
SPEC_KEYS = ("program", "weeks", "model", "population", "vary", "objectives", "description", "name")
POPULATION_KEYS = ("n", "seed")
VARY_KEYS = ("weekly_sets", "frequency", "increment_kg", "deload_every", "substitute", "rep_range")
DEFAULT_OBJECTIVES = ("strength_gain", "-balance_error", "-peak_fatigue")


@dataclass(frozen=True)
class SweepSpec:
    """A sweep spec file, checked whole before any work: see :func:`load_spec`."""

    path: Path
    program: Program
    weeks: int
    model: str
    population_n: int
    population_seed: int
    vary: dict[str, Any]
    objectives: tuple[str, ...]


def check_objectives(objectives: Sequence[str], lifts: Iterable[str], where: str = "objectives") -> None:
    """Raise UnknownNameError (with the nearest outcome) for an objective that is not an outcome
    (OUTCOMES, or gain_<lift> for a lift of the program), before a sweep runs."""
    from ._names import unknown

    known = [*OUTCOMES, *(f"gain_{e}" for e in lifts)]
    if isinstance(objectives, str) or not isinstance(objectives, Sequence) or not objectives:
        raise ValidationError(f"{where}: a non-empty list of outcome names is needed, got {objectives!r:.80}")
    for o in objectives:
        if not isinstance(o, str):
            raise ValidationError(f"{where}: an outcome name is a string, got {o!r:.80}")
        if o.lstrip("-") not in known:
            raise unknown("objective", o.lstrip("-"), known, where)


def _load_program(name: str, folder: Path) -> Program:
    """A shipped example by name, a TOML path, or a path relative to the spec's folder."""
    examples = Program.examples()
    if name in examples and not Path(name).exists():
        return examples[name]
    path = Path(name)
    if not path.exists() and (folder / path).exists():
        path = folder / path
    if not path.exists():
        from ._names import unknown

        raise unknown("program (no such file or shipped example)", name, examples)
    return Program.load(path)


def load_spec(
    path: str | Path, *, strict: bool = True, program_loader: Callable[[str, Path], Program] | None = None
) -> SweepSpec:
    """Read and check a sweep spec TOML (program, weeks, model, [population] n and seed, [vary],
    objectives): an unknown key at any level, a bad number, an unknown model or objective is an
    error naming the file, line and nearest valid name, before any simulation (``strict=False``:
    unknown keys are warnings)."""
    from ._files import TomlSource
    from ._names import check_keys, unknown
    from .simulation import MODELS

    src = TomlSource(path)
    d = src.data
    where = str(src.path)
    line = src.line_of_key

    def at(key: str) -> str:
        n = line(key)
        return f"{where} line {n}" if n else where

    check_keys(d, SPEC_KEYS, where, strict=strict, line_of=line)
    if "program" not in d or not isinstance(d["program"], str):
        raise ValidationError(f"{where}: missing field 'program' (a TOML path or a shipped example name)")
    program = (program_loader or _load_program)(d["program"], src.path.parent)
    weeks = d.get("weeks", 12)
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 520:
        raise ValidationError(f"{at('weeks')}: weeks must be a whole number in 1..520, got {weeks!r}")
    model = d.get("model", "banister")
    if model not in MODELS:
        raise unknown("model", model, MODELS, at("model"))
    pop = d.get("population", {})
    check_keys(pop, POPULATION_KEYS, f"{where} [population]", strict=strict, line_of=line)
    n, seed = pop.get("n", 1000), pop.get("seed", 0)
    if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
        raise ValidationError(f"{at('n')} [population]: n must be a whole number > 0, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValidationError(f"{at('seed')} [population]: seed must be a whole number >= 0, got {seed!r}")
    axes = d.get("vary", {})
    check_keys(axes, VARY_KEYS, f"{where} [vary]", strict=strict, line_of=line)
    axes = {k: v for k, v in axes.items() if k in VARY_KEYS}
    if "deload_every" in axes:
        if not isinstance(axes["deload_every"], list):
            raise ValidationError(
                f"{at('deload_every')}: deload_every must be a list, got {axes['deload_every']!r}"
            )
        axes["deload_every"] = [k or None for k in axes["deload_every"]]  # 0 = no planned deload
    objectives = d.get("objectives", list(DEFAULT_OBJECTIVES))
    check_objectives(objectives, program.exercises(), at("objectives"))
    return SweepSpec(src.path, program, weeks, str(model), n, seed, axes, tuple(objectives))


def _interactive() -> bool:
    """Whether a progress bar has somewhere to be seen: stderr is a terminal, or this runs in a
    notebook kernel with ipywidgets installed (tqdm's widget; without it tqdm would write text
    bars into the cell's captured stderr, as it would into a pipe or a log file)."""
    import importlib.util
    import sys

    if sys.stderr.isatty():
        return True
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    in_kernel = type(shell).__name__ == "ZMQInteractiveShell"
    return in_kernel and importlib.util.find_spec("ipywidgets") is not None


def _progress(total: int, enabled: bool | None) -> Callable[..., None]:
    if enabled is None:
        enabled = _interactive()
    if not enabled or total <= 1:
        return lambda n, close=False: None
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc="sweep", unit="chunk")

    def update(n: int, close: bool = False) -> None:
        if n:
            bar.update(n)
        if close:
            bar.close()

    return update

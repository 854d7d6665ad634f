"""Virtual randomised trials: several programs (arms) on the same athletes, tested before and after.

:func:`trial` runs every arm on the same population (paired athletes: athlete ``i`` is the same
virtual person in every arm), one batched core call per arm, and measures each athlete's 1RM on
the test lifts before and after with test–retest noise (default CV 4.2 %, VALIDATION.md MEAS-1:
Grgic et al. 2020, median CV of the 1RM test), drawn independently at the pre and the post test
(and in every arm) from a generator seeded by ``seed``. Muscle size is read without noise.

Statistics (VALIDATION.md's definitions):
    * change = post − pre; change_pct = 100 · (post / pre − 1), per athlete;
    * an arm's pre–post effect size (ES) = mean change / between-athlete SD of the pre-test
      (SD with ddof = 1);
    * "SMD difference" of arms a and b = ES_a − ES_b; "ratio" = mean change_pct of a / of b;
    * 95 % intervals: percentile bootstrap over athletes, resampled in pairs (the same
      athletes in both arms), ``n_boot`` resamples from a generator seeded by ``seed``.
Outcome names: ``1rm:<lift>`` (kg), ``size:<muscle>`` (relative size) and ``chain:<chain>``
(size-weighted mean relative size of the chain's muscles; posterior, anterior, lateral).

Fitted lifters (``Population.from_fits``, whose athletes carry parameter uncertainty): every arm
also runs on the population's parameter draws, paired, in the same core call, and each athlete's
outcome gets a prediction interval (change_pct_lo / _hi at ``level``); the effects' intervals then
include the parameter uncertainty (:class:`Trial`; docs/fitting.md §6).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from .athlete import STATUSES, check_status
from .catalogue import Catalogue
from .errors import UnknownNameError, ValidationError
from .population import Population
from .program import Program
from .simulation import MODELS, compile_program, run_batch

# VALIDATION.md MEAS-1: median test–retest CV of the 1RM test, 4.2 % (Grgic et al. 2020).
DEFAULT_NOISE_CV = 0.042
# The common test battery of `compare` (issue 10 item 7): every athlete is tested on all of them.
BATTERY = (
    "deadlift",
    "back_squat",
    "bench_press",
    "overhead_press",
    "pull_up",
    "bent_over_row",
    "hip_thrust",
)
CHAINS = ("posterior", "anterior", "lateral")
# Each athlete's prediction interval over the parameter draws (a trial of fitted lifters).
INTERVAL_COLUMNS = ("change_lo", "change_hi", "change_pct_lo", "change_pct_hi")
STATISTICS = ("mean_difference", "mean_pct_difference", "ratio", "es_a", "es_b", "smd_difference")
# Resample weights held at once by the bootstrap (n_boot × athletes cells, ~32 MB of float64).
_BOOT_CELLS = 4_000_000


def _whole(value: Any, name: str, lo: int, hi: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < lo:
        raise ValidationError(f"{name} must be a whole number >= {lo}, got {value!r}")
    if hi is not None and value > hi:
        raise ValidationError(f"{name} must be at most {hi:,}, got {value!r}")
    return int(value)


# More resamples than this change no reported digit of a 95 % interval and only cost time
# (engine choice).
MAX_BOOT = 1_000_000


def _same_catalogue(a: Catalogue, b: Catalogue) -> bool:
    if a is b:
        return True
    return (
        a.ids == b.ids
        and a.graph.ids == b.graph.ids
        and bool(np.array_equal(a.activation_matrix(), b.activation_matrix()))
    )


def _arms(
    arms: Mapping[str, Program | tuple[Program, Catalogue]] | Sequence[Program], catalogue: Catalogue | None
) -> tuple[dict[str, Program], Catalogue]:
    if isinstance(arms, str):  # a string is a sequence: it would be read as arms named by letters
        raise ValidationError(
            f"trial(): arms must be a mapping name -> Program (or a list of Programs), got {arms!r}"
        )
    if isinstance(arms, Program):
        raise ValidationError("trial(): arms must be a mapping name -> Program (or a list of Programs)")
    items: list[tuple[str, Any]]
    if isinstance(arms, Mapping):
        items = [(str(k), v) for k, v in arms.items()]
    else:
        items = [(getattr(p, "name", f"#{i + 1}"), p) for i, p in enumerate(arms)]
        names = [n for n, _ in items]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValidationError(f"trial(): two arms are named {dupes[0]!r}: pass a mapping name -> Program")
    if not items:
        raise ValidationError("trial() needs at least one arm")
    programs: dict[str, Program] = {}
    cat: Catalogue | None = catalogue
    cat_arm = "catalogue="
    for name, value in items:
        arm_cat = None
        if isinstance(value, tuple):
            if len(value) != 2 or not isinstance(value[1], Catalogue):
                raise ValidationError(f"trial(): arm {name!r} must be a Program or (Program, Catalogue)")
            value, arm_cat = value
        if not isinstance(value, Program):
            raise ValidationError(f"trial(): arm {name!r} is not a Program, got {value!r:.80}")
        if arm_cat is not None:
            if cat is None:
                cat, cat_arm = arm_cat, f"arm {name!r}"
            elif not _same_catalogue(cat, arm_cat):
                raise ValidationError(
                    f"trial(): arm {name!r} is on a different catalogue from {cat_arm} "
                    f"({len(arm_cat)} vs {len(cat)} exercises or other activation weights): "
                    "all arms must use one catalogue"
                )
        programs[name] = value
    return programs, cat if cat is not None else Catalogue.default()


def trial(
    arms: Mapping[str, Program | tuple[Program, Catalogue]] | Sequence[Program],
    population: Population,
    weeks: int | None = None,
    tests: Sequence[str] = BATTERY,
    noise_cv: float = DEFAULT_NOISE_CV,
    seed: int = 0,
    model: str | None = None,
    threads: int | None = None,
    n_boot: int = 2000,
    catalogue: Catalogue | None = None,
    draws: int | None = None,
    level: float = 0.95,
) -> Trial:
    """Run every arm on every athlete of ``population`` and test them before and after.

    arms: ``{"name": Program}`` (or ``(Program, Catalogue)`` pairs: all on one catalogue) or a list
        of Programs (named by their names).
    weeks: None: every arm must have the same number of weeks (a ValidationError otherwise);
        a number: every arm is cut, or cycled from its first week, to that many weeks
        (``Program.with_weeks``), so a 4-week block can run 12 weeks.
    tests: the test lifts (catalogue ids); default :data:`BATTERY`.
    noise_cv: CV of the 1RM test noise (0 for true values); model: None for the default model.
    threads: core threads (None or 0: all cores); results do not depend on it.
    draws, level: prediction intervals for a population that carries parameter uncertainty
        (``Population.from_fits`` of fitted lifters): every arm also runs on the population's
        parameter draws (None: all of them; a number: the first ``draws``), in the same core call,
        the same draws in every arm (paired). ``t.outcomes`` then gains change_lo, change_hi,
        change_pct_lo and change_pct_hi: each athlete's ``level`` interval over the draws (the
        quantiles at (1 ∓ level) / 2; ``t.level`` states it), with the athlete's test noise held
        as drawn, so an interval is the parameter uncertainty of that athlete's measured change;
        ``effect`` and ``summary`` intervals then carry both sources (see :class:`Trial`).
    """
    programs, cat = _arms(arms, catalogue)
    if not isinstance(population, Population):
        raise ValidationError(f"trial(): population must be a Population, got {population!r:.80}")
    if len(population) == 0:
        raise ValidationError("trial(): the population has 0 athletes")
    carried = len(population.parameter_draws)
    if draws is not None:
        draws = _whole(draws, "trial(): draws", 1)
        if draws > carried:
            raise ValidationError(
                f"trial(): draws={draws} but the population carries {carried} parameter draws"
                + (" (Population.from_fits of fitted lifters carries them)" if carried == 0 else "")
            )
    k_draws = carried if draws is None else draws
    if not (isinstance(level, float | int) and not isinstance(level, bool) and 0 < level < 1):
        raise ValidationError(f"trial(): level must be a number in (0, 1), got {level!r}")
    if weeks is not None:
        weeks = _whole(weeks, "trial(): weeks", 1)
        programs = {k: p.with_weeks(weeks) for k, p in programs.items()}
    lengths = {k: p.n_weeks for k, p in programs.items()}
    if len(set(lengths.values())) > 1:
        raise ValidationError(
            "trial(): the arms have different lengths ("
            + ", ".join(f"{k!r}: {v} weeks" for k, v in lengths.items())
            + "); pass weeks= to cut or cycle them to one length"
        )
    if isinstance(tests, str):
        tests = [tests]
    tests = tuple(tests)
    if not tests:
        raise ValidationError("trial(): tests is empty: name at least one test lift")
    for lift in tests:
        try:
            ex = cat[lift]
        except UnknownNameError as e:
            raise UnknownNameError(f"trial(): test lift: {e}") from None
        if ex.standard_1rm_bw is None:
            raise ValidationError(f"trial(): test lift '{lift}' has no standard_1rm_bw: its 1RM is unknown")
    dupes = sorted({t for t in tests if tests.count(t) > 1})
    if dupes:
        raise ValidationError(f"trial(): test lift {dupes[0]!r} is listed twice")
    if not (isinstance(noise_cv, int | float) and not isinstance(noise_cv, bool)) or not (
        math.isfinite(noise_cv) and 0 <= noise_cv <= 0.5
    ):
        raise ValidationError(f"trial(): noise_cv must be a number in [0, 0.5], got {noise_cv!r}")
    seed = _whole(seed, "trial(): seed", 0)
    n_boot = _whole(n_boot, "trial(): n_boot", 1, MAX_BOOT)
    if threads is not None:
        threads = _whole(threads, "trial(): threads", 0)
    if model is not None and model not in MODELS:
        near = _core.nearest_names(str(model), list(MODELS), 1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise ValidationError(f"trial(): unknown model {model!r}; known: {', '.join(MODELS)}{hint}")
    for name, p in programs.items():  # fail before any work on an arm that cannot run
        try:
            compile_program(p, cat)
        except (UnknownNameError, ValidationError) as e:
            raise type(e)(f"trial(): arm {name!r}: {e}") from None

    n, n_tests = len(population), len(tests)
    from .config import check_memory

    # engine estimate: per arm, test noise (2 x tests float64) and the outcome rows (tests +
    # muscles + 2 chains per athlete, 5 columns of 8 bytes, twice for the concatenation)
    n_rows = n * (n_tests + len(cat.graph) + len(CHAINS))
    check_memory(
        len(programs) * (2 * n * n_tests * 8 + n_rows * 5 * 8 * 2) * (1 + k_draws),
        f"trial of {len(programs)} arms x {n} athletes" + (f" x {1 + k_draws} draws" if k_draws else ""),
    )
    # the point population first, then its draws: one core call per arm runs them all
    runs = Population.concat([population, *population.parameter_draws[:k_draws]]) if k_draws else population
    rng = np.random.default_rng(seed)
    noise = 1.0 + noise_cv * rng.standard_normal((len(programs), 2, n, n_tests))
    graph = cat.graph
    muscles = tuple(graph.ids)
    size = np.array([m.size for m in graph.muscles()])
    chain_idx = [np.array([graph.index(m) for m in graph.chain(c)], dtype=int) for c in CHAINS]
    names = [f"1rm:{t}" for t in tests] + [f"size:{m}" for m in muscles] + [f"chain:{c}" for c in CHAINS]
    frames, draw_pre, draw_post = [], [], []
    for k, (arm, program) in enumerate(programs.items()):
        r = run_batch(program, runs, tests=tests, model=model, threads=threads, catalogue=cat)
        order = [list(r.muscles).index(m) for m in muscles] if tuple(r.muscles) != muscles else slice(None)

        def chains(s: np.ndarray) -> np.ndarray:
            return np.stack(
                [
                    (s[:, i] * size[i]).sum(axis=1) / size[i].sum() if i.size else np.ones(len(s))
                    for i in chain_idx
                ],
                axis=1,
            )

        # every draw of athlete i keeps athlete i's test noise (np.tile over the draws)
        pre_size = np.asarray(r.pre_size, float)[:, order]
        post_size = np.asarray(r.post_size, float)[:, order]
        pre_rm = np.asarray(r.pre_one_rm, float) * np.tile(noise[k, 0], (1 + k_draws, 1))
        post_rm = np.asarray(r.post_one_rm, float) * np.tile(noise[k, 1], (1 + k_draws, 1))
        pre_all = np.hstack([pre_rm, pre_size, chains(pre_size)]).reshape(1 + k_draws, n, -1)
        post_all = np.hstack([post_rm, post_size, chains(post_size)]).reshape(1 + k_draws, n, -1)
        pre, post = pre_all[0], post_all[0]
        # draws × rows, rows in the frame's order (outcome-major, then athlete)
        if k_draws:
            draw_pre.append(pre_all[1:].transpose(0, 2, 1).reshape(k_draws, -1))
            draw_post.append(post_all[1:].transpose(0, 2, 1).reshape(k_draws, -1))
        o = len(names)
        frames.append(
            pd.DataFrame(
                {
                    "arm": np.full(n * o, arm, dtype=object),
                    "athlete": np.tile(np.arange(n), o),
                    "outcome": np.repeat(np.array(names, dtype=object), n),
                    "pre": pre.T.ravel(),
                    "post": post.T.ravel(),
                }
            )
        )
    outcomes = pd.concat(frames, ignore_index=True)
    return Trial(
        outcomes,
        n_boot=n_boot,
        seed=seed,
        programs=programs,
        tests=tests,
        model=model,
        noise_cv=float(noise_cv),
        draw_pre=np.hstack(draw_pre) if k_draws else None,
        draw_post=np.hstack(draw_post) if k_draws else None,
        level=float(level),
    )


@dataclass
class Trial:
    """Result of :func:`trial`: the tidy ``outcomes`` table and its statistics.

    ``Trial(outcomes)`` also works on a hand-made table with columns arm, athlete, outcome, pre,
    post (change and change_pct are added).

    Parameter uncertainty (a trial of fitted lifters, :func:`trial`'s ``draws``): ``draw_pre`` and
    ``draw_post`` (draws × rows of ``outcomes`` as given) hold every athlete's pre and post on each
    parameter draw; ``outcomes`` gains change_lo / change_hi / change_pct_lo / change_pct_hi, the
    ``level`` interval over the draws. The point values stay the MAP athletes'. The 95 % intervals
    of :meth:`effect` and :meth:`summary` then resample athletes *and* a parameter draw: each
    bootstrap resample computes its statistic on one draw, chosen at random (seeded by ``seed``),
    so they carry both the sampling and the parameter uncertainty; with draws of zero spread they
    equal those of the point trial. :meth:`paired` stays at the point (sampling only).
    """

    outcomes: pd.DataFrame
    n_boot: int = 2000
    seed: int = 0
    programs: dict[str, Program] = field(default_factory=dict)
    tests: tuple[str, ...] = ()
    model: str | None = None
    noise_cv: float = DEFAULT_NOISE_CV
    draw_pre: np.ndarray | None = field(default=None, repr=False)
    draw_post: np.ndarray | None = field(default=None, repr=False)
    level: float = 0.95
    _weights: dict[int, np.ndarray] = field(default_factory=dict, repr=False)
    _index: dict[tuple[str, str], np.ndarray] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        f = self.outcomes
        missing = [c for c in ("arm", "athlete", "outcome", "pre", "post") if c not in f.columns]
        if missing:
            raise ValidationError(f"Trial outcomes: missing column(s) {missing}")
        if len(f) == 0:
            raise ValidationError("Trial outcomes: the table is empty (a trial of 0 athletes)")
        if (self.draw_pre is None) != (self.draw_post is None):
            raise ValidationError("Trial: draw_pre and draw_post must be given together")
        f = f.reset_index(drop=True)
        if "change" not in f.columns:
            f["change"] = f["post"] - f["pre"]
        if "change_pct" not in f.columns:
            with np.errstate(divide="ignore", invalid="ignore"):
                f["change_pct"] = 100.0 * (f["post"] / f["pre"] - 1.0)
        arm_order = [str(a) for a in pd.unique(self.outcomes["arm"])]
        outcome_order = [str(o) for o in pd.unique(self.outcomes["outcome"])]
        f["arm"] = pd.Categorical(f["arm"], categories=arm_order)
        f = f.sort_values(["arm", "outcome", "athlete"], kind="stable")
        if self.draw_pre is not None and self.draw_post is not None:
            order = f.index.to_numpy()
            shapes = {np.shape(self.draw_pre), np.shape(self.draw_post)}
            if len(shapes) > 1 or np.ndim(self.draw_pre) != 2 or np.shape(self.draw_pre)[1] != len(f):
                raise ValidationError(
                    f"Trial: draw_pre and draw_post must both be draws x {len(f)} rows, got {sorted(shapes)}"
                )
            self.draw_pre = np.asarray(self.draw_pre, float)[:, order]
            self.draw_post = np.asarray(self.draw_post, float)[:, order]
            q = [(1 - self.level) / 2, (1 + self.level) / 2]
            change = self.draw_post - self.draw_pre
            with np.errstate(divide="ignore", invalid="ignore"):
                pct = 100.0 * (self.draw_post / self.draw_pre - 1.0)
            lo_hi = [*np.quantile(change, q, axis=0), *np.quantile(pct, q, axis=0)]
            for c, v in zip(INTERVAL_COLUMNS, lo_hi, strict=True):
                f[c] = v
        f = f.reset_index(drop=True)
        f["arm"] = f["arm"].astype(object)
        cols = ["arm", "athlete", "outcome", "pre", "post", "change", "change_pct"]
        self.outcomes = f[cols + [c for c in f.columns if c not in cols]]
        if self.draw_pre is not None:
            self.outcomes.attrs["interval_level"] = self.level
        groups: dict[Any, Any] = self.outcomes.groupby(["arm", "outcome"]).indices
        index = {(str(k[0]), str(k[1])): np.asarray(v) for k, v in groups.items()}
        # in the order of the table: arms as given, outcomes in their first order
        self._index = {(a, o): index[(a, o)] for a in arm_order for o in outcome_order if (a, o) in index}

    @property
    def arms(self) -> list[str]:
        return list(dict.fromkeys(a for a, _ in self._index))

    @property
    def outcome_names(self) -> list[str]:
        return list(dict.fromkeys(o for _, o in self._index))

    @property
    def n_draws(self) -> int:
        """Parameter draws behind the prediction intervals (0: a point trial)."""
        return 0 if self.draw_pre is None else int(self.draw_pre.shape[0])

    def _draw_values(self, arm: str, outcome: str, athletes: pd.Index) -> tuple[np.ndarray, ...]:
        """pre, post, change, change_pct of ``athletes`` on every draw (each draws × athletes)."""
        assert self.draw_pre is not None and self.draw_post is not None
        rows = self._index[(arm, outcome)]
        pos = pd.Series(rows, index=self.outcomes["athlete"].to_numpy()[rows]).loc[athletes].to_numpy()
        pre, post = self.draw_pre[:, pos], self.draw_post[:, pos]
        with np.errstate(divide="ignore", invalid="ignore"):
            return pre, post, post - pre, 100.0 * (post / pre - 1.0)

    def _boot_with_draws(self, n: int, x: np.ndarray, drawn: np.ndarray | None) -> np.ndarray:
        """Bootstrap means (n_boot × k) of the columns of ``x`` (n × k); with ``drawn`` (draws ×
        n × k, the same columns on each parameter draw) each resample's means are taken on one
        draw picked at random (seeded by (seed, n)), so the spread carries both sources."""
        if drawn is None:
            return self._boot_means(n, x)
        k_draws, _, k = drawn.shape
        means = self._boot_means(n, drawn.transpose(1, 0, 2).reshape(n, k_draws * k))
        pick = np.random.default_rng(np.random.SeedSequence([self.seed, 0xD4A3, n]))
        return means.reshape(self.n_boot, k_draws, k)[
            np.arange(self.n_boot), pick.integers(0, k_draws, self.n_boot)
        ]

    @property
    def n_athletes(self) -> int:
        return int(self.outcomes["athlete"].nunique())

    def _check(self, arm: str, outcome: str) -> None:
        if arm not in self.arms:
            near = _core.nearest_names(str(arm), self.arms, 3)
            hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
            raise UnknownNameError(f"unknown arm {arm!r}; arms: {', '.join(map(repr, self.arms))}{hint}")
        if outcome not in self.outcome_names:
            near = _core.nearest_names(str(outcome), self.outcome_names, 3)
            hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
            raise UnknownNameError(f"unknown outcome {outcome!r}{hint}")

    def values(self, arm: str, outcome: str) -> pd.DataFrame:
        """athlete-indexed pre, post, change, change_pct of one arm and outcome (and their
        prediction intervals change_lo ... change_pct_hi in a trial with parameter draws)."""
        self._check(arm, outcome)
        rows = self.outcomes.iloc[self._index[(arm, outcome)]]
        cols = ["pre", "post", "change", "change_pct"]
        return rows.set_index("athlete")[cols + [c for c in INTERVAL_COLUMNS if c in rows.columns]]

    def _boot_means(self, n: int, x: np.ndarray) -> np.ndarray:
        """Means of the columns of ``x`` (n × k) over ``n_boot`` resamples of its n rows with
        replacement (n_boot × k). The resamples are seeded by (seed, n) and drawn in fixed
        chunks, so the same n always gives the same resamples; weights of at most ~32 MB are
        kept for the next call, larger ones are drawn chunk by chunk (bounded memory)."""
        x = np.nan_to_num(np.asarray(x, dtype=float))
        if n in self._weights:
            return np.asarray(self._weights[n] @ x) / n
        rng = np.random.default_rng(np.random.SeedSequence([self.seed, 0xB007, n]))
        p = np.full(n, 1.0 / n)
        step = max(1, min(self.n_boot, _BOOT_CELLS // max(n, 1)))
        if step >= self.n_boot:
            self._weights[n] = rng.multinomial(n, p, size=self.n_boot).astype(float)
            return np.asarray(self._weights[n] @ x) / n
        out = np.empty((self.n_boot, x.shape[1]))
        for start in range(0, self.n_boot, step):
            k = min(step, self.n_boot - start)
            out[start : start + k] = (rng.multinomial(n, p, size=k).astype(float) @ x) / n
        return out

    def effect(self, a: str, b: str, outcome: str) -> pd.DataFrame:
        """Arm ``a`` against arm ``b`` on ``outcome`` over their common athletes (paired).

        Rows: mean_difference (mean change a − mean change b, in the outcome's unit),
        mean_pct_difference (percentage points), ratio (mean change_pct a / b), es_a, es_b
        (pre–post effect sizes) and smd_difference (es_a − es_b). Columns: estimate, ci_low,
        ci_high (95 % percentile bootstrap over athletes, resampled in pairs; in a trial with
        parameter draws each resample is also on a random draw, see :class:`Trial`).
        """
        va, vb = self.values(a, outcome), self.values(b, outcome)
        common = va.index.intersection(vb.index)
        if len(common) == 0:
            raise ValidationError(f"arms {a!r} and {b!r} have no athlete in common on {outcome!r}")
        va, vb = va.loc[common], vb.loc[common]
        n = len(common)
        cols = np.stack(
            [va["change"], vb["change"], va["change_pct"], vb["change_pct"], va["pre"], vb["pre"]], axis=1
        ).astype(float)
        x = np.hstack([cols, cols[:, 4:] ** 2])
        drawn = None
        if self.n_draws:
            (pa, _, ca, pcta), (pb, _, cb, pctb) = (self._draw_values(v, outcome, common) for v in (a, b))
            drawn = np.stack([ca, cb, pcta, pctb, pa, pb, pa**2, pb**2], axis=2)
        point = _effect_stats(x.mean(axis=0, keepdims=True), n)[0]
        boot = _effect_stats(self._boot_with_draws(n, x, drawn), n)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a statistic undefined in every resample
            lo = np.nanquantile(np.where(np.isfinite(boot), boot, np.nan), 0.025, axis=0)
            hi = np.nanquantile(np.where(np.isfinite(boot), boot, np.nan), 0.975, axis=0)
        out = pd.DataFrame(
            {"estimate": point, "ci_low": lo, "ci_high": hi}, index=pd.Index(STATISTICS, name="statistic")
        )
        out.attrs.update({"a": a, "b": b, "outcome": outcome, "n": n})
        return out

    def paired(
        self,
        reference: str | None = None,
        outcomes: Sequence[str] | str | None = None,
        level: float = 0.95,
        value: str = "change_pct",
    ) -> pd.DataFrame:
        """Every arm against ``reference`` (default: the first arm) on the same athletes, per
        outcome: the paired differences of ``value`` ("change_pct", percentage points, or
        "change", the outcome's unit) with ``n``, ``mean_difference``, its ``level`` Student-t
        interval, ``dz`` (Cohen's d for paired data), ``share_higher`` and a ``verdict``, as
        :meth:`chainload.SweepResult.paired` gives for sweeps. The interval is sampling
        uncertainty over virtual athletes only: a large trial decides almost every difference, so
        run it under the other models too before reading a verdict as a finding."""
        from ._names import unknown
        from ._stats import paired_table

        ref = self.arms[0] if reference is None else reference
        if ref not in self.arms:
            raise unknown("arm", str(ref), self.arms)
        cols = list(
            self.outcome_names if outcomes is None else [outcomes] if isinstance(outcomes, str) else outcomes
        )
        for c in cols:
            if c not in self.outcome_names:
                raise unknown("outcome", str(c), self.outcome_names)
        if value not in ("change", "change_pct"):
            raise ValidationError(f"value must be 'change' or 'change_pct', got {value!r}")
        if not (isinstance(level, float | int) and not isinstance(level, bool) and 0 < level < 1):
            raise ValidationError(f"level must be in (0, 1), got {level!r}")
        rows = self.outcomes[self.outcomes["outcome"].isin(cols)]
        wide = rows.pivot(index="athlete", columns=["outcome", "arm"], values=value)
        wide = wide.reindex(columns=pd.MultiIndex.from_product([cols, self.arms]))
        values = wide.to_numpy(dtype=float).reshape(len(wide), len(cols), len(self.arms))
        return paired_table(values, self.arms.index(ref), self.arms, cols, float(level), "arm")

    def summary(self, outcomes: Sequence[str] | None = None) -> pd.DataFrame:
        """Per arm and outcome: n, mean pre, post, change, change_pct with its 95 % bootstrap
        interval over athletes (and parameter draws, if the trial has them), and the pre–post
        effect size."""
        names = list(outcomes) if outcomes is not None else self.outcome_names
        rows = []
        for arm in self.arms:
            values = {o: self.values(arm, o) for o in names}
            by_n: dict[int, list[str]] = {}
            for o, v in values.items():
                by_n.setdefault(len(v), []).append(o)
            ci: dict[str, tuple[float, float]] = {}
            for n, group in by_n.items():  # one resampling for all outcomes with n athletes
                pct = np.stack([values[o]["change_pct"].to_numpy(float) for o in group], axis=1)
                drawn = None
                if self.n_draws:
                    drawn = np.stack([self._draw_values(arm, o, values[o].index)[3] for o in group], axis=2)
                boot = self._boot_with_draws(n, pct, drawn)
                lo, hi = np.quantile(boot, [0.025, 0.975], axis=0)
                ci.update({o: (float(lo[j]), float(hi[j])) for j, o in enumerate(group)})
            for o in names:
                v = values[o]
                sd = float(v["pre"].std(ddof=1)) if len(v) > 1 else math.nan
                sd = sd if sd > 1e-9 * abs(float(v["pre"].mean())) else math.nan
                rows.append(
                    {
                        "arm": arm,
                        "outcome": o,
                        "n": len(v),
                        "pre": float(v["pre"].mean()),
                        "post": float(v["post"].mean()),
                        "change": float(v["change"].mean()),
                        "change_pct": float(v["change_pct"].mean()),
                        "change_pct_ci_low": ci[o][0],
                        "change_pct_ci_high": ci[o][1],
                        "es": float(v["change"].mean()) / sd,
                    }
                )
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        model = self.model or "default"
        head = f"<b>Trial</b>: {len(self.arms)} arms × {self.n_athletes} athletes, model {model}"
        s = self.summary([o for o in self.outcome_names if o.startswith(("1rm:", "chain:"))])
        return head + s.round(3).to_html(index=False)

    def __repr__(self) -> str:
        return (
            f"Trial({len(self.arms)} arms × {self.n_athletes} athletes, {len(self.outcome_names)} outcomes)"
        )


def compare(
    programs: Sequence[Program] | Mapping[str, Program],
    population: Population,
    weeks: int = 12,
    tests: Sequence[str] = BATTERY,
    model: str | None = None,
    noise_cv: float = DEFAULT_NOISE_CV,
    seed: int = 0,
    threads: int | None = None,
    n_boot: int = 2000,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """Programs compared on one common test battery (issue 10 item 7), on the same athletes.

    Every athlete is tested on every lift of ``tests`` (default :data:`BATTERY`) whatever the
    program trains, through :func:`trial` (1RM test noise ``noise_cv`` included). One row per
    program: ``<lift>_pct`` (mean % 1RM change over the population) with ``<lift>_pct_lo`` and
    ``_hi`` (its 95 % bootstrap interval over athletes), ``size_<chain>_pct`` (+ interval) for the
    posterior and anterior chains (size-weighted mean relative size), ``battery_pct`` (mean over
    the battery) and, as an extra column only, ``own_lifts_pct``: the mean % change over the
    program's own lifts (those with a catalogue 1RM standard).
    """
    cat = catalogue if catalogue is not None else Catalogue.default()
    arms = dict(programs) if isinstance(programs, Mapping) else {p.name: p for p in programs}
    if not isinstance(programs, Mapping) and len(arms) != len(programs):
        raise ValidationError("compare(): two programs have the same name; pass a mapping name -> Program")
    tests = tuple([tests] if isinstance(tests, str) else tests)
    own = {
        k: [e for e in p.exercises() if e in cat and cat[e].standard_1rm_bw is not None]
        for k, p in arms.items()
    }
    extra = [e for k in arms for e in own[k] if e not in tests]
    everything = tuple(dict.fromkeys([*tests, *extra]))
    t = trial(
        arms,
        population,
        weeks=weeks,
        tests=everything,
        noise_cv=noise_cv,
        seed=seed,
        model=model,
        threads=threads,
        n_boot=n_boot,
        catalogue=cat,
    )
    summary = t.summary([*(f"1rm:{x}" for x in everything), "chain:posterior", "chain:anterior"])
    by = {(str(r["arm"]), str(r["outcome"])): r for r in summary.to_dict("records")}
    rows = {}
    for arm in t.arms:
        row: dict[str, float] = {}
        for x in tests:
            r = by[(arm, f"1rm:{x}")]
            row[f"{x}_pct"] = float(r["change_pct"])
            row[f"{x}_pct_lo"] = float(r["change_pct_ci_low"])
            row[f"{x}_pct_hi"] = float(r["change_pct_ci_high"])
        for c in ("posterior", "anterior"):
            r = by[(arm, f"chain:{c}")]
            row[f"size_{c}_pct"] = float(r["change_pct"])
            row[f"size_{c}_pct_lo"] = float(r["change_pct_ci_low"])
            row[f"size_{c}_pct_hi"] = float(r["change_pct_ci_high"])
        row["battery_pct"] = float(np.mean([row[f"{x}_pct"] for x in tests]))
        lifts = own[arm]
        row["own_lifts_pct"] = (
            float(np.mean([by[(arm, f"1rm:{x}")]["change_pct"] for x in lifts])) if lifts else math.nan
        )
        rows[arm] = row
    table = pd.DataFrame(rows).T
    table.index.name = "program"
    table.attrs.update({"weeks": weeks, "model": model or "default", "athletes": len(population)})
    return table


def _effect_stats(means: np.ndarray, n: int) -> np.ndarray:
    """The STATISTICS for each row of ``means`` (B × 8: mean change a, change b, change_pct a,
    change_pct b, pre a, pre b, pre a², pre b², over n athletes)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        var = (
            (means[:, 6:8] - means[:, 4:6] ** 2) * n / (n - 1) if n > 1 else np.full((len(means), 2), np.nan)
        )
        sd = np.sqrt(np.maximum(var, 0.0))
        # a pre-test without spread (e.g. every size 1 at day 0) has no effect size
        spread = sd > 1e-9 * np.abs(means[:, 4:6])
        es_a = means[:, 0] / np.where(spread[:, 0], sd[:, 0], np.nan)
        es_b = means[:, 1] / np.where(spread[:, 1], sd[:, 1], np.nan)
        ratio = means[:, 2] / means[:, 3]
    return np.stack(
        [means[:, 0] - means[:, 1], means[:, 2] - means[:, 3], ratio, es_a, es_b, es_a - es_b], axis=1
    )


__all__ = [
    "BATTERY",
    "DEFAULT_NOISE_CV",
    "INTERVAL_COLUMNS",
    "STATISTICS",
    "STATUSES",
    "Trial",
    "check_status",
    "compare",
    "trial",
]

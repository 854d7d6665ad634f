"""Chain membership, totals and ratios: the one place chainload computes balance.

Every muscle group is on the posterior or the anterior chain by the mirror test of the source
article (what you see of yourself in a mirror is the anterior chain), or split between the two by
a documented ``posterior_share`` where it wraps around the body (muscle_graph.toml). Balance is
the **per-set volume share** (issue 11, docs/balance.md): each hard set of exercise e spreads one
unit of stimulus over its muscles, share_em = a_em s_m / Σ_k a_ek s_k (activation × share of body
muscle volume, SCIENCE.md 6); X_m = Σ_e sets_e share_em; posterior:anterior = Σ p_m X_m /
Σ (1 − p_m) X_m: "the share of each set's working muscle volume that lies on each chain". The same
over one region's muscles (upper, lower, trunk) and Σ_a X / Σ_b X for each antagonist group.
Splitting a muscle into parts whose sizes add up, with its activation, leaves Σ a s and so every
ratio unchanged. Consequence: triceps (posterior, 0.038) outweigh the pecs (0.031), so a bench set
is 51 % posterior and bench + row in equal sets scores 1.98 (no monotone activation weighting brings
it under 1.42: docs/balance.md 7). The report, the simulation, the sweep, suggest, logs and the
plots all take X from :func:`program_stimulus` / :func:`performed_stimulus` and the ratios from
:meth:`ChainSpec.ratios`. Volume landmarks stay on plain
fractional sets. The C++ kernel (cpp/src/balance.cpp) computes the same numbers;
:meth:`ChainSpec.reference` is the numpy version the tests hold it to.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from . import _core
from ._blocks import set_blocks
from .athlete import Athlete
from .errors import ValidationError
from .graph import MuscleGraph

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .program import Program
    from .simulation import Simulation

# Band of a balanced posterior:anterior ratio: engine choice, symmetric on a log scale around 1
# (0.75 = 1 / 1.33): neither chain's mean stimulus a third above the other's. No published norm
# exists for a load ratio of the chains; the strength norms (SCIENCE.md 4) are in STRENGTH_NORMS.
DEFAULT_BAND: tuple[float, float] = (0.75, 4.0 / 3.0)
# Band of each antagonist-group load ratio (Σ X of the a-side over that of the b-side, X the
# per-set volume share): engine choice, neither side more than twice the other.
PAIR_BAND: tuple[float, float] = (0.5, 2.0)
REGION_LABELS: dict[str, str] = {"upper": "upper", "lower": "lower", "core": "trunk"}
CHAIN_COLUMNS = ["posterior_anterior", *(f"posterior_anterior_{r}" for r in REGION_LABELS.values())]


# --------------------------------------------------------------------------------- membership
def posterior_shares(graph: MuscleGraph) -> np.ndarray:
    """Posterior share of every muscle, in graph order: the explicit ``posterior_share`` where the
    graph gives one, else 1 for the posterior chain and 0 for the anterior. A lateral muscle without
    a share raises ValidationError naming it (no muscle is silently left out of the balance)."""
    explicit = graph.posterior_shares()
    out = np.empty(len(graph))
    for i, m in enumerate(graph.muscles()):
        if m.id in explicit:
            out[i] = explicit[m.id]
        elif m.chain == "posterior":
            out[i] = 1.0
        elif m.chain == "anterior":
            out[i] = 0.0
        else:
            raise ValidationError(
                f"muscle {m.id!r} is lateral (wraps around the body) but has no posterior_share; "
                "give one in [0, 1] (add_muscle(..., posterior_share=) or posterior_share = in the TOML)"
            )
    return out


def membership(graph: MuscleGraph | None = None) -> pd.DataFrame:
    """One row per muscle: chain, region, size, posterior and anterior share, and each side's
    weight (share × size) — the table of docs/balance.md."""
    g = graph if graph is not None else MuscleGraph.default()
    share = posterior_shares(g)
    f = g.to_frame()[["name", "chain", "region", "size"]].copy()
    f["posterior_share"] = share
    f["anterior_share"] = 1.0 - share
    f["posterior_weight"] = share * f["size"].to_numpy()
    f["anterior_weight"] = (1.0 - share) * f["size"].to_numpy()
    return f


@dataclass(frozen=True)
class ChainSpec:
    """What the balance of one graph needs: sizes, shares, regions, antagonist groups, and the
    C++ kernel's spec built from them."""

    ids: tuple[str, ...]
    size: np.ndarray
    share: np.ndarray
    region: tuple[str, ...]
    groups: dict[str, tuple[list[str], list[str]]]
    core: Any = field(repr=False)

    @classmethod
    def of(cls, graph: MuscleGraph) -> ChainSpec:
        share = posterior_shares(graph)
        muscles = graph.muscles()
        return cls(
            ids=tuple(m.id for m in muscles),
            size=np.array([m.size for m in muscles]),
            share=share,
            region=tuple(m.region for m in muscles),
            groups=graph.antagonist_groups(),
            core=_core.BalanceSpec(graph._core, [float(x) for x in share]),
        )

    @property
    def columns(self) -> list[str]:
        """posterior_anterior, posterior_anterior_upper / _lower / _trunk, then one per group."""
        return list(self.core.columns)

    @property
    def pair_columns(self) -> list[str]:
        return list(self.groups)

    def _checked(self, dose: np.ndarray) -> np.ndarray:
        d = np.ascontiguousarray(np.asarray(dose, dtype=float))
        if d.ndim != 2 or d.shape[1] != len(self.ids):
            raise ValidationError(f"dose must be rows × {len(self.ids)} muscles, got shape {d.shape}")
        if (d < 0).any() or np.isnan(d).any():
            r, c = np.argwhere((d < 0) | np.isnan(d))[0]
            raise ValidationError(f"dose must be >= 0; row {r}, muscle {self.ids[c]!r} is {d[r, c]}")
        return d

    def ratios(self, stimulus: np.ndarray) -> np.ndarray:
        """Every ratio of each row of ``stimulus`` X (rows × muscles, graph order; the dose of the
        volume-share table, :func:`share_matrix`): Σ p X / Σ (1 − p) X for the whole body and each
        region, Σ_a X / Σ_b X for each antagonist group. In C++: the kernel's volume-weighted
        means of X / s, times the constant Σ num·s / Σ den·s of each column."""
        x = self._checked(stimulus)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(self.mean_ratios(x / self.size) * self._scale)

    @property
    def _scale(self) -> np.ndarray:
        num, den = self.chain_weights()
        ns, ds = (num * self.size).sum(axis=1), (den * self.size).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where((ns > 0) & (ds > 0), ns / ds, 1.0)

    def mean_ratios(self, values: np.ndarray) -> np.ndarray:
        """The C++ kernel as such: the volume-weighted mean of ``values`` on each side, posterior
        over anterior (Σ p s v / Σ p s over Σ (1 − p) s v / Σ (1 − p) s) — the measure for per-muscle
        *states* such as capacity, where a mean over the chain's volume is meant."""
        return np.asarray(_core.balance(self.core, self._checked(values)))

    def chain_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """Numerator and denominator weights of :meth:`ratios` (columns × muscles): p and 1 − p
        (whole body; masked to the region), 1 on the a-side and on the b-side of each group."""
        n = len(self.ids)
        num, den = [self.share], [1.0 - self.share]
        for r in REGION_LABELS:
            mask = np.array([reg == r for reg in self.region])
            num.append(self.share * mask)
            den.append((1.0 - self.share) * mask)
        index = {m: i for i, m in enumerate(self.ids)}
        for a_side, b_side in self.groups.values():
            a, b = np.zeros(n), np.zeros(n)
            a[[index[m] for m in a_side]] = 1.0
            b[[index[m] for m in b_side]] = 1.0
            num.append(a)
            den.append(b)
        return np.array(num), np.array(den)

    def exercise_weights(self, catalogue: Catalogue) -> tuple[np.ndarray, np.ndarray]:
        """Exercises × columns: the volume share of one set of each exercise on each column's
        numerator and denominator muscles, σ_e · num_c and σ_e · den_c (:func:`share_matrix`,
        :meth:`chain_weights`). Every ratio of X is Σ_e sets_e num_ec / Σ_e sets_e den_ec, so the
        C++ dose kernel computes them in its own pass (``_core.dose_balance_batch``)."""
        if list(catalogue.graph.ids) != list(self.ids):
            raise ValidationError("exercise_weights: the catalogue's graph is not this spec's graph")
        share = share_matrix(catalogue)
        num, den = self.chain_weights()
        return np.ascontiguousarray(share @ num.T), np.ascontiguousarray(share @ den.T)

    def weights(self) -> tuple[np.ndarray, np.ndarray]:
        """The C++ kernel's numerator and denominator weights (columns × muscles; :meth:`mean_ratios`),
        size-weighted and each row summing to 1 (or 0 when a side has no muscle), in numpy."""
        num, den = self.chain_weights()
        nw, dw = num * self.size, den * self.size
        ns, ds = nw.sum(axis=1, keepdims=True), dw.sum(axis=1, keepdims=True)
        ok = (ns > 0) & (ds > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(ok, nw / ns, 0.0), np.where(ok, dw / ds, 0.0)

    def reference(self, stimulus: np.ndarray) -> np.ndarray:
        """:meth:`ratios` in numpy (x/0 = inf for x > 0, 0/0 = NaN; NaN for every row where a side
        of the column has no muscle), for tests and benchmarks."""
        nw, dw = self.chain_weights()
        d = np.asarray(stimulus, dtype=float)
        n, a = d @ nw.T, d @ dw.T
        sided = (nw.sum(axis=1) > 0) & (dw.sum(axis=1) > 0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            r = np.where(a > 0, n / a, np.where(n > 0, math.inf, math.nan))
        return np.where(sided[None, :], r, math.nan)

    def side_totals(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Each row's chain totals Σ p X (``posterior``) and Σ (1 − p) X (``anterior``): the two
        sides of the whole-body ratio (module docstring)."""
        d = frame[list(self.ids)].to_numpy(dtype=float)
        return pd.DataFrame(
            {"posterior": d @ self.share, "anterior": d @ (1.0 - self.share)}, index=frame.index
        )


def share_matrix(catalogue: Catalogue) -> np.ndarray:
    """Exercises × muscles table of each set's volume share: a_em s_m / Σ_k a_ek s_k (rows sum to
    1; docs/balance.md). Its dose is X, the stimulus the chain ratios take. Cached per catalogue
    (rebuilt when the catalogue's activation matrix changes)."""
    return _share_table(catalogue)[0]


def share_table(catalogue: Catalogue) -> Any:
    """:func:`share_matrix` as the C++ core's activation table (for ``_core.dose_batch``)."""
    return _share_table(catalogue)[1]


_SHARE_CACHE: dict[int, tuple[np.ndarray, np.ndarray, Any]] = {}


def _share_table(catalogue: Catalogue) -> tuple[np.ndarray, Any]:
    act = catalogue.activation_matrix()
    hit = _SHARE_CACHE.get(id(catalogue))
    if hit is not None and hit[0] is act:
        return hit[1], hit[2]
    size = np.array([m.size for m in catalogue.graph.muscles()])
    if (size <= 0).any():
        bad = catalogue.graph.ids[int(np.argmax(size <= 0))]
        raise ValidationError(f"muscle {bad!r} has size {size.min()}; a volume share needs every size > 0")
    w = act * size
    total = w.sum(axis=1, keepdims=True)
    share = np.ascontiguousarray(np.where(total > 0, w / np.where(total > 0, total, 1.0), 0.0))
    table = _core.ActivationTable(share)
    _SHARE_CACHE[id(catalogue)] = (act, share, table)
    return share, table


def spec(graph: MuscleGraph | None = None) -> ChainSpec:
    """:class:`ChainSpec` of a graph (default: the shipped one)."""
    return ChainSpec.of(graph if graph is not None else MuscleGraph.default())


def verdict(ratio: pd.Series, band: tuple[float, float]) -> pd.Series:
    """ "anterior-dominant" below the band, "posterior-dominant" above, "balanced" inside (ends
    included), "no chain load" where the ratio is undefined (0/0)."""
    lo, hi = band
    v = np.where(ratio < lo, "anterior-dominant", np.where(ratio > hi, "posterior-dominant", "balanced"))
    out = pd.Series(v, index=ratio.index, dtype=object)
    out[ratio.isna()] = "no chain load"
    return out


def check_band(band: tuple[float, float], what: str = "balance band") -> tuple[float, float]:
    lo, hi = band
    if not (0 < lo < hi):
        raise ValidationError(f"{what} must satisfy 0 < low < high, got {band}")
    return float(lo), float(hi)


def balance_table(
    weekly: pd.DataFrame, graph: MuscleGraph, band: tuple[float, float] = DEFAULT_BAND
) -> pd.DataFrame:
    """Every ratio of each row of ``weekly`` (rows × muscle columns), and the verdict of the
    whole-body posterior:anterior against ``band``."""
    s = ChainSpec.of(graph)
    out = pd.DataFrame(s.ratios(weekly[list(s.ids)].to_numpy()), index=weekly.index, columns=s.columns)
    out["verdict"] = verdict(out["posterior_anterior"], check_band(band))
    return out


# --------------------------------------------------------------------------------- volume landmarks
@dataclass(frozen=True)
class Landmarks:
    """Weekly sets of one muscle (SCIENCE.md 3.1): MV maintenance, MEV minimum effective, MAV
    maximum adaptive (a range), MRV maximum recoverable (NaN where none is published)."""

    mv: float
    mev: float
    mav_low: float
    mav_high: float
    mrv: float
    source: str


_RP = "SCIENCE.md 3.1 (Israetel, RP volume landmarks 2017-2019)"
_HUB = "SCIENCE.md 3.1 newer RP hub (no MRV given)"
# Which RP muscle each graph muscle takes its landmarks from. RP's "Back (lats, upper back)" row
# covers lats, the middle trapezius/rhomboids and the lower trapezius; "Traps" the upper trapezius.
# Side delts: the lower ends of the hub visualiser's ranges (MV 0-6 -> 0, MEV 6-8 -> 6). Muscles
# without an RP row (erectors, obliques, hip abductors, adductors, hip flexors, tibialis) have no
# landmarks and are not judged.
LANDMARKS: dict[str, Landmarks] = {
    "lats": Landmarks(8, 10, 14, 22, 25, _RP + ": back"),
    "rhomboids": Landmarks(8, 10, 14, 22, 25, _RP + ": back"),
    "lower_traps": Landmarks(8, 10, 14, 22, 25, _RP + ": back"),
    "upper_traps": Landmarks(0, 0, 16, 20, 25, _RP + ": traps (MEV '—' taken as 0)"),
    "pecs": Landmarks(8, 10, 12, 20, 22, _RP + ": chest"),
    "quadriceps": Landmarks(6, 8, 12, 18, 20, _RP + ": quadriceps"),
    "hamstrings": Landmarks(4, 6, 10, 16, 20, _RP + ": hamstrings"),
    "glutes": Landmarks(0, 0, 4, 12, 16, _RP + ": glutes"),
    "biceps": Landmarks(5, 8, 14, 20, 26, _RP + ": biceps"),
    "triceps": Landmarks(4, 6, 10, 14, 18, _RP + ": triceps"),
    "front_delts": Landmarks(0, 0, 6, 8, 12, _RP + ": front delts"),
    "side_delts": Landmarks(0, 6, 16, 22, 26, _RP + ": side delts (lower ends of MV 0-6, MEV 6-8)"),
    "rear_delts": Landmarks(0, 8, 16, 22, 26, _RP + ": rear delts"),
    "calves": Landmarks(6, 8, 12, 16, 20, _RP + ": calves"),
    "abs": Landmarks(0, 0, 16, 20, 25, _RP + ": abs"),
    "forearms": Landmarks(0, 2, 9, 19, math.nan, _HUB + ": forearms 0 / 2-8 / 9-19"),
}
FLAGS = ("below maintenance", "maintenance", "productive", "above maximum", "no landmark")


def volume_flag(sets: float, lm: Landmarks | None) -> str:
    """below maintenance (< MV), maintenance (MV to MEV), productive (MEV to MRV), above maximum
    (> MRV); "no landmark" for a muscle RP gives none."""
    if lm is None:
        return "no landmark"
    if sets < lm.mv:
        return "below maintenance"
    if sets < lm.mev:
        return "maintenance"
    if not math.isnan(lm.mrv) and sets > lm.mrv:
        return "above maximum"
    return "productive"


def volume_table(weekly: pd.DataFrame) -> pd.DataFrame:
    """Tidy table of weekly fractional sets per muscle against its landmarks: one row per (week,
    muscle) with sets, mv, mev, mav_low, mav_high, mrv and flag."""
    rows = []
    for week, row in weekly.iterrows():
        for muscle, sets in row.items():
            lm = LANDMARKS.get(str(muscle))
            rows.append(
                {
                    weekly.index.name or "week": week,
                    "muscle": str(muscle),
                    "sets": float(sets),
                    "mv": lm.mv if lm else math.nan,
                    "mev": lm.mev if lm else math.nan,
                    "mav_low": lm.mav_low if lm else math.nan,
                    "mav_high": lm.mav_high if lm else math.nan,
                    "mrv": lm.mrv if lm else math.nan,
                    "flag": volume_flag(float(sets), lm) if not math.isnan(float(sets)) else "no training",
                }
            )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------- strength balance
@dataclass(frozen=True)
class StrengthNorm:
    """A published strength ratio: lifts (numerator, denominator) whose 1RMs give it from a log or
    a simulation, muscles (a-side, b-side) whose capacities give it from a simulation."""

    name: str
    lifts: tuple[str, str] | None
    muscles: tuple[tuple[str, ...], tuple[str, ...]]
    norm: float
    low: float
    high: float
    source: str


STRENGTH_NORMS: tuple[StrengthNorm, ...] = (
    StrengthNorm(
        "hamstrings:quadriceps", ("leg_curl", "leg_extension"), (("hamstrings",), ("quadriceps",)),
        0.6, 0.5, 0.8,
        "SCIENCE.md 4.1 / VALIDATION.md RATIO-2: conventional H:Q 0.6, 0.5-0.8 by speed"
        " (Coombs & Garbutt 2002)",
    ),
    StrengthNorm(
        "bench:pull-up", ("bench_press", "pull_up"),
        (("pecs", "front_delts", "triceps"), ("lats", "rhomboids", "rear_delts", "biceps")),
        0.977, 0.8, 1.15,
        "SCIENCE.md 4.2 / VALIDATION.md RATIO-4: bench = 97.7 % of pull-up 1RM incl. body mass"
        " (Baker & Newton 2004); band 0.8-1.15",
    ),
    StrengthNorm(
        "pull:push", ("bent_over_row", "bench_press"),
        (("lats", "rhomboids", "rear_delts"), ("pecs", "front_delts")),
        1 / 1.22, 1 / 1.40, 1 / 1.04,
        "SCIENCE.md 4.2: isometric bench push : supine row pull 1.22 in men (Sports 2024 12:201) ->"
        " pull:push 0.82; band engine choice (push:pull 1.04-1.40, 1.22 ± 15 %)",
    ),
    StrengthNorm(
        "trunk_extensors:flexors", None, (("spinal_erectors",), ("abs",)),
        1.1, 0.5, 1.7,
        "SCIENCE.md 4.3: isometric trunk extension : flexion 1.1 ± 0.6 standing (Kocjan & Šarabon"
        " 2014); band ± 1 SD",
    ),
)  # fmt: skip


def _norm_verdict(value: float, n: StrengthNorm) -> str:
    if math.isnan(value):
        return "no data"
    return "below" if value < n.low else "above" if value > n.high else "within"


def norms_table() -> pd.DataFrame:
    """The strength norms: lifts, norm, band and source."""
    return pd.DataFrame(
        [
            {
                "ratio": n.name,
                "lifts": ":".join(n.lifts) if n.lifts else "",
                "norm": n.norm,
                "low": n.low,
                "high": n.high,
                "source": n.source,
            }
            for n in STRENGTH_NORMS
        ]
    ).set_index("ratio")


def _with_verdicts(values: pd.DataFrame) -> pd.DataFrame:
    out = values.copy()
    for n in STRENGTH_NORMS:
        if n.name in out:
            out[f"{n.name} verdict"] = [_norm_verdict(float(v), n) for v in out[n.name]]
    return out


def strength_from_lifts(one_rm: pd.DataFrame) -> pd.DataFrame:
    """Each norm's ratio from the 1RMs of its lift pair (columns exercise ids, kg of total moved
    load: a pull-up's includes body mass) and its verdict; NaN where a lift is missing."""
    vals = {}
    for n in STRENGTH_NORMS:
        if n.lifts is None:
            continue
        a, b = n.lifts
        vals[n.name] = (
            one_rm[a] / one_rm[b] if a in one_rm and b in one_rm else pd.Series(math.nan, index=one_rm.index)
        )
    return _with_verdicts(pd.DataFrame(vals, index=one_rm.index))


def strength_from_capacity(capacity: pd.DataFrame, sizes: Mapping[str, float]) -> pd.DataFrame:
    """Each norm's ratio from relative muscle capacities (1 = a normal athlete's): the norm times
    the size-weighted mean capacity of the a-side over that of the b-side. A normal athlete sits
    on the norm; one whose hamstrings have 0.9 of normal force has H:Q 0.6 × 0.9 = 0.54."""
    vals = {}
    for n in STRENGTH_NORMS:
        sides = []
        for side in n.muscles:
            ms = [m for m in side if m in capacity]
            w = np.array([sizes[m] for m in ms])
            sides.append(capacity[ms].to_numpy() @ w / w.sum() if ms else np.full(len(capacity), math.nan))
        vals[n.name] = n.norm * sides[0] / sides[1]
    return _with_verdicts(pd.DataFrame(vals, index=capacity.index))


def simulation_strength_balance(sim: Simulation) -> pd.DataFrame:
    """Per week (end of week): every strength ratio from the simulated rested capacities (a strength
    test is done rested: :meth:`Simulation.rested_capacity`, the week's last day), and from the
    simulated 1RMs where the program has both lifts (columns ``<ratio> (lifts)``)."""
    cap = sim.rested_capacity()
    week = cap.index // 7 + 1
    weekly_cap = cap.groupby(week).last()
    weekly_cap.index.name = "week"
    out = strength_from_capacity(weekly_cap, sim.sizes)
    perf = sim.performance.groupby(week).last()
    lifts = strength_from_lifts(perf)
    for n in STRENGTH_NORMS:
        if n.name in lifts and not lifts[n.name].isna().all():
            out[f"{n.name} (lifts)"] = lifts[n.name].to_numpy()
    return out


# --------------------------------------------------------------------------------- simulation balance
def program_stimulus(
    programs: Sequence[Program],
    catalogue: Catalogue,
    athlete: Athlete | None = None,
    bucket_days: int = 1,
    threads: int = 0,
) -> dict[str, np.ndarray]:
    """X of each program, the stimulus the chain ratios take: the dose of the volume-share table
    (:func:`share_matrix`) over the planned sets (planned deloads applied), in one batched C++
    call. ``{"fractional_sets", "volume_load"}`` -> programs × buckets of ``bucket_days`` × muscles
    (graph order). ``athlete`` (default: :meth:`Athlete.default`) sets only the planned kg."""
    progs = list(programs)
    b = set_blocks(progs, catalogue, athlete if athlete is not None else Athlete.default())
    sets, volume = _core.dose_batch(
        share_table(catalogue), b.day, b.exercise, b.sets, b.reps, b.kg, b.offsets, b.n_days,
        bucket_days, threads,
    )  # fmt: skip
    shape = (len(progs), -1, len(catalogue.graph))
    return {"fractional_sets": sets.reshape(shape), "volume_load": volume.reshape(shape)}


def program_balance(
    programs: Sequence[Program],
    catalogue: Catalogue,
    athlete: Athlete | None = None,
    bucket_days: int = 7,
    threads: int = 0,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The dose (activation-weighted, as :func:`chainload.analysis.dose`) and every ratio of
    :meth:`ChainSpec.ratios` of the per-set volume share, per bucket, in one C++ pass over the set
    blocks: ``({"fractional_sets", "volume_load"}: programs × buckets × muscles,
    ratios: programs × buckets × columns)``; columns as :attr:`ChainSpec.columns`."""
    progs = list(programs)
    num, den = ChainSpec.of(catalogue.graph).exercise_weights(catalogue)
    b = set_blocks(progs, catalogue, athlete if athlete is not None else Athlete.default())
    sets, volume, ratios = _core.dose_balance_batch(
        catalogue.core_table(), num, den, b.day, b.exercise, b.sets, b.reps, b.kg, b.offsets, b.n_days,
        bucket_days, threads,
    )  # fmt: skip
    shape = (len(progs), -1, len(catalogue.graph))
    dose = {"fractional_sets": sets.reshape(shape), "volume_load": volume.reshape(shape)}
    return dose, ratios.reshape(len(progs), -1, num.shape[1])


def performed_stimulus(sessions: pd.DataFrame, catalogue: Catalogue, weeks: Sequence[int]) -> pd.DataFrame:
    """X by week of the sets a simulation performed (its session log: week, exercise, sets; deload
    weeks' reduced sets as done): weeks × muscles, 0 in a week without a session."""
    ids = catalogue.graph.ids
    counts = sessions.groupby(["week", "exercise"])["sets"].sum().unstack(fill_value=0)
    share = share_matrix(catalogue)[[catalogue.index(e) for e in counts.columns]]
    x = pd.DataFrame(
        counts.to_numpy(dtype=float) @ share, index=counts.index, columns=pd.Index(ids, name="muscle")
    )
    return x.reindex(pd.Index(list(weeks), name="week"), fill_value=0.0)


def simulation_balance(sim: Simulation, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Per week: posterior:anterior of the sets the simulation performed, on the one measure of
    :func:`program_stimulus` and :meth:`ChainSpec.ratios` (so an unchanged program scores as
    ``analyze`` does, deload weeks included); and the volume-weighted mean capacity of each side and
    their ratio at the end of the week (:meth:`ChainSpec.mean_ratios`: a mean over each chain's
    volume is what a per-muscle state means). ``catalogue``: the simulation's own (the one
    :func:`~chainload.simulate` ran with), else the shipped one."""
    from .catalogue import Catalogue as _Catalogue

    cat = catalogue or sim.catalogue or _Catalogue.default()
    if list(cat.graph.ids) != list(sim.muscle_ids):
        raise ValidationError(
            f"simulation_balance: the catalogue's muscles {cat.graph.ids} are not the simulation's "
            f"{sim.muscle_ids}; pass the catalogue the simulation ran with"
        )
    s = ChainSpec.of(cat.graph)
    cap = pd.DataFrame(sim.arrays["capacity"], columns=sim.muscle_ids)
    cap = cap.groupby(cap.index // 7 + 1).last()
    x = performed_stimulus(sim.sessions, cat, [int(w) for w in cap.index])
    out = pd.DataFrame(index=pd.Index(cap.index, name="week"))
    out["dose_posterior_anterior"] = s.ratios(x.to_numpy())[:, 0]
    nw, dw = s.weights()
    c = cap.to_numpy(dtype=float)
    out["capacity_posterior"] = c @ nw[0]
    out["capacity_anterior"] = c @ dw[0]
    out["capacity_posterior_anterior"] = s.mean_ratios(c)[:, 0]
    return out


def chain_of_exercise(activation: Mapping[str, float], graph: MuscleGraph) -> str:
    """The chain an exercise trains more: the side holding more of a set's working volume,
    Σ p a s against Σ (1 − p) a s ("lateral" when even)."""
    s = ChainSpec.of(graph)
    a = np.array([activation.get(m, 0.0) for m in s.ids])
    p, q = a @ (s.share * s.size), a @ ((1 - s.share) * s.size)
    return "posterior" if p > q else "anterior" if q > p else "lateral"


# --------------------------------------------------------------------------------- suggest
Action = Literal["add", "remove", "swap"]


@dataclass
class Suggestion:
    """The result of :func:`suggest`: ``edits`` (exercise, action, sets_per_week, swap_for),
    the problems it addresses, the window's balance before and after, and a verdict."""

    edits: pd.DataFrame
    problems: list[str]
    before: pd.Series
    after: pd.Series
    verdict: str
    window: tuple[int, int]

    @property
    def empty(self) -> bool:
        return self.edits.empty

    def __len__(self) -> int:
        return len(self.edits)

    def apply(self, program: Program, catalogue: Catalogue | None = None) -> Program:
        """The program with the edits made in every week: added sets go to an existing
        prescription of the exercise (its first in the week) or, for a new exercise, a new
        prescription of 10 reps at 2 RIR in the week's first session; removed sets come off the
        exercise's prescriptions in the week, last first."""
        return apply_edits(program, self.edits, catalogue)

    def __repr__(self) -> str:
        w = f"weeks {self.window[0]}-{self.window[1]}"
        if self.edits.empty:
            return f"Suggestion({w}: {self.verdict})"
        lines = [f"Suggestion({w}: {self.verdict}; outside: {'; '.join(self.problems)})"]
        for r in self.edits.itertuples(index=False):
            swap = f" for {r.swap_for}" if r.action == "swap" else ""
            lines.append(f"  {r.action} {r.sets_per_week:g} sets/week of {r.exercise}{swap}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return f"<p>{self.verdict}</p>" + self.edits.to_html(index=False)


def _mean_window(weekly: pd.DataFrame, window: int) -> tuple[pd.Series, tuple[int, int]]:
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise ValidationError(f"window must be a whole number of weeks >= 1, got {window!r}")
    recent = weekly.iloc[-window:]
    return recent.mean(), (int(recent.index[0]), int(recent.index[-1]))


def problems_of(
    mean: pd.Series,
    graph: MuscleGraph,
    band: tuple[float, float],
    pair_band: tuple[float, float] | None,
    landmarks: bool = True,
    stimulus: pd.Series | None = None,
) -> tuple[list[str], pd.Series]:
    """What is outside its band in one (average) week: the chain ratio and each pair ratio
    (defined ones) of ``stimulus`` (the volume-share dose X; None: ``mean`` itself), each muscle's
    fractional sets ``mean`` against MV..MRV."""
    s = ChainSpec.of(graph)
    x = mean if stimulus is None else stimulus
    r = pd.Series(s.ratios(x[list(s.ids)].to_numpy()[None, :])[0], index=s.columns)
    out = []
    pa = r["posterior_anterior"]
    if not (band[0] <= pa <= band[1]):
        out.append(f"posterior_anterior {pa:.2f} outside {band[0]:.2f}-{band[1]:.2f}")
    if pair_band is not None:
        plo, phi = pair_band
        for g in s.pair_columns:
            v = r[g]
            if not math.isnan(v) and not (plo <= v <= phi):
                out.append(f"{g} {v:.2f} outside {plo:g}-{phi:g}")
    for m in s.ids if landmarks else ():
        lm = LANDMARKS.get(m)
        if lm is None:
            continue
        sets = float(mean[m])
        if sets < lm.mv - 1e-9:
            out.append(f"{m} {sets:.1f} sets/week below maintenance {lm.mv:g}")
        elif not math.isnan(lm.mrv) and sets > lm.mrv + 1e-9:
            out.append(f"{m} {sets:.1f} sets/week above maximum {lm.mrv:g}")
    return out, r


def suggest(
    weekly: pd.DataFrame,
    program: Program | None,
    catalogue: Catalogue,
    window: int = 4,
    band: tuple[float, float] = DEFAULT_BAND,
    pair_band: tuple[float, float] | None = PAIR_BAND,
    candidates: Sequence[str] | None = None,
    max_sets: int = 30,
    landmarks: bool = True,
    stimulus: pd.DataFrame | None = None,
) -> Suggestion:
    """The smallest edit of weekly sets (fewest sets added plus removed) of named catalogue
    exercises that brings the mean week of the last ``window`` weeks inside every band: the chain
    ratio of the volume-share stimulus ``stimulus`` (weeks × muscles, :func:`share_matrix`; None:
    computed from ``program``) in ``band``, every defined antagonist-group ratio in ``pair_band``
    (None: not judged) and (``landmarks``) every muscle with landmarks between MV and MRV (SCIENCE.md 3.1).

    Every constraint is linear in the set changes x_e (stimulus X' = X + Σ x_e σ_e, σ_e the
    exercise's volume share per set; sets d' = d + Σ x_e a_e, a_e its activation per set; and
    lo ≤ N·X'/D·X' ≤ hi ⇔ N·X' − lo D·X' ≥ 0, hi D·X' − N·X' ≥ 0),
    so this is a small integer program, solved with HiGHS (scipy.optimize.milp): x_e = add_e −
    remove_e, integers, remove_e at most the sets of e the program has per week in the window,
    minimising Σ (add_e + remove_e). When no integer edit satisfies every band, the one that
    minimises the summed shortfall is returned, and the verdict says so. A removal paired with an
    addition is reported as a swap.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]

    graph = catalogue.graph
    lo, hi = check_band(band)
    pairs = pair_band is not None
    plo, phi = check_band(pair_band, "pair band") if pair_band is not None else (0.0, math.inf)
    if stimulus is None:
        if program is None:
            raise ValidationError("suggest: give the program or its weekly volume-share stimulus")
        daily = program_stimulus([program], catalogue)["fractional_sets"][0]
        days = pd.DataFrame(daily, columns=pd.Index(list(graph.ids), name="muscle"))
        stimulus = days.groupby(days.index // 7 + 1).sum()  # by week, as analysis.Report buckets it
        stimulus.index.name = "week"
    if list(stimulus.index) != list(weekly.index):
        raise ValidationError("suggest: stimulus and weekly dose must have the same weeks")
    mean, span = _mean_window(weekly, window)
    xmean, _ = _mean_window(stimulus, window)
    problems, before = problems_of(mean, graph, (lo, hi), pair_band, landmarks, xmean)
    cols = ["exercise", "action", "sets_per_week", "swap_for"]
    if not problems:
        return Suggestion(pd.DataFrame(columns=cols), [], before, before, "within band", span)
    s = ChainSpec.of(graph)
    ids = list(s.ids)
    d = mean[ids].to_numpy(dtype=float)
    xd = xmean[ids].to_numpy(dtype=float)
    have: dict[str, float] = {}
    if program is not None:
        for w, _d, _s, p in program.occurrences():
            if span[0] <= w + 1 <= span[1]:
                have[p.exercise] = have.get(p.exercise, 0.0) + p.sets / (span[1] - span[0] + 1)
    cands = list(candidates) if candidates is not None else list(catalogue.ids)
    for c in cands:
        catalogue[c]  # unknown names raise with suggestions
    cands = list(dict.fromkeys([*cands, *have]))
    act = np.array([[catalogue[e].activation.get(m, 0.0) for m in ids] for e in cands])  # E × M
    sh = share_matrix(catalogue)[[catalogue.index(e) for e in cands]]  # E × M volume shares
    nw, dw = s.chain_weights()
    # (coefficients, lower bound, on X (1) or on sets (0)) : c·X' >= lb or c·d' >= lb
    rows: list[tuple[np.ndarray, float, float]] = []

    def ratio_rows(c: int, a: float, b: float) -> None:
        rows.append((nw[c] - a * dw[c], 0.0, 1.0))
        rows.append((b * dw[c] - nw[c], 0.0, 1.0))

    margin = 1e-6
    ratio_rows(0, lo * (1 + margin), hi * (1 - margin))
    # both chains keep some load (removing everything is no fix: 0/0 has no balance)
    # (hard constraints: the program as it is meets them)
    hard = [len(rows), len(rows) + 1]
    rows.append((nw[0], 0.5 * float(nw[0] @ xd), 1.0))
    rows.append((dw[0], 0.5 * float(dw[0] @ xd), 1.0))
    # every antagonist group (a group with neither side loaded satisfies both rows at 0 >= 0)
    for j, g in enumerate(s.columns):
        if pairs and g in s.groups:
            ratio_rows(j, plo * (1 + margin), phi * (1 - margin))
    for i, m in enumerate(ids if landmarks else ()):
        lm = LANDMARKS.get(m)
        if lm is None:
            continue
        e = np.zeros(len(ids))
        e[i] = 1.0
        rows.append((e, lm.mv, 0.0))
        if not math.isnan(lm.mrv):
            rows.append((-e, -lm.mrv, 0.0))
    n_e, n_r = len(cands), len(rows)
    # variables: add (E), remove (E), slack (R); c·(d + act^T (add - remove)) + slack >= lb
    coef = np.array([r[0] for r in rows])  # R × M
    on_x = np.array([r[2] for r in rows]) == 1.0
    lb = np.array([r[1] for r in rows]) - np.where(on_x, coef @ xd, coef @ d)
    scale = np.maximum(np.abs(coef).max(axis=1), 1e-12)
    g_ = np.where(on_x[:, None], coef @ sh.T, coef @ act.T) / scale[:, None]  # R × E
    a_mat = np.hstack([g_, -g_, np.eye(n_r)])
    cap_remove = np.array([math.floor(have.get(e, 0.0) + 1e-9) for e in cands], dtype=float)
    slack_upper = np.full(n_r, np.inf)
    slack_upper[hard] = 0.0
    upper = np.concatenate([np.full(n_e, float(max_sets)), cap_remove, slack_upper])
    integrality = np.concatenate([np.ones(2 * n_e), np.zeros(n_r)])
    cost_sets = np.concatenate([np.ones(2 * n_e), np.zeros(n_r)])
    cons = LinearConstraint(a_mat, lb / scale, np.inf)
    bounds = Bounds(np.zeros(2 * n_e + n_r), upper)
    # phase 1: least shortfall (0 when every band can be met); phase 2: fewest sets at that shortfall
    res = milp(np.concatenate([np.full(2 * n_e, 1e-4), np.ones(n_r)]), constraints=cons,
               bounds=bounds, integrality=integrality)  # fmt: skip
    if res.x is None:
        raise ValidationError(f"suggest: the optimisation failed ({res.message})")
    shortfall = float(res.x[2 * n_e :].sum())
    slack_cap = np.concatenate([upper[: 2 * n_e], res.x[2 * n_e :] + 1e-9])
    res2 = milp(cost_sets, constraints=cons, bounds=Bounds(np.zeros(2 * n_e + n_r), slack_cap),
                integrality=integrality)  # fmt: skip
    x = res2.x if res2.x is not None else res.x
    add = np.round(x[:n_e]).astype(int)
    rem = np.round(x[n_e : 2 * n_e]).astype(int)
    edits = _edit_rows(cands, add, rem)
    new, xnew = mean.copy(), xmean.copy()
    new[ids] = d + act.T @ (add - rem)
    xnew[ids] = xd + sh.T @ (add - rem)
    left, after = problems_of(new, graph, (lo, hi), pair_band, landmarks, xnew)
    if left:
        verdict_ = (
            f"no edit of the candidates reaches every band (least shortfall {shortfall:.3g}); still outside: "
            + "; ".join(left)
        )
    else:
        verdict_ = (
            f"{int(add.sum() + rem.sum())} sets/week changed bring every ratio and muscle into its band"
        )
    return Suggestion(pd.DataFrame(edits, columns=cols), problems, before, after, verdict_, span)


def _edit_rows(cands: Sequence[str], add: np.ndarray, rem: np.ndarray) -> list[dict[str, Any]]:
    adds = [[cands[i], int(add[i])] for i in np.argsort(-add, kind="stable") if add[i] > 0]
    rems = [[cands[i], int(rem[i])] for i in np.argsort(-rem, kind="stable") if rem[i] > 0]
    out: list[dict[str, Any]] = []
    # pair removals with additions into swaps (k sets of one exercise for k of another)
    for r in rems:
        for a in adds:
            if r[1] == 0:
                break
            k = min(r[1], a[1])
            if k > 0:
                out.append({"exercise": r[0], "action": "swap", "sets_per_week": k, "swap_for": a[0]})
                r[1] -= k
                a[1] -= k
        if r[1] > 0:
            out.append({"exercise": r[0], "action": "remove", "sets_per_week": r[1], "swap_for": ""})
    out += [
        {"exercise": a[0], "action": "add", "sets_per_week": a[1], "swap_for": ""} for a in adds if a[1] > 0
    ]
    return out


def apply_edits(program: Program, edits: pd.DataFrame, catalogue: Catalogue | None = None) -> Program:
    """``program`` with ``edits`` (exercise, action, sets_per_week, swap_for) made in every week."""
    from .program import Prescription

    changes: dict[str, int] = {}
    for i, r in enumerate(edits.to_dict("records")):
        ex, action, k = str(r["exercise"]), str(r["action"]), int(r["sets_per_week"])
        if catalogue is not None:
            catalogue[ex]  # unknown names raise with suggestions
        if k < 0:
            raise ValidationError(f"edit {i + 1} ({ex}): sets_per_week must be >= 0, got {k}")
        if action == "add":
            changes[ex] = changes.get(ex, 0) + k
        elif action == "remove":
            changes[ex] = changes.get(ex, 0) - k
        elif action == "swap":
            changes[ex] = changes.get(ex, 0) - k
            changes[str(r["swap_for"])] = changes.get(str(r["swap_for"]), 0) + k
        else:
            raise ValidationError(f"edit {i + 1} ({ex}): unknown action {action!r}; known: add, remove, swap")
    weeks = []
    for week in program.weeks:
        sessions: list[list[Any]] = [list(s.prescriptions) for s in week]
        for ex, k in changes.items():
            spots = [
                (i, j)
                for i, ps in enumerate(sessions)
                for j, p in enumerate(ps)
                if p is not None and p.exercise == ex
            ]
            if k > 0:
                if spots:
                    i, j = spots[0]
                    sessions[i][j] = _with_sets(sessions[i][j], sessions[i][j].sets + k)
                elif sessions:
                    sessions[0].append(Prescription(exercise=ex, sets=k, reps=10, rir=2))
            else:
                left = -k
                for i, j in reversed(spots):
                    take = min(left, sessions[i][j].sets)
                    left -= take
                    if take == sessions[i][j].sets:
                        sessions[i][j] = None  # every set removed: the prescription goes
                    else:
                        sessions[i][j] = _with_sets(sessions[i][j], sessions[i][j].sets - take)
        weeks.append(
            tuple(
                _replace(s, tuple(p for p in ps if p is not None))
                for s, ps in zip(week, sessions, strict=True)
            )
        )
    from dataclasses import replace

    return replace(program, weeks=tuple(weeks), name=f"{program.name} (suggested)")


def _with_sets(p: Any, sets: int) -> Any:
    from dataclasses import replace

    return replace(p, sets=sets)


def _replace(session: Any, prescriptions: tuple[Any, ...]) -> Any:
    from dataclasses import replace

    return replace(session, prescriptions=prescriptions)


# --------------------------------------------------------------------------------- logs
def log_weekly_dose(log: Any, catalogue: Catalogue | None = None, stimulus: bool = False) -> pd.DataFrame:
    """Fractional sets per muscle by calendar week (index: the week's Monday) of a workout log:
    each work set of a catalogue exercise counts its activation (``stimulus``: its volume share,
    :func:`share_matrix`, the X the chain ratios take). Weeks without training between
    the first and last are kept as rows of NaN (gaps stay gaps)."""
    from .catalogue import Catalogue as _Catalogue

    cat = catalogue if catalogue is not None else getattr(log, "catalogue", None) or _Catalogue.default()
    s = log.work_sets()
    s = s[s["exercise_id"].isin(set(cat.ids)) & ~s["not_load"].isin(["cardio", "no reps"])]
    ids = cat.graph.ids
    if s.empty:
        raise ValidationError(f"{log.report.path}: no work set of a catalogue exercise to measure balance on")
    monday = s["date"].dt.normalize() - pd.to_timedelta(s["date"].dt.day_of_week, unit="D")
    counts = s.groupby([monday.rename("week"), "exercise_id"]).size().unstack(fill_value=0)
    act = np.array([[cat[e].activation.get(m, 0.0) for m in ids] for e in counts.columns])
    if stimulus:
        act = share_matrix(cat)[[cat.index(e) for e in counts.columns]]
    weekly = pd.DataFrame(
        counts.to_numpy(dtype=float) @ act, index=counts.index, columns=pd.Index(ids, name="muscle")
    )
    full = pd.date_range(weekly.index.min(), weekly.index.max(), freq="7D", name="week")
    return weekly.reindex(full)


def log_balance(log: Any, band: tuple[float, float] = DEFAULT_BAND, window: int = 4) -> pd.DataFrame:
    """Every ratio and the verdict by calendar week of a log (``verdict`` "no training" in weeks
    without a set); ``attrs["last_weeks"]`` holds the verdict of the last ``window`` calendar weeks
    taken together (their summed dose), as a Series."""
    from .catalogue import Catalogue as _Catalogue

    cat = getattr(log, "catalogue", None) or _Catalogue.default()
    weekly = log_weekly_dose(log, cat, stimulus=True)
    trained = weekly.notna().all(axis=1)
    out = balance_table(weekly.fillna(0.0), cat.graph, band)
    ratio_cols = [c for c in out.columns if c != "verdict"]
    out.loc[~trained, ratio_cols] = math.nan
    out.loc[~trained, "verdict"] = "no training"
    recent = weekly.iloc[-window:].fillna(0.0).sum().to_frame().T
    last = balance_table(recent, cat.graph, band).iloc[0]
    last["weeks"] = f"{weekly.index[-min(window, len(weekly))].date()} to {weekly.index[-1].date()}"
    last["trained_weeks"] = int(trained.iloc[-window:].sum())
    out.attrs["last_weeks"] = last
    return out


def log_volume(log: Any) -> pd.DataFrame:
    """:func:`volume_table` of a log by calendar week; weeks without training flagged "no training"."""
    from .catalogue import Catalogue as _Catalogue

    cat = getattr(log, "catalogue", None) or _Catalogue.default()
    return volume_table(log_weekly_dose(log, cat))


def log_strength_balance(log: Any, bodyweight: float | None = None) -> pd.DataFrame:
    """Strength ratios by calendar week (the week's Monday) from a log's e1RMs: each lift's best
    e1RM of the week, carried forward to later weeks until it is tested again (a ratio needs both
    lifts; NaN before both have been logged). A pull-up's e1RM includes body mass, so it needs
    ``bodyweight`` (kg); without it bench:pull-up stays NaN."""
    e = log.e1rm(bodyweight=bodyweight)
    e = e[e["exercise_id"].notna()]
    names = ["week", *(f"{n.name}" for n in STRENGTH_NORMS if n.lifts)]
    if e.empty:
        return pd.DataFrame(columns=names).set_index("week")
    day = pd.to_datetime(e["date"]).dt.normalize()
    week = (day - pd.to_timedelta(day.dt.day_of_week, unit="D")).rename("week")
    best = e.groupby([week, "exercise_id"])["e1rm_kg"].max().unstack()
    full = pd.date_range(best.index.min(), best.index.max(), freq="7D", name="week")
    return strength_from_lifts(best.reindex(full).ffill())


__all__ = [
    "CHAIN_COLUMNS",
    "DEFAULT_BAND",
    "LANDMARKS",
    "PAIR_BAND",
    "STRENGTH_NORMS",
    "ChainSpec",
    "Landmarks",
    "StrengthNorm",
    "Suggestion",
    "apply_edits",
    "balance_table",
    "membership",
    "performed_stimulus",
    "posterior_shares",
    "program_balance",
    "program_stimulus",
    "simulation_balance",
    "simulation_strength_balance",
    "suggest",
    "verdict",
    "volume_table",
]

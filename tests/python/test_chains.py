"""chains.py: mirror-test membership, the granularity-invariant posterior:anterior, landmarks,
strength norms, suggest() and log balance by calendar week.

Hand numbers use the sizes and posterior shares of muscle_graph.toml, typed in below, and the
per-set volume share of docs/balance.md (issue 11): each set of exercise e spreads one unit over its
muscles, share_em = a_em s_m / Σ_k a_ek s_k; X_m = Σ_e sets_e share_em; posterior:anterior =
Σ p_m X_m / Σ (1 − p_m) X_m (the same over one region's muscles, and Σ_a X / Σ_b X for a pair).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import one_week
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chainload as cl
from chainload import MuscleGraph, Prescription, Program, Session, analyze, chains

PROPERTY = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# muscle_graph.toml sizes (fraction of body muscle volume) and posterior shares
SIZE = {
    "upper_traps": 0.010, "rhomboids": 0.012, "lower_traps": 0.006, "rear_delts": 0.0111,
    "side_delts": 0.0111, "front_delts": 0.0111, "lats": 0.0264, "pecs": 0.0308, "triceps": 0.0380,
    "biceps": 0.0311, "forearms": 0.0352, "spinal_erectors": 0.040, "abs": 0.012, "obliques": 0.030,
    "glutes": 0.0656, "hip_abductors": 0.0380, "hamstrings": 0.0571, "adductors": 0.0718,
    "quadriceps": 0.1397, "hip_flexors": 0.0471, "calves": 0.0657, "tibialis": 0.0105,
}  # fmt: skip
POSTERIOR = {"upper_traps", "rhomboids", "lower_traps", "rear_delts", "lats", "triceps",
             "spinal_erectors", "glutes", "hamstrings", "calves"}  # fmt: skip
SPLIT = {"side_delts": 0.5, "forearms": 0.5, "obliques": 0.25, "hip_abductors": 0.871, "adductors": 0.602}
SHARE = {m: SPLIT.get(m, 1.0 if m in POSTERIOR else 0.0) for m in SIZE}
# Σ p s = 0.1736 (the ten posterior) + 0.00555 + 0.0176 + 0.0075 + 0.0331 + 0.04322 = 0.28107... see test
BAND = (0.75, 4 / 3)


def hand_ratio(x: dict[str, float], region: set[str] | None = None) -> float:
    """Σ p X / Σ (1 − p) X over the muscles of ``region`` (all: None); x/0 = inf, 0/0 = NaN."""
    ms = [m for m in SIZE if region is None or m in region]
    p = sum(SHARE[m] * x.get(m, 0.0) for m in ms)
    a = sum((1 - SHARE[m]) * x.get(m, 0.0) for m in ms)
    return p / a if a > 0 else (math.inf if p > 0 else math.nan)


def week_stimulus(catalogue: cl.Catalogue, *pairs: tuple[str, int]) -> dict[str, float]:
    """X_m = Σ_e sets_e a_em s_m / Σ_k a_ek s_k, with the sizes typed in above."""
    x: dict[str, float] = {}
    for ex, n in pairs:
        act = catalogue[ex].activation
        total = sum(w * SIZE[m] for m, w in act.items())
        for m, w in act.items():
            x[m] = x.get(m, 0.0) + n * w * SIZE[m] / total
    return x


def week_dose(catalogue: cl.Catalogue, *pairs: tuple[str, int]) -> dict[str, float]:
    d: dict[str, float] = {}
    for ex, n in pairs:
        for m, w in catalogue[ex].activation.items():
            d[m] = d.get(m, 0.0) + n * w
    return d


def program_of(*pairs: tuple[str, int]) -> Program:
    return one_week(*[Prescription(e, n, 10, kg=40) for e, n in pairs])


# --------------------------------------------------------------------------- membership
def test_every_muscle_is_on_a_chain_by_the_mirror_test(graph):
    m = chains.membership(graph)
    assert len(m) == 22 and m["posterior_share"].between(0, 1).all()
    assert m["posterior_share"].to_dict() == pytest.approx(SHARE)
    # the mirror test: triceps on the back of the arm, biceps on the front (wger agrees)
    assert m.loc["triceps", "chain"] == "posterior" and m.loc["biceps", "chain"] == "anterior"
    # shares derived from SCIENCE.md 6.1 volumes
    assert m.loc["hip_abductors", "posterior_share"] == pytest.approx((0.0454 + 0.0147) / 0.0690, abs=5e-4)
    assert m.loc["adductors", "posterior_share"] == pytest.approx(0.0786 / 0.1305, abs=5e-4)
    # every muscle's size is on one side or the other: the two weights add up to the size
    np.testing.assert_allclose(m["posterior_weight"] + m["anterior_weight"], m["size"], rtol=1e-12)
    assert m["posterior_weight"].sum() == pytest.approx(sum(SHARE[k] * SIZE[k] for k in SIZE), rel=1e-12)


def test_a_lateral_muscle_without_a_share_is_refused():
    g = MuscleGraph()
    g.add_muscle("back", chain="posterior", region="upper", size=0.1)
    g.add_muscle("front", chain="anterior", region="upper", size=0.1)
    g.add_muscle("side", chain="lateral", region="upper", size=0.1)
    with pytest.raises(cl.ValidationError, match="'side' is lateral .* has no posterior_share"):
        chains.spec(g)
    g2 = MuscleGraph()
    with pytest.raises(cl.ValidationError, match="posterior_share of 'x' must be in \\[0, 1\\], got 1.5"):
        g2.add_muscle("x", chain="lateral", region="upper", size=0.1, posterior_share=1.5)


def test_toml_share_round_trips_through_copy(graph):
    assert graph.copy().posterior_shares() == graph.posterior_shares() == pytest.approx(SPLIT)


# --------------------------------------------------------------------------- the measure by hand
@pytest.mark.parametrize(
    "pairs",
    [
        (("bench_press", 3), ("bent_over_row", 3)),
        (("leg_extension", 3), ("leg_curl", 3)),
        (("crunch", 3), ("back_extension", 3)),
        (("deadlift", 3),),
        (("back_squat", 3), ("romanian_deadlift", 3)),
    ],
)
def test_ratios_equal_the_hand_formula(catalogue, pairs):
    d = week_stimulus(catalogue, *pairs)
    row = analyze(program_of(*pairs), catalogue=catalogue).balance.loc[1]
    assert row["posterior_anterior"] == pytest.approx(hand_ratio(d), rel=1e-12)
    upper = {m for m in SIZE if catalogue.graph.muscle(m).region == "upper"}
    lower = {m for m in SIZE if catalogue.graph.muscle(m).region == "lower"}
    for col, reg in (("posterior_anterior_upper", upper), ("posterior_anterior_lower", lower)):
        want = hand_ratio(d, reg)
        assert (math.isnan(row[col]) and math.isnan(want)) or row[col] == pytest.approx(want, rel=1e-12)


def test_leg_pair_by_hand(catalogue):
    # leg curl {hamstrings 1, calves .5} x3: every share posterior (both muscles p = 1), so the
    # posterior total is 3 sets; leg extension {quadriceps 1} x3: anterior total 3. Ratio 3 / 3 = 1.
    s = analyze(program_of(("leg_curl", 3), ("leg_extension", 3)), catalogue=catalogue).summary()
    assert s["posterior_anterior"] == pytest.approx(1.0, rel=1e-12)
    # H:Q pair: hamstrings X = 3 x 0.0571 / (0.0571 + 0.5 x 0.0657) = 1.9043, quadriceps X = 3
    ham = 3 * 0.0571 / (0.0571 + 0.5 * 0.0657)
    assert ham / 3 == pytest.approx(0.6348, abs=1e-4)
    assert s["hamstrings:quadriceps"] == pytest.approx(ham / 3, rel=1e-12)


TRICEPS_REASON = (
    "by the mirror test triceps are posterior and their volume 0.038 exceeds the pecs' 0.031, so a "
    "bench set is 51 % posterior by working volume: bench + row scores 1.978, and no non-decreasing "
    "activation weighting brings it under 1.423 (docs/balance.md 7)"
)


@pytest.mark.xfail(strict=True, reason=TRICEPS_REASON)
def test_bench_and_row_in_equal_sets_score_balanced(catalogue):
    # by hand: bench {pecs 1, triceps 1, front_delts .5}: Σ a s = 0.0308 + 0.038 + 0.00555 =
    # 0.07435, posterior share 0.038 / 0.07435 = 0.511 + the row's mostly posterior volume: 1.978
    r = analyze(program_of(("bench_press", 3), ("bent_over_row", 3)), catalogue=catalogue).balance.loc[1]
    assert r["posterior_anterior"] == pytest.approx(1.978, abs=1e-3)
    assert BAND[0] <= r["posterior_anterior"] <= BAND[1]


def weighted_ratio(catalogue: cl.Catalogue, f, *pairs: tuple[str, int]) -> float:
    """Posterior:anterior when each set spreads its unit by f(a) s / Σ f(a) s (docs/balance.md 7)."""
    x: dict[str, float] = {}
    for ex, n in pairs:
        act = catalogue[ex].activation
        total = sum(f(w) * SIZE[m] for m, w in act.items())
        for m, w in act.items():
            x[m] = x.get(m, 0.0) + n * f(w) * SIZE[m] / total
    return hand_ratio(x)


def test_no_monotone_activation_weighting_balances_bench_and_row(catalogue):
    # Why the xfail above stays (docs/balance.md 7): over granularity-invariant weightings f(a) s
    # with f non-decreasing (f(1) = 1 >= f(0.5) = t >= f(0.25) = u >= 0), bench + row 3 + 3 is
    # least at t = 1, u = 0. By hand there: bench {pecs .0308, triceps .038, front delts .0111}
    # is 0.038 / 0.0799 = 0.4756 posterior; row {lats .0264, rhomboids .012, rear delts .0111,
    # lower traps .006, erectors .040, forearms half of .0352 | biceps .0311, forearms half}
    # 0.1131 / 0.1618 = 0.6990 posterior: (0.4756 + 0.6990) / (0.5244 + 0.3010) = 1.423 > 1.333.
    pairs = (("bench_press", 3), ("bent_over_row", 3))
    levels = {1.0, 0.5, 0.25}
    assert {w for e, _ in pairs for w in catalogue[e].activation.values()} == levels

    def step(t: float, u: float):
        return lambda a: 1.0 if a >= 1 else t if a >= 0.5 else u

    grid = [(t, u) for t in np.linspace(0, 1, 41) for u in np.linspace(0, 1, 41) if u <= t]
    least = min(grid, key=lambda tu: weighted_ratio(catalogue, step(*tu), *pairs))
    assert least == (1.0, 0.0)
    assert weighted_ratio(catalogue, step(1.0, 0.0), *pairs) == pytest.approx(1.1746 / 0.8254, abs=1e-3)
    assert weighted_ratio(catalogue, step(1.0, 0.0), *pairs) > BAND[1]
    # powers of the activation (prime movers weighted up) move it further out: 1.978, 2.194, 2.524
    got = [weighted_ratio(catalogue, lambda a, k=k: a**k, *pairs) for k in (1, 2, 3)]
    assert got == pytest.approx([1.978, 2.194, 2.524], abs=1e-3)


@pytest.mark.parametrize(
    ("pairs", "want"),
    [
        ((("leg_extension", 3), ("leg_curl", 3)), 1.000),  # issue 11: was 0.53
        ((("crunch", 3), ("back_extension", 3)), 1.076),  # issue 11: was 2.26
    ],
)
def test_mirror_pairs_in_equal_sets_score_balanced(catalogue, pairs, want):
    # hand numbers (lead, issue 11, per-set volume share of the module docstring)
    r = analyze(program_of(*pairs), catalogue=catalogue).balance.loc[1, "posterior_anterior"]
    assert r == pytest.approx(want, abs=1e-3)
    assert r == pytest.approx(hand_ratio(week_stimulus(catalogue, *pairs)), rel=1e-12)
    assert BAND[0] <= r <= BAND[1]


def test_bench_and_row_in_the_upper_body(catalogue):
    # by hand (upper region only): 1.412, above 1.333 for the same triceps reason (TRICEPS_REASON)
    row = analyze(program_of(("bench_press", 3), ("bent_over_row", 3)), catalogue=catalogue).balance.loc[1]
    upper = {m for m in SIZE if catalogue.graph.muscle(m).region == "upper"}
    want = hand_ratio(week_stimulus(catalogue, ("bench_press", 3), ("bent_over_row", 3)), upper)
    assert want == pytest.approx(1.412, abs=1e-3)
    assert row["posterior_anterior_upper"] == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize(
    ("name", "want", "verdict"),
    [
        ("balanced_full_body", 1.18, "balanced"),
        ("mirror_muscles", 0.49, "anterior-dominant"),
        ("posterior_chain", 2.11, "posterior-dominant"),
    ],
)
def test_shipped_programs_every_week(catalogue, name, want, verdict):
    # hand numbers over the programs' week (lead, issue 11); posterior_chain's deload-free weeks 2.114
    bal = analyze(Program.examples()[name], catalogue=catalogue).balance
    assert bal["posterior_anterior"].iloc[0] == pytest.approx(want, abs=0.005)
    assert (bal["verdict"] == verdict).all()


# --------------------------------------------------------------------------- granularity
def split_graph(graph: MuscleGraph, muscle: str, parts: dict[str, float]) -> MuscleGraph:
    """``graph`` with ``muscle`` replaced by ``parts`` (id -> share of its size), same chain,
    region and posterior share, every link of the muscle copied to each part."""
    g = MuscleGraph()
    shares = graph.posterior_shares()
    for m in graph.muscles():
        if m.id == muscle:
            for pid, f in parts.items():
                g.add_muscle(
                    pid, chain=m.chain, region=m.region, size=m.size * f, posterior_share=shares.get(m.id)
                )
        else:
            g.add_muscle(
                m.id,
                name=m.name,
                chain=m.chain,
                region=m.region,
                size=m.size,
                posterior_share=shares.get(m.id),
            )
    for row in graph.links().itertuples(index=False):
        for a in parts if row.a == muscle else [row.a]:
            for b in parts if row.b == muscle else [row.b]:
                if row.kind == "synergist":
                    g.add_synergist(a, b, row.weight, row.group)
                else:
                    g.add_antagonist(a, b, row.group)
    return g


def split_dose(weekly: pd.DataFrame, muscle: str, parts: dict[str, float], order: list[str]) -> pd.DataFrame:
    """X of a muscle split into parts of its size with its activation: each part's share of a set
    is a s f / Σ a s (the denominator unchanged), so the part's X is the whole's X times f."""
    out = weekly.drop(columns=[muscle])
    for p, f in parts.items():
        out[p] = weekly[muscle] * f
    return out[order]


def split_catalogue(catalogue: cl.Catalogue, g: MuscleGraph, muscle: str, parts: list[str]) -> cl.Catalogue:
    from dataclasses import replace

    out = []
    for ex in catalogue:
        act = {m: w for m, w in ex.activation.items() if m != muscle}
        if muscle in ex.activation:
            act.update({p: ex.activation[muscle] for p in parts})
        out.append(replace(ex, activation=act))
    return cl.Catalogue(out, graph=g)


def assert_same_ratios(a: pd.DataFrame, b: pd.DataFrame, rel: float = 1e-9) -> None:
    cols = [c for c in a.columns if c != "verdict"]
    assert list(b.columns) == list(a.columns)
    x, y = a[cols].to_numpy(dtype=float), b[cols].to_numpy(dtype=float)
    assert (np.isnan(x) == np.isnan(y)).all()
    ok = ~np.isnan(x)
    np.testing.assert_allclose(y[ok], x[ok], rtol=rel, atol=0)
    assert (a["verdict"] == b["verdict"]).all()


@pytest.mark.parametrize("name", ["posterior_chain", "mirror_muscles", "balanced_full_body"])
def test_quadriceps_in_four_heads_leaves_every_ratio_unchanged(graph, catalogue, name):
    # SCIENCE.md 6.1 (Handsfield 2014): VL 0.1166, VM 0.0606, VI 0.0384, RF 0.0379 of one limb
    heads = {
        "vastus_lateralis": 0.1166,
        "vastus_medialis": 0.0606,
        "vastus_intermedius": 0.0384,
        "rectus_femoris": 0.0379,
    }
    total = sum(heads.values())  # 0.2535 ≈ 0.254
    g = split_graph(graph, "quadriceps", {k: v / total for k, v in heads.items()})
    prog = Program.examples()[name]
    whole = analyze(prog, catalogue=catalogue).balance
    # the split catalogue: every quadriceps activation copied to each head; X from its own shares
    parts = analyze(prog, catalogue=split_catalogue(catalogue, g, "quadriceps", list(heads))).balance
    assert_same_ratios(whole, parts)


@PROPERTY
@given(
    muscle=st.sampled_from(sorted(SIZE)),
    fractions=st.lists(st.floats(0.05, 1.0), min_size=2, max_size=4),
    dose=st.lists(
        st.lists(st.one_of(st.just(0.0), st.floats(1e-3, 20)), min_size=22, max_size=22),
        min_size=1,
        max_size=4,
    ),
)
def test_random_splits_leave_every_ratio_unchanged(graph, muscle, fractions, dose):
    total = sum(fractions)
    parts = {f"{muscle}_{i}": f / total for i, f in enumerate(fractions)}
    g = split_graph(graph, muscle, parts)
    weekly = pd.DataFrame(dose, columns=graph.ids)
    assert_same_ratios(
        chains.balance_table(weekly, graph),
        chains.balance_table(split_dose(weekly, muscle, parts, g.ids), g),
    )


@PROPERTY
@given(
    # zeros, ones and magnitudes >= 1e-6: products like 1e-174 x 1e-174 underflow to 0 in the plain
    # numpy sums while the kernel's scaled weights keep them (no training load is that small)
    shares=st.lists(st.one_of(st.just(0.0), st.just(1.0), st.floats(1e-6, 1)), min_size=22, max_size=22),
    dose=st.lists(
        st.lists(st.one_of(st.just(0.0), st.floats(1e-6, 50)), min_size=22, max_size=22),
        min_size=1,
        max_size=6,
    ),
)
def test_cpp_kernel_agrees_with_numpy_reference(graph, shares, dose):
    """ratios() (C++ kernel on X / s, rescaled) against Σ num X / Σ den X in numpy."""
    g = MuscleGraph()
    for m, p in zip(graph.muscles(), shares, strict=True):
        g.add_muscle(m.id, chain="lateral", region=m.region, size=m.size, posterior_share=p)
    for a, b, group in graph.antagonist_pairs():
        g.add_antagonist(a, b, group)
    s = chains.spec(g)
    d = np.array(dose)
    got, want = s.ratios(d), s.reference(d)
    assert (np.isnan(got) == np.isnan(want)).all() and (np.isinf(got) == np.isinf(want)).all()
    ok = np.isfinite(want)
    np.testing.assert_allclose(got[ok], want[ok], rtol=1e-12, atol=1e-300)


# --------------------------------------------------------------------------- volume landmarks
def test_volume_against_landmarks(catalogue):
    # bench press {pecs 1, triceps 1, front_delts .5}; chest landmarks MV 8 MEV 10 MRV 22,
    # triceps MV 4 MEV 6 MRV 18, front delts 0 / 0 / 12 (SCIENCE.md 3.1)
    a = Session(0, (Prescription("bench_press", 3, 8, kg=60),))
    b = Session(0, (Prescription("bench_press", 9, 8, kg=60),))
    c = Session(0, (Prescription("bench_press", 26, 8, kg=60),))
    v = analyze(Program("v", ((a,), (b,), (c,))), catalogue=catalogue).volume.set_index(["week", "muscle"])
    assert v.loc[(1, "pecs"), "sets"] == 3.0 and v.loc[(1, "pecs"), "flag"] == "below maintenance"
    assert v.loc[(2, "pecs"), "flag"] == "maintenance"  # 9: between MV 8 and MEV 10
    assert v.loc[(2, "triceps"), "flag"] == "productive"  # 9: between MEV 6 and MRV 18
    assert v.loc[(3, "pecs"), "flag"] == "above maximum"  # 26 > 22
    assert v.loc[(3, "front_delts"), "sets"] == 13.0 and v.loc[(3, "front_delts"), "flag"] == "above maximum"
    assert v.loc[(1, "spinal_erectors"), "flag"] == "no landmark"
    assert tuple(v.loc[(1, "pecs"), ["mv", "mev", "mav_low", "mav_high", "mrv"]]) == (8, 10, 12, 20, 22)
    assert len(v) == 3 * 22


# --------------------------------------------------------------------------- strength balance
def test_default_athlete_bench_to_pull_up_within_ratio_4():
    # RATIO-4 (Baker & Newton 2004): bench 1.0 x 80 kg over pull-up 1.25 x 80 kg incl. body mass
    # (8 pull-ups at body mass, exercises.toml) = 0.8, the band's lower edge
    ath, cat = cl.Athlete.default(), cl.Catalogue.default()
    one_rm = pd.DataFrame(
        {
            e: [ath.one_rm_of(cat[e])]
            for e in ("bench_press", "pull_up", "leg_curl", "leg_extension", "bent_over_row")
        }
    )
    s = chains.strength_from_lifts(one_rm).iloc[0]
    assert s["bench:pull-up"] == pytest.approx(80 / 100) and s["bench:pull-up verdict"] == "within"
    assert 0.8 <= s["bench:pull-up"] <= 1.15
    # pull:push: row 0.9 x BW over bench 1.0 x BW = 0.9, above the 0.71-0.96 band? no: inside
    assert s["pull:push"] == pytest.approx(0.9) and s["pull:push verdict"] == "within"


def test_default_athlete_hamstring_quadriceps_about_0_6():
    # A calibration, not a validation of RATIO-2: the leg curl standard is set to 0.6 x the leg
    # extension's (0.48 and 0.8 x body mass, exercises.toml, Coombs & Garbutt 2002's norm 0.6)
    # because no published machine-1RM norm for the pair was found (docs/balance.md 4)
    ath, cat = cl.Athlete.default(), cl.Catalogue.default()
    one_rm = pd.DataFrame({e: [ath.one_rm_of(cat[e])] for e in ("leg_curl", "leg_extension")})
    assert one_rm.iloc[0].to_dict() == pytest.approx({"leg_curl": 0.48 * 80, "leg_extension": 0.8 * 80})
    assert chains.strength_from_lifts(one_rm).iloc[0]["hamstrings:quadriceps"] == pytest.approx(
        0.6, abs=1e-12
    )


def test_strength_from_capacity_by_hand():
    # hamstrings at 0.8 of normal, everything else normal: H:Q = 0.6 x 0.8 = 0.48, below 0.5
    ids = list(SIZE)
    cap = pd.DataFrame([[1.0] * 22, [0.8 if m == "hamstrings" else 1.0 for m in ids]], columns=ids)
    s = chains.strength_from_capacity(cap, SIZE)
    assert s.loc[0, "hamstrings:quadriceps"] == pytest.approx(0.6)
    assert s.loc[1, "hamstrings:quadriceps"] == pytest.approx(0.48)
    assert list(s["hamstrings:quadriceps verdict"]) == ["within", "below"]
    assert s.loc[0, "bench:pull-up"] == pytest.approx(0.977) and s.loc[
        0, "trunk_extensors:flexors"
    ] == pytest.approx(1.1)
    # pecs at 1.3: push side mean (0.0308 x 1.3 + 0.0111 + 0.038) / 0.0799
    cap2 = pd.DataFrame([[1.3 if m == "pecs" else 1.0 for m in ids]], columns=ids)
    push = (0.0308 * 1.3 + 0.0111 + 0.038) / (0.0308 + 0.0111 + 0.038)
    assert chains.strength_from_capacity(cap2, SIZE).loc[0, "bench:pull-up"] == pytest.approx(0.977 * push)


def test_simulation_strength_balance_reads_capacities_and_lifts():
    prog = Program.repeat(
        "hq",
        [Session(0, (Prescription("leg_curl", 3, 10, kg=30), Prescription("leg_extension", 3, 10, kg=40)))],
        3,
    )
    sim = cl.simulate(prog, weeks=3)
    sb = sim.strength_balance
    assert list(sb.index) == [1, 2, 3]
    rested = sim.capacity() / (sim.muscles.pivot(index="day", columns="muscle", values="readiness") / 100)
    cap = rested.groupby(rested.index // 7 + 1).last()
    np.testing.assert_allclose(
        sb["hamstrings:quadriceps"], 0.6 * cap["hamstrings"] / cap["quadriceps"], rtol=1e-12
    )
    perf = sim.performance.groupby(sim.performance.index // 7 + 1).last()
    np.testing.assert_allclose(
        sb["hamstrings:quadriceps (lifts)"], perf["leg_curl"] / perf["leg_extension"], rtol=1e-12
    )
    assert "bench:pull-up (lifts)" not in sb  # neither lift in the program


# --------------------------------------------------------------------------- one measure everywhere
def test_simulation_balance_is_the_per_set_volume_share_of_the_sets_performed(catalogue):
    from dataclasses import replace

    # 3 bench + 3 row a week for 2 weeks, then a planned deload week (sets x 0.5, half up: 2 + 2).
    # Hand: bench + row 3 + 3 is 1.978 (test above); 2 + 2 is the same mix, so the same ratio.
    s = Session(0, (Prescription("bench_press", 3, 8, kg=40), Prescription("bent_over_row", 3, 8, kg=40)))
    prog = replace(Program.repeat("br", [s], 3), deload_weeks=(3,))
    sim = cl.simulate(prog, catalogue=catalogue)
    want = hand_ratio(week_stimulus(catalogue, ("bench_press", 3), ("bent_over_row", 3)))
    assert want == pytest.approx(1.978, abs=1e-3)
    got = sim.balance["dose_posterior_anterior"]
    assert list(sim.sessions.loc[sim.sessions["week"] == 3, "sets"]) == [2, 2]
    np.testing.assert_allclose(got.to_numpy(), [want] * 3, rtol=1e-12)
    # the one measure: the report of the same program scores every week alike
    np.testing.assert_allclose(
        got.to_numpy(), analyze(prog, catalogue=catalogue).balance["posterior_anterior"], rtol=1e-12
    )
    # capacity: the volume-weighted mean of each side (a per-muscle state), by hand at week 3's end
    cap = sim.capacity().iloc[-1]
    ps = {m: SHARE[m] * SIZE[m] for m in SIZE}
    qs = {m: (1 - SHARE[m]) * SIZE[m] for m in SIZE}
    post = sum(ps[m] * cap[m] for m in SIZE) / sum(ps.values())
    ant = sum(qs[m] * cap[m] for m in SIZE) / sum(qs.values())
    assert sim.balance["capacity_posterior_anterior"].iloc[-1] == pytest.approx(post / ant, rel=1e-9)


def test_simulation_balance_takes_the_catalogue_it_ran_with(catalogue):
    from dataclasses import replace

    # a leg extension that also loads the hamstrings fully: its set splits 0.1397 : 0.0571
    ext = replace(catalogue["leg_extension"], activation={"quadriceps": 1.0, "hamstrings": 1.0})
    cat = catalogue.with_exercise(ext)
    prog = program_of(("leg_extension", 3))
    want = 0.0571 / 0.1397  # P / A = 3 x 0.0571 / T over 3 x 0.1397 / T
    assert cl.simulate(prog, catalogue=cat).balance["dose_posterior_anterior"].iloc[0] == pytest.approx(want)
    assert cl.simulate(prog).balance["dose_posterior_anterior"].iloc[0] == 0.0  # the shipped one: quads only


def test_sweep_dose_balance_is_the_report_total(catalogue):
    # the sweep's dose_balance of a program is analyze()'s whole-program ratio, for every athlete
    prog = Program.examples()["posterior_chain"]
    res = cl.sweep(prog, cl.Population.sample(3, seed=1), weeks=4, progress=False)
    want = analyze(prog.with_weeks(4), catalogue=catalogue).summary()["posterior_anterior"]
    # weeks 1-3 at 2.114, deload week 4 at 2.159 (by hand over the program's sets, lead issue 11)
    assert 2.114 < want < 2.159
    np.testing.assert_allclose(res.outcomes["dose_balance"], want, rtol=1e-12)


SEVEN = ("deadlift", "back_squat", "kettlebell_swing", "lunge", "hip_thrust", "pull_up", "bent_over_row")


def seven_exercise_program() -> Program:
    """The source article's seven exercises, 3 × 8 at 70 % 1RM, over two sessions a week."""
    a = Session(0, tuple(Prescription(e, 3, 8, percent_1rm=70) for e in SEVEN[:4]))
    b = Session(3, tuple(Prescription(e, 3, 8, percent_1rm=70) for e in SEVEN[4:]))
    return Program.repeat("seven", [a, b], 12)


@pytest.fixture(scope="module")
def weak_hamstrings_hq() -> dict[str, pd.Series]:
    ath = cl.Athlete.default().with_imbalance({"hamstrings": 0.8})
    assert ath.start_sizes(size_force=0.5, ceiling=1.25) == {"hamstrings": pytest.approx(0.6)}
    progs = {"seven": seven_exercise_program(), "mirror": Program.examples()["mirror_muscles"]}
    out = {}
    for k, p in progs.items():
        sim = cl.simulate(p, ath, weeks=12)
        rested = sim.rested_capacity()
        # day 0, before any growth: strength 0.8 is size 1 + (0.8 - 1) / 0.5 = 0.6 (size_force 0.5,
        # docs/model.md), whose force 1 + 0.5 (0.6 - 1) is 0.8
        assert rested.loc[0, "hamstrings"] == pytest.approx(0.8, abs=1e-3)
        assert rested.loc[0, "quadriceps"] == pytest.approx(1.0, abs=1e-3)
        out[k] = sim.strength_balance["hamstrings:quadriceps"]
    return out


def test_seven_exercises_raise_weak_hamstrings_and_mirror_muscles_do_not(weak_hamstrings_hq):
    # H:Q starts at 0.6 x 0.8 / 1.0 = 0.48, below RATIO-2's 0.5 (by hand above). Over 12 weeks the
    # seven exercises grow the hamstrings more than the quadriceps, the mirror-muscles program the
    # other way (simulated: week 1 0.4818 and 0.4798, week 12 0.4899 and 0.4767)
    seven, mirror = weak_hamstrings_hq["seven"], weak_hamstrings_hq["mirror"]
    assert seven.iloc[0] == pytest.approx(0.48, abs=0.003) and mirror.iloc[0] == pytest.approx(
        0.48, abs=0.003
    )
    assert seven.iloc[-1] > seven.iloc[0] + 0.006 and mirror.iloc[-1] < mirror.iloc[0] - 0.002
    assert seven.iloc[-1] - mirror.iloc[-1] > 0.012


@pytest.mark.xfail(
    strict=True,
    reason="issue 11 check not met by the model: hamstrings starting at 0.8 of normal strength (size "
    "0.6) start H:Q at 0.48, below 0.5-0.8, and the seven exercises (3 x 8 at 70 %, twice a week) "
    "raise it to only 0.490 by week 12 (0.498 even to failure; mirror muscles: 0.477); the weak muscle already regrows "
    "2.6x faster (further below its ceiling) but its size gain settles against detraining (docs/balance.md 4)",
)
def test_seven_exercises_bring_hq_into_band_and_mirror_muscles_do_not(weak_hamstrings_hq):
    lo, hi = 0.5, 0.8  # RATIO-2 band (STRENGTH_NORMS)
    seven, mirror = weak_hamstrings_hq["seven"], weak_hamstrings_hq["mirror"]
    assert seven.iloc[0] < lo  # the athlete must start outside the band for the check to mean anything
    assert lo <= seven.iloc[-1] <= hi
    assert not (lo <= mirror.iloc[-1] <= hi)


# --------------------------------------------------------------------------- suggest
def test_suggest_fixes_the_mirror_muscles_program(catalogue):
    prog = Program.examples()["mirror_muscles"]
    report = analyze(prog, catalogue=catalogue)
    sug = report.suggest(window=4)
    assert not sug.empty and sug.problems  # the program is outside its bands
    assert "bring every ratio and muscle into its band" in sug.verdict
    fixed = sug.apply(prog)
    again = analyze(fixed, catalogue=catalogue)
    bal = again.balance
    assert bal["posterior_anterior"].between(*BAND).all(), bal["posterior_anterior"]
    weekly = again.per_muscle(by="week")
    x = again.chain_stimulus(by="week").iloc[-4:].mean()
    problems, _ = chains.problems_of(
        weekly.iloc[-4:].mean(), catalogue.graph, report.band, chains.PAIR_BAND, stimulus=x
    )
    assert problems == []
    assert again.suggest(window=4).verdict == "within band" and again.suggest().empty
    # the edits name catalogue exercises with whole sets
    assert all(e in catalogue for e in sug.edits["exercise"]) and (sug.edits["sets_per_week"] > 0).all()


def hand_sides(x: dict[str, float]) -> tuple[float, float]:
    """Chain totals Σ p X and Σ (1 − p) X."""
    p = sum(SHARE[m] * x.get(m, 0.0) for m in SIZE)
    return p, sum((1 - SHARE[m]) * x.get(m, 0.0) for m in SIZE)


def test_suggest_chain_only_by_hand(catalogue):
    # Deadlift 3 sets: posterior:anterior 2.275 (hand formula), above 1.333. Candidates: bench press
    # (to add) and the program's deadlift (to remove); landmarks off, pairs not judged; each chain
    # must keep at least half its mean stimulus (removing everything is no fix). Brute force over r
    # removed deadlift sets and k added bench sets: the fewest r + k meeting all that.
    prog = program_of(("deadlift", 3))
    p0, a0 = hand_sides(week_stimulus(catalogue, ("deadlift", 3)))
    assert p0 / a0 == pytest.approx(2.2746, abs=1e-4)  # volume-share measure (issue 11)

    def ok(r: int, k: int) -> bool:
        p, a = hand_sides(week_stimulus(catalogue, ("deadlift", 3 - r), ("bench_press", k)))
        return p >= p0 / 2 and a >= a0 / 2 and BAND[0] <= p / a <= BAND[1]

    best = min((r + k, r, k) for r in range(4) for k in range(30) if ok(r, k))
    assert best == (5, 2, 3)  # 1 deadlift + 3 bench (brute force on the hand formula)
    sug = chains.suggest(
        analyze(prog, catalogue=catalogue).per_muscle(by="week"), prog, catalogue, window=1,
        pair_band=None, candidates=["bench_press"], landmarks=False,
    )  # fmt: skip
    assert sug.edits.to_dict("records") == [
        {"exercise": "deadlift", "action": "swap", "sets_per_week": 2, "swap_for": "bench_press"},
        {"exercise": "bench_press", "action": "add", "sets_per_week": 1, "swap_for": ""},
    ]
    assert "5 sets/week changed bring every ratio" in sug.verdict
    again = analyze(sug.apply(prog), catalogue=catalogue).balance.loc[1, "posterior_anterior"]
    assert again == pytest.approx(
        hand_ratio(week_stimulus(catalogue, ("deadlift", 1), ("bench_press", 3))), rel=1e-12
    )


def test_suggest_over_a_recent_window(catalogue):
    # 4 balanced weeks then 4 deadlift-only weeks: the whole-history mean could sit in the band;
    # the last 4 weeks do not, and suggest looks at them.
    ok = Session(0, (Prescription("deadlift", 2, 5, kg=100), Prescription("bench_press", 4, 8, kg=60)))
    bad = Session(0, (Prescription("deadlift", 4, 5, kg=100),))
    prog = Program("w", tuple((ok,) for _ in range(4)) + tuple((bad,) for _ in range(4)))
    sug = analyze(prog, catalogue=catalogue).suggest(window=4)
    assert sug.window == (5, 8) and any("posterior_anterior" in p for p in sug.problems)
    with pytest.raises(cl.ValidationError, match="window must be a whole number of weeks >= 1"):
        analyze(prog, catalogue=catalogue).suggest(window=0)


# --------------------------------------------------------------------------- logs
STRONG = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight (kg),Reps,Distance,Seconds\n"


def write_log(tmp_path: Path, rows: list[tuple[str, str, float, int]]) -> Path:
    lines = [f"{d} 07:00:00,W,45m,{ex},{i + 1},{kg},{reps},0,0" for i, (d, ex, kg, reps) in enumerate(rows)]
    p = tmp_path / "strong.csv"
    p.write_text(STRONG + "\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_log_balance_by_calendar_week_with_gaps(tmp_path, catalogue):
    # Mon 2024-05-06 and Wed 2024-05-08: week of 05-06; nothing in the week of 05-13; 05-22 (Wed)
    rows = [("2024-05-06", "Bench Press (Barbell)", 60, 8)] * 3 + [
        ("2024-05-08", "Deadlift (Barbell)", 100, 5)
    ] * 3
    rows += [("2024-05-22", "Deadlift (Barbell)", 100, 5)] * 2
    log = cl.read_log(write_log(tmp_path, rows))
    bal = log.balance
    assert list(bal.index) == list(pd.to_datetime(["2024-05-06", "2024-05-13", "2024-05-20"]))
    assert bal.loc["2024-05-13", "verdict"] == "no training" and math.isnan(
        bal.loc["2024-05-13", "posterior_anterior"]
    )
    want = hand_ratio(week_stimulus(catalogue, ("bench_press", 3), ("deadlift", 3)))
    assert bal.loc["2024-05-06", "posterior_anterior"] == pytest.approx(want, rel=1e-12)
    assert bal.loc["2024-05-20", "posterior_anterior"] == pytest.approx(
        hand_ratio(week_stimulus(catalogue, ("deadlift", 2)))
    )
    last = bal.attrs["last_weeks"]
    # the last 4 calendar weeks (here all 3): bench 3 + deadlift 5 sets together
    assert last["posterior_anterior"] == pytest.approx(
        hand_ratio(week_stimulus(catalogue, ("bench_press", 3), ("deadlift", 5)))
    )
    assert last["trained_weeks"] == 2 and last["verdict"] == "posterior-dominant"
    vol = log.volume
    assert set(vol.loc[vol["week"] == pd.Timestamp("2024-05-13"), "flag"]) == {"no training"}
    from chainload import plots

    fig = plots.balance_over_time(bal)
    ys = fig.axes[0].lines[3].get_ydata()  # after the band edges and the 1-line: the whole-body line
    assert np.isnan(ys[1]) and not np.isnan(ys[0])  # the gap stays a gap


def test_log_strength_balance_from_e1rm(tmp_path):
    rows = [("2024-05-06", "Bench Press (Barbell)", 60, 8), ("2024-05-06", "Bent Over Row (Barbell)", 50, 8)]
    rows += [("2024-05-15", "Bench Press (Barbell)", 70, 5)]
    sb = cl.read_log(write_log(tmp_path, rows)).strength_balance()
    # Epley: bench 60 x (1 + 8/30) = 76, row 50 x (1 + 8/30) = 63.33 -> pull:push 0.8333;
    # week 2: bench 70 x (1 + 5/30) = 81.67, row carried forward -> 0.7755
    assert sb.loc["2024-05-06", "pull:push"] == pytest.approx(50 / 60)
    assert sb.loc["2024-05-13", "pull:push"] == pytest.approx(63.333333 / 81.666667, rel=1e-6)
    assert math.isnan(sb.loc["2024-05-06", "bench:pull-up"])  # no pull-up logged


SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
REAL_LOGS = [SHARED / "strong_export_breinsp.csv", SHARED / "hevy_export_strong-statistics.csv"]


@pytest.mark.slow
@pytest.mark.parametrize("path", REAL_LOGS, ids=lambda p: p.name)
def test_suggest_on_real_logs_is_never_empty_while_outside(path, catalogue):
    # issue 11: suggest() returned no change for real lifters' logs (the whole-history mean sat in
    # the band). Over the last 4 weeks, every problem gets edits, and they bring the window inside.
    if not path.exists():
        pytest.skip(f"real export not in {SHARED}")
    log = cl.read_log(path)
    prog = log.to_program()
    report = analyze(prog, catalogue=catalogue)
    sug = report.suggest(window=4)
    if sug.problems:
        assert not sug.empty
        again = analyze(sug.apply(prog), catalogue=catalogue).per_muscle(by="week")
        x = analyze(sug.apply(prog), catalogue=catalogue).chain_stimulus(by="week").iloc[-4:].mean()
        left, _ = chains.problems_of(
            again.iloc[-4:].mean(), catalogue.graph, report.band, chains.PAIR_BAND, stimulus=x
        )
        assert left == [] or "no edit of the candidates reaches every band" in sug.verdict
    else:
        assert sug.verdict == "within band"


def test_ratios_refuse_negative_or_missing_dose(graph):
    s = chains.spec(graph)
    d = np.ones((2, 22))
    d[1, 3] = -1.0
    with pytest.raises(cl.ValidationError, match="dose must be >= 0; row 1, muscle 'rear_delts' is -1.0"):
        s.ratios(d)
    with pytest.raises(cl.ValidationError, match="dose must be rows × 22 muscles, got shape \\(2, 5\\)"):
        s.ratios(np.ones((2, 5)))


def test_fused_dose_and_balance_equal_the_two_step_measure(catalogue):
    # _core.dose_balance_batch: the dose of analysis.dose, and the ratios of ChainSpec.reference on
    # X = the volume-share dose, per week, from one pass over the set blocks (docs/balance.md 2)
    progs = list(Program.examples().values())
    dose, ratios = chains.program_balance(progs, catalogue)
    plain = cl.analysis.dose(progs, catalogue=catalogue, by="week")
    for k in ("fractional_sets", "volume_load"):
        np.testing.assert_array_equal(dose[k], plain[k])
    x = chains.program_stimulus(progs, catalogue, bucket_days=7)["fractional_sets"]
    s = chains.spec(catalogue.graph)
    for i, p in enumerate(progs):
        want = s.reference(x[i])
        got = ratios[i]
        assert (np.isnan(got) == np.isnan(want)).all()
        ok = ~np.isnan(want)
        np.testing.assert_allclose(got[ok], want[ok], rtol=1e-12)
        # and the report's own table, week by week
        bal = analyze(p, catalogue=catalogue).balance
        np.testing.assert_allclose(got[: len(bal), 0], bal["posterior_anterior"], rtol=1e-12)
    # bench + row by hand (1.978, test above) in the fused kernel
    _, r = chains.program_balance([program_of(("bench_press", 3), ("bent_over_row", 3))], catalogue)
    assert r[0, 0, 0] == pytest.approx(1.978, abs=1e-3)


def test_fused_kernel_refuses_bad_coefficients(catalogue):
    from chainload import _core

    num, den = chains.spec(catalogue.graph).exercise_weights(catalogue)
    bad = num.copy()
    bad[3, 1] = -0.5
    args = (
        np.zeros(1, np.int32),
        np.zeros(1, np.int32),
        np.ones(1),
        np.ones(1),
        np.ones(1),
        np.array([0, 1]),
        7,
        7,
    )
    with pytest.raises(
        cl.ValidationError, match="ratio coefficients of exercise 3, column 1 must be finite and >= 0"
    ):
        _core.dose_balance_batch(catalogue.core_table(), bad, den, *args)
    with pytest.raises(cl.ValidationError, match="ratio coefficients must both be"):
        _core.dose_balance_batch(catalogue.core_table(), num[:5], den, *args)


def test_starting_strength_is_checked_against_what_the_model_can_start():
    # force 1 + 0.5 (s - 1) with s in [0.3, 1.25): strength in [0.65, 1.125) (trained preset)
    prog = program_of(("leg_curl", 3))
    with pytest.raises(
        cl.ValidationError, match=r"starting strength of 'hamstrings' is 0.6: .*\[0.65, 1.12\)"
    ):
        cl.simulate(prog, cl.Athlete.default().with_imbalance({"hamstrings": 0.6}))
    with pytest.raises(cl.ValidationError, match="starting strength of 'glutes' must be in \\(0, 1.5\\]"):
        cl.Athlete.default().with_imbalance({"glutes": -1})
    with pytest.raises(cl.ValidationError, match="both a starting size and a starting strength"):
        cl.Athlete(size_start={"glutes": 0.9}, strength_start={"glutes": 0.9})
    with pytest.raises(cl.ValidationError, match="starting strength but size_force is 0.0"):
        cl.simulate(
            prog,
            cl.Athlete(params={"size_force": 0.0}, estimate_missing=True).with_imbalance({"hamstrings": 0.9}),
        )
    # a later imbalance replaces an explicit starting size of the same muscle
    ath = cl.Athlete(size_start={"glutes": 0.9, "calves": 1.1}).with_imbalance({"glutes": 0.95})
    assert ath.start_sizes(0.5, 1.25) == {"calves": 1.1, "glutes": pytest.approx(0.9)}


def test_population_imbalance_is_the_same_starting_state():
    # Population.sample(imbalance_sd=) draws the starting size that with_imbalance sets: each
    # athlete's day-0 force is 1 + 0.5 (s - 1) (size_force 0.5), so the starting H:Q is spread
    # around the norm 0.6 by 0.6 (1 + 0.5 (s_h - 1)) / (1 + 0.5 (s_q - 1)) (by hand)
    pop = cl.Population.sample(4, seed=3, imbalance_sd=0.2)
    h, q = pop.muscle_ids.index("hamstrings"), pop.muscle_ids.index("quadriceps")
    sizes = pop.size_neural["size_start"]
    want = 0.6 * (1 + 0.5 * (sizes[:, h] - 1)) / (1 + 0.5 * (sizes[:, q] - 1))
    assert want.std() > 0.03  # a real spread of starting ratios
    for i in range(4):
        ath = pop.athlete(i)
        strength = {m: 1 + 0.5 * (ath.size_start[m] - 1) for m in ("hamstrings", "quadriceps")}
        same = cl.Athlete.default().with_imbalance(strength)
        for a in (ath, same):
            day0 = cl.simulate(program_of(("leg_curl", 1)), a, weeks=1).rested_capacity().iloc[[0]]
            got = chains.strength_from_capacity(day0, SIZE).iloc[0]["hamstrings:quadriceps"]
            assert got == pytest.approx(want[i], rel=1e-3)

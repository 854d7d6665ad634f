"""chains.py: mirror-test membership, the granularity-invariant posterior:anterior, landmarks,
strength norms, suggest() and log balance by calendar week.

Hand numbers use the sizes and posterior shares of muscle_graph.toml, typed in below, and the
formula of docs/balance.md: P = Σ p s d / Σ p s, A = Σ (1 − p) s d / Σ (1 − p) s, ratio P / A.
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


def hand_ratio(dose: dict[str, float], region: set[str] | None = None) -> float:
    ms = [m for m in SIZE if region is None or m in region]
    wp = sum(SHARE[m] * SIZE[m] for m in ms)
    wa = sum((1 - SHARE[m]) * SIZE[m] for m in ms)
    p = sum(SHARE[m] * SIZE[m] * dose.get(m, 0.0) for m in ms) / wp
    a = sum((1 - SHARE[m]) * SIZE[m] * dose.get(m, 0.0) for m in ms) / wa
    return p / a if a > 0 else (math.inf if p > 0 else math.nan)


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
    d = week_dose(catalogue, *pairs)
    row = analyze(program_of(*pairs), catalogue=catalogue).balance.loc[1]
    assert row["posterior_anterior"] == pytest.approx(hand_ratio(d), rel=1e-12)
    upper = {m for m in SIZE if catalogue.graph.muscle(m).region == "upper"}
    lower = {m for m in SIZE if catalogue.graph.muscle(m).region == "lower"}
    for col, reg in (("posterior_anterior_upper", upper), ("posterior_anterior_lower", lower)):
        want = hand_ratio(d, reg)
        assert (math.isnan(row[col]) and math.isnan(want)) or row[col] == pytest.approx(want, rel=1e-12)


def test_leg_pair_by_hand(catalogue):
    # leg curl {hamstrings 1, calves .5} x3 + leg extension {quadriceps 1} x3:
    # P = (0.0571 x 3 + 0.0657 x 1.5) / Σps, A = 0.1397 x 3 / Σ(1-p)s.
    wp = sum(SHARE[m] * SIZE[m] for m in SIZE)
    wa = sum((1 - SHARE[m]) * SIZE[m] for m in SIZE)
    assert wp == pytest.approx(0.4388716, rel=1e-6) and wa == pytest.approx(0.3614284, rel=1e-6)
    want = ((0.0571 * 3 + 0.0657 * 1.5) / wp) / (0.1397 * 3 / wa)
    assert want == pytest.approx(0.5303, abs=1e-4)
    s = analyze(program_of(("leg_curl", 3), ("leg_extension", 3)), catalogue=catalogue).summary()
    assert s["posterior_anterior"] == pytest.approx(want, rel=1e-12)
    # H:Q of the dose: hamstrings 3 / quadriceps 3 (single-muscle sides)
    assert s["hamstrings:quadriceps"] == pytest.approx(1.0)


MIRROR_MISS = (
    "the volume-weighted mean stimulus of each whole chain is not 1 for these pairs: {why}. "
    "An honest result of the activations and sizes (SCIENCE.md 1, 6), not tuned away"
)


@pytest.mark.parametrize(
    ("pairs", "why"),
    [
        (
            (("bench_press", 3), ("bent_over_row", 3)),
            "1.99: the row also loads erectors .5, glutes and hamstrings .25 and forearms, and "
            "triceps (posterior by the mirror test) get 3 sets to the biceps' 1.5; upper body alone 1.20",
        ),
        (
            (("leg_extension", 3), ("leg_curl", 3)),
            "0.53: quadriceps (0.140) are 39 % of the anterior volume, hamstrings (0.057) 13 % of the "
            "posterior; equal sets leave most posterior volume (glutes, erectors) untrained",
        ),
        (
            (("crunch", 3), ("back_extension", 3)),
            "2.26: erectors (0.040) are 3.3 x the rectus abdominis (0.012) and the back extension "
            "also loads glutes and hamstrings .5; trunk alone 1.37",
        ),
    ],
)
@pytest.mark.xfail(strict=True, reason="mirror pairs in equal sets: see MIRROR_MISS in the test")
def test_mirror_pairs_in_equal_sets_score_balanced(catalogue, pairs, why):
    r = analyze(program_of(*pairs), catalogue=catalogue).balance.loc[1, "posterior_anterior"]
    assert BAND[0] <= r <= BAND[1], MIRROR_MISS.format(why=why)


def test_bench_and_row_balance_in_the_upper_body(catalogue):
    # by hand (upper region only) 1.204: inside the band
    row = analyze(program_of(("bench_press", 3), ("bent_over_row", 3)), catalogue=catalogue).balance.loc[1]
    assert row["posterior_anterior_upper"] == pytest.approx(1.204, abs=1e-3)
    assert BAND[0] <= row["posterior_anterior_upper"] <= BAND[1]


def test_shipped_programs_every_week(catalogue):
    ex = Program.examples()
    pc = analyze(ex["posterior_chain"], catalogue=catalogue).balance
    mm = analyze(ex["mirror_muscles"], catalogue=catalogue).balance
    assert (pc["posterior_anterior"] > 4 / 3).all() and (pc["verdict"] == "posterior-dominant").all()
    assert (mm["posterior_anterior"] < 0.75).all() and (mm["verdict"] == "anterior-dominant").all()


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


def split_dose(weekly: pd.DataFrame, muscle: str, parts: list[str], order: list[str]) -> pd.DataFrame:
    out = weekly.drop(columns=[muscle])
    for p in parts:
        out[p] = weekly[muscle]
    return out[order]


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
    weekly = analyze(Program.examples()[name], catalogue=catalogue).per_muscle(by="week")
    whole = chains.balance_table(weekly, graph)
    parts = chains.balance_table(split_dose(weekly, "quadriceps", list(heads), g.ids), g)
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
        chains.balance_table(split_dose(weekly, muscle, list(parts), g.ids), g),
    )


@PROPERTY
@given(
    shares=st.lists(st.floats(0, 1), min_size=22, max_size=22),
    dose=st.lists(st.lists(st.floats(0, 50), min_size=22, max_size=22), min_size=1, max_size=6),
)
def test_cpp_kernel_agrees_with_numpy_reference(graph, shares, dose):
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
    # RATIO-4 (Baker & Newton 2004): bench 1.0 x 80 kg over pull-up 1.02 x 80 kg incl. body mass
    ath, cat = cl.Athlete.default(), cl.Catalogue.default()
    one_rm = pd.DataFrame(
        {
            e: [ath.one_rm_of(cat[e])]
            for e in ("bench_press", "pull_up", "leg_curl", "leg_extension", "bent_over_row")
        }
    )
    s = chains.strength_from_lifts(one_rm).iloc[0]
    assert s["bench:pull-up"] == pytest.approx(80 / 81.6) and s["bench:pull-up verdict"] == "within"
    assert 0.8 <= s["bench:pull-up"] <= 1.15
    # pull:push: row 0.9 x BW over bench 1.0 x BW = 0.9, above the 0.71-0.96 band? no: inside
    assert s["pull:push"] == pytest.approx(0.9) and s["pull:push verdict"] == "within"


@pytest.mark.xfail(
    strict=True,
    reason="RATIO-2: the default leg curl / leg extension standards (0.6 and 0.8 x body mass, engine "
    "choices in exercises.toml) give a lift H:Q of 0.75, not about 0.6; no published machine-1RM "
    "standard in SCIENCE.md to replace them with",
)
def test_default_athlete_hamstring_quadriceps_about_0_6():
    ath, cat = cl.Athlete.default(), cl.Catalogue.default()
    one_rm = pd.DataFrame({e: [ath.one_rm_of(cat[e])] for e in ("leg_curl", "leg_extension")})
    assert chains.strength_from_lifts(one_rm).iloc[0]["hamstrings:quadriceps"] == pytest.approx(0.6, abs=0.05)


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
    cap = sim.capacity().groupby(sim.capacity().index // 7 + 1).last()
    np.testing.assert_allclose(
        sb["hamstrings:quadriceps"], 0.6 * cap["hamstrings"] / cap["quadriceps"], rtol=1e-12
    )
    perf = sim.performance.groupby(sim.performance.index // 7 + 1).last()
    np.testing.assert_allclose(
        sb["hamstrings:quadriceps (lifts)"], perf["leg_curl"] / perf["leg_extension"], rtol=1e-12
    )
    assert "bench:pull-up (lifts)" not in sb  # neither lift in the program


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
    problems, _ = chains.problems_of(weekly.iloc[-4:].mean(), catalogue.graph, report.band, chains.PAIR_BAND)
    assert problems == []
    assert again.suggest(window=4).verdict == "within band" and again.suggest().empty
    # the edits name catalogue exercises with whole sets
    assert all(e in catalogue for e in sug.edits["exercise"]) and (sug.edits["sets_per_week"] > 0).all()


def hand_sides(dose: dict[str, float]) -> tuple[float, float]:
    wp = sum(SHARE[m] * SIZE[m] for m in SIZE)
    wa = sum((1 - SHARE[m]) * SIZE[m] for m in SIZE)
    p = sum(SHARE[m] * SIZE[m] * dose.get(m, 0.0) for m in SIZE) / wp
    return p, sum((1 - SHARE[m]) * SIZE[m] * dose.get(m, 0.0) for m in SIZE) / wa


def test_suggest_chain_only_by_hand(catalogue):
    # Deadlift 3 sets: posterior:anterior 1.873 (hand formula), above 1.333. Candidates: bench press
    # (to add) and the program's deadlift (to remove); landmarks off, pairs not judged; each chain
    # must keep at least half its mean stimulus (removing everything is no fix). Brute force over r
    # removed deadlift sets and k added bench sets: the fewest r + k meeting all that.
    prog = program_of(("deadlift", 3))
    p0, a0 = hand_sides(week_dose(catalogue, ("deadlift", 3)))
    assert p0 / a0 == pytest.approx(1.8732, abs=1e-4)

    def ok(r: int, k: int) -> bool:
        d = week_dose(catalogue, ("deadlift", 3 - r), ("bench_press", k))
        p, a = hand_sides(d)
        return p >= p0 / 2 and a >= a0 / 2 and BAND[0] <= p / a <= BAND[1]

    best = min((r + k, r, k) for r in range(4) for k in range(30) if ok(r, k))
    assert best == (6, 2, 4)  # 1 deadlift + 4 bench: posterior:anterior 1.289
    sug = chains.suggest(
        analyze(prog, catalogue=catalogue).per_muscle(by="week"), prog, catalogue, window=1,
        pair_band=None, candidates=["bench_press"], landmarks=False,
    )  # fmt: skip
    assert sug.edits.to_dict("records") == [
        {"exercise": "deadlift", "action": "swap", "sets_per_week": 2, "swap_for": "bench_press"},
        {"exercise": "bench_press", "action": "add", "sets_per_week": 2, "swap_for": ""},
    ]
    assert "6 sets/week changed bring every ratio" in sug.verdict
    again = analyze(sug.apply(prog), catalogue=catalogue).balance.loc[1, "posterior_anterior"]
    assert again == pytest.approx(
        hand_ratio(week_dose(catalogue, ("deadlift", 1), ("bench_press", 4))), rel=1e-12
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
    want = hand_ratio(week_dose(catalogue, ("bench_press", 3), ("deadlift", 3)))
    assert bal.loc["2024-05-06", "posterior_anterior"] == pytest.approx(want, rel=1e-12)
    assert bal.loc["2024-05-20", "posterior_anterior"] == pytest.approx(
        hand_ratio(week_dose(catalogue, ("deadlift", 2)))
    )
    last = bal.attrs["last_weeks"]
    # the last 4 calendar weeks (here all 3): bench 3 + deadlift 5 sets together
    assert last["posterior_anterior"] == pytest.approx(
        hand_ratio(week_dose(catalogue, ("bench_press", 3), ("deadlift", 5)))
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
        left, _ = chains.problems_of(again.iloc[-4:].mean(), catalogue.graph, report.band, chains.PAIR_BAND)
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

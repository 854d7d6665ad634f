"""Populations, program variants, batched sweeps, Pareto fronts and Dask."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import chainload as cl
from chainload.program import Prescription, Program, Session
from chainload.simulation import MODELS
from chainload.sweep import OUTCOMES, SweepResult, Variant, compare_models, paired_over_models, pareto_mask


@pytest.fixture(scope="module")
def pop():
    return cl.Population.sample(n=40, seed=3)


def test_population_is_seeded_and_within_the_stated_ranges(pop):
    again = cl.Population.sample(n=40, seed=3)
    np.testing.assert_array_equal(pop.params["tau1"], again.params["tau1"])
    assert not np.array_equal(pop.params["tau1"], cl.Population.sample(n=40, seed=4).params["tau1"])
    # Fitted ranges of SCIENCE.md 2.1 (Vermeire 2022): tau1 4–51 d, tau2 4–74 d.
    assert pop.params["tau1"].min() >= 4 and pop.params["tau1"].max() <= 51
    assert pop.params["tau2"].min() >= 4 and pop.params["tau2"].max() <= 74
    assert pop.params["k1"].shape == (40, 22)
    # k2 = 2 k1 x lognormal(0, 0.2): strongly correlated on the log scale, median ratio 2
    big = cl.Population.sample(n=2000, seed=1)
    r = np.corrcoef(np.log(big.params["k1"]).ravel(), np.log(big.params["k2"]).ravel())[0, 1]
    assert r > 0.8
    assert np.median(big.params["k2"] / big.params["k1"]) == pytest.approx(2.0, rel=0.02)


def test_population_from_frame():
    frame = pd.DataFrame({"bodyweight": [70, 90], "tau1": [30, 40], "k1:glutes": [0.01, 0.02]})
    p = cl.Population.from_frame(frame)
    g = cl.MuscleGraph.default()
    assert p.params["tau1"][1, 0] == 40 and p.params["k1"][0, g.index("glutes")] == 0.01
    assert p.params["k1"][0, g.index("pecs")] == cl.DEFAULT_PARAMS["k1"]
    with pytest.raises(cl.ValidationError, match="unknown model parameter"):
        cl.Population.from_frame(pd.DataFrame({"tau9": [1.0]}))
    with pytest.raises(cl.ValidationError):
        cl.Population.sample(n=0)


def small_program() -> Program:
    a = Session(
        "mon",
        (Prescription("deadlift", 4, 5, percent_1rm=75), Prescription("bench_press", 3, 8, percent_1rm=70)),
    )
    b = Session("thu", (Prescription("pull_up", 2, 6), Prescription("back_squat", 3, 5, percent_1rm=75)))
    return Program.repeat("small", [a, b], 4)


def test_vary_makes_every_combination_with_labels():
    vs = cl.vary(small_program(), weekly_sets={"posterior": [3, 18]}, frequency=[1, 2], increment_kg=[1.25])
    assert len(vs) == 2 * 2 * 1
    assert vs[0].label == {"weekly_sets_posterior": 3, "frequency": 1, "increment_kg": 1.25}
    # Posterior-dominant prescriptions of week 1 (chains.chain_of_exercise: the side holding more of
    # a set's working volume, Σ p a s against Σ (1 − p) a s, docs/balance.md), by hand:
    # deadlift .2425608 vs .1066392 (test_analysis.test_bench_below_deadlift): posterior;
    # bench press triceps .038 vs pecs .0308 + front delts .00555 = .03635: posterior (the triceps
    # consequence of chains.py); pull-up lats .0264 + rhomboids .006 + lower traps .003 + rear delts
    # .002775 + erectors .010 + forearms .0088 + obliques .001875 = .05885 vs biceps .023325 + pecs
    # .0077 + forearms .0088 + obliques .005625 = .04545: posterior; back squat glutes .0492 +
    # adductors .0216118 + erectors .020 + hamstrings .014275 + abductors .0082745 + calves .016425 +
    # rhomboids .003 + obliques .001875 = .1346613 vs quadriceps .1397 + adductors .0142882 +
    # abductors .0012255 + abs .003 + obliques .005625 = .1638387: anterior (0.822).
    # So deadlift 4 + bench 3 + pull-up 2 = 9 posterior sets; target 18 doubles each of them.
    doubled = cl.vary(small_program(), weekly_sets={"posterior": [18]})[0].program
    sets = {p.exercise: p.sets for s in doubled.weeks[0] for p in s.prescriptions}
    assert sets == {"deadlift": 8, "bench_press": 6, "pull_up": 4, "back_squat": 3}
    one_day = cl.vary(small_program(), frequency=[1])[0].program
    assert [s.day for s in one_day.weeks[0]] == [0]
    swapped = cl.vary(small_program(), substitute={"back_squat": ["front_squat"]})
    assert [v.label["substitute_back_squat"] for v in swapped] == ["back_squat", "front_squat"]
    assert (
        "front_squat" in swapped[1].program.exercises() and "back_squat" not in swapped[1].program.exercises()
    )


def test_sweep_matches_single_simulations(pop):
    prog = small_program()
    res = cl.sweep(prog, pop, weeks=8)
    assert len(res.outcomes) == len(pop)
    for i in (0, 17):
        sim = cl.simulate(prog, pop.athlete(i), weeks=8)
        s = sim.summary()
        gains = [s[f"gain_{e}_pct"] for e in prog.exercises()]
        row = res.outcomes.iloc[i]
        assert row["strength_gain"] == pytest.approx(np.mean(gains), rel=1e-9)
        assert row["failures"] == s["failures"]
        assert row["peak_fatigue"] == pytest.approx(s["peak_fatigue"], rel=1e-9)
        assert row["capacity_balance"] == pytest.approx(s["capacity_posterior_anterior"], rel=1e-9)


def test_sweep_is_the_same_for_any_chunking_and_threads(pop):
    vs = cl.vary(small_program(), increment_kg=[1.25, 2.5])
    a = cl.sweep(vs, pop, weeks=6, chunk_size=7, threads=1).outcomes
    b = cl.sweep(vs, pop, weeks=6, chunk_size=100, threads=2).outcomes
    pd.testing.assert_frame_equal(a, b)


def test_pareto_mask_by_hand():
    v = np.array([[1, 5], [2, 4], [2, 3], [0, 0], [3, 1]])
    # (2,3) is beaten by (2,4); (0,0) by everyone; the rest trade off
    assert pareto_mask(v).tolist() == [True, True, False, False, True]


def test_summary_pareto_and_paired(pop, tmp_path):
    prog = small_program()
    res = cl.sweep([prog, cl.vary(prog, weekly_sets={"posterior": [18]})[0].program], pop, weeks=6)
    summ = res.summary()
    # the default fits a screen: the name and the median of each of the 6 outcomes
    assert list(summ.columns) == ["name", *OUTCOMES] and len(summ.columns) <= 12
    assert summ.loc[1, "strength_gain"] == pytest.approx(
        float(res.outcomes.loc[res.outcomes["variant"] == 1, "strength_gain"].median())
    )
    details = res.summary(details=True)
    assert {"strength_gain_p50", "failures_p90", "gain_deadlift_p10"} <= set(details.columns)
    paired = res.paired()
    gain = paired[paired["outcome"] == "strength_gain"].iloc[0]
    diff = res.outcomes.pivot(index="athlete", columns="variant", values="strength_gain")
    assert gain["mean_difference"] == pytest.approx(float((diff[1] - diff[0]).mean()))
    assert gain["ci_low"] <= gain["mean_difference"] <= gain["ci_high"]
    assert {"gain_deadlift", "gain_pull_up"} <= set(paired["outcome"])  # per lift too
    front = res.pareto(["strength_gain", "-peak_fatigue"])
    assert 1 <= len(front) <= 2
    res.to_parquet(tmp_path / "sweep")
    back = pd.read_parquet(tmp_path / "sweep")
    assert len(back) == len(res.outcomes) and sorted(back["variant"].astype(int).unique()) == [0, 1]


def _hand_result(gain_ref, gain_var, fail_ref, fail_var, model="banister"):
    n = len(gain_ref)
    rows = pd.DataFrame(
        {
            "variant": [0] * n + [1] * n,
            "athlete": list(range(n)) * 2,
            "strength_gain": [*gain_ref, *gain_var],
            "failures": [*fail_ref, *fail_var],
        }
    )
    prog = small_program()
    variants = [Variant({"sets": 3}, prog), Variant({"sets": 5}, prog)]
    return SweepResult(variants, rows, weeks=4, model=model)


def test_paired_differences_by_hand():
    # differences d = 1, 2, 1, 4: mean 2, SD sqrt(6/3) = 1.41421, dz = 2/1.41421 = 1.41421;
    # 95 % t interval 2 +- t(0.975, 3) x 1.41421/2 = 2 +- 3.182446 x 0.707107 = [-0.25033, 4.25033]
    # (t(0.975, 3) = 3.182446 from the t table): the interval covers 0, no clear difference.
    # failures: every athlete +1, SD 0: the interval is [1, 1], dz undefined (NaN), higher.
    res = _hand_result([10, 12, 14, 16], [11, 14, 15, 20], [0, 0, 0, 0], [1, 1, 1, 1])
    p = res.paired().set_index("outcome")
    g = p.loc["strength_gain"]
    assert g["variant"] == "sets=5" and g["n"] == 4
    assert g["mean_difference"] == pytest.approx(2.0)
    assert g["dz"] == pytest.approx(2 / np.sqrt(2))
    assert (g["ci_low"], g["ci_high"]) == pytest.approx((-0.25033, 4.25033), abs=1e-5)
    assert g["share_higher"] == 1.0 and g["verdict"] == "no clear difference"
    f = p.loc["failures"]
    assert (f["mean_difference"], f["ci_low"], f["ci_high"]) == (1.0, 1.0, 1.0)
    assert np.isnan(f["dz"]) and f["verdict"] == "higher"
    # the reference by name; against variant 1 every sign flips
    back = res.paired(reference="sets=5").set_index("outcome").loc["strength_gain"]
    assert back["mean_difference"] == pytest.approx(-2.0) and back["share_higher"] == 0.0
    # an 80 % interval: t(0.9, 3) = 1.637744: 2 +- 1.15806 = [0.84194, 3.15806], decided
    g80 = res.paired(level=0.8, outcomes=["strength_gain"]).iloc[0]
    assert (g80["ci_low"], g80["ci_high"]) == pytest.approx((0.84194, 3.15806), abs=1e-5)
    assert g80["verdict"] == "higher"
    with pytest.raises(
        cl.UnknownNameError, match="unknown outcome 'strenght_gain'; did you mean 'strength_gain'"
    ):
        res.paired(outcomes=["strenght_gain"])
    with pytest.raises(
        cl.UnknownNameError, match=r"unknown variant \(reference=\) 'sets=6'; did you mean 'sets=3', 'sets=5'"
    ):
        res.paired(reference="sets=6")
    with pytest.raises(cl.ValidationError, match="reference must be a variant name or id in 0..1, got 2"):
        res.paired(reference=2)


def test_paired_over_models_marks_a_verdict_whose_sign_depends_on_the_model():
    # model a: d = 1, 2, 1, 4 (mean +2); model b: d = -1, -2, -1, -4 (mean -2); failures +1 under both
    a = _hand_result([10, 12, 14, 16], [11, 14, 15, 20], [0] * 4, [1] * 4, "banister")
    b = _hand_result([10, 12, 14, 16], [9, 10, 13, 12], [0] * 4, [1] * 4, "busso")
    t = paired_over_models({"banister": a, "busso": b}).set_index(["outcome", "model"])
    assert t.loc[("strength_gain", "busso"), "mean_difference"] == pytest.approx(-2.0)
    assert t.loc[("strength_gain", "banister"), "sign_depends_on_model"]
    assert t.loc[("strength_gain", "busso"), "verdict_over_models"] == "depends on the model"
    assert not t.loc[("failures", "busso"), "sign_depends_on_model"]
    assert t.loc[("failures", "busso"), "verdict_over_models"] == "higher"


def test_compare_models_runs_every_named_model_on_the_same_athletes(pop):
    prog = small_program()
    vs = cl.vary(prog, weekly_sets={"posterior": [18]})
    table = compare_models([prog, vs[0].program], pop.take(slice(0, 20)), weeks=3, outcomes=["strength_gain"])
    assert list(table["model"]) == list(MODELS)
    one = cl.sweep([prog, vs[0].program], pop.take(slice(0, 20)), weeks=3, model="busso").paired()
    row = table.set_index("model").loc["busso"]
    assert row["mean_difference"] == one.set_index("outcome").loc["strength_gain", "mean_difference"]
    with pytest.raises(cl.UnknownNameError, match="did you mean 'busso'"):
        compare_models(prog, pop, models=["buso"])


def test_sweep_bad_input(pop):
    with pytest.raises(cl.ValidationError, match="at least one variant"):
        cl.sweep([], pop)
    with pytest.raises(cl.ValidationError, match="weeks"):
        cl.sweep(small_program(), pop, weeks=0)
    with pytest.raises(
        cl.ValidationError, match=r"pareto\(\): unknown outcome 'speed' \(known: strength_gain, "
    ):
        cl.sweep(small_program(), pop.take(slice(0, 3)), weeks=2).pareto(["speed"])
    with pytest.raises(
        cl.UnknownNameError, match=r"unknown outcome 'peak_fatigeu'; did you mean 'peak_fatigue'"
    ):
        cl.sweep(small_program(), pop.take(slice(0, 3)), weeks=2).pareto(["-peak_fatigeu"])


@pytest.mark.slow
def test_dask_local_cluster_gives_identical_results(pop):
    distributed = pytest.importorskip("distributed")
    vs = cl.vary(small_program(), increment_kg=[1.25, 2.5])
    local = cl.sweep(vs, pop, weeks=6, chunk_size=15).outcomes
    # The scheduler's HTTP server binds port 8787 even without a dashboard: a free port instead,
    # so a cluster already running on the machine is not a warning (an error under pytest).
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": ":0"},
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = cl.sweep(vs, pop, weeks=6, chunk_size=15, client=client).outcomes
    pd.testing.assert_frame_equal(local, remote)


def test_trajectories_stream_to_parquet_and_match_single_runs(pop, tmp_path):
    prog = small_program()
    res = cl.sweep(
        cl.vary(prog, increment_kg=[1.25, 2.5]), pop, weeks=4, trajectories=tmp_path / "traj", chunk_size=16
    )
    back = pd.read_parquet(tmp_path / "traj")
    # 2 variants x 40 athletes x 4 weekly samples, one row each
    assert len(back) == 2 * 40 * 4 and res.trajectories is None
    assert sorted(p.name for p in (tmp_path / "traj").iterdir()) == ["variant=0", "variant=1"]
    row = back[(back["variant"] == 0) & (back["athlete"] == 5) & (back["day"] == 13)].iloc[0]
    sim = cl.simulate(cl.vary(prog, increment_kg=[1.25])[0].program, pop.athlete(5), weeks=4)
    g = cl.MuscleGraph.default()
    assert row["capacity:glutes"] == pytest.approx(sim.arrays["capacity"][13, g.index("glutes")], rel=1e-6)
    assert row["fatigue:glutes"] == pytest.approx(sim.arrays["fatigue"][13, g.index("glutes")], rel=1e-5)
    assert row["dose:glutes"] == pytest.approx(sim.arrays["dose"][7:14, g.index("glutes")].sum(), rel=1e-6)


def test_trajectory_parquet_is_float32_without_dictionaries_and_reads_back_equal(pop, tmp_path):
    """Issue 15: numeric columns are written plain (no dictionary pages), float32 as the core
    gives them, and the files hold exactly the values of the same sweep kept in memory."""
    import pyarrow.parquet as pq

    prog = small_program()
    cl.sweep(prog, pop, weeks=4, trajectories=tmp_path / "traj", chunk_size=16)
    kept = cl.sweep(prog, pop, weeks=4, trajectories=True, chunk_size=16).trajectories
    part = pq.ParquetFile(tmp_path / "traj" / "variant=0" / "part-000000000.parquet")
    assert part.schema_arrow.field("capacity:glutes").type == "float"  # Arrow's name for float32
    column = part.metadata.row_group(0).column(part.schema_arrow.get_field_index("capacity:glutes"))
    assert not any("DICTIONARY" in e for e in column.encodings)
    back = pd.read_parquet(tmp_path / "traj").sort_values(["athlete", "day"], ignore_index=True)
    kept = kept.drop(columns="variant").sort_values(["athlete", "day"], ignore_index=True)
    pd.testing.assert_frame_equal(back.drop(columns="variant"), kept, check_exact=True)
    assert (back.drop(columns=["athlete", "day", "variant"]).dtypes == np.float32).all()


def test_trajectory_budget_bounds_the_chunk(pop, tmp_path):
    """4 weeks sampled weekly = 4 blocks; one athlete holds 4 x (3 kinds x 22 muscles x 24 bytes
    + 8) = 6,368 bytes in flight (sweep.TRAJECTORY_BYTES_PER_VALUE), so a budget of 7 athletes
    plus 100 bytes writes parts of 7 athletes (28 rows), the last of 40 - 35 = 5 (20 rows)."""
    from chainload.sweep import trajectory_bytes_per_athlete

    assert trajectory_bytes_per_athlete(4, 7, 22) == 6368
    cl.sweep(small_program(), pop, weeks=4, trajectories=tmp_path / "t", trajectory_budget=7 * 6368 + 100)
    parts = sorted((tmp_path / "t" / "variant=0").iterdir())
    assert [p.name for p in parts] == [f"part-{s:09d}.parquet" for s in range(0, 40, 7)]
    assert [len(pd.read_parquet(p)) for p in parts] == [28] * 5 + [20]
    with pytest.raises(cl.ValidationError, match="trajectory_budget 6367 bytes is less than one athlete's"):
        cl.sweep(small_program(), pop, weeks=4, trajectories=tmp_path / "u", trajectory_budget=6367)


def test_trajectories_in_memory_are_refused_when_too_large(pop):
    big = cl.Population.sample(n=4000, seed=1)
    variants = cl.vary(small_program(), increment_kg=[0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5])
    # 10 variants x 4000 athletes x 520 daily samples x (3 x 22 float32 + 8 bytes) ~ 5.5 GiB > 2 GiB
    with pytest.raises(cl.ValidationError, match="GiB in memory"):
        cl.sweep(variants, big, weeks=520, trajectories=True, sample_days=1)
    small = cl.sweep(small_program(), pop, weeks=2, trajectories=True)
    assert small.trajectories is not None and len(small.trajectories) == 40 * 2


def test_rep_range_variants():
    a = Session("mon", (Prescription("pull_up", 3, (5, 8)), Prescription("deadlift", 3, 5, percent_1rm=75)))
    vs = cl.vary(Program.repeat("r", [a], 2), rep_range=[(6, 10), (8, 12)])
    reps = [[p.reps for p in v.program.weeks[0][0].prescriptions] for v in vs]
    assert reps == [[(6, 10), 5], [(8, 12), 5]]


def test_cli_sweep_and_log(tmp_path, capsys):
    from chainload.cli import main

    spec = tmp_path / "spec.toml"
    spec.write_text(
        'program = "posterior_chain"\nweeks = 3\n[population]\nn = 12\nseed = 2\n'
        "[vary]\nincrement_kg = [1.25, 2.5]\ndeload_every = [2, 0]\n"
    )
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--format", "csv"]) == 0
    medians = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out), index_col="variant")
    # the default 7-column summary: name and the median of each outcome, per variant
    assert len(medians) == 4 and list(medians.columns) == ["name", *OUTCOMES]
    outcomes = pd.read_parquet(tmp_path / "out")
    assert len(outcomes) == 4 * 12
    by_hand = outcomes.groupby(outcomes["variant"].astype(int))["strength_gain"].median()
    np.testing.assert_allclose(medians["strength_gain"], by_hand.round(3), atol=5e-4)
    spec.write_text("weeks = 3\n")
    assert main(["sweep", str(spec)]) == 1
    assert "missing field 'program'" in capsys.readouterr().err


class _FlakyClient:
    """A stand-in for a dask client whose second task fails, as when a worker dies."""

    def __init__(self) -> None:
        self.calls = 0

    def submit(self, fn, *args, retries=0, pure=True):
        self.calls += 1
        fail = self.calls == 2

        class Future:
            def result(self, timeout=None):
                if fail:
                    raise RuntimeError("worker tcp://127.0.0.1:1234 died")
                return fn(*args)

        return Future()


def test_failed_chunks_are_reported_never_a_short_result(pop):
    with pytest.raises(
        cl.Error, match=r"1 of 3 sweep chunks failed: variant 0 athletes 15\.\.: RuntimeError: worker"
    ):
        cl.sweep(small_program(), pop, weeks=2, chunk_size=15, client=_FlakyClient())


class _RacyClient:
    """A stand-in for a dask client whose futures first raise distributed's spurious
    UnboundLocalError (a result(timeout=) racing completion, dask/distributed#8514) and then give
    their result; with ``task_error`` the task itself raised it (the future's status is "error")."""

    def __init__(self, task_error: bool = False) -> None:
        self.task_error = task_error

    def submit(self, fn, *args, retries=0, pure=True):
        task_error = self.task_error

        class Future:
            status = "error" if task_error else "finished"
            calls = 0

            def result(self, timeout=None):
                self.calls += 1
                if task_error or self.calls == 1:
                    raise UnboundLocalError("cannot access local variable 'result'")
                return fn(*args)

        return Future()


def test_a_spurious_dask_unboundlocalerror_is_waited_out_and_a_real_one_reported(pop):
    local = cl.sweep(small_program(), pop, weeks=2, chunk_size=15, progress=False).outcomes
    racy = cl.sweep(small_program(), pop, weeks=2, chunk_size=15, client=_RacyClient(), progress=False)
    pd.testing.assert_frame_equal(racy.outcomes, local)
    with pytest.raises(
        cl.Error, match=r"3 of 3 sweep chunks failed: variant 0 athletes 0\.\.: UnboundLocalError"
    ):
        cl.sweep(
            small_program(), pop, weeks=2, chunk_size=15, client=_RacyClient(task_error=True), progress=False
        )


@pytest.mark.slow
def test_ctrl_c_stops_promptly_and_keeps_whole_chunks(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    script = (
        # SIGINT may be inherited ignored (a background job of a non-interactive shell, as CI may
        # start us): set Python's own handler, as an interactive session has
        "import signal\nsignal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "import chainload as cl\n"
        "pop = cl.Population.sample(4000, seed=1)\n"
        "prog = cl.Program.examples()['posterior_chain']\n"
        "print('start', flush=True)\n"
        f"cl.sweep(cl.vary(prog, increment_kg=[1, 2, 3, 4, 5, 6, 7, 8]), pop, weeks=52, chunk_size=100,"
        f" trajectories=r'{tmp_path / 'traj'}', progress=False)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "start"
    deadline = time.time() + 60
    while not list((tmp_path / "traj").glob("variant=*/part-*.parquet")) and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    t = time.time()
    _, err = proc.communicate(timeout=30)
    assert time.time() - t < 5  # stopped after the running chunk, not after the sweep
    assert proc.returncode != 0 and "KeyboardInterrupt" in err
    parts = list((tmp_path / "traj").glob("variant=*/part-*.parquet"))
    assert 1 <= len(parts) < 8 * 40  # some, not all, of the 320 chunks
    # Every finished part is whole (a half-written one keeps its hidden temporary name, which
    # pyarrow's dataset reader skips): the folder reads back as whole chunks.
    back = pd.read_parquet(tmp_path / "traj")
    assert len(back) == len(parts) * 100 * 52  # 100 athletes x 52 weekly samples per chunk

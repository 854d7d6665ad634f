"""The closed loop for a population: 10,000 athletes x one program x 52 weeks on the default graph.

_core.simulate_population (record off; the population's arrays read in place, as cl.Population
hands them over; the AthleteSpec-list entry simulate_batch is checked equal and timed once) runs
the athlete-batched loop (docs/DESIGN.md "Batched closed loop"): timed here against the old
athlete-by-athlete loop of the same build (CHAINLOAD_ISA=scalar, same process), each instruction
set the CPU has (CHAINLOAD_ISA=baseline / avx2 / avx512), 1 and 2 threads; against the numpy
reference of the same model (benchmarks/numpy_closed_loop.py, vectorised over athletes) and,
with the ``bench`` extra, the numba struct-of-arrays port (benchmarks/numba_closed_loop.py); and
the default size_neural model on the same athletes (its cost per muscle-day against Banister's,
batched and scalar, same run).

Athletes differ in body mass and in per-muscle k1, k2, tau1, tau2 (fixed seed). Building the
athlete specs is outside the timed region. Every chainload run is checked bit for bit against the
scalar loop; numpy and numba are checked equal (rtol 1e-9; failures exact). If the numpy reference
would take over ~60 s on the whole population, it runs on 1,000 athletes and its time is scaled
linearly (the output says so). Timings are best of 5 rounds; in each round every configuration
runs once, the numba port right after chainload's runs, so that a noisy neighbour slows all of
them alike, and each round's ratio to numba (chainload and numba back to back) is printed with
its median; numpy too runs once a round, right after chainload, and each round's ratio to it is
printed with its median (numpy's time swings more than the compiled loops' between minutes).

Run: python benchmarks/bench_closed_loop.py [n_athletes] [program] [weeks]
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import numpy as np

import chainload as cl
import numpy_closed_loop as ref
from chainload import _core
from chainload.simulation import compile_program, lift_info
from timing import best, best_cpu

NUMPY_BUDGET_S = 60.0
NUMPY_SAMPLE = 1_000
ROUNDS = 5


def check_equal(core: dict[str, np.ndarray], numpy: dict[str, np.ndarray], rows: slice = slice(None)) -> None:
    for k in ("final_capacity", "final_one_rm", "total_dose", "peak_fatigue"):
        np.testing.assert_allclose(core[k][rows], numpy[k], rtol=1e-9, atol=0, err_msg=k)
    np.testing.assert_array_equal(core["failures"][rows], numpy["failures"], err_msg="failures")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    name = sys.argv[2] if len(sys.argv) > 2 else "posterior_chain"
    weeks = int(sys.argv[3]) if len(sys.argv) > 3 else 52
    cat = cl.Catalogue.default()
    program = cl.Program.examples()[name].with_weeks(weeks)
    table, activation = cat.core_table(), cat.activation_matrix()
    spec = compile_program(program, cat).spec
    compiled = ref.compile_reference(program, cat)
    assert compiled.used_exercises == spec.used_exercises

    t = time.perf_counter()
    pop = ref.population(ref.random_athletes(n, cat, seed=2024), program, cat)
    t_build = time.perf_counter() - t
    n_muscles, n_days = activation.shape[1], program.n_days
    muscle_days = n * n_days * n_muscles

    info = lift_info(cat)
    flags = open("/proc/cpuinfo").read().split() if os.path.exists("/proc/cpuinfo") else []
    isas = ["baseline"] + [
        isa for isa, flag in (("avx2", "avx2"), ("avx512", "avx512f")) if flag in flags and "fma" in flags
    ]

    # The population as arrays, as cl.Population hands it to the core (simulate_population reads
    # the rows in place); numba gets the same arrays. The AthleteSpec-list entry (simulate_batch)
    # is checked to give the same results bit for bit below, and timed once for comparison.
    params, sn = ref.core_arrays(pop, cat)

    def run(model: str, isa: str, threads: int, entry: str = "arrays") -> dict[str, np.ndarray]:
        os.environ["CHAINLOAD_ISA"] = isa
        try:
            kw = (
                {"pattern": info.pattern, "single_joint": info.single_joint} if model == "size_neural" else {}
            )
            if entry == "specs":
                return _core.simulate_batch(table, spec, pop.specs, model=model, threads=threads, **kw)
            return _core.simulate_population(
                table,
                spec,
                pop.one_rm,
                pop.body_load,
                params,
                model=model,
                threads=threads,
                size_neural=sn,
                **kw,
            )
        finally:
            del os.environ["CHAINLOAD_ISA"]

    # numpy: one run on a sample first, to decide whether the whole population fits the budget;
    # if it does, numpy runs once in every round below, right after chainload (paired ratios).
    m = min(n, NUMPY_SAMPLE)
    sample = ref.Population(
        pop.one_rm[:m], pop.body_load[:m], pop.k1[:m], pop.k2[:m], pop.tau1[:m], pop.tau2[:m]
    )
    t_sample, sample_out = best(lambda: ref.simulate(activation, compiled, sample), repeat=1)
    scaled = t_sample * n / m > NUMPY_BUDGET_S
    numpy_rounds: list[float] = []
    numpy_out: dict[str, np.ndarray] | None = None

    configs = [("banister", "scalar", 1), ("banister", "scalar", 2)]
    configs += [("banister", isa, 1) for isa in isas] + [("banister", "auto", 2)]
    configs += [("size_neural", "scalar", 1), ("size_neural", "auto", 1), ("size_neural", "auto", 2)]
    runs: dict[tuple[str, str, int], list[tuple[float, float]]] = {c: [] for c in configs}
    reference: dict[str, dict[str, np.ndarray]] = {}
    numba_run = numba_soa(pop, compiled, activation)  # compiled here, timed in the rounds below
    numba_rounds: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
    for _ in range(ROUNDS):  # alternate the configurations: noise from other processes hits them alike
        for model, isa, threads in configs:
            t, c, out = best_cpu(lambda m=model, i=isa, th=threads: run(m, i, th), repeat=1)
            runs[(model, isa, threads)].append((t, c))
            want = reference.setdefault(model, out)
            for k in want:  # bit for bit against the first (scalar, 1 thread) run
                assert np.asarray(out[k]).tobytes() == np.asarray(want[k]).tobytes(), (model, isa, threads, k)
        if not scaled:  # numpy in the same round, right after chainload's runs
            t, numpy_out = best(lambda: ref.simulate(activation, compiled, pop), repeat=1)
            numpy_rounds.append(t)
        if numba_run is not None:  # numba in the same round, right after chainload's runs
            for threads in (1, 2):
                t, c, got = best_cpu(lambda th=threads: numba_run(th), repeat=1)
                check_equal(reference["banister"], got)
                numba_rounds[threads].append((t, c))
    timing = {c: min(r) for c, r in runs.items()}
    core = reference["banister"]
    specs_entry = {}  # the AthleteSpec-list entry: same results, plus converting 10,000 spec objects
    for model in ("banister", "size_neural"):
        t_s, _, out = best_cpu(lambda m=model: run(m, "auto", 1, "specs"), repeat=1)
        for k, v in reference[model].items():
            assert np.asarray(out[k]).tobytes() == np.asarray(v).tobytes(), (model, "specs", k)
        specs_entry[model] = t_s

    check_equal(core, sample_out, slice(0, m))
    if numpy_out is not None:
        check_equal(core, numpy_out)
    t_np = t_sample * n / m if scaled else min(numpy_rounds)
    checked = m if scaled else n

    numba_times = {f"numba SoA, {th} thr": min(r) for th, r in numba_rounds.items() if r}

    print(
        f"closed loop, banister: {n:,} athletes x {program.name!r} x {weeks} weeks "
        f"({n_days} days x {n_muscles} muscles = {muscle_days / 1e6:.1f} M muscle-days; "
        f"{len(compiled.day)} sessions-exercises per athlete); athlete specs built in {t_build:.1f} s (untimed)"
    )
    np_label = f"numpy reference{' (scaled)' if scaled else ''}"
    print(f"{np_label:<34}{t_np:8.3f} s   {muscle_days / t_np / 1e6:8.1f} M muscle-days/s")
    best1 = min(timing[("banister", isa, 1)][0] for isa in isas)
    for label, (t_n, c_n) in numba_times.items():
        print(
            f"{label:<34}{t_n:8.3f} s   {muscle_days / t_n / 1e6:8.1f} M muscle-days/s   {t_np / t_n:6.1f}x numpy"
            f"   (CPU {c_n:.3f} s = {c_n / t_n:.2f} cores busy)"
        )
    scalar1 = timing[("banister", "scalar", 1)][0]
    for (model, isa, threads), (t_c, c) in timing.items():
        label = f"chainload {model}, {'scalar loop' if isa == 'scalar' else isa}, {threads} thr"
        extra = f"   {t_np / t_c:6.1f}x numpy   {scalar1 / t_c:5.2f}x scalar" if model == "banister" else ""
        if model == "banister" and "numba SoA, 1 thr" in numba_times and threads == 1:
            extra += f"   {numba_times['numba SoA, 1 thr'][0] / t_c:5.2f}x numba SoA"
        print(
            f"{label:<34}{t_c:8.3f} s   {muscle_days / t_c / 1e6:8.1f} M muscle-days/s{extra}"
            f"   (CPU {c:.3f} s = {c / t_c:.2f} cores busy)"
        )
    for model, t_s in specs_entry.items():
        print(
            f"{'simulate_batch (AthleteSpec list), ' + model + ', 1 thr':<34}{t_s:8.3f} s   "
            f"(the same results; {t_s / (timing[(model, 'auto', 1)][0] if model == 'size_neural' else best1):.2f}x the array entry's time)"
        )
    auto2 = timing[("banister", "auto", 2)][0]
    print(
        f"1 -> 2 threads: batched banister {best1 / auto2:.2f}x, scalar banister "
        f"{scalar1 / timing[('banister', 'scalar', 2)][0]:.2f}x, batched size_neural "
        f"{timing[('size_neural', 'auto', 1)][0] / timing[('size_neural', 'auto', 2)][0]:.2f}x "
        f"(os.cpu_count() = {os.cpu_count()}; load average {os.getloadavg()[0]:.1f})"
    )
    print(
        f"size_neural cost per muscle-day: batched {timing[('size_neural', 'auto', 1)][0] / best1:.2f}x "
        f"batched banister's, scalar {timing[('size_neural', 'scalar', 1)][0] / scalar1:.2f}x scalar banister's; "
        f"batched size_neural {timing[('size_neural', 'scalar', 1)][0] / timing[('size_neural', 'auto', 1)][0]:.2f}x "
        "its scalar loop"
    )
    if scaled:
        print(
            f"NOTE: numpy ran on {m:,} athletes in {t_sample:.3f} s (one run); its time above is scaled "
            f"linearly by {n / m:g} to {n:,} athletes"
        )
    if "numba SoA, 1 thr" in numba_times:  # CPU seconds: less sensitive to other processes on the machine
        c_numba = numba_times["numba SoA, 1 thr"][1]
        c_best = min(timing[("banister", isa, 1)][1] for isa in isas)
        print(
            f"1 thread, CPU time: batched banister {c_numba / c_best:.2f}x numba SoA, "
            f"{timing[('banister', 'scalar', 1)][1] / c_best:.2f}x the scalar loop; scalar loop "
            f"{c_numba / timing[('banister', 'scalar', 1)][1]:.2f}x numba SoA"
        )
    numpy_round = [
        t / min(runs[("banister", isa, 1)][r][0] for isa in isas) for r, t in enumerate(numpy_rounds)
    ]
    if numpy_round:
        print(
            f"per round: numpy / batched banister 1 thr {', '.join(f'{x:.1f}' for x in numpy_round)}x "
            f"(median {statistics.median(numpy_round):.1f}x; numpy {', '.join(f'{t:.3f}' for t in numpy_rounds)} s)"
        )
    if numba_rounds[1]:  # each round's ratio, chainload and numba timed back to back
        per_round = [
            nb / min(runs[("banister", isa, 1)][r][0] for isa in isas)
            for r, (nb, _) in enumerate(numba_rounds[1])
        ]
        threads_round = [
            min(runs[("banister", isa, 1)][r][0] for isa in isas) / runs[("banister", "auto", 2)][r][0]
            for r in range(ROUNDS)
        ]
        print(
            f"per round ({ROUNDS} rounds, each configuration once a round): batched banister 1 thr / numba SoA 1 thr "
            f"{', '.join(f'{x:.2f}' for x in per_round)}x (median {statistics.median(per_round):.2f}x); "
            f"1 -> 2 threads {', '.join(f'{x:.2f}' for x in threads_round)}x (median {statistics.median(threads_round):.2f}x)"
        )
    print(
        "batched loop equal to the scalar loop bit for bit: yes (every ISA above, 1 and 2 threads, both models)"
    )
    print(
        f"results equal to numpy on {checked:,} athletes: yes (final_capacity, final_one_rm, total_dose, "
        f"peak_fatigue rtol 1e-9; failures exact; {int(core['failures'][:checked].sum()):,} failures)"
    )


def numba_soa(pop, compiled, activation):
    """A runner of the numba struct-of-arrays port (threads -> outputs), compiled, if numba is installed."""
    try:
        import numba

        import numba_closed_loop
    except ImportError:
        print("numba not installed (pip install -e .[bench]): no numba row")
        return None
    packed = numba_closed_loop.pack(compiled, activation)
    arrays = (pop.one_rm, pop.body_load, pop.k1, pop.k2, pop.tau1, pop.tau2)
    keys = ("final_capacity", "final_one_rm", "total_dose", "peak_fatigue", "failures")
    numba_closed_loop.simulate_soa(*packed, *arrays)  # compile

    def run(threads: int) -> dict[str, np.ndarray]:
        numba.set_num_threads(threads)
        return dict(zip(keys, numba_closed_loop.simulate_soa(*packed, *arrays), strict=True))

    return run


if __name__ == "__main__":
    main()

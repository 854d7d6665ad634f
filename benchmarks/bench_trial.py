"""cl.trial: 3 arms x 1,000 athletes x 12 weeks (issue 10 target: under 1 s with the batched model).

Reports the wall time of the whole call (three batched core calls, test noise, the tidy outcome
table) and, apart, of the core runs alone and of one effect with its 2,000-resample bootstrap.
On a branch without the model branch's run_batch, the temporary fallback runs today's core.

Then a trial of fitted lifters with prediction intervals (issue 12): ``--fits`` synthetic lifters
fitted with ``fit_program``, ``Population.from_fits`` with its 100 parameter draws, the same 3 arms:
the wall time with the draws against the same population's point trial (the ratio, in one process;
about 101 x the athletes in each core call) and of one effect whose resamples also pick a draw.

    python benchmarks/bench_trial.py [--athletes 1000] [--weeks 12] [--threads 0] [--fits 10]
"""

from __future__ import annotations

import argparse
import importlib

import chainload as cl
from timing import best_cpu

trial_module = importlib.import_module("chainload.trial")  # the module (cl.trial is the function)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--athletes", type=int, default=1000)
    ap.add_argument("--weeks", type=int, default=12)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--fits", type=int, default=10)
    args = ap.parse_args()
    pop = cl.Population.sample(n=args.athletes, seed=1)
    base = cl.Program.examples()["balanced_full_body"]
    arms = {
        "balanced": base,
        "posterior": cl.Program.examples()["posterior_chain"],
        "mirror": cl.Program.examples()["mirror_muscles"],
    }

    def core_only() -> None:
        for p in arms.values():
            trial_module.run_batch(
                p.with_weeks(args.weeks), pop, tests=trial_module.BATTERY, threads=args.threads
            )

    wall, cpu, _ = best_cpu(core_only, args.repeat)
    print(f"core runs only (3 x run_batch): {wall:.3f} s wall, {cpu:.3f} s CPU")
    wall, cpu, t = best_cpu(
        lambda: cl.trial(arms, pop, weeks=args.weeks, seed=1, threads=args.threads), args.repeat
    )
    print(
        f"cl.trial 3 arms x {args.athletes} athletes x {args.weeks} weeks: {wall:.3f} s wall, {cpu:.3f} s CPU "
        f"({len(t.outcomes):,} outcome rows)"
    )
    wall, cpu, _ = best_cpu(lambda: t.effect("posterior", "mirror", "1rm:deadlift"), args.repeat)
    print(f"one effect with {t.n_boot} paired bootstrap resamples: {wall:.3f} s wall")
    fitted_lifters(arms, args)


def fitted_lifters(arms: dict[str, cl.Program], args: argparse.Namespace) -> None:
    import dataclasses

    from chainload.athlete_fit import fit_program, synthetic_lifter, synthetic_program

    program = synthetic_program()
    fits = [
        fit_program(program, synthetic_lifter(s, program)[2], start="2024-01-01") for s in range(args.fits)
    ]
    pop = cl.Population.from_fits(fits)
    flat = dataclasses.replace(pop, parameter_draws=())

    def run(p: cl.Population) -> trial_module.Trial:
        return cl.trial(arms, p, weeks=args.weeks, seed=1, threads=args.threads)

    point, _, _ = best_cpu(lambda: run(flat), args.repeat)
    wall, cpu, t = best_cpu(lambda: run(pop), args.repeat)
    print(
        f"cl.trial 3 arms x {args.fits} fitted lifters x {args.weeks} weeks with {t.n_draws} parameter draws: "
        f"{wall:.3f} s wall, {cpu:.3f} s CPU; point trial {point:.3f} s ({wall / point:.1f} x)"
    )
    wall, _, _ = best_cpu(lambda: t.effect("posterior", "mirror", "1rm:deadlift"), args.repeat)
    print(f"one effect over athletes and draws ({t.n_boot} resamples): {wall:.3f} s wall")


if __name__ == "__main__":
    main()

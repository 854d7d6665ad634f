"""cl.trial: 3 arms x 1,000 athletes x 12 weeks (issue 10 target: under 1 s with the batched model).

Reports the wall time of the whole call (three batched core calls, test noise, the tidy outcome
table) and, apart, of the core runs alone and of one effect with its 2,000-resample bootstrap.
On a branch without the model branch's run_batch, the temporary fallback runs today's core.

    python benchmarks/bench_trial.py [--athletes 1000] [--weeks 12] [--threads 0]
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


if __name__ == "__main__":
    main()

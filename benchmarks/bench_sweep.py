"""A sweep of 100,000 (variant x athlete) closed-loop simulations of 52 weeks, summary mode.

10 variants of the posterior-chain program (weekly posterior sets x progression increment) on
10,000 sampled athletes, run by chainload.sweep: wall time, muscle-days/s and the 1 -> 2 thread
speed-up; then the same sweep on a Dask LocalCluster (2 worker processes, 1 thread each) and its
overhead against the in-process run; then, in a fresh process, the same sweep in trajectory
mode (weekly capacity, fatigue and dose of every muscle streamed to Parquet) with its peak memory.
The in-process sweep also runs on the scalar loop (CHAINLOAD_ISA=scalar), checked identical.
Run: python benchmarks/bench_sweep.py [athletes] [--summary: stop after the in-process runs]
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

import chainload as cl
from timing import best


def setup(n: int):
    pop = cl.Population.sample(n=n, seed=1)
    prog = cl.Program.examples()["posterior_chain"]
    return pop, cl.vary(prog, weekly_sets={"posterior": [20, 30, 40, 50, 60]}, increment_kg=[1.25, 2.5])


def trajectory_run(n: int) -> None:
    """In its own process, so that the peak resident memory is this run's alone."""
    pop, variants = setup(n)
    with tempfile.TemporaryDirectory() as out:
        t, _ = best(lambda: cl.sweep(variants, pop, weeks=52, trajectories=out, progress=False), 1)
        size = sum(f.stat().st_size for f in Path(out).rglob("*.parquet"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB -> GiB
    rows = len(variants) * n * 52
    print(
        f"trajectory mode: {t:6.2f} s, {rows / 1e6:.1f} M rows x 66 muscle columns written ({size / 1024**3:.2f} GiB Parquet), "
        f"peak memory {peak:.2f} GiB"
    )
    parquet_encoding(pop, variants)


def parquet_encoding(pop, variants) -> None:
    """One chunk's trajectory table (1,000 athletes x 52 weeks) written as chainload writes it
    (plain numeric columns) and with pyarrow's default dictionary encoding, best of 3 each."""
    import pyarrow.parquet as pq

    from chainload.sweep import _run_chunk, _trajectory_table, write_part

    cat = cl.Catalogue.default()
    _, traj = _run_chunk(variants[0].program, pop.take(slice(0, 1000)), 52, "banister", (0.9, 1.1), 0, cat, 7)
    table = _trajectory_table(traj, np.arange(1000), 7, cat.graph.ids)
    with tempfile.TemporaryDirectory() as out:
        plain_path, dict_path = Path(out) / "plain.parquet", Path(out) / "dict.parquet"
        t_plain, _ = best(lambda: write_part(table, plain_path))
        t_dict, _ = best(lambda: pq.write_table(table, dict_path))
        assert pq.read_table(plain_path).equals(pq.read_table(dict_path))
        sizes = plain_path.stat().st_size, dict_path.stat().st_size
    print(
        f"one chunk (1,000 athletes, {table.num_rows:,} rows): plain {t_plain * 1e3:.0f} ms, {sizes[0] / 1024**2:.1f} MiB; "
        f"dictionary (pyarrow default) {t_dict * 1e3:.0f} ms, {sizes[1] / 1024**2:.1f} MiB: "
        f"{t_dict / t_plain:.1f}x the time, {sizes[1] / sizes[0] - 1:+.0%} size; same values read back"
    )


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[2] == "--trajectories":
        trajectory_run(int(sys.argv[1]))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    pop, variants = setup(n)
    pairs = len(variants) * n
    muscle_days = pairs * 364 * 22
    cl.sweep(variants[:1], pop.take(slice(0, 100)), weeks=52, progress=False)  # warm caches
    t1, _ = best(lambda: cl.sweep(variants, pop, weeks=52, threads=1, progress=False), 1)
    t2, local = best(lambda: cl.sweep(variants, pop, weeks=52, threads=2, progress=False), 1)
    print(
        f"{len(variants)} variants x {n:,} athletes = {pairs:,} simulations of 52 weeks ({muscle_days / 1e9:.2f} G muscle-days)"
    )
    print(
        f"1 thread    {t1:6.2f} s   {muscle_days / t1 / 1e6:6.0f} M muscle-days/s   {pairs / t1:8,.0f} simulations/s"
    )
    print(
        f"2 threads   {t2:6.2f} s   {muscle_days / t2 / 1e6:6.0f} M muscle-days/s   {pairs / t2:8,.0f} simulations/s"
    )
    print(f"speed-up 1 -> 2 threads: {t1 / t2:.2f}x")
    # The same sweep on the old athlete-by-athlete loop of this build (docs/DESIGN.md "Batched closed loop").
    os.environ["CHAINLOAD_ISA"] = "scalar"
    try:
        ts, scalar = best(lambda: cl.sweep(variants, pop, weeks=52, threads=2, progress=False), 1)
    finally:
        del os.environ["CHAINLOAD_ISA"]
    pd.testing.assert_frame_equal(local.outcomes, scalar.outcomes, check_exact=True)
    print(
        f"2 threads, scalar loop (CHAINLOAD_ISA=scalar)  {ts:6.2f} s: the batched loop is {ts / t2:.2f}x faster; "
        f"outcomes identical (load average {os.getloadavg()[0]:.1f})"
    )
    if "--summary" in sys.argv:
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("dask.distributed not installed: Dask run skipped")
        return
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": ":0"},
        ) as cluster,
        Client(cluster) as client,
    ):
        cl.sweep(
            variants[:1], pop.take(slice(0, 100)), weeks=52, client=client, progress=False
        )  # start workers
        td, remote = best(
            lambda: cl.sweep(variants, pop, weeks=52, client=client, chunk_size=2500, progress=False)
        )
    pd.testing.assert_frame_equal(local.outcomes, remote.outcomes)
    print(
        f"Dask LocalCluster (2 workers x 1 thread)  {td:6.2f} s   overhead vs in-process 2 threads: {(td / t2 - 1) * 100:+.0f} %"
    )
    print("Dask results identical to the in-process run: yes")
    subprocess.run([sys.executable, __file__, str(n), "--trajectories"], check=True)


if __name__ == "__main__":
    main()

"""The calls a notebook loop makes: ``cl.analyze`` on a shipped program, ``cl.simulate`` for 12 weeks
(default athlete) and ``import chainload`` in a fresh interpreter, each the median of many runs.

Beside each, the uncached cost: the same call with the shipped catalogue and graph parsed again
from their TOML files every time (what every call paid before they were cached, issue 15).
Targets (issue 15): analyze < 1 ms, simulate 12 weeks < 5 ms, import < 0.6 s.

Run: python benchmarks/bench_calls.py [program] [repeats]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import chainload as cl
from chainload import catalogue as catalogue_module
from chainload import graph as graph_module
from chainload._files import DATA_DIR

TARGET_MS = {"analyze": 1.0, "simulate 12 weeks": 5.0, "import chainload": 600.0}


def median_ms(f: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median wall and median CPU milliseconds (the CPU time is less hurt by a loaded machine)."""
    f()  # warm (first-call imports, caches)
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        f()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return 1e3 * statistics.median(wall), 1e3 * statistics.median(cpu)


def uncached(f: Callable[[cl.Catalogue], Any]) -> Callable[[], Any]:
    """f on a catalogue parsed afresh (every file cache cleared first)."""

    def run() -> Any:
        catalogue_module._read.cache_clear()
        catalogue_module._default_cached.cache_clear()
        graph_module._load_cached.cache_clear()
        return f(cl.Catalogue.load(DATA_DIR / "exercises.toml"))

    return run


def import_ms(repeat: int) -> tuple[float, float]:
    code = (
        "import time; t, c = time.perf_counter(), time.process_time(); import chainload; "
        "print(time.perf_counter() - t, time.process_time() - c)"
    )
    runs = [
        [
            float(x)
            for x in subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout.split()
        ]
        for _ in range(repeat)
    ]
    return 1e3 * statistics.median(r[0] for r in runs), 1e3 * statistics.median(r[1] for r in runs)


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "balanced_full_body"
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    program = cl.Program.load(DATA_DIR / "programs" / f"{name}.toml")
    athlete = cl.Athlete.default()
    # cached and uncached give the same numbers (checked before timing)
    assert (
        cl.analyze(program).summary().equals(uncached(lambda c: cl.analyze(program, catalogue=c))().summary())
    )
    rows = [
        (
            "analyze",
            median_ms(lambda: cl.analyze(program), repeat),
            median_ms(uncached(lambda c: cl.analyze(program, catalogue=c)), max(repeat // 10, 5)),
        ),
        (
            "simulate 12 weeks",
            median_ms(lambda: cl.simulate(program, athlete, weeks=12), repeat),
            median_ms(
                uncached(lambda c: cl.simulate(program, athlete, weeks=12, catalogue=c)), max(repeat // 10, 5)
            ),
        ),
        ("import chainload", import_ms(max(repeat // 20, 5)), (float("nan"), float("nan"))),
    ]
    print(f"program {name}, median of {repeat} calls (imports: of {max(repeat // 20, 5)} interpreters)")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"{'call':<18} {'wall ms':>9} {'CPU ms':>9} {'uncached wall':>14} {'target ms':>10} {'wall/target':>12}"
    )
    for call, (ms, cpu), (cold, _) in rows:
        target = TARGET_MS[call]
        print(f"{call:<18} {ms:>9.3f} {cpu:>9.3f} {cold:>14.3f} {target:>10.1f} {ms / target:>11.0%}")


if __name__ == "__main__":
    main()

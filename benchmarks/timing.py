"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best_cpu(f: Callable[[], Any], repeat: int = 3) -> tuple[float, float, Any]:
    """Best wall time of ``repeat`` runs, the process CPU time of that run (all threads), the result."""
    runs, out = [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = f()
        runs.append((time.perf_counter() - t, time.process_time() - c))
    wall, cpu = min(runs)
    return wall, cpu, out


def best(f: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs, and the result."""
    wall, _, out = best_cpu(f, repeat)
    return wall, out

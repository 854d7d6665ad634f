"""Process-wide limits: the memory budget every large allocation is checked against, and the
cap on threads.

``chainload.config.memory_budget`` (bytes): populations, programs, sweeps, trials and the core's
dose and simulation calls estimate what they will allocate and refuse with
:class:`chainload.errors.ResourceError` past it, before allocating. The default is half of the
machine's physical memory (engine choice: room for the estimate's error and for the rest of the
process); ``CHAINLOAD_MEMORY_BUDGET`` (bytes, or with a suffix K, M, G) sets it at import;
0 turns the check off.

``chainload.config.max_threads``: the most threads one call may use. The default (0) is the
machine's cores: ``threads=1000`` runs on that many, not 1000. Set a larger number (or
``CHAINLOAD_MAX_THREADS``) to allow oversubscription on purpose.

    >>> import chainload
    >>> chainload.config.set_memory_budget(8 * 1024**3)   # 8 GiB
    >>> chainload.config.set_max_threads(64)               # allow up to 64 threads per call
"""

from __future__ import annotations

import os
import re

from . import _core
from .errors import ResourceError, ValidationError

__all__ = [
    "check_memory",
    "max_threads",
    "memory_budget",
    "physical_memory",
    "population_run_bytes",
    "set_max_threads",
    "set_memory_budget",
]

BUDGET_FRACTION = 0.5  # engine choice: half the machine's memory


def physical_memory() -> int:
    """Bytes of physical memory (0 when the platform does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover
        return 0


def _parse_bytes(text: str, name: str) -> int:
    m = re.fullmatch(r"\s*(\d+)\s*([kKmMgGtT]?)i?[bB]?\s*", text)
    if not m:
        raise ValidationError(f"{name}={text!r}: expected a number of bytes such as 8000000000 or 8G")
    scale = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}[m.group(2).lower()]
    return int(m.group(1)) * scale


def memory_budget() -> int:
    """The memory budget in bytes (0: no limit)."""
    return int(_core.memory_budget())


def set_memory_budget(nbytes: int) -> None:
    """Set the memory budget in bytes (0: no limit)."""
    if isinstance(nbytes, bool) or not isinstance(nbytes, int) or nbytes < 0:
        raise ValidationError(f"memory_budget must be a whole number of bytes >= 0, got {nbytes!r}")
    _core.set_memory_budget(min(nbytes, 2**64 - 1))


def max_threads() -> int:
    """The cap on threads per call (0: the machine's cores)."""
    return int(_core.thread_limit())


def set_max_threads(n: int) -> None:
    """Set the cap on threads per call (0: the machine's cores)."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 65536:
        raise ValidationError(f"max_threads must be a whole number in 0..65536, got {n!r}")
    _core.set_thread_limit(n)


def check_memory(nbytes: float, what: str) -> None:
    """Raise ResourceError naming ``what`` and the estimate when ``nbytes`` exceeds the budget."""
    budget = memory_budget()
    if budget and nbytes > budget:
        raise ResourceError(
            f"{what} needs about {_size(nbytes)}, over the memory budget of "
            f"{_size(budget)} (chainload.config.set_memory_budget to change it)"
        )


def _size(nbytes: float) -> str:
    """1.5 GiB, 12.0 MiB or 300 KiB: a size the reader can compare (never "0.0 GiB")."""
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2)):
        if nbytes >= scale:
            return f"{nbytes / scale:.1f} {unit}"
    return f"{nbytes / 1024:.0f} KiB"


def population_run_bytes(
    n_athletes: int, n_muscles: int, n_lifts: int, n_params: int, *, n_tests: int = 0, blocks: int = 0
) -> int:
    """Bytes one batched closed-loop core call over ``n_athletes`` holds (the one estimate for
    sweeps, trials and run_batch): its float64 inputs (1RM per lift, body mass, ``n_params``
    parameters per muscle), its float64 outputs (final 1RM per lift, capacity and dose per muscle,
    peak fatigue, failures, 1RM before and after per test, size before and after per muscle) and
    its float32 trajectories (capacity, fatigue, dose per muscle per block)."""
    inputs = n_lifts + 1 + n_params * n_muscles
    outputs = n_lifts + 2 * n_muscles + 2 + 2 * n_tests + 2 * n_muscles
    return n_athletes * (8 * (inputs + outputs) + 4 * 3 * blocks * n_muscles)


def _init() -> None:
    env = os.environ.get("CHAINLOAD_MEMORY_BUDGET")
    set_memory_budget(
        _parse_bytes(env, "CHAINLOAD_MEMORY_BUDGET") if env else int(physical_memory() * BUDGET_FRACTION)
    )
    threads = os.environ.get("CHAINLOAD_MAX_THREADS")
    if threads:
        if not threads.strip().isdigit():
            raise ValidationError(f"CHAINLOAD_MAX_THREADS={threads!r}: expected a whole number")
        set_max_threads(int(threads))


_init()

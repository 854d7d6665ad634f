"""Fuzz the workout-log reader (Strong and Hevy CSV): ``python fuzz/fuzz_log.py -max_total_time=30``.

Every input must give a Log or a clear error, never a crash or another exception type. Seed
corpus: fuzz/corpus/log (the two real exports of ../shared/data, trimmed to 6 rows; MIT, see
LICENSES.md there)."""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _harness import main

import chainload as cl

_fd, _PATH = tempfile.mkstemp(suffix=".csv")
os.close(_fd)


def target(data: bytes) -> None:
    Path(_PATH).write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        log = cl.read_log(_PATH)
        log.report.summary()


if __name__ == "__main__":
    try:
        sys.exit(main(target, Path(__file__).parent / "corpus" / "log"))
    finally:
        os.unlink(_PATH)

"""Fuzz the workout-log reader (Strong and Hevy CSV): ``python fuzz/fuzz_log.py -max_total_time=30``.

Every input must give a Log or a clear error, never a crash or another exception type. Seed
corpus: fuzz/corpus/log (the two real exports of ../shared/data, trimmed to 6 rows; MIT, see
LICENSES.md there). ``--no-atheris`` uses the built-in random mutator."""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _harness import main


def make_target(path: str) -> Callable[[], Callable[[bytes], None]]:
    def make() -> Callable[[bytes], None]:
        import chainload as cl  # imported here: atheris instruments this import

        def target(data: bytes) -> None:
            Path(path).write_bytes(data)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                log = cl.read_log(path)
                log.report.summary()
                log.report.describe()

        return target

    return make


if __name__ == "__main__":
    fd, scratch = tempfile.mkstemp(suffix=".csv")
    os.close(fd)
    try:
        sys.exit(main(make_target(scratch), Path(__file__).parent / "corpus" / "log"))
    finally:
        os.unlink(scratch)

"""Fuzz the program reader: ``python fuzz/fuzz_program.py -max_total_time=30``.

Every input must give a Program or a clear error (chainload.Error / ValueError / KeyError /
TypeError), never a crash or another exception type. Seed corpus: fuzz/corpus/program (the
shipped programs and a small one)."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _harness import main

import chainload as cl


def target(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = cl.Program.loads(text, "fuzz.toml")
        if program.n_weeks <= 8:
            cl.analyze(program)  # the compiled program must also be accepted or refused clearly


if __name__ == "__main__":
    sys.exit(main(target, Path(__file__).parent / "corpus" / "program"))

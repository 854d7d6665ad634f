"""Fuzz the program reader: ``python fuzz/fuzz_program.py -max_total_time=30``.

Every input must give a Program or a clear error (chainload.Error / ValueError / KeyError /
TypeError), never a crash or another exception type. Seed corpus: fuzz/corpus/program (the
shipped programs and a small one). ``--no-atheris`` uses the built-in random mutator."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _harness import main


def make_target() -> Callable[[bytes], None]:
    import chainload as cl  # imported here: atheris instruments this import

    def target(data: bytes) -> None:
        text = data.decode("utf-8", errors="replace")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            program = cl.Program.loads(text, "fuzz.toml")
            if program.n_weeks <= 8:
                cl.analyze(program)  # the compiled program must also be accepted or refused clearly

    return target


if __name__ == "__main__":
    sys.exit(main(make_target, Path(__file__).parent / "corpus" / "program"))

"""Shared driver of the fuzz targets: atheris (coverage-guided, libFuzzer flags such as
``-max_total_time=30`` and ``-runs=N``) when it is installed, else a seeded random mutator over
the same seed corpus honouring the same two flags. Either way an input "fails" only when it
raises an exception outside chainload's hierarchy (chainload.Error, ValueError, KeyError,
TypeError, UnicodeError) or crashes the interpreter: a clear error is the right answer to
garbage."""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ACCEPTED: tuple[type[BaseException], ...] = (ValueError, KeyError, TypeError)


def _flags(argv: list[str]) -> dict[str, str]:
    return dict(a.lstrip("-").split("=", 1) for a in argv if a.startswith("-") and "=" in a)


def _mutate(data: bytes, rng: random.Random, corpus: list[bytes]) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(6)
        pos = rng.randrange(len(b) + 1)
        if op == 0 and b:  # flip a byte
            b[min(pos, len(b) - 1)] = rng.randrange(256)
        elif op == 1:  # insert interesting bytes
            b[pos:pos] = rng.choice(
                [
                    b"\x0c",
                    b"\x0b",
                    b"\x85",
                    "\u2028".encode(),
                    b"\r",
                    b"\n",
                    b"\x00",
                    b"-1",
                    b"1e308",
                    b"nan",
                    b"2147483648",
                    b"99999999999",
                    b'"',
                    b",",
                    b"[",
                    b"]",
                    b"=",
                    b"{",
                    b"}",
                    b"inf",
                    b"0",
                ]
            )
        elif op == 2 and b:  # delete a run
            del b[pos : pos + rng.randint(1, 16)]
        elif op == 3 and b:  # duplicate a line
            lines = bytes(b).split(b"\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            b = bytearray(b"\n".join(lines))
        elif op == 4:  # splice another corpus file
            other = rng.choice(corpus)
            cut = rng.randrange(len(other) + 1)
            b[pos:] = other[cut:]
        else:  # change a digit run
            digits = [i for i, c in enumerate(b) if 48 <= c <= 57]
            if digits:
                i = rng.choice(digits)
                b[i : i + 1] = str(rng.choice([0, -1, 10**6, 2**31, 2**63, 7])).encode()
    return bytes(b)


def _plain_import(name: str) -> bool:
    import importlib.machinery
    import importlib.util

    spec = importlib.util.find_spec(name)
    return spec is not None and isinstance(spec.loader, importlib.machinery.SourceFileLoader)


def main(
    make_target: Callable[[], Callable[[bytes], None]], corpus_dir: Path, argv: list[str] | None = None
) -> int:
    """Fuzz the function ``make_target()`` returns (it imports chainload: under atheris the import
    is instrumented, chainload's modules only, for coverage guidance)."""
    argv = sys.argv[1:] if argv is None else argv
    corpus = [
        p.read_bytes() for p in sorted(corpus_dir.iterdir()) if p.is_file() and not p.name.endswith(".md")
    ]

    try:
        import atheris  # type: ignore[import-not-found]
    except ImportError:
        atheris = None
    use_atheris = atheris is not None and "--no-atheris" not in argv
    if use_atheris and not _plain_import("chainload"):
        # An editable install imports chainload through a custom loader, which atheris cannot
        # instrument: without coverage libFuzzer would mutate blind, worse than our mutator.
        print("fuzz: chainload is imported by a custom loader (editable install): using the built-in mutator")
        use_atheris = False
    if use_atheris:
        with atheris.instrument_imports(include=["chainload"], enable_loader_override=False):
            target = make_target()
    else:
        target = make_target()

    def one(data: bytes) -> None:
        try:
            target(data)
        except ACCEPTED:
            pass

    if use_atheris:
        import tempfile

        # New inputs go to a scratch folder (libFuzzer writes into the first corpus folder), the
        # seed corpus is only read.
        scratch = tempfile.mkdtemp(prefix="chainload-fuzz-")
        args = [sys.argv[0], *[a for a in argv if a != "--no-atheris"], scratch, str(corpus_dir)]
        atheris.Setup(args, one)
        atheris.Fuzz()
        return 0
    flags = _flags(argv)
    budget = float(flags.get("max_total_time", "30"))
    runs = int(flags.get("runs", "-1"))
    rng = random.Random(int(flags.get("seed", "0")))
    start, n = time.monotonic(), 0
    for data in corpus:
        one(data)
    while time.monotonic() - start < budget and (runs < 0 or n < runs):
        one(_mutate(rng.choice(corpus), rng, corpus))
        n += 1
    print(f"fuzz: {n} inputs in {time.monotonic() - start:.1f} s, no crash and no stray exception")
    return 0

"""The ``chainload`` command line. Exit codes: 0 ok, 1 error, 2 usage."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import pandas as pd

from . import __version__
from .analysis import analyze
from .athlete import Athlete
from .errors import Error
from .program import Program
from .simulation import DEFAULT_MODEL, MODELS, ModelName, simulate


def _program(arg: str) -> Program:
    """A TOML path, or the name of a shipped example program."""
    examples = Program.examples()
    if arg in examples and not Path(arg).exists():
        return examples[arg]
    if not Path(arg).exists():
        raise Error(f"{arg}: no such file (shipped examples: {', '.join(examples)})")
    return Program.load(arg)


def _athlete(arg: str | None) -> Athlete:
    return Athlete.load(arg) if arg else Athlete.default()


def _emit(frame: pd.DataFrame, fmt: str, title: str = "") -> None:
    if fmt == "csv":
        sys.stdout.write(frame.to_csv())
    elif fmt == "json":
        sys.stdout.write(frame.reset_index().to_json(orient="records", indent=1) + "\n")
    else:
        if title:
            print(title)
        with pd.option_context("display.width", 200, "display.max_columns", 50, "display.precision", 2):
            print(frame.to_string())


def cmd_analyze(args: argparse.Namespace) -> int:
    report = analyze(_program(args.program), _athlete(args.athlete))
    if args.format == "json":
        out = {
            "program": report.program.name,
            "band": list(report.band),
            "excluded_lateral_muscles": report.excluded_muscles,
            # JSON has no NaN/Infinity: an undefined or unbounded ratio is null, as pandas writes
            # it in "balance" below.
            "summary": {k: (float(v) if math.isfinite(v) else None) for k, v in report.summary().items()},
            "balance": json.loads(report.balance.reset_index().to_json(orient="records")),
            "weekly_fractional_sets": json.loads(report.per_muscle().reset_index().to_json(orient="records")),
        }
        print(json.dumps(out, indent=1, allow_nan=False))
        return 0
    if args.format == "csv":
        _emit(report.balance.join(report.per_muscle()), "csv")
        return 0
    print(repr(report))
    _emit(report.per_muscle().round(2), "table", "\nWeekly fractional sets per muscle:")
    _emit(report.balance, "table", "\nBalance per week (ratios; lateral muscles excluded):")
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    sim = simulate(_program(args.program), _athlete(args.athlete), weeks=args.weeks, model=args.model)
    print(repr(sim))
    _emit(sim.summary().to_frame("value"), "table", "\nSummary (gains in % of the starting 1RM):")
    _emit(sim.balance.round(3), "table", "\nBalance per week:")
    if args.out:
        sim.save(args.out)
        print(f"\nwrote {args.out}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from tqdm.auto import tqdm

    from .report import compare_programs, write_report

    programs = [_program(p) for p in args.programs] if args.programs else list(Program.examples().values())
    steps = len(programs) + (1 if args.population > 0 else 0) + (2 if args.out else 0)
    with tqdm(total=steps, desc="compare", disable=None, file=sys.stderr) as bar:

        def progress(msg: str) -> None:
            bar.set_postfix_str(msg)
            bar.update(1)

        comparison = compare_programs(
            programs, _athlete(args.athlete), args.weeks, args.model, args.population, args.seed, progress
        )
        path = write_report(comparison, args.out, progress) if args.out else None
    title = f"Comparison over {args.weeks} weeks, model {args.model}, {comparison.athlete.name}:"
    _emit(comparison.table.round(3), args.format, title)
    if path is not None:
        print(f"report: {path}", file=sys.stderr)
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    from .io import read_log

    log = read_log(args.export, units=args.units)
    report = analyze(log.to_program())
    balance = report.balance[["posterior_anterior", "hamstrings:quadriceps", "pull:push", "verdict"]]
    if args.format != "table":
        _emit(balance, args.format)
        return 0
    print(log.report.summary())
    _emit(balance.round(2), "table", "\nBalance history per week (planned dose of the logged sets):")
    unmatched = log.report.unmatched
    if len(unmatched):
        _emit(unmatched, "table", "\nUnmatched exercises (their sets take no part in the balance):")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from ._files import TomlSource
    from .population import Population
    from .sweep import sweep, vary

    spec = TomlSource(args.spec).data
    if "program" not in spec:
        raise Error(f"{args.spec}: missing field 'program' (a TOML path or a shipped example name)")
    program = _program(str(spec["program"]))
    pop_spec = spec.get("population", {})
    pop = Population.sample(int(pop_spec.get("n", 1000)), seed=int(pop_spec.get("seed", 0)))
    axes = dict(spec.get("vary", {}))
    if "deload_every" in axes:
        axes["deload_every"] = [k or None for k in axes["deload_every"]]  # 0 = no planned deload
    try:
        variants = vary(program, **axes)
    except TypeError as e:
        raise Error(f"{args.spec}: [vary]: {e}") from None
    result = sweep(
        variants,
        pop,
        weeks=int(spec.get("weeks", 12)),
        model=cast(ModelName, str(spec.get("model", DEFAULT_MODEL))),  # checked by sweep()
        trajectories=args.trajectories,
        progress=None,
    )
    medians = result.summary((0.5,))
    _emit(medians.round(3), args.format, f"{len(variants)} variants x {len(pop)} athletes: medians")
    objectives = spec.get("objectives", ["strength_gain", "-balance_error", "-peak_fatigue"])
    if args.format == "table":
        _emit(result.pareto(objectives).round(3), "table", f"\nPareto front over {', '.join(objectives)}:")
    if args.out:
        result.to_parquet(args.out)
        print(f"outcomes written to {args.out} (partitioned by variant)", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chainload", description="Muscle-graph training-load analysis and adaptation simulation."
    )
    parser.add_argument("--version", action="version", version=f"chainload {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("analyze", help="per-muscle dose and posterior:anterior balance of a program")
    p.add_argument("program", help="program TOML file, or a shipped example name (e.g. posterior_chain)")
    p.add_argument("--athlete", help="athlete TOML (bodyweight, [one_rm]); default: the default athlete")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("simulate", help="closed-loop simulation of a program on a virtual athlete")
    p.add_argument("program", help="program TOML file, or a shipped example name")
    p.add_argument("--weeks", type=int, default=None, help="weeks to simulate (default: the program's)")
    p.add_argument("--athlete", help="athlete TOML (bodyweight, [one_rm], [params])")
    p.add_argument("--model", choices=MODELS, default=DEFAULT_MODEL)
    p.add_argument("--out", help="write the simulation to this Parquet file")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser(
        "compare", help="compare programs (default: the shipped examples): balance and adaptation"
    )
    p.add_argument("programs", nargs="*", help="program TOML files or example names (default: all examples)")
    p.add_argument("--weeks", type=int, default=12)
    p.add_argument("--athlete", help="athlete TOML; default: the default athlete")
    p.add_argument("--model", choices=MODELS, default=DEFAULT_MODEL)
    p.add_argument("--population", type=int, default=200, help="virtual athletes to sample (0: none)")
    p.add_argument("--seed", type=int, default=0, help="seed of the population")
    p.add_argument("--out", default="chainload-report", help="report folder ('' for no report)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("log", help="balance history and unmatched exercises of a Strong or Hevy export")
    p.add_argument("export", help="the exported CSV file")
    p.add_argument("--units", choices=["kg", "lbs"], help="weight unit when the file does not say")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_log)

    p = sub.add_parser("sweep", help="program variants x a virtual-athlete population, from a TOML spec")
    p.add_argument("spec", help="sweep spec TOML: program, weeks, model, [population], [vary], objectives")
    p.add_argument("--out", help="write the outcomes here as Parquet, partitioned by variant")
    p.add_argument("--trajectories", help="stream weekly per-muscle trajectories to this folder")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_sweep)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:  # output piped into `head`: not an error
        sys.stdout = open("/dev/null", "w")
        return 0
    except (Error, OSError) as e:
        if args.debug:
            raise
        print(f"chainload: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("chainload: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

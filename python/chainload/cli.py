"""The ``chainload`` command line. Exit codes: 0 ok, 1 error, 2 usage."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

import pandas as pd

from . import __version__
from .analysis import analyze
from .athlete import Athlete
from .errors import Error, ValidationError
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


def _json_value(v: object) -> object:
    """One value for JSON output. JSON has no NaN or Infinity, and null would not tell them
    apart: a non-finite number is written as the string "nan", "inf" or "-inf"; a date or time
    as its ISO 8601 text (README "JSON output")."""
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat() if v == v.normalize() else v.isoformat()
    if isinstance(v, dict):
        return {str(k): _json_value(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_json_value(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, str):  # a numpy scalar
        v = v.item()  # type: ignore[union-attr]
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    return v


def _records(frame: pd.DataFrame) -> list[object]:
    """The rows of ``frame`` (index as columns) as JSON-ready dicts, see :func:`_json_value`."""
    unnamed = isinstance(frame.index, pd.RangeIndex) and frame.index.name is None  # row numbers only
    flat = frame.reset_index(drop=unnamed)
    return [
        _json_value(dict(zip(map(str, flat.columns), row, strict=True)))
        for row in flat.itertuples(index=False)
    ]


def _dump(obj: object) -> None:
    print(json.dumps(_json_value(obj), indent=1, allow_nan=False))


def _emit(frame: pd.DataFrame, fmt: str, title: str = "") -> None:
    if fmt == "csv":
        sys.stdout.write(frame.to_csv())
    elif fmt == "json":
        _dump(_records(frame))
    else:
        if title:
            print(title)
        with pd.option_context("display.width", 200, "display.max_columns", 50, "display.precision", 2):
            print(frame.to_string())


def _on_terminal() -> bool:
    """Progress bars are drawn only when stderr is a terminal (not in a pipe, a log file or an
    executed notebook's captured output)."""
    return sys.stderr.isatty()


def cmd_suggest(args: argparse.Namespace) -> int:
    report = analyze(_program(args.program), _athlete(args.athlete))
    s = report.suggest(window=args.window)
    if args.format == "json":
        _dump(
            {
                "program": report.program.name,
                "weeks": list(s.window),
                "verdict": s.verdict,
                "problems": s.problems,
                "edits": _records(s.edits) if not s.edits.empty else [],
                "before": {str(k): float(v) for k, v in s.before.items()},
                "after": {str(k): float(v) for k, v in s.after.items()},
            }
        )
        return 0
    print(f"{report.program.name}, weeks {s.window[0]}-{s.window[1]}: {s.verdict}")
    for problem in s.problems:
        print(f"  - {problem}")
    if not s.edits.empty:
        _emit(s.edits, args.format, "\nEdits (weekly sets):")
    return 0


def _sweep_spec(arg: str) -> Path:
    """A sweep spec TOML path, or the name of a shipped spec (data/sweeps/<name>.toml)."""
    from ._files import DATA_DIR

    shipped = {p.stem: p for p in sorted((DATA_DIR / "sweeps").glob("*.toml"))}
    if not Path(arg).exists() and arg in shipped:
        return shipped[arg]
    if not Path(arg).exists():
        raise Error(f"{arg}: no such file (shipped sweep specs: {', '.join(shipped)})")
    return Path(arg)


def cmd_analyze(args: argparse.Namespace) -> int:
    report = analyze(_program(args.program), _athlete(args.athlete))
    if args.format == "json":
        out = {
            "program": report.program.name,
            "band": list(report.band),
            "posterior_shares": report.memberships["posterior_share"].to_dict(),
            # an undefined or unbounded ratio is "nan" or "inf", never null (see _json_value)
            "summary": {str(k): float(v) for k, v in report.summary().items()},
            "balance": _records(report.balance),
            "weekly_fractional_sets": _records(report.per_muscle()),
        }
        _dump(out)
        return 0
    if args.format == "csv":
        _emit(report.balance.join(report.per_muscle()), "csv")
        return 0
    print(repr(report))
    _emit(report.per_muscle().round(2), "table", "\nWeekly fractional sets per muscle:")
    _emit(
        report.balance, "table", "\nBalance per week (per-set volume share of each chain; docs/balance.md):"
    )
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
    from tqdm import tqdm  # the terminal bar: never a notebook widget (or its IProgress warning)

    from .report import compare_programs, write_report

    programs = [_program(p) for p in args.programs] if args.programs else list(Program.examples().values())
    steps = len(programs) + (1 if args.population > 0 else 0) + (2 if args.out else 0)
    with tqdm(total=steps, desc="compare", disable=not _on_terminal(), file=sys.stderr) as bar:

        def progress(msg: str) -> None:
            bar.set_postfix_str(msg)
            bar.update(1)

        comparison = compare_programs(
            programs, _athlete(args.athlete), args.weeks, args.model, args.population, args.seed, progress
        )
        path = write_report(comparison, args.out, progress) if args.out else None
    title = f"Comparison over {args.weeks} weeks, model {args.model}, {comparison.athlete.name}:"
    table = comparison.table
    if args.format != "table":
        _emit(table.round(3), args.format, title)
    else:
        from .trial import BATTERY

        battery = [f"{x}_pct" for x in BATTERY] + ["size_posterior_pct", "size_anterior_pct"]
        spread = [c for c in table.columns if str(c).endswith(("_lo", "_hi"))]
        _emit(table.drop(columns=[*battery, *spread, "battery_pct"]).round(3), "table", title)
        who = f"{args.population} virtual athletes" if args.population > 0 else comparison.athlete.name
        cells = pd.DataFrame(
            {
                c.removesuffix("_pct"): [
                    f"{table.loc[p, c]:+.1f} ({table.loc[p, c + '_lo']:+.1f}, {table.loc[p, c + '_hi']:+.1f})"
                    for p in table.index
                ]
                for c in battery
            },
            index=table.index,
        )
        cells["battery_mean"] = [f"{v:+.1f}" for v in table["battery_pct"]]
        _emit(
            cells.T,
            "table",
            f"\nCommon test battery, every athlete tested on every lift: mean % change over {who}"
            " (95 % interval); size_*: size-weighted chain size",
        )
    if path is not None:
        print(f"report: {path}", file=sys.stderr)
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    from .logs import read_log

    log = read_log(args.export, units=args.units)
    full = log.balance  # by calendar week (Monday), weeks without training kept as gaps
    balance = full[["posterior_anterior", "hamstrings:quadriceps", "pull:push", "verdict"]]
    if args.format != "table":
        _emit(balance, args.format)
        return 0
    print(log.report.describe())
    _emit(balance.round(2), "table", "\nBalance by calendar week (Monday; the logged sets):")
    last = full.attrs["last_weeks"]
    print(
        f"\nLast 4 weeks ({last['weeks']}): posterior:anterior {last['posterior_anterior']:.2f},"
        f" {last['verdict']}"
    )
    unmatched = log.report.unmatched
    if len(unmatched):
        _emit(unmatched, "table", "\nUnmatched exercises (their sets take no part in the balance):")
    return 0


def cmd_fit(args: argparse.Namespace) -> int:
    from .fit import fit
    from .logs import read_log

    if args.bootstrap < 0:  # checked for either model: an option is never silently ignored
        raise ValidationError(f"--bootstrap must be a whole number >= 0, got {args.bootstrap}")
    log = read_log(args.export, units=args.units)
    tests = {"max_reps": args.max_reps or None}
    if args.model == "size_neural":
        return _fit_joint(args, log, tests)
    result = fit(log, args.exercise, bootstrap=args.bootstrap, seed=args.seed, tests=tests)
    validation = result.validate() if args.validate else None
    if args.format == "json":
        out = {
            "exercise": result.exercise,
            "model": result.model,
            "metrics": result.metrics,
            "params": _records(result.uncertainty.set_index("param")),
            "validation": None if validation is None else _records(validation.errors),
        }
        _dump(out)
        return 0
    print(log.report.describe().splitlines()[0])
    print(result.describe())
    ident = result.identified()
    others = [str(p) for p, v in result.labels.items() if v not in ("identified", "fixed")]
    print(
        f"identified: {', '.join(ident) or 'none'}; not or weakly identified: {', '.join(others) or 'none'}"
    )
    if validation is not None:
        print(validation.describe())
    return 0


def _fit_joint(args: argparse.Namespace, log: Any, tests: dict[str, Any]) -> int:
    """The default model fitted jointly over the log's tested lifts (cl.fit_athlete), what the
    data do and do not identify, and the out-of-sample error beside the baselines."""
    from .athlete_fit import fit_athlete

    lifts = None if args.exercise is None else [args.exercise]
    result = fit_athlete(log, lifts, tests=tests)
    validation = result.validate() if args.validate else None
    if args.format == "json":
        _dump(
            {
                "model": "size_neural",
                "lifts": result.lifts,
                "params": _records(result.params),
                "validation": None if validation is None else _records(validation),
            }
        )
        return 0
    print(log.report.describe().splitlines()[0])
    print(result.describe())
    labels = result.params["label"]
    ident = [str(p) for p, v in labels.items() if v == "identified"]
    others = [str(p) for p, v in labels.items() if v != "identified"]
    print(
        f"identified: {', '.join(ident) or 'none'}; not or weakly identified: {', '.join(others) or 'none'}"
    )
    if validation is not None:
        print("out-of-sample (expanding window; kg):")
        print(validation.to_string())
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from .population import Population
    from .sweep import load_spec, sweep, vary

    spec = load_spec(
        _sweep_spec(args.spec), program_loader=lambda name, _folder: _program(name)
    )  # every key, number and name checked first
    program = spec.program
    try:
        variants = vary(program, **spec.vary)
    except (TypeError, Error) as e:
        raise Error(f"{args.spec}: [vary]: {e}") from None
    pop = Population.sample(spec.population_n, seed=spec.population_seed)
    result = sweep(
        variants,
        pop,
        weeks=spec.weeks,
        model=cast(ModelName, spec.model),
        trajectories=args.trajectories,
        progress=None,
    )
    medians = result.summary()
    _emit(medians.round(3), args.format, f"{len(variants)} variants x {len(pop)} athletes: medians")
    objectives = list(spec.objectives)
    if args.format == "table":
        _emit(result.pareto(objectives).round(3), "table", f"\nPareto front over {', '.join(objectives)}:")
    if args.out:
        result.to_parquet(args.out)
        print(f"outcomes written to {args.out} (partitioned by variant)", file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from . import validation

    table = validation.run(args.ids or None, n=args.n, model=args.model)
    shown = table[["id", "check", "published", "simulated", "tolerance", "pass"]].set_index("id")
    if args.format == "table":  # three significant digits, "n/a" for what the engine cannot compute
        shown = shown.assign(
            simulated=[f"{v:.3g}" if math.isfinite(v) else "n/a" for v in shown["simulated"]]
        )
    with pd.option_context("display.max_colwidth", 70):
        _emit(shown, args.format, f"Validation against VALIDATION.md, model {args.model or 'default'}:")
    if args.format == "table":
        rows = validation.by_row(table)
        passed, checks = int(table["pass"].sum()), len(table)
        print(f"\n{int(rows['ok'].sum())} of {len(rows)} findings pass ({passed} of {checks} checks)")
    return 0 if bool(table["pass"].all()) else 1


def _whole(lo: int, hi: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number in [lo, hi], else a usage error naming the value."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < lo or (hi is not None and value > hi):
            bound = f"in {lo}..{hi}" if hi is not None else f">= {lo}"
            raise argparse.ArgumentTypeError(f"{value} is out of range: expected a whole number {bound}")
        return value

    return parse


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Every option's help ends with its default (unless it states it or has none); the
    epilog (the examples) keeps its lines."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.option_strings and action.default not in (None, False, argparse.SUPPRESS):
            if "default" not in text:
                text += " (default: %(default)s)"
        return text


FORMAT_HELP = 'output: a table, CSV, or JSON (non-finite numbers as "nan"/"inf", dates as ISO 8601)'

EXAMPLES: dict[str, str] = {
    "analyze": "chainload analyze posterior_chain --format json",
    "simulate": "chainload simulate posterior_chain --weeks 8 --model banister --out run.parquet",
    "compare": "chainload compare posterior_chain balanced_full_body --population 50 --out report",
    "log": "chainload log strong_export.csv --units kg",
    "fit": "chainload fit strong_export.csv (or: --model banister --exercise 'Bench Press (Barbell)')",
    "sweep": "chainload sweep posterior_volume --out outcomes.parquet",
    "validate": "chainload validate --ids VOL-3 DET-3",
    "suggest": "chainload suggest posterior_chain --window 4",
}
"""One example command per subcommand, shown at the end of its --help."""


def _command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, text: str
) -> argparse.ArgumentParser:
    return sub.add_parser(
        name,
        help=text,
        description=text,
        epilog=f"example:\n  {EXAMPLES[name]}",
        formatter_class=_HelpFormatter,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chainload",
        description="Muscle-graph training-load analysis and adaptation simulation.",
        epilog="example:\n  chainload analyze posterior_chain\n\n--debug may come anywhere on the line.",
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"chainload {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True)

    p = _command(sub, "analyze", "per-muscle dose and posterior:anterior balance of a program")
    p.add_argument("program", help="program TOML file, or a shipped example name (e.g. posterior_chain)")
    p.add_argument("--athlete", help="athlete TOML (bodyweight, [one_rm]); default: the default athlete")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help=FORMAT_HELP)
    p.set_defaults(func=cmd_analyze)

    p = _command(sub, "simulate", "closed-loop simulation of a program on a virtual athlete")
    p.add_argument("program", help="program TOML file, or a shipped example name")
    p.add_argument(
        "--weeks", type=_whole(1, 520), default=None, help="weeks to simulate (default: the program's)"
    )
    p.add_argument("--athlete", help="athlete TOML (bodyweight, [one_rm], [params])")
    p.add_argument("--model", choices=MODELS, default=DEFAULT_MODEL, help="adaptation model")
    p.add_argument("--out", help="write the simulation to this Parquet file")
    p.set_defaults(func=cmd_simulate)

    p = _command(sub, "compare", "compare programs (default: the shipped examples): balance and adaptation")
    p.add_argument("programs", nargs="*", help="program TOML files or example names (default: all examples)")
    p.add_argument("--weeks", type=_whole(1, 520), default=12, help="weeks to simulate")
    p.add_argument("--athlete", help="athlete TOML; default: the default athlete")
    p.add_argument("--model", choices=MODELS, default=DEFAULT_MODEL, help="adaptation model")
    p.add_argument("--population", type=_whole(0), default=200, help="virtual athletes to sample (0: none)")
    p.add_argument("--seed", type=_whole(0), default=0, help="seed of the population")
    p.add_argument("--out", default="chainload-report", help="report folder ('' for no report)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help=FORMAT_HELP)
    p.set_defaults(func=cmd_compare)

    p = _command(sub, "log", "balance history and unmatched exercises of a Strong or Hevy export")
    p.add_argument("export", help="the exported CSV file")
    p.add_argument("--units", choices=["kg", "lbs"], help="weight unit when the file does not say")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help=FORMAT_HELP)
    p.set_defaults(func=cmd_log)

    p = _command(sub, "fit", "fit the adaptation model to a workout-log export")
    p.add_argument("export", help="the exported CSV file (Strong, Hevy, FitNotes, Liftosaur)")
    p.add_argument(
        "--model",
        choices=["size_neural", "banister"],
        default="size_neural",
        help="size_neural: the default model, jointly over every tested lift (cl.fit_athlete); "
        "banister: the open-loop model on one lift (cl.fit)",
    )
    p.add_argument(
        "--exercise",
        help="the lift, as logged or a catalogue id (default: every tested lift; banister: the most tested)",
    )
    p.add_argument("--units", choices=["kg", "lbs"], help="weight unit when the file does not say")
    p.add_argument("--max-reps", type=int, default=10, help="most reps to failure of a test set (0: any)")
    p.add_argument(
        "--bootstrap", type=int, default=200, help="banister: bootstrap resamples for the intervals"
    )
    p.add_argument("--seed", type=int, default=0, help="banister: seed of the bootstrap")
    p.add_argument(
        "--no-validate", dest="validate", action="store_false", help="skip out-of-sample validation"
    )
    p.add_argument("--format", choices=["table", "json"], default="table", help=FORMAT_HELP)
    p.set_defaults(func=cmd_fit)

    p = _command(sub, "sweep", "program variants x a virtual-athlete population, from a TOML spec")
    p.add_argument(
        "spec",
        help="sweep spec TOML (program, weeks, model, [population], [vary], objectives) or a shipped name",
    )
    p.add_argument("--out", help="write the outcomes here as Parquet, partitioned by variant")
    p.add_argument("--trajectories", help="stream weekly per-muscle trajectories to this folder")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help=FORMAT_HELP)
    p.set_defaults(func=cmd_sweep)

    p = _command(sub, "validate", "run the validation suite (VALIDATION.md's findings); exit 1 if any fails")
    p.add_argument("--ids", nargs="*", help="finding ids (default: all), e.g. VOL-3 DET-3")
    p.add_argument(
        "--model", default=None, help="model (default: the default model; banister, busso, saturating)"
    )
    p.add_argument("-n", type=int, default=None, help="athletes per trial (default: each file's)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help=FORMAT_HELP)
    p.set_defaults(func=cmd_validate)

    p = _command(sub, "suggest", "the smallest edit of a program that brings every balance into its band")
    p.add_argument("program", help="program TOML file, or a shipped example name")
    p.add_argument("--athlete", help="athlete TOML; default: the default athlete")
    p.add_argument(
        "--window", type=_whole(1, 520), default=4, help="the last weeks whose mean week is balanced"
    )
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help=FORMAT_HELP)
    p.set_defaults(func=cmd_suggest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    # --debug anywhere on the line (before or after the subcommand); "--" ends the options.
    end = argv.index("--") if "--" in argv else len(argv)
    debug = "--debug" in argv[:end]
    argv = [a for i, a in enumerate(argv) if not (i < end and a == "--debug")]
    args = parser.parse_args(argv)
    args.debug = debug
    try:
        return int(args.func(args))
    except BrokenPipeError:  # output piped into `head`: not an error
        sys.stdout = open("/dev/null", "w")
        return 0
    except KeyboardInterrupt:
        print("chainload: interrupted", file=sys.stderr)
        return 130
    except (Error, OSError, ValueError, KeyError, TypeError) as e:
        if debug:
            raise
        name = getattr(e, "filename", None)
        text = str(e) if not (isinstance(e, OSError) and name and str(name) not in str(e)) else f"{name}: {e}"
        print(f"chainload: error: {text}", file=sys.stderr)
        return 1
    except Exception as e:  # a bug: still no traceback unless asked for
        if debug:
            raise
        print(
            f"chainload: internal error: {type(e).__name__}: {e} (run with --debug for the traceback)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

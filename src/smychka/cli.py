"""The command line: a thin layer over the Python API.

    smychka run history --households 20000 --set marketing.hoarding_goods=0.8 \\
        --lever procurement_price 1928-07=1.2 --lever private_trade 1928-01=0.8

Bad input (an unknown key, a malformed date, a value out of bounds) ends in one line
`error: ...` on stderr and exit code 2, with nothing written.
"""
from __future__ import annotations

import contextlib

import calendar as _months
import os
import shutil
import uuid
from datetime import datetime
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer.core import TyperCommand, TyperGroup

from . import __version__, api
from .core import params as _params
from .core.levers import LEVERS, check_lever, check_value
from .analysis.workers import worker_count
from .errors import InputError
from .scenarios.loader import builtin_scenarios, load_scenario


class _Group(TyperGroup):
    """Turns InputError from any command into one line on stderr and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as e:
            typer.echo(f"error: {e}", err=True)
            ctx.exit(2)


class _RunCommand(TyperCommand):
    """`--lever NAME DATE=VALUE` takes two tokens; they are joined into one before parsing
    so that a plain repeatable option carries them."""

    def parse_args(self, ctx, args):
        return super().parse_args(ctx, _join_lever_tokens(list(args)))


def _join_lever_tokens(args: list[str]) -> list[str]:
    out, i = [], 0
    while i < len(args):
        tok = args[i]
        if tok == "--":
            return out + args[i:]
        if tok == "--lever" and i + 2 < len(args):
            out += [tok, f"{args[i + 1]} {args[i + 2]}"]
            i += 3
        elif tok.startswith("--lever=") and i + 1 < len(args):
            out.append(f"{tok} {args[i + 1]}")
            i += 2
        else:
            out.append(tok)
            i += 1
    return out


app = typer.Typer(cls=_Group, no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False,
                  help="smychka: the Soviet countryside 1924-1934, household by household.")


def _show_version(value: bool):
    if value:
        typer.echo(f"smychka {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_show_version,
                                       is_eager=True, help="Show the version and exit.")):
    """smychka: the Soviet countryside 1924-1934, household by household."""


_SCENARIO_HELP = "A built-in name or a TOML file."
WORKERS_HELP = ("Processes running the seeds side by side (default 1; e.g. the number of "
                "cores). Results do not depend on it; each process holds a run in memory.")


@app.command(cls=_RunCommand)
def run(scenario: str = typer.Argument(..., metavar="SCENARIO", help=_SCENARIO_HELP),
        households: Optional[int] = typer.Option(None, "--households", "-n",
                                                 help="Households to simulate."),
        seed: Optional[int] = typer.Option(None, "--seed", help="Random seed."),
        seeds: Optional[int] = typer.Option(
            None, "--seeds", metavar="K",
            help="An ensemble of K runs, seeds from --seed on (default the scenario's); "
                 "results get a seed dimension, the report medians and 5-95 % bands."),
        out: Optional[Path] = typer.Option(None, "--out", help="Output folder "
                                           "(default runs/<scenario>-<timestamp>)."),
        set_: Optional[list[str]] = typer.Option(None, "--set", metavar="PARAM=VALUE",
                                                 help="Override a parameter; repeatable."),
        params_file: Optional[Path] = typer.Option(
            None, "--params", metavar="FILE",
            help="TOML table of parameter values (e.g. calibrated.toml); --set wins."),
        lever: Optional[list[str]] = typer.Option(
            None, "--lever", metavar="NAME DATE=VALUE",
            help="Set a lever from a month on, e.g. --lever procurement_price 1928-07=1.2; "
                 "repeatable."),
        fork_at: Optional[str] = typer.Option(
            None, "--fork-at", metavar="YYYY-MM",
            help="Run the scenario as it is up to this month, then continue the same world "
                 "with the --set and --lever changes."),
        workers: Optional[int] = typer.Option(None, "--workers", "-j", metavar="N",
                                              help="With --seeds: " + WORKERS_HELP),
        quiet: bool = typer.Option(False, "--quiet", "-q",
                                   help="No progress bar and no summary table.")):
    """Simulate a scenario; write results.nc and the report into the output folder."""
    base = load_scenario(scenario, households=households, seed=seed)
    params, levers = _parse_sets(set_ or []), _parse_levers(lever or [])
    if params_file is not None:
        from .analysis.calibrate import read_params_file
        params = {**read_params_file(params_file), **params}
    sc = base.with_overrides(params=params, levers=levers)
    if seeds is not None and seeds < 1:
        raise InputError("--seeds", f"{seeds} runs", "a number of runs >= 1")
    worker_count(workers, seeds or 1, key="--workers")
    if workers is not None and seeds is None:
        raise InputError("--workers", "given without --seeds",
                         "--seeds K as well: workers run the seeds of an ensemble")
    runs = ({"seed": sc.seed} if seeds is None or seeds == 1
            else {"seeds": list(range(sc.seed, sc.seed + seeds)), "workers": workers})
    if fork_at is not None:
        base.calendar().index_of(fork_at, "--fork-at")
    out_dir = out or Path("runs") / f"{sc.name}-{datetime.now():%Y%m%d-%H%M%S}"
    _check_out_dir(out_dir)
    if fork_at is None:
        ds = api.run(sc, households=sc.households, progress=not quiet, **runs)
    else:
        ds = api.run(base, households=sc.households, params=params,
                     levers=levers, fork_at=fork_at, progress=not quiet, **runs)
    from . import report
    _write_outputs(ds, out_dir, report.write_report)
    if not quiet:
        report.print_summary(ds)
    typer.echo(f"results in {out_dir}")


def _parse_sets(items: list[str]) -> dict[str, float]:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError("--set", f"{item!r} is not PARAM=VALUE",
                             "e.g. --set marketing.hoarding_goods=0.8")
        out[name] = _params.check_param(name, value.strip(), f"params.{name}")
    return out


def _parse_levers(items: list[str]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for item in items:
        name, _, rest = item.strip().partition(" ")
        date, sep, value = rest.strip().partition("=")
        date = date.strip()
        if not sep or not name or not date:
            raise InputError("--lever", f"{item!r} is not NAME DATE=VALUE",
                             "e.g. --lever procurement_price 1928-07=1.2")
        check_lever(name, f"levers.{name}")
        key = f"levers.{name}.{date}"
        out.setdefault(name, {})[date] = check_value(name, value.strip(), key)
    return out


def _check_out_dir(out_dir: Path) -> None:
    """Refuse before simulating, not after: results never mix with an earlier run's."""
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise InputError("--out", f"{out_dir} already exists and is not an empty folder",
                         "a new or empty folder")


@contextlib.contextmanager
def _partial_folder(out_dir: Path):
    """A hidden sibling folder to write into, renamed to `out_dir` when the block ends, so a
    failure or an interruption leaves no half-written results behind."""
    created = _make_folders(out_dir.parent)
    tmp = out_dir.parent / f".{out_dir.name}.{uuid.uuid4().hex[:8]}.partial"
    tmp.mkdir()  # not mkdtemp: the folder keeps the user's usual permissions
    try:
        yield tmp
        if out_dir.exists():  # an empty folder named with --out
            out_dir.rmdir()
        os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        for folder in created:
            _remove_if_empty(folder)
        raise


def _write_outputs(ds, out_dir: Path, write_report) -> None:
    """results.nc and the report, written all or nothing."""
    with _partial_folder(out_dir) as tmp:
        part = tmp / "results.nc.part"
        ds.to_netcdf(part, engine="h5netcdf")
        os.replace(part, tmp / "results.nc")
        write_report(ds, tmp)


def _make_folders(folder: Path) -> list[Path]:
    """Create `folder` and missing parents; return those created, deepest first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for f in reversed(missing):
        f.mkdir()
    return missing


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def _table(title: str, *columns: str) -> Table:
    """Nothing is cut off: names keep one line, prose wraps, long words fold."""
    table = Table(title=title)
    for i, col in enumerate(columns):
        table.add_column(col, no_wrap=i == 0, overflow="fold")
    return table


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1e5 else f"{x:g}"


@app.command()
def scenarios(verbose: bool = typer.Option(False, "--verbose", "-v",
                                           help="Also the run span and lever notes.")):
    """List the built-in scenarios, one line each."""
    names = builtin_scenarios()
    width = max(map(len, names), default=0)
    for name, description in names.items():
        typer.echo(f"{name:<{width}}  {description}")
        if verbose:
            sc = load_scenario(name)
            typer.echo(f"{'':<{width}}  {sc.start} to {sc.end}, {sc.households:,} households, "
                       f"seed {sc.seed}, {sc.weather} weather")
            for lever, note in sc.notes.items():
                typer.echo(f"{'':<{width}}    {lever}: {note}")


@app.command()
def levers(scenario: Optional[str] = typer.Argument(
        None, metavar="SCENARIO", help="Show this scenario's dated schedules and notes.")):
    """Every lever: meaning, unit, default, bounds; or one scenario's schedules."""
    console = Console()
    if scenario is None:
        table = _table("Levers", "lever", "meaning", "unit", "default", "bounds", "set per")
        for lv in LEVERS.values():
            table.add_row(lv.name, lv.meaning, lv.unit, _num(lv.default),
                          f"{_num(lv.bounds[0])} to {_num(lv.bounds[1])}",
                          "agricultural year" if lv.annual else "month")
        console.print(table)
        return
    sc = load_scenario(scenario)
    table = _table(f"Levers of {sc.name} ({sc.start} to {sc.end})",
                   "lever", "from", "value", "unit")
    for name, lv in LEVERS.items():
        sched = sc.levers.get(name, {})
        if sc.start not in sched:  # the default holds until the first dated entry
            sched = {sc.start: lv.default, **sched}
        for i, (month, value) in enumerate(sched.items()):
            table.add_row(name if i == 0 else "", month, f"{value:g}",
                          lv.unit if i == 0 else "", end_section=i == len(sched) - 1)
    console.print(table)
    for name, note in sc.notes.items():
        console.print(f"[bold]{name}[/bold]: {escape(note)}", highlight=False)


@app.command("params")
def params_(process: Optional[str] = typer.Argument(None, metavar="PROCESS",
                                                   help="Only this process.")):
    """The parameter schema: meaning, unit, default, bounds, source."""
    reg = _params.registry()
    processes = list(dict.fromkeys(p.process for p in reg.values()))
    if process is not None and process not in processes:
        raise InputError("process", f"unknown process {process!r}", ", ".join(processes))
    table = _table("Parameters", "parameter", "meaning", "unit", "default", "bounds",
                   "source", "calibrated")
    for p in reg.values():
        if process is None or p.process == process:
            table.add_row(p.name, p.meaning, p.unit, _num(p.default),
                          f"{_num(p.bounds[0])} to {_num(p.bounds[1])}", p.source,
                          "yes" if p.calibrate else "no")
    Console().print(table)


@app.command()
def plan(scenario: str = typer.Argument(..., metavar="SCENARIO", help=_SCENARIO_HELP)):
    """The step plan: each month's phases and processes, in order."""
    from .core.plan import step_plan

    sc = load_scenario(scenario)
    table = _table(f"Step plan of {sc.name} ({sc.start} to {sc.end})",
                   "phase", "process", "months", "what it does")
    for step in step_plan():
        months = ", ".join(_months.month_abbr[m] for m in step.months) or "every month"
        table.add_row(str(step.phase), step.process, months, step.doc)
    Console().print(table)


# The experiment and validation commands live in their own modules; each adds its commands
# to `app` when imported.
from . import cli_experiments, cli_validation  # noqa: E402,F401

"""Commands for experiments across scenarios: compare, attribute.

    smychka compare history nep-continued left-opposition --seeds 5 --households 20000
    smychka attribute history nep-continued --seeds 3 --households 20000 --end 1930-06 \\
        --families

Both run every scenario with the same seeds (common random numbers), write their results
into a new folder (atomically: nothing half-written is left behind) and print the main
table. Bad input ends in one line on stderr and exit code 2.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from .analysis.attribute import FAMILIES
from .analysis.workers import worker_count
from .cli import WORKERS_HELP, _check_out_dir, _partial_folder, app
from .errors import InputError

_SPAN_HELP = "Run only from START to END (YYYY-MM YYYY-MM)."
_END_HELP = "Run only up to this month (YYYY-MM), e.g. 1930-06."


def _span(span: Optional[tuple[str, str]], end: Optional[str]) -> tuple[str | None, str | None]:
    """(start, end) overrides from --span and --end; they must agree when both are given."""
    start, stop = (span if span and span[0] is not None else (None, None))
    if end is not None:
        if stop is not None and stop != end:
            raise InputError("--end", f"{end} contradicts --span ending {stop}", "one of them")
        stop = end
    return start, stop


def _seeds(k: int) -> int:
    if k < 1:
        raise InputError("--seeds", f"{k} runs", "a number of runs >= 1")
    return k


def _console() -> Console:
    console = Console()
    return console if console.is_terminal else Console(width=160)


def _short(year: str) -> str:
    return year[2:] if len(year) == 7 else year


def _cell(stats) -> str:
    from .analysis.compare import cell
    median, lo, hi = (float(x) for x in stats)
    text = cell(median, lo, hi)
    return text.replace(" [", "\n[", 1)


@app.command()
def compare(scenarios: list[str] = typer.Argument(..., metavar="A B [C ...]",
                                                  help="Two or more scenarios: built-in "
                                                       "names or TOML files; A is the base."),
            seeds: int = typer.Option(5, "--seeds", "-k", metavar="K",
                                      help="Runs per scenario (seeds 1..K)."),
            households: Optional[int] = typer.Option(None, "--households", "-n",
                                                     help="Households to simulate "
                                                          "(default A's)."),
            out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default "
                                               "runs/compare-<timestamp>)."),
            span: Optional[tuple[str, str]] = typer.Option(None, "--span",
                                                           metavar="START END",
                                                           help=_SPAN_HELP),
            end: Optional[str] = typer.Option(None, "--end", metavar="YYYY-MM",
                                              help=_END_HELP),
            workers: int = typer.Option(1, "--workers", "-j", metavar="N",
                                        help=WORKERS_HELP),
            quiet: bool = typer.Option(False, "--quiet", "-q",
                                       help="No progress bar and no table.")):
    """Run scenarios on the same seeds; write compare.md, compare.nc and figures, and print
    the paired differences from A per agricultural year."""
    from .analysis.compare import compare as run_compare, load_all, write_comparison

    if len(scenarios) < 2:
        raise InputError("scenarios", f"{len(scenarios)} given", "two or more scenarios")
    start, stop = _span(span, end)
    load_all(scenarios, start, stop)   # bad names, spans or calendars fail before running
    k = _seeds(seeds)
    w = worker_count(workers, k, key="--workers")
    out_dir = out or Path("runs") / f"compare-{datetime.now():%Y%m%d-%H%M%S}"
    _check_out_dir(out_dir)
    ds = run_compare(scenarios, seeds=k, households=households, start=start, end=stop,
                     progress=not quiet, workers=w)
    with _partial_folder(out_dir) as tmp:
        write_comparison(ds, tmp)
    if not quiet:
        _print_differences(ds)
    typer.echo(f"results in {out_dir}")


def _print_differences(ds) -> None:
    """One table per other scenario: outcomes in rows, agricultural years in columns. The
    leading years in which the runs are identical are left out and named instead."""
    from .analysis.compare import WHOLE, difference_table, outcome_values

    console = _console()
    labels = [str(s) for s in ds["scenario"].values]
    values = outcome_values(ds)
    for other in labels[1:]:
        frame = difference_table(ds, labels[0], other, values=values)
        differs = [y for y in frame.index if (frame.loc[y].abs() > 0).any()]
        years = list(frame.index)
        if differs:
            years = years[years.index(differs[0]):]
        table = Table(title=f"{other} minus {labels[0]}: median of the paired differences "
                      "[5-95 %]", title_justify="left", header_style="bold")
        table.add_column("outcome", style="bold", no_wrap=True)
        for year in years:
            table.add_column(_short(year) if year != WHOLE else "whole run",
                             justify="right", overflow="fold")
        for o in dict.fromkeys(frame.columns.get_level_values(0)):
            table.add_row(o, *(_cell(frame.loc[y, o][["median", "p5", "p95"]])
                               for y in years))
        console.print(table)
        if years[0] != frame.index[0]:
            console.print(f"Identical before {years[0]}: the same seeds, the same policies.",
                          highlight=False)
    console.print("; ".join(f"{o}: {lab}" for o, lab in frame.attrs["labels"].items()),
                  style="dim", highlight=False)


def _parse_groups(items: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in items:
        name, sep, members = item.partition("=")
        names = [m.strip() for m in members.split(",") if m.strip()]
        if not sep or not name.strip() or not names:
            raise InputError("--group", f"{item!r} is not NAME=LEVER,LEVER",
                             "e.g. --group prices=procurement_price,goods_price")
        if name.strip() in out:
            raise InputError("--group", f"group {name.strip()} given twice", "distinct names")
        out[name.strip()] = names
    return out


@app.command()
def attribute(a: str = typer.Argument(..., metavar="A", help="The base scenario."),
              b: str = typer.Argument(..., metavar="B", help="The scenario compared to A."),
              seeds: int = typer.Option(3, "--seeds", "-k", metavar="K",
                                        help="Runs per coalition (seeds 1..K)."),
              households: Optional[int] = typer.Option(None, "--households", "-n",
                                                       help="Households to simulate "
                                                            "(default A's)."),
              out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default "
                                                 "runs/attribute-<timestamp>)."),
              span: Optional[tuple[str, str]] = typer.Option(None, "--span",
                                                             metavar="START END",
                                                             help=_SPAN_HELP),
              end: Optional[str] = typer.Option(None, "--end", metavar="YYYY-MM",
                                                help=_END_HELP),
              group: Optional[list[str]] = typer.Option(
                  None, "--group", metavar="NAME=LEVER,LEVER",
                  help="Treat these levers as one policy; repeatable. Differing levers in "
                       "no group are groups of their own."),
              families: bool = typer.Option(False, "--families",
                                            help="Group the levers by policy family: "
                                                 + ", ".join(FAMILIES) + "."),
              max_groups: int = typer.Option(8, "--max-groups", metavar="N",
                                             help="Refuse more groups than this (2^N runs "
                                                  "per seed)."),
              workers: int = typer.Option(1, "--workers", "-j", metavar="N",
                                          help=WORKERS_HELP),
              quiet: bool = typer.Option(False, "--quiet", "-q",
                                         help="No progress bar and no table.")):
    """Split B - A among the levers that differ (Shapley values on common random numbers);
    write attribute.md, attribute.nc and figures, and print the whole-run table."""
    from .analysis.attribute import (TOTAL, attribute as run_attribute, attribution_table,
                                     write_attribution)

    start, stop = _span(span, end)
    k = _seeds(seeds)
    w = worker_count(workers, k, key="--workers")
    if families and group:
        raise InputError("--families", "given with --group", "one of them")
    groups = "families" if families else _parse_groups(group or [])
    out_dir = out or Path("runs") / f"attribute-{datetime.now():%Y%m%d-%H%M%S}"
    _check_out_dir(out_dir)
    res = run_attribute(a, b, seeds=k, households=households, groups=groups,
                        max_groups=max_groups, start=start, end=stop, progress=not quiet,
                        workers=w)
    with _partial_folder(out_dir) as tmp:
        write_attribution(res, tmp)
    if not quiet:
        frame = attribution_table(res)
        names = list(dict.fromkeys(frame.columns.get_level_values(0)))
        table = Table(title=f"{res.attrs['b']} minus {res.attrs['a']}, whole run "
                      f"{res.attrs['start']} to {res.attrs['end']}: Shapley values, median "
                      "[5-95 %]", title_justify="left", header_style="bold")
        table.add_column("outcome", style="bold", no_wrap=True)
        for n in names:
            table.add_column(n, justify="right", style="bold" if n == TOTAL else None)
        for o in frame.index:
            table.add_row(o, *(_cell(frame.loc[o, n][["median", "p5", "p95"]])
                               for n in names))
        console = _console()
        console.print(table)
        groups_used = json.loads(res.attrs["groups"])
        console.print("; ".join(f"{g}: {', '.join(m)}" for g, m in groups_used.items()
                                if m != [g]) or "each group is one lever", style="dim",
                      highlight=False)
    typer.echo(f"results in {out_dir}")

"""Commands that confront the model with the record: validate, calibrate.

    smychka validate history --seeds 5 --households 100000 --out runs/validation
    smychka validate history --docs            # regenerate docs/validation.md
    smychka calibrate --budget small --out runs/calibration
    smychka calibrate --budget large --scheduler tcp://10.0.0.5:8786 --param marketing.sale_rate
"""
from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from .analysis.workers import worker_count
from .cli import WORKERS_HELP, _SCENARIO_HELP, _check_out_dir, _parse_sets
from .cli import _partial_folder, _write_outputs, app
from .errors import InputError
from .scenarios.loader import load_scenario


def _params(params_file: Optional[Path], sets: Optional[list[str]]) -> dict[str, float]:
    from .analysis.calibrate import read_params_file

    out = read_params_file(params_file) if params_file is not None else {}
    return {**out, **_parse_sets(sets or [])}


def _console() -> Console:
    console = Console()
    return console if console.is_terminal else Console(width=160)


@app.command()
def validate(
        scenario: str = typer.Argument("history", metavar="SCENARIO", help=_SCENARIO_HELP),
        seeds: int = typer.Option(5, "--seeds", "-k", help="Runs in the ensemble."),
        seed: Optional[int] = typer.Option(None, "--seed", help="First seed: the runs use "
                                           "seeds from it on (default the scenario's)."),
        households: Optional[int] = typer.Option(None, "--households", "-n",
                                                 help="Households per run."),
        out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default "
                                           "runs/validate-<scenario>-<timestamp>)."),
        params_file: Optional[Path] = typer.Option(None, "--params", metavar="FILE",
                                                   help="TOML table of parameter values."),
        set_: Optional[list[str]] = typer.Option(None, "--set", metavar="PARAM=VALUE",
                                                 help="Override a parameter; repeatable."),
        docs: bool = typer.Option(False, "--docs", help="Also regenerate docs/validation.md "
                                  "and docs/figures/validation/ (run from the project root)."),
        workers: int = typer.Option(1, "--workers", "-j", metavar="N", help=WORKERS_HELP),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress, no table.")):
    """Score an ensemble of runs against every historical series: a table, report.md with a
    figure per series, scores.csv and the ensemble's results.nc."""
    from .analysis.validate import validate as run_validation
    from .analysis.validate_report import print_table, write_docs, write_report

    if seeds < 1:
        raise InputError("--seeds", f"{seeds} runs", "1 or more")
    if seed is not None and seed < 0:
        raise InputError("--seed", f"{seed} is negative", "an integer >= 0")
    worker_count(workers, seeds, key="--workers")
    params = _params(params_file, set_)
    sc = load_scenario(scenario, params=params, households=households, seed=seed)
    out_dir = out or Path("runs") / f"validate-{sc.name}-{datetime.now():%Y%m%d-%H%M%S}"
    _check_out_dir(out_dir)
    if docs and not Path("docs").is_dir():
        raise InputError("--docs", "no docs folder here", "run from the project root")
    command = (f"smychka validate {scenario} --seeds {seeds}"
               + (f" --seed {seed}" if seed is not None else "")
               + f" --households {sc.households}"
               + (f" --params {params_file}" if params_file else "")
               + "".join(f" --set {s}" for s in set_ or []))
    v = run_validation(sc, seeds=seeds, households=sc.households, params=params,
                       progress=not quiet, workers=workers)
    _write_outputs(v.ds, out_dir, lambda ds, folder: write_report(v, folder, command))
    if docs:
        typer.echo(f"wrote {write_docs(v, Path('docs'), command + ' --docs')}")
    if not quiet:
        print_table(v, _console())
    typer.echo(f"report in {out_dir}")


def _summary_table(cal) -> Table:
    table = Table(title=f"Posterior after {len(cal.generations)} generations "
                        f"({cal.info['simulations']:,} simulations, {cal.seconds:.0f} s)",
                  title_justify="left", header_style="bold")
    summary = cal.summary()
    for col in summary.columns:
        table.add_column(col, justify="left" if col == "parameter" else "right",
                         no_wrap=col == "parameter")
    for _, r in summary.iterrows():
        table.add_row(r["parameter"], *(f"{x:.4g}" for x in r.iloc[1:]))
    return table


@app.command()
def calibrate(
        budget: str = typer.Option("small", "--budget", help="small (minutes on a laptop) "
                                   "or large (hours on a laptop; meant for a Dask cluster)."),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                                help="Dask scheduler to run particles on, "
                                                     "e.g. tcp://10.0.0.5:8786."),
        out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default "
                                           "runs/calibrate-<timestamp>)."),
        param: Optional[list[str]] = typer.Option(
            None, "--param", metavar="NAME",
            help="A behavioural parameter to calibrate; repeatable (default: the few that "
                 "matter most)."),
        scenario: str = typer.Option("history", "--scenario", help=_SCENARIO_HELP),
        households: Optional[int] = typer.Option(None, "--households", "-n",
                                                 help="Households per run (budget's)."),
        population: Optional[int] = typer.Option(None, "--population",
                                                 help="Particles per generation."),
        generations: Optional[int] = typer.Option(None, "--generations",
                                                  help="ABC-SMC generations."),
        runs: Optional[int] = typer.Option(None, "--runs", help="Runs averaged per particle."),
        workers: Optional[int] = typer.Option(None, "--workers",
                                              help="Local processes (default: every core)."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress output.")):
    """Approximate Bayesian computation (ABC-SMC) of behavioural parameters against the
    1924-1929 series: writes posterior.csv, generations.csv, targets.csv, summary.csv,
    checks.csv, abc.db and calibrated.toml (use it with `smychka run history --params`)."""
    from .analysis import calibrate as cal_mod

    for name, value in (("--households", households), ("--population", population),
                        ("--generations", generations), ("--runs", runs),
                        ("--workers", workers)):
        if value is not None and value < (100 if name == "--households" else 1):
            raise InputError(name, f"{value} is too small",
                             "100 or more" if name == "--households" else "1 or more")
    if budget not in cal_mod.BUDGETS:
        raise InputError("--budget", f"unknown budget {budget!r}", ", ".join(cal_mod.BUDGETS))
    names = cal_mod.check_params(param)
    load_scenario(scenario)
    out_dir = out or Path("runs") / f"calibrate-{datetime.now():%Y%m%d-%H%M%S}"
    _check_out_dir(out_dir)
    try:
        cal_mod._import_pyabc()
    except cal_mod.MissingExtra as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1) from None
    with _partial_folder(out_dir) as tmp:
        t0 = time.perf_counter()
        cal = cal_mod.calibrate(scenario, names, budget, scheduler=scheduler, folder=tmp,
                                households=households, population=population,
                                generations=generations, runs=runs, workers=workers,
                                progress=not quiet)
        cal.info["total_seconds"] = time.perf_counter() - t0
        cal.write(tmp)
    if not quiet:
        _console().print(_summary_table(cal))
    typer.echo(f"calibrated parameters in {out_dir / 'calibrated.toml'}")


@app.command()
def search(
        param: Optional[list[str]] = typer.Option(
            None, "--param", metavar="NAME",
            help="A parameter to search; repeatable (default: every behavioural parameter)."),
        scenario: str = typer.Option("history", "--scenario", help=_SCENARIO_HELP),
        params_file: Optional[Path] = typer.Option(None, "--params", metavar="FILE",
                                                   help="Start from these values (TOML)."),
        evaluations: int = typer.Option(200, "--evaluations", help="Candidates to run."),
        seconds: Optional[float] = typer.Option(None, "--seconds",
                                                help="Stop after this long."),
        households: int = typer.Option(20_000, "--households", "-n",
                                       help="Households per run."),
        seeds: int = typer.Option(2, "--seeds", "-k", help="Runs per candidate."),
        rng_seed: int = typer.Option(0, "--rng-seed", help="Seed of the search's steps."),
        out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default "
                                           "runs/search-<timestamp>)."),
        workers: int = typer.Option(1, "--workers", "-j", metavar="N",
                                    help="Processes running each candidate's seeds side by "
                                         "side, started once (default 1). Results do not "
                                         "depend on it."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress output.")):
    """A point search of parameters against the 1924-1929 record (the distance of `validate`,
    with no mass famine before 1929): writes trace.csv and search.toml (use it with
    `smychka run history --params`)."""
    from .analysis import search as search_mod

    for name, value, least in (("--evaluations", evaluations, 1), ("--households", households,
                                                                   100), ("--seeds", seeds, 1)):
        if value < least:
            raise InputError(name, f"{value} is too small", f"{least} or more")
    worker_count(workers, seeds, key="--workers")
    start = _params(params_file, None)
    load_scenario(scenario)
    out_dir = out or Path("runs") / f"search-{datetime.now():%Y%m%d-%H%M%S}"
    _check_out_dir(out_dir)
    with _partial_folder(out_dir) as tmp:
        result = search_mod.search(scenario, param, start=start, households=households,
                                   seeds=seeds, evaluations=evaluations, seconds=seconds,
                                   rng_seed=rng_seed, progress=not quiet, workers=workers)
        result.write(tmp)
    typer.echo(f"distance {result.trace['distance'].iloc[0]:.4g} -> {result.distance:.4g} "
               f"({result.info['counts']}); parameters in {out_dir / 'search.toml'}")

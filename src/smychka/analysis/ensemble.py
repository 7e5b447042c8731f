"""Ensembles and paired runs.

An ensemble is one scenario run under several seeds, stacked along a `seed` dimension whose
coordinate holds the seeds; the report summarises it as the median and the 5-95 % band.

    ds = run_ensemble("history", seeds=5, households=20_000)   # seeds 1..5

Paired runs (`run_branches`) are several scenarios run with the same seed. Random draws
depend only on (seed, stream, month, household slot), so such runs differ only by their
policies, and they are identical until the first month a policy differs. That common stretch
is simulated once and the world copied for each scenario.
"""
from __future__ import annotations

import copy
import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from ..errors import InputError
from ..scenarios.loader import Scenario, load_scenario
from .workers import kernels_for, map_seeds, worker_count

SEED = "seed"
AG_YEAR_START = 7  # July


def seed_list(seeds: int | Sequence[int], first: int = 1, key: str = "seeds") -> list[int]:
    """A number of runs K means the seeds first..first+K-1; a list is taken as it is."""
    if isinstance(seeds, bool):
        raise InputError(key, f"{seeds!r} is not a number of runs", "an integer >= 1 or a list")
    if isinstance(seeds, (int, np.integer)):
        if seeds < 1:
            raise InputError(key, f"{seeds} runs", "a number of runs >= 1")
        return list(range(int(first), int(first) + int(seeds)))
    try:
        out = [int(s) for s in seeds]
    except (TypeError, ValueError):
        raise InputError(key, f"{seeds!r} is not a list of seeds",
                         "an integer >= 1 or a list of integers >= 0") from None
    if not out:
        raise InputError(key, "no seeds given", "at least one seed")
    if min(out) < 0:
        raise InputError(key, f"seed {min(out)} is negative", "integers >= 0")
    if len(set(out)) != len(out):
        raise InputError(key, "a seed is repeated", "distinct seeds")
    return out


def stack_seeds(runs: Sequence[xr.Dataset], seeds: Sequence[int]) -> xr.Dataset:
    """Runs that differ by seed, stacked along `seed`. The attributes are the first run's,
    with `seeds` (all of them) in place of `seed`."""
    ds = xr.concat(list(runs), dim=pd.Index(list(seeds), name=SEED), combine_attrs="override")
    attrs = {k: v for k, v in runs[0].attrs.items() if k != "seed"}
    ds.attrs = {**attrs, "seeds": list(seeds)}
    return ds


@contextmanager
def progress_bar(total: int, description: str, enabled: bool = True):
    """A rich progress bar counting runs; yields a function that advances it (by one, or by
    the number of runs given)."""
    if not enabled:
        yield lambda runs=1: None
        return
    from rich.progress import Progress
    with Progress(transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda runs=1: bar.update(task, advance=runs)


def run_ensemble(scenario: str | Path | Scenario, seeds: int | Sequence[int] = 5, *,
                 households: int | None = None, params: dict[str, float] | None = None,
                 levers: dict[str, dict[str, float]] | None = None,
                 fork_at: str | None = None, progress: bool = False,
                 parallel: bool | None = None, workers: int | None = None) -> xr.Dataset:
    """Run a scenario once per seed and stack the results along a `seed` dimension.

    `seeds` is a number of runs K (seeds 1..K) or a list of seeds; the other arguments are
    those of `smychka.run`, applied to every run. `workers`: local processes running seeds
    side by side (default 1; see `analysis.workers`); the results do not depend on it."""
    seeds = seed_list(seeds)
    n = worker_count(workers, len(seeds))
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    each = {"households": households, "params": params, "levers": levers, "fork_at": fork_at}
    with progress_bar(len(seeds), f"{sc.name}: {len(seeds)} seeds", progress) as advance:
        if n > 1:
            # the overrides and the fork month are checked here, before any worker starts
            # (what only a run can check, such as the household count, comes back from it)
            sc.with_overrides(params=params, levers=levers)
            if fork_at is not None:
                sc.calendar().index_of(fork_at, "fork_at")
            job = functools.partial(_run_seed, scenario=sc, parallel=kernels_for(parallel, n),
                                    **each)
            runs = map_seeds(job, seeds, n, advance)
        else:
            runs = []
            for s in seeds:
                runs.append(_run_seed(s, sc, parallel=parallel, **each))
                advance()
    return stack_seeds(runs, seeds)


def _run_seed(seed: int, scenario: Scenario, **kwargs) -> xr.Dataset:
    """One member of an ensemble, as a worker process runs it."""
    from .. import api

    return api.run(scenario, seed=seed, **kwargs)


def same_calendar(scenarios: Sequence[Scenario], key: str = "scenarios") -> None:
    """Paired runs must cover the same months."""
    first = scenarios[0]
    for sc in scenarios[1:]:
        if (sc.start, sc.end) != (first.start, first.end):
            raise InputError(key, f"{sc.name} runs {sc.start} to {sc.end} but {first.name} "
                             f"runs {first.start} to {first.end}",
                             "scenarios over the same months (set a common span)")


def divergence_step(scenarios: Sequence[Scenario]) -> int:
    """The step up to which every scenario simulates the same world.

    Scenarios that differ in anything but lever schedules differ from the start. Otherwise
    the common stretch ends at the July opening the agricultural year of the first month a
    lever differs (a process may look ahead within the year, e.g. over the months of a
    levy); identical scenarios share the whole run."""
    first = scenarios[0]
    cal = first.calendar()
    for sc in scenarios[1:]:
        if ((sc.start, sc.end, sc.weather) != (first.start, first.end, first.weather)
                or sc.params != first.params):
            return 0
    base = first.lever_arrays()
    t = cal.n_months
    for sc in scenarios[1:]:
        for name, arr in sc.lever_arrays().items():
            differs = np.flatnonzero(arr != base[name])
            if differs.size:
                t = min(t, int(differs[0]))
    if t == cal.n_months:
        return t
    while t > 0 and cal.month_of_year(t) != AG_YEAR_START:
        t -= 1
    return t


def run_branches(scenarios: Sequence[Scenario], seed: int, households: int | None = None,
                 parallel: bool | None = None, share: bool = True) -> Iterator[xr.Dataset]:
    """Yield the results of each scenario run with the same seed, in order.

    With `share`, the months before the scenarios diverge (`divergence_step`) are simulated
    once and the world is copied for each scenario; the results are the same as from
    separate runs, only faster."""
    from ..core.simulation import Simulation

    scenarios = list(scenarios)
    same_calendar(scenarios)
    fork = divergence_step(scenarios) if share else 0
    if fork == 0:
        for sc in scenarios:
            yield Simulation(sc, households=households, seed=seed, parallel=parallel).run()
        return
    trunk = Simulation(scenarios[0], households=households, seed=seed, parallel=parallel)
    while trunk.world.t < fork:
        trunk.step()
    for sc in scenarios:
        branch = copy.deepcopy(trunk)
        branch.switch(sc)
        yield branch.run()


def branch_runs(seed: int, scenarios: Sequence[Scenario], households: int | None = None,
                parallel: bool | None = None, share: bool = True,
                advance=lambda: None) -> list[xr.Dataset]:
    """`run_branches` for one seed, as a list (what a worker process sends back); `advance`
    is called after each run."""
    runs = []
    for ds in run_branches(scenarios, seed, households, parallel, share):
        runs.append(ds)
        advance()
    return runs

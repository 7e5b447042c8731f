"""The public Python API. The CLI, the report and the experiment tools are thin layers over it.

    ds = smychka.run("history", households=50_000, seed=1,
                     params={"marketing.hoarding_goods": 0.8},
                     levers={"procurement_price": {"1928-07": 1.2}})
"""
from __future__ import annotations

from pathlib import Path

import xarray as xr

from .errors import InputError
from .scenarios.loader import Scenario, load_scenario


def run(scenario: str | Path | Scenario = "history", *, households: int | None = None,
        seed: int | None = None, params: dict[str, float] | None = None,
        levers: dict[str, dict[str, float]] | None = None, progress: bool = False,
        parallel: bool | None = None, fork_at: str | None = None,
        seeds: int | list[int] | None = None, workers: int | None = None) -> xr.Dataset:
    """Simulate a scenario and return its results (an xarray.Dataset, see interfaces.md).

    `scenario` is a built-in name, a TOML path, or a loaded Scenario; `params` and `levers`
    override it (validated: bad input raises InputError naming the key). `parallel` picks the
    multi-threaded kernels (default: from 200,000 households up); results are the same.

    `fork_at` ("YYYY-MM"): simulate the scenario as it is up to that month, then continue the
    same world with `params` and `levers` applied (what if, from then on, ...?).

    `seeds` (a number of runs K, meaning seeds 1..K, or a list of seeds): an ensemble, one
    run per seed stacked along a `seed` dimension; `seed` must then be left out. `workers`:
    processes running the seeds side by side (default 1; the results do not depend on it;
    a script asking for more than one must guard its top level with
    `if __name__ == "__main__":`)."""
    from .analysis.workers import worker_count
    from .core.simulation import Simulation

    worker_count(workers, 1)    # a bad value is an error even where it would not be used
    if seeds is not None:
        if seed is not None:
            raise InputError("seeds", "both seed and seeds given", "one of them")
        from .analysis.ensemble import run_ensemble
        return run_ensemble(scenario, seeds, households=households, params=params,
                            levers=levers, fork_at=fork_at, progress=progress,
                            parallel=parallel, workers=workers)
    if workers is not None and workers > 1:
        raise InputError("workers", f"{workers} for a single run",
                         "seeds as well (workers run the seeds of an ensemble)")

    base = load_scenario(scenario) if not isinstance(scenario, Scenario) else scenario
    branch = base.with_overrides(params=params, levers=levers)
    if fork_at is None:
        sim = Simulation(branch, households=households, seed=seed, parallel=parallel)
        return sim.run(progress=progress)
    t_fork = base.calendar().index_of(fork_at, "fork_at")
    sim = Simulation(base, households=households, seed=seed, parallel=parallel)
    sim.run(until=t_fork, progress=progress)
    sim.switch(branch)
    ds = sim.run(progress=progress)
    ds.attrs["fork_at"] = fork_at
    ds.attrs["trunk_scenario_toml"] = base.to_toml()
    return ds

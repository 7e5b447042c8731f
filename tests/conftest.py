"""Shared fixtures: one small compiled run of the history scenario for the whole session, fresh
worlds to drive single processes on, and a helper that runs a simulation in a child process
(for environment variables that numba reads only at start-up)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import smychka
from smychka.core.simulation import Simulation
from smychka.scenarios.loader import load_scenario

SMALL_HOUSEHOLDS = 3_000
SMALL_SEED = 1
SMALL_START, SMALL_END = "1924-07", "1927-06"


@pytest.fixture(scope="session")
def small_scenario():
    """The history scenario cut to three agricultural years, 1924/25-1926/27."""
    return load_scenario("history").with_overrides(start=SMALL_START, end=SMALL_END)


@pytest.fixture(scope="session")
def small_run(small_scenario) -> xr.Dataset:
    """The base run every comparison starts from: 3,000 households, seed 1."""
    return smychka.run(small_scenario, households=SMALL_HOUSEHOLDS, seed=SMALL_SEED)


@pytest.fixture(scope="session")
def run_small(small_scenario):
    """Run the small scenario with other params, levers or seed (cached per session)."""
    cache: dict[str, xr.Dataset] = {}

    def run(seed: int = SMALL_SEED, params: dict | None = None, levers: dict | None = None,
            households: int = SMALL_HOUSEHOLDS) -> xr.Dataset:
        key = json.dumps([seed, params, levers, households], sort_keys=True)
        if key not in cache:
            cache[key] = smychka.run(small_scenario, households=households, seed=seed,
                                     params=params, levers=levers)
        return cache[key]

    return run


@pytest.fixture
def new_sim(small_scenario):
    """A fresh Simulation of the small scenario (nothing stepped yet)."""

    def make(households: int = SMALL_HOUSEHOLDS, seed: int = SMALL_SEED, params=None,
             levers=None, **fields) -> Simulation:
        sc = small_scenario.with_overrides(params=params, levers=levers, **fields)
        return Simulation(sc, households=households, seed=seed)

    return make


def month_index(ds: xr.Dataset, month: str) -> int:
    """Index of 'YYYY-MM' on the dataset's time axis."""
    hits = np.nonzero(ds.time.values == np.datetime64(f"{month}-01", "ns"))[0]
    assert len(hits) == 1, f"{month} is not a month of the run"
    return int(hits[0])


def differing_variables(a: xr.Dataset, b: xr.Dataset, time=slice(None)) -> list[str]:
    """Names of the variables that are not exactly equal (NaN equals NaN) over `time`."""
    assert set(a.data_vars) == set(b.data_vars), "the datasets hold different variables"
    out = []
    for name in sorted(a.data_vars):
        x = a[name].isel(time=time).values
        y = b[name].isel(time=time).values
        if x.shape != y.shape or not np.array_equal(x, y, equal_nan=True):
            out.append(name)
    return out


_CHILD = textwrap.dedent("""
    import json, sys, warnings
    import numpy as np
    warnings.simplefilter("ignore")
    import smychka.core.rng as rng
    if not hasattr(rng.mix64, "py_func"):   # plain Python (NUMBA_DISABLE_JIT=1): see test_nojit
        rng.mix64.py_func = rng.mix64
    from smychka.core.simulation import Simulation
    from smychka.scenarios.loader import load_scenario
    out, households, seed, start, end, chunk, parallel, params = sys.argv[1:9]
    sc = load_scenario("history").with_overrides(start=start, end=end, params=json.loads(params))
    kw = {} if parallel == "auto" else {"parallel": parallel == "1"}
    sim = Simulation(sc, households=int(households), seed=int(seed), **kw)
    if int(chunk) > 0:
        sim.world.chunk = int(chunk)
    with np.errstate(over="ignore"):
        ds = sim.run()
    ds.to_netcdf(out, engine="h5netcdf")
""")


def run_child(out: Path, households: int, *, seed: int = 1, start: str = "1924-07",
              end: str = "1925-06", chunk: int = 0, parallel: bool | None = None,
              env: dict | None = None, params: dict | None = None,
              timeout: float = 900) -> xr.Dataset:
    """Run a simulation in a fresh interpreter with extra environment variables; the results
    come back through a netCDF file. `chunk` > 0 sets the households per kernel chunk, so
    that a small population spreads over several chunks (and threads); `parallel` picks the
    multi-threaded or the serial kernels (None: the engine's choice by size); `params`
    overrides parameters of the scenario."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(out), str(households), str(seed), start, end,
         str(chunk), "auto" if parallel is None else str(int(parallel)),
         json.dumps(params or {})],
        env=full_env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"child run failed:\n{proc.stderr[-3000:]}"
    return xr.load_dataset(out, engine="h5netcdf")


def advance_to(sim: Simulation, month: str) -> None:
    """Step `sim` until `month` ('YYYY-MM') is the next month to run."""
    target = sim.world.cal.index_of(month)
    assert target >= sim.world.t, f"{month} is already past"
    with np.errstate(over="ignore"):
        sim.run(until=target)


def run_plan_until(sim: Simulation, process: str, *, inclusive: bool = False) -> None:
    """Run this month's processes in plan order up to `process` (excluded unless
    `inclusive`), leaving the month open so a test can call that process itself."""
    w = sim.world
    month = w.cal.month_of_year(w.t)
    names = [s.process for s in sim.plan]
    assert process in names, f"{process} is not in the step plan"
    with np.errstate(over="ignore"):
        for s in sim.plan:
            if s.process == process and not inclusive:
                return
            if s.runs_in(month):
                s.callable()(w, sim.recorder)
            if s.process == process:
                return


HISTORY_HOUSEHOLDS = 20_000


@pytest.fixture(scope="session")
def decade():
    """Whole runs of 1924-1934 (20,000 households, seed 1), cached per session by
    (scenario, params, levers, fork)."""
    cache: dict[str, xr.Dataset] = {}

    def run(scenario: str = "history", params: dict | None = None, levers: dict | None = None,
            fork_at: str | None = None, end: str | None = None) -> xr.Dataset:
        key = json.dumps([scenario, params, levers, fork_at, end], sort_keys=True)
        if key not in cache:
            sc = load_scenario(scenario, end=end)
            cache[key] = smychka.run(sc, households=HISTORY_HOUSEHOLDS, seed=1, params=params,
                                     levers=levers, fork_at=fork_at)
        return cache[key]

    return run


def draught_area(world, idx) -> np.ndarray:
    """Hectares the farms `idx` can plough with their horses, or without one by hire: the
    kernels' `draught_area`, recomputed for checking them."""
    from smychka.kernels.common import hire_area
    from smychka.processes.sowing import capacity_params
    _, per_horse, hire, _, _ = capacity_params(world.params, world.streams)
    horses = world.hh.horses[idx].astype(float)
    return np.where(horses > 0, horses * per_horse, [hire_area(*hire, i) for i in idx])


def assert_village_market_clears(world, traded: np.ndarray, rtol: float) -> None:
    """What households took in (`traded` > 0) equals what they gave out (< 0) in every
    village: a village market's two sides."""
    v = world.villages
    for k in range(v.n):
        s = traded[v.first[k]: v.first[k] + v.count[k]]
        assert abs(s.sum()) < rtol * max(np.abs(s).sum(), 1.0), (k, s.sum())

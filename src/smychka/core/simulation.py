"""The monthly loop: build the world from a scenario, run the step plan, record results."""
from __future__ import annotations

import numpy as np
import xarray as xr

from .. import data
from ..errors import InputError
from ..kernels._jit import use_parallel
from ..processes import cadres, industry, loyalty, population, sowing
from .plan import step_plan
from .recorder import Recorder
from .rng import Streams
from .variables import REGIONS
from .world import Economy, World

MIN_HOUSEHOLDS = 100
MAX_HOUSEHOLDS = 40_000_000
# From here the parallel twins pay on two cores once compiled (250,000 households: 6.3 s
# against 10.8 s); below it the serial kernels keep the first run's compilation short
# (a third of the parallel twins'), which is what small runs and the tests need.
PARALLEL_FROM = 200_000


def region_table() -> dict[str, np.ndarray]:
    df = data.regions()
    if list(df.index) != list(REGIONS):
        raise RuntimeError("data/regions.csv does not list the model's regions in order")
    return {
        "household_share": df["household_share"].to_numpy(float),
        "official_yield": df["base_yield_kg_ha"].to_numpy(float),
        "winter_share": df["winter_sown_share"].to_numpy(float),
        "price_zone": df["price_zone"].to_numpy(float),
        "plan_share": df["plan_share"].to_numpy(float),
    }


def weather_table(cal, historical: bool) -> np.ndarray:
    """[agricultural year of the run, region] multipliers from data/weather.csv (or ones)."""
    first, last = cal.ag_year(0), cal.ag_year(cal.n_months - 1)
    out = np.ones((last - first + 1, len(REGIONS)))
    if historical:
        for row in data.weather().itertuples():
            if first <= row.ag_year <= last:
                out[row.ag_year - first, REGIONS.index(row.region)] *= row.yield_factor
    return out


class Simulation:
    """One run of a scenario: `Simulation(sc, households=N, seed=S).run()`."""

    def __init__(self, scenario, households: int | None = None, seed: int | None = None,
                 parallel: bool | None = None):
        self.scenario = scenario
        n = int(households if households is not None else scenario.households)
        if not MIN_HOUSEHOLDS <= n <= MAX_HOUSEHOLDS:
            raise InputError("households", f"{n} is out of range",
                             f"{MIN_HOUSEHOLDS} to {MAX_HOUSEHOLDS}")
        self.seed = int(seed if seed is not None else scenario.seed)
        if self.seed < 0:
            raise InputError("seed", f"{self.seed} is negative", "an integer >= 0")
        self.parallel = n >= PARALLEL_FROM if parallel is None else bool(parallel)
        use_parallel(self.parallel)
        cal = scenario.calendar()
        params = dict(scenario.params)
        streams = Streams(self.seed)
        regions = region_table()
        # the table's yields are official ones; the model grows the true crop
        regions["base_yield"] = regions["official_yield"] * params["harvest.yield_scale"]
        weight = params["population.total_households"] / n
        from ..kernels import CHUNK
        hh, villages = population.build(params, n, streams, regions,
                                        sowing.capacity_params(params, streams), loyalty.base(params),
                                        CHUNK)
        levers = scenario.lever_arrays()
        zone = regions["price_zone"]
        state = levers["procurement_price"][0] * params["market.state_price_base"] / 1000.0
        private = state * params["market.private_premium_start"]
        econ = Economy(
            state_price=state * zone, private_price=private * zone,
            goods_availability=np.ones(len(REGIONS)), expected_availability=np.ones(len(REGIONS)),
            expected_price_index=np.ones(len(REGIONS)), scissors=np.ones(len(REGIONS)),
            expected_scissors=np.ones(len(REGIONS)),
            state_stock=params["town.state_stock_start_mt"] * 1e6,
            trader_stock=params["town.trader_stock_start_mt"] * 1e6,
            national_private_price=private)
        self.world = World(cal=cal, params=params, levers=levers, streams=streams, hh=hh,
                           villages=villages, regions=regions,
                           weather=weather_table(cal, scenario.weather == "historical"),
                           weight=weight, econ=econ)
        cadres.initialise(self.world)
        industry.initialise(self.world)
        self.recorder = Recorder(cal, weight)
        self.plan = step_plan()
        self._funcs = [s.callable() for s in self.plan]

    def step(self) -> None:
        """Advance the world by one month."""
        w = self.world
        month = w.cal.month_of_year(w.t)
        use_parallel(self.parallel)
        with np.errstate(over="ignore"):   # hashing wraps uint64 on purpose
            for s, f in zip(self.plan, self._funcs):
                if s.runs_in(month):
                    f(w, self.recorder)
        w.t += 1

    def run(self, progress: bool = False, until: int | None = None) -> xr.Dataset:
        """Run to the end (or to step `until`, exclusive) and return the results."""
        w = self.world
        stop = w.cal.n_months if until is None else until
        if progress:
            from rich.progress import Progress
            with Progress(transient=True) as bar:
                task = bar.add_task(f"{self.scenario.name}: {w.hh.n:,} households",
                                    total=stop - w.t)
                while w.t < stop:
                    self.step()
                    bar.update(task, advance=1, description=f"{self.scenario.name} "
                               f"{w.cal.label(w.t - 1)}")
        else:
            while w.t < stop:
                self.step()
        return self.results()

    def switch(self, scenario) -> None:
        """Continue this world under another scenario's parameters and levers (a fork). The
        calendar must be the same; nothing already simulated changes."""
        w = self.world
        cal = scenario.calendar()
        if (cal.start, cal.end) != (w.cal.start, w.cal.end):
            raise InputError("fork_at", "the branch must span the same months as the trunk",
                             f"start {w.cal.label(0)} and end {w.cal.label(w.cal.n_months - 1)}")
        w.params = dict(scenario.params)
        w.levers = scenario.lever_arrays()
        self.scenario = scenario

    def results(self) -> xr.Dataset:
        from .. import __version__
        sc, w = self.scenario, self.world
        attrs = {"scenario": sc.name, "seed": self.seed, "households_simulated": w.hh.n,
                 "weight": w.weight, "smychka_version": __version__,
                 "start": w.cal.label(0), "end": w.cal.label(w.cal.n_months - 1),
                 "scenario_toml": sc.to_toml()}
        return self.recorder.dataset(attrs)

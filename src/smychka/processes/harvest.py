"""Harvest (winter crops in July, spring crops in August), with weather by region and year."""
from __future__ import annotations

import numpy as np

from ..core.params import Param
from ..kernels.harvest import lognormal_shocks, reap, repay_seed

PARAMS = (
    Param("harvest.yield_scale", 0.91, "multiplier",
          "true yields over the official regional base yields of data/regions.csv: the "
          "official (barn) figures ran above the true crop", (0.5, 1.5),
          "1 / barn_inflation of the observation model (1.10), so that the model's crop "
          "reported as official figures matches the official base yields"),
    Param("harvest.weather_sigma", 0.12, "log-sd", "year-to-year regional weather shock",
          (0.0, 0.5), "model-estimate"),
    Param("harvest.village_sigma", 0.08, "log-sd", "local (village) yield shock per year",
          (0.0, 0.5), "model-estimate"),
    Param("harvest.noise_sigma", 0.15, "log-sd", "household yield noise", (0.0, 0.6),
          "model-estimate"),
    Param("harvest.horseless_factor", 0.85, "multiplier",
          "yield of a horseless household relative to one with its own draft power (late, "
          "shallow ploughing by hire)", (0.5, 1.0), "model-estimate"),
)


def weather_factors(world, ag_year: int) -> np.ndarray:
    """Regional weather of an agricultural year: historical shocks times random ones."""
    p = world.params
    month = ag_year * 12 + 6   # July of the harvest year: the draw's time index
    rnd = lognormal_shocks(world.streams["harvest.weather"], month, world.n_regions,
                           p["harvest.weather_sigma"])
    k = ag_year - world.cal.ag_year(0)
    hist = world.weather[k] if 0 <= k < len(world.weather) else np.ones(world.n_regions)
    return hist * rnd


def step(world, rec) -> None:
    m = world.cal.month_of_year(world.t)
    if m not in (7, 8):
        return
    p, hh = world.params, world.hh
    ag_year = world.cal.ag_year(world.t)
    month = ag_year * 12 + 6
    wx = weather_factors(world, ag_year)
    vshock = lognormal_shocks(world.streams["harvest.village"], month, world.villages.n,
                              p["harvest.village_sigma"])
    first = m == 7
    acc = world.acc(1)
    reap(hh.n, world.chunk, first, world.streams["harvest.noise"], world.month_key(),
         hh.region, hh.village, hh.status, hh.stratum, hh.horses, hh.skill,
         hh.sown_winter if first else hh.sown_spring, hh.grain, hh.last_sown, hh.last_harvest,
         world.regions["base_yield"], wx, vshock,
         p["harvest.horseless_factor"], p["harvest.noise_sigma"], acc)
    rec.add_household_flows(world.t, ("harvest",), acc)
    if not first:   # seed loans repaid in kind once the spring crop is in
        acc = world.acc(1)
        repay_seed(hh.n, world.chunk, hh.status, hh.region, hh.stratum, hh.grain, hh.seed_debt,
                   acc)
        world.econ.state_stock += acc.sum() * world.weight / 1000.0
        rec.add_household_flows(world.t, ("loan_repaid",), acc)
    rec.set_region(world.t, "weather", wx)

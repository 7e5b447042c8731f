"""The kolkhoz economy: collective sowing and harvest, compulsory deliveries fixed on planned
(not realized) output as the state's first claim, seed and fodder, distribution to members by
labour, collective livestock dying faster under collective care, tractors from the
machine-tractor stations."""
from __future__ import annotations

import numpy as np

from ..core.params import Param
from ..kernels import VBLOCK
from ..kernels.harvest import lognormal_shocks
from ..kernels.kolkhoz import (DEAD_LU, DELIVERED, FEED, HARVEST, LOSSES, N_FARM, REVENUE,
                               SEED, farm, individual_sown_by_region)
from .consumption import STALL_MONTHS, stall_ahead
from .harvest import weather_factors
from .marketing import months_to_harvest, seed_ahead

PARAMS = (
    Param("kolkhoz.effort_base", 0.85, "share of individual effort",
          "work effort on collective fields without machinery (weak incentives)",
          (0.1, 1.0), "model-estimate"),
    Param("kolkhoz.effort_tractor", 0.6, "share of the shortfall",
          "part of the effort shortfall made up when tractors plough the whole area",
          (0.0, 1.0), "model-estimate"),
    Param("kolkhoz.effort_hunger", 0.6, "per unit of weakness",
          "effort lost with the members' hunger (work capacity)", (0.0, 1.0),
          "model-estimate"),
    Param("kolkhoz.plan_optimism", 1.15, "ratio",
          "planned yield over the normal yield on which deliveries are fixed", (0.5, 2.0),
          "model-estimate"),
    Param("kolkhoz.max_delivery_rate", 0.6, "share of planned output",
          "ceiling on the deliveries demanded of a kolkhoz", (0.0, 1.0), "model-estimate"),
    Param("kolkhoz.horse_work", 1.5, "ratio",
          "area a collective horse is made to plough over a peasant's own horse (overwork, "
          "cows in harness, hand labour)", (0.5, 3.0), "model-estimate"),
    Param("kolkhoz.care_mortality", 2.0, "ratio",
          "death rate of collective horses and cattle over that of animals kept at home",
          (1.0, 10.0), "model-estimate"),
)

# share of what is free handed out: the autumn distribution, then monthly advances
DISTRIBUTE = {9: 1 / 3, 10: 1 / 2, 11: 1.0, 12: 0.2, 1: 0.2, 2: 0.2, 3: 0.2, 4: 0.2, 5: 0.2,
              6: 0.2}
DELIVER = {9: 0.3, 10: 0.4, 11: 0.5, 12: 0.5, 1: 0.5, 2: 0.5, 3: 1.0}   # from September


def set_deliveries(world) -> None:
    """After the harvest: each kolkhoz owes the plan's rate on its planned output (sown area x
    official normal yield x optimism), whatever the harvest turned out to be."""
    p, v, hh = world.params, world.villages, world.hh
    base = world.regions["official_yield"] * p["kolkhoz.plan_optimism"]
    n = hh.n
    indiv = individual_sown_by_region(n, hh.status, hh.region, hh.last_sown, world.n_regions)
    kolk = np.bincount(v.region, weights=v.k_last_sown, minlength=world.n_regions)
    planned_kg = (indiv + kolk) * base * world.weight
    plan_kg = world.lever("procurement_plan") * 1e9 * world.regions["plan_share"]
    rate = np.clip(np.divide(plan_kg, planned_kg, out=np.zeros_like(plan_kg),
                             where=planned_kg > 0), 0.0, p["kolkhoz.max_delivery_rate"])
    v.k_due[:] = rate[v.region] * v.k_last_sown * base[v.region]


def step(world, rec) -> None:
    p, v, hh, e = world.params, world.villages, world.hh, world.econ
    if not np.any(v.k_land > 0) and not np.any(v.k_grain > 0):
        return
    m = world.cal.month_of_year(world.t)
    sow = 1 if m in (9, 10) else (2 if m in (4, 5) else 0)
    frac = p["sowing.first_month_share"] if m in (9, 4) else 1.0
    crop = 1 if m == 7 else (2 if m == 8 else 0)
    ag_year = world.cal.ag_year(world.t)
    wx = weather_factors(world, ag_year)
    vshock = lognormal_shocks(world.streams["harvest.village"], ag_year * 12 + 6, v.n,
                              p["harvest.village_sigma"])
    if m == 9:   # the year's deliveries, fixed once both crops are in
        set_deliveries(world)
    acc = world.village_acc(N_FARM, strata=False)
    farm(v.n, VBLOCK, sow, frac, crop, DISTRIBUTE.get(m, 0.0), m in STALL_MONTHS,
         stall_ahead(m), months_to_harvest(m), v.first, v.count, v.region, v.k_members,
         v.k_workers, v.k_land, v.k_horses, v.k_cattle, v.k_grain, v.k_sown_winter,
         v.k_sown_spring, v.k_last_sown, v.k_due, v.tractor_ha, hh.status, hh.workers,
         hh.grain, hh.money, hh.weakness, world.regions["winter_share"],
         world.regions["base_yield"], wx, vshock, e.state_price,
         DELIVER.get(m, 0.0), p["sowing.land_use"], p["sowing.ha_per_horse"],
         p["sowing.ha_per_worker"], p["sowing.normal_use"], p["sowing.seed_rate"],
         p["kolkhoz.effort_base"], p["kolkhoz.effort_tractor"], p["kolkhoz.effort_hunger"],
         p["livestock.feed_horse"], p["livestock.feed_cattle"],
         p["livestock.death_horse"] / 12.0, p["livestock.death_cattle"] / 12.0,
         p["livestock.birth_horse"] * (0.5 if m in (4, 5) else 0.0),
         p["livestock.birth_cattle"] * (0.5 if m in (4, 5) else 0.0),
         p["kolkhoz.care_mortality"], p["livestock.starvation"], p["consumption.loss_rate"],
         e.coercion < 1.0, p["kolkhoz.horse_work"], p["livestock.unit_cattle"],
         p["livestock.offtake_horse"] / 12.0, p["livestock.offtake_cattle"] / 12.0,
         *seed_ahead(m, p["sowing.first_month_share"]), acc)
    k = 3   # the kolkhoz members' stratum
    flows = acc.sum(axis=0)[:, :, 0]
    for idx, name in ((HARVEST, "harvest"), (SEED, "seed_use"), (DELIVERED, "procurement"),
                      (REVENUE, "grain_revenue"), (FEED, "feed_use"), (LOSSES, "losses"),
                      (DEAD_LU, "livestock_deaths")):
        rec.add_region_stratum(world.t, name, k, flows[idx])
    e.month_values["procured"] = e.month_values.get("procured", 0.0) + flows[DELIVERED].sum() \
        * world.weight / 1e3


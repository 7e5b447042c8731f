"""Collectivization and dekulakization: households join their village's kolkhoz (a few by
choice, whole villages when the cadres drive them in toward the regional target), leave it
when exits are allowed, and households labelled kulak are expropriated, deported or resettled
on worse land (the three categories of the 30 January 1930 resolution)."""
from __future__ import annotations

import numpy as np

from ..core.params import Param
from ..core.rng import uniforms
from ..core.variables import REGIONS
from ..kernels import VBLOCK
from ..kernels.collective import (DEPORTED_PERSONS, EXPROPRIATED, FORCED, JOINED, LEFT,
                                  MONEY_TAKEN, N_DEKULAK, N_JOIN, RESETTLED, SLAUGHTER_LU,
                                  SLAUGHTER_RUB, collectivize, dekulakize)
from .livestock import _vec

PARAMS = (
    Param("collectivization.voluntary_rate", 0.00085, "per month",
          "chance a fully loyal individual household joins the kolkhoz of its own accord in a "
          "month", (0.0, 0.1), "calibrated on the 1924-1929 record", calibrate=True),
    Param("collectivization.loyalty_exponent", 2.0, "exponent",
          "how steeply voluntary joining rises with loyalty", (0.0, 10.0), "model-estimate"),
    Param("collectivization.escape_fear", 0.018, "per month per unit of fear",
          "chance an individual household not labelled kulak joins the kolkhoz in a month to "
          "escape the campaigns' pressure on individual farms (quotas, searches, the label), "
          "per unit of its fear", (0.0, 0.1), "calibrated on the 1924-1929 record",
          calibrate=True),
    Param("collectivization.drive_rate", 0.5, "per month at full zeal",
          "share of a region's remaining gap to its target that cadres close in a month, "
          "village by village", (0.0, 1.0), "model-estimate"),
    Param("collectivization.plot_ha", 0.3, "ha", "private plot a member keeps", (0.0, 2.0),
          "model-estimate"),
    Param("collectivization.seed_share", 0.5, "share of the stock",
          "grain a joining household hands to the kolkhoz's seed and fodder funds", (0.0, 1.0),
          "model-estimate"),
    Param("collectivization.slaughter_loyalty", 0.5, "index 0-1",
          "loyalty below which a household slaughters or sells livestock before joining",
          (0.0, 1.0), "model-estimate"),
    Param("collectivization.slaughter_share", 0.6, "share of the herd",
          "share of its animals a household with no loyalty at all disposes of before joining",
          (0.0, 1.0), "model-estimate"),
    Param("collectivization.forced_grievance", 0.3, "share of the distance to 1",
          "grievance of a household driven into the kolkhoz", (0.0, 1.0), "model-estimate"),
    Param("collectivization.exit_rate", 0.25, "per month",
          "chance a disloyal member leaves in a month when leaving is allowed", (0.0, 1.0),
          "model-estimate"),
    Param("collectivization.exit_loyalty", 0.45, "index 0-1",
          "loyalty below which a member wants to leave", (0.0, 1.0), "model-estimate"),
    Param("collectivization.exit_land_share", 0.5, "share",
          "share of its per-member land (and chance of a horse) a leaving member takes back",
          (0.0, 1.0), "model-estimate"),
    Param("collectivization.share_arrest", 0.1, "share",
          "category 1 (arrest) among the expropriated households", (0.0, 1.0), "D4"),
    Param("collectivization.share_deport", 0.35, "share",
          "category 2 (deportation out of the region) among the expropriated households",
          (0.0, 1.0), "D4"),
    Param("collectivization.resettle_land", 0.4, "share",
          "land left to a category-3 household resettled on worse land", (0.0, 1.0),
          "model-estimate"),
)

# Order of the drive in the 5 January 1930 resolution: the Volga and the North Caucasus
# first, the other grain regions next, the grain-deficit regions last (history §8).
_PRIORITY = {"North Caucasus": 1.3, "Lower Volga": 1.3, "Middle Volga": 1.3,
             "Grain-deficit regions": 0.7}


def regional_targets(world) -> np.ndarray:
    """The national target spread over regions by priority, with the same household-weighted
    mean, capped at 1."""
    prio = np.array([_PRIORITY.get(r, 1.1) for r in REGIONS])
    share = world.regions["household_share"]
    prio = prio / float(np.sum(prio * share))
    return np.clip(world.lever("collectivization_target") * prio, 0.0, 1.0)


def collectivized_share(world) -> np.ndarray:
    """Share of the village population's households in kolkhozes, by region, now."""
    v = world.villages
    alive = np.bincount(v.region, weights=v.alive, minlength=world.n_regions)
    members = np.bincount(v.region, weights=v.k_members, minlength=world.n_regions)
    return np.divide(members, alive, out=np.zeros(world.n_regions), where=alive > 0)


def dekulakization_rate(world) -> float:
    """Share of all households expropriated this month (the lever is a yearly share)."""
    return world.lever("dekulakization") / 12.0


def step(world, rec) -> None:
    p, v, hh = world.params, world.villages, world.hh
    month = world.month_key()
    dk = dekulakization_rate(world)
    if dk > 0:
        acc = world.village_acc(N_DEKULAK)
        dekulakize(v.n, VBLOCK, world.streams["collectivization.dekulak"], month, v.first,
                   v.count, v.region, dk, v.alive, v.k_land, v.k_horses, v.k_cattle, v.k_grain,
                   hh.status, hh.stratum, hh.label, hh.persons, hh.land, hh.horses, hh.cattle,
                   hh.pigs, hh.sheep, hh.grain, hh.hidden, hh.money, hh.loyalty, hh.grievance,
                   p["collectivization.share_arrest"], p["collectivization.share_deport"],
                   p["collectivization.resettle_land"], p["consumption.food_kg"], acc)
        rec.add_household_flows(world.t, ("dekulakized",), acc[:, EXPROPRIATED:EXPROPRIATED + 1])
        rec.add_household_flows(world.t, ("money_expropriated",),
                                acc[:, MONEY_TAKEN:MONEY_TAKEN + 1])
        sums = acc.sum(axis=0).sum(axis=2) * world.weight
        rec.set_region(world.t, "deported", sums[DEPORTED_PERSONS])
        rec.set_region(world.t, "resettled", sums[RESETTLED])
    else:
        rec.set_region(world.t, "deported", np.zeros(world.n_regions))
        rec.set_region(world.t, "resettled", np.zeros(world.n_regions))
    force = _villages_to_drive(world)
    exit_rate = p["collectivization.exit_rate"] if world.lever("exit_allowed") >= 0.5 else 0.0
    unit, price = _vec(p, "unit"), _vec(p, "price")
    acc = world.village_acc(N_JOIN)
    collectivize(v.n, VBLOCK, world.streams["collectivization.join"], month, v.first, v.count,
                 v.region, force, v.k_members, v.k_workers, v.k_land, v.k_horses, v.k_cattle,
                 v.k_grain, hh.status, hh.stratum, hh.persons, hh.workers, hh.land, hh.horses,
                 hh.cattle, hh.pigs, hh.sheep, hh.grain, hh.money, hh.loyalty, hh.fear,
                 hh.grievance, p["collectivization.voluntary_rate"],
                 p["collectivization.loyalty_exponent"], p["collectivization.escape_fear"],
                 p["collectivization.plot_ha"], p["collectivization.seed_share"],
                 p["collectivization.slaughter_loyalty"], p["collectivization.slaughter_share"],
                 price, unit, exit_rate, p["collectivization.exit_loyalty"],
                 p["collectivization.exit_land_share"], p["collectivization.forced_grievance"],
                 world.econ.labels_skipped == world.t, hh.label, hh.last_harvest,
                 world.streams["cadres.label"], world.cal.ag_year(world.t), v.zeal, v.capture,
                 world.lever("label_error"), p["cadres.poor_label_factor"],
                 p["cadres.wealth_ref_kg"], p["cadres.miss_captured"], acc)
    for k, name in ((JOINED, "joined"), (FORCED, "joined_forced"), (LEFT, "left_kolkhoz"),
                    (SLAUGHTER_LU, "livestock_sold"), (SLAUGHTER_LU, "livestock_slaughtered"),
                    (SLAUGHTER_RUB, "livestock_revenue")):
        rec.add_household_flows(world.t, (name,), acc[:, k:k + 1])
    rec.set_region(world.t, "collectivized_share", collectivized_share(world))


def _villages_to_drive(world) -> np.ndarray:
    """1 for each village the cadres drive into the kolkhoz this month: regions below their
    target close part of the gap, the most zealous villages first (by chance weighted by
    zeal)."""
    v, p = world.villages, world.params
    target = regional_targets(world)
    share = collectivized_share(world)
    gap = np.clip(target - share, 0.0, 1.0)
    if not np.any(gap > 0):
        return np.zeros(v.n, dtype=np.uint8)
    open_share = np.maximum(1.0 - share, 1e-9)
    village_share = np.divide(v.k_members, v.alive, out=np.zeros(v.n), where=v.alive > 0)
    p_drive = p["collectivization.drive_rate"] * v.zeal * (gap / open_share)[v.region]
    u = uniforms(world.streams["collectivization.drive"], world.month_key(), v.n)
    return ((u < p_drive) & (village_share < 0.999)).astype(np.uint8)


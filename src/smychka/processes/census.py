"""Recording: the end-of-month census of household stocks."""
from __future__ import annotations

import numpy as np

from ..kernels.census import CENSUS_VARS, census

PARAMS = ()


def step(world, rec) -> None:
    hh = world.hh
    acc = world.acc(len(CENSUS_VARS) + 1)
    census(hh.n, world.chunk, hh.status, hh.region, hh.stratum, hh.grain, hh.hidden,
           hh.sown_winter, hh.sown_spring, hh.money, hh.horses, hh.cattle, hh.pigs, hh.sheep,
           hh.persons, hh.loyalty, hh.fear, hh.grievance, acc)
    rec.set_household_stocks(world.t, CENSUS_VARS, acc[:, : len(CENSUS_VARS)])
    # the kolkhozes' collective stocks count with their members
    v, k = world.villages, 3
    for name, arr in (("grain_stock", v.k_grain), ("horses", v.k_horses),
                      ("cattle", v.k_cattle), ("sown_area", v.k_sown_winter + v.k_sown_spring)):
        if np.any(arr):
            rec.add_region_stratum(world.t, name, k,
                                   np.bincount(v.region, weights=arr, minlength=world.n_regions))
    # the alliance: population-weighted loyalty, times the square root of the terms of trade
    persons = acc[:, CENSUS_VARS.index("persons")].sum()
    loyal = acc[:, len(CENSUS_VARS)].sum() / persons if persons > 0 else np.nan
    share = world.regions["household_share"]
    terms = 1.0 / float(np.sum(share * world.econ.scissors) / share.sum())
    rec.set_national(world.t, "smychka_index", min(1.0, loyal * np.sqrt(terms)))

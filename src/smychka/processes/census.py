"""Recording: the end-of-month census of household stocks."""
from __future__ import annotations

from ..kernels.census import CENSUS_VARS, census

PARAMS = ()


def step(world, rec) -> None:
    hh = world.hh
    acc = world.acc(len(CENSUS_VARS))
    census(hh.n, world.chunk, hh.status, hh.region, hh.stratum, hh.grain, hh.hidden,
           hh.sown_winter, hh.sown_spring, hh.money, hh.horses, hh.cattle, hh.pigs, hh.sheep,
           hh.persons, hh.loyalty, acc)
    rec.set_household_stocks(world.t, CENSUS_VARS, acc)

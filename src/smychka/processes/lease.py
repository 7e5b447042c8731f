"""Land leasing (September, before the winter sowing): land a farm cannot work goes for the
year to neighbours in its village who can, for a money rent (legal again from 1925)."""
from __future__ import annotations

import numpy as np

from ..core.params import Param
from ..kernels import VBLOCK
from ..kernels.lease import N_ACC, lease_market
from .sowing import capacity_params

PARAMS = (
    Param("lease.market_share", 0.3028, "share",
          "share of the land that could change hands in a village (the smaller of the land its "
          "farms cannot work and the land its other farms could work and pay for) that is "
          "leased: the rest stays fallow, is sown on shares outside the books or is kept back "
          "by the commune", (0.0, 1.0), "calibrated on the 1924-1929 record (a grid with "
          "`sowing.normal_use`, model.md section 6)", calibrate=True),
    Param("lease.rent_share", 0.25, "share",
          "rent for a year, as a share of the value of a hectare's normal crop at the state "
          "price", (0.05, 0.6), "model-estimate (a quarter to a third of the crop)"),
)

MONTHS = (9,)


def rent_per_ha(world) -> np.ndarray:
    """Roubles per hectare for the year, by region."""
    return world.p("lease.rent_share") * world.regions["base_yield"] * world.econ.state_price


def step(world, rec) -> None:
    if world.cal.month_of_year(world.t) not in MONTHS:
        return
    p, hh, v = world.params, world.hh, world.villages
    land_use, ha_per_horse, hire, ha_per_worker, _ = capacity_params(p, world.streams)
    acc = world.village_acc(N_ACC)
    lease_market(v.n, VBLOCK, v.first, v.count, v.region, hh.status, hh.stratum, hh.land,
                 hh.horses, hh.workers, hh.money, hh.leased, rent_per_ha(world), land_use,
                 ha_per_horse, hire, ha_per_worker, p["lease.market_share"], acc)
    rec.add_household_flows(world.t, ("land_leased", "rent_paid", "rent_received"), acc)

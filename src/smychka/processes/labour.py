"""Hired labour (September, after the leases, before the winter sowing): farms whose land and
horses need more workers than the family has hire neighbours' spare workers for the year and
pay them in grain."""
from __future__ import annotations

from ..core.params import Param
from ..kernels import VBLOCK
from ..kernels.labour import N_ACC, labour_market
from .sowing import capacity_params

PARAMS = (
    Param("labour.ha_per_hand", 3.38, "ha per worker",
          "grain area one worker carries through the farming year (ploughing, sowing, harvest, "
          "threshing, carting): a farm whose land and horses work more than its family's "
          "workers times this hires hands, a family with fewer hectares hires its workers out",
          (1.0, 15.0), "calibrated on the 1927 share of families hiring labour or leasing out "
          "means of production (K4: 3.8 %)", calibrate=True),
    Param("labour.wage_kg", 250.0, "kg per worker per year",
          "grain a hired hand is paid for the year, board and the part of the wage paid in "
          "kind (the money part is in `market.wage`); 0: hands are counted but no grain moves",
          (0.0, 2000.0), "model-estimate: the board, a rural person's food for the year "
          "(`consumption.food_kg`); a search over 0-2000 kg found no better fit (model.md "
          "section 6)"),
)

MONTHS = (9,)


def step(world, rec) -> None:
    if world.cal.month_of_year(world.t) not in MONTHS:
        return
    p, hh, v = world.params, world.hh, world.villages
    land_use, ha_per_horse, hire, _, _ = capacity_params(p, world.streams)
    acc = world.village_acc(N_ACC)
    labour_market(v.n, VBLOCK, v.first, v.count, v.region, hh.status, hh.stratum, hh.land,
                  hh.leased, hh.horses, hh.workers, hh.grain, hh.scratch, land_use, ha_per_horse,
                  hire, p["labour.ha_per_hand"], p["labour.wage_kg"], acc)
    rec.add_household_flows(world.t, ("hands_hired", "farms_hiring", "wages_in_kind_paid",
                                      "wages_in_kind_received"), acc)

"""Sowing (winter crops September-October, spring crops April-May)."""
from __future__ import annotations

import numpy as np

from ..core.params import Param
from ..kernels.sowing import sow
from .consumption import within_stocks
from .market import market_fill, purchase_price
from .marketing import months_to_harvest

PARAMS = (
    Param("sowing.land_use", 1.0, "share", "share of the allotment's sown land that can go to "
          "grain", (0.3, 1.0), "model-estimate"),
    Param("sowing.ha_per_horse", 5.0, "ha per horse", "area one horse can plough in a season",
          (1.0, 15.0), "model-estimate"),
    Param("sowing.hire_ha", 1.66, "ha", "area a horseless household gets ploughed by hire, "
          "mean over households", (0.0, 6.0), "calibrated on the 1924-1929 record"),
    Param("sowing.hire_sigma", 0.0, "log-sd",
          "dispersion of the area horseless households get ploughed by hire (a trait of each "
          "household, lognormal around `sowing.hire_ha`: kin or neighbours with horses to "
          "spare, the means to pay them)", (0.0, 1.5), "model-estimate"),
    Param("sowing.ha_per_worker", 6.75, "ha per worker", "area one worker can tend",
          (0.5, 10.0), "calibrated on the 1924-1929 record"),
    Param("sowing.normal_use", 0.96, "share",
          "share of capacity sown at reference (1926/27) real grain prices", (0.3, 1.0),
          "calibrated on the 1924-1929 record", calibrate=True),
    Param("sowing.seed_rate", 130.0, "kg per ha", "seed sown per hectare", (80.0, 200.0),
          "model.md §6 (120-150 kg/ha)"),
    Param("sowing.price_elasticity", 0.1284, "elasticity",
          "response of sown area to the expected real grain price (grain price over goods price)",
          (0.0, 0.8), "calibrated on the 1924-1929 record", calibrate=True),
    Param("sowing.fear_cut", 0.2016, "share per unit of fear",
          "cut of the sown area by a household that fears its grain will be taken",
          (0.0, 1.0), "to be calibrated", calibrate=True),
    Param("sowing.grievance_cut", 0.15, "share per unit of grievance",
          "cut of the sown area by a household with a grievance against the state",
          (0.0, 1.0), "to be calibrated", calibrate=True),
    Param("sowing.spring_food_keep", 0.75, "share of the food to the harvest",
          "food to the July harvest a family keeps back from the seed when it sows spring "
          "grain (at least a month's; 0: a month's, whatever the months ahead)", (0.0, 1.0),
          "calibrated on the 1924-1929 record (a grid, model.md section 6)"),
    Param("sowing.seed_loan_share", 0.0, "share",
          "share of the seed a household still lacks at sowing, after buying what it can, "
          "that the state lends it from its stock (as far as the stock goes), to be repaid in "
          "kind after the August harvest; 0 in the calibrated model (model.md section 6)",
          (0.0, 1.0), "model-estimate"),
    Param("sowing.first_month_share", 0.6, "share",
          "share of a season's sowing done in its first month", (0.1, 1.0), "model-estimate"),
)

WINTER_MONTHS = (9, 10)
SPRING_MONTHS = (4, 5)


def capacity_params(p: dict, streams) -> tuple:
    """(land_use, ha_per_horse, hire, ha_per_worker, normal_use) for the capacity kernels;
    hire = (mean ha, log-sd, stream key) of the area ploughed by hire (kernels.common)."""
    hire = (p["sowing.hire_ha"], p["sowing.hire_sigma"], streams["sowing.hire"])
    return (p["sowing.land_use"], p["sowing.ha_per_horse"], hire, p["sowing.ha_per_worker"],
            p["sowing.normal_use"])


def incentive(world) -> np.ndarray:
    """Sowing incentive by region: (expected real grain price)^elasticity, bounded."""
    p = world.params
    real = world.econ.expected_price_index / world.lever("goods_price")
    inc = np.power(np.maximum(real, 1e-6), p["sowing.price_elasticity"])
    return np.clip(inc, 0.4, 1.0 / p["sowing.normal_use"])


def step(world, rec) -> None:
    m = world.cal.month_of_year(world.t)
    if m not in WINTER_MONTHS + SPRING_MONTHS:
        return
    p, hh = world.params, world.hh
    winter = m in WINTER_MONTHS
    first = m in (WINTER_MONTHS[0], SPRING_MONTHS[0])
    frac = p["sowing.first_month_share"] if first else 1.0
    # food kept back from the seed: a month's in the autumn, with the harvest just in; in the
    # spring the family knows the months it must still eat before the next harvest
    keep = 1.0 if winter else max(1.0, p["sowing.spring_food_keep"] * months_to_harvest(m))
    acc = world.acc(6)

    def run(fill: float, dry: int, loan: float = 0.0) -> None:
        sow(hh.n, world.chunk, winter, frac, hh.region, hh.status, hh.persons, hh.land,
            hh.leased, hh.horses, hh.workers, hh.skill, hh.grain,
            hh.sown_winter if winter else hh.sown_spring, world.regions["winter_share"],
            world.regions["base_yield"], incentive(world), *capacity_params(p, world.streams),
            p["sowing.seed_rate"], p["consumption.food_kg"], keep, hh.stratum, hh.money,
            purchase_price(world), fill, dry, loan, hh.seed_debt, hh.fear, hh.grievance,
            p["sowing.fear_cut"], p["sowing.grievance_cut"], acc)

    fill = 1.0
    if within_stocks(world):
        # first what the households would buy, then the share the stocks can serve
        run(1.0, 1)
        fill = market_fill(world, acc[:, 3].sum() * world.weight / 1000.0)
        acc[:] = 0.0
    loan = p["sowing.seed_loan_share"]
    if loan > 0.0:
        # then the seed still lacking after those purchases, and the share the state can lend
        run(fill, 2)
        loan = loan_share(world, loan, acc[:, 4].sum() * world.weight / 1000.0)
        acc[:] = 0.0
    run(fill, 0, loan)
    rec.add_household_flows(world.t, ("seed_use", "grain_purchases", "grain_spending",
                                      "seed_loans"), acc[:, [0, 1, 2, 5]])
    e = world.econ
    e.month_values["seed_bought"] = acc[:, 1].sum() * world.weight / 1000.0
    e.state_stock -= acc[:, 5].sum() * world.weight / 1000.0   # lent from the state's stock


def loan_share(world, share: float, unmet: float) -> float:
    """Share of the seed still lacking (`unmet` tonnes) that the state lends: `share`, as far
    as its stock goes."""
    want = share * unmet
    have = max(world.econ.state_stock, 0.0)
    return share * min(1.0, have / want) if want > 0.0 else share

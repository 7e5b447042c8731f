"""Procurement: the state buys the grain offered to it at the fixed price, against a plan
split by region and month."""
from __future__ import annotations

import numpy as np

from ..core.params import Param
from ..kernels.trade import sell

PARAMS = (
    Param("procurement.autumn_weight", 1.0, "multiplier",
          "how strongly the plan's monthly schedule is loaded on August-December "
          "(0 = even over the year)", (0.0, 3.0), "model-estimate"),
)

# Share of a year's plan due in each month, July..June: the campaign is front-loaded on the
# autumn after the harvest (modelling estimate from the 1926/27 checkpoint: about 60 % by
# 1 January).
_SCHEDULE = np.array([0.03, 0.09, 0.13, 0.14, 0.13, 0.10, 0.08, 0.07, 0.06, 0.06, 0.06, 0.05])


def schedule(autumn_weight: float) -> np.ndarray:
    even = np.full(12, 1.0 / 12.0)
    s = even + autumn_weight * (_SCHEDULE / _SCHEDULE.sum() - even)
    s = np.maximum(s, 0.0)
    return s / s.sum()


def monthly_plan(world) -> np.ndarray:
    """Tonnes due this month, by region."""
    m = world.cal.month_of_year(world.t)
    share = schedule(world.params["procurement.autumn_weight"])[(m - 7) % 12]
    return world.lever("procurement_plan") * 1e6 * share * world.regions["plan_share"]


def step(world, rec) -> None:
    hh, e = world.hh, world.econ
    plan = monthly_plan(world)
    rec.set_region(world.t, "procurement_plan", plan)
    if world.cal.month_of_year(world.t) == 7 or e.cum_plan is None:   # a new campaign year
        e.cum_plan = np.zeros(world.n_regions)
        e.cum_procured = np.zeros(world.n_regions)
    e.cum_plan += plan
    acc = world.acc(2)
    take = np.ones(world.n_regions)
    sell(hh.n, world.chunk, hh.status, hh.region, hh.stratum, hh.offer_state, e.state_price,
         take, hh.grain, hh.money, acc)
    rec.add_household_flows(world.t, ("procurement", "grain_revenue"), acc)
    e.month_values["procured"] = e.month_values.get("procured", 0.0) + acc[:, 0].sum() \
        * world.weight / 1000.0
    e.month_values["procured_value"] = acc[:, 1].sum() * world.weight

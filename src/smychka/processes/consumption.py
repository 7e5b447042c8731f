"""Consumption: grain bought when the bin runs low, food eaten, fodder fed, storage losses."""
from __future__ import annotations

import numpy as np

from ..core.params import Param
from ..kernels import VBLOCK
from ..kernels.consumption import consume, purchase_wishes
from ..kernels.neighbours import N_ACC, neighbour_sales
from .market import market_fill, purchase_price
from .marketing import feed_factor, feed_params, months_to_harvest

PARAMS = (
    Param("consumption.food_kg", 250.0, "kg grain-equivalent per person per year",
          "food need of a rural person", (150.0, 400.0), "model.md §6"),
    Param("consumption.buy_months", 1.0, "months of food",
          "food a household buys toward when its bin runs low", (0.0, 6.0), "calibrated on the 1924-1929 record"),
    Param("consumption.neighbour_share", 0.1, "share per month",
          "share of its grain above its own food to the harvest and a year's seed that a "
          "household sells in a month to neighbours in its village whose bins run low",
          (0.0, 1.0), "calibrated on the 1924-1929 record (model.md section 6); the grain "
          "stays in the village and is not marketed grain", calibrate=True),
    Param("consumption.purchases_within_stocks", 0.0, "switch (0 or 1)",
          "1: villagers' grain purchases (seed and the food kept back at sowing, food each "
          "month) are served only as far as traders' and the state's stocks hold this month's "
          "wishes; 0 (the calibrated model): the sowing step's purchases are served whatever "
          "the stocks, and food at a share set from the previous month's wishes, the state "
          "importing what it lacks (model.md section 6)", (0.0, 1.0), "model-estimate"),
    Param("consumption.loss_rate", 0.003, "share per month", "storage losses of visible grain",
          (0.0, 0.05), "model-estimate"),
    Param("consumption.hidden_loss_rate", 0.01, "share per month",
          "storage losses of hidden grain (pits, damp)", (0.0, 0.1), "model-estimate"),
)


STALL_MONTHS = (11, 12, 1, 2, 3, 4)   # livestock are fed grain in the stall; they graze otherwise


def stall_ahead(month: int) -> int:
    """Stall-feeding months from `month` up to the next harvest (July), this one included."""
    months = [(month - 1 + k) % 12 + 1 for k in range(months_to_harvest(month))]
    return sum(1 for x in months if x in STALL_MONTHS)


def within_stocks(world) -> bool:
    return world.params["consumption.purchases_within_stocks"] >= 0.5


def purchase_fill(world) -> float:
    """Share of wished purchases that can be served this month: villagers buy first from what
    neighbours sold privately this month and from traders' stocks, and from the state's stock
    as far as the state_rural_sales lever lets its stores serve them (estimated from last
    month's wishes; within the stocks, from this month's, after the seed bought)."""
    mv = world.econ.month_values
    if within_stocks(world):
        return market_fill(world, this_months_wishes(world), mv.get("private_sold", 0.0),
                           mv.get("seed_bought", 0.0))
    return market_fill(world, mv.get("purchases_wished", 0.0), mv.get("private_sold", 0.0))


def this_months_wishes(world) -> float:
    """Tonnes of food the households would buy this month, as far as their cash goes."""
    p, hh = world.params, world.hh
    out = np.zeros(max(world.n_chunks, 1))
    purchase_wishes(hh.n, world.chunk, hh.status, hh.region, hh.persons, hh.grain, hh.money,
                    purchase_price(world), p["consumption.food_kg"], p["consumption.buy_months"],
                    out)
    return float(out.sum()) * world.weight / 1000.0


def sell_to_neighbours(world, rec, month: int) -> None:
    """Families short of food buy first from their own village's surplus (3.3.12)."""
    p, hh, v = world.params, world.hh, world.villages
    if p["consumption.neighbour_share"] <= 0.0:
        return
    acc = world.village_acc(N_ACC)
    neighbour_sales(v.n, VBLOCK, v.first, v.count, v.region, hh.status, hh.stratum, hh.persons,
                    hh.last_sown, hh.grain, hh.money, purchase_price(world),
                    months_to_harvest(month), p["consumption.food_kg"],
                    p["consumption.buy_months"], p["sowing.seed_rate"],
                    p["consumption.neighbour_share"], acc)
    rec.add_household_flows(world.t, ("neighbour_purchases", "neighbour_spending",
                                      "neighbour_sales", "neighbour_revenue"), acc)


def step(world, rec) -> None:
    p, hh, e = world.params, world.hh, world.econ
    m = world.cal.month_of_year(world.t)
    sell_to_neighbours(world, rec, m)
    acc = world.acc(7)
    e.purchase_fill = purchase_fill(world)
    consume(hh.n, world.chunk, months_to_harvest(m), m in STALL_MONTHS, stall_ahead(m),
            hh.status, hh.region, hh.stratum, hh.persons, hh.horses, hh.cattle, hh.pigs,
            hh.sheep, hh.grain, hh.hidden, hh.money, hh.fed_pct, hh.hunger_pct,
            purchase_price(world), e.purchase_fill, within_stocks(world), feed_factor(world),
            p["consumption.food_kg"], p["consumption.buy_months"],
            *feed_params(p), p["consumption.loss_rate"], p["consumption.hidden_loss_rate"], acc)
    rec.add_household_flows(world.t, ("grain_purchases", "grain_spending", "consumption",
                                      "food_shortfall", "feed_use", "losses"), acc[:, :6])
    e.month_values["purchases"] = acc[:, 0].sum() * world.weight / 1000.0
    e.month_values["purchases_wished"] = acc[:, 6].sum() * world.weight / 1000.0

"""The town and the state's grain: urban need, rations, exports, the private grain market.

The state's stock takes in procurement and pays out rations to the towns (and its other
obligations: the army, industry), exports, and grain sold to villages where private
trade is closed; it imports what its obligations need, and for the towns' rations only as
much as the `grain_imports` lever allows. Private traders buy from peasants and sell to towns
and to villages; the private price moves with excess demand. Expectations of prices and goods
availability are updated here for next month's decisions.
"""
from __future__ import annotations

import numpy as np

from ..core.params import Param

PARAMS = (
    Param("town.urban_population_1926", 26.3e6, "persons",
          "urban population at the December 1926 census", (1e6, 100e6), "U1"),
    Param("town.urban_growth", 0.027, "per year",
          "growth of the urban population 1926-1929, used to place the census back to the "
          "start of the run", (-0.1, 0.3), "U3"),
    Param("town.food_kg", 220.0, "kg grain per person per year",
          "grain need of a town dweller", (100.0, 400.0), "model-estimate"),
    Param("town.other_state_need_mt", 1.5, "million tonnes per year",
          "other state grain obligations: the army and its horses, distilling and other "
          "industrial uses (the villages the state supplied, the industrial-crop regions among "
          "them, buy through the rural purchases instead)", (0.0, 20.0), "model-estimate"),
    Param("town.ration_share", 0.65, "share",
          "share of the towns' grain need the state aims to supply from procurement",
          (0.0, 1.0), "model-estimate"),
    Param("town.trader_release", 0.5, "share per month",
          "share of traders' stock they bring to market in a month", (0.0, 1.0),
          "model-estimate"),
    Param("town.trader_cover", 2.0, "months of sales",
          "stock private traders want to hold, in months of their expected sales", (0.0, 12.0),
          "model-estimate"),
    Param("town.village_reserve_mt", 0.0, "million tonnes",
          "grain the state holds back from the towns' rations and from exports, for seed loans "
          "and sales to the villages; 0 in the calibrated model (model.md section 6)",
          (0.0, 20.0), "model-estimate"),
    Param("town.state_stock_start_mt", 1.0, "million tonnes", "state grain stock at the start",
          (0.0, 20.0), "model-estimate"),
    Param("town.trader_stock_start_mt", 0.4, "million tonnes",
          "private traders' grain stock at the start", (0.0, 10.0), "model-estimate"),
    Param("town.export_decline", 0.65, "ratio",
          "the year's export plan is shipped from October to June, each month's share this "
          "ratio of the month before's: the grain leaves with the autumn's procurement, "
          "three quarters of it by December (1 spreads it evenly)", (0.3, 1.0),
          "calibrated on the 1924-1929 record: the export rows (model.md section 6)"),
)


def urban_population(world) -> float:
    """The towns' population, moved by industry and flight (see processes/industry.py)."""
    return world.econ.urban_population


def export_schedule(decline: float) -> np.ndarray:
    """Share of a year's export plan due by the end of each month, July..June: nothing before
    October, the start of the economic year the record counts exports in; from October to
    June each month's share is `decline` times the month before's."""
    shares = np.concatenate([np.zeros(3), decline ** np.arange(9.0)])
    return np.cumsum(shares / shares.sum())


def export_due(world, month: int) -> float:
    """Tonnes of the year's export plan due by this month and not yet shipped: grain leaves
    with the campaign, mostly in the autumn after the harvest. What the stock cannot ship
    when due is shipped later in the same year as far as the stock allows."""
    share = export_schedule(world.params["town.export_decline"])[(month - 7) % 12]
    return max(world.lever("grain_exports") * 1e6 * share - world.econ.exported, 0.0)


def step(world, rec) -> None:
    p, e, mv, t = world.params, world.econ, world.econ.month_values, world.t
    pop = urban_population(world)
    need = pop * p["town.food_kg"] / 12.0 / 1000.0                      # tonnes
    # rural purchases: from traders as far as private trade and their stock allow, the rest
    # from state stores
    rural = mv.get("purchases", 0.0) + mv.pop("seed_bought", 0.0)
    pt = world.econ.private_trade
    sold = mv.get("private_sold", 0.0)
    trader_rural = min(rural * pt, e.trader_stock + sold)
    state_rural = rural - trader_rural
    # the state's books: procurement in; rural sales, obligations, rations, exports out
    stock = e.state_stock + mv.get("procured", 0.0) - state_rural - mv.pop("relief", 0.0)
    obligations = p["town.other_state_need_mt"] * 1e6 / 12.0
    m = world.cal.month_of_year(t)
    if m == 7 or e.imports_left is None:   # a new year
        e.imports_left = 0.0          # here: tonnes imported so far this agricultural year
        e.exported = 0.0
    allowance = max(world.lever("grain_imports") * 1e6 - e.imports_left, 0.0)
    # rations as far as the stock and the imports the state allows go; exports from what is left
    keep = p["town.village_reserve_mt"] * 1e6       # held back for the villages' spring
    room = max(stock - obligations - keep, 0.0) + allowance
    rations = min(room, need * p["town.ration_share"])
    stock -= rations + obligations
    exports = min(max(stock - keep, 0.0), export_due(world, m))
    e.exported += exports
    stock -= exports
    imports = max(-stock, 0.0)   # obligations are met whatever it takes; rations only so far
    e.imports_left += imports
    e.state_stock = stock + imports
    # the private market: traders serve the villages first, then the towns, and buy to hold
    # a few months of cover; the price moves with excess demand, above the state's price
    # (which buys without limit, so no peasant sells below it) and under a ceiling
    ref = p["market.state_price_base"] / 1000.0 * p["market.private_premium_start"]
    demand_urban = (need - rations) * (e.national_private_price / ref) ** (
        -p["market.demand_elasticity"])
    available = e.trader_stock + sold - trader_rural
    urban_bought = min(max(available, 0.0) * p["town.trader_release"], demand_urban)
    e.trader_stock = max(available - urban_bought, 0.0)
    wished_rural = mv.get("purchases_wished", 0.0) * pt
    storage = max(p["town.trader_cover"] * (demand_urban + wished_rural) - e.trader_stock, 0.0)
    demand = demand_urban + wished_rural + storage
    supply = sold + p["town.trader_release"] * e.trader_stock
    excess = (demand + 1e-6) / (supply + 1e-6)
    state_nat = world.lever("procurement_price") * p["market.state_price_base"] / 1000.0
    move = p["market.max_monthly_move"]
    price = e.national_private_price * float(np.clip(excess ** p["market.price_adjustment"],
                                                     1.0 / (1.0 + move), 1.0 + move))
    e.national_private_price = float(np.clip(price, state_nat,
                                             state_nat * p["market.max_premium"]))
    e.cum_procured += (rec.rs["procurement"][t] - rec.rs["redistributed"][t]).sum(axis=1)
    _update_prices(world, rec)
    rec.set_national(t, "urban_population", pop)
    rec.set_national(t, "urban_grain_need", need)
    rec.set_national(t, "urban_rations", rations)
    rec.set_national(t, "urban_private_purchases", urban_bought)
    rec.set_national(t, "urban_food_per_head", (rations + urban_bought) * 1000.0 / pop)
    rec.set_national(t, "exports", exports)
    rec.set_national(t, "imports", imports)
    rec.set_national(t, "state_grain_stock", e.state_stock)
    rec.set_national(t, "trader_stock", e.trader_stock)


def _update_prices(world, rec) -> None:
    """Regional prices for next month, the scissors, and smoothed expectations."""
    e, p, t = world.econ, world.params, world.t
    zone = world.regions["price_zone"]
    kg = (rec.rs["procurement"][t] - rec.rs["confiscated"][t] + rec.rs["private_sales"][t]
          ).sum(axis=1)   # grain paid for
    value = rec.rs["grain_revenue"][t].sum(axis=1)
    ref = p["market.state_price_base"] / 1000.0
    posted = 0.5 * (e.state_price + e.private_price * world.econ.private_trade
                    + e.state_price * (1.0 - world.econ.private_trade))
    thin = kg < 1e-4 * np.maximum(rec.rs["grain_stock"][max(t - 1, 0)].sum(axis=1), 1.0)
    paid = np.where(thin, posted, value / np.maximum(kg, 1e-9) / 1000.0)
    received = np.clip(paid / (ref * zone), 0.1, 50.0)    # a thin market shows posted prices
    e.scissors = world.lever("goods_price") / received
    w = p["market.expectation_weight"]
    e.expected_price_index = (1 - w) * e.expected_price_index + w * received
    e.expected_availability = (1 - w) * e.expected_availability + w * e.goods_availability
    e.expected_scissors = (1 - w) * e.expected_scissors + w * e.scissors
    e.private_price = e.national_private_price * zone
    share = world.regions["household_share"]
    e.income_index = float(np.clip(np.sum(share * e.expected_price_index), 0.5, 5.0))
    rec.set_region(t, "scissors", e.scissors)

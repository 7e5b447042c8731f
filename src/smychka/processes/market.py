"""Private sales, tax collection and goods purchases under the goods famine.

Goods are sold at fixed retail prices, so when desired purchases exceed the supply delivered
to a region, each household gets the same share of what it wished to buy (availability).
Money that cannot buy goods is worth less than grain: availability enters the marketing
decision of the next month through its expectation.
"""
from __future__ import annotations

import numpy as np

from ..core.params import Param
from ..kernels.trade import market_month
from . import tax
from .industry import consumer_output_index

PARAMS = (
    Param("market.state_price_base", 60.0, "roubles per tonne",
          "state procurement price of grain in 1926/27 (procurement_price = 1)", (10.0, 500.0),
          "S5"),
    Param("market.private_premium_start", 1.15, "ratio",
          "private grain price over the state price at the start of the run", (0.5, 3.0),
          "model-estimate"),
    Param("market.goods_supply_base", 3207.0, "million roubles per year",
          "manufactured goods delivered to the countryside in 1926/27 (goods_supply = 1), "
          "at 1926/27 retail prices", (0.0, 20000.0), "to be calibrated", calibrate=True),
    Param("market.goods_budget", 0.5511, "roubles per person per month",
          "goods a household of average wealth wants to buy, at 1926/27 prices", (0.0, 20.0),
          "calibrated on the 1924-1929 record", calibrate=True),
    Param("market.goods_wealth_elasticity", 0.5, "elasticity",
          "how goods wanted rise with the household's harvest per person", (0.0, 2.0),
          "model-estimate"),
    Param("market.goods_catchup", 0.2, "share per month",
          "share of idle cash above the goods budget a household tries to spend", (0.0, 1.0),
          "model-estimate"),
    Param("market.income_per_cow", 0.8, "roubles per head per month",
          "money income from dairy, hides and draught hire per head of cattle", (0.0, 10.0),
          "model-estimate"),
    Param("market.income_per_sheep", 0.1, "roubles per head per month",
          "money income from wool per sheep", (0.0, 2.0), "model-estimate"),
    Param("market.income_per_worker", 0.3, "roubles per worker per month",
          "money income from industrial crops, crafts and off-farm work per worker",
          (0.0, 20.0), "model-estimate"),
    Param("market.wage", 2.0, "roubles per spare worker per month",
          "earnings of labour the household's own fields do not need (hired out to "
          "neighbours, seasonal work in towns)", (0.0, 50.0), "model-estimate"),
    Param("market.retail_markup", 1.4, "ratio",
          "state retail grain price over the procurement price (grain bought when private "
          "trade is closed)", (1.0, 5.0), "model-estimate"),
    Param("market.price_adjustment", 0.05, "elasticity per month",
          "speed at which the private price moves with excess demand", (0.0, 2.0),
          "model-estimate"),
    Param("market.demand_elasticity", 0.5, "elasticity (absolute)",
          "price elasticity of the towns' private grain demand", (0.0, 3.0), "model.md §6"),
    Param("market.max_monthly_move", 0.1, "share",
          "largest change of the private price in a month", (0.01, 1.0), "model-estimate"),
    Param("market.max_premium", 15.0, "ratio",
          "ceiling of the private grain price over the state price (famine black markets)",
          (1.0, 50.0), "model-estimate"),
    Param("market.expectation_weight", 0.25, "share per month",
          "weight of the current month in expected prices and goods availability",
          (0.01, 1.0), "model-estimate"),
)


def goods_availability(world) -> np.ndarray:
    """Share of wished goods purchases the supply covers, by region."""
    p = world.params
    supply = (world.lever("goods_supply") * consumer_output_index(world)
              * p["market.goods_supply_base"] * 1e6 / 12.0
              * world.lever("goods_price") * world.regions["household_share"])
    wish = world.econ.month_values.get("goods_wish", np.zeros(world.n_regions))
    return np.where(wish > 0, np.minimum(1.0, supply / np.maximum(wish, 1e-9)), 1.0)


def market_fill(world, wished: float, sold: float = 0.0, taken: float = 0.0) -> float:
    """Share of `wished` (tonnes, as far as the buyers' cash goes) that the rural market can
    serve: traders' stocks and `sold` (what peasants sold privately this month, not yet in
    the traders' stocks), and the state's stock as far as the state_rural_sales lever lets
    its stores serve villagers; less `taken`, what villagers already bought this month."""
    if wished <= 0.0:
        return 1.0
    e = world.econ
    state = min(world.lever("state_rural_sales") * (wished + taken), max(e.state_stock, 0.0))
    can = e.trader_stock + sold + state - taken
    return float(min(max(can / wished, 0.0), 1.0))


def purchase_price(world) -> np.ndarray:
    """Price peasants pay for grain: traders' price, or state retail where trade is closed."""
    e, pt = world.econ, world.econ.private_trade
    return pt * e.private_price + (1.0 - pt) * e.state_price * world.p("market.retail_markup")


def step(world, rec) -> None:
    """Private sales, then the tax paid from cash, then goods bought: one pass over the
    households (kernels.trade.market_month), the same as the three steps in turn. The goods
    availability does not depend on this month's sales or payments, so it is set first."""
    hh, e = world.hh, world.econ
    e.goods_availability = goods_availability(world)
    share = tax.PAY_SHARE.get(world.cal.month_of_year(world.t), tax.ARREARS_SHARE)
    acc = world.acc(4)
    market_month(hh.n, world.chunk, hh.status, hh.region, hh.stratum, hh.village,
                 world.villages.blacklisted, hh.offer_private, e.private_price, hh.grain,
                 hh.money, hh.tax_due, max(share, 0.0), hh.goods_wish,
                 e.goods_availability, acc)
    rec.add_household_flows(world.t, ("private_sales", "grain_revenue"), acc[:, :2])
    e.month_values["private_sold"] = acc[:, 0].sum() * world.weight / 1000.0
    if share > 0.0:
        rec.add_household_flows(world.t, ("tax_paid",), acc[:, 2:3])
    rec.add_household_flows(world.t, ("goods_spending",), acc[:, 3:4])
    rec.set_region(world.t, "goods_availability", e.goods_availability)

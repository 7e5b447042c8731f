"""Marketing: each household decides how much grain to sell and through which channel."""
from __future__ import annotations

import numpy as np

from ..core.params import Param
from ..kernels.marketing import decide

PARAMS = (
    Param("marketing.precaution_base", 0.1984, "years of food",
          "precautionary stock kept beyond needs in normal times", (0.0, 1.0),
          "calibrated on the 1924-1929 record", calibrate=True),
    Param("marketing.hoarding_goods", 0.00193, "years of food per unit of shortage",
          "extra precautionary stock when goods cannot be bought (1 - expected availability)",
          (0.0, 3.0), "calibrated on the 1924-1929 record", calibrate=True),
    Param("marketing.hoarding_scissors", 1.144, "years of food per unit of scissors",
          "extra precautionary stock when manufactured goods are dear against grain",
          (0.0, 2.0), "calibrated on the 1924-1929 record", calibrate=True),
    Param("marketing.hoarding_fear", 0.1359, "years of food per unit of fear",
          "extra stock held by households that fear confiscation", (0.0, 3.0),
          "calibrated on the 1924-1929 record", calibrate=True),
    Param("marketing.hoarding_war", 0.4689, "years of food at full war scare",
          "extra precautionary stock while war and shortages are expected (war_scare lever)",
          (0.0, 2.0), "calibrated on the 1924-1929 record", calibrate=True),
    Param("marketing.sale_rate", 0.2958, "share per month",
          "share of the surplus above the reserve sold in a month at reference prices",
          (0.01, 1.0), "calibrated on the 1924-1929 record", calibrate=True),
    Param("marketing.price_elasticity", 1.0, "elasticity",
          "response of sales from the surplus to the real price received", (0.0, 1.5),
          "model-anchors §5 (0.3-1.0)", calibrate=True),
    Param("marketing.goods_elasticity", 1.143, "elasticity",
          "response of sales from the surplus to the expected availability of goods",
          (0.0, 3.0), "calibrated on the 1924-1929 record", calibrate=True),
    Param("marketing.cash_horizon", 2.0, "months",
          "months of goods purchases a household wants in cash", (0.0, 12.0), "model-estimate"),
    Param("marketing.need_floor", 0.8, "share of food to harvest",
          "part of the food to the next harvest a household keeps when selling for cash",
          (0.0, 1.0), "model-estimate"),
    Param("marketing.channel_sensitivity", 1.395, "per unit of relative price gap",
          "how strongly the private price premium pulls sales to private traders",
          (0.0, 20.0), "calibrated on the 1924-1929 record", calibrate=True),
    Param("marketing.loyalty_tilt", 1.978, "per unit of loyalty",
          "how strongly loyalty tilts sales toward the state", (0.0, 10.0), "to be calibrated",
          calibrate=True),
    Param("marketing.state_preference", 2.7, "logit",
          "pull of the state channel at equal prices (cooperatives, contracts, habit)",
          (-5.0, 5.0), "calibrated on the 1924-1929 record", calibrate=True),
    Param("marketing.redirect", 0.2939, "share",
          "share of the sales a household meant for private traders that it sells to the state "
          "when the private market is closed (the rest it holds)", (0.0, 1.0),
          "to be calibrated", calibrate=True),
    Param("marketing.hide_rate", 0.7385, "share per month per unit of fear",
          "share of the surplus a frightened household hides in a month", (0.0, 1.0),
          "calibrated on the 1924-1929 record", calibrate=True),
    Param("marketing.legal_risk", 0.5, "share of the private price",
          "discount peasants apply to the private price when private trade is restricted "
          "(times 1 - private_trade)", (0.0, 1.0), "model-estimate"),
)


def months_to_harvest(month: int) -> int:
    """Months until the July harvest, counting the current month (July -> 12, June -> 1)."""
    return (7 - month) % 12 or 12


def seed_ahead(month: int, first_share: float) -> tuple[float, float]:
    """Shares of the winter and spring seed still to be sown before the next harvest, counted
    after this month's sowing (sowing runs earlier in the month)."""
    winter = {7: 1.0, 8: 1.0, 9: 1.0 - first_share}.get(month, 0.0)
    spring = 0.0 if month in (5, 6) else (1.0 - first_share if month == 4 else 1.0)
    return winter, spring


def step(world, rec) -> None:
    from .consumption import stall_ahead
    from .market import purchase_price

    p, hh, e = world.params, world.hh, world.econ
    m = world.cal.month_of_year(world.t)
    w_ahead, s_ahead = seed_ahead(m, p["sowing.first_month_share"])
    acc = world.acc(4)
    decide(hh.n, world.chunk, months_to_harvest(m), stall_ahead(m), w_ahead, s_ahead,
           hh.village, world.villages.capture, p["cadres.capture_divert"],
           p["marketing.hide_rate"], hh.hidden, hh.status, hh.region, hh.stratum, hh.persons, hh.horses, hh.cattle, hh.pigs,
           hh.sheep, hh.workers, hh.last_sown, hh.last_harvest, hh.grain, hh.money,
           hh.tax_due, hh.loyalty, hh.fear, hh.offer_state, hh.offer_private, hh.goods_wish,
           world.regions["winter_share"], e.state_price, e.private_price,
           e.expected_availability, e.expected_scissors, world.lever("goods_price"),
           e.private_trade, p["market.state_price_base"] / 1000.0 * world.regions["price_zone"],
           p["consumption.food_kg"], p["sowing.seed_rate"], *feed_params(p),
           p["marketing.precaution_base"], p["marketing.hoarding_goods"],
           p["marketing.hoarding_scissors"], p["marketing.hoarding_fear"],
           p["marketing.hoarding_war"] * world.lever("war_scare"),
           p["marketing.sale_rate"], p["marketing.price_elasticity"],
           p["marketing.goods_elasticity"], p["marketing.cash_horizon"],
           p["marketing.need_floor"], p["marketing.channel_sensitivity"],
           p["marketing.loyalty_tilt"], p["marketing.state_preference"],
           p["marketing.legal_risk"], p["marketing.redirect"], feed_factor(world),
           purchase_price(world),
           p["market.goods_budget"], p["market.goods_wealth_elasticity"],
           p["market.goods_catchup"], *income_params(world), p["sowing.ha_per_worker"], acc)
    rec.add_household_flows(world.t, ("other_income",), acc[:, :1])
    rec.add_household_flows(world.t, ("losses",), acc[:, 3:4])
    sums = acc.sum(axis=0)
    world.econ.month_values["goods_wish"] = sums[1].sum(axis=1) * world.weight
    world.econ.month_values["offered"] = sums[2].sum(axis=1) * world.weight


def income_params(world) -> tuple:
    """Non-grain money incomes per cow, sheep, worker and spare worker, at the price level of
    the month (animal products, crafts and labour sell at market prices)."""
    p, k = world.params, world.econ.income_index
    return (p["market.income_per_cow"] * k, p["market.income_per_sheep"] * k,
            p["market.income_per_worker"] * k, p["market.wage"] * k)


def feed_factor(world) -> np.ndarray:
    """Grain fed per head relative to normal, by region: livestock products sell at market
    prices, so feeding grain pays more when the state's grain price falls against the market
    price (the shift out of grain sales into livestock)."""
    p, e = world.params, world.econ
    zone = world.regions["price_zone"]
    market = e.private_price / (p["market.state_price_base"] / 1000.0
                                * p["market.private_premium_start"] * zone)
    state = e.state_price / (p["market.state_price_base"] / 1000.0 * zone)
    ratio = market / np.maximum(state, 1e-9)
    return np.clip(ratio ** p["livestock.feed_price_elasticity"], 0.7, 1.5)


def feed_params(p: dict) -> tuple:
    """Grain fodder per head per year (kg): horses, cattle, pigs, sheep."""
    return (p["livestock.feed_horse"], p["livestock.feed_cattle"], p["livestock.feed_pig"],
            p["livestock.feed_sheep"])

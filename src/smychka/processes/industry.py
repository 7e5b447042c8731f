"""Industry and the flow of resources between agriculture and the rest of the economy.

Two sectors in the manner of Feldman: producer-goods capital yields producer goods, which the
plan splits between new producer capital (the `investment_share`) and new consumer capital;
consumer capital yields the manufactures the village can buy. A share of producer output, and
the machinery that grain exports buy, become tractors for the machine-tractor stations. The
towns grow with industrial output and with peasants fleeing the village. The net resource
flow out of agriculture is valued at 1926/27 prices (the Barsov / Millar / Ellman accounting).
"""
from __future__ import annotations

import numpy as np

from ..core.params import Param

PARAMS = (
    Param("industry.producer_capital", 4000.0, "million roubles (1926/27 prices)",
          "producer-goods capital in July 1924", (100.0, 100000.0), "model-estimate"),
    Param("industry.consumer_capital", 12000.0, "million roubles (1926/27 prices)",
          "consumer-goods capital in July 1924", (100.0, 100000.0), "model-estimate"),
    Param("industry.capital_output", 3.0, "years", "capital-output ratio of both sectors",
          (0.5, 10.0), "model-anchors §6.3"),
    Param("industry.depreciation", 0.072, "per year", "depreciation of industrial capital",
          (0.0, 0.3), "model-estimate"),
    Param("industry.tractor_share", 0.05, "share of producer output",
          "part of producer-goods output built as tractors", (0.0, 0.5), "model-estimate"),
    Param("industry.tractor_price", 0.003, "million roubles per tractor",
          "cost of a tractor", (0.0001, 0.1), "model-estimate"),
    Param("industry.tractors_start", 10000.0, "tractors", "tractors in July 1924",
          (0.0, 1e6), "memory"),
    Param("industry.ha_per_tractor", 150.0, "ha per season", "area a tractor ploughs",
          (10.0, 1000.0), "model-estimate"),
    Param("industry.tractor_scrapping", 0.1, "per year", "tractors worn out", (0.0, 1.0),
          "model-estimate"),
    Param("industry.export_price", 80.0, "roubles per tonne",
          "machinery bought per tonne of grain exported", (0.0, 500.0), "model-estimate"),
    Param("industry.urban_natural_growth", 0.012, "per year",
          "natural growth of the urban population", (-0.05, 0.1), "model-estimate"),
    Param("industry.urban_employment_elasticity", 0.55, "elasticity",
          "growth of the towns (recruited labour and families) per unit growth of industrial "
          "output", (0.0, 3.0),
          "calibrated on the urban growth of 1926-1929 (U3: 2.7 % a year)", calibrate=True),
)

CENSUS_MONTH = 1926 * 12 + 11  # December 1926


def initialise(world) -> None:
    p, e = world.params, world.econ
    e.producer_capital = p["industry.producer_capital"]
    e.consumer_capital = p["industry.consumer_capital"]
    e.tractors = p["industry.tractors_start"]
    years = (world.month_key(0) - CENSUS_MONTH) / 12.0   # the census anchors the towns
    e.urban_population = p["town.urban_population_1926"] * (
        1.0 + p["town.urban_growth"]) ** years


def consumer_output_index(world) -> float:
    """Consumer-goods output relative to July 1924: scales the goods reaching the village."""
    return world.econ.consumer_capital / world.params["industry.consumer_capital"]


def step(world, rec) -> None:
    p, e, t = world.params, world.econ, world.t
    v = p["industry.capital_output"]
    y_p, y_c = e.producer_capital / v / 12.0, e.consumer_capital / v / 12.0   # per month
    gamma = world.lever("investment_share")
    exports_t = np.nan_to_num(rec.n["exports"][t]) if t < len(rec.n["exports"]) else 0.0
    machinery = exports_t * p["industry.export_price"] / 1e6
    tractor_spend = p["industry.tractor_share"] * gamma * y_p
    dep = p["industry.depreciation"] / 12.0
    e.producer_capital += gamma * y_p - tractor_spend + machinery - dep * e.producer_capital
    e.consumer_capital += (1.0 - gamma) * y_p - dep * e.consumer_capital
    new_tractors = tractor_spend / p["industry.tractor_price"]
    e.tractors += new_tractors - p["industry.tractor_scrapping"] / 12.0 * e.tractors
    _allocate_tractors(world)
    # towns: natural growth, recruitment with industrial growth, peasants in flight
    growth = (gamma * y_p - tractor_spend + machinery + (1.0 - gamma) * y_p
              - dep * (e.producer_capital + e.consumer_capital)) / (
                  e.producer_capital + e.consumer_capital)
    e.urban_population *= 1.0 + p["industry.urban_natural_growth"] / 12.0 + max(
        growth, 0.0) * p["industry.urban_employment_elasticity"]
    e.urban_population += e.month_values.get("fled", 0.0)
    rec.set_national(t, "industrial_output", (y_p + y_c) * 1e6)
    rec.set_national(t, "consumer_goods_output", y_c * 1e6)
    rec.set_national(t, "investment", (gamma * y_p + machinery) * 1e6)
    rec.set_national(t, "tractors", e.tractors)
    rec.set_national(t, "net_resource_flow", net_resource_flow(world, rec, new_tractors))


def _allocate_tractors(world) -> None:
    """Machine-tractor stations serve the kolkhozes, in proportion to their land."""
    v, p = world.villages, world.params
    total_land = v.k_land.sum()
    if total_land <= 0:
        v.tractor_ha[:] = 0.0
        return
    ha = world.econ.tractors * p["industry.ha_per_tractor"] / world.weight   # sample scale
    v.tractor_ha[:] = ha * v.k_land / total_land


def net_resource_flow(world, rec, new_tractors: float) -> float:
    """Roubles at 1926/27 prices flowing out of agriculture in the month: grain and animals
    sold or taken, other products and labour sold (other income), taxes, fines and money
    expropriated, less the manufactures, grain, relief and tractors it receives."""
    p, t = world.params, world.t
    s = {k: rec.rs[k][t].sum() for k in ("procurement", "private_sales", "grain_purchases",
                                         "redistributed", "relief", "livestock_revenue",
                                         "tax_paid", "fines", "money_expropriated",
                                         "goods_spending", "livestock_spending",
                                         "other_income")}
    price = p["market.state_price_base"]                       # roubles per tonne, 1926/27
    grain_out = (s["procurement"] + s["private_sales"] - s["grain_purchases"]
                 - s["redistributed"] - s["relief"]) * price
    money_out = s["tax_paid"] + s["fines"] + s["money_expropriated"]
    goods_in = s["goods_spending"] / max(world.lever("goods_price"), 1e-9)
    tractors_in = new_tractors * p["industry.tractor_price"] * 1e6
    return float(grain_out + s["livestock_revenue"] - s["livestock_spending"]
                 + s["other_income"] + money_out - goods_in - tractors_in)

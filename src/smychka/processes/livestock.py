"""Livestock: births (spring), deaths, sale and slaughter; fodder shortage kills and forces
sales; herds above what the household's land carries are sold down."""
from __future__ import annotations

import numpy as np

from ..core.params import Param
from ..kernels.livestock import breed

KINDS = ("horse", "cattle", "pig", "sheep")
_P = []
for kind, feed, birth, death, off, price, unit, want in (
        ("horse", 431.1, 0.108, 0.0404, 0.0247, 60.0, 1.0, 0.18),
        ("cattle", 90.6, 0.3, 0.0437, 0.349, 35.0, 0.8, 0.587),
        ("pig", 249.2, 1.98, 0.0502, 1.88, 20.0, 0.3, 0.281),
        ("sheep", 10.0, 0.892, 0.17, 0.502, 5.0, 0.1, 1.0)):
    # births, deaths, offtake, wanted herds and grain fed: searched against the 1924-1929
    # record (herd counts of 1928-29, fodder shares, marketing); the wanted herds land near the
    # pre-war density of animals on the land (L1)
    _P += [
        Param(f"livestock.feed_{kind}", feed, "kg grain per head per year",
              f"grain fodder a {kind} needs", (0.0, 1500.0),
              "calibrated on the 1924-1929 record (fodder 26-32 % of the crop)"),
        Param(f"livestock.birth_{kind}", birth, "per head per year", f"{kind} births",
              (0.0, 5.0), "calibrated on the 1924-1929 record"),
        Param(f"livestock.death_{kind}", death, "per head per year", f"{kind} deaths (normal)",
              (0.0, 1.0), "calibrated on the 1924-1929 record"),
        Param(f"livestock.offtake_{kind}", off, "per head per year",
              f"{kind} sold or slaughtered in a normal year", (0.0, 5.0), "calibrated on the 1924-1929 record"),
        Param(f"livestock.price_{kind}", price, "roubles per head", f"price of a {kind} sold",
              (0.0, 1000.0), "model-estimate"),
        Param(f"livestock.want_{kind}", want, "head per ha of allotment",
              f"{kind}s a household wants for its land (it buys young stock toward it; at "
              "least one horse and one cow)" if kind in ("horse", "cattle") else
              f"{kind}s a household wants for its land (it buys young stock toward it)",
              (0.0, 5.0), "calibrated on the 1924-1929 record"),
        Param(f"livestock.unit_{kind}", unit, "livestock units per head",
              f"grazing and fodder weight of a {kind}", (0.0, 2.0), "model-estimate"),
    ]
PARAMS = tuple(_P) + (
    Param("livestock.starvation", 0.03, "per head per month",
          "extra deaths per month when no fodder at all is fed", (0.0, 1.0), "model-estimate"),
    Param("livestock.distress_sales", 0.08, "per head per month",
          "extra sales and slaughter per month when no fodder at all is fed", (0.0, 1.0),
          "model-estimate"),
    Param("livestock.famine_sales", 0.1, "per head per month",
          "extra sale and slaughter per month by a family that goes wholly without food (in "
          "proportion to the share of its food need unmet); a hungry family buys no animals",
          (0.0, 1.0), "model-estimate"),
    Param("livestock.buy_rate", 0.139, "per month",
          "chance a household below its wanted herd buys a young animal in a month, if it "
          "has the cash (half the price of a grown one)", (0.0, 1.0), "calibrated on the 1924-1929 record"),
    Param("livestock.fear_sell", 0.3751, "per unit of fear",
          "extra sale and slaughter of a frightened household, as if its herd were that much "
          "over what its land carries", (0.0, 10.0), "calibrated on the 1924-1929 record", calibrate=True),
    Param("livestock.feed_price_elasticity", 0.0, "elasticity",
          "response of grain fed per head to the market price of grain (and so of livestock "
          "products) over the state's grain price", (0.0, 3.0), "calibrated on the 1924-1929 record",
          calibrate=True),
    Param("livestock.rebuild_offtake", 0.21, "share of the normal offtake",
          "sale and slaughter of a household whose herd of a kind is below the herd it wants, "
          "as a share of the normal rate: it keeps its young stock to rebuild", (0.0, 1.0),
          "calibrated on the 1924-1929 record", calibrate=True),
    Param("livestock.hunger_below", 0.6628, "share of the grain ration",
          "share of the grain fodder need below which animals go hungry (hay, straw and "
          "grazing carry them through a smaller shortfall); hunger rises linearly to 1 when "
          "no grain is fed", (0.05, 1.0), "calibrated on the 1924-1929 record", calibrate=True),
    Param("livestock.pig_winter_slaughter", 0.45, "share of the year's pig offtake",
          "share of a normal year's sale and slaughter of pigs that falls in October-January "
          "(pigs fattened on the harvest are killed when the cold keeps the meat; 4/12 would "
          "spread it evenly over the year)", (0.0, 1.0), "calibrated on the 1924-1929 record"),
    Param("livestock.horse_min_land", 2.7, "ha of allotment",
          "allotment below which a household wants no horse of its own: a horse would eat "
          "more than it earns, and the ploughing is hired (sowing.hire_ha)", (0.0, 10.0),
          "calibrated on the horseless share of 1927 (K6: about 30 %)"),
    Param("livestock.units_per_ha", 1.0, "livestock units per ha of allotment",
          "herd the land carries; above it the household sells down", (0.1, 5.0),
          "model-estimate"),
)

BIRTH_MONTHS = {4: 0.5, 5: 0.5}      # share of the year's births in the month
PIG_BIRTH_MONTHS = {4: 0.5, 9: 0.5}  # pigs farrow twice a year
PIG_SLAUGHTER_MONTHS = (10, 11, 12, 1)   # the season of pig slaughter


def offtake_rates(p: dict, month: int) -> np.ndarray:
    """The month's sale and slaughter rates per head, by kind: a twelfth of the year's, except
    pigs, whose slaughter season (October-January) takes `livestock.pig_winter_slaughter` of
    the year's offtake and the other eight months the rest."""
    k, share = len(PIG_SLAUGHTER_MONTHS), p["livestock.pig_winter_slaughter"]
    pig = 12.0 * share / k if month in PIG_SLAUGHTER_MONTHS else 12.0 * (1.0 - share) / (12 - k)
    return _vec(p, "offtake") / 12.0 * np.array([1.0, 1.0, pig, 1.0])


def _vec(p: dict, what: str) -> np.ndarray:
    return np.array([p[f"livestock.{what}_{k}"] for k in KINDS])


def step(world, rec) -> None:
    p, hh = world.params, world.hh
    m = world.cal.month_of_year(world.t)
    birth = _vec(p, "birth") * np.array([BIRTH_MONTHS.get(m, 0.0)] * 2
                                        + [PIG_BIRTH_MONTHS.get(m, 0.0)]
                                        + [BIRTH_MONTHS.get(m, 0.0)])
    unit = _vec(p, "unit")
    acc = world.acc(10)
    breed(hh.n, world.chunk, world.streams["livestock"], world.month_key(), hh.status,
          hh.region, hh.stratum, hh.land, hh.fed_pct, hh.money, hh.horses, hh.cattle, hh.pigs,
          hh.sheep, birth, _vec(p, "death") / 12.0, offtake_rates(p, m),
          _vec(p, "price"), unit, p["livestock.starvation"], p["livestock.distress_sales"],
          p["livestock.units_per_ha"], _vec(p, "want"), p["livestock.horse_min_land"],
          p["livestock.buy_rate"],
          0.5 * _vec(p, "price"), hh.fear, p["livestock.fear_sell"],
          p["livestock.rebuild_offtake"], p["livestock.hunger_below"], hh.hunger_pct,
          p["livestock.famine_sales"], acc)
    rec.add_household_flows(world.t, ("livestock_revenue",), acc[:, :1])
    rec.add_household_flows(world.t, ("livestock_spending",), acc[:, 9:10])
    sold = np.tensordot(acc[:, 1:5].sum(axis=0), unit, axes=([0], [0]))
    dead = np.tensordot(acc[:, 5:9].sum(axis=0), unit, axes=([0], [0]))
    rec.add_household_flows(world.t, ("livestock_sold", "livestock_deaths"),
                            np.stack([sold, dead])[None])

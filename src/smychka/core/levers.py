"""Levers: the policy instruments of the centre, each a dated schedule in a scenario.

A schedule maps "YYYY-MM" to a value that holds from that month until the next entry; before
the first entry the lever has its default. `resolve_levers` turns schedules into one array per
lever over the months of the run.
"""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from .calendar import Calendar, format_month, parse_month


@dataclass(frozen=True)
class Lever:
    name: str
    default: float
    unit: str
    meaning: str
    bounds: tuple[float, float]
    annual: bool = False   # a quantity for the agricultural year (plans, exports)


LEVERS: dict[str, Lever] = {lv.name: lv for lv in (
    Lever("procurement_price", 1.0, "index, 1926/27 = 1",
          "state purchase price of grain", (0.0, 10.0)),
    Lever("goods_supply", 1.0, "index, 1926/27 = 1",
          "manufactured goods delivered to the countryside", (0.0, 10.0)),
    Lever("goods_price", 1.0, "index, 1926/27 = 1",
          "retail price of manufactured goods in the countryside", (0.05, 10.0)),
    Lever("private_trade", 1.0, "0-1",
          "private grain trade: 1 free ... 0 banned", (0.0, 1.0)),
    Lever("procurement_plan", 11.2, "million tonnes",
          "state procurement plan for the agricultural year", (0.0, 60.0), annual=True),
    Lever("tax_exempt_share", 0.25, "share of households",
          "poorest share of households exempt from the agricultural tax", (0.0, 0.95)),
    Lever("tax_progressivity", 1.4, "exponent",
          "agricultural tax: elasticity of tax to assessed income (1 = proportional)",
          (0.5, 3.0)),
    Lever("grain_exports", 2.2, "million tonnes",
          "grain exports planned for the agricultural year", (0.0, 20.0), annual=True),
    Lever("war_scare", 0.0, "0-1",
          "fear of war and of coming shortages (the 1927 war scare): peasants hold more grain",
          (0.0, 1.0)),
    Lever("grain_imports", 0.0, "million tonnes",
          "grain the state is willing to import in the agricultural year to keep the towns' "
          "rations", (0.0, 20.0), annual=True),
    Lever("collectivization_target", 0.0, "0-1",
          "share of households in kolkhozes the cadres must reach (spread over regions by the "
          "order of the drive)", (0.0, 1.0)),
    Lever("dekulakization", 0.0, "share per year",
          "share of households expropriated (by label) per year", (0.0, 1.0)),
    Lever("exit_allowed", 0.0, "0/1", "members may leave the kolkhoz (the March 1930 retreat)",
          (0.0, 1.0)),
    Lever("passports", 0.0, "0/1", "peasant movement to the towns restricted", (0.0, 1.0)),
    Lever("investment_share", 0.35, "0-1",
          "share of producer-goods output reinvested in producer goods (Feldman's gamma)",
          (0.0, 1.0)),
    Lever("relief", 0.0, "million tonnes",
          "seed and food loans to villages for the agricultural year, given in equal parts in "
          "the months it is set", (0.0, 20.0), annual=True),
    Lever("state_rural_sales", 1.0, "0-1",
          "share of the villagers' grain purchases that state and cooperative stores serve "
          "(the rest only traders and neighbours can sell): 1 the NEP supply of grain-deficit "
          "villages, lower once the state's grain goes first to rationed towns", (0.0, 1.0)),
    Lever("coercion", 0.0, "0-1",
          "0 purchase only; 0.3 targeted legal enforcement; 0.6 extraordinary measures "
          "(art. 107, closed markets, searches); 0.8 Ural-Siberian village quotas, fivefold "
          "fines, 25 % to the poor; 1.0 blacklists, seed confiscation", (0.0, 1.0)),
    Lever("label_error", 0.1, "0-1",
          "how often the cadres call a non-kulak a kulak, before zeal", (0.0, 1.0)),
    Lever("forced_loan", 0.0, "million tonnes",
          "compulsory grain loan from the richest decile, for the agricultural year, levied "
          "in equal parts in the months it is set", (0.0, 20.0), annual=True),
)}


def check_lever(name: str, key: str | None = None) -> Lever:
    key = key or f"levers.{name}"
    if name not in LEVERS:
        near = difflib.get_close_matches(name, LEVERS, n=3)
        raise InputError(key, f"unknown lever {name!r}",
                         ", ".join(near) if near else ", ".join(LEVERS))
    return LEVERS[name]


def check_value(name: str, value, key: str) -> float:
    lv = check_lever(name, key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise InputError(key, f"{value!r} is not a number", "a number") from None
    value = float(value)
    lo, hi = lv.bounds
    if math.isnan(value) or not lo <= value <= hi:
        raise InputError(key, f"{value} is out of bounds", f"{lo} to {hi} ({lv.unit})")
    return value


def check_dates(schedules: dict[str, dict[str, float]], cal: Calendar, prefix: str = "levers") -> None:
    """Strict check for schedules a user wrote for this run (own file, --lever): every date
    must lie inside the run and every value inside the lever's bounds."""
    for name, sched in schedules.items():
        check_lever(name, f"{prefix}.{name}")
        for month, value in sched.items():
            key = f"{prefix}.{name}.{month}"
            a = parse_month(month, key)
            if not cal.start <= a <= cal.end:
                raise InputError(key, "lever date lies outside the run",
                                 f"a month from {format_month(cal.start)} to {format_month(cal.end)}")
            check_value(name, value, key)


def resolve_levers(schedules: dict[str, dict[str, float]], cal: Calendar) -> dict[str, np.ndarray]:
    """One float64 array per lever over the run's months. Inherited entries before the start
    set the starting value; entries after the end are ignored (a scenario may shorten the
    run of the one it extends)."""
    for name in schedules:
        check_lever(name)
    out = {}
    for name, lv in LEVERS.items():
        arr = np.full(cal.n_months, lv.default)
        sched = schedules.get(name, {})
        for month in sorted(sched, key=lambda m: parse_month(m, f"levers.{name}.{m}")):
            a = parse_month(month, f"levers.{name}.{month}")
            if a > cal.end:
                continue
            arr[max(0, a - cal.start):] = check_value(name, sched[month], f"levers.{name}.{month}")
        out[name] = arr
    return out

"""Demography: births and deaths, famine mortality rising steeply as food falls short, lost
work capacity, relief grain, and flight to the towns until passports close the road."""
from __future__ import annotations

from ..core.params import Param
from ..kernels import VBLOCK
from ..kernels.demography import (BIRTHS, CARRIED, DEATHS, FAMINE_DEATHS, FLED_PERSONS,
                                  MONEY_GONE, N_DEMO, RELIEF, demography)

PARAMS = (
    Param("demography.death_rate", 0.022, "per person per year",
          "rural deaths in normal times (about 22 per thousand)", (0.0, 0.1), "memory"),
    Param("demography.birth_rate", 0.042, "per person per year",
          "rural births in normal times (about 42 per thousand)", (0.0, 0.1), "memory"),
    Param("demography.famine_mortality", 0.08, "per person per month at full weakness",
          "excess deaths per month of a household weakened by long hunger (weakness 1: no "
          "food for many months)",
          (0.0, 1.0), "model-estimate"),
    Param("demography.famine_exponent", 2.0, "exponent",
          "convexity of excess mortality in the unmet share of food need", (1.0, 5.0),
          "model-estimate"),
    Param("demography.hunger_floor", 0.175, "share of food need",
          "grain deficit a family covers with other food and tighter belts before it weakens "
          "and dies", (0.0, 0.9), "calibrated on the 1924-1929 record"),
    Param("demography.weakness_memory", 0.8, "share per month",
          "how long hunger keeps weakening a household (share of last month's weakness kept)",
          (0.0, 1.0), "model-estimate"),
    Param("demography.flight_rate", 0.1, "per month at full weakness",
          "chance a starving household flees to the towns in a month, roads open",
          (0.0, 1.0), "model-estimate"),
    Param("demography.flight_threshold", 0.2, "weakness 0-1",
          "weakness from which households start to flee", (0.0, 1.0), "model-estimate"),
    Param("demography.passport_block", 0.9, "share",
          "share of flight the passport regime and the bans on movement stop", (0.0, 1.0),
          "model-estimate"),
    Param("demography.worker_ratio", 0.48, "workers per person",
          "working hands per family member as families grow and shrink", (0.1, 1.0),
          "strata.csv (about 2.6 workers in 5.3 persons)"),
    Param("demography.relief_weakness", 0.1, "weakness 0-1",
          "weakness from which a household receives relief grain when relief is given",
          (0.0, 1.0), "model-estimate"),
)


def relief_per_person(world) -> float:
    """Kg of relief grain per person in need this month: the year's relief lever spread over
    the months it is set, over the people of weak households."""
    amount = world.lever("relief")
    if amount <= 0:
        return 0.0
    year = world.cal.ag_year(world.t)
    months = sum(1 for t in range(world.cal.n_months)
                 if world.cal.ag_year(t) == year and world.levers["relief"][t] > 0)
    hh, n = world.hh, world.hh.n
    needy = (hh.weakness[:n] > world.p("demography.relief_weakness")) & (hh.status[:n] <= 1)
    people = float(hh.persons[:n][needy].sum()) * world.weight
    if people <= 0:
        return 0.0
    return amount * 1e9 / max(months, 1) / people


def step(world, rec) -> None:
    p, v, hh, e = world.params, world.villages, world.hh, world.econ
    acc = world.village_acc(N_DEMO)
    open_road = 1.0 - p["demography.passport_block"] * world.lever("passports")
    demography(v.n, VBLOCK, world.streams["demography"], world.month_key(), v.first, v.count,
               v.region, v.k_members, v.k_workers, v.k_grain, hh.status, hh.stratum,
               hh.persons, hh.workers, hh.grain, hh.hidden, hh.money, hh.hunger_pct,
               hh.weakness, p["demography.death_rate"] / 12.0,
               p["demography.birth_rate"] / 12.0, p["demography.famine_mortality"],
               p["demography.famine_exponent"], p["demography.hunger_floor"],
               p["demography.weakness_memory"],
               p["demography.flight_rate"], p["demography.flight_threshold"], open_road,
               relief_per_person(world), p["demography.relief_weakness"],
               p["demography.worker_ratio"], hh.land, v.k_land, v.alive, acc)
    for idx, name in ((RELIEF, "relief"), (CARRIED, "grain_carried_off"),
                      (MONEY_GONE, "money_carried_off"), (DEATHS, "deaths"),
                      (BIRTHS, "births")):
        rec.add_household_flows(world.t, (name,), acc[:, idx:idx + 1])
    sums = acc.sum(axis=0).sum(axis=2) * world.weight
    rec.set_region(world.t, "famine_deaths", sums[FAMINE_DEATHS])
    rec.set_region(world.t, "fled", sums[FLED_PERSONS])
    e.month_values["fled"] = float(sums[FLED_PERSONS].sum())
    e.month_values["relief"] = float(sums[RELIEF].sum()) / 1e3    # tonnes

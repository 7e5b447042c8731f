"""The procurement campaign under coercion: enforcement, searches and confiscation, forced
loans, village quotas with fines, the poor's share, blacklists (levels of the `coercion`
lever); every grain taken joins the books as procurement."""
from __future__ import annotations

import numpy as np

from ..core.params import Param
from ..kernels import VBLOCK
from ..kernels.campaign import (ARBITRARY, CONFISCATED, FINES, FORCED, HITS, N_ACC, PROCURED,
                                REDISTRIBUTED, REVENUE, campaign,
                                living_by_region)
from .marketing import months_to_harvest, seed_ahead

PARAMS = (
    Param("campaign.legal_share", 0.15, "share",
          "share of a labelled kulak's stock above the allowance he must sell under legal "
          "enforcement, per month", (0.0, 1.0), "model-estimate"),
    Param("campaign.legal_allowance", 0.5, "share of needs",
          "stock above needs a labelled kulak may keep before enforcement", (0.0, 5.0),
          "model-estimate"),
    Param("campaign.search_base", 0.171, "per month",
          "chance of a search for a household with the reference stock, at full zeal and "
          "coercion level 1", (0.0, 1.0), "calibrated on the 1924-1929 record", calibrate=True),
    Param("campaign.search_exponent", 0.7, "elasticity",
          "how the chance of a search rises with the visible stock (grain is taken where it "
          "is)", (0.0, 3.0), "model-estimate"),
    Param("campaign.stock_ref_kg", 2000.0, "kg", "reference visible stock for searches",
          (10.0, 50000.0), "model-estimate"),
    Param("campaign.find_hidden", 0.3, "share", "chance a search at level 1 finds hidden grain",
          (0.0, 1.0), "model-estimate"),
    Param("campaign.nonkulak_take", 0.3, "share",
          "share of a searched non-kulak's stock above needs taken as a forced sale ('loan')",
          (0.0, 1.0), "model-estimate"),
    Param("campaign.loan_rate_max", 0.5, "share per month",
          "largest share of a top-decile household's stock above needs the forced loan takes "
          "in a month", (0.0, 1.0), "model-estimate"),
    Param("campaign.redistribute_share", 0.25, "share",
          "share of confiscated grain handed to the village poor (Ural-Siberian method)",
          (0.0, 1.0), "history-1924-1929 §14"),
    Param("campaign.fine_multiple", 5.0, "times the value",
          "fine for a quota defaulter, times the value of the grain not delivered",
          (0.0, 20.0), "history-1924-1929 §14"),
    Param("campaign.quota_pressure", 0.15, "share per month",
          "share of a region's lag behind the plan that village quotas demand in a month",
          (0.0, 2.0), "model-estimate"),
    Param("campaign.poor_gain", 0.08208, "index",
          "loyalty a poor household gains from its share of confiscated grain", (0.0, 1.0),
          "to be calibrated", calibrate=True),
    Param("campaign.quota_floor_kg", 1500.0, "kg",
          "apparent surplus (last harvest above yearly food and seed) below which the village "
          "assembly lays no quota on a household", (0.0, 20000.0), "model-estimate"),
    Param("campaign.fear_hit", 0.3, "share of the distance to 1",
          "fear added to a household hit by coercion",
          (0.0, 1.0), "model-estimate"),
    Param("campaign.fear_seen", 0.3, "share of the distance to 1, per share hit",
          "fear added to everyone in a village, per share of its households hit", (0.0, 5.0),
          "model-estimate"),
    Param("campaign.grievance_hit", 0.1, "share of the distance to 1",
          "grievance of a kulak hit by coercion", (0.0, 1.0), "model-estimate"),
    Param("campaign.grievance_arbitrary", 0.676, "share of the distance to 1",
          "grievance of a non-kulak hit by coercion (an arbitrary act)", (0.0, 1.0),
          "calibrated on the 1924-1929 record", calibrate=True),
    Param("campaign.grievance_seen", 0.3, "share of the distance to 1, per share hit "
          "arbitrarily",
          "grievance added to everyone in a village, per share of its households hit "
          "arbitrarily", (0.0, 5.0), "to be calibrated", calibrate=True),
)


def quota_per_household(world) -> np.ndarray:
    """Kg per simulated household the village assemblies must share out this month: part of
    the region's lag behind the plan (only under the Ural-Siberian method)."""
    e = world.econ
    if e.coercion < 0.8 or e.cum_plan is None:
        return np.zeros(world.n_regions)
    lag = np.maximum(e.cum_plan - e.cum_procured, 0.0)               # tonnes, full scale
    hh = world.hh
    households = living_by_region(hh.n, hh.status, hh.region, world.n_regions)
    real = np.maximum(households * world.weight, 1.0)
    return world.p("campaign.quota_pressure") * lag * 1000.0 / real


def loan_terms(world) -> tuple[np.ndarray, float]:
    """The forced loan: the visible stock from which a household is in its region's top decile,
    and the share of its stock above needs taken this month."""
    amount = world.lever("forced_loan")
    if amount <= 0:
        return np.full(world.n_regions, np.inf), 0.0
    hh, n = world.hh, world.hh.n
    thr = np.full(world.n_regions, np.inf)
    top = 0.0
    for r in range(world.n_regions):
        g = hh.grain[:n][hh.region[:n] == r]
        if len(g) >= 10:
            k = int(0.9 * len(g))
            thr[r] = float(np.partition(g, k)[k])
            top += float(g[g >= thr[r]].sum())
    year = world.cal.ag_year(world.t)
    in_year = [t for t in range(world.cal.n_months) if world.cal.ag_year(t) == year]
    months = max(int((world.levers["forced_loan"][in_year] > 0).sum()), 1)
    monthly_kg = amount * 1e9 / months / world.weight
    rate = min(world.p("campaign.loan_rate_max"), monthly_kg / max(top, 1.0))
    return thr, rate


def active(world) -> bool:
    """Whether the campaign acts this month: coercion in force or a forced loan."""
    return not (world.econ.coercion <= 0.0 and world.lever("forced_loan") <= 0.0)


def step(world, rec) -> None:
    e, p, hh, v = world.econ, world.params, world.hh, world.villages
    if not active(world):
        v.hits[:] = 0.0
        v.arbitrary[:] = 0.0
        v.blacklisted[:] = 0
        return
    m = world.cal.month_of_year(world.t)
    w_ahead, s_ahead = seed_ahead(m, p["sowing.first_month_share"])
    thr, rate = loan_terms(world)
    acc = world.village_acc(N_ACC)
    campaign(v.n, VBLOCK, world.streams["campaign.search"], world.month_key(), v.first,
             v.count, v.region, v.zeal, v.capture, v.hits, v.arbitrary, v.blacklisted,
             hh.status, hh.stratum,
             hh.label, hh.last_harvest, hh.grain, hh.hidden, hh.money, hh.fear, hh.grievance,
             hh.persons, hh.last_sown, world.regions["winter_share"], months_to_harvest(m),
             w_ahead, p["campaign.quota_floor_kg"], s_ahead, p["consumption.food_kg"],
             p["sowing.seed_rate"], e.state_price,
             quota_per_household(world), thr, e.coercion, p["campaign.legal_share"],
             p["campaign.legal_allowance"], p["campaign.search_base"],
             p["campaign.search_exponent"], p["campaign.stock_ref_kg"],
             p["campaign.find_hidden"], p["campaign.nonkulak_take"], rate,
             p["campaign.redistribute_share"], p["campaign.fine_multiple"],
             p["campaign.fear_hit"], p["campaign.fear_seen"], p["campaign.grievance_hit"],
             p["campaign.grievance_arbitrary"], p["campaign.grievance_seen"], hh.loyalty,
             p["campaign.poor_gain"], acc)
    names = {PROCURED: "procurement", REVENUE: "grain_revenue", CONFISCATED: "confiscated",
             FORCED: "forced_sales", REDISTRIBUTED: "redistributed", FINES: "fines",
             ARBITRARY: "arbitrary_acts", HITS: "coerced_households"}
    for k, name in names.items():
        rec.add_household_flows(world.t, (name,), acc[:, k:k + 1])
    taken = acc[:, PROCURED].sum() - acc[:, REDISTRIBUTED].sum()
    e.month_values["procured"] = e.month_values.get("procured", 0.0) + taken * world.weight / 1e3

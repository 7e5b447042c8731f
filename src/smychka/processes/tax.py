"""The agricultural tax: households classified and assessed in September, paid in money
October-December (arrears any month after), progressive above an exempt share."""
from __future__ import annotations

import numpy as np

from ..core.params import Param
from ..kernels.tax import assign, classify_assess, pay, taxable_sum
from .marketing import income_params

PARAMS = (
    Param("tax.total_mln_rub", 350.0, "million roubles per year",
          "agricultural tax to be raised in a year (at full scale)", (0.0, 5000.0), "memory"),
    Param("tax.member_factor", 0.2, "ratio",
          "tax assessed on a kolkhoz member's household relative to an individual peasant of "
          "the same income (the kolkhoz's tax relief)", (0.0, 2.0), "T3"),
    Param("tax.kulak_sown_ha", 8.0, "ha", "sown area from which a household with enough horses "
          "counts as kulak", (2.0, 40.0),
          "calibrated on the 1924-1929 record: Nemchinov's kulak crop and sales of 1926/27 "
          "(model.md section 6)"),
    Param("tax.kulak_horses", 2, "head", "horses from which a large sower counts as kulak",
          (1, 10), "model-estimate"),
    Param("tax.bednyak_sown_ha", 1.45, "ha", "sown area below which a household counts as poor",
          (0.0, 10.0), "calibrated on the 1924-1929 record"),
)

ASSESS_MONTH = 9
PAY_SHARE = {9: 0.0, 10: 0.4, 11: 0.5, 12: 1.0}   # share still due paid in the month
ARREARS_SHARE = 0.5


def assess(world, rec) -> None:
    """Classify households and set this year's tax (September)."""
    p, hh, n = world.params, world.hh, world.hh.n
    acc = world.acc(1)
    classify_assess(n, world.chunk, hh.status, hh.region, hh.last_sown, hh.last_harvest,
                    hh.horses, hh.cattle, hh.sheep, hh.workers, hh.stratum, hh.label,
                    hh.scratch, float(np.average(world.econ.state_price,
                                                 weights=world.regions["household_share"])),
                    *income_params(world), p["sowing.ha_per_worker"], p["tax.kulak_sown_ha"],
                    int(p["tax.kulak_horses"]), p["tax.bednyak_sown_ha"], p["tax.member_factor"],
                    acc)
    rec.add_household_flows(world.t, ("classified_harvest",), acc)
    income = hh.scratch[:n][hh.status[:n] <= 1]      # households still in the village
    exempt = world.lever("tax_exempt_share")
    k = int(exempt * len(income))
    threshold = float(np.partition(income, k)[k]) if 0 < k < len(income) else -1.0
    prog = world.lever("tax_progressivity")
    sums = np.zeros(max(world.n_chunks, 1))
    taxable_sum(n, world.chunk, hh.status, hh.scratch, threshold, prog, sums)
    total = sums.sum() * world.weight
    if total > 0:
        rate = p["tax.total_mln_rub"] * 1e6 / total
        assign(n, world.chunk, hh.status, hh.scratch, threshold, prog, rate, hh.tax_due)


def step(world, rec) -> None:
    if world.cal.month_of_year(world.t) == ASSESS_MONTH:
        assess(world, rec)


def collect(world, rec) -> None:
    """Pay the tax out of cash (called after sales, before goods purchases)."""
    share = PAY_SHARE.get(world.cal.month_of_year(world.t), ARREARS_SHARE)
    if share <= 0.0:
        return
    hh = world.hh
    acc = world.acc(1)
    pay(hh.n, world.chunk, hh.status, hh.region, hh.stratum, hh.money, hh.tax_due, share, acc)
    rec.add_household_flows(world.t, ("tax_paid",), acc)

"""The agricultural tax: classification by the official criteria, assessment, progressivity."""
import numpy as np
from numba import prange

from .common import chunk_bounds, other_income
from ..core.state import MEMBER
from ._jit import kernel

BEDNYAK, SEREDNYAK, KULAK, KOLKHOZNIK = 0, 1, 2, 3


@kernel
def classify_assess(n, chunk, status, region, last_sown, last_harvest, horses, cattle, sheep,
                    workers, stratum, label, income, price_kg, per_cow, per_sheep, per_worker,
                    wage, ha_per_worker, kulak_sown_ha, kulak_horses, bednyak_sown_ha,
                    member_factor, acc):
    """Stratum from sown area and draft power (the autumn census criteria); assessed yearly
    income (roubles) into `income`. acc[c, 0, region, stratum] += the last harvest (kg) of each
    household by the stratum it now has: the groups the statistics read a year's crop by."""
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        for i0 in range(lo, hi):
            i = np.uint64(i0)   # unsigned: no test for a negative index
            if status[i] > MEMBER:
                income[i] = 0.0
                continue
            a = np.float64(last_sown[i])
            if status[i] != MEMBER:   # members keep their stratum
                h = int(horses[i])
                if (a >= kulak_sown_ha and h >= kulak_horses) or a >= 1.5 * kulak_sown_ha:
                    s = KULAK
                elif h == 0 or a < bednyak_sown_ha:
                    s = BEDNYAK
                else:
                    s = SEREDNYAK
                stratum[i] = s
                label[i] = s
            acc[c, 0, region[i], stratum[i]] += np.float64(last_harvest[i])
            inc = np.float64(last_harvest[i]) * price_kg + 12.0 * other_income(
                np.float64(cattle[i]), np.float64(sheep[i]), np.float64(workers[i]), a, per_cow,
                per_sheep, per_worker, wage, ha_per_worker)
            # members' plots pay little
            income[i] = member_factor * inc if status[i] == MEMBER else inc


@kernel
def taxable_sum(n, chunk, status, income, threshold, progressivity, out):
    """out[c] = sum over taxed households of income**progressivity."""
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        s = 0.0
        for i0 in range(lo, hi):
            i = np.uint64(i0)   # unsigned: no test for a negative index
            x = np.float64(income[i])
            if status[i] <= MEMBER and x > threshold:
                s += x ** progressivity
        out[c] = s


@kernel
def assign(n, chunk, status, income, threshold, progressivity, rate, tax_due):
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        for i0 in range(lo, hi):
            i = np.uint64(i0)   # unsigned: no test for a negative index
            x = np.float64(income[i])
            if status[i] <= MEMBER and x > threshold:
                tax_due[i] = np.float64(tax_due[i]) + rate * x ** progressivity


@kernel
def pay(n, chunk, status, region, stratum, money, tax_due, share, acc):
    """Pay `share` of the tax due from cash. acc[c,0] += roubles paid."""
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        for i0 in range(lo, hi):
            i = np.uint64(i0)   # unsigned: no test for a negative index
            d = np.float64(tax_due[i])
            if status[i] > MEMBER or d <= 0.0:
                continue
            m = np.float64(money[i])
            x = d * share
            if x > m:
                x = m
            new_m = np.float32(m - x)
            money[i] = new_m
            tax_due[i] = d - (m - np.float64(new_m))
            acc[c, 0, region[i], stratum[i]] += m - np.float64(new_m)

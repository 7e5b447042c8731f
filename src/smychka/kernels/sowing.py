"""Sowing: area chosen from capacity (allotment and leases), price incentive and subsistence; seed from the stock."""
import numpy as np
from numba import prange

from .common import cash_limited, chunk_bounds, f32, sowing_capacity
from ..core.state import INDIVIDUAL, MEMBER
from ._jit import kernel


@kernel
def sow(n, chunk, winter, frac, region, status, persons, land, leased, horses, workers, skill, grain,
        sown, winter_share, base_yield, incentive, land_use, ha_per_horse, hire,
        ha_per_worker, normal_use, seed_rate, food_kg, keep_months, stratum, money, p_buy, fill,
        dry, loan, seed_debt, fear, grievance, fear_cut, grievance_cut, acc):
    """Sow up to `frac` of this season's target area. `sown` is sown_winter or sown_spring.
    A household keeps `keep_months` of food in the bin and sows from the rest; short of
    seed (and of the food it keeps), it buys it if it has the cash, `fill` of it (1: whatever
    the market holds), and the state lends it `loan` of the seed it still lacks (a seed loan,
    added to `seed_debt`). acc[c, 0] += seed used (kg), acc[c, 1] += grain bought (kg),
    acc[c, 2] += roubles spent on it, acc[c, 5] += seed lent (kg). With `dry` 1 nothing
    changes and acc[c, 3] += the grain the households would buy (kg, as far as their cash
    goes), from which to set `fill`; with `dry` 2, acc[c, 4] += the seed they would still
    lack after buying at `fill`, from which to set `loan`."""
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        for i0 in range(lo, hi):
            i = np.uint64(i0)   # unsigned: no test for a negative index
            if status[i] > MEMBER:
                continue
            r = region[i]
            # an individual farm works its allotment plus or minus the land leased this year
            a = np.float64(land[i]) + (np.float64(leased[i]) if status[i] == INDIVIDUAL else 0.0)
            cap = sowing_capacity(a, np.float64(horses[i]), np.float64(workers[i]),
                                  land_use, ha_per_horse, hire, ha_per_worker, i)
            # fear of confiscation and grievance cut the area toward subsistence
            cut = 1.0 - fear_cut * np.float64(fear[i]) - grievance_cut * np.float64(grievance[i])
            area = cap * normal_use * incentive[r] * (cut if cut > 0.0 else 0.0)
            # a family sows at least what feeds it, if it can
            y = base_yield[r] * np.float64(skill[i])
            sub = np.float64(persons[i]) * food_kg / max(y - seed_rate, 1.0)
            if area < sub:
                area = sub
            if area > cap:
                area = cap
            share = winter_share[r] if winter else 1.0 - winter_share[r]
            todo = area * share * frac - np.float64(sown[i])
            if todo <= 0.0:
                continue
            g = np.float64(grain[i])
            keep = np.float64(persons[i]) * food_kg / 12.0 * keep_months
            lack = todo * seed_rate - (g - keep)
            if dry == 1:
                if lack > 0.0:
                    acc[c, 3, r, stratum[i]] += cash_limited(lack, np.float64(money[i]), p_buy[r])
                continue
            if dry == 2:
                if lack > 0.0:
                    q = cash_limited(lack, np.float64(money[i]), p_buy[r]) * fill
                    left = min(todo * seed_rate, lack - q)
                    if left > 0.0:
                        acc[c, 4, r, stratum[i]] += left
                continue
            if lack > 0.0:
                m = np.float64(money[i])
                q = cash_limited(lack, m, p_buy[r]) * fill
                new_g = f32(g + q)
                new_m = f32(m - min((new_g - g) * p_buy[r], m))
                acc[c, 1, r, stratum[i]] += new_g - g
                acc[c, 2, r, stratum[i]] += m - new_m
                g = new_g
                grain[i] = new_g
                money[i] = new_m
                if loan > 0.0:
                    # the seed still lacking, never more than the seed of the area to sow
                    # (as the dry pass counts it)
                    left = min(todo * seed_rate, lack - q)
                    if left > 0.0:
                        new_g = f32(g + left * loan)
                        seed_debt[i] = np.float64(seed_debt[i]) + (new_g - g)
                        acc[c, 5, r, stratum[i]] += new_g - g
                        g = new_g
                        grain[i] = new_g
            usable = g - keep
            if usable <= 0.0:
                continue
            if todo * seed_rate > usable:
                todo = usable / seed_rate
            new_g = f32(g - todo * seed_rate)
            grain[i] = new_g
            sown[i] = np.float64(sown[i]) + todo
            acc[c, 0, r, stratum[i]] += g - new_g

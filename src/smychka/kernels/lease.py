"""The village land market: allotment land a household cannot work is leased for the year to
neighbours with draught power and hands to spare, for a money rent.

Villages are contiguous blocks of households, so the loop runs village by village (prange over
fixed blocks of villages); the market clears inside one village, and results do not depend on
the thread count.
"""
import numpy as np
from numba import njit, prange

from ..core.state import INDIVIDUAL
from ._jit import kernel
from .common import f32, pro_rata, work_capacity

# acc[block, k, region, stratum]
LEASED_IN, RENT_PAID, RENT_RECEIVED = range(3)
N_ACC = 3


@njit(cache=True, inline="always")
def _offer_and_wish(land, horses, workers, money, rent, land_use, ha_per_horse, hire,
                    ha_per_worker, i):
    """(ha offered, ha wished): the own arable land a farm cannot work, or the land it could
    work beyond its own and pay the rent for."""
    own = np.float64(land) * land_use
    work = work_capacity(np.float64(horses), np.float64(workers), ha_per_horse, hire,
                         ha_per_worker, i)
    if own > work:
        return own - work, 0.0
    if rent > 0.0:
        return 0.0, min(work - own, np.float64(money) / rent)
    return 0.0, 0.0


@kernel
def lease_market(nv, vblock, v_first, v_count, v_region, status, stratum, land, horses,
                 workers, money, leased, rent_ha, land_use, ha_per_horse, hire,
                 ha_per_worker, market_share, acc):
    """Set `leased` (allotment ha; > 0 leased in, < 0 leased out) for the year and pay the rent.

    Supply: the part of an individual farm's allotment that its draught power and labour
    cannot work. Demand: the work capacity an individual farm has beyond its own allotment,
    limited by the rent it can pay in cash. `market_share` of the smaller side changes hands,
    shared out pro rata on both sides, so the rent paid equals the rent received.
    acc[b, 0] += ha leased in, acc[b, 1] += rent paid, acc[b, 2] += rent received (roubles)."""
    nblocks = (nv + vblock - 1) // vblock
    for b in prange(nblocks):
        for v in range(b * vblock, min(nv, (b + 1) * vblock)):
            lo = v_first[v]
            hi = lo + v_count[v]
            rent = rent_ha[v_region[v]]
            supply = 0.0
            demand = 0.0
            for i0 in range(lo, hi):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                leased[i] = 0.0
                if status[i] != INDIVIDUAL:
                    continue
                offer, wish = _offer_and_wish(land[i], horses[i], workers[i], money[i], rent,
                                              land_use, ha_per_horse, hire, ha_per_worker, i)
                supply += offer
                demand += wish
            take_out, take_in = pro_rata(supply, demand, market_share)
            if take_out <= 0.0:
                continue
            r = v_region[v]
            for i0 in range(lo, hi):
                i = np.uint64(i0)
                if status[i] != INDIVIDUAL:
                    continue
                offer, wish = _offer_and_wish(land[i], horses[i], workers[i], money[i], rent,
                                              land_use, ha_per_horse, hire, ha_per_worker, i)
                m = np.float64(money[i])
                if offer > 0.0:
                    x = -offer * take_out
                    new_m = f32(m - x * rent)
                    acc[b, RENT_RECEIVED, r, stratum[i]] += new_m - m
                else:
                    x = wish * take_in
                    new_m = f32(max(m - x * rent, 0.0))
                    acc[b, LEASED_IN, r, stratum[i]] += x
                    acc[b, RENT_PAID, r, stratum[i]] += m - new_m
                money[i] = new_m
                leased[i] = x / land_use

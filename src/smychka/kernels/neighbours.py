"""Grain sold between neighbours: a family whose bin runs low buys from households of its own
village that hold more than their own needs to the harvest, whatever the state of the markets
in town.

Villages are contiguous blocks of households, so the loop runs village by village (prange over
fixed blocks of villages); the exchange clears inside one village, and results do not depend
on the thread count.
"""
import numpy as np
from numba import njit, prange

from ..core.state import MEMBER
from ._jit import kernel
from .common import f32

# acc[block, k, region, stratum]
BOUGHT, SPENT, SOLD, EARNED = range(4)
N_ACC = 4


@njit(cache=True, inline="always")
def _wish_and_spare(persons, grain, last_sown, food_kg, buy_months, h, seed_rate):
    """(kg wished, kg above the family's own needs): a family below `buy_months` of food
    wishes the rest; a family above its food to the harvest and a year's seed has the excess
    to spare. At most one of the two is positive."""
    food_m = np.float64(persons) * food_kg / 12.0
    g = np.float64(grain)
    want = food_m * buy_months - g
    if want > 0.0:
        return want, 0.0
    spare = g - food_m * h - np.float64(last_sown) * seed_rate
    return 0.0, (spare if spare > 0.0 else 0.0)


@kernel
def neighbour_sales(nv, vblock, v_first, v_count, v_region, status, stratum, persons, last_sown,
                    grain, money, p_buy, months_to_harvest, food_kg, buy_months, seed_rate,
                    share, acc):
    """Wish: food for `buy_months` less the grain in the bin, as far as the cash goes. Offer:
    `share` of the visible grain above the family's food to the harvest and a year's seed.
    The smaller side clears, pro rata on both sides, at the price villagers pay for grain.
    acc[b, 0] += kg bought, acc[b, 1] += roubles paid, acc[b, 2] += kg sold,
    acc[b, 3] += roubles received."""
    h = np.float64(months_to_harvest)
    nblocks = (nv + vblock - 1) // vblock
    for b in prange(nblocks):
        for v in range(b * vblock, min(nv, (b + 1) * vblock)):
            lo = v_first[v]
            hi = lo + v_count[v]
            r = v_region[v]
            price = p_buy[r]
            wished = 0.0
            offered = 0.0
            for i0 in range(lo, hi):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                if status[i] > MEMBER:
                    continue
                want, spare = _wish_and_spare(persons[i], grain[i], last_sown[i], food_kg,
                                              buy_months, h, seed_rate)
                wished += min(want, np.float64(money[i]) / price)
                offered += share * spare
            q = min(wished, offered)
            if q <= 0.0:
                continue
            to_buyers = q / wished
            from_sellers = q / offered
            for i0 in range(lo, hi):
                i = np.uint64(i0)
                if status[i] > MEMBER:
                    continue
                want, spare = _wish_and_spare(persons[i], grain[i], last_sown[i], food_kg,
                                              buy_months, h, seed_rate)
                g = np.float64(grain[i])
                m = np.float64(money[i])
                s = stratum[i]
                if want > 0.0:
                    new_g = f32(g + min(want, m / price) * to_buyers)
                    new_m = f32(max(m - (new_g - g) * price, 0.0))
                    acc[b, BOUGHT, r, s] += new_g - g
                    acc[b, SPENT, r, s] += m - new_m
                elif spare > 0.0:
                    new_g = f32(g - share * spare * from_sellers)
                    new_m = f32(m + (g - new_g) * price)
                    acc[b, SOLD, r, s] += g - new_g
                    acc[b, EARNED, r, s] += new_m - m
                else:
                    continue
                grain[i] = new_g
                money[i] = new_m

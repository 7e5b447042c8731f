"""Consumption: buy grain when the bin runs low, eat, feed livestock, lose some in store."""
import numpy as np
from numba import prange

from .common import cash_limited, chunk_bounds, clip, f32
from ..core.state import MEMBER
from ._jit import kernel


@kernel
def consume(n, chunk, months_to_harvest, stall, stall_ahead, status, region, stratum, persons, horses, cattle,
            pigs, sheep, grain, hidden, money, fed_pct, hunger_pct, p_buy, fill, fill_of_cash,
            feed_factor, food_kg, buy_months,
            feed_horse, feed_cattle, feed_pig, feed_sheep, loss_rate, hidden_loss_rate, acc):
    """stall: this is a stall-feeding month (fodder need = yearly need / 6); stall_ahead: stall
    months from this one to the harvest. acc[c, k]: 0 grain bought (kg), 1 roubles spent on grain, 2 eaten (kg), 3 food need
    unmet (kg), 4 fed to livestock (kg), 5 lost in store (kg), 6 purchases wished (kg).
    fill: the share of the wish the market serves; with fill_of_cash, the share of what the
    cash can pay for (the wish as `purchase_wishes` counts it)."""
    h = np.float64(months_to_harvest)
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        for i0 in range(lo, hi):
            i = np.uint64(i0)   # unsigned: no test for a negative index
            if status[i] > MEMBER:
                continue
            r = region[i]
            s = stratum[i]
            food_m = np.float64(persons[i]) * food_kg / 12.0
            g = np.float64(grain[i])
            # buy grain to keep `buy_months` of food in the bin, as far as money goes
            want = food_m * buy_months - g
            if want > 0.0:
                acc[c, 6, r, s] += want
                m = np.float64(money[i])
                if fill_of_cash:
                    q = cash_limited(want, m, p_buy[r]) * fill
                else:
                    q = want * fill
                    if q * p_buy[r] > m:
                        q = m / p_buy[r]
                new_g = f32(g + q)
                kg = new_g - g
                new_m = f32(m - min(kg * p_buy[r], m))   # rounding never overdraws
                acc[c, 0, r, s] += kg
                acc[c, 1, r, s] += m - new_m
                g = new_g
                money[i] = new_m
            # eat from the visible stock, then from the hidden one
            eat = food_m if food_m < g else g
            new_g = f32(g - eat)
            acc[c, 2, r, s] += g - new_g
            short = food_m - (g - new_g)
            g = new_g
            hd = np.float64(hidden[i])
            if short > 0.0 and hd > 0.0:
                e2 = short if short < hd else hd
                new_h = f32(hd - e2)
                acc[c, 2, r, s] += hd - new_h
                short -= hd - new_h
                hd = new_h
            short = short if short > 0.0 else 0.0
            acc[c, 3, r, s] += short
            hunger_pct[i] = int(100.0 * short / food_m + 0.5) if food_m > 0.0 else 0
            # stall feeding: full rations if the stock covers food and fodder to the harvest
            need = 0.0
            if stall:
                need = (np.float64(horses[i]) * feed_horse + np.float64(cattle[i]) * feed_cattle
                        + np.float64(pigs[i]) * feed_pig + np.float64(sheep[i]) * feed_sheep
                        ) / 6.0 * feed_factor[r]
            ratio = 1.0
            if need > 0.0:
                ratio = clip((g - food_m * (h - 1.0)) / (need * stall_ahead), 0.0, 1.0)
                fd = need * ratio
                if fd > g:
                    fd = g
                new_g = f32(g - fd)
                acc[c, 4, r, s] += g - new_g
                ratio = (g - new_g) / need
                g = new_g
            fed_pct[i] = int(100.0 * ratio + 0.5)
            # storage losses
            new_g = f32(g * (1.0 - loss_rate))
            new_h = f32(hd * (1.0 - hidden_loss_rate))
            acc[c, 5, r, s] += (g - new_g) + (hd - new_h)
            grain[i] = new_g
            hidden[i] = new_h


@kernel
def purchase_wishes(n, chunk, status, region, persons, grain, money, p_buy, food_kg, buy_months,
                    out):
    """out[c] += grain (kg) the households would buy this month to keep `buy_months` of food
    in the bin, as far as their cash goes: the demand the rural market must serve."""
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        s = 0.0
        for i0 in range(lo, hi):
            i = np.uint64(i0)   # unsigned: no test for a negative index
            if status[i] > MEMBER:
                continue
            want = np.float64(persons[i]) * food_kg / 12.0 * buy_months - np.float64(grain[i])
            if want > 0.0:
                s += cash_limited(want, np.float64(money[i]), p_buy[region[i]])
        out[c] += s

"""Marketing: how much grain each household offers this month, and through which channel.

A household keeps a reserve (food and fodder to the next harvest, seed for the sowings ahead,
and a precautionary stock that grows when goods are scarce and the scissors are open). It sells
a share of what lies above the reserve, rising with the real price it gets and falling when the
money cannot buy goods; and it sells what it needs for cash (tax, goods), down to a floor.
"""
import numpy as np
from numba import prange

from .common import chunk_bounds, f32, other_income
from ..core.state import MEMBER
from ._jit import kernel

SUB = 128   # households per block of the passes inside a chunk


@kernel
def decide(n, chunk, months_to_harvest, stall_ahead, winter_ahead, spring_ahead,
           village, capture, capture_divert, hide_rate, hidden, status, region, stratum, persons, horses, cattle, pigs, sheep, workers, last_sown,
           last_harvest, grain, money, tax_due, loyalty, fear,
           offer_state, offer_private, goods_wish,
           winter_share, p_state, p_priv, a_exp, scissors_exp,
           goods_price, private_trade, p_ref,
           food_kg, seed_rate, feed_horse, feed_cattle, feed_pig, feed_sheep,
           precaution_base, hoard_goods, hoard_scissors, hoard_fear, hoard_war, sale_rate,
           price_elast,
           goods_elast, cash_horizon, need_floor, channel_k, loyalty_tilt, state_preference,
           legal_risk, redirect, feed_factor, p_buy,
           goods_budget, wealth_elast, catchup, per_cow, per_sheep, per_worker, wage,
           ha_per_worker, acc):
    """acc[c, 0] += other income (roubles), acc[c, 1] += goods wished (roubles),
    acc[c, 2] += grain offered (kg), acc[c, 3] += rounding of grain moved into hiding (kg).
    Cash income of the month is paid in here."""
    h = np.float64(months_to_harvest)
    # everything that depends only on the region and the month, once per call (the same
    # operations, in the same order, as the per-household formulas below used to do)
    nr = winter_share.shape[0]
    seed_mix = np.empty(nr)     # winter and spring seed still ahead, by the winter share
    hoard_r = np.empty(nr)      # precaution and the hoarding terms that are regional
    pp_r = np.empty(nr)         # private price as the peasant discounts it
    gap_r = np.empty(nr)        # the regional part of the channel logit
    goods_r = np.empty(nr)      # response of sales to the expected availability of goods
    for r in range(nr):
        ws = winter_share[r]
        seed_mix[r] = ws * winter_ahead + (1.0 - ws) * spring_ahead
        hoard_r[r] = (precaution_base + hoard_goods * (1.0 - a_exp[r])
                      + hoard_scissors * max(scissors_exp[r] - 1.0, 0.0))
        pp = p_priv[r] * (1.0 - legal_risk * (1.0 - private_trade))
        pp_r[r] = pp
        gap_r[r] = channel_k * (pp - p_state[r]) / p_state[r]
        goods_r[r] = a_exp[r] ** goods_elast
    fodder_k = stall_ahead != 0
    half = wealth_elast == 0.5
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        # Households go in blocks of SUB, in three passes, so that the calls to exp and pow
        # run in tight loops of their own: inside the long body of a household, each call
        # forces every live value out of the registers and costs far more than the
        # function. The values, and the order of every sum, are those of one pass.
        e_x = np.empty(SUB)          # exp(-channel logit)
        w_x = np.empty(SUB)          # harvest per person / 600, then its power: wealth
        surplus_b = np.empty(SUB)
        blocked_b = np.empty(SUB)
        share_b = np.empty(SUB)      # private share of the sales
        precv_b = np.empty(SUB)      # price received
        real_b = np.empty(SUB)       # real price, then its power
        food_b = np.empty(SUB)       # food to the harvest
        seed_b = np.empty(SUB)       # seed still to sow
        for b0 in range(lo, hi, SUB):
            b1 = min(b0 + SUB, hi)
            # 1. the channel logit and the wealth ratio; exp and pow
            for i0 in range(b0, b1):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                j = i0 - b0
                if status[i] > MEMBER:
                    e_x[j] = 0.0
                    w_x[j] = 0.0
                    continue
                x = (gap_r[region[i]] - loyalty_tilt * (np.float64(loyalty[i]) - 0.5)
                     - state_preference)
                e_x[j] = -x
                w_x[j] = np.float64(last_harvest[i]) / max(np.float64(persons[i]), 1.0) / 600.0
            for j in range(b1 - b0):
                e_x[j] = np.exp(e_x[j])
                # the default elasticity 0.5 as a square root: the correctly rounded value,
                # which the library's pow misses by one unit in the last place for about
                # one ratio in a thousand
                w_x[j] = np.sqrt(w_x[j]) if half else w_x[j] ** wealth_elast
            # 2. cash income, the reserve, hiding, the channel and the real price
            for i0 in range(b0, b1):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                j = i0 - b0
                if status[i] > MEMBER:
                    surplus_b[j] = 0.0
                    continue
                r = region[i]
                s = stratum[i]
                pers = np.float64(persons[i])
                g = np.float64(grain[i])
                sown = np.float64(last_sown[i])
                fe = np.float64(fear[i])
                # cash income of the month
                m0 = np.float64(money[i])
                m1 = f32(m0 + other_income(np.float64(cattle[i]), np.float64(sheep[i]),
                                           np.float64(workers[i]), sown, per_cow, per_sheep,
                                           per_worker, wage, ha_per_worker))
                money[i] = m1
                acc[c, 0, r, s] += m1 - m0
                # the reserve
                food_year = pers * food_kg
                food = food_year / 12.0 * h
                seed = sown * seed_rate * seed_mix[r]
                reserve = food + seed
                if fodder_k:    # no stall months ahead: no fodder to keep (x + 0 is x)
                    fodder = (np.float64(horses[i]) * feed_horse
                              + np.float64(cattle[i]) * feed_cattle
                              + np.float64(pigs[i]) * feed_pig + np.float64(sheep[i]) * feed_sheep
                              ) / 6.0 * stall_ahead * feed_factor[r]
                    reserve += fodder
                pi = hoard_r[r] + hoard_fear * fe + hoard_war
                reserve += pi * food_year
                surplus = g - reserve
                if surplus < 0.0:
                    surplus = 0.0
                # fear moves part of the surplus out of sight
                hide = hide_rate * fe * surplus
                if hide > 0.0:
                    new_g = f32(g - hide)
                    hd = np.float64(hidden[i])
                    new_h = f32(hd + (g - new_g))
                    hidden[i] = new_h
                    acc[c, 3, r, s] += (g - new_g) - (new_h - hd)   # float32 rounding, kept in the books
                    surplus -= g - new_g
                    grain[i] = new_g
                # channel: private share rises with the price gap, falls with loyalty and the law
                prefer = 1.0 / (1.0 + e_x[j])
                share_priv = prefer * private_trade
                # sellers who prefer traders but find the market closed mostly hold their grain
                blocked = prefer * (1.0 - private_trade) * (1.0 - redirect)
                # captured cadres steer part of the state's grain to their trader friends
                share_priv += (1.0 - share_priv) * capture_divert * capture[village[i]] * private_trade
                p_recv = (1.0 - share_priv) * p_state[r] + share_priv * pp_r[r]
                surplus_b[j] = surplus
                food_b[j] = food
                seed_b[j] = seed
                blocked_b[j] = blocked
                share_b[j] = share_priv
                precv_b[j] = p_recv
                # sales from the surplus respond to the real price (nothing to sell from an
                # empty surplus, whatever the rate)
                real_b[j] = (p_recv / p_ref[r]) / goods_price
            if price_elast != 1.0:   # x ** 1 is x: no pow at the default elasticity
                for j in range(b1 - b0):
                    if surplus_b[j] > 0.0:
                        real_b[j] = real_b[j] ** price_elast
            # 3. the sale, the offers by channel, the goods wished
            for i0 in range(b0, b1):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                j = i0 - b0
                if status[i] > MEMBER:
                    offer_state[i] = 0.0
                    offer_private[i] = 0.0
                    goods_wish[i] = 0.0
                    continue
                r = region[i]
                s = stratum[i]
                pers = np.float64(persons[i])
                g = np.float64(grain[i])
                m1 = np.float64(money[i])
                food = food_b[j]
                seed = seed_b[j]
                share_priv = share_b[j]
                p_recv = precv_b[j]
                # sales from the surplus, by the real price and the goods money can buy
                sell = 0.0
                if surplus_b[j] > 0.0:
                    rate = sale_rate * real_b[j] * goods_r[r]
                    if rate > 1.0:
                        rate = 1.0
                    sell = surplus_b[j] * rate * (1.0 - blocked_b[j])
                # sales for cash: tax due and the goods the household expects to be able to buy
                budget = goods_budget * pers * goods_price * w_x[j]
                tax = np.float64(tax_due[i])
                need = tax + budget * a_exp[r] * cash_horizon - m1
                if need > 0.0:
                    q = need / p_recv
                    if q > sell:
                        sell = q
                room = g - need_floor * food - seed
                if sell > room:
                    sell = room
                if sell < 0.0:
                    sell = 0.0
                op = f32(sell * share_priv)
                offer_private[i] = op
                offer_state[i] = sell - op
                # goods the household will try to buy with the cash it will hold, after the tax
                # and the bread it must buy before the harvest
                short = food + seed - (g - sell)
                cash = m1 + sell * p_recv - tax - max(short, 0.0) * p_buy[r]
                wish = budget + catchup * max(cash - budget * cash_horizon, 0.0)
                if wish > cash:
                    wish = cash
                if wish < 0.0:
                    wish = 0.0
                goods_wish[i] = wish
                acc[c, 1, r, s] += wish
                acc[c, 2, r, s] += sell

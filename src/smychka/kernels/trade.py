"""Exchanges: grain sold through a channel at its price; goods bought under rationing."""
import numpy as np
from numba import prange

from .common import chunk_bounds, f32
from ..core.state import MEMBER
from ._jit import kernel


@kernel
def sell(n, chunk, status, region, stratum, offer, price, take, grain, money, acc):
    """Each household delivers `take[region]` of its offer (kg) at price[region] (roubles/kg).
    acc[c,0] += kg delivered, acc[c,1] += roubles received."""
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        for i0 in range(lo, hi):
            i = np.uint64(i0)   # unsigned: no test for a negative index
            q = np.float64(offer[i])
            if status[i] > MEMBER or q <= 0.0:
                continue
            r = region[i]
            g = np.float64(grain[i])
            q *= take[r]
            if q > g:
                q = g
            new_g = f32(g - q)
            kg = g - new_g
            m = np.float64(money[i])
            new_m = f32(m + kg * price[r])
            grain[i] = new_g
            money[i] = new_m
            acc[c, 0, r, stratum[i]] += kg
            acc[c, 1, r, stratum[i]] += new_m - m


@kernel
def market_month(n, chunk, status, region, stratum, village, blacklisted, offer_private,
                 private_price, grain, money, tax_due, pay_share, goods_wish, availability,
                 acc):
    """The private market of a month in one pass, household by household: the private offer
    sold as `sell` would, `pay_share` of the tax due paid as `tax.pay` would (none if 0),
    then the goods bought (a share `availability[region]` of the wish, within the cash;
    nothing in a blacklisted village). Each step uses only the household's own stocks, so
    the results, and the order of every sum, are those of three passes in turn. acc[c, k]: 0 kg sold, 1 roubles received,
    2 tax paid (roubles), 3 goods bought (roubles)."""
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        for i0 in range(lo, hi):
            i = np.uint64(i0)   # unsigned: no test for a negative index
            if status[i] > MEMBER:
                continue
            r = region[i]
            s = stratum[i]
            m = np.float64(money[i])
            # private sale of the offer (delivered whole)
            q = np.float64(offer_private[i])
            if q > 0.0:
                g = np.float64(grain[i])
                if q > g:
                    q = g
                new_g = f32(g - q)
                kg = g - new_g
                new_m = f32(m + kg * private_price[r])
                grain[i] = new_g
                acc[c, 0, r, s] += kg
                acc[c, 1, r, s] += new_m - m
                m = new_m
            # tax paid from cash
            if pay_share > 0.0:
                d = np.float64(tax_due[i])
                if d > 0.0:
                    x = d * pay_share
                    if x > m:
                        x = m
                    new_m = np.float64(np.float32(m - x))
                    tax_due[i] = d - (m - new_m)
                    acc[c, 2, r, s] += m - new_m
                    m = new_m
            # goods bought under rationing (none in a blacklisted village)
            w = np.float64(goods_wish[i])
            if w > 0.0 and blacklisted[village[i]] == 0:
                x = w * availability[r]
                if x > m:
                    x = m
                new_m = f32(m - x)
                acc[c, 3, r, s] += m - new_m
                m = new_m
            money[i] = m

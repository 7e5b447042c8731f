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
        for i in range(lo, hi):
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
def buy_goods(n, chunk, status, region, stratum, village, blacklisted, goods_wish,
              availability, money, acc):
    """Spend the share of the wished goods that the supply allows (none in a blacklisted
    village). acc[c,0] += roubles."""
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        for i in range(lo, hi):
            w = np.float64(goods_wish[i])
            if status[i] > MEMBER or w <= 0.0 or blacklisted[village[i]] != 0:
                continue
            m = np.float64(money[i])
            x = w * availability[region[i]]
            if x > m:
                x = m
            new_m = f32(m - x)
            money[i] = new_m
            acc[c, 0, region[i], stratum[i]] += m - new_m

"""Harvest: yield = regional base x weather x village shock x ability x draft x noise."""
import numpy as np
from numba import njit, prange

from ..core.rng import normal
from .common import chunk_bounds, f32
from ..core.state import MEMBER
from ._jit import kernel

SUB = 128   # households per block inside a chunk (see reap)


@njit(cache=True)
def lognormal_shocks(key, month, count, sigma):
    """Mean-one lognormal shocks for `count` entities (regions or villages) of one year."""
    out = np.empty(count)
    for v in range(count):
        out[v] = np.exp(sigma * normal(key, month, v, 0) - 0.5 * sigma * sigma)
    return out


@kernel
def reap(n, chunk, first_crop, key, month, region, village, status, stratum, horses, skill,
         sown, grain, last_sown, last_harvest, base_yield, weather, village_shock,
         horseless_factor, noise_sigma, acc):
    """Harvest the crop in `sown` (winter crop if first_crop, else spring). acc[c,0] += kg."""
    half_var = 0.5 * noise_sigma ** 2
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        noise = np.empty(SUB)
        for b0 in range(lo, hi, SUB):
            b1 = min(b0 + SUB, hi)
            # the household noise of the block first, in a loop of its own: log, cos and exp
            # are calls, which cost far more inside the long body below
            for i0 in range(b0, b1):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                if status[i] <= MEMBER and np.float64(sown[i]) > 0.0:
                    noise[i0 - b0] = np.exp(noise_sigma * normal(key, month, i, 0) - half_var)
            for i0 in range(b0, b1):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                a = np.float64(sown[i])
                if first_crop:
                    last_sown[i] = 0.0
                    last_harvest[i] = 0.0
                if status[i] > MEMBER or a <= 0.0:
                    sown[i] = 0.0
                    continue
                r = region[i]
                y = base_yield[r] * weather[r] * village_shock[village[i]] * np.float64(skill[i])
                if horses[i] == 0:
                    y *= horseless_factor
                y *= noise[i0 - b0]
                g = np.float64(grain[i])
                new_g = f32(g + a * y)
                grain[i] = new_g
                last_sown[i] = np.float64(last_sown[i]) + a
                last_harvest[i] = np.float64(last_harvest[i]) + (new_g - g)
                sown[i] = 0.0
                acc[c, 0, r, stratum[i]] += new_g - g


@kernel
def repay_seed(n, chunk, status, region, stratum, grain, seed_debt, acc):
    """Seed loans repaid in kind from the grain in the bin, as far as it goes; the rest stays
    owed. acc[c, 0] += kg repaid."""
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        for i0 in range(lo, hi):
            i = np.uint64(i0)   # unsigned: no test for a negative index
            d = np.float64(seed_debt[i])
            if status[i] > MEMBER or d <= 0.0:
                continue
            g = np.float64(grain[i])
            new_g = f32(g - min(d, g))
            paid = g - new_g
            grain[i] = new_g
            seed_debt[i] = max(d - paid, 0.0)
            acc[c, 0, region[i], stratum[i]] += paid

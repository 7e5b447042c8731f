"""Synthetic population: draw each household's attributes from its region and stratum."""
import numpy as np
from numba import njit, prange

from ..core.rng import normal, poisson, uniform
from .common import chunk_bounds, sat8, sowing_capacity
from ._jit import kernel


_PHI = 0.6180339887498949


@njit(cache=True, inline="always")
def _stratum_at(pos, share):
    """Stratum of the pos-th household of a region: a golden-ratio sequence over the strata's
    cumulative shares, so every stretch of a region (every village) holds each stratum in
    close to its share."""
    x = (pos * _PHI) % 1.0
    acc = 0.0
    for s in range(share.shape[0]):
        acc += share[s]
        if x < acc:
            return s
    return share.shape[0] - 1


@kernel
def synthesize(n, chunk, key, region, stratum, persons, workers, land, skill, horses, cattle,
               pigs, sheep, money, grain, loyalty, label,
               region_first, region_count, strata_share,
               persons_mean, workers_ratio, land_mean, horses_mean, horseless, cattle_mean,
               pigs_mean, sheep_mean, money_mean, loyalty_base,
               land_sigma, money_sigma, skill_sigma, food_kg, food_months):
    n_regions = region_first.shape[0]
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        for i in range(lo, hi):
            r = 0
            for q in range(n_regions):
                if i >= region_first[q]:
                    r = q
            s = _stratum_at(i - region_first[r], strata_share)
            region[i] = r
            stratum[i] = s
            label[i] = s
            p = 1 + poisson(max(persons_mean[s] - 1.0, 0.0), uniform(key, 0, i, 0))
            p = min(p, 20)
            persons[i] = p
            w = int(p * workers_ratio[s] + uniform(key, 0, i, 1))
            workers[i] = max(1, min(p, w))
            land[i] = land_mean[s] * np.exp(land_sigma * normal(key, 0, i, 1)
                                            - 0.5 * land_sigma * land_sigma)
            skill[i] = np.exp(skill_sigma * normal(key, 0, i, 2) - 0.5 * skill_sigma ** 2)
            if uniform(key, 0, i, 6) < horseless[s]:
                horses[i] = 0
            else:
                mean_owned = horses_mean[s] / max(1.0 - horseless[s], 1e-9)
                horses[i] = sat8(1 + poisson(max(mean_owned - 1.0, 0.0), uniform(key, 0, i, 7)))
            cattle[i] = sat8(poisson(cattle_mean[s], uniform(key, 0, i, 8)))
            pigs[i] = sat8(poisson(pigs_mean[s], uniform(key, 0, i, 9)))
            sheep[i] = sat8(poisson(sheep_mean[s], uniform(key, 0, i, 10)))
            money[i] = money_mean[s] * np.exp(money_sigma * normal(key, 0, i, 6)
                                              - 0.5 * money_sigma ** 2)
            grain[i] = p * food_kg / 12.0 * food_months
            lo_ = loyalty_base[s] + 0.1 * normal(key, 0, i, 7)
            loyalty[i] = 0.0 if lo_ < 0.0 else (1.0 if lo_ > 1.0 else lo_)


@kernel
def initial_crop(n, chunk, region, land, horses, workers, skill, sown_winter, sown_spring,
                 last_sown, last_harvest, winter_share, base_yield, land_use, ha_per_horse,
                 hire, ha_per_worker, normal_use):
    """The crop standing at the start (sown before the run) and the harvest before it."""
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        for i in range(lo, hi):
            r = region[i]
            cap = sowing_capacity(np.float64(land[i]), np.float64(horses[i]), np.float64(workers[i]),
                                  land_use, ha_per_horse, hire, ha_per_worker, i)
            a = cap * normal_use
            sown_winter[i] = a * winter_share[r]
            sown_spring[i] = a * (1.0 - winter_share[r])
            last_sown[i] = a
            last_harvest[i] = a * base_yield[r] * np.float64(skill[i])

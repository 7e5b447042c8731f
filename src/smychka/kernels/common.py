"""Small helpers shared by kernels."""
import numpy as np
from numba import njit

from ..core.rng import normal


@njit(cache=True, inline="always")
def f32(x):
    """Round a float64 to float32 precision and back: the value a float32 slot will hold."""
    return np.float64(np.float32(x))


@njit(cache=True, inline="always")
def clip(x, lo, hi):
    return lo if x < lo else (hi if x > hi else x)


@njit(cache=True, inline="always")
def cash_limited(kg, money, price):
    """Kg of grain wanted, as far as the cash pays for it at `price` (roubles per kg)."""
    return kg if kg * price <= money else money / price


@njit(cache=True, inline="always")
def pro_rata(supply, demand, share):
    """A village market where `share` of its smaller side changes hands, shared out pro rata
    on both sides: (share of each offer taken, share of each wish met), zeros if nothing
    changes hands."""
    q = share * min(supply, demand)
    if q <= 0.0:
        return 0.0, 0.0
    return q / supply, q / demand


@njit(cache=True, inline="always")
def sat8(x):
    """Clamp an integer count into uint8 range."""
    return 0 if x < 0 else (255 if x > 255 else x)


@njit(cache=True, inline="always")
def chunk_bounds(c, chunk, n):
    lo = c * chunk
    hi = lo + chunk
    return lo, (hi if hi < n else n)


@njit(cache=True, inline="always")
def hire_area(hire_ha, sigma, key, i):
    """Area a horseless household can get ploughed by hire (ha): a trait of the household
    (kin or neighbours with horses to spare, the means to pay them), lognormal with mean
    `hire_ha` and log-sd `sigma`, drawn from the household's slot and fixed for the run."""
    if sigma <= 0.0:
        return hire_ha
    return hire_ha * np.exp(sigma * normal(key, 0, i, 0) - 0.5 * sigma * sigma)


@njit(cache=True, inline="always")
def draught_area(horses, ha_per_horse, hire, i):
    """Grain area household slot `i`'s horses (or, without one, hired ploughing) can plough
    (ha). `hire` = (hire_ha, sigma, key), the arguments of `hire_area`."""
    return horses * ha_per_horse if horses > 0 else hire_area(hire[0], hire[1], hire[2], i)


@njit(cache=True, inline="always")
def work_capacity(horses, workers, ha_per_horse, hire, ha_per_worker, i):
    """Grain area household slot `i`'s draft power (or hired ploughing) and labour can work
    (ha). `hire` = (hire_ha, sigma, key), the arguments of `hire_area`."""
    draft = draught_area(horses, ha_per_horse, hire, i)
    lab = workers * ha_per_worker
    return draft if draft < lab else lab


@njit(cache=True, inline="always")
def sowing_capacity(land, horses, workers, land_use, ha_per_horse, hire, ha_per_worker, i):
    """Grain area household slot `i` can sow: limited by land, draft power and labour (ha)."""
    cap = land * land_use
    work = work_capacity(horses, workers, ha_per_horse, hire, ha_per_worker, i)
    return work if work < cap else cap


@njit(cache=True, inline="always")
def other_income(cattle, sheep, workers, sown, per_cow, per_sheep, per_worker, wage,
                 ha_per_worker):
    """Non-grain money income per month (roubles): animal products, industrial crops and
    crafts, and wages for the labour the household's own fields do not need (hired out to
    neighbours, seasonal work in towns)."""
    spare = workers - sown / ha_per_worker
    if spare < 0.0:
        spare = 0.0
    return cattle * per_cow + sheep * per_sheep + workers * per_worker + spare * wage

"""Demography: births, deaths (with famine mortality rising steeply with unmet food need),
lost work capacity, relief grain, flight to the towns."""
import numpy as np
from numba import njit, prange

from ..core.rng import poisson, uniform
from ..core.state import EXTINCT, FLED, MEMBER
from ._jit import kernel
from .common import f32

@njit(cache=True, inline="always")
def _leave_land(i, v, v_first, v_count, status, land, k_land, k_members):
    """The land of a household that left stays in the village: with its kolkhoz if there is
    one, else with the next household still farming."""
    a = np.float64(land[i])
    land[i] = 0.0
    if a <= 0.0:
        return
    if k_members[v] > 0.0:
        k_land[v] += a
        return
    lo = v_first[v]
    n = v_count[v]
    for k in range(1, n):
        j = lo + (i - lo + k) % n
        if status[j] == 0:
            land[j] = np.float64(land[j]) + a
            return
    k_land[v] += a


# acc[block, k, region, stratum]
DEATHS, FAMINE_DEATHS, BIRTHS, FLED_PERSONS, MONEY_GONE, RELIEF, CARRIED = range(7)
N_DEMO = 7


@kernel
def demography(nv, vblock, key, month, v_first, v_count, v_region, k_members, k_workers,
               k_grain, status, stratum, persons, workers, grain, hidden, money, hunger_pct,
               weakness, base_death, birth_rate, famine_k, famine_exp, hunger_floor,
               weak_memory,
               flight_rate, flight_threshold, open_road, relief_kg, relief_weakness,
               worker_ratio, land, k_land, alive, acc):
    """Monthly rates: base_death and birth_rate per person; excess deaths per person
    = famine_k x weakness^famine_exp, weakness being the smoothed hunger (the share of food
    need unmet beyond hunger_floor, rescaled to 0-1). open_road: 1 free
    movement ... 0 passports enforced. relief_kg: relief grain per person for households
    weaker than relief_weakness."""
    nblocks = (nv + vblock - 1) // vblock
    for b in prange(nblocks):
        for v in range(b * vblock, min(nv, (b + 1) * vblock)):
            r = v_region[v]
            living = 0
            for i0 in range(v_first[v], v_first[v] + v_count[v]):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                if status[i] > MEMBER:
                    continue
                living += 1      # counted before this month's losses, corrected below
                s = stratum[i]
                # deficits up to hunger_floor are met by other food and tighter belts
                # (no hunger this month: h is 0, without the divisions)
                h = 0.0
                if hunger_pct[i] != 0 or hunger_floor < 0.0:
                    h = max(hunger_pct[i] / 100.0 - hunger_floor, 0.0) / (1.0 - hunger_floor)
                wk = weak_memory * np.float64(weakness[i]) + (1.0 - weak_memory) * h
                weakness[i] = wk
                n = int(persons[i])
                if relief_kg > 0.0 and wk > relief_weakness:
                    g = np.float64(grain[i])
                    new_g = f32(g + relief_kg * n)
                    grain[i] = new_g
                    acc[b, RELIEF, r, s] += new_g - g
                d = poisson(n * base_death, uniform(key, month, i, 0))
                # starvation kills after months of hunger, not in one bad month
                # (no weakness, no excess deaths: pow(0, e) is 0 for e > 0; skip the pow)
                x = 0
                if wk > 0.0 or famine_exp <= 0.0:
                    u = uniform(key, month, i, 1)
                    # wk^e <= wk for 0 <= wk <= 1 <= e (and <= 1 for 0 <= e): a draw at or
                    # below 1 - n famine_k times that bound is no death whatever the rate
                    # (the Poisson draw's first test), so skip the pow
                    if not (famine_exp >= 0.0 and wk <= 1.0 and u <= 1.0 - n * famine_k * (
                            wk if famine_exp >= 1.0 else 1.0)):
                        x = poisson(n * famine_k * wk ** famine_exp, u)
                dead = d + x if d + x < n else n
                excess = x if x < dead else dead
                if dead > 0:     # (adding zero to a sum leaves it as it is)
                    acc[b, DEATHS, r, s] += dead
                    acc[b, FAMINE_DEATHS, r, s] += excess
                n -= dead
                born = poisson(n * birth_rate * (1.0 - h), uniform(key, month, i, 2)) if n > 0 else 0
                if born > 0:
                    acc[b, BIRTHS, r, s] += born
                n = n + born if n + born < 255 else 255
                persons[i] = n
                # the working hands follow the family's size (children grow up, the old die)
                w_new = int(n * worker_ratio + 0.5) if n > 0 else 0
                w_new = w_new if w_new >= 1 or n == 0 else 1
                if status[i] == MEMBER:
                    k_workers[v] += w_new - int(workers[i])
                workers[i] = w_new
                gone = False
                if n == 0:          # the household died out; its grain stays in the village
                    living -= 1
                    status[i] = EXTINCT
                    k_grain[v] += np.float64(grain[i]) + np.float64(hidden[i])
                    grain[i] = 0.0
                    hidden[i] = 0.0
                    gone = True
                elif wk > flight_threshold and uniform(key, month, i, 3) < (
                        flight_rate * wk * open_road):
                    status_before = status[i]
                    living -= 1
                    status[i] = FLED   # to the towns, with what it can carry
                    acc[b, FLED_PERSONS, r, s] += n
                    acc[b, CARRIED, r, s] += np.float64(grain[i]) + np.float64(hidden[i])
                    grain[i] = 0.0
                    hidden[i] = 0.0
                    if status_before == MEMBER:
                        k_members[v] -= 1.0
                        k_workers[v] -= workers[i]
                    gone = True
                    acc[b, MONEY_GONE, r, s] += np.float64(money[i])
                    money[i] = 0.0
                    _leave_land(i0, v, v_first, v_count, status, land, k_land, k_members)
                    continue
                if gone:
                    _leave_land(i0, v, v_first, v_count, status, land, k_land, k_members)
                    if k_members[v] > 0.0 and stratum[i] == 3:
                        k_members[v] -= 1.0
                    acc[b, MONEY_GONE, r, s] += np.float64(money[i])
                    money[i] = 0.0
            alive[v] = living

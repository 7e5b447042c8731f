"""Collectivization: households join their village's kolkhoz (voluntarily or by force), leave
it when exits are allowed, and labelled kulaks are expropriated. Village by village (prange
over fixed blocks of villages), since assets move between a household and its kolkhoz."""
import numpy as np
from numba import njit, prange

from ..core.rng import uniform
from ..core.state import DEPORTED, INDIVIDUAL, MEMBER
from ._jit import kernel
from .cadres import label_of
from .common import f32

BEDNYAK, KULAK, KOLKHOZNIK = 0, 2, 3

# acc[block, k, region, stratum] of `collectivize`
JOINED, FORCED, LEFT, SLAUGHTER_LU, SLAUGHTER_RUB = range(5)
N_JOIN = 5
# acc of `dekulakize`
EXPROPRIATED, DEPORTED_PERSONS, RESETTLED, MONEY_TAKEN = range(4)
N_DEKULAK = 4


@njit(cache=True, inline="always")
def _slaughter(x, share, u):
    """Head slaughtered out of x when a share of the herd goes (rounded by a draw)."""
    k = x * share
    n = int(k)
    if u < k - n:
        n += 1
    return n if n < x else x


@kernel
def collectivize(nv, vblock, key, month, v_first, v_count, v_region, force, k_members,
                 k_workers, k_land, k_horses, k_cattle, k_grain, status, stratum, persons,
                 workers, land, horses, cattle, pigs, sheep, grain, money, loyalty, fear,
                 grievance, vol_rate, loyalty_join, escape_fear, plot_ha, seed_share,
                 slaughter_loyalty, slaughter_share, price, unit, exit_rate, exit_loyalty, exit_land_share,
                 forced_grievance, label_joiners, label, last_harvest, label_key, year_key,
                 zeal, capture, label_error, poor_factor, wealth_ref, miss_captured, acc):
    """force[v]: 1 if the cadres drive the whole village in this month. vol_rate: monthly
    chance of joining at full loyalty (voluntary); escape_fear: monthly chance added per unit
    of fear for a household not labelled kulak (the cadres keep those out). exit_rate > 0
    when leaving is allowed.
    price[k], unit[k]: roubles and livestock units per head (horse, cattle, pig, sheep).
    label_joiners: the cadres did not relabel this month (nobody read the labels), so a
    joining household gets here the label they would have given it (cadres.label_of with
    the same arguments); members keep it."""
    nblocks = (nv + vblock - 1) // vblock
    for b in prange(nblocks):
        for v in range(b * vblock, min(nv, (b + 1) * vblock)):
            r = v_region[v]
            for i0 in range(v_first[v], v_first[v] + v_count[v]):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                st = status[i]
                s = stratum[i]
                if st == INDIVIDUAL:
                    lo_ = np.float64(loyalty[i])
                    forced = force[v] != 0
                    if not forced:
                        u = uniform(key, month, i, 0)
                        esc = 0.0
                        if escape_fear > 0.0 and label[i] != KULAK:
                            esc = escape_fear * np.float64(fear[i])
                        # loyalty^exponent <= 1 (loyalty in 0-1, exponent >= 0): a draw at or
                        # above vol_rate + esc fails the test whatever the power, so skip the pow
                        if (loyalty_join >= 0.0 and u >= vol_rate + esc) or \
                                u >= vol_rate * lo_ ** loyalty_join + esc:
                            continue
                    # the disloyal kill or sell their animals rather than hand them over
                    if lo_ < slaughter_loyalty:
                        share = slaughter_share * (1.0 - lo_ / slaughter_loyalty)
                        h = _slaughter(int(horses[i]), share, uniform(key, month, i, 1))
                        c = _slaughter(int(cattle[i]), share, uniform(key, month, i, 2))
                        p = _slaughter(int(pigs[i]), share, uniform(key, month, i, 3))
                        sh = _slaughter(int(sheep[i]), share, uniform(key, month, i, 4))
                        horses[i] = int(horses[i]) - h
                        cattle[i] = int(cattle[i]) - c
                        pigs[i] = int(pigs[i]) - p
                        sheep[i] = int(sheep[i]) - sh
                        acc[b, SLAUGHTER_LU, r, s] += (h * unit[0] + c * unit[1] + p * unit[2]
                                                       + sh * unit[3])
                        m = np.float64(money[i])
                        nm = f32(m + 0.5 * (h * price[0] + c * price[1] + p * price[2]
                                            + sh * price[3]))   # sold in a glutted market
                        money[i] = nm
                        acc[b, SLAUGHTER_RUB, r, s] += nm - m
                    # land, draught animals, cattle beyond one cow and a seed share are pooled
                    a = np.float64(land[i])
                    plot = plot_ha if plot_ha < a else a
                    k_land[v] += a - plot
                    land[i] = plot
                    k_horses[v] += horses[i]
                    horses[i] = 0
                    if cattle[i] > 1:
                        k_cattle[v] += int(cattle[i]) - 1
                        cattle[i] = 1
                    g = np.float64(grain[i])
                    new_g = f32(g * (1.0 - seed_share))
                    grain[i] = new_g
                    k_grain[v] += g - new_g      # stays in the books: the kolkhoz's stock
                    if label_joiners:
                        label[i] = label_of(label_key, year_key, i, s, last_harvest[i],
                                            zeal[v], capture[v], label_error, poor_factor,
                                            wealth_ref, miss_captured)
                    status[i] = MEMBER
                    stratum[i] = KOLKHOZNIK
                    k_members[v] += 1.0
                    k_workers[v] += workers[i]
                    acc[b, JOINED, r, s] += 1.0
                    if forced:
                        acc[b, FORCED, r, s] += 1.0
                        grievance[i] = np.float64(grievance[i]) + forced_grievance * (
                            1.0 - np.float64(grievance[i]))
                elif st == MEMBER and exit_rate > 0.0:
                    if np.float64(loyalty[i]) >= exit_loyalty:
                        continue
                    if uniform(key, month, i, 5) >= exit_rate:
                        continue
                    # leaving with part of what was pooled: land, and a horse if one is left
                    per = k_land[v] / max(k_members[v], 1.0)
                    take = exit_land_share * per
                    k_land[v] -= take
                    land[i] = np.float64(land[i]) + take
                    if k_horses[v] >= 1.0 and uniform(key, month, i, 6) < exit_land_share:
                        k_horses[v] -= 1.0
                        horses[i] = 1
                    status[i] = INDIVIDUAL
                    stratum[i] = BEDNYAK          # reclassified at the autumn census
                    k_members[v] -= 1.0
                    k_workers[v] -= workers[i]
                    acc[b, LEFT, r, s] += 1.0


@kernel
def dekulakize(nv, vblock, key, month, v_first, v_count, v_region, rate, alive, k_land,
               k_horses, k_cattle, k_grain, status, stratum, label, persons, land, horses, cattle,
               pigs, sheep, grain, hidden, money, loyalty, grievance, share_arrest,
               share_deport, resettle_land, food_kg, acc):
    """Expropriate households labelled kulak at `rate` (share of all households this month,
    drawn among the labelled): the arrested and deported leave (assets to the kolkhoz, cash to
    the state); the resettled stay on worse land with their food. acc[b, EXPROPRIATED, r, s]
    counts households by their true stratum."""
    nblocks = (nv + vblock - 1) // vblock
    for b in prange(nblocks):
        for v in range(b * vblock, min(nv, (b + 1) * vblock)):
            r = v_region[v]
            lo = v_first[v]
            hi = lo + v_count[v]
            labelled = 0
            living = 0
            for i0 in range(lo, hi):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                if status[i] <= MEMBER:
                    living += 1
                    if status[i] == INDIVIDUAL and label[i] == KULAK:
                        labelled += 1
            if labelled == 0:
                continue
            p = rate * living / labelled
            for i0 in range(lo, hi):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                if status[i] != INDIVIDUAL or label[i] != KULAK:
                    continue
                if uniform(key, month, i, 0) >= p:
                    continue
                s = stratum[i]
                acc[b, EXPROPRIATED, r, s] += 1.0
                k_horses[v] += horses[i]
                k_cattle[v] += cattle[i]
                horses[i] = 0
                cattle[i] = 0
                pigs[i] = 0
                sheep[i] = 0
                g = np.float64(grain[i]) + np.float64(hidden[i])
                hidden[i] = 0.0
                u = uniform(key, month, i, 1)
                if u < share_arrest + share_deport:       # categories 1 and 2: removed
                    k_land[v] += np.float64(land[i])
                    land[i] = 0.0
                    grain[i] = 0.0
                    k_grain[v] += g
                    acc[b, MONEY_TAKEN, r, s] += np.float64(money[i])
                    money[i] = 0.0
                    acc[b, DEPORTED_PERSONS, r, s] += persons[i]
                    status[i] = DEPORTED
                    alive[v] -= 1.0
                else:                                     # category 3: worse land nearby
                    keep = np.float64(persons[i]) * food_kg * 0.5
                    kept = f32(keep if keep < g else g)
                    grain[i] = kept
                    k_grain[v] += g - kept
                    a = np.float64(land[i])
                    k_land[v] += a * (1.0 - resettle_land)
                    land[i] = a * resettle_land
                    acc[b, RESETTLED, r, s] += 1.0
                    label[i] = BEDNYAK        # nothing left to take: not expropriated twice
                    stratum[i] = BEDNYAK
                loyalty[i] = 0.0
                grievance[i] = 1.0

"""The procurement campaign in the village: what cadres take, from whom, and at what cost.

Villages are contiguous blocks of households, so the loop runs village by village (prange
over fixed blocks of villages): village-level steps (the assembly's quota, the 25 % share for
the poor, what neighbours see) stay inside one thread, and results do not depend on the
thread count.
"""
import numpy as np
from numba import njit, prange

from ..core.rng import uniform
from ..core.state import MEMBER
from ._jit import kernel
from .common import f32

KULAK, BEDNYAK = 2, 0

@njit(cache=True, inline="always")
def _toward_one(x, step):
    """Memories saturate: each blow closes `step` of the distance to 1."""
    x = np.float64(x)
    return x + step * (1.0 - x)


@njit(cache=True, inline="always")
def _apparent_surplus(harvest, persons, sown, food_kg, seed_rate, floor):
    """What the assembly thinks a household can spare: last harvest above its yearly food and
    seed and above `floor` (quotas fall on the well-off)."""
    x = np.float64(harvest) - np.float64(persons) * food_kg - np.float64(sown) * seed_rate - floor
    return x if x > 0.0 else 0.0


@njit(cache=True)
def living_by_region(n, status, region, n_regions):
    """Households still in the village (status <= MEMBER), by region (counted in a register
    while the region stays the same: households are laid out region by region)."""
    out = np.zeros(n_regions)
    cur = 0
    cnt = 0
    for i0 in range(n):
        i = np.uint64(i0)   # unsigned: no test for a negative index
        r = np.int64(region[i])
        if r != cur:
            out[cur] += cnt
            cur = r
            cnt = 0
        if status[i] <= MEMBER:
            cnt += 1
    out[cur] += cnt
    return out


# acc[block, k, region, stratum]
PROCURED, REVENUE, CONFISCATED, FORCED, REDISTRIBUTED, FINES, ARBITRARY, HITS = range(8)
N_ACC = 8


@kernel
def campaign(nv, vblock, key, month, v_first, v_count, v_region, zeal, capture, hits_v,
             arbitrary_v, blacklisted, status, stratum, label, last_harvest, grain, hidden, money, fear,
             grievance, persons, last_sown, winter_share, months_to_harvest, winter_ahead,
             quota_floor,
             spring_ahead, food_kg, seed_rate, state_price, quota_per_hh, loan_threshold, c,
             legal_share,
             legal_allowance, search_base, search_exponent, stock_ref, find_hidden,
             nonkulak_take, loan_rate, redistribute_share, fine_multiple, fear_hit,
             fear_seen, grievance_hit, grievance_arbitrary, grievance_seen, loyalty,
             poor_gain, acc):
    """One month's coercion at level c (0-1). The cadres leave a household its food to the
    harvest and its seed (no seed from level 1, blacklists); quota_per_hh[region]:
    kg per household the village assembly must share out (Ural-Siberian method);
    loan_threshold[region]: visible stock (kg) from which a household owes the forced loan."""
    nblocks = (nv + vblock - 1) // vblock
    for b in prange(nblocks):
        v0 = b * vblock
        v1 = min(nv, v0 + vblock)
        for v in range(v0, v1):
            lo = v_first[v]
            hi = lo + v_count[v]
            r = v_region[v]
            z = zeal[v]
            cap = capture[v]
            p_state = state_price[r]
            # the assembly lays the village quota on apparent surpluses: last harvest above
            # the household's own yearly food and seed
            wealth = 0.0
            poor = 0
            alive = 0
            quotas = c >= 0.8 and quota_per_hh[r] > 0.0   # (the wealth is for quotas only)
            for i0 in range(lo, hi):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                if status[i] <= MEMBER:
                    alive += 1
                    if quotas:
                        wealth += _apparent_surplus(last_harvest[i], persons[i], last_sown[i],
                                                    food_kg, seed_rate, quota_floor)
                    if stratum[i] == BEDNYAK:
                        poor += 1
            quota = quota_per_hh[r] * alive
            n_hit = 0
            n_arb = 0
            n_fined = 0
            seized = 0.0
            for i0 in range(lo, hi):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                if status[i] > MEMBER:
                    continue
                s = stratum[i]
                g = np.float64(grain[i])
                hd = np.float64(hidden[i])
                m = np.float64(money[i])
                ws = winter_share[r]
                k_i = np.float64(persons[i]) * food_kg / 12.0 * months_to_harvest
                if c < 1.0:
                    k_i += np.float64(last_sown[i]) * seed_rate * (ws * winter_ahead
                                                              + (1.0 - ws) * spring_ahead)
                labelled = label[i] == KULAK
                sale = 0.0      # forced sale at the state price (visible grain)
                conf = 0.0      # visible grain taken without payment
                found = 0.0     # hidden grain found and taken
                fine = 0.0
                hit = False
                quota_only = False
                by_rule = True        # only the forced loan follows a rule set in advance
                if c >= 0.3 and labelled:     # legal enforcement against "kulak" hoarders
                    excess = g - k_i * (1.0 + legal_allowance)
                    if excess > 0.0:
                        sale += excess * legal_share
                        hit = True
                        by_rule = False
                if loan_rate > 0.0 and g >= loan_threshold[r] and g > k_i:   # forced loan
                    sale += (g - k_i - sale) * loan_rate
                    hit = True
                if c >= 0.6:                  # searches: grain is taken where it is found
                    u = uniform(key, month, i, 0)
                    p_max = search_base * z * (c - 0.5) * 2.0
                    x = max(g, 0.0) / stock_ref
                    # (x^e <= 1 for x <= 1 and x^e <= x for x > 1 when 0 <= e <= 1, so a
                    # draw at or above p_max times that bound is no search: skip the pow)
                    bound = 1.0 if x <= 1.0 else (x if search_exponent <= 1.0 else np.inf)
                    if search_exponent >= 0.0 and u >= p_max * bound:
                        p = 0.0
                    else:
                        p = p_max * x ** search_exponent
                        if s == KULAK:
                            p *= 1.0 - cap        # captured cadres spare the well-off
                    if u < p:
                        hit = True
                        by_rule = False
                        free = g - sale - k_i
                        if free > 0.0:
                            if labelled:
                                conf += free                    # article 107
                            else:
                                sale += free * nonkulak_take     # "loans" from the rest
                        if hd > 0.0 and uniform(key, month, i, 1) < find_hidden * c:
                            found = hd
                if c >= 0.8 and quota > 0.0 and wealth > 0.0:   # Ural-Siberian method
                    share = quota * _apparent_surplus(last_harvest[i], persons[i], last_sown[i],
                                                      food_kg, seed_rate, quota_floor) / wealth
                    free = g - sale - conf - k_i
                    give = share if share < free else max(free, 0.0)
                    sale += give
                    if give < share:          # defaulters pay fivefold in money
                        fine = fine_multiple * (share - give) * p_state
                        hit = True
                        by_rule = False
                        n_fined += 1
                    elif give > 0.0:
                        quota_only = not hit  # delivering one's quota is not itself a hit
                        hit = True
                if not hit:
                    continue
                # execute, the paid part first; every flow is the exact change of a stock
                vis = sale + conf
                if vis > g:
                    vis = g
                new_g = f32(g - vis)
                paid_kg = min(sale, g - new_g)
                new_h = f32(hd - found)
                got = (g - new_g) + (hd - new_h)
                m1 = f32(m + paid_kg * p_state)
                m2 = f32(m1 - min(fine, m1))
                grain[i] = new_g
                hidden[i] = new_h
                money[i] = m2
                acc[b, REVENUE, r, s] += m1 - m
                acc[b, FINES, r, s] += m1 - m2
                acc[b, PROCURED, r, s] += got
                acc[b, CONFISCATED, r, s] += got - paid_kg
                acc[b, FORCED, r, s] += paid_kg
                seized += got - paid_kg
                if quota_only:
                    continue
                n_hit += 1
                acc[b, HITS, r, s] += 1.0
                fear[i] = _toward_one(fear[i], fear_hit)
                if s != KULAK and not by_rule:   # a hit on a non-kulak is an arbitrary act
                    n_arb += 1
                    acc[b, ARBITRARY, r, s] += 1.0
                    grievance[i] = _toward_one(grievance[i], grievance_arbitrary)
                else:
                    grievance[i] = _toward_one(grievance[i], grievance_hit)
            # what the village sees, and the poor's share of what was seized
            h_share = n_hit / max(alive, 1)
            a_share = n_arb / max(alive, 1)
            hits_v[v] = h_share
            arbitrary_v[v] = a_share
            # blacklists: a village with defaulters gets no manufactured goods
            blacklisted[v] = 1 if c >= 1.0 and n_fined > 0 else 0
            gift = redistribute_share * seized / poor if poor > 0 and c >= 0.8 else 0.0
            if h_share == 0.0 and gift == 0.0:
                continue
            seen_f = min(1.0, fear_seen * h_share)
            seen_g = min(1.0, grievance_seen * a_share)
            for i0 in range(lo, hi):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                if status[i] > MEMBER:
                    continue
                fear[i] = _toward_one(fear[i], seen_f)
                grievance[i] = _toward_one(grievance[i], seen_g)
                if gift > 0.0 and stratum[i] == BEDNYAK:
                    g = np.float64(grain[i])
                    new_g = f32(g + gift)
                    grain[i] = new_g
                    acc[b, REDISTRIBUTED, r, stratum[i]] += new_g - g
                    loyalty[i] = min(1.0, np.float64(loyalty[i]) + poor_gain)

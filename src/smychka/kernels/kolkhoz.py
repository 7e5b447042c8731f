"""The kolkhoz economy, village by village: collective sowing and harvest, compulsory
deliveries as the state's first claim, seed and fodder, distribution to members by labour,
collective livestock."""
import numpy as np
from numba import njit, prange

from ..core.state import MEMBER
from ._jit import kernel
from .common import f32

KOLKHOZNIK = 3
# acc[block, k, region, 0]: all flows belong to the kolkhoz members' stratum
HARVEST, SEED, DELIVERED, REVENUE, FEED, LOSSES, DEAD_LU, SOWN = range(8)
N_FARM = 8


@njit(cache=True)
def individual_sown_by_region(n, status, region, last_sown, n_regions):
    """Area harvested last by the households still in the village, by region: the sums
    np.bincount(region, weights=last_sown * (status <= MEMBER)) makes, in the same order."""
    out = np.zeros(n_regions)
    for i0 in range(n):
        i = np.uint64(i0)   # unsigned: no test for a negative index
        if status[i] <= MEMBER:
            out[region[i]] += np.float64(last_sown[i])
    return out


@kernel
def farm(nv, vblock, sow_season, sow_frac, harvest_crop, distribute_share, stall,
         stall_ahead, months_to_harvest, v_first, v_count, v_region, k_members, k_workers,
         k_land, k_horses, k_cattle, k_grain, k_sown_winter, k_sown_spring, k_last_sown,
         k_due, tractor_ha, status, workers, grain, money, weakness, winter_share,
         base_yield, weather, village_shock, state_price, deliver_share, land_use,
         ha_per_horse, ha_per_worker, normal_use, seed_rate, effort_base, effort_tractor,
         effort_hunger, feed_horse, feed_cattle, death_horse, death_cattle, birth_horse,
         birth_cattle, care_mortality, starvation, loss_rate, seed_protected, horse_work,
         unit_cattle, offtake_horse, offtake_cattle, winter_ahead, spring_ahead, acc):
    """sow_season: 0 none, 1 winter, 2 spring; harvest_crop: 0 none, 1 winter, 2 spring;
    distribute_share: share of the distributable stock handed to members this month;
    deliver_share: share of the year's remaining deliveries due this month;
    winter_ahead, spring_ahead: shares of the winter and spring seed still to sow before the
    next harvest, after this month's sowing."""
    nblocks = (nv + vblock - 1) // vblock
    for b in prange(nblocks):
        for v in range(b * vblock, min(nv, (b + 1) * vblock)):
            if k_members[v] <= 0.0 and k_grain[v] <= 0.0 and k_land[v] <= 0.0:
                continue
            r = v_region[v]
            lo = v_first[v]
            hi = lo + v_count[v]
            # members' work capacity: weak from hunger, stronger with tractors
            weak = 0.0
            nm = 0
            for i0 in range(lo, hi):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                if status[i] == MEMBER:
                    weak += np.float64(weakness[i])
                    nm += 1
            weak = weak / nm if nm > 0 else 0.0
            sown_total = k_sown_winter[v] + k_sown_spring[v] + 1e-9
            mech = min(1.0, tractor_ha[v] / max(k_last_sown[v], sown_total))
            effort = (effort_base + (1.0 - effort_base) * effort_tractor * mech) * (
                1.0 - effort_hunger * weak)
            draft = k_horses[v] * ha_per_horse * horse_work + tractor_ha[v]
            # harvest
            if harvest_crop > 0:
                a = k_sown_winter[v] if harvest_crop == 1 else k_sown_spring[v]
                if harvest_crop == 1:
                    k_last_sown[v] = 0.0
                if a > 0.0:
                    quality = 1.0 if draft >= a else np.sqrt(draft / a)
                    y = base_yield[r] * weather[r] * village_shock[v] * effort * quality
                    k_grain[v] += a * y
                    acc[b, HARVEST, r, 0] += a * y
                    k_last_sown[v] += a
                if harvest_crop == 1:
                    k_sown_winter[v] = 0.0
                else:
                    k_sown_spring[v] = 0.0
            # the area the kolkhoz can sow: land, draught power and labour
            cap = k_land[v] * land_use
            if draft < cap:
                cap = draft
            lab = k_workers[v] * ha_per_worker * effort
            if lab < cap:
                cap = lab
            # sowing the planned area, as far as land, draught power, labour and seed allow
            if sow_season > 0 and k_land[v] > 0.0:
                share = winter_share[r] if sow_season == 1 else 1.0 - winter_share[r]
                done = k_sown_winter[v] if sow_season == 1 else k_sown_spring[v]
                todo = cap * normal_use * share * sow_frac - done
                if todo * seed_rate > k_grain[v]:
                    todo = k_grain[v] / seed_rate
                if todo > 0.0:
                    k_grain[v] -= todo * seed_rate
                    acc[b, SEED, r, 0] += todo * seed_rate
                    if sow_season == 1:
                        k_sown_winter[v] += todo
                    else:
                        k_sown_spring[v] += todo
            # seed for the sowings still ahead of the next harvest, on the area it can sow
            # (a new kolkhoz has reaped nothing yet, but it has fields to sow)
            ws = winter_share[r]
            seed_need = cap * normal_use * (ws * winter_ahead + (1.0 - ws) * spring_ahead) * seed_rate
            # the state's first claim; the seed is spared below level 1
            reserve = seed_need if seed_protected else 0.0
            due = k_due[v] * deliver_share
            give = min(due, max(k_grain[v] - reserve, 0.0))
            if give > 0.0:
                k_grain[v] -= give
                k_due[v] -= give
                acc[b, DELIVERED, r, 0] += give
                pay = give * state_price[r]
                # paid in money to the members, by their workers
                if k_workers[v] > 0.0:
                    for i0 in range(lo, hi):
                        i = np.uint64(i0)   # unsigned: no test for a negative index
                        if status[i] == MEMBER and workers[i] > 0:
                            m = np.float64(money[i])
                            new_m = f32(m + pay * workers[i] / k_workers[v])
                            money[i] = new_m
                            acc[b, REVENUE, r, 0] += new_m - m
            # collective livestock: stall feeding from the stock, deaths, births
            ratio = 1.0
            if stall:
                need = (k_horses[v] * feed_horse + k_cattle[v] * feed_cattle) / 6.0
                if need > 0.0:
                    avail = k_grain[v] - reserve
                    ratio = min(1.0, max(avail, 0.0) / (need * stall_ahead))
                    fd = need * ratio
                    k_grain[v] -= fd
                    acc[b, FEED, r, 0] += fd
            dh = k_horses[v] * (death_horse * care_mortality + starvation * (1.0 - ratio))
            dc = k_cattle[v] * (death_cattle * care_mortality + starvation * (1.0 - ratio))
            dh = dh if dh < k_horses[v] else k_horses[v]
            dc = dc if dc < k_cattle[v] else k_cattle[v]
            # the normal offtake (culled, slaughtered, delivered), as on individual farms
            oh = (k_horses[v] - dh) * offtake_horse
            oc = (k_cattle[v] - dc) * offtake_cattle
            k_horses[v] += k_horses[v] * birth_horse * ratio - dh - oh
            k_cattle[v] += k_cattle[v] * birth_cattle * ratio - dc - oc
            acc[b, DEAD_LU, r, 0] += dh + unit_cattle * dc
            # distribution to members by labour (the residual after deliveries, seed, fodder)
            if distribute_share > 0.0 and k_workers[v] > 0.0:
                fodder = (k_horses[v] * feed_horse + k_cattle[v] * feed_cattle) / 6.0 * stall_ahead
                free = k_grain[v] - seed_need - fodder - k_due[v]
                if free > 0.0:
                    out = free * distribute_share
                    for i0 in range(lo, hi):
                        i = np.uint64(i0)   # unsigned: no test for a negative index
                        if status[i] == MEMBER and workers[i] > 0:
                            g = np.float64(grain[i])
                            new_g = f32(g + out * workers[i] / k_workers[v])
                            grain[i] = new_g
                            k_grain[v] -= new_g - g   # an internal transfer: no flow
            lost = k_grain[v] * loss_rate
            k_grain[v] -= lost
            acc[b, LOSSES, r, 0] += lost
            acc[b, SOWN, r, 0] += k_sown_winter[v] + k_sown_spring[v]

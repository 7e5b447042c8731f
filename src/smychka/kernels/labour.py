"""The village labour market: farms with more land and draught power than their family can
work through the year hire neighbours' spare workers for the agricultural year, and pay them
in grain (board and the part of the wage paid in kind). It clears inside each village, like
the land market (kernels.lease), over the same fixed blocks of villages."""
import numpy as np
from numba import njit, prange

from ..core.state import INDIVIDUAL
from ._jit import kernel
from .common import draught_area, f32, pro_rata

# acc[block, k, region, stratum]
HANDS_HIRED, FARMS_HIRING, WAGES_PAID, WAGES_RECEIVED = range(4)
N_ACC = 4


@njit(cache=True, inline="always")
def _offer_and_wish(land, leased, horses, workers, grain, land_use, ha_per_horse, hire,
                    ha_per_hand, wage_kg, i):
    """(workers offered, hands wished) for the year: the family's workers beyond what its
    farm needs, or the whole hands its farm lacks beyond the family and can pay in grain (a
    farm short of less than a worker makes do with its own). The farm is the land it holds
    this year (allotment and lease) as far as its draught power ploughs it; labour is what
    can be hired, so it does not limit the farm here."""
    own = (np.float64(land) + np.float64(leased)) * land_use
    area = min(own, draught_area(np.float64(horses), ha_per_horse, hire, i))
    need = area / ha_per_hand
    fam = np.float64(workers)
    if fam >= need:
        return fam - need, 0.0
    wish = need - fam
    if wage_kg > 0.0:
        wish = min(wish, max(np.float64(grain), 0.0) / wage_kg)
    return 0.0, np.floor(wish)


@kernel
def labour_market(nv, vblock, v_first, v_count, v_region, status, stratum, land, leased,
                  horses, workers, grain, hands, land_use, ha_per_horse, hire, ha_per_hand,
                  wage_kg, acc):
    """Hire for the year and pay the year's wages in kind; each household's hire goes into
    `hands` (workers; > 0 hired in, < 0 hired out), a scratch array nothing later reads.

    Supply: an individual farm's workers beyond its need (its worked area over
    `ha_per_hand`). Demand: the whole workers it needs beyond the family, as far as the
    visible grain pays `wage_kg` a hand. The smaller side is met in full and shared out pro
    rata on both sides; each employer pays `wage_kg` a hand from its grain, and the
    village's wage bill goes to the families hiring out, in proportion to the workers they
    hire out.
    acc[b, 0] += hands hired in, acc[b, 1] += farms hiring, acc[b, 2] += kg paid,
    acc[b, 3] += kg received."""
    nblocks = (nv + vblock - 1) // vblock
    for b in prange(nblocks):
        for v in range(b * vblock, min(nv, (b + 1) * vblock)):
            lo = v_first[v]
            hi = lo + v_count[v]
            supply = 0.0
            demand = 0.0
            for i0 in range(lo, hi):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                hands[i] = 0.0
                if status[i] != INDIVIDUAL:
                    continue
                offer, wish = _offer_and_wish(land[i], leased[i], horses[i], workers[i],
                                              grain[i], land_use, ha_per_horse, hire,
                                              ha_per_hand, wage_kg, i)
                supply += offer
                demand += wish
            take_out, take_in = pro_rata(supply, demand, 1.0)
            if take_out <= 0.0:
                continue
            r = v_region[v]
            for i0 in range(lo, hi):
                i = np.uint64(i0)
                if status[i] != INDIVIDUAL:
                    continue
                offer, wish = _offer_and_wish(land[i], leased[i], horses[i], workers[i],
                                              grain[i], land_use, ha_per_horse, hire,
                                              ha_per_hand, wage_kg, i)
                g = np.float64(grain[i])
                if offer > 0.0:
                    x = -offer * take_out
                    new_g = f32(g - x * wage_kg)
                    acc[b, WAGES_RECEIVED, r, stratum[i]] += new_g - g
                elif wish > 0.0:
                    x = wish * take_in
                    new_g = f32(max(g - x * wage_kg, 0.0))
                    acc[b, HANDS_HIRED, r, stratum[i]] += x
                    acc[b, FARMS_HIRING, r, stratum[i]] += 1.0
                    acc[b, WAGES_PAID, r, stratum[i]] += g - new_g
                else:
                    continue
                grain[i] = new_g
                hands[i] = x

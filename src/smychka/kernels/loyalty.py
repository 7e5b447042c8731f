"""Loyalty, fear and grievance, village by village: each household's loyalty moves toward a
target set by the terms of trade, the goods it can buy, its fear and its grievance, and toward
its village's mean (contagion); villages rise in disturbances at a rate growing with their
grievance and the coercion they see."""
import numpy as np
from numba import prange

from ..core.rng import poisson, uniform
from ..core.state import MEMBER
from ._jit import kernel
from .common import clip


@kernel
def update(nv, vblock, key, month, v_first, v_count, v_region, hits_v, disturb_v, status,
           stratum, persons, loyalty, fear, grievance, base, terms, availability, rate,
           terms_weight, goods_weight, fear_weight, grievance_weight, contagion, fear_decay,
           grievance_decay, dist_base, dist_grievance, dist_hits, participation, acc):
    """acc[block, 0, region, 0] += expected disturbances (the Poisson rate of each village);
    acc[block, 1, region, 0] += expected participants. disturb_v holds the drawn events."""
    nblocks = (nv + vblock - 1) // vblock
    for b in prange(nblocks):
        for v in range(b * vblock, min(nv, (b + 1) * vblock)):
            lo = v_first[v]
            hi = lo + v_count[v]
            r = v_region[v]
            mean_l = 0.0
            mean_g = 0.0
            people = 0.0
            alive = 0
            for i0 in range(lo, hi):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                if status[i] <= MEMBER:
                    alive += 1
                    mean_l += np.float64(loyalty[i])
                    mean_g += np.float64(grievance[i])
                    people += np.float64(persons[i])
            if alive == 0:
                disturb_v[v] = 0.0
                continue
            mean_l /= alive
            mean_g /= alive
            for i0 in range(lo, hi):
                i = np.uint64(i0)   # unsigned: no test for a negative index
                if status[i] > MEMBER:
                    continue
                gr = np.float64(grievance[i]) * (1.0 - grievance_decay)
                fe = np.float64(fear[i]) * (1.0 - fear_decay)
                target = (base[stratum[i]] + terms_weight * (terms[r] - 1.0)
                          + goods_weight * (availability[r] - 1.0) - fear_weight * fe
                          - grievance_weight * gr)
                lo_ = np.float64(loyalty[i])
                lo_ += rate * (clip(target, 0.0, 1.0) - lo_) + contagion * (mean_l - lo_)
                loyalty[i] = clip(lo_, 0.0, 1.0)
                grievance[i] = gr
                fear[i] = fe
            lam = dist_base * np.exp(dist_grievance * mean_g + dist_hits * hits_v[v])
            k = poisson(lam, uniform(key, month, v, 0))
            disturb_v[v] = k       # the village's own events this month
            # the record counts expected events: smooth, whatever the sample's size
            acc[b, 0, r, 0] += lam
            acc[b, 1, r, 0] += lam * participation * people

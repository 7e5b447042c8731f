"""Loyalty, fear and grievance: each moves toward its resting value month by month."""
from numba import prange

from .common import chunk_bounds, clip
from ._jit import kernel


@kernel
def update(n, chunk, status, region, stratum, loyalty, fear, grievance, base, terms,
           availability, rate, terms_weight, goods_weight, fear_decay, grievance_decay,
           grievance_weight):
    """Loyalty relaxes toward base[stratum] + terms-of-trade and goods effects - grievance."""
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        for i in range(lo, hi):
            if status[i] != 0:
                continue
            r = region[i]
            gr = float(grievance[i]) * (1.0 - grievance_decay)
            fe = float(fear[i]) * (1.0 - fear_decay)
            target = (base[stratum[i]] + terms_weight * (terms[r] - 1.0)
                      + goods_weight * (availability[r] - 1.0) - grievance_weight * gr)
            lo_ = float(loyalty[i])
            loyalty[i] = clip(lo_ + rate * (clip(target, 0.0, 1.0) - lo_), 0.0, 1.0)
            grievance[i] = gr
            fear[i] = fe

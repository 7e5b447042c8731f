"""Labels: whom the village cadres call a kulak."""
import numpy as np
from numba import prange

from ..core.rng import uniform
from ..core.state import INDIVIDUAL
from ._jit import kernel
from .common import chunk_bounds

BEDNYAK, SEREDNYAK, KULAK = 0, 1, 2


@kernel
def relabel(n, chunk, key, year_key, status, village, stratum, label, last_harvest, zeal,
            capture, label_error, poor_factor, wealth_ref, miss_captured):
    """A kulak is labelled one unless captured cadres shield him; a middle peasant is labelled
    kulak with probability label_error x (1 + zeal) x (harvest / wealth_ref)^2, a poor one
    ("podkulachnik") with poor_factor times that. One draw per household and agricultural
    year, so a label only changes when zeal or the error rate moves."""
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        for i in range(lo, hi):
            if status[i] != INDIVIDUAL:   # labels matter for individual peasants
                continue
            v = village[i]
            s = stratum[i]
            u = uniform(key, year_key, i, 0)
            if s == KULAK:
                label[i] = SEREDNYAK if u < miss_captured * capture[v] else KULAK
                continue
            x = np.float64(last_harvest[i]) / wealth_ref
            p = label_error * (1.0 + zeal[v]) * x * x
            if s == BEDNYAK:
                p *= poor_factor
            label[i] = KULAK if u < p else s

"""Labels: whom the village cadres call a kulak."""
import numpy as np
from numba import njit, prange

from ..core.rng import uniform
from ..core.state import INDIVIDUAL
from ._jit import kernel
from .common import chunk_bounds

BEDNYAK, SEREDNYAK, KULAK = 0, 1, 2


@njit(cache=True, inline="always")
def label_of(key, year_key, i, s, harvest, zeal_v, capture_v, label_error, poor_factor,
             wealth_ref, miss_captured):
    """The label the cadres give household slot i of stratum s this agricultural year."""
    u = uniform(key, year_key, i, 0)
    if s == KULAK:
        return SEREDNYAK if u < miss_captured * capture_v else KULAK
    x = np.float64(harvest) / wealth_ref
    p = label_error * (1.0 + zeal_v) * x * x
    if s == BEDNYAK:
        p *= poor_factor
    return KULAK if u < p else s


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
        for i0 in range(lo, hi):
            i = np.uint64(i0)   # unsigned: no test for a negative index
            if status[i] != INDIVIDUAL:   # labels matter for individual peasants
                continue
            v = village[i]
            label[i] = label_of(key, year_key, i, stratum[i], last_harvest[i], zeal[v],
                                capture[v], label_error, poor_factor, wealth_ref,
                                miss_captured)

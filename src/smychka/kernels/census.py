"""End-of-month census of household stocks, aggregated by region and stratum."""
import numpy as np
from numba import prange

from .common import chunk_bounds
from ..core.state import MEMBER
from ._jit import kernel

# order of acc[c, k]; one more slot (loyalty x persons) follows for the smychka index
CENSUS_VARS = ("grain_stock", "hidden_grain", "sown_area", "money", "horses", "cattle",
               "pigs", "sheep", "households", "persons", "loyalty", "fear", "grievance",
               "horseless", "horseless_persons", "farms_sown_under_1ha", "farms_sown_over_16ha")


@kernel
def census(n, chunk, status, region, stratum, grain, hidden, sown_winter, sown_spring, money,
           horses, cattle, pigs, sheep, persons, loyalty, fear, grievance, acc):
    """acc[c, k, region, stratum] (zero on entry). A chunk's sums go first into a table of its
    own laid out [region, stratum, k], so that one household's sums sit side by
    side; each sum receives the same additions in the same order, from zero."""
    nk = acc.shape[1]
    nr = acc.shape[2]
    ns = acc.shape[3]
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        loc = np.zeros((nr, ns, 18))
        for i0 in range(lo, hi):
            i = np.uint64(i0)   # unsigned: no test for a negative index
            if status[i] > MEMBER:
                continue
            a = loc[region[i], stratum[i]]
            hd = np.float64(hidden[i])
            loy = np.float64(loyalty[i])
            pe = np.float64(persons[i])
            a[0] += np.float64(grain[i]) + hd
            a[1] += hd
            sown = np.float64(sown_winter[i]) + np.float64(sown_spring[i])
            a[2] += sown
            a[3] += np.float64(money[i])
            a[4] += horses[i]
            a[5] += cattle[i]
            a[6] += pigs[i]
            a[7] += sheep[i]
            a[8] += 1.0
            a[9] += pe
            a[10] += loy
            a[11] += np.float64(fear[i])
            a[12] += np.float64(grievance[i])
            if horses[i] == 0:
                a[13] += 1.0
                a[14] += pe
            if sown < 1.0:    # the farm-size classes of the statistics of the time
                a[15] += 1.0
            elif sown > 16.0:
                a[16] += 1.0
            a[17] += loy * pe
        for r in range(nr):
            for s in range(ns):
                for k in range(nk):
                    acc[c, k, r, s] += loc[r, s, k]

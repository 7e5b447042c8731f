"""End-of-month census of household stocks, aggregated by region and stratum."""
import numpy as np
from numba import prange

from .common import chunk_bounds
from ..core.state import MEMBER
from ._jit import kernel

# order of acc[c, k]; one more slot (loyalty x persons) follows for the smychka index
CENSUS_VARS = ("grain_stock", "hidden_grain", "sown_area", "money", "horses", "cattle",
               "pigs", "sheep", "households", "persons", "loyalty", "fear", "grievance")


@kernel
def census(n, chunk, status, region, stratum, grain, hidden, sown_winter, sown_spring, money,
           horses, cattle, pigs, sheep, persons, loyalty, fear, grievance, acc):
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        for i in range(lo, hi):
            if status[i] > MEMBER:
                continue
            r = region[i]
            s = stratum[i]
            hd = np.float64(hidden[i])
            acc[c, 0, r, s] += np.float64(grain[i]) + hd
            acc[c, 1, r, s] += hd
            acc[c, 2, r, s] += np.float64(sown_winter[i]) + np.float64(sown_spring[i])
            acc[c, 3, r, s] += np.float64(money[i])
            acc[c, 4, r, s] += horses[i]
            acc[c, 5, r, s] += cattle[i]
            acc[c, 6, r, s] += pigs[i]
            acc[c, 7, r, s] += sheep[i]
            acc[c, 8, r, s] += 1.0
            acc[c, 9, r, s] += persons[i]
            acc[c, 10, r, s] += np.float64(loyalty[i])
            acc[c, 11, r, s] += np.float64(fear[i])
            acc[c, 12, r, s] += np.float64(grievance[i])
            acc[c, 13, r, s] += np.float64(loyalty[i]) * np.float64(persons[i])

"""Named random streams with common random numbers (CRN).

A draw is a pure function of (run seed, stream name, absolute month, household slot, index):
a counter-based hash, no generator state. So a household's draw for a given decision and month
is the same in every scenario run with the same seed, whatever else differs, and the same with
any number of threads. Kernels receive a stream key (uint64) and call `uniform`/`normal`.
"""
from __future__ import annotations

import zlib
from decimal import Decimal, localcontext

import numpy as np
from numba import njit

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_S32, _S48 = np.uint64(32), np.uint64(48)
_INV53 = 1.0 / 9007199254740992.0  # 2**-53


@njit(cache=True, inline="always")
def mix64(x):
    """splitmix64 finaliser: a bijective avalanche of 64 bits."""
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


@njit(cache=True, inline="always")
def uniform(key, month, slot, j):
    """U(0,1) for (stream key, absolute month, household or entity slot, sub-index j < 2**16)."""
    c = np.uint64(slot) | (np.uint64(month) << _S32) | (np.uint64(j) << _S48)
    h = mix64(key + (c + np.uint64(1)) * _GOLDEN)
    return (np.float64(h >> _S11) + 0.5) * _INV53


@njit(cache=True, inline="always")
def normal(key, month, slot, j):
    """Standard normal by Box-Muller from sub-draws 2j and 2j+1."""
    u1 = uniform(key, month, slot, 2 * j)
    u2 = uniform(key, month, slot, 2 * j + 1)
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


def _pow2_table(count, step):
    """2**(-j * step) for j < count, each correctly rounded to a double."""
    with localcontext() as ctx:
        ctx.prec = 40
        return np.array([float(Decimal(2) ** (Decimal(-j) * Decimal(step))) for j in range(count)])


_EXP_FRAC = _pow2_table(64, Decimal(1) / 64)   # 2**(-j/64)
_EXP_LO = _pow2_table(32, 1)                    # 2**-j
_EXP_HI = _pow2_table(32, 32)                   # 2**(-32 j)
_EXP_K = 64.0 / 0.6931471805599453             # 64 / ln 2
_LN2_64_HI = 0.010830424696223417               # ln 2 / 64, the leading bits (k * this is exact)
_LN2_64_LO = 2.572804622327669e-14             # ln 2 / 64 - _LN2_64_HI


@njit(cache=True, inline="always")
def exp_neg(x):
    """exp(-x) for x >= 0, within about 1.5 units in the last place of the correctly rounded
    value, inline: no call into the maths library, which in a long loop body costs more
    than the function itself (a call forces every live floating-point value out of the
    registers). exp(-x) = 2**(-k/64) exp(-r), |r| <= ln 2 / 128, exp(-r) by its Taylor
    polynomial to r**6 (remainder below 3e-20)."""
    if x > 700.0:
        return np.exp(-x)
    k = int(x * _EXP_K + 0.5)
    r = (x - k * _LN2_64_HI) - k * _LN2_64_LO
    q = 1.0 - r * (1.0 - r * (0.5 - r * (1.0 / 6.0 - r * (1.0 / 24.0 - r * (
        1.0 / 120.0 - r * (1.0 / 720.0))))))
    m = k >> 6
    return (_EXP_FRAC[k & 63] * q) * _EXP_LO[m & 31] * _EXP_HI[m >> 5]


@njit(cache=True, inline="always")
def poisson(lam, u):
    """Poisson(lam) by inversion of one uniform; exact for the small means used here."""
    if lam <= 0.0 or u <= 1.0 - lam:   # exp(-lam) >= 1 - lam: surely no event (fast path)
        return 0
    p = exp_neg(lam)
    c = p
    k = 0
    while u > c and k < 1000:
        k += 1
        p *= lam / k
        c += p
    return k


def stream_key(seed: int, name: str) -> np.uint64:
    """The key of a named stream for a run seed (stable across platforms and versions)."""
    with np.errstate(over="ignore"):
        base = np.uint64(seed & 0xFFFFFFFFFFFFFFFF) * _GOLDEN + np.uint64(zlib.crc32(name.encode()))
        mix = getattr(mix64, "py_func", mix64)   # plain Python under NUMBA_DISABLE_JIT
        return np.uint64(mix(mix(base)))


class Streams:
    """The named streams of one run; `streams["harvest.noise"]` is that stream's key."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._keys: dict[str, np.uint64] = {}

    def __getitem__(self, name: str) -> np.uint64:
        if name not in self._keys:
            self._keys[name] = stream_key(self.seed, name)
        return self._keys[name]

    @property
    def names(self) -> list[str]:
        return sorted(self._keys)


@njit(cache=True)
def uniforms(key, month, count):
    """U(0,1) for `count` entities (villages, regions) in one month of a stream."""
    out = np.empty(count)
    for v in range(count):
        out[v] = uniform(key, month, v, 0)
    return out

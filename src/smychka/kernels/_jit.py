"""Each hot loop is compiled twice, lazily: a serial version (quick to compile, best for
small populations) and a `parallel=True` version (prange over chunks, worth its longer
compilation at large scale). `use_parallel` picks which one runs; results are identical,
since work is split in fixed chunks whatever the thread count."""
from __future__ import annotations

import types

from numba import njit

_STATE = {"parallel": False}


def use_parallel(flag: bool) -> None:
    _STATE["parallel"] = bool(flag)


def parallel_enabled() -> bool:
    return _STATE["parallel"]


class Kernel:
    def __init__(self, fn):
        self.py_func = fn
        self.serial = njit(cache=True)(fn)
        twin = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__ + "_parallel",
                                  fn.__defaults__, fn.__closure__)
        twin.__qualname__ = fn.__qualname__ + "_parallel"
        twin.__module__ = fn.__module__
        twin.__doc__ = fn.__doc__
        self.parallel = njit(cache=True, parallel=True)(twin)
        self.__doc__ = fn.__doc__
        self.__name__ = fn.__name__

    def __call__(self, *args):
        return (self.parallel if _STATE["parallel"] else self.serial)(*args)


def kernel(fn) -> Kernel:
    """Decorator for a hot loop over households."""
    return Kernel(fn)

"""numba's disk cache of the kernels, made stale by an edit of any file they are built from.

numba keeps a compiled function on disk (`cache=True`) and recompiles it when the function's
own file changes, but not when a file it imports from changes. A kernel inlines helpers from
other files (the draws of core/rng.py, the rules of kernels/common.py, the status codes of
core/state.py), so after an edit of one of those it would go on running the old helper,
silently. Here the stamp numba checks for each cached function of smychka also carries a
digest of every file the kernels are built from (`SOURCES`): an edit of any of them
recompiles all the kernels once. `install()` must run before the kernels are defined; the
package's `__init__` calls it first.
"""
from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

from numba.core import caching

_PACKAGE = Path(__file__).resolve().parent.parent
# every file whose code or constants a compiled kernel can hold (a test checks that the
# kernels import from nothing else in the package)
SOURCES = tuple(sorted((_PACKAGE / "kernels").glob("*.py"))) + (
    _PACKAGE / "core" / "rng.py", _PACKAGE / "core" / "state.py")


def sources_digest(paths=SOURCES) -> str:
    """SHA-256 over the names and contents of the files the kernels are built from."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


_DIGEST = sources_digest()


def _inside_package(py_file: str) -> bool:
    try:
        return Path(py_file).resolve().is_relative_to(_PACKAGE)
    except OSError:
        return False


class SourcesStampedLocator(getattr(caching, "_CacheLocator", object)):
    """numba's own choice of cache folder for a function of smychka (the first of its
    locators that accepts the function), with the sources' digest added to its stamp."""

    _numba_locators: tuple = ()

    def __init__(self, inner):
        self._inner = inner

    def ensure_cache_path(self):
        self._inner.ensure_cache_path()

    def get_cache_path(self):
        return self._inner.get_cache_path()

    def get_source_stamp(self):
        return (self._inner.get_source_stamp(), _DIGEST)

    def get_disambiguator(self):
        return self._inner.get_disambiguator()

    @classmethod
    def from_function(cls, py_func, py_file):
        if not _inside_package(py_file):
            return None     # not smychka's: numba's locators, unchanged
        for numba_locator in cls._numba_locators:
            inner = numba_locator.from_function(py_func, py_file)
            if inner is not None:
                return cls(inner)
        return None


def install() -> None:
    """Put the locator in front of numba's (once). These are numba's internals: if a numba
    release renames them, say so and run with numba's own cache."""
    impl = getattr(caching, "CacheImpl", None) or getattr(caching, "_CacheImpl", None)
    numba_locators = getattr(impl, "_locator_classes", None)
    if not hasattr(caching, "_CacheLocator") or not isinstance(numba_locators, list):
        warnings.warn("this numba's cache cannot be keyed on all the kernel sources: after "
                      "editing core/rng.py, core/state.py or kernels/common.py, clear the "
                      "numba cache (NUMBA_CACHE_DIR or the __pycache__ folders)", stacklevel=2)
        return
    ours = SourcesStampedLocator
    if ours in numba_locators:
        return
    ours._numba_locators = tuple(numba_locators)
    impl._locator_classes = [ours, *numba_locators]

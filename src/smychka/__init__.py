"""smychka: the political economy of the Soviet countryside, 1924-1934, household by household."""
from importlib.metadata import PackageNotFoundError, version

from .kernels import _cache

_cache.install()   # before any kernel is defined: see kernels/_cache.py

from .api import load_scenario, run  # noqa: E402
from .errors import InputError  # noqa: E402

try:
    __version__ = version("smychka")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+src"

__all__ = ["run", "load_scenario", "InputError", "__version__"]

"""smychka: the political economy of the Soviet countryside, 1924-1934, household by household."""
from importlib.metadata import PackageNotFoundError, version

from .api import load_scenario, run
from .errors import InputError

try:
    __version__ = version("smychka")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+src"

__all__ = ["run", "load_scenario", "InputError", "__version__"]

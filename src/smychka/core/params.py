"""The parameter schema: one declaration serves validation, docs, CLI listing and calibration.

Each process module declares `PARAMS`, a tuple of `Param`, named "<process>.<name>". The
registry gathers them; a scenario's `[params]` table and `--set` overrides are checked
against it (unknown names and out-of-bounds values are `InputError`s naming the key).
Behavioural parameters (`calibrate=True`) are the ones calibration may move, within
`bounds`, against 1924-1929 data only.
"""
from __future__ import annotations

import difflib
import importlib
from dataclasses import dataclass
from functools import lru_cache

from ..errors import InputError

# Process modules that declare parameters, in step-plan order.
PARAM_MODULES = (
    "population", "centre", "lease", "labour", "sowing", "harvest", "kolkhoz", "tax", "marketing", "procurement",
    "cadres", "campaign", "market", "consumption", "livestock", "loyalty", "collectivization",
    "demography", "industry", "town",
)


@dataclass(frozen=True)
class Param:
    name: str                      # "<process>.<name>"
    default: float
    unit: str
    meaning: str
    bounds: tuple[float, float]
    source: str                    # a source key of data/sources.toml, or "to be calibrated"
    calibrate: bool = False        # behavioural: calibrated on 1924-1929

    @property
    def process(self) -> str:
        return self.name.split(".", 1)[0]


@lru_cache(maxsize=1)
def registry() -> dict[str, Param]:
    """All parameters by dotted name, in process order."""
    out: dict[str, Param] = {}
    for mod in PARAM_MODULES:
        for p in importlib.import_module(f"smychka.processes.{mod}").PARAMS:
            assert p.name.startswith(mod + "."), p.name
            assert p.bounds[0] <= p.default <= p.bounds[1], p.name
            out[p.name] = p
    return out


def defaults() -> dict[str, float]:
    return {k: p.default for k, p in registry().items()}


def check_param(name: str, value, key: str | None = None) -> float:
    """Validate one override; returns it as float. `key` is the path shown in errors."""
    key = key or name
    reg = registry()
    if name not in reg:
        near = difflib.get_close_matches(name, reg, n=3)
        valid = ", ".join(near) if near else "see `smychka params`"
        raise InputError(key, f"unknown parameter {name!r}", valid)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise InputError(key, f"{value!r} is not a number", "a number") from None
    lo, hi = reg[name].bounds
    if not lo <= float(value) <= hi:
        raise InputError(key, f"{value} is out of bounds", f"{lo} to {hi} {reg[name].unit}")
    return float(value)


def resolve(overrides: dict[str, float] | None) -> dict[str, float]:
    """Defaults with validated overrides applied."""
    out = defaults()
    for k, v in (overrides or {}).items():
        out[k] = check_param(k, v, f"params.{k}")
    return out

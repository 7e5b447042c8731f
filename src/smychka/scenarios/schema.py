"""The shape of one scenario file (TOML), before inheritance is resolved.

Only types and simple ranges are checked here; names of parameters and levers, months and
dates are checked by the loader against the registries, so that every message can name the
key and list what is valid. Fields left out (None) are inherited through `extends`.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Weather = Literal["historical", "random"]


class ScenarioFile(BaseModel):
    """One scenario file as written. Unknown keys are errors (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: str
    description: str = ""
    extends: str | None = None              # a built-in name or a path to a TOML file
    start: str | None = None                # "YYYY-MM"; inherited when absent
    end: str | None = None
    households: int | None = Field(None, ge=100)  # simulated sample size
    seed: int | None = Field(None, ge=0)
    # "historical": the regional shocks of the recorded years on top of random ones
    weather: Weather | None = None
    params: dict[str, float] = {}           # dotted names: "marketing.hoarding_goods"
    levers: dict[str, dict[str, float]] = {}  # lever -> {"YYYY-MM": value}
    notes: dict[str, str] = {}              # lever -> why its dated values are what they are


# What a scenario has when no file in its chain says otherwise.
BASE_FIELDS = {
    "start": "1924-07",
    "end": "1934-06",
    "households": 100_000,
    "seed": 1,
    "weather": "historical",
}

FILE_KEYS = tuple(ScenarioFile.model_fields)

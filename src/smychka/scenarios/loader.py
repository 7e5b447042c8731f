"""Scenarios: load a built-in or a file, resolve its `extends` chain, apply overrides.

A scenario is a chain of layers, root first: the files reached through `extends`, then any
overrides given from Python or the command line. Scalar fields come from the last layer that
sets them; `params` and `notes` merge key by key. A layer that schedules a lever takes it over
from its first date on: the parent's entries before that date stay, its later ones are dropped
(a counterfactual "from January 1928, coercion 0" means 0 for the rest of the run unless the
layer dates another change).

Dates a layer writes itself are checked strictly against the run as known at that layer (a
file's own lever dates must lie inside its own run); inherited dates are applied leniently,
so a child may shorten the run of the scenario it extends.
"""
from __future__ import annotations

import tomllib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import tomli_w
from pydantic import ValidationError

from ..core import params as _params
from ..core.calendar import Calendar, format_month, parse_month
from ..core.levers import LEVERS, check_dates, check_lever, resolve_levers
from ..errors import InputError
from . import sources
from .schema import BASE_FIELDS, ScenarioFile

OVERRIDE_FIELDS = ("name", "description", "start", "end", "households", "seed", "weather")


@dataclass(frozen=True)
class _Layer:
    """One link of the chain: a file's own content, or a set of overrides."""

    data: ScenarioFile
    label: str             # a built-in name, a path, or "overrides"
    context: str | None    # prefix for error keys: set for files further up the chain


@dataclass(frozen=True)
class Scenario:
    """A resolved, validated scenario. Treat its dicts as read-only: derive variants with
    `with_overrides`. Equality ignores where a scenario came from, so a scenario equals the
    one read back from its `to_toml()` text."""

    name: str
    description: str
    start: str                          # "YYYY-MM", first month of the run
    end: str                            # last month, inclusive
    households: int                     # simulated sample size
    seed: int
    weather: str                        # "historical" | "random"
    params: dict[str, float]            # every parameter: registry defaults + overrides
    levers: dict[str, dict[str, float]]  # lever -> {"YYYY-MM": value}, within the run
    notes: dict[str, str]               # lever -> why its schedule is what it is
    chain: tuple[str, ...] = field(default=(), compare=False)
    _layers: tuple[_Layer, ...] = field(default=(), compare=False, repr=False)

    def with_overrides(self, params: dict[str, float] | None = None,
                       levers: dict[str, dict[str, float]] | None = None,
                       **fields) -> "Scenario":
        """A copy with overrides merged on top, validated like a file's own entries.
        Fields given as None are left as they are."""
        fields = {k: v for k, v in fields.items() if v is not None}
        unknown = sorted(set(fields) - set(OVERRIDE_FIELDS))
        if unknown:
            raise InputError(unknown[0], "not a scenario field", ", ".join(OVERRIDE_FIELDS))
        if not (params or levers or fields):
            return self
        raw = {"name": self.name, "description": self.description, **fields,
               "params": params or {}, "levers": levers or {}}
        try:
            data = ScenarioFile.model_validate(raw)
        except ValidationError as e:
            raise sources.validation_error(e) from None
        base = self._layers or (_Layer(self._as_file(), self.name, None),)
        return _resolve(base + (_Layer(data, "overrides", None),))

    def calendar(self) -> Calendar:
        return Calendar.from_strings(self.start, self.end)

    def lever_arrays(self) -> dict[str, np.ndarray]:
        """One array per lever (every lever, defaults included) over the run's months."""
        return resolve_levers(self.levers, self.calendar())

    def to_toml(self) -> str:
        """Self-contained TOML (no `extends`, every parameter) that loads back to an equal
        scenario: results files carry it so they say how they were made."""
        doc = self._as_file().model_dump(exclude={"extends"})
        header = (f"# Scenario {self.name!r}, resolved from: {' -> '.join(self.chain)}\n"
                  if self.chain else "")
        return header + tomli_w.dumps(doc)

    def _as_file(self) -> ScenarioFile:
        return ScenarioFile(name=self.name, description=self.description, start=self.start,
                            end=self.end, households=self.households, seed=self.seed,
                            weather=self.weather, params=dict(self.params),
                            levers=self.levers, notes=self.notes)


def load_scenario(name_or_path: str | Path | Scenario, params: dict[str, float] | None = None,
                  levers: dict[str, dict[str, float]] | None = None, **fields) -> Scenario:
    """A built-in name or a TOML path, resolved and validated, with overrides on top.

        load_scenario("history", params={"marketing.hoarding_goods": 0.8},
                      levers={"procurement_price": {"1928-07": 1.2}}, households=20_000)
    """
    if isinstance(name_or_path, Scenario):
        base = name_or_path
    else:
        src = sources.locate(name_or_path, Path.cwd(), "scenario")
        base = _resolve(_chain(src, ()))
    return base.with_overrides(params=params, levers=levers, **fields)


def scenario_from_toml(text: str, label: str = "scenario text") -> Scenario:
    """A scenario from TOML text, e.g. the one stored in a results file."""
    return _resolve(_chain(sources.Source(label, f"text:{label}", text, Path.cwd()), ()))


def builtin_scenarios() -> dict[str, str]:
    """Built-in scenario names and their one-line descriptions."""
    out = {}
    for name in sources.builtin_names():
        raw = tomllib.loads(sources.builtin_text(name))
        out[name] = str(raw.get("description", ""))
    return out


@contextmanager
def _within(context: str | None):
    """Errors in files further up the chain say which file they are in."""
    try:
        yield
    except InputError as e:
        if context is None or e.key.startswith("scenario file"):
            raise
        raise InputError(f"{context}: {e.key}", e.problem, e.valid) from None


def _chain(src: sources.Source, seen: tuple[tuple[str, str], ...]) -> list[_Layer]:
    """The layers of `src` and of everything it extends, root first."""
    context = src.label if seen else None
    with _within(context):
        data = sources.parse(src)
    layer = _Layer(data, src.label, context)
    if data.extends is None:
        return [layer]
    seen = seen + ((src.identity, src.label),)
    with _within(context):
        parent = sources.locate(data.extends, src.folder or Path.cwd(), "extends")
        if parent.identity in {ident for ident, _ in seen}:
            loop = " -> ".join([label for _, label in seen] + [parent.label])
            raise InputError("extends", f"circular chain {loop}",
                             "a chain that ends in a scenario without extends")
    return _chain(parent, seen) + [layer]


def _resolve(layers: tuple[_Layer, ...] | list[_Layer]) -> Scenario:
    fields = dict(BASE_FIELDS)
    params: dict[str, float] = {}
    levers: dict[str, dict[str, float]] = {}
    notes: dict[str, str] = {}
    for layer in layers:
        data = layer.data
        with _within(layer.context):
            fields.update({k: getattr(data, k) for k in BASE_FIELDS
                           if getattr(data, k) is not None})
            check_dates(data.levers, Calendar.from_strings(fields["start"], fields["end"]))
            for k, v in data.params.items():
                params[k] = _params.check_param(k, v, f"params.{k}")
            for k in data.notes:
                check_lever(k, f"notes.{k}")
        for k, sched in data.levers.items():
            if not sched:
                continue
            own = {_canonical(m): v for m, v in sched.items()}
            first = min(parse_month(m) for m in own)
            kept = {m: v for m, v in levers.get(k, {}).items() if parse_month(m) < first}
            levers[k] = {**kept, **own}
        notes.update(data.notes)
    cal = Calendar.from_strings(fields["start"], fields["end"])
    resolve_levers(levers, cal)  # inherited values are checked here, leniently on dates
    last = layers[-1].data
    return Scenario(name=last.name, description=last.description, **fields,
                    params=_params.resolve(params), levers=_clip(levers, cal),
                    notes={k: notes[k] for k in LEVERS if k in notes},
                    chain=tuple(layer.label for layer in layers), _layers=tuple(layers))


def _canonical(month: str) -> str:
    return format_month(parse_month(month))


def _clip(levers: dict[str, dict[str, float]], cal: Calendar) -> dict[str, dict[str, float]]:
    """Schedules restricted to the run, with the same effect: the entry in force at the
    start moves to the start month, entries after the end are dropped."""
    out = {}
    for name in (k for k in LEVERS if k in levers):
        kept: dict[str, float] = {}
        for month in sorted(levers[name], key=parse_month):
            a = parse_month(month)
            if a <= cal.end:
                kept[format_month(max(a, cal.start))] = float(levers[name][month])
        if kept:
            out[name] = kept
    return out

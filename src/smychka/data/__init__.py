"""Historical data: regional and strata tables, weather shocks, validation series, sources.

Tables (package files, read with importlib.resources, validated and cached on first use):
- ``regions()``: one row per model region, in the order of ``core.variables.REGIONS``:
  household_share, base_yield_kg_ha, winter_sown_share, price_zone, plan_share.
- ``strata()``: the initial household population by stratum (``core.variables.INITIAL_STRATA``):
  household_share and per-household means of persons, workers, land, livestock and cash.
- ``weather()``: regional yield factors (harvest year, region, multiplier on the normal yield)
  for the region-years with evidence; every other region-year is normal (1.0).
- ``series()``: historical outcomes for validation, one tidy frame with columns series, period,
  period_type, region ("USSR" for national figures), value, low, high, unit, source, note, family.
- ``sources()``: the bibliography; every ``source``/``*_source`` cell holds keys of it
  (several joined by ";").

Periods: "1926/27" is an agricultural (July-June) or economic (October-September) year, named
by period_type; "1929-01-01" a date; "1927-11/1927-12" a span of months; "1926" a calendar year;
"A-B" a span of years (a mean or a rate over it).

Strata arithmetic (24 mln households, shares 0.30/0.66/0.04): persons 0.3*4.0 + 0.66*5.0 +
0.04*6.2 = 4.75 in 1924 (about 5.0 by 1927); land 0.3*2.5 + 0.66*5 + 0.04*12 = 4.53 ha, about
3.7 ha of grain at the 1928 share of grain in sown area (92/113); horses 1.11 per household =
26.6 mln; cattle 2.23 = 54 mln; pigs 0.67 = 16 mln; sheep and goats 4.02 = 96 mln (summer 1924:
the 1 January counts of 1923 and 1929 interpolated, raised by the summer-over-January ratio);
horseless 0.3*0.8 + 0.66*0.09 + 0.04*0.02 = 0.30.
"""
from __future__ import annotations

import copy
import functools
import io
import tomllib
from importlib import resources

import pandas as pd

from ..core.variables import INITIAL_STRATA, REGIONS
from ..errors import InputError

__all__ = [
    "DataError", "regions", "strata", "weather", "sources", "series", "series_names",
    "bibliography_markdown", "PERIOD_TYPES", "misfits",
]

PERIOD_TYPES = ("ag_year", "calendar_year", "date", "econ_year", "months")
_SERIES_COLUMNS = ("series", "period", "period_type", "region", "value", "low", "high", "unit",
                   "source", "note")
_TEXT = {"period": str, "region": str, "source": str, "note": str, "series": str, "unit": str,
         "period_type": str}


class DataError(ValueError):
    """A package data file breaks its own rules (a bug in the data, not user input)."""


def _file(*parts: str):
    return resources.files(__name__).joinpath(*parts)


def _read_csv(*parts: str) -> pd.DataFrame:
    text = _file(*parts).read_text(encoding="utf-8")
    df = pd.read_csv(io.StringIO(text), dtype=_TEXT)
    for col in df.columns:
        if col == "source" or col.endswith("_source") or col == "note":
            df[col] = df[col].fillna("").astype(str)
    return df


@functools.cache
def _sources() -> dict[str, dict]:
    with _file("sources.toml").open("rb") as fh:
        return tomllib.load(fh)


def _source_keys(cell: str) -> list[str]:
    return [k.strip() for k in str(cell).split(";") if k.strip()]


def _check_sources(df: pd.DataFrame, table: str) -> None:
    known = _sources()
    for col in [c for c in df.columns if c == "source" or c.endswith("_source")]:
        for i, cell in enumerate(df[col]):
            keys = _source_keys(cell)
            if not keys:
                raise DataError(f"{table}: row {i + 1}, column {col} names no source")
            bad = [k for k in keys if k not in known]
            if bad:
                raise DataError(f"{table}: row {i + 1}, column {col}: unknown source {bad}")


def _check_share(df: pd.DataFrame, col: str, table: str) -> None:
    total = float(df[col].sum())
    if abs(total - 1.0) > 1e-6:
        raise DataError(f"{table}: {col} sums to {total}, not 1")


def _check_names(names, expected, table: str) -> None:
    if tuple(names) != tuple(expected):
        raise DataError(f"{table}: rows {list(names)} must be {list(expected)} in this order")


@functools.cache
def _regions() -> pd.DataFrame:
    df = _read_csv("regions.csv")
    _check_names(df["region"], REGIONS, "regions.csv")
    _check_sources(df, "regions.csv")
    for col in ("household_share", "plan_share"):
        _check_share(df, col, "regions.csv")
    return df.set_index("region")


@functools.cache
def _strata() -> pd.DataFrame:
    df = _read_csv("strata.csv")
    _check_names(df["stratum"], INITIAL_STRATA, "strata.csv")
    _check_sources(df, "strata.csv")
    _check_share(df, "household_share", "strata.csv")
    return df.set_index("stratum")


@functools.cache
def _weather() -> pd.DataFrame:
    df = _read_csv("weather.csv")
    _check_sources(df, "weather.csv")
    bad = sorted(set(df["region"]) - set(REGIONS))
    if bad:
        raise DataError(f"weather.csv: unknown regions {bad}")
    if df.duplicated(["ag_year", "region"]).any():
        raise DataError("weather.csv: a region-year appears twice")
    if (df["yield_factor"] <= 0).any():
        raise DataError("weather.csv: yield factors must be positive")
    return df


@functools.cache
def _series() -> pd.DataFrame:
    folder = _file("series")
    frames = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".csv"):
            continue
        df = _read_csv("series", entry.name)
        table = f"series/{entry.name}"
        if tuple(df.columns) != _SERIES_COLUMNS:
            raise DataError(f"{table}: columns must be {list(_SERIES_COLUMNS)}")
        _check_sources(df, table)
        df["family"] = entry.name.removesuffix(".csv")
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    problems = []
    if not out["period_type"].isin(PERIOD_TYPES).all():
        problems.append(f"period_type outside {PERIOD_TYPES}")
    if not out["region"].isin(("USSR", *REGIONS)).all():
        problems.append("region outside the model regions and USSR")
    if not ((out["low"] <= out["value"]) & (out["value"] <= out["high"])).all():
        problems.append("a value outside its band")
    if out.duplicated(["series", "period", "region"]).any():
        problems.append("a (series, period, region) appears twice")
    if out.groupby("series")["family"].nunique().gt(1).any():
        problems.append("a series spread over two files")
    if problems:
        raise DataError("series: " + "; ".join(problems))
    return out


def regions() -> pd.DataFrame:
    """The model regions (index ``region``, in model order) with their parameters and sources."""
    return _regions().copy()


def strata() -> pd.DataFrame:
    """The initial household population by stratum (index ``stratum``): shares and means."""
    return _strata().copy()


def weather() -> pd.DataFrame:
    """Known regional yield shocks: ag_year (harvest year), region, yield_factor, source, note."""
    return _weather().copy()


def sources() -> dict[str, dict]:
    """The bibliography: source key -> {author, title, year?, url?, weight, ...}."""
    return copy.deepcopy(_sources())


def misfits(window: str = "calibration") -> dict[str, str]:
    """Why the model departs from a series where it does: series name -> explanation (the
    mechanism the model lacks, or why the sources cannot all be met), for the validation
    report. `window` "calibration" gives the entries' `why` (1924-1929), "test" their `test`
    (periods ending after 1929, which no parameter was set on). Raises DataError on a name that is
    not a series or an entry with neither key."""
    if window not in ("calibration", "test"):
        raise ValueError(f"window {window!r}: use 'calibration' or 'test'")
    with _file("misfits.toml").open("rb") as fh:
        table = tomllib.load(fh)
    known = set(series_names())
    key = "why" if window == "calibration" else "test"
    out = {}
    for name, entry in table.items():
        if name not in known:
            raise DataError(f"misfits.toml: {name!r} is not a series")
        if not {"why", "test"} & set(entry):
            raise DataError(f"misfits.toml: {name!r} has neither 'why' nor 'test'")
        if key in entry:
            out[name] = " ".join(str(entry[key]).split())
    return out


def series_names() -> list[str]:
    """The names of all historical series, sorted."""
    return sorted(_series()["series"].unique())


def series(name: str | None = None) -> pd.DataFrame:
    """All historical series in one tidy frame, or the rows of the series called ``name``.

    Raises InputError (key "series") naming the valid names when ``name`` is unknown.
    """
    df = _series()
    if name is None:
        return df.copy()
    rows = df[df["series"] == name]
    if rows.empty:
        raise InputError("series", f"unknown series {name!r}", ", ".join(series_names()))
    return rows.reset_index(drop=True)


def bibliography_markdown() -> str:
    """The sources as a markdown list, one item per key, in file order."""
    lines = []
    for key, src in _sources().items():
        item = f"- **{key}**: {src.get('author', '')}, *{src.get('title', '')}*"
        if "year" in src:
            item += f" ({src['year']})"
        if "url" in src:
            item += f". <{src['url']}>"
        item += f". {src.get('weight', '')}"
        lines.append(item)
    return "\n".join(lines) + "\n"

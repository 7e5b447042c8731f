"""Comparing scenarios on common random numbers.

Every scenario is run with the same seeds; a seed fixes every random draw, so the runs of
one seed differ only by their policies and their difference is the policies' effect in that
world. The paired differences are summarised across seeds as the median and 5-95 % band.

    ds = compare(["history", "nep-continued"], seeds=5, households=20_000)
    difference_table(ds, "history", "nep-continued")    # per agricultural year
    write_comparison(ds, "runs/compare")                # compare.md, compare.nc, figures

The outcomes (`OUTCOMES`) are annual scalars also used by the attribution; those whose
variables a dataset lacks are left out, so the tables grow with the model.
"""
from __future__ import annotations

import functools
import json
import os
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from ..core.variables import VARIABLES
from ..errors import InputError
from ..report._data import BAND, agricultural_years
from ..report._plot import (cumulative_by_ag_year, figure_legend, line, mark_ag_years,
                            new_figure, save)
from ..report.markdown import markdown_table
from ..report.tables import format_value
from ..scenarios.loader import Scenario, load_scenario
from .ensemble import (SEED, branch_runs, progress_bar, run_branches, same_calendar,
                       seed_list, stack_seeds)
from .workers import kernels_for, map_seeds, worker_count

SCENARIO = "scenario"
WHOLE = "whole run"
MT = MHA = MLN = 1e6
COLOURS = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3",
           "#8C8C8C")
_CELLS = ("time", "region", "stratum")


# --- outcomes --------------------------------------------------------------------------

def _sum(da: xr.DataArray, dims: tuple[str, ...] = _CELLS) -> xr.DataArray:
    """Sum over the model's dimensions present; seed and scenario stay."""
    return da.sum([d for d in dims if d in da.dims])


@dataclass(frozen=True)
class Outcome:
    """An annual scalar read from monthly national series.

    `kind` says how a year's months make one value: "flow" sums `var` over the year; "june"
    takes it in the last month of the year, "january" in its January; "weighted" is the
    mean of `var` weighted by `weight` (e.g. loyalty by households), "weighted_june" the
    same in the last month; "per_head" divides the year's sum of `var` by the mean of
    `weight` (e.g. grain eaten per person). `whole` says how the years make the whole run:
    "sum", "last" or "mean"."""

    name: str
    label: str          # meaning and unit
    var: str
    kind: str
    scale: float = 1.0  # the value is divided by it (tonnes -> Mt)
    weight: str | None = None
    stratum: str | None = None
    whole: str = "sum"

    @property
    def needs(self) -> tuple[str, ...]:
        return (self.var,) if self.weight is None else (self.var, self.weight)


OUTCOMES: dict[str, Outcome] = {o.name: o for o in (
    Outcome("harvest", "harvest, Mt", "harvest", "flow", MT),
    Outcome("procurement", "state procurement, Mt", "procurement", "flow", MT),
    Outcome("private_sales", "private grain sales, Mt", "private_sales", "flow", MT),
    Outcome("sown_area", "area sown for the next harvest at the end of June, Mha",
            "sown_area", "june", MHA, whole="last"),
    Outcome("horses", "horses in January, mln", "horses", "january", MLN, whole="last"),
    Outcome("cattle", "cattle in January, mln", "cattle", "january", MLN, whole="last"),
    Outcome("loyalty", "loyalty of all households, mean over the year, 0-1", "loyalty",
            "weighted", weight="households", whole="mean"),
    Outcome("loyalty_serednyak", "serednyak loyalty, mean over the year, 0-1", "loyalty",
            "weighted", weight="households", stratum="serednyak", whole="mean"),
    Outcome("disturbances", "peasant disturbances, count", "disturbances", "flow"),
    Outcome("collectivized_share", "share of households in kolkhozes at the end of June",
            "collectivized_share", "weighted_june", weight="households", whole="last"),
    Outcome("deported", "people deported, thousands", "deported", "flow", 1e3),
    Outcome("famine_deaths", "famine deaths, thousands", "famine_deaths", "flow", 1e3),
    Outcome("food_shortfall", "food need not met, Mt", "food_shortfall", "flow", MT),
    Outcome("consumption_per_head", "grain eaten per rural person, kg a year",
            "consumption", "per_head", 1e-3, weight="persons", whole="mean"),
    Outcome("industrial_output", "industrial output, bln roubles of 1926/27",
            "industrial_output", "flow", 1e9),
)}
# the first table and panels hold the grain; the rest go in the second
GRAIN_OUTCOMES = ("harvest", "procurement", "private_sales", "sown_area", "food_shortfall",
                  "consumption_per_head")


def available_outcomes(names: Sequence[str] | None = None,
                       variables=None) -> list[Outcome]:
    """The outcomes asked for (all by default) that can be computed from `variables` (by
    default those the model records). Naming one that cannot be computed is an error."""
    variables = set(VARIABLES if variables is None else variables)
    if names is None:
        return [o for o in OUTCOMES.values() if set(o.needs) <= variables]
    out = []
    for name in names:
        if name not in OUTCOMES:
            raise InputError("outcomes", f"unknown outcome {name!r}", ", ".join(OUTCOMES))
        o = OUTCOMES[name]
        missing = [v for v in o.needs if v not in variables]
        if missing:
            raise InputError("outcomes", f"{name} needs {', '.join(missing)}, which the "
                             "model does not record", ", ".join(
                                 o.name for o in available_outcomes(None, variables)))
        out.append(o)
    return out


def _other_dims(ds: xr.Dataset) -> tuple[str, ...]:
    return tuple(d for d in ds.dims if d not in _CELLS)


def _array(ds: xr.Dataset, var: str, stratum: str | None,
           rest: tuple[str, ...]) -> np.ndarray:
    """A variable as an array (time, region, stratum, *rest), the model dimensions it lacks
    of length 1, one stratum kept if asked (numpy throughout: this runs once per run in an
    attribution)."""
    da = ds.variables[var]   # the bare variable: no coordinates to carry along
    cells = [d for d in _CELLS if d in da.dims]
    a = da.transpose(*cells, *[d for d in rest if d in da.dims]).values
    dims = cells + [d for d in rest if d in da.dims]
    for i, d in enumerate(_CELLS + rest):
        if d not in dims:
            a = np.expand_dims(a, i)
            dims.insert(i, d)
    a = np.broadcast_to(a, (a.shape[0], *a.shape[1:3], *(ds.sizes[d] for d in rest)))
    if stratum is not None:
        k = list(ds["stratum"].values).index(stratum)
        a = a[:, :, k:k + 1]
    return a


def _monthly_parts(ds: xr.Dataset, o: Outcome) -> tuple[np.ndarray, np.ndarray | None]:
    """The numerator and, for ratios, the denominator of an outcome: monthly national
    totals (time, *other dims)."""
    rest = _other_dims(ds)
    v = _array(ds, o.var, o.stratum, rest)
    if o.weight is None:
        return v.sum(axis=(1, 2)), None
    w = _array(ds, o.weight, o.stratum, rest)
    if o.kind.startswith("weighted"):   # sum of var x weight over sum of weight, where
        # var is known; a variable by region is weighted by the households of all strata
        known = ~np.isnan(v)
        w = np.where(known, w, 0.0)
        return np.where(known, v, 0.0).__mul__(w).sum(axis=(1, 2)), w.sum(axis=(1, 2))
    return v.sum(axis=(1, 2)), w.sum(axis=(1, 2))


def _divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _annual(o: Outcome, num: np.ndarray, den: np.ndarray | None, months: np.ndarray,
            idx: np.ndarray) -> np.ndarray:
    if o.kind == "flow":
        return num[idx].sum(axis=0) / o.scale
    if o.kind == "june":
        return num[idx[-1]] / o.scale
    if o.kind == "january":
        jan = idx[months[idx] == 1]
        return num[jan[0]] / o.scale if jan.size else np.full(num.shape[1:], np.nan)
    if o.kind == "weighted":
        return _divide(num[idx].sum(axis=0), den[idx].sum(axis=0)) / o.scale
    if o.kind == "weighted_june":
        return _divide(num[idx[-1]], den[idx[-1]]) / o.scale
    if o.kind == "per_head":
        return _divide(num[idx].sum(axis=0), den[idx].mean(axis=0)) / o.scale
    raise ValueError(f"unknown outcome kind {o.kind!r}")


def _whole(o: Outcome, annual: np.ndarray) -> np.ndarray:
    if o.whole == "sum":
        return annual.sum(axis=0)
    if o.whole == "last":
        return annual[-1]
    return np.nanmean(annual, axis=0) if np.isfinite(annual).any() else annual[-1]


def outcome_values(ds: xr.Dataset, outcomes: Sequence[str] | None = None) -> xr.DataArray:
    """Annual outcomes of a dataset: dims (outcome, year, ...) where `...` are the dataset's
    other dimensions beyond time, region and stratum (seed, scenario). `year` holds the
    agricultural years ("1926/27", complete years only) and WHOLE, the whole run: flows
    summed over the years, stocks at the last year, means averaged over the years."""
    chosen = available_outcomes(outcomes, ds.data_vars)
    years = agricultural_years(ds)
    labels = [label for label, _ in years] + [WHOLE]
    rest = _other_dims(ds)
    shape = tuple(ds.sizes[d] for d in rest)
    months = ds["time"].values.astype("datetime64[M]").astype(int) % 12 + 1
    out = np.empty((len(chosen), len(labels)) + shape)
    for i, o in enumerate(chosen):
        num, den = _monthly_parts(ds, o)
        annual = np.stack([_annual(o, num, den, months, idx) for _, idx in years])
        out[i, :-1] = annual
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out[i, -1] = _whole(o, annual)
    coords = {"outcome": [o.name for o in chosen], "year": labels,
              "label": ("outcome", [o.label for o in chosen])}
    coords.update({d: ds[d].values for d in rest if d in ds.coords})
    return xr.DataArray(out, dims=("outcome", "year") + rest, coords=coords,
                        name="outcome_value")


def band(da: xr.DataArray, dim: str = SEED) -> xr.Dataset:
    """Median and 5-95 % band across `dim` (a single value stands as all three)."""
    if dim not in da.dims:
        return xr.Dataset({"median": da, "p5": da, "p95": da})
    q = da.quantile(list(BAND), dim=dim)
    return xr.Dataset({"median": da.median(dim), "p5": q.isel(quantile=0, drop=True),
                       "p95": q.isel(quantile=1, drop=True)})


def cell(median: float, lo: float, hi: float) -> str:
    """'-1.23 [-1.52, -0.90]'; just the value when the band is a point."""
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo == hi:
        return format_value(median)
    return f"{format_value(median)} [{format_value(lo)}, {format_value(hi)}]"


# --- running ---------------------------------------------------------------------------

def _labels(names: list[str]) -> list[str]:
    """Scenario names, made unique when one is compared with itself."""
    out = []
    for name in names:
        label, k = name, 2
        while label in out:
            label, k = f"{name} ({k})", k + 1
        out.append(label)
    return out


def load_all(scenarios: Sequence[str | Path | Scenario], start: str | None = None,
             end: str | None = None) -> list[Scenario]:
    """Load the scenarios, each cut to the same span if one is given."""
    out = [sc if isinstance(sc, Scenario) else load_scenario(sc) for sc in scenarios]
    out = [sc.with_overrides(start=start, end=end) for sc in out]
    if out:
        same_calendar(out)
    return out


def compare(scenarios: Sequence[str | Path | Scenario], seeds: int | Sequence[int] = 5,
            households: int | None = None, *, start: str | None = None,
            end: str | None = None, progress: bool = False,
            parallel: bool | None = None, workers: int | None = None) -> xr.Dataset:
    """Run every scenario with the same seeds and households; return their results stacked
    along `scenario` (labelled by name, the first is the base) and `seed`.

    `households` defaults to the first scenario's; `start` and `end` cut every scenario to
    the same span (they must share one anyway). `workers`: processes running seeds side by
    side (default 1); the results do not depend on it."""
    if len(scenarios) < 2:
        raise InputError("scenarios", f"{len(scenarios)} given", "two or more scenarios")
    seeds = seed_list(seeds)
    scs = load_all(scenarios, start, end)
    households = scs[0].households if households is None else households
    labels = _labels([sc.name for sc in scs])
    n = worker_count(workers, len(seeds))
    with progress_bar(len(seeds) * len(scs), f"compare: {len(scs)} scenarios x "
                      f"{len(seeds)} seeds", progress) as advance:
        if n > 1:
            job = functools.partial(branch_runs, scenarios=scs, households=households,
                                    parallel=kernels_for(parallel, n))
            by_seed = map_seeds(job, seeds, n, functools.partial(advance, len(scs)))
        else:
            by_seed = [branch_runs(seed, scs, households, parallel, advance=advance)
                       for seed in seeds]
    per_seed = [xr.concat(runs, dim=pd.Index(labels, name=SCENARIO), combine_attrs="override")
                for runs in by_seed]
    ds = stack_seeds(per_seed, seeds)
    for key in ("scenario", "scenario_toml"):   # one per scenario instead, below
        ds.attrs.pop(key, None)
    ds.attrs.update(base=labels[0], scenarios=labels,
                    scenario_tomls=json.dumps(dict(zip(labels, [sc.to_toml() for sc in scs]))),
                    descriptions=json.dumps(dict(zip(labels, [sc.description for sc in scs]))))
    return ds


# --- tables ----------------------------------------------------------------------------

def paired_differences(ds: xr.Dataset, base: str, other: str,
                       outcomes: Sequence[str] | None = None,
                       values: xr.DataArray | None = None) -> xr.DataArray:
    """Per seed: outcome(other) - outcome(base), dims (outcome, year, seed). `values`:
    the comparison's outcome_values, when already at hand."""
    if values is None:
        values = outcome_values(ds.sel({SCENARIO: [base, other]}), outcomes)
    return values.sel({SCENARIO: other}, drop=True) - values.sel({SCENARIO: base}, drop=True)


def _stat_frame(stats: xr.Dataset) -> pd.DataFrame:
    """(outcome, year) statistics -> rows per year, columns (outcome, statistic)."""
    cols = {}
    for o in stats["outcome"].values:
        for s in ("median", "p5", "p95"):
            cols[(str(o), s)] = stats[s].sel(outcome=o).values
    frame = pd.DataFrame(cols, index=pd.Index([str(y) for y in stats["year"].values],
                                              name="year"))
    frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["outcome", "statistic"])
    frame.attrs["labels"] = {str(o): str(lab) for o, lab in
                             zip(stats["outcome"].values, stats["label"].values)}
    return frame


def _check_scenario(ds: xr.Dataset, name: str) -> None:
    if name not in ds[SCENARIO].values:
        raise InputError("scenario", f"{name!r} is not in the comparison",
                         ", ".join(map(str, ds[SCENARIO].values)))


def difference_table(ds: xr.Dataset, base: str, other: str,
                     outcomes: Sequence[str] | None = None,
                     values: xr.DataArray | None = None) -> pd.DataFrame:
    """Paired differences other - base per agricultural year (rows, and WHOLE): for each
    outcome the median across seeds and the 5-95 % band (columns (outcome, statistic))."""
    for name in (base, other):
        _check_scenario(ds, name)
    return _stat_frame(band(paired_differences(ds, base, other, outcomes, values)))


def levels_table(ds: xr.Dataset, scenario: str, outcomes: Sequence[str] | None = None,
                 values: xr.DataArray | None = None) -> pd.DataFrame:
    """Outcomes of one scenario per agricultural year, median and band across seeds."""
    _check_scenario(ds, scenario)
    if values is None:
        values = outcome_values(ds.sel({SCENARIO: [scenario]}), outcomes)
    return _stat_frame(band(values.sel({SCENARIO: scenario}, drop=True)))


def cells_table(frame: pd.DataFrame, outcomes: Sequence[str]) -> pd.DataFrame:
    """A statistics frame as text cells 'median [p5, p95]', one column per outcome."""
    return pd.DataFrame({o: [cell(*(frame.loc[y, (o, s)] for s in ("median", "p5", "p95")))
                             for y in frame.index] for o in outcomes},
                        index=frame.index)


# --- figures ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Series:
    name: str
    title: str
    unit: str
    needs: tuple[str, ...]
    monthly: Callable[[xr.Dataset], xr.DataArray]


def _series_total(var: str, scale: float) -> Callable[[xr.Dataset], xr.DataArray]:
    return lambda ds: _sum(ds[var], ("region", "stratum")) / scale


def _cumulative(var: str, scale: float) -> Callable[[xr.Dataset], xr.DataArray]:
    return lambda ds: cumulative_by_ag_year(_series_total(var, scale)(ds))


def _weighted(var: str, weight: str, stratum: str | None = None
              ) -> Callable[[xr.Dataset], xr.DataArray]:
    """Monthly national mean of `var` weighted by `weight` (one stratum if given)."""
    def mean(ds: xr.Dataset) -> xr.DataArray:
        v, w = ds[var], ds[weight]
        if stratum is not None:
            v, w = v.sel(stratum=stratum, drop=True), w.sel(stratum=stratum, drop=True)
        w = w.where(v.notnull(), 0.0)
        den = _sum(w, ("region", "stratum"))
        return _sum(v.fillna(0.0) * w, ("region", "stratum")) / den.where(den > 0)
    return mean


def _per_head_monthly(ds: xr.Dataset) -> xr.DataArray:
    persons = _sum(ds["persons"], ("region", "stratum"))
    return _sum(ds["consumption"], ("region", "stratum")) * 1000.0 / persons.where(persons > 0)


SERIES = (
    Series("procurement", "State procurement, cumulative since July", "Mt", ("procurement",),
           _cumulative("procurement", MT)),
    Series("harvest", "Harvest, cumulative since July", "Mt", ("harvest",),
           _cumulative("harvest", MT)),
    Series("private_sales", "Private grain sales, cumulative since July", "Mt",
           ("private_sales",), _cumulative("private_sales", MT)),
    Series("sown_area", "Area under grain", "Mha", ("sown_area",),
           _series_total("sown_area", MHA)),
    Series("horses", "Horses", "mln", ("horses",), _series_total("horses", MLN)),
    Series("cattle", "Cattle", "mln", ("cattle",), _series_total("cattle", MLN)),
    Series("loyalty", "Loyalty, all households", "0-1", ("loyalty", "households"),
           _weighted("loyalty", "households")),
    Series("loyalty_serednyak", "Serednyak loyalty", "0-1", ("loyalty", "households"),
           _weighted("loyalty", "households", "serednyak")),
    Series("disturbances", "Peasant disturbances per month", "count", ("disturbances",),
           _series_total("disturbances", 1.0)),
    Series("collectivized_share", "Households in kolkhozes", "share",
           ("collectivized_share", "households"),
           _weighted("collectivized_share", "households")),
    Series("deported", "People deported per month", "thousands", ("deported",),
           _series_total("deported", 1e3)),
    Series("famine_deaths", "Famine deaths per month", "thousands", ("famine_deaths",),
           _series_total("famine_deaths", 1e3)),
    Series("food_shortfall", "Food need not met per month", "Mt", ("food_shortfall",),
           _series_total("food_shortfall", MT)),
    Series("consumption_per_head", "Grain eaten per rural person per month", "kg",
           ("consumption", "persons"), _per_head_monthly),
    Series("industrial_output", "Industrial output per month", "bln roubles of 1926/27",
           ("industrial_output",), _series_total("industrial_output", 1e9)),
)


def _panels(ds: xr.Dataset, title: str):
    shown = [s for s in SERIES if all(v in ds.data_vars for v in s.needs)]
    ncols = 2
    nrows = max((len(shown) + ncols - 1) // ncols, 1)
    fig, axes = new_figure(title, nrows, ncols, row_height=2.2)
    for ax in axes[len(shown):]:
        ax.set_visible(False)
    return fig, list(zip(shown, axes))


def _finish(ax, s: Series, ref: xr.DataArray) -> None:
    ax.set_title(s.title, fontsize=10)
    ax.set_ylabel(s.unit)
    mark_ag_years(ax, ref)


def levels_figure(ds: xr.Dataset, folder: Path) -> Path:
    """Each outcome by month, a line per scenario (median and 5-95 % band across seeds)."""
    labels = [str(s) for s in ds[SCENARIO].values]
    fig, panels = _panels(ds, "Scenarios side by side (median, 5-95 % band across seeds)")
    for s, ax in panels:
        series = s.monthly(ds)
        for i, label in enumerate(labels):
            line(ax, series.sel({SCENARIO: label}, drop=True), label, COLOURS[i % len(COLOURS)])
        _finish(ax, s, series)
    if panels:
        figure_legend(fig, panels[0][1])
    return save(fig, folder, "compare_levels")


def differences_figure(ds: xr.Dataset, folder: Path) -> Path:
    """Each outcome by month: the paired difference of every other scenario from the base,
    median and 5-95 % band across seeds."""
    labels = [str(s) for s in ds[SCENARIO].values]
    base = labels[0]
    fig, panels = _panels(ds, f"Paired differences from {base} (median, 5-95 % band "
                              "across seeds)")
    for s, ax in panels:
        series = s.monthly(ds)
        ref = series.sel({SCENARIO: base}, drop=True)
        for i, label in enumerate(labels[1:], 1):
            diff = series.sel({SCENARIO: label}, drop=True) - ref
            line(ax, diff, f"{label} - {base}", COLOURS[i % len(COLOURS)])
        ax.axhline(0.0, color="0.3", lw=0.8)
        _finish(ax, s, series)
    if panels:
        figure_legend(fig, panels[0][1])
    return save(fig, folder, "compare_differences")


# --- writing ---------------------------------------------------------------------------

def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_netcdf(ds: xr.Dataset, path: Path) -> None:
    """Write under a temporary name, then rename."""
    tmp = path.with_name(f".{path.name}.part")
    try:
        ds.to_netcdf(tmp, engine="h5netcdf")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def split_tables(frame: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """The outcome columns of a statistics frame in two readable groups."""
    present = list(dict.fromkeys(frame.columns.get_level_values(0)))
    grain = [o for o in present if o in GRAIN_OUTCOMES]
    other = [o for o in present if o not in GRAIN_OUTCOMES]
    return [(t, cols) for t, cols in (("Grain", grain), ("Herds, people and the state", other))
            if cols]


def _notes(frame: pd.DataFrame, outcomes: Sequence[str]) -> str:
    labels = frame.attrs.get("labels", {})
    return "; ".join(f"`{o}` {labels.get(o, o)}" for o in outcomes) + "."


def _count(value) -> str:
    return f"{int(value):,}" if value is not None else "not recorded"


def comparison_markdown(ds: xr.Dataset, figures: Sequence[Path] = ()) -> str:
    labels = [str(s) for s in ds[SCENARIO].values]
    base = labels[0]
    seeds = ", ".join(str(s) for s in ds[SEED].values)
    t = ds["time"].values
    period = f"{np.datetime_as_string(t[0], 'M')} to {np.datetime_as_string(t[-1], 'M')}"
    descriptions = json.loads(ds.attrs.get("descriptions", "{}"))
    out = [f"# Comparison: {', '.join(labels)}", "",
           f"- Period: {period}",
           f"- Seeds: {seeds} ({ds.sizes[SEED]} runs per scenario)",
           f"- Households simulated: {_count(ds.attrs.get('households_simulated'))}",
           f"- smychka version: {ds.attrs.get('smychka_version', 'not recorded')}", ""]
    out += [f"- **{lab}**: {descriptions.get(lab, '')}" for lab in labels] + [""]
    out += ["Every scenario is run with the same seeds. A seed fixes every random draw "
            "(weather, decisions, who is searched), so the runs of one seed differ only by "
            "their policies: their difference is the effect of the policies in that world. "
            "Tables give the median across seeds and, in brackets, the 5-95 % band. Years "
            "are agricultural years, July to June; the last row is the whole run (flows "
            "summed, herds and sown area at its end, means averaged).", ""]
    values = outcome_values(ds)
    for other in labels[1:]:
        frame = difference_table(ds, base, other, values=values)
        out += [f"## {other} minus {base}", ""]
        for title, cols in split_tables(frame):
            out += [f"### {title}", "", markdown_table(cells_table(frame, cols)), "",
                    _notes(frame, cols), ""]
    out += ["## Levels by scenario", ""]
    for label in labels:
        frame = levels_table(ds, label, values=values)
        out += [f"### {label}", ""]
        for _, cols in split_tables(frame):
            out += [markdown_table(cells_table(frame, cols)), ""]
        out += [_notes(frame, list(frame.attrs["labels"])), ""]
    if figures:
        out += ["## Figures", ""]
        for path in figures:
            out += [f"![{path.stem}](figures/{path.name})", ""]
    return "\n".join(out)


def write_comparison(ds: xr.Dataset, out_dir: str | Path) -> Path:
    """Write compare.nc, figures/compare_*.png and compare.md into out_dir; return the path
    of compare.md."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_netcdf(ds, out_dir / "compare.nc")
    figures = [levels_figure(ds, out_dir / "figures"),
               differences_figure(ds, out_dir / "figures")]
    path = out_dir / "compare.md"
    _write_text(path, comparison_markdown(ds, figures))
    return path

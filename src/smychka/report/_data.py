"""Shared reductions for the tables and figures.

Every helper leaves an ensemble's `seed` dimension alone, so that ratios are formed within
each run and only the final numbers are summarised across seeds (the median of the shares,
not the share of the medians).
"""
from __future__ import annotations

import numpy as np
import xarray as xr

from ..core.calendar import ag_year_label

SEED = "seed"
BAND = (0.05, 0.95)  # the ensemble band drawn around the median


def ag_year_of_time(time: xr.DataArray) -> np.ndarray:
    """Harvest year of each month: July 1926 - June 1927 is 1926."""
    return (time.dt.year - (time.dt.month < 7)).values.astype(int)


def agricultural_years(ds: xr.Dataset) -> list[tuple[str, np.ndarray]]:
    """(label such as "1926/27", positions of its months) for each agricultural year.

    Only complete years count, since a year's totals are meaningless when half missing;
    a run shorter than a full year still gets its partial years rather than nothing."""
    years = ag_year_of_time(ds["time"])
    groups = [(y, np.flatnonzero(years == y)) for y in np.unique(years)]
    complete = [(y, idx) for y, idx in groups if len(idx) == 12]
    return [(ag_year_label(int(y)), idx) for y, idx in (complete or groups)]


def _reduced_dims(da: xr.DataArray, keep: tuple[str, ...]) -> list[str]:
    return [d for d in da.dims if d != SEED and d not in keep]


def total(da: xr.DataArray, keep: tuple[str, ...] = ()) -> xr.DataArray:
    """Sum over every dimension except the seed and those in `keep`."""
    return da.sum(_reduced_dims(da, keep))


def mean(da: xr.DataArray, weights: xr.DataArray | None = None,
         keep: tuple[str, ...] = ()) -> xr.DataArray:
    """Mean over every dimension except the seed and `keep`, weighted where weights are given.

    Weights may carry extra dimensions (procurement by stratum for a price by region); they
    are summed away first. Where the weights are all zero the plain mean stands in."""
    dims = _reduced_dims(da, keep)
    plain = da.mean(dims)
    if weights is None:
        return plain
    extra = [d for d in weights.dims if d not in da.dims]
    w = weights.sum(extra).fillna(0.0)
    num = (da * w).sum(dims)
    den = w.where(da.notnull(), 0.0).sum(dims)
    return xr.where(den > 0, num / den.where(den > 0), plain)


def ratio(num: xr.DataArray, den: xr.DataArray) -> xr.DataArray:
    """num / den, NaN where den is zero (no plan, no harvest) instead of inf."""
    return num / den.where(den != 0)


def median(da: xr.DataArray) -> xr.DataArray:
    """The ensemble median when there is a seed dimension; the run itself otherwise."""
    return da.median(SEED) if SEED in da.dims else da


def _series(da: xr.DataArray):
    """(median, lo, hi) over seeds; lo and hi are None for a single run."""
    if SEED not in da.dims:
        return da, None, None
    q = da.quantile(list(BAND), dim=SEED)
    return da.median(SEED), q.isel(quantile=0, drop=True), q.isel(quantile=1, drop=True)


def has(ds: xr.Dataset, *names: str) -> bool:
    return all(n in ds.data_vars for n in names)

"""Drawing helpers shared by the figures: colours, ensemble bands, year shading, saving.

Figures are built as bare matplotlib Figure objects rendered by the Agg canvas: nothing is
registered with pyplot, so no window opens, no global backend is switched for the caller,
and a figure is freed as soon as it is dropped.
"""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from ._data import _series, ag_year_of_time, agricultural_years, median, total

DPI = 150
STRATUM_COLOURS = {"bednyak": "#E69F00", "serednyak": "#009E73", "kulak": "#0072B2",
                   "kolkhoznik": "#CC79A7", "kolkhoz": "#CC79A7"}
_SPARE = ("#D55E00", "#56B4E9", "#999999", "#F0E442", "#000000")
REGION_CMAP = "tab10"


def stratum_colour(name: str, position: int = 0) -> str:
    """The same colour for a stratum in every figure; unknown strata get spare ones."""
    return STRATUM_COLOURS.get(str(name), _SPARE[position % len(_SPARE)])


def strata(ds: xr.Dataset) -> list[str]:
    return [str(s) for s in ds["stratum"].values] if "stratum" in ds.dims else []


def new_figure(title: str, nrows: int = 1, ncols: int = 1, row_height: float = 3.4):
    fig = Figure(figsize=(10, row_height * nrows + 0.6), dpi=DPI, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    fig.suptitle(title, fontsize=13, fontweight="bold")
    return fig, axes.ravel()


def times(da: xr.DataArray) -> np.ndarray:
    return da["time"].values


def mark_ag_years(ax, da: xr.DataArray) -> None:
    """Shade every other agricultural year (July-June) and label the calendar years."""
    t = times(da)
    years = ag_year_of_time(da["time"])
    for y in np.unique(years)[::2]:
        ax.axvspan(np.datetime64(f"{y}-07-01"), np.datetime64(f"{y + 1}-07-01"),
                   color="0.93", zorder=0, lw=0)
    # bars span their month, so the last one needs room; lines end on their last point.
    # Panels of one figure share the same span, whichever of them holds the bars.
    bars = any(a.containers for a in ax.figure.axes)
    ax.set_xlim(t[0], t[-1] + (np.timedelta64(31, "D") if bars else np.timedelta64(0, "D")))
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(axis="y", color="0.85", lw=0.6)


def line(ax, da: xr.DataArray, label: str | None, colour, **kw) -> None:
    """The run as a line; an ensemble as its median with the 5-95 % band."""
    mid, lo, hi = _series(da)
    ax.plot(times(mid), mid.values, label=label, color=colour, lw=kw.pop("lw", 1.6), **kw)
    if lo is not None:
        ax.fill_between(times(mid), lo.values, hi.values, color=colour, alpha=0.2, lw=0)


def stack(ax, parts: list[tuple[str, xr.DataArray, str]]) -> None:
    """Stacked areas of the (median) parts."""
    if not parts:
        return
    t = times(parts[0][1])
    ax.stackplot(t, *[median(da).values for _, da, _ in parts],
                 labels=[lab for lab, _, _ in parts], colors=[c for _, _, c in parts],
                 alpha=0.85, lw=0)


def monthly_bars(ax, da: xr.DataArray, label: str, colour) -> None:
    """Bars spanning each month (time stamps are the first day of the month)."""
    # the width must be a timedelta: a bare number would be read in the time unit (microseconds)
    ax.bar(times(da), median(da).values, width=np.timedelta64(26, "D"), align="edge",
           color=colour, label=label, lw=0)


def by_year(ds: xr.Dataset, da: xr.DataArray, keep: tuple[str, ...] = ()):
    """(year labels, per-year totals over time and every dimension not kept, seed kept)."""
    labels, values = [], []
    for label, idx in agricultural_years(ds):
        labels.append(label)
        values.append(total(da.isel(time=idx), keep))
    return labels, values


def cumulative_by_ag_year(da: xr.DataArray) -> xr.DataArray:
    """Running total that restarts every July, as the procurement campaign did."""
    years = ag_year_of_time(da["time"])
    parts = [da.isel(time=np.flatnonzero(years == y)).cumsum("time") for y in np.unique(years)]
    return xr.concat(parts, dim="time").transpose(*da.dims)


def legend(ax) -> None:
    """Legends sit outside, right of the axes, so they never hide data."""
    handles, _ = ax.get_legend_handles_labels()
    if handles:
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))


def figure_legend(fig: Figure, ax) -> None:
    """One legend under the panels, for figures whose panels share their entries."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncols=len(labels),
                   fontsize=9, frameon=False)


def save(fig: Figure, folder: Path, name: str) -> Path:
    """Write `name`.png under a temporary name first, so no half-written image is left."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    tmp = folder / f".{name}.png.tmp"
    try:
        fig.savefig(tmp, format="png", dpi=DPI)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        fig.clear()
    return path

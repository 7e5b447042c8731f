"""The tables of the run report: agricultural years (July-June) in rows.

Columns whose variables are absent are left out, so the tables grow with the model without
change here. With an ensemble (a `seed` dimension) each cell is the median over seeds of the
per-run value.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from ._data import agricultural_years, has, mean, median, ratio, total

MT = 1e6       # tonnes per million tonnes
MHA = 1e6      # hectares per million hectares
MLN = 1e6
HERD_MONTH = 1  # herds are read in January, to set beside the historical 1 January counts

# every column annual_table can produce, in display order, with its meaning
ANNUAL_COLUMNS = {
    "harvest_mt": "harvest, Mt",
    "procurement_mt": "state procurement, Mt",
    "plan_mt": "procurement plan, Mt",
    "procurement_vs_plan": "procurement over plan",
    "private_sales_mt": "private sales, Mt",
    "marketed_share": "procurement and private sales over harvest",
    "grain_stock_june_mt": "peasant grain stock at the end of June, Mt",
    "sown_next_harvest_mha": "area sown for the next harvest (end of June), Mha",
    "land_leased_mha": "allotment land leased for the year (September), Mha",
    "hands_hired_mln": "workers hired for the year (September), mln",
    "horses_mln": "horses in January, mln",
    "cattle_mln": "cattle in January, mln",
    "state_price": "state price, roubles/t (procurement-weighted)",
    "private_price": "private price, roubles/t (private-sales-weighted)",
    "scissors": "price scissors, index 1926/27 = 1",
    "tax_paid_mln_rub": "agricultural tax paid, mln roubles",
    "loyalty": "loyalty, household-weighted mean 0-1",
    "food_shortfall_mt": "food shortfall, Mt",
}

STRATUM_COLUMNS = {
    "harvest_mt": "harvest, Mt",
    "procurement_mt": "state procurement, Mt",
    "private_sales_mt": "private sales, Mt",
    "marketed_share": "procurement and private sales over harvest",
    "grain_stock_june_mt": "grain stock at the end of June, Mt",
    "loyalty": "loyalty, household-weighted mean 0-1",
}


def _flows(year: xr.Dataset, keep: tuple[str, ...]) -> dict[str, xr.DataArray]:
    """The grain quantities shared by both tables, per run (seed kept)."""
    out = {}
    for col, var in (("harvest_mt", "harvest"), ("procurement_mt", "procurement"),
                     ("private_sales_mt", "private_sales")):
        if has(year, var):
            out[col] = total(year[var], keep) / MT
    sold = [out[c] for c in ("procurement_mt", "private_sales_mt") if c in out]
    if "harvest_mt" in out and sold:
        out["marketed_share"] = ratio(sum(sold), out["harvest_mt"])
    if has(year, "grain_stock"):
        # the last month of the year: June for every complete year
        out["grain_stock_june_mt"] = total(year["grain_stock"].isel(time=-1), keep) / MT
    if has(year, "loyalty"):
        w = year["households"] if has(year, "households") else None
        out["loyalty"] = mean(year["loyalty"], w, keep)
    return out


def _herds(year: xr.Dataset) -> dict[str, xr.DataArray]:
    january = year.isel(time=np.flatnonzero(year["time"].dt.month.values == HERD_MONTH))
    if january.sizes["time"] == 0:
        return {}
    return {f"{var}_mln": total(january[var].isel(time=0)) / MLN
            for var in ("horses", "cattle") if has(january, var)}


def _prices(year: xr.Dataset) -> dict[str, xr.DataArray]:
    out = {}
    # each price is weighted by the grain that changed hands at it
    for col, weight in (("state_price", "procurement"), ("private_price", "private_sales")):
        if has(year, col):
            out[col] = mean(year[col], year[weight] if has(year, weight) else None)
    if has(year, "scissors"):
        out["scissors"] = mean(year["scissors"])
    return out


def _annual_row(year: xr.Dataset) -> dict[str, xr.DataArray]:
    out = _flows(year, ())
    if has(year, "procurement_plan"):
        out["plan_mt"] = total(year["procurement_plan"]) / MT
        if "procurement_mt" in out:
            out["procurement_vs_plan"] = ratio(out["procurement_mt"], out["plan_mt"])
    if has(year, "sown_area"):
        out["sown_next_harvest_mha"] = total(year["sown_area"].isel(time=-1)) / MHA
    if has(year, "land_leased"):
        out["land_leased_mha"] = total(year["land_leased"]) / MHA
    if has(year, "hands_hired"):
        out["hands_hired_mln"] = total(year["hands_hired"]) / MLN
    out.update(_herds(year))
    out.update(_prices(year))
    if has(year, "tax_paid"):
        out["tax_paid_mln_rub"] = total(year["tax_paid"]) / MLN
    if has(year, "food_shortfall"):
        out["food_shortfall_mt"] = total(year["food_shortfall"]) / MT
    return out


def _scalar(da: xr.DataArray) -> float:
    return float(median(da).values)


def annual_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per agricultural year ("1926/27"); columns from ANNUAL_COLUMNS that can be
    computed from the variables present. Quantities are national totals or means."""
    rows, labels = [], []
    for label, idx in agricultural_years(ds):
        raw = _annual_row(ds.isel(time=idx))
        rows.append({c: _scalar(raw[c]) for c in ANNUAL_COLUMNS if c in raw})
        labels.append(label)
    table = pd.DataFrame(rows, index=pd.Index(labels, name="year"))
    return table[[c for c in ANNUAL_COLUMNS if c in table.columns]]


def by_stratum_table(ds: xr.Dataset) -> pd.DataFrame:
    """Rows (year, stratum); columns from STRATUM_COLUMNS, summed over regions."""
    if "stratum" not in ds.dims:
        return pd.DataFrame()
    rows, index = [], []
    strata = [str(s) for s in ds["stratum"].values]
    for label, idx in agricultural_years(ds):
        raw = _flows(ds.isel(time=idx), ("stratum",))
        for s in strata:
            rows.append({c: _scalar(raw[c].sel(stratum=s)) for c in STRATUM_COLUMNS if c in raw})
            index.append((label, s))
    table = pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(index, names=["year", "stratum"]))
    return table[[c for c in STRATUM_COLUMNS if c in table.columns]]


def format_value(x: float) -> str:
    """Few digits, enough to read: 21.3 Mt, 0.87 of the plan, 1,234 roubles, 0.004 Mt."""
    if x is None or not np.isfinite(x):
        return "–"
    a = abs(x)
    if a >= 1000:
        return f"{x:,.0f}"
    if a >= 100:
        return f"{x:.0f}"
    if a >= 10:
        return f"{x:.1f}"
    if a >= 0.1 or a == 0:
        return f"{x:.2f}"
    return f"{x:.3f}"

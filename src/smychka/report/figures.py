"""The figures of the run report. Each writes one PNG into `folder` and returns its path,
or returns None when the dataset lacks the variables it needs (the model grows in steps).

An ensemble (a `seed` dimension) is drawn as the median with a 5-95 % band; stacked areas
and bars show medians.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from ._data import has, mean, median, total
from ._plot import (REGION_CMAP, by_year, cumulative_by_ag_year, figure_legend, legend, line,
                    mark_ag_years, monthly_bars, new_figure, save, stack, strata, stratum_colour)

MT, MHA, MLN = 1e6, 1e6, 1e6


def _by_stratum(ds: xr.Dataset, var: str, scale: float):
    """[(stratum, national total by month, colour)], for stacking or lines."""
    return [(s, total(ds[var].sel(stratum=s), ("time",)) / scale, stratum_colour(s, i))
            for i, s in enumerate(strata(ds))]


def _year_bars(ax, labels, groups: list[tuple[str, list, str]], stacked: bool) -> None:
    """Bars per agricultural year: `groups` are (label, per-year values, colour)."""
    x = np.arange(len(labels))
    width = 0.8 if stacked else 0.8 / max(len(groups), 1)
    bottom = np.zeros(len(labels))
    for i, (name, values, colour) in enumerate(groups):
        v = np.array([float(median(val)) for val in values])
        offset = 0 if stacked else (i - (len(groups) - 1) / 2) * width
        ax.bar(x + offset, v, width, bottom=bottom if stacked else None, color=colour,
               label=name, lw=0)
        if stacked:
            bottom = bottom + v
    ax.set_xticks(x, labels)
    ax.grid(axis="y", color="0.85", lw=0.6)
    ax.set_axisbelow(True)


def procurement_figure(ds: xr.Dataset, folder: Path) -> Path | None:
    if not has(ds, "procurement"):
        return None
    fig, (monthly, cumulative) = new_figure("State grain procurement against the plan", 2)
    proc = total(ds["procurement"], ("time",)) / MT
    monthly_bars(monthly, proc, "procurement", "#4C72B0")
    cumulative_line = cumulative_by_ag_year(proc)
    line(cumulative, cumulative_line, "procurement, cumulative", "#4C72B0")
    if has(ds, "procurement_plan"):
        plan = total(ds["procurement_plan"], ("time",)) / MT
        line(monthly, plan, "plan", "#C44E52", drawstyle="steps-post", lw=1.2)
        line(cumulative, cumulative_by_ag_year(plan), "plan, cumulative", "#C44E52", ls="--")
    monthly.set_ylabel("Mt per month")
    cumulative.set_ylabel("Mt since July")
    cumulative.set_title("Cumulative within each agricultural year (July-June)", fontsize=10)
    for ax in (monthly, cumulative):
        mark_ag_years(ax, proc)
        legend(ax)
    return save(fig, folder, "procurement")


def prices_figure(ds: xr.Dataset, folder: Path) -> Path | None:
    if not (has(ds, "state_price") or has(ds, "private_price")):
        return None
    fig, (grain, index) = new_figure("Grain prices and the scissors", 2)
    for var, label, colour in (("state_price", "state procurement price", "#4C72B0"),
                               ("private_price", "private market price", "#DD8452")):
        if has(ds, var):
            line(grain, mean(ds[var], keep=("time",)), label, colour)
            ref = ds[var]
    for var, label, colour in (("goods_price_index", "manufactured goods prices", "#8172B3"),
                               ("scissors", "scissors (goods over grain)", "#C44E52")):
        if has(ds, var):
            line(index, mean(ds[var], keep=("time",)), label, colour)
    index.axhline(1.0, color="0.4", lw=0.8, ls=":")
    grain.set_ylabel("roubles/t (mean over regions)")
    index.set_ylabel("index, 1926/27 = 1")
    for ax in (grain, index):
        mark_ag_years(ax, ref)
        legend(ax)
    return save(fig, folder, "prices")


def grain_stock_figure(ds: xr.Dataset, folder: Path) -> Path | None:
    if not has(ds, "grain_stock"):
        return None
    fig, (ax,) = new_figure("Peasant grain stocks by stratum (end of month)")
    stack(ax, _by_stratum(ds, "grain_stock", MT))
    if has(ds, "hidden_grain") and float(abs(ds["hidden_grain"]).max()) > 0:
        line(ax, total(ds["hidden_grain"], ("time",)) / MT, "of which hidden", "black", ls="--")
    ax.set_ylabel("Mt")
    mark_ag_years(ax, ds["grain_stock"])
    legend(ax)
    return save(fig, folder, "grain_stocks")


def sown_area_figure(ds: xr.Dataset, folder: Path) -> Path | None:
    if not has(ds, "sown_area"):
        return None
    fig, (strat, reg) = new_figure("Area under grain for the coming harvest", 2)
    stack(strat, _by_stratum(ds, "sown_area", MHA))
    strat.set_title("by stratum", fontsize=10)
    if "region" in ds.dims:
        colours = _region_colours(ds)
        stack(reg, [(r, total(ds["sown_area"].sel(region=r), ("time",)) / MHA, colours[r])
                    for r in colours])
    reg.set_title("by region", fontsize=10)
    for ax in (strat, reg):
        ax.set_ylabel("Mha")
        mark_ag_years(ax, ds["sown_area"])
        legend(ax)
    return save(fig, folder, "sown_area")


def _region_colours(ds: xr.Dataset) -> dict[str, tuple]:
    from matplotlib import colormaps
    cmap = colormaps[REGION_CMAP]
    return {str(r): cmap(i % cmap.N) for i, r in enumerate(ds["region"].values)}


def livestock_figure(ds: xr.Dataset, folder: Path) -> Path | None:
    present = [v for v in ("horses", "cattle", "pigs", "sheep") if has(ds, v)]
    if not present:
        return None
    fig, axes = new_figure("Livestock by stratum (end of month)", (len(present) + 1) // 2, 2,
                           row_height=3.0)
    for ax, var in zip(axes, present):
        stack(ax, _by_stratum(ds, var, MLN))
        ax.set_title("sheep and goats" if var == "sheep" else var, fontsize=10)
        ax.set_ylabel("mln head")
        mark_ag_years(ax, ds[var])
    for ax in axes[len(present):]:
        ax.set_visible(False)
    figure_legend(fig, axes[0])
    return save(fig, folder, "livestock")


def regional_procurement_figure(ds: xr.Dataset, folder: Path) -> Path | None:
    if not has(ds, "procurement") or "region" not in ds.dims:
        return None
    fig, (ax,) = new_figure("Procurement by region and agricultural year", row_height=4.2)
    colours = _region_colours(ds)
    groups = []
    for r, colour in colours.items():
        labels, values = by_year(ds, ds["procurement"].sel(region=r))
        groups.append((r, [v / MT for v in values], colour))
    _year_bars(ax, labels, groups, stacked=True)
    if has(ds, "procurement_plan"):
        _, plan = by_year(ds, ds["procurement_plan"])
        ax.plot(np.arange(len(labels)), [float(median(p)) / MT for p in plan], "k_",
                ms=28, mew=2, label="plan")
    ax.set_ylabel("Mt per agricultural year")
    legend(ax)
    return save(fig, folder, "procurement_by_region")


def sales_by_stratum_figure(ds: xr.Dataset, folder: Path) -> Path | None:
    present = [(v, t) for v, t in (("procurement", "sold or delivered to the state"),
                                   ("private_sales", "sold to private traders"))
               if has(ds, v)]
    if not present or "stratum" not in ds.dims:
        return None
    fig, axes = new_figure("Grain sales by stratum and agricultural year", len(present))
    for ax, (var, title) in zip(axes, present):
        groups = []
        for i, s in enumerate(strata(ds)):
            labels, values = by_year(ds, ds[var].sel(stratum=s))
            groups.append((s, [v / MT for v in values], stratum_colour(s, i)))
        _year_bars(ax, labels, groups, stacked=False)
        ax.set_title(title, fontsize=10)
        ax.set_ylabel("Mt per agricultural year")
    figure_legend(fig, axes[0])
    return save(fig, folder, "sales_by_stratum")


def loyalty_figure(ds: xr.Dataset, folder: Path) -> Path | None:
    if not has(ds, "loyalty"):
        return None
    fig, (ax,) = new_figure("Loyalty to Soviet power by stratum")
    w = ds["households"] if has(ds, "households") else None
    for i, s in enumerate(strata(ds)):
        sel = w.sel(stratum=s) if w is not None else None
        line(ax, mean(ds["loyalty"].sel(stratum=s), sel, ("time",)), s, stratum_colour(s, i))
    line(ax, mean(ds["loyalty"], w, ("time",)), "all households", "black", ls="--", lw=1.2)
    ax.set_ylabel("index 0-1 (household-weighted mean)")
    mark_ag_years(ax, ds["loyalty"])
    legend(ax)
    return save(fig, folder, "loyalty")


def coercion_figure(ds: xr.Dataset, folder: Path) -> Path | None:
    """The state in the village: how grain was taken, whom it hit, how the village answered."""
    if not has(ds, "procurement", "confiscated", "forced_sales", "arbitrary_acts"):
        return None
    fig, (taken, hits, unrest) = new_figure("The state in the village", 3)
    proc = total(ds["procurement"], ("time",)) / MT
    forced = total(ds["forced_sales"], ("time",)) / MT
    conf = total(ds["confiscated"], ("time",)) / MT
    stack(taken, [("bought", proc - forced - conf, "#4C72B0"),
                  ("forced sales", forced, "#DD8452"), ("confiscated", conf, "#C44E52")])
    taken.set_ylabel("Mt per month")
    if has(ds, "coercion"):
        twin = taken.twinx()
        line(twin, median(ds["coercion"]), "coercion level", "black", lw=1.2,
             drawstyle="steps-post")
        twin.set_ylabel("coercion level 0-1")
        twin.set_ylim(0, 1.05)
        figure_legend(fig, taken)
    else:
        legend(taken)
    stack(hits, [(s, v * 1e3, c) for s, v, c in _by_stratum(ds, "arbitrary_acts", 1e6)])
    hits.set_ylabel("arbitrary acts, thousand per month")
    legend(hits)
    if has(ds, "disturbances"):
        line(unrest, total(ds["disturbances"], ("time",)), "disturbances", "#8172B2")
        unrest.set_ylabel("disturbances per month")
        legend(unrest)
    for ax in (taken, hits, unrest):
        mark_ag_years(ax, proc)
    return save(fig, folder, "coercion")


def money_goods_figure(ds: xr.Dataset, folder: Path) -> Path | None:
    panels = [v for v in ("goods_availability", "goods_spending", "money") if has(ds, v)]
    if not ({"goods_availability", "goods_spending"} & set(panels)):
        return None
    fig, axes = new_figure("Money and manufactured goods in the village", len(panels),
                           row_height=2.9)
    for ax, var in zip(axes, panels):
        if var == "goods_availability":
            w = ds["households"] if has(ds, "households") else None
            line(ax, mean(ds[var], w, ("time",)), None, "#8172B3")
            ax.set_ylim(0, 1.05)
            ax.set_ylabel("share")
            ax.set_title("goods availability: share of desired purchases obtained", fontsize=10)
        else:
            for s, da, colour in _by_stratum(ds, var, MLN):
                line(ax, da, s, colour)
            ax.set_ylabel("mln roubles" + (" per month" if var == "goods_spending" else ""))
            ax.set_title("spending on manufactured goods" if var == "goods_spending"
                         else "cash held (end of month)", fontsize=10)
            legend(ax)
        mark_ag_years(ax, ds[var])
    return save(fig, folder, "money_goods")


def town_figure(ds: xr.Dataset, folder: Path) -> Path | None:
    supply = [v for v in ("urban_rations", "urban_private_purchases") if has(ds, v)]
    stocks = [v for v in ("state_grain_stock", "trader_stock") if has(ds, v)]
    panels = [p for p, ok in (("food", supply or has(ds, "urban_grain_need")),
                              ("exports", has(ds, "exports")), ("stocks", stocks)) if ok]
    if not panels:
        return None
    fig, axes = new_figure("The town: grain supply, exports and reserves", len(panels),
                           row_height=2.9)
    for ax, panel in zip(axes, panels):
        if panel == "food":
            stack(ax, [(v.replace("urban_", "").replace("_", " "), ds[v] / MT, c)
                       for v, c in zip(supply, ("#4C72B0", "#DD8452"))])
            if has(ds, "urban_grain_need"):
                line(ax, ds["urban_grain_need"] / MT, "need", "black", lw=1.4)
            ax.set_title("urban grain: state rations and private purchases against need",
                         fontsize=10)
            ax.set_ylabel("Mt per month")
        elif panel == "exports":
            monthly_bars(ax, ds["exports"] / MT, "exports", "#55A868")
            ax.set_title("grain exports", fontsize=10)
            ax.set_ylabel("Mt per month")
        else:
            for v, c in zip(stocks, ("#C44E52", "#937860")):
                line(ax, ds[v] / MT, "state reserves" if v == "state_grain_stock"
                     else "private traders", c)
            ax.set_title("grain stocks outside the village (end of month)", fontsize=10)
            ax.set_ylabel("Mt")
        legend(ax)
    for ax in axes:  # after drawing, so that every panel knows whether the figure has bars
        mark_ag_years(ax, ds["time"])
    return save(fig, folder, "town")


# every figure of the report, in order, with its caption
FIGURES = (
    (procurement_figure, "State procurement by month against the plan, and cumulative over "
                         "each agricultural year."),
    (prices_figure, "State and private grain prices; manufactured-goods prices and the "
                    "scissors."),
    (grain_stock_figure, "Grain held by the peasants, stacked by stratum; hidden grain dashed."),
    (sown_area_figure, "Area sown for the coming harvest, by stratum and by region."),
    (livestock_figure, "Horses, cattle, pigs and sheep, stacked by stratum."),
    (regional_procurement_figure, "Procurement per agricultural year by region, with the plan."),
    (sales_by_stratum_figure, "Grain sold to the state and to private traders, by stratum."),
    (loyalty_figure, "Mean loyalty by stratum, weighted by households."),
    (coercion_figure, "Grain bought, sold under coercion and confiscated, with the coercion "
                      "level; arbitrary acts by the stratum of their victims; disturbances."),
    (money_goods_figure, "Goods availability, goods spending and cash holdings."),
    (town_figure, "The towns' grain supply against need, exports and reserves."),
)


def make_figures(ds: xr.Dataset, folder: Path) -> list[tuple[Path, str]]:
    """Draw every figure the dataset supports; (path, caption) for each one written."""
    out = []
    for draw, caption in FIGURES:
        path = draw(ds, Path(folder))
        if path is not None:
            out.append((path, caption))
    return out

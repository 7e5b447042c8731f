"""Attribution: how much of the difference between two scenarios each policy explains.

The levers (and parameters) whose schedules differ between A and B are put in groups, one
lever per group unless told otherwise. For every coalition S of groups a scenario is built:
A, with the levers of the groups in S following B's whole schedule. The Shapley value of a
group is the change it makes when switched from A to B, averaged over every order of
switching the groups:

    phi_i = sum over S without i of |S|! (n - |S| - 1)! / n! * (v(S + i) - v(S))

for each outcome v. The values add up to v(B) - v(A), whatever the interactions between the
policies. All 2^n coalitions are run with the same seeds (common random numbers), so within
a seed the differences are due to the policies alone; results give the median and the
5-95 % band across seeds.

    res = attribute("history", "nep-continued", seeds=3, households=20_000,
                    groups="families", end="1930-06")
    attribution_table(res)            # whole run: Shapley value per group and outcome
    write_attribution(res, "runs/attribute")
"""
from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from math import factorial
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.ticker import MaxNLocator

from .. import __version__
from ..core.levers import LEVERS
from ..errors import InputError
from ..report._data import agricultural_years
from ..report._plot import new_figure, save
from ..report.markdown import markdown_table
from ..scenarios.loader import Scenario
from .compare import (WHOLE, _write_text, available_outcomes, band, cell, load_all,
                      outcome_values, write_netcdf)
from .ensemble import SEED, progress_bar, run_branches, seed_list
from .workers import kernels_for, map_seeds, worker_count

MAX_GROUPS = 8   # 2^8 = 256 runs per seed
GROUP = "group"
COALITION = "coalition"
TOTAL = "total"

# Policy families: levers that act together. Levers not listed (or added to the model
# later) stay groups of their own.
FAMILIES: dict[str, tuple[str, ...]] = {
    "prices": ("procurement_price", "goods_price"),
    "industry": ("goods_supply", "investment_share"),
    "plans": ("procurement_plan", "grain_exports", "grain_imports", "relief"),
    "tax": ("tax_exempt_share", "tax_progressivity"),
    "coercion": ("coercion", "label_error"),
    "collectivization": ("collectivization_target", "dekulakization", "exit_allowed",
                         "passports"),
}


# --- groups and coalitions -------------------------------------------------------------

def differing_factors(a: Scenario, b: Scenario) -> list[str]:
    """Levers whose schedules differ in effect (as monthly values over the run), then
    parameters whose values differ."""
    la, lb = a.lever_arrays(), b.lever_arrays()
    levers = [k for k in la if not np.array_equal(la[k], lb[k])]
    params = [k for k in a.params if a.params[k] != b.params.get(k)]
    return levers + params


def resolve_groups(a: Scenario, b: Scenario,
                   groups: Mapping[str, Sequence[str]] | str | None = None
                   ) -> dict[str, list[str]]:
    """Group name -> the differing levers and parameters in it.

    `groups` maps names to levers (or parameters), or is "families" (FAMILIES). Members
    that do not differ are dropped, and groups left empty with them; differing levers in no
    group become groups of their own."""
    if isinstance(groups, str):
        if groups != "families":
            raise InputError("groups", f"unknown grouping {groups!r}",
                             "'families' or a mapping of names to levers")
        groups = FAMILIES
    groups = dict(groups or {})
    differing = differing_factors(a, b)
    seen: dict[str, str] = {}
    out: dict[str, list[str]] = {}
    for name, members in groups.items():
        if isinstance(members, str):
            members = [members]
        for m in members:
            if m not in LEVERS and m not in a.params:
                raise InputError(f"groups.{name}", f"unknown lever or parameter {m!r}",
                                 ", ".join(LEVERS))
            if m in seen:
                raise InputError(f"groups.{name}", f"{m} is already in group {seen[m]}",
                                 "each lever in one group")
            seen[m] = name
        kept = [m for m in members if m in differing]
        if kept:
            out[str(name)] = kept
    for f in differing:
        if f not in seen:
            if f in out:
                raise InputError(f"groups.{f}", "a group has the name of a lever outside it",
                                 "another group name")
            out[f] = [f]
    return out


def schedule_of(sc: Scenario, lever: str) -> dict[str, float]:
    """A lever's whole schedule over the run, starting at its first month."""
    arr, cal = sc.lever_arrays()[lever], sc.calendar()
    return {cal.label(t): float(arr[t]) for t in range(len(arr))
            if t == 0 or arr[t] != arr[t - 1]}


def coalition_scenario(a: Scenario, b: Scenario, factors: Sequence[str]) -> Scenario:
    """A with the given levers and parameters taken from B (B's whole schedule)."""
    levers = {f: schedule_of(b, f) for f in factors if f in LEVERS}
    params = {f: b.params[f] for f in factors if f not in LEVERS}
    return a.with_overrides(params=params or None, levers=levers or None)


def coalitions(a: Scenario, b: Scenario, groups: dict[str, list[str]]) -> list[Scenario]:
    """The 2^n coalition scenarios; bit i of the index set means group i comes from B."""
    members = list(groups.values())
    out = [coalition_scenario(a, b, [f for i, g in enumerate(members) if mask >> i & 1
                                     for f in g])
           for mask in range(2 ** len(members))]
    if differing_factors(out[-1], b):   # the grand coalition must be B in all but name
        raise RuntimeError("the coalition of all groups does not reproduce B")
    return out


def shapley(values: np.ndarray) -> np.ndarray:
    """Shapley values from coalition values: values[mask, ...] (2^n rows, bit i = player i)
    -> phi[i, ...]. They sum to values[-1] - values[0]."""
    n = int(np.log2(values.shape[0]))
    if 2 ** n != values.shape[0]:
        raise ValueError("need 2^n coalition values")
    masks = np.arange(2 ** n)
    size = np.array([bin(m).count("1") for m in masks])
    weight = np.array([factorial(s) * factorial(n - s - 1) / factorial(n) for s in range(n)])
    phi = np.zeros((n,) + values.shape[1:])
    for i in range(n):
        without = masks[(masks >> i & 1) == 0]
        gains = values[without | (1 << i)] - values[without]
        phi[i] = np.tensordot(weight[size[without]], gains, axes=1)
    return phi


# --- running ---------------------------------------------------------------------------

def year_labels(sc: Scenario, years: Sequence[int | str] | None) -> list[str]:
    """Agricultural years to report ("1928/29"; 1928 and "1928" mean the same) and WHOLE."""
    probe = xr.Dataset(coords={"time": sc.calendar().dates()})
    valid = [label for label, _ in agricultural_years(probe)]
    if years is None:
        return valid + [WHOLE]
    out = []
    for y in years:
        label = str(y).strip()
        if label.isdigit():
            label = f"{int(label)}/{(int(label) + 1) % 100:02d}"
        if label not in valid + [WHOLE]:
            raise InputError("years", f"{y!r} is not an agricultural year of the run",
                             ", ".join(valid))
        out.append(label)
    return list(dict.fromkeys(out + [WHOLE]))


def attribute(a: str | Path | Scenario, b: str | Path | Scenario,
              seeds: int | Sequence[int] = 3, households: int | None = None,
              outcomes: Sequence[str] | None = None, years: Sequence[int | str] | None = None,
              *, groups: Mapping[str, Sequence[str]] | str | None = None,
              max_groups: int = MAX_GROUPS, start: str | None = None, end: str | None = None,
              progress: bool = False, parallel: bool | None = None,
              share: bool = True, workers: int | None = None) -> xr.Dataset:
    """Shapley attribution of outcome(B) - outcome(A) to the groups of differing levers.

    Returns a Dataset with `shapley` (group, outcome, year, seed), `total` = B - A,
    `value_a`, `value_b` (outcome, year, seed) and `coalition_value` (coalition, outcome,
    year, seed). `households` defaults to A's; `start` and `end` cut both scenarios to one
    span; `years` picks the agricultural years reported (the whole run always is). More
    than `max_groups` groups (2^n runs per seed) is refused: join levers with `groups`.
    `share` simulates the months before the coalitions diverge once per seed. `workers`:
    processes running seeds side by side (default 1); the results do not depend on it."""
    sa, sb = load_all([a, b], start, end)
    if sa.weather != sb.weather:
        raise InputError("weather", f"{sa.name} has {sa.weather} weather and {sb.name} "
                         f"{sb.weather}", "scenarios with the same weather")
    seeds = seed_list(seeds)
    chosen = [o.name for o in available_outcomes(outcomes)]
    labels = year_labels(sa, years)
    grp = resolve_groups(sa, sb, groups)
    n = len(grp)
    if n > max_groups:
        raise InputError("groups", f"{sa.name} and {sb.name} differ in {n} groups "
                         f"({', '.join(grp)}), which takes 2^{n} = {2 ** n} runs per seed",
                         f"at most {max_groups}: join levers into groups (the families "
                         f"{', '.join(FAMILIES)}: groups='families' or --families; or "
                         "--group NAME=LEVER,LEVER) or raise max_groups")
    scs = coalitions(sa, sb, grp)
    households = sa.households if households is None else households
    nw = worker_count(workers, len(seeds))
    with progress_bar(len(seeds) * len(scs), f"attribute: {n} groups, {len(scs)} runs x "
                      f"{len(seeds)} seeds", progress) as advance:
        if nw > 1:
            job = functools.partial(_coalition_values, scenarios=scs, households=households,
                                    parallel=kernels_for(parallel, nw), share=share,
                                    outcomes=chosen, years=labels)
            by_seed = map_seeds(job, seeds, nw, functools.partial(advance, len(scs)))
        else:
            by_seed = [_coalition_values(seed, scs, households, parallel, share, chosen,
                                         labels, advance) for seed in seeds]
    per_seed = [values for values, _ in by_seed]
    last = by_seed[-1][1]
    values = xr.concat(per_seed, dim=pd.Index(seeds, name=SEED)).transpose(
        COALITION, "outcome", "year", SEED)
    values = values.assign_coords({COALITION: np.arange(len(scs))})
    phi = shapley(values.values)
    res = xr.Dataset(
        {"shapley": ((GROUP, "outcome", "year", SEED), phi),
         "total": values.isel({COALITION: -1}, drop=True) - values.isel({COALITION: 0},
                                                                         drop=True),
         "value_a": values.isel({COALITION: 0}, drop=True),
         "value_b": values.isel({COALITION: -1}, drop=True),
         "coalition_value": values},
        coords={GROUP: list(grp)})
    res["shapley"].attrs["long_name"] = "Shapley value of the group: its share of B - A"
    res["total"].attrs["long_name"] = "outcome of B minus outcome of A"
    res["coalition_value"].attrs["long_name"] = (
        "outcome of A with the groups of the coalition from B; bit i of the coalition "
        "number set means group i (in the order of the group coordinate) follows B")
    res.attrs.update(
        a=sa.name, b=sb.name, groups=json.dumps(grp), seeds=seeds,
        households_simulated=int(last.get("households_simulated", households)),
        weight=float(last.get("weight", np.nan)), start=sa.start, end=sa.end,
        smychka_version=__version__, scenario_a_toml=sa.to_toml(),
        scenario_b_toml=sb.to_toml(),
        first_difference=json.dumps(_first_differences(sa, sb, grp)))
    return res


def _coalition_values(seed: int, scenarios: Sequence[Scenario], households: int | None,
                      parallel: bool | None, share: bool, outcomes: Sequence[str],
                      years: Sequence[str], advance=lambda: None
                      ) -> tuple[xr.DataArray, dict]:
    """The outcomes of every coalition for one seed, stacked along `coalition`, and the
    attributes of the last run (what a worker process sends back)."""
    runs = []
    for ds in run_branches(scenarios, seed, households, parallel, share):
        runs.append(outcome_values(ds, outcomes).sel(year=list(years)))
        advance()
        attrs = dict(ds.attrs)
    return xr.concat(runs, dim=COALITION), attrs


def _first_differences(a: Scenario, b: Scenario, groups: dict[str, list[str]]
                       ) -> dict[str, str]:
    """The first month each lever differs between A and B (parameters: the start)."""
    la, lb, cal = a.lever_arrays(), b.lever_arrays(), a.calendar()
    out = {}
    for members in groups.values():
        for f in members:
            t = int(np.flatnonzero(la[f] != lb[f])[0]) if f in LEVERS else 0
            out[f] = cal.label(t)
    return out


# --- tables ----------------------------------------------------------------------------

def sum_gap(res: xr.Dataset) -> float:
    """Largest |sum of Shapley values - total difference| over outcomes, years, seeds."""
    if res.sizes[GROUP] == 0:
        return float(np.nanmax(np.abs(res["total"].values), initial=0.0))
    gap = np.abs(res["shapley"].sum(GROUP) - res["total"]).values
    return float(np.nanmax(gap, initial=0.0))


def attribution_table(res: xr.Dataset, year: str = WHOLE) -> pd.DataFrame:
    """One agricultural year (default the whole run): rows are outcomes, columns (group or
    'total', statistic) with the median across seeds and the 5-95 % band."""
    parts = {str(g): band(res["shapley"].sel({GROUP: g, "year": year}))
             for g in res[GROUP].values}
    parts[TOTAL] = band(res["total"].sel(year=year))
    cols = {(name, s): st[s].values for name, st in parts.items()
            for s in ("median", "p5", "p95")}
    frame = pd.DataFrame(cols, index=pd.Index([str(o) for o in res["outcome"].values],
                                              name="outcome"))
    frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["group", "statistic"])
    return frame


def _cells(frame: pd.DataFrame) -> pd.DataFrame:
    names = list(dict.fromkeys(frame.columns.get_level_values(0)))
    return pd.DataFrame({n: [cell(*(frame.loc[r, (n, s)] for s in ("median", "p5", "p95")))
                             for r in frame.index] for n in names}, index=frame.index)


def _by_year_table(res: xr.Dataset, outcome: str) -> pd.DataFrame:
    """Rows are years, columns groups and total, for one outcome (text cells)."""
    cols = {}
    for g in res[GROUP].values:
        st = band(res["shapley"].sel({GROUP: g, "outcome": outcome}))
        cols[str(g)] = [cell(*(float(st[s].sel(year=y)) for s in ("median", "p5", "p95")))
                        for y in res["year"].values]
    st = band(res["total"].sel(outcome=outcome))
    cols[TOTAL] = [cell(*(float(st[s].sel(year=y)) for s in ("median", "p5", "p95")))
                   for y in res["year"].values]
    return pd.DataFrame(cols, index=pd.Index([str(y) for y in res["year"].values],
                                             name="year"))


# --- figures ---------------------------------------------------------------------------

GROUP_CMAP = "tab10"


def _group_colours(res: xr.Dataset) -> dict[str, tuple]:
    from matplotlib import colormaps
    cmap = colormaps[GROUP_CMAP]
    return {str(g): cmap(i % cmap.N) for i, g in enumerate(res[GROUP].values)}


def _outcome_axes(res: xr.Dataset, title: str, row_height: float, ncols: int = 2):
    outcomes = [str(o) for o in res["outcome"].values]
    nrows = max((len(outcomes) + ncols - 1) // ncols, 1)
    fig, axes = new_figure(title, nrows, ncols, row_height=row_height)
    for ax in axes[len(outcomes):]:
        ax.set_visible(False)
    return fig, list(zip(outcomes, axes))


def attribution_figure(res: xr.Dataset, folder: Path, year: str = WHOLE) -> Path:
    """For each outcome, a bar per group (its Shapley value) and one for the total, median
    with the 5-95 % band across seeds."""
    colours = _group_colours(res)
    names = list(colours) + [TOTAL]
    fig, panels = _outcome_axes(res, f"{res.attrs['b']} minus {res.attrs['a']}: what each "
                                f"policy explains ({year})", 0.22 * len(names) + 1.0, ncols=3)
    labels = dict(zip(res["outcome"].values, res["label"].values))
    for i, (outcome, ax) in enumerate(panels):
        stats = [band(res["shapley"].sel({GROUP: g, "outcome": outcome, "year": year}))
                 for g in colours]
        stats.append(band(res["total"].sel(outcome=outcome, year=year)))
        med = np.array([float(s["median"]) for s in stats])
        lo = np.array([float(s["p5"]) for s in stats])
        hi = np.array([float(s["p95"]) for s in stats])
        y = np.arange(len(names))[::-1]
        ax.barh(y, med, color=[*colours.values(), "0.25"], lw=0)
        ax.errorbar(med, y, xerr=[np.maximum(med - lo, 0), np.maximum(hi - med, 0)],
                    fmt="none", ecolor="black", lw=0.8, capsize=2)
        ax.axvline(0.0, color="0.3", lw=0.8)
        ax.set_yticks(y, names if i % 3 == 0 else [], fontsize=8)   # the same in every row
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.tick_params(axis="x", labelsize=7)
        ax.set_title(str(labels[outcome]), fontsize=8, wrap=True)
        ax.grid(axis="x", color="0.85", lw=0.6)
        ax.set_axisbelow(True)
    return save(fig, folder, "attribute")


def attribution_by_year_figure(res: xr.Dataset, folder: Path) -> Path:
    """For each outcome, the median Shapley values per agricultural year as stacked bars
    (gains above zero, losses below) and the total difference as a dot with its band."""
    colours = _group_colours(res)
    years = [str(y) for y in res["year"].values if y != WHOLE]
    moved = [y for y in years if (res["total"].sel(year=y) != 0).any()
             or (res["shapley"].sel(year=y) != 0).any()]
    if moved:   # leave out the leading years in which nothing differs yet
        years = years[years.index(moved[0]):]
    fig, panels = _outcome_axes(res, f"{res.attrs['b']} minus {res.attrs['a']}, by "
                                "agricultural year", 2.4)
    labels = dict(zip(res["outcome"].values, res["label"].values))
    x = np.arange(len(years))
    for i, (outcome, ax) in enumerate(panels):
        up, down = np.zeros(len(years)), np.zeros(len(years))
        for g, colour in colours.items():
            v = np.nan_to_num(res["shapley"].sel({GROUP: g, "outcome": outcome, "year": years})
                              .median(SEED).values)
            base = np.where(v >= 0, up, down)
            ax.bar(x, v, 0.7, bottom=base, color=colour, lw=0, label=g)
            up, down = up + np.maximum(v, 0), down + np.minimum(v, 0)
        st = band(res["total"].sel(outcome=outcome, year=years))
        med = st["median"].values
        ax.errorbar(x, med, yerr=[np.maximum(med - st["p5"].values, 0),
                                  np.maximum(st["p95"].values - med, 0)],
                    fmt="D", color="black", ms=3, lw=0.8, capsize=2, label=TOTAL)
        ax.axhline(0.0, color="0.3", lw=0.8)
        ax.set_xticks(x, [y[2:] for y in years], fontsize=8)
        ax.set_title(str(labels[outcome]), fontsize=9)
        ax.grid(axis="y", color="0.85", lw=0.6)
        ax.set_axisbelow(True)
        if i == 0:
            handles, names = ax.get_legend_handles_labels()
    if panels:
        fig.legend(handles, names, loc="outside lower center", ncols=min(len(names), 6),
                   fontsize=8, frameon=False)
    return save(fig, folder, "attribute_by_year")


# --- writing ---------------------------------------------------------------------------

def attribution_markdown(res: xr.Dataset, figures: Sequence[Path] = ()) -> str:
    groups = json.loads(res.attrs["groups"])
    first = json.loads(res.attrs.get("first_difference", "{}"))
    a, b = res.attrs["a"], res.attrs["b"]
    n = len(groups)
    out = [f"# Attribution: {b} minus {a}", "",
           f"- Period: {res.attrs['start']} to {res.attrs['end']}",
           f"- Seeds: {', '.join(str(s) for s in res[SEED].values)}",
           f"- Households simulated: {int(res.attrs['households_simulated']):,}",
           f"- Runs: {2 ** n} coalitions of {n} groups per seed",
           f"- smychka version: {res.attrs.get('smychka_version', 'not recorded')}", "",
           "## Groups", ""]
    out += [f"- **{g}**: " + ", ".join(f"{m} (differs from {first.get(m, '?')})"
                                       for m in members) for g, members in groups.items()]
    if not groups:
        out += ["- none: the two scenarios have the same levers and parameters"]
    out += ["", f"Each group's value is its Shapley value: the change in the outcome when "
            f"its levers are switched from {a}'s schedules to {b}'s, averaged over every "
            "order of switching the groups. The values add up to the total difference "
            f"{b} - {a}; where policies interact, the joint effect is split evenly between "
            "them. All coalitions are run with the same seeds, so within a seed the "
            "differences come from the policies alone. Cells give the median across seeds "
            "and, in brackets, the 5-95 % band.", "",
            f"Check: the Shapley values sum to the total difference for every outcome, year "
            f"and seed; the largest gap is {sum_gap(res):.3g}.", "",
            "## Whole run", "",
            markdown_table(_cells(attribution_table(res)).rename(
                index=lambda o: str(o))), ""]
    out += ["; ".join(f"`{o}` {lab}" for o, lab in
                      zip(res["outcome"].values, res["label"].values)) + ".", ""]
    out += ["## By agricultural year", ""]
    for o, lab in zip(res["outcome"].values, res["label"].values):
        out += [f"### {o}: {lab}", "", markdown_table(_by_year_table(res, str(o))), ""]
    if figures:
        out += ["## Figures", ""] + [f"![{p.stem}](figures/{p.name})\n" for p in figures]
    return "\n".join(out)


def write_attribution(res: xr.Dataset, out_dir: str | Path) -> Path:
    """Write attribute.nc, figures/attribute*.png and attribute.md into out_dir; return the
    path of attribute.md."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_netcdf(res, out_dir / "attribute.nc")
    figures = []
    if res.sizes[GROUP]:
        figures = [attribution_figure(res, out_dir / "figures"),
                   attribution_by_year_figure(res, out_dir / "figures")]
    path = out_dir / "attribute.md"
    _write_text(path, attribution_markdown(res, figures))
    return path

"""Validation: an ensemble of runs scored against the historical series, row by row.

    from smychka.analysis.validate import validate
    v = validate("history", seeds=5, households=100_000)
    v.rows          # every record row: model median and 90 % band, verdict, note
    v.by_series()   # one line per series over 1924-1929: how many rows fit, and why not

Each observed row gets a verdict: "fits" (the model median lies in the record's band),
"near" (the median lies outside, but the model's 5-95 % band overlaps the record's band),
"misses" (no overlap), or "undefined" (the model figure is not a number, e.g. a ratio to
nothing). Rows the model cannot observe keep the status `observe()` gave them. The median of
a few runs is itself uncertain: each row also carries a 90 % interval for the median of the
model's distribution (`med_lo`, `med_hi`), and a verdict whose interval crosses an edge of
the record's band is one that other runs could turn.

As a script, ``python -m smychka.analysis.validate --docs`` regenerates docs/validation.md
and its figures (run it from the project root).
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from math import comb
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from ..scenarios.loader import Scenario, load_scenario
from .observation import obs_defaults, observe
from .workers import worker_count

VERDICTS = ("fits", "near", "misses", "undefined")
# the report in docs/: seeds no search of the defaults has run on (those ran on 1-3); 30
# runs, since the medians of 10 move enough with the seeds to change a few verdicts
DOCS_SEEDS, DOCS_FIRST_SEED, DOCS_HOUSEHOLDS = 30, 101, 100_000
MEDIAN_LEVEL = 0.9     # coverage of the interval given for each row's median


def seed_ensemble(scenario: str | Path | Scenario = "history", seeds: int = 5,
                  households: int | None = None, params: dict[str, float] | None = None,
                  progress: bool = False, workers: int | None = None,
                  **fields) -> xr.Dataset:
    """Runs of one scenario with seeds seed, seed+1, ... (from the scenario's seed) stacked
    along a `seed` dimension, in `workers` processes. `fields` override the scenario (e.g.
    end="1929-12")."""
    from .ensemble import run_ensemble

    sc = load_scenario(scenario, params=params, households=households, **fields)
    ds = run_ensemble(sc, list(range(sc.seed, sc.seed + seeds)), households=sc.households,
                      progress=progress, workers=workers)
    ds.attrs["households_simulated"] = sc.households
    return ds


def median_interval(values: np.ndarray, level: float = MEDIAN_LEVEL) -> tuple[float, float]:
    """A distribution-free interval for the median of the distribution the runs are drawn
    from: the order statistics x_(j) and x_(n+1-j) with the largest j whose coverage,
    1 - 2 P(Binomial(n, 1/2) <= j - 1), is at least `level`. With too few runs for that
    (under 5 at 90 %), the range of the runs."""
    x = np.sort(values[np.isfinite(values)])
    n = len(x)
    if n == 0:
        return np.nan, np.nan
    tail, cdf, j = (1.0 - level) / 2.0, 0.0, 0
    while j < n // 2:
        cdf += comb(n, j) / 2.0 ** n          # P(Binomial <= j)
        if cdf > tail:
            break
        j += 1
    return (float(x[j - 1]), float(x[n - j])) if j else (float(x[0]), float(x[-1]))


def _verdict(values: np.ndarray, low: float, high: float) -> tuple[str, float, float, float]:
    """(verdict, median, 5 % and 95 % quantiles) of the model's values for one row."""
    finite = values[np.isfinite(values)]
    if len(finite) == 0:
        return "undefined", np.nan, np.nan, np.nan
    med = float(np.median(finite))
    lo, hi = (float(q) for q in np.quantile(finite, [0.05, 0.95]))
    if low <= med <= high:
        return "fits", med, lo, hi
    return ("near" if lo <= high and hi >= low else "misses"), med, lo, hi


def fmt(x: float) -> str:
    """A number for reading: 3 significant digits, thousands separated."""
    if x is None or not np.isfinite(x):
        return "–"
    a = abs(x)
    if a >= 1000:
        return f"{x:,.0f}"
    if a == 0:
        return "0"
    return f"{x:.{max(0, 2 - int(np.floor(np.log10(a))))}f}"


def row_note(verdict: str, med: float, low: float, high: float) -> str:
    """One sentence from the residual: inside, or above/below the band and by how much."""
    if verdict == "undefined":
        return "the model figure is undefined (a ratio to nothing)"
    if low <= med <= high:
        return "within the band"
    edge, side = (high, "above") if med > high else (low, "below")
    share = abs(med - edge) / abs(edge) if edge else np.nan
    rel = ("" if not np.isfinite(share) else " by less than 1%" if share < 0.01
           else f" by {share:.0%}")
    return f"{side} the band{rel} (model {fmt(med)}, record {fmt(low)} to {fmt(high)})"


def score(table: pd.DataFrame) -> pd.DataFrame:
    """`observe()` rows with median, lo, hi (5-95 %), verdict, note and the median's 90 %
    interval (med_lo, med_hi) for the observed."""
    out = table.copy()
    cols = {c: [] for c in ("median", "lo", "hi", "verdict", "note", "med_lo", "med_hi")}
    for row in out.itertuples(index=False):
        if row.status != "observed":
            v, med, lo, hi, note = row.status, np.nan, np.nan, np.nan, row.reason
            m_lo = m_hi = np.nan
        else:
            v, med, lo, hi = _verdict(row.model, row.low, row.high)
            note = row_note(v, med, row.low, row.high)
            m_lo, m_hi = median_interval(row.model)
        for c, x in zip(cols, (med, lo, hi, v, note, m_lo, m_hi)):
            cols[c].append(x)
    for c, values in cols.items():
        out[c] = values
    return out


def row_label(row) -> str:
    """'1926/27', or '1928/29 Ukraine' for a regional row."""
    return str(row.period) + ("" if row.region == "USSR" else f" {row.region}")


def at_edge(rows: pd.DataFrame) -> pd.Series:
    """Rows whose median's interval crosses an edge of the record's band: a verdict other
    runs could turn (False where no interval is known)."""
    lo, hi = rows["med_lo"].to_numpy(float), rows["med_hi"].to_numpy(float)
    low, high = rows["low"].to_numpy(float), rows["high"].to_numpy(float)
    crosses = ((lo < low) & (hi >= low)) | ((lo <= high) & (hi > high))
    return pd.Series(crosses & np.isfinite(lo) & np.isfinite(hi), index=rows.index)


def series_summary(rows: pd.DataFrame) -> pd.DataFrame:
    """One line per observed series: rows, how many fit, whether a verdict of one of them
    could turn with other runs (`edge`), whether every row fits or could (`reach`), and a
    note on those that do not fit."""
    out = []
    observed = rows[rows["verdict"].isin(VERDICTS)]
    edge = at_edge(observed) if "med_lo" in observed else pd.Series(False, observed.index)
    for name, group in observed.groupby("series", sort=False):
        fits = int((group["verdict"] == "fits").sum())
        bad = group[group["verdict"] != "fits"]
        parts = [f"{row_label(r)}: {r.note}" for r in bad.itertuples(index=False)]
        sides = {("above" if r.median > r.high else "below")
                 for r in bad.itertuples(index=False) if np.isfinite(r.median)}
        if len(bad) > 1 and len(sides) == 1:
            parts.insert(0, f"the model runs {'high' if sides == {'above'} else 'low'}")
        out.append({"series": name, "family": group["family"].iloc[0], "rows": len(group),
                    "fit": fits, "edge": bool(edge[group.index].any()),
                    "reach": bool(((group["verdict"] == "fits") | edge[group.index]).all()),
                    "unit": group["unit"].iloc[0],
                    "note": "; ".join(parts) if parts else "every row within its band"})
    return pd.DataFrame(out, columns=["series", "family", "rows", "fit", "edge", "reach",
                                      "unit", "note"])


@dataclass
class Validation:
    """The scored record of one scenario's ensemble."""

    scenario: str
    seeds: list[int]
    households: int
    rows: pd.DataFrame
    obs_params: dict[str, float]
    params: dict[str, float] = field(default_factory=dict)
    ds: xr.Dataset | None = None

    def window(self, name: str = "calibration") -> pd.DataFrame:
        return self.rows[self.rows["window"] == name]

    def by_series(self, window: str = "calibration") -> pd.DataFrame:
        return series_summary(self.window(window))

    def counts(self, window: str = "calibration") -> dict[str, int]:
        return self.window(window)["verdict"].value_counts().to_dict()


def validate(scenario: str | Path | Scenario = "history", seeds: int = 5,
             households: int | None = None, params: dict[str, float] | None = None,
             obs_params: dict[str, float] | None = None, progress: bool = False,
             ds: xr.Dataset | None = None, workers: int | None = None) -> Validation:
    """Run `seeds` runs of the scenario (in `workers` processes; or score the given
    ensemble `ds`) against every historical series."""
    worker_count(workers, seeds)   # checked even when `ds` is given and nothing runs
    if ds is None:
        ds = seed_ensemble(scenario, seeds, households, params, progress=progress,
                           workers=workers)
    p = {**obs_defaults(), **(obs_params or {})}
    rows = score(observe(ds, params=p))
    seed_list = [int(s) for s in ds["seed"].values] if "seed" in ds.dims else [
        int(ds.attrs.get("seed", 0))]
    return Validation(scenario=str(ds.attrs.get("scenario", scenario)), seeds=seed_list,
                      households=int(ds.attrs.get("households_simulated", households or 0)),
                      rows=rows, obs_params=p, params=dict(params or {}), ds=ds)


def main(argv: list[str] | None = None) -> None:
    """Regenerate docs/validation.md (with --docs) or write a report folder (--out)."""
    from .validate_report import write_docs, write_report

    ap = argparse.ArgumentParser(prog="python -m smychka.analysis.validate",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", nargs="?", default="history")
    ap.add_argument("--seeds", type=int, default=DOCS_SEEDS)
    ap.add_argument("--seed", type=int, default=DOCS_FIRST_SEED, help="first seed")
    ap.add_argument("--households", type=int, default=DOCS_HOUSEHOLDS)
    ap.add_argument("--docs", action="store_true", help="write docs/validation.md")
    ap.add_argument("--out", type=Path, help="also write a report folder here")
    args = ap.parse_args(argv)
    sc = load_scenario(args.scenario, seed=args.seed)
    v = validate(sc, args.seeds, args.households, progress=True)
    if args.out:
        write_report(v, args.out)
    if args.docs or not args.out:
        print(write_docs(v, Path("docs"), command=(
            f"python -m smychka.analysis.validate {args.scenario} --seeds {args.seeds} "
            f"--seed {args.seed} --households {args.households} --docs")))


if __name__ == "__main__":
    main()

"""The observation model: what the statistics of the day would have reported about a run.

A historical figure is not the true quantity. An official harvest was a "barn" estimate above
the crop; a procurement total may count the milling levy; herds were counted on 1 January;
a sown area belongs to the harvest it was sown for; a class's crop is that of the farms
classified into it on that harvest; Nemchinov's shares include the state farms the model does
not hold. `observe(ds)` turns a result (one run, or an ensemble with a `seed`
dimension) into the figures the record holds, row by row of `smychka.data.series()`, in the
record's units, so that model and record are compared like with like.

    from smychka.analysis.observation import observe
    table = observe(ds)   # one row per record row: status, and the model's figure per seed

Each row gets a status: "observed" (the `model` cell holds one value per seed), "outside the
run", "not modelled" (the model has no such quantity), "not modelled yet" (its result
variable does not exist yet) or "policy input" (a lever, not an outcome).

The catalogue of how each series is read lives in `observers`; periods and the calibration
window in `periods`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from .. import data
from .observers import (EXCLUDED_ROWS, NOT_MODELLED, OBSERVERS, POLICY_INPUTS, NotCovered,
                        Reader)
from .periods import in_calibration_window, parse_period


@dataclass(frozen=True)
class ObsParam:
    name: str
    default: float
    unit: str
    meaning: str
    source: str


OBS_PARAMS = {p.name: p for p in (
    ObsParam("barn_inflation", 1.10, "multiplier",
             "official (barn) harvest over the true crop; applied to official harvests and "
             "yields, and to the crop in official shares of the crop (marketability, fodder). "
             "A modelling assumption halfway between agreement (pre-war official and Western "
             "estimates within 2 %) and the 16 % gap of 1928-29 (official 73.3 and 71.7 Mt "
             "against Wheatcroft and Davies' 63 and 62)", "H1; model-estimate"),
    ObsParam("milling_levy", 0.10, "share of procurement",
             "milling levy (a toll in kind at state and cooperative mills) added to the "
             "model's procurement where the record's totals count it: the annual totals of "
             "grain collections do, Stalin's half-year checkpoints do not. Order of magnitude "
             "recalled, unverified", "memory"),
    ObsParam("state_farm_output", 0.017, "share",
             "state and collective farms' share of gross grain output, 1926/27 (not in the "
             "model): Nemchinov's shares and totals include it", "N1"),
    ObsParam("state_farm_sales", 0.06, "share",
             "state and collective farms' share of marketed grain, 1926/27 (not in the "
             "model): Nemchinov's marketed grain includes it, and so does the state's "
             "procurement, to which these farms sold their marketed grain", "N1"),
)}


def obs_defaults() -> dict[str, float]:
    return {k: p.default for k, p in OBS_PARAMS.items()}


def _status(row, ds: xr.Dataset) -> tuple[str, str]:
    """(status, reason) of a record row before anything is computed."""
    if row.series in POLICY_INPUTS or "policy input" in row.note:
        return "policy input", "set by a lever of the scenario"
    if (row.series, row.region) in EXCLUDED_ROWS:
        return "not modelled", EXCLUDED_ROWS[(row.series, row.region)]
    obs = OBSERVERS.get(row.series)
    if obs is None:
        return "not modelled", NOT_MODELLED.get(row.series, "no model counterpart")
    missing = [v for v in obs.needs if v not in ds.data_vars and not (
        v.startswith("stratum=") and "stratum" in ds.coords
        and v.split("=", 1)[1] in ds["stratum"].values)]
    if missing:
        named = [m.replace("stratum=", "stratum ") for m in missing]
        return "not modelled yet", f"no result variable {', '.join(named)}"
    return "", ""


def observe_row(ds: xr.Dataset, series: str, period: str, period_type: str,
                region: str = "USSR", params: dict[str, float] | None = None) -> xr.DataArray:
    """What the statistics would report for one record row (per seed); NotCovered if the
    period is not in the run, KeyError if the series has no observer."""
    p = {**obs_defaults(), **(params or {})}
    obs = OBSERVERS[series]
    per = parse_period(period, period_type)
    parts = per.parts if per.parts and obs.span == "mean" else (per,)
    values = []
    with np.errstate(all="ignore"):   # a ratio to nothing is NaN, not a warning
        for part in parts:
            try:
                values.append(obs.fn(Reader(ds, part, region, p)))
            except NotCovered:
                if len(parts) == 1:
                    raise
    if not values:   # a span of years none of which is in the run
        raise NotCovered
    return sum(values) / len(values)


def observe(ds: xr.Dataset, rows: pd.DataFrame | None = None,
            params: dict[str, float] | None = None) -> pd.DataFrame:
    """The record rows (default: every historical series) with what the run reports for
    each: columns of the record plus `status`, `reason`, `window` ("calibration" for
    1924-1929 periods, else "test") and `model` (an array of one value per seed; empty when
    the row is not observed)."""
    rows = (data.series() if rows is None else rows).reset_index(drop=True).copy()
    status, reason, model, window = [], [], [], []
    for row in rows.itertuples(index=False):
        st, why = _status(row, ds)
        values = np.array([])
        if not st:
            try:
                da = observe_row(ds, row.series, row.period, row.period_type, row.region,
                                 params)
                values = np.atleast_1d(np.asarray(da.values, dtype=float))
                st, why = "observed", OBSERVERS[row.series].how
            except NotCovered:
                st, why = "outside the run", "the period is not (wholly) in the run"
        status.append(st)
        reason.append(why)
        model.append(values)
        window.append("calibration" if in_calibration_window(row.period, row.period_type)
                      else "test")
    rows["status"], rows["reason"], rows["window"] = status, reason, window
    rows["model"] = model
    return rows

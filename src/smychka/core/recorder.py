"""The recorder: monthly aggregates by region and stratum, built inside the kernels, scaled to
full USSR size, and returned as the xarray Dataset of interfaces.md."""
from __future__ import annotations

import json

import numpy as np
import xarray as xr

from .calendar import Calendar
from .variables import GRAIN_BALANCE, MONEY_BALANCE, REGIONS, STRATA, VARIABLES

_KG = 1e-3  # kernels count grain in kg; results are in tonnes


def _factor(name: str) -> float:
    return _KG if VARIABLES[name].units == "tonnes" else 1.0


class Recorder:
    def __init__(self, cal: Calendar, weight: float):
        self.cal, self.weight = cal, weight
        T, R, S = cal.n_months, len(REGIONS), len(STRATA)
        self.rs = {v.name: np.zeros((T, R, S)) for v in VARIABLES.values() if len(v.dims) == 3}
        self.r = {v.name: np.full((T, R), np.nan) for v in VARIABLES.values() if len(v.dims) == 2}
        self.n = {v.name: np.full(T, np.nan) for v in VARIABLES.values() if len(v.dims) == 1}
        # sample units to full-scale results, by variable
        self._scale = {name: weight * _factor(name) for name in VARIABLES}

    def add_household_flows(self, t: int, names, acc: np.ndarray) -> None:
        """acc[chunk, k, region, stratum] from a kernel (sample units: kg, roubles, head)."""
        sums = acc.sum(axis=0)
        for k, name in enumerate(names):
            self.rs[name][t] += sums[k] * self._scale[name]

    def add_region_stratum(self, t: int, name: str, stratum: int, values) -> None:
        """Add sample-unit values by region to one stratum (kolkhoz flows and stocks)."""
        self.rs[name][t, :, stratum] += np.asarray(values) * self._scale[name]

    def set_household_stocks(self, t: int, names, acc: np.ndarray) -> None:
        sums = acc.sum(axis=0)
        for k, name in enumerate(names):
            self.rs[name][t] = sums[k] * self._scale[name]

    def set_region(self, t: int, name: str, values) -> None:
        self.r[name][t] = values

    def set_national(self, t: int, name: str, value: float) -> None:
        self.n[name][t] = value

    def dataset(self, attrs: dict) -> xr.Dataset:
        coords = {"time": self.cal.dates(), "region": list(REGIONS), "stratum": list(STRATA)}
        data = {}
        for name, arr in self.rs.items():
            if VARIABLES[name].kind == "mean":   # recorded as sums over households
                hh = self.rs["households"]
                arr = np.divide(arr, hh, out=np.full_like(arr, np.nan), where=hh > 0)
            data[name] = (VARIABLES[name].dims, arr)
        for store in (self.r, self.n):
            for name, arr in store.items():
                data[name] = (VARIABLES[name].dims, arr)
        ds = xr.Dataset(data, coords=coords)
        for name in ds.data_vars:
            v = VARIABLES[name]
            ds[name].attrs.update(units=v.units, long_name=v.meaning, kind=v.kind)
        ds.attrs.update(attrs)
        ds.attrs["grain_balance"] = json.dumps([list(x) for x in GRAIN_BALANCE])
        ds.attrs["money_balance"] = json.dumps([list(x) for x in MONEY_BALANCE])
        return ds

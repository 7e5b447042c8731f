"""The books must close: every month, the signed flows equal the change of the stock.

The dataset names its flows in attrs["grain_balance"] and attrs["money_balance"] (JSON lists
of [variable, sign]); the package's own lists stand in where a dataset lacks them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import xarray as xr

from ..core.variables import GRAIN_BALANCE, MONEY_BALANCE
from ._data import SEED

BOOKS = {  # name -> (attribute listing the flows, stock variable, fallback flows)
    "grain": ("grain_balance", "grain_stock", GRAIN_BALANCE),
    "money": ("money_balance", "money", MONEY_BALANCE),
}
TOLERANCE = 1e-5  # relative residual accepted as rounding (results may be stored as float32)


@dataclass(frozen=True)
class BalanceCheck:
    book: str                      # "grain" or "money"
    flows: tuple[tuple[str, int], ...]
    from_attrs: bool               # flows listed by the dataset, not the package defaults
    missing: tuple[str, ...]       # listed variables the dataset lacks: nothing checked
    max_residual: float = float("nan")  # largest monthly |flows - change of stock|
    max_relative: float = float("nan")  # the same over the stock
    worst_month: str = ""

    @property
    def checked(self) -> bool:
        return not self.missing and np.isfinite(self.max_relative)

    @property
    def ok(self) -> bool:
        return self.checked and self.max_relative <= TOLERANCE


def _flows_of(ds: xr.Dataset, book: str) -> tuple[tuple[tuple[str, int], ...], bool]:
    attr, _, fallback = BOOKS[book]
    text = ds.attrs.get(attr)
    if text is None:
        return tuple(fallback), False
    listed = json.loads(text) if isinstance(text, str) else text
    return tuple((str(v), int(s)) for v, s in listed), True


def _national(da: xr.DataArray) -> xr.DataArray:
    """Sum over everything except time (and seed): the books close for the whole country."""
    return da.sum([d for d in da.dims if d not in ("time", SEED)])


def check_balance(ds: xr.Dataset, book: str = "grain") -> BalanceCheck:
    """Largest monthly residual of sum(sign * flow) minus the change of the total stock.

    The first month is skipped: the stock before it is unknown. The relative residual is
    taken over the larger of the stocks before and after, so an empty store does not
    inflate it; across an ensemble the worst seed counts."""
    flows, from_attrs = _flows_of(ds, book)
    stock_name = BOOKS[book][1]
    missing = tuple(v for v, _ in flows if v not in ds.data_vars)
    missing += () if stock_name in ds.data_vars else (stock_name,)
    if missing or ds.sizes.get("time", 0) < 2:
        return BalanceCheck(book, flows, from_attrs, missing)
    net = sum(sign * _national(ds[v]) for v, sign in flows)
    stock = _national(ds[stock_name])
    # diff labels each change by its later month, so the first month drops out here
    residual = abs(net - stock.diff("time", label="upper"))
    scale = np.maximum(abs(stock), abs(stock.shift(time=1))).isel(time=slice(1, None))
    relative = residual / scale.where(scale > 0)
    per_month = residual.max(SEED) if SEED in residual.dims else residual
    rel_month = relative.max(SEED) if SEED in relative.dims else relative
    rel_values = rel_month.values
    if np.isnan(rel_values).all():
        return BalanceCheck(book, flows, from_attrs, missing, float(per_month.max()))
    worst = int(np.nanargmax(rel_values))
    month = str(np.datetime_as_string(rel_month["time"].values[worst], unit="M"))
    return BalanceCheck(book, flows, from_attrs, missing, float(per_month.max()),
                        float(rel_values[worst]), month)

"""The world a run steps through: calendar, parameters, levers, streams and state tables.

Processes read and change it; nothing else holds simulation state, so a world can be copied
to fork a run at any month.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

from ..kernels import CHUNK, VBLOCK
from .calendar import Calendar
from .rng import Streams
from .state import Households, Villages
from .variables import REGIONS, STRATA


@dataclass
class Economy:
    """Region-level and national state outside the households (prices, stocks, town)."""

    state_price: np.ndarray          # roubles per kg, by region
    private_price: np.ndarray        # roubles per kg, by region
    goods_availability: np.ndarray   # share of wished goods purchases served, by region
    expected_availability: np.ndarray
    expected_price_index: np.ndarray  # smoothed index of grain prices received, by region
    scissors: np.ndarray
    expected_scissors: np.ndarray
    purchase_fill: float = 1.0       # share of wished rural grain purchases that can be served
    state_stock: float = 0.0         # tonnes
    trader_stock: float = 0.0        # tonnes
    national_private_price: float = 0.0  # roubles per kg at price zone 1
    coercion: float = 0.0            # coercion level in force this month
    private_trade: float = 1.0       # private trade in force (the lever, less market closures)
    centre_level: float = 0.0        # the centre's own coercion level (reaction function)
    months_behind: int = 0           # consecutive months the campaign lagged the plan
    months_since_retreat: int = 999
    retreats: int = 0
    producer_capital: float = 0.0    # million roubles at 1926/27 prices
    consumer_capital: float = 0.0
    tractors: float = 0.0            # machines at the machine-tractor stations
    urban_population: float = 0.0    # persons
    imports_left: float | None = None  # tonnes imported so far this agricultural year
    exported: float = 0.0            # tonnes exported so far this agricultural year
    income_index: float = 1.0        # price level of peasants' non-grain sales, 1926/27 = 1
    cum_plan: np.ndarray | None = None     # tonnes due so far this agricultural year, by region
    cum_procured: np.ndarray | None = None  # tonnes taken so far this agricultural year
    month_values: dict = field(default_factory=dict)   # per-month national records
    labels_skipped: int = -1         # last step when nothing read the labels, so the cadres
                                     # did not relabel (see processes.cadres.labels_read)


@dataclass
class World:
    cal: Calendar
    params: dict[str, float]
    levers: dict[str, np.ndarray]
    streams: Streams
    hh: Households
    villages: Villages
    regions: dict[str, np.ndarray]       # static region table columns
    weather: np.ndarray                  # [ag_year - first ag_year, region] historical factors
    weight: float                        # real households per simulated one
    econ: Economy
    t: int = 0                           # current step

    chunk: int = CHUNK

    @property
    def n_regions(self) -> int:
        return len(REGIONS)

    @property
    def n_strata(self) -> int:
        return len(STRATA)

    @property
    def n_chunks(self) -> int:
        return (self.hh.n + self.chunk - 1) // self.chunk

    def acc(self, k: int) -> np.ndarray:
        """A zeroed per-chunk accumulator for k household flows by region and stratum."""
        return np.zeros((max(self.n_chunks, 1), k, self.n_regions, self.n_strata))

    @property
    def n_vblocks(self) -> int:
        return max((self.villages.n + VBLOCK - 1) // VBLOCK, 1)

    def village_acc(self, k: int, strata: bool = True) -> np.ndarray:
        """A zeroed per-block accumulator for the village loops: k flows by region and
        stratum (or by region alone)."""
        return np.zeros((self.n_vblocks, k, self.n_regions, self.n_strata if strata else 1))

    def lever(self, name: str, t: int | None = None) -> float:
        return float(self.levers[name][self.t if t is None else t])

    def month_key(self, t: int | None = None) -> int:
        """Absolute month number: the time index of random draws (stable across scenarios)."""
        return self.cal.absolute(self.t if t is None else t)

    def p(self, name: str) -> float:
        return self.params[name]

    def copy(self) -> "World":
        return copy.deepcopy(self)

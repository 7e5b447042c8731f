"""What calibration compares: the record rows it may see, their weights, the distance of a
simulated record to the real one, and the simulator that produces it; plus a one-at-a-time
screen of the behavioural parameters.

    from smychka.analysis.targets import screen
    screen("history").head(10)   # the parameters that move the 1924-1929 distance most
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import data
from ..core import params as _params
from ..scenarios.loader import Scenario, load_scenario, scenario_from_toml
from .observation import OBSERVERS, obs_defaults, observe
from .periods import in_calibration_window

# series families that behaviour shapes; households, strata and the town are initial
# conditions or inputs, exports and plans are levers
TARGET_FAMILIES = ("harvest", "procurement", "marketed_grain", "prices", "disturbances",
                   "sown_area", "livestock")
MISS = 10.0   # the largest residual a row counts for (also a row the model cannot compute)


def target_rows(record: pd.DataFrame | None = None,
                families: tuple[str, ...] = TARGET_FAMILIES) -> pd.DataFrame:
    """Record rows calibration may use: in the 1924-1929 window, with an observer, and (for
    the package's record) in a behavioural family."""
    rows = data.series() if record is None else record.copy()
    if record is None:
        rows = rows[rows["family"].isin(families)]
    keep = [in_calibration_window(r.period, r.period_type) and r.series in OBSERVERS
            for r in rows.itertuples(index=False)]
    return rows[keep].reset_index(drop=True)


def row_weights(rows: pd.DataFrame) -> np.ndarray:
    """Each family weighs the same, each series the same within its family."""
    fam = rows["family"] if "family" in rows else pd.Series("all", index=rows.index)
    per_series = rows.groupby("series")["series"].transform("size")
    series_in_family = rows.groupby(fam)["series"].transform("nunique")
    return (1.0 / (per_series * series_in_family)).to_numpy(float)


def band_distance(y, y0, low, high, weights) -> float:
    """Weighted mean of |model - record| over the band's half-width on the model's side,
    each row's residual capped at MISS (an L1 distance with a cap: a few rows the model
    cannot reach do not drown the rest); a row the model cannot compute counts as MISS."""
    y, y0 = np.asarray(y, float), np.asarray(y0, float)
    side = np.where(y > y0, np.asarray(high) - y0, y0 - np.asarray(low))
    side = np.where(side > 0, side, np.maximum(np.abs(y0) * 0.05, 1e-12))
    with np.errstate(all="ignore"):
        r = np.abs(y - y0) / side
    r = np.where(np.isfinite(r), np.minimum(r, MISS), MISS)
    return float(np.sum(weights * r) / np.sum(weights))


def param_key(name: str) -> str:
    """A parameter's name as pyabc stores it (no dots)."""
    return name.replace(".", "__")


def param_name(key: str) -> str:
    return key.replace("__", ".")


class Simulator:
    """The ABC model: parameters in, the observed record rows (mean over runs) out. Holds
    only plain data, so that it travels to worker processes and Dask workers."""

    def __init__(self, scenario_toml: str, households: int, rows: pd.DataFrame, runs: int,
                 seeds: tuple[int, ...] | None, obs_params: dict[str, float]):
        self.scenario_toml, self.households, self.runs = scenario_toml, households, runs
        self.rows = rows[["series", "period", "period_type", "region", "note"]].copy()
        self.seeds, self.obs_params = seeds, obs_params
        self._sc: Scenario | None = None

    def __getstate__(self):
        return {**self.__dict__, "_sc": None}

    def simulate(self, params: dict[str, float], seed: int) -> np.ndarray:
        from .. import api

        if self._sc is None:
            self._sc = scenario_from_toml(self.scenario_toml, "calibration scenario")
        with np.errstate(all="ignore"):
            ds = api.run(self._sc, households=self.households, seed=int(seed), params=params)
            table = observe(ds, self.rows, self.obs_params)
        return np.array([m[0] if len(m) else np.nan for m in table["model"]])

    def __call__(self, par) -> dict[str, np.ndarray]:
        params = {param_name(k): float(v) for k, v in dict(par).items()}
        seeds = self.seeds or np.random.default_rng().integers(1, 2**31 - 1, self.runs)
        ys = np.array([self.simulate(params, s) for s in seeds])
        with warnings.catch_warnings():   # a row no run could compute stays NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            return {"y": np.nanmean(ys, axis=0)}



def screen(scenario: str | Scenario = "history", names: list[str] | None = None,
           households: int = 5_000, seeds: tuple[int, ...] = (1, 2),
           record: pd.DataFrame | None = None, end: str = "1929-12") -> pd.DataFrame:
    """Each behavioural parameter (or `names`) set to its lower and its upper bound, the
    others at their defaults: the distance to the 1924-1929 record, with common seeds.
    Sorted by how far the distance moves between the bounds."""
    reg = _params.registry()
    names = names or [n for n, p in reg.items() if p.calibrate]
    sc = load_scenario(scenario).with_overrides(end=end)
    rows = target_rows(record)
    sim = Simulator(sc.to_toml(), households, rows, len(seeds), seeds, obs_defaults())
    y = sim({})["y"]
    keep = np.isfinite(y)
    rows = rows[keep].reset_index(drop=True)
    w = row_weights(rows)

    def dist(params):
        return band_distance(sim(params)["y"][keep], rows["value"], rows["low"],
                             rows["high"], w)

    base = dist({})
    out = [{"parameter": n, "at defaults": base, "at low bound": dist({n: reg[n].bounds[0]}),
            "at high bound": dist({n: reg[n].bounds[1]})} for n in names]
    df = pd.DataFrame(out)
    df["moves"] = (df["at low bound"] - df["at high bound"]).abs()
    return df.sort_values("moves", ascending=False).reset_index(drop=True)

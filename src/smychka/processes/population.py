"""Synthetic population: households by region and stratum from the 1920s figures."""
from __future__ import annotations

import numpy as np

from .. import data
from ..core.params import Param
from ..core.state import Households, Villages
from ..kernels.population import initial_crop, synthesize

PARAMS = (
    Param("population.total_households", 24.0e6, "households",
          "peasant households in the USSR (each simulated household stands for total/N)",
          (1e6, 40e6), "K1"),
    Param("population.village_size", 100, "households", "households per village (commune)",
          (10, 1000), "model-estimate"),
    Param("population.land_sigma", 0.354, "log-sd", "dispersion of allotments within a stratum",
          (0.0, 1.5), "calibrated on the 1924-1929 record"),
    Param("population.money_sigma", 0.6, "log-sd", "dispersion of starting cash", (0.0, 2.0),
          "model-estimate"),
    Param("population.skill_sigma", 0.15, "log-sd",
          "dispersion of permanent farming ability between households", (0.0, 1.0),
          "model-estimate"),
    Param("population.food_months", 2.0, "months",
          "grain in store at the start of the run (July), in months of food", (0.0, 12.0),
          "model-estimate"),
)


def _largest_remainder(total: int, shares: np.ndarray) -> np.ndarray:
    raw = shares / shares.sum() * total
    out = np.floor(raw).astype(np.int64)
    order = np.argsort(-(raw - out), kind="stable")
    out[order[: total - out.sum()]] += 1
    return out


def build(world_params: dict, n: int, streams, region_table: dict, sowing_par: dict,
          loyalty_base: np.ndarray, chunk: int) -> tuple[Households, Villages]:
    """Create n households laid out region by region, villages as contiguous blocks."""
    st = data.strata()
    counts = _largest_remainder(n, region_table["household_share"])
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    hh = Households(n)
    hh.n = n
    f64 = lambda col: st[col].to_numpy(dtype=np.float64)  # noqa: E731
    synthesize(n, chunk, streams["population"], hh.region, hh.stratum, hh.persons, hh.workers,
               hh.land, hh.skill, hh.horses, hh.cattle, hh.pigs, hh.sheep, hh.money, hh.grain,
               hh.loyalty, hh.label, first, counts, f64("household_share"),
               f64("persons_mean"), f64("workers_mean") / f64("persons_mean"),
               f64("land_mean_ha"), f64("horses_mean"), f64("horseless_share"),
               f64("cattle_mean"), f64("pigs_mean"), f64("sheep_mean"), f64("money_mean_rub"),
               loyalty_base, world_params["population.land_sigma"],
               world_params["population.money_sigma"], world_params["population.skill_sigma"],
               world_params["consumption.food_kg"], world_params["population.food_months"])
    initial_crop(n, chunk, hh.region, hh.land, hh.horses, hh.workers, hh.skill, hh.sown_winter,
                 hh.sown_spring, hh.last_sown, hh.last_harvest, region_table["winter_share"],
                 region_table["base_yield"], *sowing_par)
    # villages: each region's households cut into near-equal contiguous blocks
    size = world_params["population.village_size"]
    v_region, v_first, v_count = [], [], []
    for r, (f0, c) in enumerate(zip(first, counts)):
        if c == 0:
            continue
        k = max(1, int(round(c / size)))
        sizes = _largest_remainder(int(c), np.ones(k))
        starts = f0 + np.concatenate([[0], np.cumsum(sizes)[:-1]])
        v_region += [r] * k
        v_first += list(starts)
        v_count += list(sizes)
    villages = Villages(np.array(v_region), np.array(v_first), np.array(v_count))
    hh.village[:n] = np.repeat(np.arange(villages.n, dtype=np.int32), villages.count)
    hh.fear[:] = 0.0
    hh.grievance[:] = 0.0
    return hh, villages

"""Loyalty (trust in Soviet power, willingness to sell to the state), fear and grievance."""
from __future__ import annotations

import numpy as np

from ..core.params import Param
from ..kernels.loyalty import update

PARAMS = (
    Param("loyalty.base_bednyak", 0.65, "index 0-1", "resting loyalty of poor peasants",
          (0.0, 1.0), "to be calibrated", calibrate=True),
    Param("loyalty.base_serednyak", 0.5, "index 0-1", "resting loyalty of middle peasants",
          (0.0, 1.0), "to be calibrated", calibrate=True),
    Param("loyalty.base_kulak", 0.25, "index 0-1", "resting loyalty of kulaks", (0.0, 1.0),
          "to be calibrated", calibrate=True),
    Param("loyalty.rate", 0.1, "share per month", "speed at which loyalty moves to its target",
          (0.0, 1.0), "model-estimate"),
    Param("loyalty.terms_weight", 0.3, "per unit of index",
          "loyalty gained when the terms of trade (grain price over goods price) improve",
          (0.0, 2.0), "to be calibrated", calibrate=True),
    Param("loyalty.goods_weight", 0.2, "per unit of availability",
          "loyalty lost when goods cannot be bought", (0.0, 2.0), "to be calibrated",
          calibrate=True),
    Param("loyalty.grievance_weight", 0.5, "per unit of grievance",
          "loyalty lost per unit of grievance", (0.0, 3.0), "to be calibrated", calibrate=True),
    Param("loyalty.fear_decay", 0.1, "share per month", "fading of fear", (0.0, 1.0),
          "model-estimate"),
    Param("loyalty.grievance_decay", 0.02, "share per month",
          "fading of grievance (a half-life of years)", (0.0, 1.0), "model-estimate"),
)


def base(p: dict) -> np.ndarray:
    return np.array([p["loyalty.base_bednyak"], p["loyalty.base_serednyak"],
                     p["loyalty.base_kulak"]])


def step(world, rec) -> None:
    p, hh, e = world.params, world.hh, world.econ
    terms = 1.0 / np.maximum(e.scissors, 1e-6)
    update(hh.n, world.chunk, hh.status, hh.region, hh.stratum, hh.loyalty, hh.fear,
           hh.grievance, base(p), terms, e.goods_availability, p["loyalty.rate"],
           p["loyalty.terms_weight"], p["loyalty.goods_weight"], p["loyalty.fear_decay"],
           p["loyalty.grievance_decay"], p["loyalty.grievance_weight"])

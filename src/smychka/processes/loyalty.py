"""Loyalty (trust in Soviet power, willingness to sell to the state), fear and grievance, with
contagion inside the village, and peasant disturbances."""
from __future__ import annotations

import numpy as np

from ..core.params import Param
from ..kernels import VBLOCK
from ..kernels.loyalty import update

PARAMS = (
    Param("loyalty.base_bednyak", 0.6076, "index 0-1", "resting loyalty of poor peasants",
          (0.0, 1.0), "to be calibrated", calibrate=True),
    Param("loyalty.base_serednyak", 0.5, "index 0-1", "resting loyalty of middle peasants",
          (0.0, 1.0), "to be calibrated", calibrate=True),
    Param("loyalty.base_kulak", 0.3663, "index 0-1", "resting loyalty of kulaks", (0.0, 1.0),
          "to be calibrated", calibrate=True),
    Param("loyalty.base_kolkhoznik", 0.3872, "index 0-1", "resting loyalty of kolkhoz members",
          (0.0, 1.0), "to be calibrated", calibrate=True),
    Param("loyalty.rate", 0.1, "share per month", "speed at which loyalty moves to its target",
          (0.0, 1.0), "model-estimate"),
    Param("loyalty.terms_weight", 0.3701, "per unit of index",
          "loyalty gained when the terms of trade (grain price over goods price) improve",
          (0.0, 2.0), "to be calibrated", calibrate=True),
    Param("loyalty.goods_weight", 0.1665, "per unit of availability",
          "loyalty lost when goods cannot be bought", (0.0, 2.0), "to be calibrated",
          calibrate=True),
    Param("loyalty.fear_weight", 0.184, "per unit of fear", "loyalty lost per unit of fear",
          (0.0, 3.0), "to be calibrated", calibrate=True),
    Param("loyalty.grievance_weight", 0.1332, "per unit of grievance",
          "loyalty lost per unit of grievance", (0.0, 3.0), "calibrated on the 1924-1929 record", calibrate=True),
    Param("loyalty.contagion", 0.05852, "share per month",
          "pull of the village's mean loyalty on each household", (0.0, 0.5),
          "to be calibrated", calibrate=True),
    Param("loyalty.fear_decay", 0.1, "share per month", "fading of fear", (0.0, 1.0),
          "model-estimate"),
    Param("loyalty.grievance_decay", 0.03, "share per month",
          "fading of grievance (a half-life of years)", (0.0, 1.0), "model-estimate"),
    Param("loyalty.disturbance_base", 2e-5, "per village per month",
          "rate of disturbances in a village without grievance or coercion (about 60 a year "
          "in the USSR of 1926-27)", (0.0, 0.01), "V1"),
    Param("loyalty.disturbance_grievance", 5.097, "per unit of mean grievance (log rate)",
          "rise of the disturbance rate with the village's mean grievance", (0.0, 30.0),
          "calibrated on the 1924-1929 record", calibrate=True),
    Param("loyalty.disturbance_hits", 4.964, "per share of households hit (log rate)",
          "rise of the disturbance rate with the share of households hit this month",
          (0.0, 30.0), "calibrated on the 1924-1929 record", calibrate=True),
    Param("loyalty.participation", 0.35, "share of village persons",
          "share of a village's people taking part in a disturbance (about 190 per event in "
          "1929)", (0.0, 1.0), "V1"),
)


def base(p: dict) -> np.ndarray:
    return np.array([p["loyalty.base_bednyak"], p["loyalty.base_serednyak"],
                     p["loyalty.base_kulak"], p["loyalty.base_kolkhoznik"]])


def step(world, rec) -> None:
    p, hh, e, v = world.params, world.hh, world.econ, world.villages
    terms = 1.0 / np.maximum(e.scissors, 1e-6)
    acc = world.village_acc(2)
    update(v.n, VBLOCK, world.streams["loyalty.disturbances"], world.month_key(), v.first,
           v.count, v.region, v.hits, v.disturbances, hh.status, hh.stratum, hh.persons,
           hh.loyalty, hh.fear, hh.grievance, base(p), terms, e.goods_availability,
           p["loyalty.rate"], p["loyalty.terms_weight"], p["loyalty.goods_weight"],
           p["loyalty.fear_weight"], p["loyalty.grievance_weight"], p["loyalty.contagion"],
           p["loyalty.fear_decay"], p["loyalty.grievance_decay"],
           p["loyalty.disturbance_base"], p["loyalty.disturbance_grievance"],
           p["loyalty.disturbance_hits"], p["loyalty.participation"], acc)
    sums = acc.sum(axis=0).sum(axis=2) * world.weight
    rec.set_region(world.t, "disturbances", sums[0])
    rec.set_region(world.t, "disturbance_participants", sums[1])

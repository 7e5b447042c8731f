"""The centre: the coercion level in force, from the scenario's dated lever and, when the
scenario makes it reactive, from the centre's own reaction to the campaign and the village.

When cumulative procurement lags the plan's schedule by more than a threshold for some months,
the centre escalates a step (purchase -> legal enforcement -> extraordinary measures ->
village quotas -> blacklists). When disturbances pass a threshold it retreats a step, blames
the executors (zeal falls) and forgives part of the grievance.
"""
from __future__ import annotations

import numpy as np

from ..core.params import Param

PARAMS = (
    Param("centre.reactive", 0, "0/1", "1: the centre's reaction function sets coercion (at "
          "least the lever's level); 0: the dated lever alone", (0, 1), "model switch"),
    Param("centre.escalate_shortfall", 0.2, "share of the plan to date",
          "lag behind the plan's schedule that counts as failure", (0.0, 1.0),
          "model-estimate"),
    Param("centre.escalate_months", 2, "months", "months of failure before escalating a step",
          (1, 24), "model-estimate"),
    Param("centre.retreat_disturbances", 150.0, "disturbances per month",
          "national disturbances in a month that make the centre retreat a step",
          (1.0, 100000.0), "model-estimate"),
    Param("centre.blame", 0.5, "share", "cut of cadres' zeal when the centre blames them",
          (0.0, 1.0), "model-estimate"),
    Param("centre.forgive", 0.3, "share", "share of grievance forgiven in a retreat",
          (0.0, 1.0), "model-estimate"),
    Param("centre.cooldown_months", 6, "months",
          "months after a retreat before the centre escalates again", (0, 60),
          "model-estimate"),
    Param("centre.market_closure", 0.7, "share",
          "share of private trade closed while extraordinary measures are in force",
          (0.0, 1.0), "model-estimate"),
)

LADDER = (0.0, 0.3, 0.6, 0.8, 1.0)
CLOSE_FROM = 0.6


def _step_up(level: float) -> float:
    return next((x for x in LADDER if x > level + 1e-9), LADDER[-1])


def _step_down(level: float) -> float:
    lower = [x for x in LADDER if x < level - 1e-9]
    return lower[-1] if lower else 0.0


def shortfall(world) -> float:
    """1 - procurement so far this agricultural year / the plan due so far (national)."""
    e = world.econ
    if e.cum_plan is None or e.cum_plan.sum() <= 0:
        return 0.0
    return 1.0 - e.cum_procured.sum() / e.cum_plan.sum()


def step(world, rec) -> None:
    p, e, t = world.params, world.econ, world.t
    lever = world.lever("coercion")
    e.months_since_retreat += 1
    if p["centre.reactive"] >= 0.5 and t > 0:
        month = world.cal.month_of_year(t)
        behind = shortfall(world) > p["centre.escalate_shortfall"] and month not in (7, 8)
        e.months_behind = e.months_behind + 1 if behind else 0
        unrest = np.nansum(rec.r["disturbances"][t - 1])
        if unrest > p["centre.retreat_disturbances"] and e.centre_level > 0:
            retreat(world)
        elif (e.months_behind >= p["centre.escalate_months"]
              and e.months_since_retreat > p["centre.cooldown_months"]):
            e.centre_level = _step_up(max(e.centre_level, lever))
            e.months_behind = 0
        e.coercion = max(lever, e.centre_level)
    else:
        e.coercion = lever
    closed = p["centre.market_closure"] if e.coercion >= CLOSE_FROM else 0.0
    e.private_trade = world.lever("private_trade") * (1.0 - closed)
    rec.set_national(t, "coercion", e.coercion)


def retreat(world) -> None:
    """Blame the executors: a step down, cadres' zeal cut, part of the grievance forgiven."""
    p, e, hh = world.params, world.econ, world.hh
    e.centre_level = _step_down(e.centre_level)
    e.months_since_retreat = 0
    e.retreats += 1
    world.villages.zeal *= 1.0 - p["centre.blame"]
    hh.grievance[: hh.n] *= np.float32(1.0 - p["centre.forgive"])

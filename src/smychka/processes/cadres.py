"""Village cadres: zeal, capture by private traders ("double power"), and labels.

Zeal rises toward a target set by the coercion level and by purges, and falls when the centre
blames the executors. Capture grows with private trade where control is lax, diverts grain
from the state channel and softens coercion on the well-off; purges (from extraordinary
measures on) cut it.
"""
from __future__ import annotations

import numpy as np

from ..core.params import Param
from ..kernels.cadres import relabel
from ..kernels.harvest import lognormal_shocks

PARAMS = (
    Param("cadres.zeal_base", 0.2, "index 0-1", "zeal of village cadres under NEP",
          (0.0, 1.0), "model-estimate"),
    Param("cadres.zeal_pressure", 0.9388, "per unit of coercion",
          "zeal gained per unit of the coercion level", (0.0, 2.0), "calibrated on the 1924-1929 record",
          calibrate=True),
    Param("cadres.zeal_rate", 0.3, "share per month", "speed at which zeal moves to its target",
          (0.0, 1.0), "model-estimate"),
    Param("cadres.zeal_sigma", 0.3, "log-sd", "dispersion of zeal between villages",
          (0.0, 1.5), "model-estimate"),
    Param("cadres.capture_start", 0.2, "index 0-1", "mean capture of cadres in 1924",
          (0.0, 1.0), "model-estimate"),
    Param("cadres.capture_growth", 0.0137, "per month at free private trade",
          "growth of capture with private trade where control is lax", (0.0, 0.5),
          "to be calibrated", calibrate=True),
    Param("cadres.capture_purge", 0.2, "share per month",
          "capture removed each month by purges (from extraordinary measures on)",
          (0.0, 1.0), "model-estimate"),
    Param("cadres.capture_divert", 0.3, "share",
          "share of a household's state sales that captured cadres divert to traders",
          (0.0, 1.0), "model-estimate"),
    Param("cadres.poor_label_factor", 0.3, "ratio",
          "how often a poor peasant is labelled a kulak's henchman, relative to a middle "
          "peasant of the same harvest", (0.0, 2.0), "model-estimate"),
    Param("cadres.wealth_ref_kg", 8000.0, "kg", "harvest at which a middle peasant is "
          "labelled with the base error rate (the chance falls with the square of the "
          "harvest below it)", (100.0, 50000.0), "model-estimate"),
    Param("cadres.miss_captured", 0.5, "share",
          "chance that fully captured cadres leave a kulak unlabelled", (0.0, 1.0),
          "model-estimate"),
)

PURGE_FROM = 0.6


def initialise(world) -> None:
    """Cadres at the start: zeal and capture dispersed around their means, by village."""
    p, v = world.params, world.villages
    spread = lognormal_shocks(world.streams["cadres.start"], 0, v.n, p["cadres.zeal_sigma"])
    v.zeal[:] = np.clip(p["cadres.zeal_base"] * spread, 0.0, 1.0)
    v.capture[:] = np.clip(p["cadres.capture_start"] / spread, 0.0, 1.0)
    v.zeal_spread[:] = spread


def step(world, rec) -> None:
    p, v, e = world.params, world.villages, world.econ
    c = e.coercion
    target = np.clip((p["cadres.zeal_base"] + p["cadres.zeal_pressure"] * c) * v.zeal_spread,
                     0.0, 1.0)
    v.zeal += p["cadres.zeal_rate"] * (target - v.zeal)
    pt = e.private_trade
    v.capture += p["cadres.capture_growth"] * pt * (1.0 - v.capture)
    if c >= PURGE_FROM:
        v.capture *= 1.0 - p["cadres.capture_purge"]
    hh = world.hh
    if labels_read(world):
        relabel(hh.n, world.chunk, world.streams["cadres.label"], world.cal.ag_year(world.t),
                hh.status, hh.village, hh.stratum, hh.label, hh.last_harvest, v.zeal,
                v.capture, world.lever("label_error"), p["cadres.poor_label_factor"],
                p["cadres.wealth_ref_kg"], p["cadres.miss_captured"])
    else:
        e.labels_skipped = world.t
    rec.set_region(world.t, "zeal", _by_region(world, v.zeal))
    rec.set_region(world.t, "capture", _by_region(world, v.capture))


def labels_read(world) -> bool:
    """Whether anything reads the labels this month: the campaign and dekulakization do.

    Relabelling writes every individual household's label from its stratum, last harvest,
    the village's zeal and capture and one draw per agricultural year, never from the old
    label, so in a month when neither reads them it can wait for the next month that does.
    Members keep the label they had when they joined (the campaign reads it), so in such a
    month the households that join get theirs from collectivize, as relabel would have
    given it (`Economy.labels_skipped`); the results are the same as relabelling every month.
    """
    from . import campaign, collectivization
    return campaign.active(world) or collectivization.dekulakization_rate(world) > 0


def _by_region(world, x: np.ndarray) -> np.ndarray:
    v = world.villages
    w = np.bincount(v.region, weights=v.count, minlength=world.n_regions)
    s = np.bincount(v.region, weights=x * v.count, minlength=world.n_regions)
    return np.divide(s, w, out=np.zeros_like(s), where=w > 0)

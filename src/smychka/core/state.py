"""State tables: households as a struct of arrays, villages and regions as small tables.

Households have a fixed capacity and a live count `n`; a household that leaves (death,
deportation, flight) is flagged by `status`, never deleted mid-run, so slots are permanent and
random draws keyed on a slot stay comparable across scenarios. Each variable has the smallest
dtype that holds it.
"""
from __future__ import annotations

import numpy as np

# status codes: households with status <= MEMBER live in the village; the others have left
# it (their slot stays, flagged)
INDIVIDUAL, MEMBER, DEPORTED, FLED, EXTINCT = 0, 1, 2, 3, 4

# name -> dtype; the order is the layout of the table
HOUSEHOLD_FIELDS: dict[str, np.dtype] = {
    "region": np.uint8, "village": np.int32, "stratum": np.uint8, "label": np.uint8,
    "status": np.uint8, "persons": np.uint8, "workers": np.uint8,
    "land": np.float32,          # arable allotment, ha
    "leased": np.float32,        # allotment ha leased for the year: > 0 in, < 0 out
    "skill": np.float32,         # permanent farming ability, mean 1
    "sown_winter": np.float32, "sown_spring": np.float32,   # ha standing for the next harvest
    "last_sown": np.float32,     # ha harvested at the last harvest
    "last_harvest": np.float32,  # kg harvested at the last harvest
    "horses": np.uint8, "cattle": np.uint8, "pigs": np.uint8, "sheep": np.uint8,
    "grain": np.float32,         # kg, visible stock
    "hidden": np.float32,        # kg, hidden stock
    "money": np.float32,         # roubles
    "tax_due": np.float32,       # roubles still owed
    "seed_debt": np.float32,     # kg of seed grain owed to the state (seed loans)
    "loyalty": np.float32, "fear": np.float32, "grievance": np.float32,
    "offer_state": np.float32, "offer_private": np.float32,  # kg offered this month
    "goods_wish": np.float32,    # roubles the household wants to spend on goods this month
    "fed_pct": np.uint8,         # share of livestock fodder need met this month, percent
    "hunger_pct": np.uint8,      # share of the family's food need unmet this month, percent
    "weakness": np.float32,      # smoothed hunger: lost work capacity, 0-1
    "scratch": np.float32,       # per-step scratch; its meaning is set by the process using it
}


class Households:
    """Struct of arrays with fixed capacity; `n` live slots from 0."""

    def __init__(self, capacity: int):
        self.capacity = int(capacity)
        self.n = 0
        for name, dt in HOUSEHOLD_FIELDS.items():
            setattr(self, name, np.zeros(self.capacity, dtype=dt))

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in HOUSEHOLD_FIELDS}

    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.arrays().values())

    def snapshot(self) -> dict[str, np.ndarray]:
        """Copies of all arrays (for forking a run)."""
        return {k: v[: self.n].copy() for k, v in self.arrays().items()}


class Villages:
    """Villages: contiguous blocks of households inside a region, with their cadres."""

    def __init__(self, region: np.ndarray, first: np.ndarray, count: np.ndarray):
        self.region = region.astype(np.uint8)
        self.first = first.astype(np.int64)   # first household slot
        self.count = count.astype(np.int64)
        nv = len(self.region)
        self.zeal = np.zeros(nv)              # cadres' zeal, 0-1
        self.zeal_spread = np.ones(nv)        # a village's permanent zeal multiplier
        self.capture = np.zeros(nv)           # cadres' capture by private traders, 0-1
        self.blacklisted = np.zeros(nv, dtype=np.uint8)
        self.hits = np.zeros(nv)              # share of households hit by coercion this month
        self.arbitrary = np.zeros(nv)         # share of households hit arbitrarily this month
        self.disturbances = np.zeros(nv)      # disturbances this month
        # the village's kolkhoz (one per village, empty until households join)
        self.k_members = np.zeros(nv)         # member households
        self.k_workers = np.zeros(nv)         # members' workers
        self.k_land = np.zeros(nv)            # pooled land, ha
        self.k_horses = np.zeros(nv)          # pooled horses, head
        self.k_cattle = np.zeros(nv)          # pooled cattle, head
        self.k_grain = np.zeros(nv)           # collective grain stock, kg
        self.k_sown_winter = np.zeros(nv)     # ha
        self.k_sown_spring = np.zeros(nv)     # ha
        self.k_last_sown = np.zeros(nv)       # ha harvested at the last harvest
        self.k_due = np.zeros(nv)             # compulsory deliveries still owed this year, kg
        self.tractor_ha = np.zeros(nv)        # area the machine-tractor station ploughs, ha
        self.alive = self.count.astype(np.float64)   # households still living in the village

    @property
    def n(self) -> int:
        return len(self.region)

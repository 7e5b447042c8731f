"""A point search of parameters against the 1924-1929 record: the quick counterpart of the
ABC calibration, and how the model's calibrated defaults were found.

    from smychka.analysis.search import search
    s = search("history", ["marketing.sale_rate", "livestock.want_pig"], evaluations=100)
    s.best          # the parameter values of the closest candidate
    s.trace         # every candidate: distance, counts, values

A (1+1) evolution strategy: from the current values, perturb one to three parameters
(multiplicatively or by a share of their range), keep the candidate if it is closer to the
record, widen the steps after a success and narrow them after a failure. Every candidate runs
the same seeds (common random numbers), so a difference between candidates is the parameters'.
Those are seeds 1001, 1002, ... by default, not the seeds 1, 2, ... that `validate` starts
from: a search also fits the noise of its own runs, and a validation on the same runs would
count that as fit.

The distance is the validation's: for every observed row of the calibration window, how far
the model's median lies outside the record's band, in half-widths of the band (0 inside),
capped; half of it weighs each family of series equally, half each row. One plausibility
constraint from the same years is added: no mass famine was recorded in 1924-1929, so famine
deaths over July 1924 - June 1929 above `famine_limit` add (deaths - limit) / limit.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..core import params as _params
from ..errors import InputError
from .targets import row_weights
from .validate import seed_ensemble, validate
from .workers import shared_workers, worker_count

CAP = 10.0          # the largest excess a row counts for
# candidates run on seeds of their own, so that a validation on the usual seeds is not scored
# on the very runs the parameters were chosen on (a search fits its seeds' noise too)
SEARCH_SEED = 1001
WINDOW_END = "1929-12"


def window_distance(rows: pd.DataFrame) -> float:
    """Distance of the observed calibration-window rows (median, value, low, high, family)."""
    w = rows[rows["verdict"].isin(["fits", "near", "misses"])]
    med, y0 = w["median"].to_numpy(float), w["value"].to_numpy(float)
    lo, hi = w["low"].to_numpy(float), w["high"].to_numpy(float)
    inside = (med >= lo) & (med <= hi)
    side = np.where(med > y0, hi - y0, y0 - lo)
    side = np.where(side > 0, side, np.abs(y0) * 0.05 + 1e-12)
    # outside the band: half a unit for leaving it, then the distance in half-widths
    r = np.where(inside, 0.0, np.minimum(np.abs(med - y0) / side - 0.5, CAP))
    wt = row_weights(w)
    return 0.5 * float(np.sum(wt * r) / np.sum(wt)) + 0.5 * float(np.mean(r))


@dataclass
class SearchResult:
    scenario: str
    names: list[str]
    best: dict[str, float]             # the closest candidate's values of `names`
    distance: float
    trace: pd.DataFrame                # one row per candidate
    info: dict = field(default_factory=dict)

    def toml(self) -> str:
        import tomli_w

        i = self.info
        head = [
            "# Parameters found by a point search against the 1924-1929 record (smychka search).",
            f"# Scenario {self.scenario}; {len(self.trace)} candidates, {i['households']:,} "
            f"households, {i['seeds']} runs each on common seeds; smychka {__version__}.",
            f"# Distance {self.trace['distance'].iloc[0]:.4g} at the start, "
            f"{self.distance:.4g} at the end; rows {i['counts']}.",
            f"# Use: smychka run {self.scenario} --params search.toml", ""]
        return "\n".join(head) + tomli_w.dumps({"params": self.best})

    def write(self, folder: str | Path) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.trace.to_csv(folder / "trace.csv", index=False)
        (folder / "search.toml").write_text(self.toml(), encoding="utf-8")
        return folder / "search.toml"


def _bounds(names, bounds) -> dict[str, tuple[float, float]]:
    reg = _params.registry()
    out = {}
    for n in names:
        _params.check_param(n, reg[n].default if n in reg else 0.0, "--param")
        lo, hi = (bounds or {}).get(n, reg[n].bounds)
        if not reg[n].bounds[0] <= lo < hi <= reg[n].bounds[1]:
            raise InputError(f"bounds.{n}", f"({lo}, {hi}) is not inside the parameter's "
                             "bounds", f"within {reg[n].bounds}")
        out[n] = (float(lo), float(hi))
    return out


def search(scenario: str = "history", names: list[str] | None = None,
           bounds: dict[str, tuple[float, float]] | None = None, start: dict | None = None,
           households: int = 20_000, seeds: int = 2, evaluations: int = 200,
           seconds: float | None = None, rng_seed: int = 0, famine_limit: float = 1e5,
           first_seed: int = SEARCH_SEED, progress: bool = False,
           workers: int | None = None) -> SearchResult:
    """Search `names` (default: every behavioural parameter) within `bounds` (default: the
    parameters' own) from `start` (default: the defaults), for `evaluations` candidates or
    `seconds`, whichever ends first. `workers`: processes running each candidate's seeds
    side by side, started once for the whole search (the results do not depend on it)."""
    reg = _params.registry()
    names = list(names or [n for n, p in reg.items() if p.calibrate])
    box = _bounds(names, bounds)
    cur = {n: float((start or {}).get(n, reg[n].default)) for n in names}
    rng = np.random.default_rng(rng_seed)

    def evaluate(values):
        ds = seed_ensemble(scenario, seeds, households, values, end=WINDOW_END, seed=first_seed,
                           workers=workers)
        rows = validate(scenario, ds=ds, params=values).window("calibration")
        f = ds["famine_deaths"].sel(time=slice("1924-07-01", "1929-06-01"))
        famine = float(f.sum([d for d in f.dims if d != "seed"]).mean())
        d = window_distance(rows) + max(famine - famine_limit, 0.0) / famine_limit
        counts = rows["verdict"].value_counts()
        return d, {k: int(counts.get(k, 0)) for k in ("fits", "near", "misses")}, famine

    with shared_workers(worker_count(workers, seeds)):   # one pool for every candidate
        t0 = time.perf_counter()
        d, counts, famine = evaluate(cur)
        trace = [{"candidate": 0, "accepted": True, "distance": d, **counts, "famine": famine,
                  **cur}]
        best_d, best_counts, sig = d, counts, 1.0
        for k in range(1, evaluations):
            if seconds is not None and time.perf_counter() - t0 > seconds:
                break
            cand = dict(cur)
            for n in rng.choice(names, size=min(len(names), int(rng.integers(1, 4))),
                                replace=False):
                lo, hi = box[n]
                x = cand[n]
                if x > 0 and rng.random() < 0.6:
                    x *= np.exp(0.15 * sig * rng.normal())
                else:
                    x += (hi - lo) * 0.05 * sig * rng.normal()
                cand[n] = float(np.clip(x, lo, hi))
            d, counts, famine = evaluate(cand)
            ok = d < best_d
            trace.append({"candidate": k, "accepted": ok, "distance": d, **counts,
                          "famine": famine, **cand})
            if ok:
                cur, best_d, best_counts, sig = cand, d, counts, min(sig * 1.5, 3.0)
            else:
                sig = max(sig * 0.9, 0.2)
            if progress:
                print(f"candidate {k}: distance {d:.4g} (best {best_d:.4g}, {best_counts})",
                      flush=True)
                if ok:   # an interrupted search still leaves its best point in the log
                    print("  best: " + ", ".join(f"{n}={cur[n]:.4g}" for n in names), flush=True)
    info = {"households": households, "seeds": seeds,
            "counts": best_counts, "seconds": time.perf_counter() - t0}
    best = {n: cur[n] for n in names}
    return SearchResult(scenario=str(scenario), names=names, best=best, distance=best_d,
                        trace=pd.DataFrame(trace), info=info)

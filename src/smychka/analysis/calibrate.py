"""Calibration: approximate Bayesian computation (ABC-SMC, pyabc) of behavioural parameters
against the historical series of 1924-1929, read through the observation model.

    from smychka.analysis.calibrate import calibrate
    cal = calibrate("history", budget="small", folder="runs/calibration")
    cal.calibrated        # {parameter: value}, the values of calibrated.toml
    cal.summary()         # prior, posterior median and 90 % credible interval per parameter
    cal.checks            # the candidates for the calibrated set, run again: best first

Each particle draws parameter values from uniform priors over their declared bounds, runs the
scenario up to December 1929 (the years after are a test calibration never sees) `runs`
times with fresh seeds (or with the fixed `seeds`: common random numbers), averages what the
statistics would have reported, and is scored by its distance to the record: the weighted
mean of each row's absolute residual over the half-width of its band on that side, each
family of series weighing the same and each series the same within its family.

pyabc and dask are the `experiments` extra; they are imported only here, when needed.
"""
from __future__ import annotations

import logging
import os
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import tomli_w

from .. import __version__
from ..core import params as _params
from ..core.calendar import format_month, parse_month
from ..errors import InputError
from ..scenarios.loader import Scenario, load_scenario
from .observation import obs_defaults
from .periods import CALIBRATION_END_DEFAULT, parse_period
from .targets import (Simulator, band_distance, param_key, param_name, row_weights,
                      target_rows)

# The behavioural parameters that move the 1924-1929 distance most when set to either bound
# one at a time (`targets.screen`); the price elasticities of sales and sowing barely move it.
# The harvest scale, once on this list, is now derived from the observation model; the
# channel sensitivity of sales takes its place.
DEFAULT_PARAMS = (
    "marketing.sale_rate", "marketing.state_preference", "marketing.hoarding_goods",
    "marketing.hoarding_war", "sowing.normal_use", "marketing.channel_sensitivity",
    "market.goods_supply_base", "campaign.search_base", "loyalty.disturbance_grievance",
)
INSTALL_HINT = 'pip install "smychka[experiments]"'


@dataclass(frozen=True)
class Budget:
    households: int      # simulated households per run
    population: int      # particles per generation
    generations: int     # ABC-SMC generations
    runs: int            # runs averaged per particle


BUDGETS = {"small": Budget(3_000, 40, 4, 2), "large": Budget(20_000, 200, 10, 3)}


class MissingExtra(RuntimeError):
    """An optional dependency of the command is not installed."""


# --- parameter files -------------------------------------------------------------------

def _flatten(table: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in table.items():
        name = f"{prefix}{k}"
        out.update(_flatten(v, name + ".") if isinstance(v, dict) else {name: v})
    return out


def read_params_file(path: str | Path) -> dict[str, float]:
    """Parameter values from a TOML file: a `[params]` table (as calibrate writes), or
    dotted names at the top level; every name and value is checked against the schema."""
    path = Path(path)
    key = f"--params {path}"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(key, "no such file", "a TOML file of parameter values") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(key, f"cannot be read ({e.__class__.__name__})",
                         "a TOML file of parameter values") from None
    except tomllib.TOMLDecodeError as e:
        raise InputError(key, f"invalid TOML ({e})", "a TOML file of parameter values") from None
    table = raw["params"] if "params" in raw else raw
    values = _flatten(table) if isinstance(table, dict) else {}
    if not values:
        raise InputError(key, "holds no parameter values",
                         '[params] with lines such as "marketing.sale_rate" = 0.2')
    return {k: _params.check_param(k, v, f"{key}: params.{k}") for k, v in values.items()}


# --- what is calibrated, against what ---------------------------------------------------

def check_params(names) -> list[str]:
    """The behavioural parameters to calibrate: the defaults that exist, or `names`."""
    reg = _params.registry()
    if not names:
        return [n for n in DEFAULT_PARAMS if n in reg and reg[n].calibrate]
    out = []
    for n in names:
        _params.check_param(n, reg[n].default if n in reg else 0.0, "--param")
        if not reg[n].calibrate:
            behavioural = ", ".join(k for k, p in reg.items() if p.calibrate)
            raise InputError("--param", f"{n} is not a behavioural parameter", behavioural)
        if n not in out:
            out.append(n)
    return out


def weighted_quantile(x, w, q):
    order = np.argsort(x)
    x, w = np.asarray(x, float)[order], np.asarray(w, float)[order]
    cdf = (np.cumsum(w) - 0.5 * w) / np.sum(w)
    return np.interp(q, cdf, x)


@dataclass
class Calibration:
    """The outcome: the last generation's particles, what they say, and the parameter set
    chosen for use: of the posterior median, the closest particles and the defaults, the
    one closest to the record when each is run again with the same seeds (`checks`)."""

    scenario: str
    names: list[str]
    targets: pd.DataFrame            # the record rows used, with their weights
    posterior: pd.DataFrame          # one row per particle: parameters, weight, distance
    generations: pd.DataFrame        # t, epsilon, samples, wall time
    budget: Budget
    seconds: float
    checks: pd.DataFrame | None = None   # candidate, distance, parameters; best first
    db: Path | None = None
    info: dict = field(default_factory=dict)

    def median(self) -> dict[str, float]:
        w = self.posterior["weight"]
        return {n: float(weighted_quantile(self.posterior[n], w, 0.5)) for n in self.names}

    @property
    def calibrated(self) -> dict[str, float]:
        """The chosen parameter set (the posterior median when nothing was checked)."""
        if self.checks is None or self.checks.empty:
            return self.median()
        return {n: float(self.checks[n].iloc[0]) for n in self.names}

    @property
    def choice(self) -> str:
        return "posterior median" if self.checks is None else str(
            self.checks["candidate"].iloc[0])

    def summary(self) -> pd.DataFrame:
        reg, w, rows, chosen = _params.registry(), self.posterior["weight"], [], self.calibrated
        for n in self.names:
            lo, med, hi = weighted_quantile(self.posterior[n], w, [0.05, 0.5, 0.95])
            b = reg[n].bounds
            rows.append({"parameter": n, "default": reg[n].default, "low bound": b[0],
                         "high bound": b[1], "prior median": (b[0] + b[1]) / 2,
                         "posterior median": med, "5 %": lo, "95 %": hi,
                         "calibrated": chosen[n]})
        return pd.DataFrame(rows)

    def toml(self) -> str:
        head = [
            "# Behavioural parameters calibrated by ABC-SMC (smychka calibrate).",
            f"# Scenario {self.scenario}; {len(self.generations)} generations of "
            f"{self.budget.population} particles; {self.budget.households:,} households, "
            f"{self.budget.runs} run(s) per particle;",
            f"# {len(self.targets)} record rows of {self.targets['series'].nunique()} series, "
            "1924-1929 only; final epsilon "
            f"{self.generations['epsilon'].iloc[-1]:.4g}; smychka {__version__}.",
            f"# The values below: the {self.choice}, the closest to the record of:",
        ]
        if self.checks is not None:
            head += [f"#   {r.candidate}: distance {r.distance:.4g}"
                     for r in self.checks.itertuples(index=False)]
        head += ["# Posterior medians and 90 % credible intervals:"]
        head += [f"#   {r['parameter']}: {r['posterior median']:.4g} ({r['5 %']:.4g} to "
                 f"{r['95 %']:.4g})" for _, r in self.summary().iterrows()]
        head += [f"# Use: smychka run {self.scenario} --params calibrated.toml", ""]
        return "\n".join(head) + tomli_w.dumps({"params": self.calibrated})

    def write(self, folder: str | Path) -> Path:
        """posterior.csv, generations.csv, targets.csv, summary.csv, checks.csv and
        calibrated.toml."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.posterior.to_csv(folder / "posterior.csv", index=False)
        self.generations.to_csv(folder / "generations.csv", index=False)
        self.targets.to_csv(folder / "targets.csv", index=False)
        self.summary().to_csv(folder / "summary.csv", index=False)
        if self.checks is not None:
            self.checks.to_csv(folder / "checks.csv", index=False)
        (folder / "calibrated.toml").write_text(self.toml(), encoding="utf-8")
        return folder / "calibrated.toml"


def check_candidates(cal: Calibration, simulator: Simulator, seeds, record: pd.DataFrame,
                     closest: int = 3) -> pd.DataFrame:
    """The posterior median, the `closest` particles and the defaults, each run again with
    the same `seeds`; their distances to the record, best first."""
    reg = _params.registry()
    best = cal.posterior.sort_values("distance").head(closest)
    cands = {"posterior median": cal.median()}
    for i, (_, r) in enumerate(best.iterrows()):
        cands[f"particle {i + 1} of the last generation (distance {r['distance']:.4g})"] = {
            n: float(r[n]) for n in cal.names}
    cands["defaults"] = {n: reg[n].default for n in cal.names}
    sim = Simulator(simulator.scenario_toml, simulator.households, record, len(seeds),
                    tuple(seeds), simulator.obs_params)
    y0, low, high, w = (record[c].to_numpy(float) for c in ("value", "low", "high", "weight"))
    rows = [{"candidate": label, "distance": band_distance(sim(p)["y"], y0, low, high, w), **p}
            for label, p in cands.items()]
    return pd.DataFrame(rows).sort_values("distance", kind="stable").reset_index(drop=True)


def _import_pyabc():
    try:
        import pyabc
    except ImportError:
        raise MissingExtra(f"calibrate needs pyabc, which is not installed: {INSTALL_HINT}"
                           ) from None
    return pyabc


def _sampler(pyabc, scheduler: str | None, workers: int | None):
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise MissingExtra(f"--scheduler needs dask.distributed: {INSTALL_HINT}") from None
        try:
            client = Client(scheduler, timeout=30)
        except (OSError, TimeoutError) as e:
            raise InputError("--scheduler", f"cannot reach {scheduler} ({e})",
                             "the address of a running Dask scheduler, e.g. tcp://host:8786"
                             ) from None
        return pyabc.sampler.DaskDistributedSampler(dask_client=client, batch_size=1)
    n = workers or os.cpu_count() or 1
    if n <= 1:
        return pyabc.sampler.SingleCoreSampler()
    return pyabc.sampler.MulticoreEvalParallelSampler(n_procs=n)


def calibrate(scenario: str | Path | Scenario = "history", params: list[str] | None = None,
              budget: str | Budget = "small", *, scheduler: str | None = None,
              folder: str | Path | None = None, record: pd.DataFrame | None = None,
              households: int | None = None, population: int | None = None,
              generations: int | None = None, runs: int | None = None,
              seeds: tuple[int, ...] | None = None, workers: int | None = None,
              obs_params: dict[str, float] | None = None, progress: bool = True,
              check: bool = True, **fields) -> Calibration:
    """ABC-SMC of `params` (default DEFAULT_PARAMS) against `record` (default: the package's
    1924-1929 series). The pyabc database goes to `folder` (else a temporary file). `fields`
    override the scenario (start, end); runs never go past December 1929. With `check`, the
    posterior median, the closest particles and the defaults are run again with common
    seeds and the closest to the record becomes the calibrated set."""
    pyabc = _import_pyabc()
    if isinstance(budget, str):
        if budget not in BUDGETS:
            raise InputError("--budget", f"unknown budget {budget!r}", ", ".join(BUDGETS))
        budget = BUDGETS[budget]
    budget = Budget(households or budget.households, population or budget.population,
                    generations or budget.generations, len(seeds) if seeds else
                    (runs or budget.runs))
    names = check_params(params)
    base = load_scenario(scenario, **fields)
    rows = target_rows(record)
    if rows.empty:
        raise InputError("record", "no record row lies in the 1924-1929 window", None)
    last = min(parse_month(base.end), max(parse_period(r.period, r.period_type).last
                                          for r in rows.itertuples(index=False)),
               parse_month(CALIBRATION_END_DEFAULT))
    sc = base.with_overrides(end=format_month(last))
    p_obs = {**obs_defaults(), **(obs_params or {})}

    if "note" not in rows:
        rows["note"] = ""
    # a pilot run keeps only the rows this span and model can observe; a second one times
    # a run once the kernels are compiled
    pilot = Simulator(sc.to_toml(), budget.households, rows, 1, None, p_obs)
    y = pilot.simulate({}, seeds[0] if seeds else sc.seed)
    t0 = time.perf_counter()
    pilot.simulate({}, sc.seed + 1)
    run_s = time.perf_counter() - t0
    rows = rows[np.isfinite(y)].reset_index(drop=True)
    if rows.empty:
        raise InputError("record", "the model observes none of the record rows", None)
    rows["weight"] = row_weights(rows)
    model = Simulator(sc.to_toml(), budget.households, rows, budget.runs, seeds, p_obs)
    y0, low, high, w = (rows[c].to_numpy(float) for c in ("value", "low", "high", "weight"))

    def distance(x, x0):
        return band_distance(x["y"], x0["y"], low, high, w)

    reg = _params.registry()
    prior = pyabc.Distribution(**{param_key(n): pyabc.RV("uniform", reg[n].bounds[0],
                                                    reg[n].bounds[1] - reg[n].bounds[0])
                                  for n in names})
    logging.getLogger("ABC").setLevel(logging.INFO if progress else logging.WARNING)
    sampler = _sampler(pyabc, scheduler, workers)
    if progress:
        # about 3.5 proposals per accepted particle, plus the calibration sample
        guess = (run_s * budget.runs * budget.population * (1 + 3.5 * budget.generations)
                 / (getattr(sampler, "n_procs", None) or 1))
        print(f"calibrating {len(names)} parameters on {len(rows)} record rows; a run takes "
              f"{run_s:.1f} s here, the whole calibration perhaps {guess / 60:.0f} min",
              flush=True)
    abc = pyabc.ABCSMC(model, prior, distance, population_size=budget.population,
                       sampler=sampler)
    db = Path(folder) / "abc.db" if folder else None
    if db is not None:
        db.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = db or Path(tmp) / "abc.db"
        abc.new(f"sqlite:///{db_path.resolve()}", {"y": y0})
        t0 = time.perf_counter()
        history = abc.run(max_nr_populations=budget.generations)
        seconds = time.perf_counter() - t0
        pop = history.get_population()
        posterior = pd.DataFrame([{**{param_name(k): float(v) for k, v in p.parameter.items()},
                                   "weight": p.weight, "distance": p.distance}
                                  for p in pop.particles])
        gens = history.get_all_populations()
        gens = gens[gens["t"] >= 0][["t", "epsilon", "samples", "particles",
                                     "wall_time"]].reset_index(drop=True)
        total = int(history.total_nr_simulations)
    cal = Calibration(scenario=sc.name, names=names, targets=rows.drop(columns=["note"]),
                      posterior=posterior[names + ["weight", "distance"]],
                      generations=gens, budget=budget, seconds=seconds, db=db,
                      info={"simulations": total, "seconds_per_run": run_s,
                            "finished": datetime.now().isoformat(timespec="seconds")})
    if check:
        check_seeds = seeds or tuple(range(sc.seed, sc.seed + 2 * budget.runs))
        cal.checks = check_candidates(cal, model, check_seeds, rows)
        if progress:
            print(f"chosen: {cal.choice}", flush=True)
    return cal

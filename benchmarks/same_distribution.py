"""Do two versions of smychka give the same results in distribution?

For changes to the kernels that alter results at rounding level (a vectorised `exp`, float32
decisions, another generator of draws), where the bit-for-bit comparison no longer applies.
Both versions run the same scenario on the same seeds, each in its own interpreter and numba
cache; every recorded variable is reduced to its national total, averaged over each
agricultural year, and compared year by year:

* paired t: the difference candidate - baseline on each seed, its mean over its standard error;
* the same statistic between unrelated runs of the baseline (seed k against seed k+1), as a
  check of what chance alone gives with this many cells;
* a cell counts as different when |t| exceeds the Bonferroni bound (1 % over all cells, t with
  seeds - 1 degrees of freedom); a variable with no spread across seeds and a nonzero
  difference counts as different.

    git worktree add /tmp/base <commit>
    python benchmarks/same_distribution.py --baseline /tmp/base/src --seeds 20 --households 20000

The candidate is this repository's `src` unless `--candidate` names another source tree.
Nothing is asserted: it prints the counts and the cells with the largest |t|.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def yearly_totals(ds) -> tuple[list[str], dict[str, np.ndarray]]:
    """Labels of the agricultural years, and {variable: [year] national total averaged over
    the year's months}."""
    from smychka.report._data import agricultural_years

    years = agricultural_years(ds)
    out = {}
    for name, da in ds.data_vars.items():
        if "time" not in da.dims:
            continue
        x = np.nan_to_num(da.sum([d for d in da.dims if d != "time"]).values.astype(np.float64))
        out[name] = np.array([x[idx].mean() for _, idx in years])
    return [label for label, _ in years], out


def child(out: str, scenario: str, seeds: list[int], households: int) -> None:
    import smychka

    rows = []
    for seed in seeds:
        labels, totals = yearly_totals(smychka.run(scenario, households=households, seed=seed))
        rows.append(totals)
    names = sorted(rows[0])
    data = {n: np.stack([r[n] for r in rows]).tolist() for n in names}
    Path(out).write_text(json.dumps({"version": smychka.__file__, "years": labels,
                                     "data": data}))


def run_version(src: Path, label: str, scenario: str, seeds: list[int], households: int,
                work: Path) -> tuple[list[str], dict[str, np.ndarray]]:
    out = work / f"{label}.json"
    env = dict(os.environ, PYTHONPATH=str(src), NUMBA_CACHE_DIR=str(work / f"cache_{label}"))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(out),
           "--scenario", scenario, "--households", str(households),
           "--seed-list", ",".join(map(str, seeds))]
    subprocess.run(cmd, env=env, check=True)
    got = json.loads(out.read_text())
    print(f"  {label}: smychka from {Path(got['version']).parent}")
    return got["years"], {k: np.array(v) for k, v in got["data"].items()}


def paired_t(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """[year] mean of b - a over the seeds, over its standard error (0 where all equal)."""
    d = b - a
    mean = d.mean(axis=0)
    se = d.std(axis=0, ddof=1) / np.sqrt(d.shape[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se > 0, mean / se, np.where(mean == 0, 0.0, np.inf))
    return t


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", type=Path, help="source tree of the baseline (its src folder)")
    ap.add_argument("--candidate", type=Path, default=HERE.parent / "src")
    ap.add_argument("--scenario", default="history")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first", type=int, default=1, help="first seed")
    ap.add_argument("--households", type=int, default=20_000)
    ap.add_argument("--alpha", type=float, default=0.01, help="over all cells (Bonferroni)")
    ap.add_argument("--show", type=int, default=10, help="cells with the largest |t| to print")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--seed-list", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        child(a.child, a.scenario, [int(s) for s in a.seed_list.split(",")], a.households)
        return
    if a.baseline is None:
        ap.error("--baseline is required: the src folder of the version to compare against")
    if a.seeds < 3:
        ap.error(f"--seeds {a.seeds}: a paired t needs at least 3 seeds")
    from scipy import stats

    seeds = list(range(a.first, a.first + a.seeds + 1))   # one more for the unrelated pairs
    print(f"{a.scenario}, seeds {seeds[0]}-{seeds[-2]}, {a.households:,} households")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        years, base = run_version(a.baseline, "baseline", a.scenario, seeds, a.households,
                                  work)
        _, cand = run_version(a.candidate, "candidate", a.scenario, seeds[:-1], a.households,
                              work)
    names = sorted(set(base) & set(cand))
    only = sorted(set(base) ^ set(cand))
    cells = sum(base[n].shape[1] for n in names)
    bound = stats.t.ppf(1 - a.alpha / 2 / cells, a.seeds - 1)
    identical = sum(int(np.sum(np.all(base[n][:-1] == cand[n], axis=0))) for n in names)
    found, chance = [], 0
    for n in names:
        t = paired_t(base[n][:-1], cand[n])
        for y in np.flatnonzero(np.abs(t) > bound):
            found.append((abs(t[y]), n, y, base[n][:-1, y].mean(), cand[n][:, y].mean()))
        chance += int(np.sum(np.abs(paired_t(base[n][:-1], base[n][1:])) > bound))
    print(f"{len(names)} variables x years = {cells} cells"
          + (f"; recorded by one version only: {', '.join(only)}" if only else ""))
    print(f"identical on every seed (bit for bit): {identical} cells")
    print(f"|t| > {bound:.2f} (Bonferroni, {a.alpha:g} over {cells} cells, t with "
          f"{a.seeds - 1} df): candidate against baseline {len(found)} cells; "
          f"unrelated runs of the baseline {chance} cells")
    found.sort(reverse=True)
    if found:
        print(f"  {'variable':32s} {'year':8s} baseline mean  candidate mean  difference      |t|")
        for t, n, y, mb, mc in found[: a.show]:
            rel = (mc - mb) / abs(mb) if mb else np.inf
            print(f"  {n:32s} {years[y]:8s} {mb:13.5g}  {mc:14.5g}  {rel:+10.2%}"
                  f"  {t:7.1f}")


if __name__ == "__main__":
    main()

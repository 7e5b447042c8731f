"""An ensemble run with 1, 2, ... worker processes: wall time, runs per minute, and whether
the results are the same.

    python benchmarks/ensemble_workers.py                          # 6 seeds of 100,000
    python benchmarks/ensemble_workers.py --seeds 4 --households 250000 --workers 1,2
    python benchmarks/ensemble_workers.py --search 10 --seeds 2 --households 20000

With --search K, a parameter search of K candidates is timed instead (each candidate an
ensemble of --seeds runs to December 1929; its workers start once for the whole search).

The runs of an ensemble are independent, so on a machine with idle cores the workers should
divide the wall time by up to their number; what they cost is a fresh interpreter each
(import and the kernels loaded from numba's cache) and memory for one run each. Both kinds of
kernels (serial and multi-threaded) are loaded by small runs first, so compilation is not in
the figures; the load average is printed, since other work on the machine takes cores from
the workers.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import time

from machine import cpu_model


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenario", default="history")
    ap.add_argument("--seeds", type=int, default=6)
    ap.add_argument("--households", type=int, default=100_000)
    ap.add_argument("--workers", default="1,2", help="worker counts to time, e.g. 1,2,4")
    ap.add_argument("--search", type=int, default=0, metavar="K",
                    help="time a search of K candidates instead of one ensemble")
    args = ap.parse_args(argv)

    import numba

    import smychka
    from smychka.analysis.ensemble import run_ensemble
    from smychka.analysis.search import search

    counts = [int(w) for w in args.workers.split(",")]
    seeds = list(range(1, args.seeds + 1))
    months = smychka.load_scenario(args.scenario).calendar().n_months
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, numba {numba.__version__}; smychka "
          f"{smychka.__version__}")
    what = (f"a search of {args.search} candidates, each" if args.search else "an ensemble of")
    print(f"scenario {args.scenario}, {what} {len(seeds)} seeds x {args.households:,} "
          f"households" + ("" if args.search else f" x {months} months"))
    for parallel in (False, True):   # load (or compile) both kinds of kernels
        smychka.run(args.scenario, households=1_000, seed=1, parallel=parallel)
    first = None
    for w in counts:
        load = os.getloadavg()[0]
        cpu0, t0 = _cpu_seconds(), time.perf_counter()
        if args.search:
            out = search(args.scenario, ["marketing.sale_rate", "livestock.want_pig"],
                         households=args.households, seeds=len(seeds),
                         evaluations=args.search, rng_seed=1, workers=w).trace
            same_as = (lambda a, b: a.equals(b))
            runs = args.search * len(seeds)
        else:
            out = run_ensemble(args.scenario, seeds, households=args.households, workers=w)
            same_as = (lambda a, b: a.identical(b))
            runs = len(seeds)
        wall, cpu = time.perf_counter() - t0, _cpu_seconds() - cpu0
        if first is None:
            first, same = out, "(the reference)"
        else:
            same = (f"identical to those of {counts[0]} worker(s)" if same_as(out, first)
                    else f"DIFFERENT from those of {counts[0]} worker(s)")
        print(f"workers {w}: {wall:7.1f} s wall, {cpu:7.1f} CPU s, "
              f"{runs / wall * 60:5.1f} runs a minute; load before {load:.1f}; "
              f"results {same}", flush=True)


if __name__ == "__main__":
    main()

"""Wall time, throughput and peak memory of `smychka.run` at growing population sizes.

    python benchmarks/run_scale.py                      # 100,000 and 1,000,000 households
    python benchmarks/run_scale.py --sizes 100000 --end 1927-06
    python benchmarks/run_scale.py --cold                # compile into an empty numba cache

Each size runs in a fresh interpreter, so peak memory (the resident set size reported by
getrusage) belongs to that size alone. A warm-up run at 10,000 households comes first: it
compiles the kernels (or loads them from numba's disk cache) and its extra time over a second,
warm run is reported as "first-run compile". Every timed interpreter also loads the kernels
with a tiny run before the clock starts, so the times below are simulation only.
Nothing here is asserted: the figures depend on the machine, which is printed with them.
"""
from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from machine import cpu_model


def _scenario(name: str, end: str | None):
    import smychka
    sc = smychka.load_scenario(name)
    return sc.with_overrides(end=end) if end else sc


def _parallel_kwargs(households: int) -> dict:
    """The kernel variant the engine picks for this size, where the API offers the choice."""
    import smychka
    if "parallel" not in inspect.signature(smychka.run).parameters:
        return {}
    from smychka.core import simulation
    threshold = getattr(simulation, "PARALLEL_FROM", None)
    return {} if threshold is None else {"parallel": households >= threshold}


def _timed_run(sc, households: int, seed: int, **kw) -> tuple[float, int]:
    import smychka
    t0 = time.perf_counter()
    ds = smychka.run(sc, households=households, seed=seed, **kw)
    return time.perf_counter() - t0, int(ds.sizes["time"])


def child(args) -> None:
    """One measurement in this interpreter; prints one JSON line."""
    import numba
    sc = _scenario(args.scenario, args.end)
    out = {"households": args.child, "threads": int(numba.config.NUMBA_NUM_THREADS)}
    if args.warmup:
        # compile (or load) the kernels, then time a warm run of the same size
        first, months = _timed_run(sc, args.child, args.seed)
        warm, _ = _timed_run(sc, args.child, args.seed)
        out.update(first=first, warm=warm, compile=max(first - warm, 0.0), months=months,
                   parallel=_parallel_kwargs(args.child).get("parallel"))
        if "parallel" in inspect.signature(__import__("smychka").run).parameters:
            # the multi-threaded twins, which the engine picks for large populations
            small = min(args.child, 1000)
            p1, _ = _timed_run(sc, small, args.seed, parallel=True)
            p2, _ = _timed_run(sc, small, args.seed, parallel=True)
            out["compile_parallel"] = max(p1 - p2, 0.0)
    else:
        kw = _parallel_kwargs(args.child)
        from smychka.core.calendar import format_month, parse_month
        year = sc.with_overrides(end=format_month(min(parse_month(sc.start) + 11,
                                                      parse_month(sc.end))))
        _timed_run(year, 1000, args.seed, **kw)       # load the kernels before the clock
        wall, months = _timed_run(sc, args.child, args.seed)
        out.update(wall=wall, months=months, parallel=kw.get("parallel"))
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print("RESULT " + json.dumps(out), flush=True)


def _spawn(args, households: int, warmup: bool, env: dict | None = None) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--child", str(households),
           "--scenario", args.scenario, "--seed", str(args.seed)]
    if args.end:
        cmd += ["--end", args.end]
    if warmup:
        cmd.append("--warmup")
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    lines = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        sys.exit(f"run at {households:,} households failed:\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT "):])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="100000,1000000",
                    help="comma-separated household counts (default 100000,1000000)")
    ap.add_argument("--warmup-size", type=int, default=10_000)
    ap.add_argument("--scenario", default="history")
    ap.add_argument("--end", default=None, help="last month YYYY-MM (default: the scenario's)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cold", action="store_true",
                    help="compile into an empty numba cache, so the compile time is a true "
                         "first compile rather than a load from the disk cache")
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--warmup", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child is not None:
        child(args)
        return

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    env = {}
    if args.cold:
        env["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="smychka-numba-")
    try:
        _measure(args, sizes, env)
    finally:
        if args.cold:
            shutil.rmtree(env["NUMBA_CACHE_DIR"], ignore_errors=True)


def _measure(args, sizes: list[int], env: dict) -> None:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    warm = _spawn(args, args.warmup_size, warmup=True, env=env)
    print(f"machine: {cpu_model()}, {cores} cores usable ({os.cpu_count()} online), "
          f"NUMBA_NUM_THREADS={warm['threads']}, Python {platform.python_version()}")
    if hasattr(os, "getloadavg"):
        print("load average at start (other work on the machine skews the times): "
              + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    span = f"until {args.end}" if args.end else "full span"
    print(f"scenario: {args.scenario} ({span}, {warm['months']} months), seed {args.seed}")
    what = "first-run compile" if args.cold else "first-run compile (or cache load)"
    print(f"{what}, at {args.warmup_size:,} households: "
          f"{warm['compile']:.1f} s  (first run {warm['first']:.1f} s, warm run "
          f"{warm['warm']:.1f} s)")
    if "compile_parallel" in warm:
        print(f"{what} of the multi-threaded kernels: "
              f"{warm['compile_parallel']:.1f} s")
    print()
    header = (f"{'households':>12} {'kernels':>9} {'wall s':>9} {'hh-months/s':>13} "
              f"{'peak RSS MB':>12}")
    print(header)
    print("-" * len(header))
    _row(dict(warm, wall=warm["warm"]))
    for n in sizes:
        _row(_spawn(args, n, warmup=False, env=env))
    print()
    print("The first row is the warm-up size (its warm run; its memory includes the compiler).")


def _row(r: dict) -> None:
    kind = {None: "default", True: "parallel", False: "serial"}[r.get("parallel")]
    rate = r["households"] * r["months"] / r["wall"]
    print(f"{r['households']:>12,} {kind:>9} {r['wall']:>9.2f} {rate:>13,.0f} "
          f"{r['peak_rss_mb']:>12,.0f}", flush=True)


if __name__ == "__main__":
    main()

"""Time and peak memory of a whole run at growing population sizes, each in a fresh process.

    python benchmarks/scaling_curve.py                         # 10^4 ... 2.5x10^7 (long)
    python benchmarks/scaling_curve.py --sizes 10000,100000,1000000
    python benchmarks/scaling_curve.py --mode cli --sizes 25000000 --timeout 2400

Two modes:

* ``api`` (default): the child interpreter imports smychka, loads the compiled kernels with a
  small run, then times ``smychka.run(scenario, households=N)`` alone (building the population
  and the 120 monthly steps). Its peak resident set (getrusage ru_maxrss) is the whole
  interpreter's, compiler included; the memory before the timed run is printed as well.
* ``cli``: the child starts ``smychka run SCENARIO --households N --quiet --out TMP`` and
  measures it from outside: wall time from start to exit (import, kernel cache load,
  simulation, writing results.nc and the report) and the command's peak resident set. This
  is the figure a user sees.

Compilation (``--compile``): a first interpreter runs with NUMBA_CACHE_DIR set to an empty
temporary folder, so every kernel is compiled from scratch; a second interpreter then runs
with that same, now filled, cache. Each reports, from the moment it was launched: the import
of smychka, building the population, the end of the first monthly step ("time to first
step") and the end of a first year and of the whole run, serial kernels first, then the
parallel twins on the same small population. The compile time is the first interpreter's
excess over the second's.

    python benchmarks/scaling_curve.py --compile              # at 10,000 households

Every size runs alone, one after the other. CPU seconds (user + system of the measured
process) are printed beside the wall time, with the machine's one-minute load average before
and after: on a shared machine the wall time of a run grows with the others' load, its CPU
time much less. Results are merged into
benchmarks/results/scaling.csv (a row per mode and size; a new measurement replaces an old
one of the same mode and size) and drawn in benchmarks/results/scaling.png.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from machine import cpu_model

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
CSV_PATH = RESULTS / "scaling.csv"
PNG_PATH = RESULTS / "scaling.png"
FIELDS = ("mode", "households", "months", "kernels", "wall_s", "cpu_s", "hh_months_per_s",
          "peak_rss_mb", "rss_before_mb", "load_before", "load_after", "cpu", "cores", "date")
DEFAULT_SIZES = "10000,100000,1000000,10000000,25000000"


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _rss_now_mb() -> float:
    try:
        with open("/proc/self/status", encoding="utf-8") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return float("nan")


# ---------------------------------------------------------------------------------- children

def child_api(args) -> None:
    import smychka
    from smychka.core import simulation
    sc = smychka.load_scenario(args.scenario)
    if args.end:
        sc = sc.with_overrides(end=args.end)
    n = args.child
    parallel = n >= simulation.PARALLEL_FROM
    # load (or compile) every kernel the timed run will use: the same months, 1,000 households
    smychka.run(sc, households=1000, seed=args.seed, parallel=parallel)
    before = _rss_now_mb()
    c0 = time.process_time()
    t0 = time.perf_counter()
    ds = smychka.run(sc, households=n, seed=args.seed)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    out = {"households": n, "months": int(ds.sizes["time"]), "wall_s": wall,
           "kernels": "parallel" if parallel else "serial", "rss_before_mb": before,
           "cpu_s": cpu,
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}
    print("RESULT " + json.dumps(out), flush=True)


def child_cli(args) -> None:
    exe = shutil.which("smychka", path=str(Path(sys.executable).parent)) or shutil.which("smychka")
    if exe is None:
        sys.exit("the smychka command is not installed next to this Python")
    tmp = Path(tempfile.mkdtemp(prefix="smychka-scale-"))
    cmd = [exe, "run", args.scenario, "--households", str(args.child), "--seed",
           str(args.seed), "--quiet", "--out", str(tmp / "out")]
    if args.end:
        sys.exit("--end is not available in cli mode (the command runs the whole scenario)")
    try:
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.exit(f"smychka run failed:\n{proc.stderr[-3000:]}")
        months = 120
        try:
            import xarray as xr
            with xr.open_dataset(tmp / "out" / "results.nc", engine="h5netcdf") as ds:
                months = int(ds.sizes["time"])
        except Exception:   # noqa: BLE001 - the month count is informative only
            pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    from smychka.core import simulation
    out = {"households": args.child, "months": months, "wall_s": wall,
           "kernels": "parallel" if args.child >= simulation.PARALLEL_FROM else "serial",
           "rss_before_mb": float("nan"),
           "cpu_s": (resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
                     + resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime),
           # the only child of this interpreter is the smychka command
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0}
    print("RESULT " + json.dumps(out), flush=True)


def child_compile(args) -> None:
    """Milestones of one interpreter, in seconds since the parent launched it."""
    launched = args.launched
    marks = {"interpreter": time.time() - launched}
    c_start = time.process_time()
    import smychka
    from smychka.core.simulation import Simulation
    marks["import"] = time.time() - launched
    sc = smychka.load_scenario(args.scenario)
    for par in (False, True):
        tag = "parallel" if par else "serial"
        t0 = time.time()
        sim = Simulation(sc, households=args.child, seed=args.seed, parallel=par)
        marks[f"{tag} build"] = time.time() - t0
        sim.step()
        marks[f"{tag} first step"] = time.time() - t0
        while sim.world.t < 12:
            sim.step()
        marks[f"{tag} first year"] = time.time() - t0
        sim.run()
        marks[f"{tag} whole run"] = time.time() - t0
        marks[f"{tag} cpu"] = time.process_time() - c_start
        c_start = time.process_time()
    marks["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print("RESULT " + json.dumps(marks), flush=True)


def compile_report(args) -> None:
    cache = tempfile.mkdtemp(prefix="smychka-numba-cache-")
    n = args.compile_households
    print(f"machine: {cpu_model()}, {cores()} cores, Python {platform.python_version()}; "
          f"{n:,} households, scenario {args.scenario}")
    res = {}
    try:
        for run in ("cold cache", "warm cache"):
            env = {**os.environ, "NUMBA_CACHE_DIR": cache}
            cmd = [sys.executable, os.path.abspath(__file__), "--child", str(n), "--mode",
                   "compile", "--scenario", args.scenario, "--seed", str(args.seed),
                   "--launched", repr(time.time())]
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env,
                                  timeout=args.timeout)
            lines = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
            if proc.returncode != 0 or not lines:
                sys.exit(f"{run} run failed:\n{proc.stderr[-3000:]}")
            res[run] = json.loads(lines[-1][len("RESULT "):])
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    cold, warm = res["cold cache"], res["warm cache"]
    print(f"{'seconds since launch':<34} {'cold cache':>11} {'warm cache':>11} {'compile':>9}")
    rows = [("interpreter up", "interpreter"), ("smychka imported", "import")]
    for key, label in rows:
        print(f"{key:<34} {cold[label]:>11.2f} {warm[label]:>11.2f}")
    for tag in ("serial", "parallel"):
        print(f"{tag} kernels (from the start of this part)")
        for label in ("build", "first step", "first year", "whole run"):
            k = f"{tag} {label}"
            print(f"  {label:<32} {cold[k]:>11.2f} {warm[k]:>11.2f} {cold[k] - warm[k]:>9.2f}")
    for tag in ("serial", "parallel"):
        print(f"CPU seconds, {tag} part{' (with the import)' if tag == 'serial' else ''}: "
              f"cold {cold[tag + ' cpu']:.1f}, warm {warm[tag + ' cpu']:.1f}")
    ttfs = warm["import"] + warm["serial first step"]
    print(f"\nfirst-run compile of the serial kernels (whole run, cold minus warm): "
          f"{cold['serial whole run'] - warm['serial whole run']:.1f} s")
    print(f"first-run compile of the parallel twins: "
          f"{cold['parallel whole run'] - warm['parallel whole run']:.1f} s")
    print(f"second run's start, launch to the end of the first step, warm cache: {ttfs:.2f} s "
          f"(cold cache: {cold['import'] + cold['serial first step']:.2f} s)")


# ------------------------------------------------------------------------------------ parent

def spawn(args, n: int) -> dict | None:
    cmd = [sys.executable, os.path.abspath(__file__), "--child", str(n), "--mode", args.mode,
           "--scenario", args.scenario, "--seed", str(args.seed)]
    if args.end:
        cmd += ["--end", args.end]
    load_before = os.getloadavg()[0]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        print(f"{n:>12,}  timed out after {args.timeout} s", flush=True)
        return None
    lines = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        print(f"{n:>12,}  failed:\n{proc.stderr[-2000:]}", flush=True)
        return None
    r = json.loads(lines[-1][len("RESULT "):])
    r["hh_months_per_s"] = r["households"] * r["months"] / r["wall_s"]
    r["load_before"], r["load_after"] = load_before, os.getloadavg()[0]
    return r


def load_rows() -> list[dict]:
    if not CSV_PATH.exists():
        return []
    with open(CSV_PATH, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def save_rows(rows: list[dict]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows = sorted(rows, key=lambda r: (r["mode"], int(r["households"])))
    with open(CSV_PATH, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in FIELDS})


def plot(rows: list[dict]) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
    for mode, marker in (("api", "o"), ("cli", "s")):
        rs = sorted((r for r in rows if r["mode"] == mode), key=lambda r: int(r["households"]))
        if not rs:
            continue
        n = [int(r["households"]) for r in rs]
        label = {"api": "smychka.run (simulation)", "cli": "smychka run (command, with output)"}[mode]
        wall = [float(r["wall_s"]) for r in rs]
        cpu = [float(r["cpu_s"]) if r.get("cpu_s") not in (None, "") else float("nan")
               for r in rs]
        months = [int(r["months"]) for r in rs]
        line, = axes[0].loglog(n, wall, marker=marker, label=label + ", wall")
        axes[0].loglog(n, cpu, marker=marker, ls="--", color=line.get_color(), mfc="none",
                       label=label + ", CPU (all threads)")
        axes[1].loglog(n, [float(r["peak_rss_mb"]) / 1024.0 for r in rs], marker=marker,
                       label=label)
        axes[2].semilogx(n, [x * m / w / 1e6 for x, m, w in zip(n, months, wall)],
                         marker=marker, color=line.get_color(), label=label + ", per wall s")
        axes[2].semilogx(n, [x * m / c / 1e6 for x, m, c in zip(n, months, cpu)],
                         marker=marker, ls="--", mfc="none", color=line.get_color(),
                         label=label + ", per CPU s")
    allr = sorted(rows, key=lambda r: int(r["households"]))
    if allr:   # linear growth through the largest measured point, for reference
        big = allr[-1]
        xs = [int(r["households"]) for r in allr]
        k = float(big["cpu_s"] or big["wall_s"]) / int(big["households"])
        axes[0].loglog(xs, [k * x for x in xs], ":", color="grey", label="linear in N (CPU)")
    axes[0].axhline(180, color="red", lw=0.8, ls="--", label="3 minutes")
    axes[1].axhline(8, color="red", lw=0.8, ls="--", label="8 GB")
    axes[0].set(xlabel="households", ylabel="seconds", title="Time, July 1924 - June 1934")
    axes[1].set(xlabel="households", ylabel="peak resident memory (GB)", title="Peak memory")
    axes[2].set(xlabel="households", ylabel="million household-months per second",
                title="Throughput")
    for ax, loc in zip(axes, ("upper left", "upper left", "lower right")):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7, loc=loc)
    host = rows[-1].get("cpu", "") if rows else ""
    loads = [float(r["load_before"]) for r in rows if r.get("load_before") not in (None, "")]
    busy = (f"; machine shared, load average {min(loads):.0f}-{max(loads):.0f}: CPU seconds "
            "are the robust figure" if loads and max(loads) > 1.5 else "")
    fig.suptitle((f"smychka scaling on {host}, {rows[-1].get('cores', '?')} cores{busy}")
                 if rows else "")
    fig.tight_layout()
    fig.savefig(PNG_PATH, dpi=110)
    plt.close(fig)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default=DEFAULT_SIZES,
                    help=f"comma-separated household counts (default {DEFAULT_SIZES})")
    ap.add_argument("--mode", choices=("api", "cli", "compile"), default="api",
                    help="api (default) or cli")
    ap.add_argument("--compile", action="store_true",
                    help="measure first-run compilation and the warm-cache start instead")
    ap.add_argument("--compile-households", type=int, default=10_000)
    ap.add_argument("--launched", type=float, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--scenario", default="history")
    ap.add_argument("--end", default=None, help="last month YYYY-MM (api mode only)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=3600.0,
                    help="seconds allowed to each size (default 3600)")
    ap.add_argument("--max-gb", type=float, default=None,
                    help="skip sizes whose expected memory (100 bytes per household plus "
                         "1 GB) exceeds this")
    ap.add_argument("--no-save", action="store_true", help="print only; leave the CSV alone")
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child is not None:
        {"api": child_api, "cli": child_cli, "compile": child_compile}[args.mode](args)
        return
    if args.compile:
        compile_report(args)
        return

    sizes = [int(float(s.replace("_", ""))) for s in args.sizes.split(",") if s.strip()]
    host, ncores = cpu_model(), cores()
    print(f"machine: {host}, {ncores} cores, Python {platform.python_version()}")
    print(f"scenario: {args.scenario}{' until ' + args.end if args.end else ''}, seed "
          f"{args.seed}, mode {args.mode}")
    head = (f"{'households':>12} {'kernels':>9} {'wall s':>9} {'CPU s':>9} {'hh-months/s':>13} "
            f"{'peak RSS MB':>12} {'RSS before MB':>14} {'load':>10}")
    print(head)
    print("-" * len(head), flush=True)
    rows = load_rows()
    for n in sizes:
        if args.max_gb is not None and (n * 100 / 1e9 + 1.0) > args.max_gb:
            print(f"{n:>12,}  skipped (--max-gb {args.max_gb})")
            continue
        r = spawn(args, n)
        if r is None:
            continue
        print(f"{n:>12,} {r['kernels']:>9} {r['wall_s']:>9.2f} {r['cpu_s']:>9.2f} "
              f"{r['hh_months_per_s']:>13,.0f} {r['peak_rss_mb']:>12,.0f} "
              f"{r['rss_before_mb']:>14,.0f} {r['load_before']:>4.1f}/{r['load_after']:<4.1f}",
              flush=True)
        r.update(mode=args.mode, cpu=host, cores=ncores, date=time.strftime("%Y-%m-%d"))
        rows = [x for x in rows if not (x["mode"] == args.mode
                                        and int(x["households"]) == n)] + [r]
        if not args.no_save:
            save_rows(rows)
    if not args.no_save and rows:
        plot(load_rows())
        print(f"\nwritten: {CSV_PATH.relative_to(HERE.parent)}, "
              f"{PNG_PATH.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()

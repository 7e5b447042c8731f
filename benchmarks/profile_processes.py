"""CPU time of each process and each kernel per household-month, and the share spent outside
the kernels (Python and numpy around them).

    python benchmarks/profile_processes.py --households 250000
    python benchmarks/profile_processes.py --households 1000000 --end 1926-06 --reps 2

Serial kernels unless --parallel. The kernels are loaded by a small run of the same months
first, so compilation is not in the figures. Times are CPU seconds of this process (all
threads), so another process on the machine inflates them less than wall time; to compare two
versions of the code, run this script on each in turn, several times, alternating (the
other version as an exported copy: PYTHONPATH=/path/to/copy/src python benchmarks/...).
"""
from __future__ import annotations

import argparse
import collections
import os
import platform
import time

from machine import cpu_model
from roofline import Probe, run_plan


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--households", type=int, default=250_000)
    ap.add_argument("--scenario", default="history")
    ap.add_argument("--end", default=None, help="last month (default: the scenario's)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=1, help="timed runs, one after the other")
    ap.add_argument("--parallel", action="store_true", help="the multi-threaded kernels")
    ap.add_argument("--label", default="", help="a name for the version measured, printed")
    args = ap.parse_args(argv)

    import numba

    import smychka
    from smychka.core.simulation import Simulation

    sc = smychka.load_scenario(args.scenario)
    if args.end:
        sc = sc.with_overrides(end=args.end)
    months = sc.calendar().n_months
    n = args.households
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"numba {numba.__version__}; smychka {smychka.__version__} {args.label}")
    print(f"scenario {sc.name}, {sc.start} to {sc.end} ({months} months), {n:,} households, "
          f"{'parallel' if args.parallel else 'serial'} kernels")
    probe = Probe()
    probe.process = "population"
    run_plan(Simulation(sc, households=min(n, 1000), seed=args.seed,
                        parallel=args.parallel), probe)
    hm = n * months
    for rep in range(args.reps):
        probe.kernel_time.clear()
        probe.kernel_cpu.clear()
        probe.kernel_calls.clear()
        probe.process = "population"
        sim = Simulation(sc, households=n, seed=args.seed, parallel=args.parallel)
        probe.kernel_cpu.clear()            # the population's kernels are not part of a month
        timer, cpu_timer = collections.Counter(), collections.Counter()
        load0 = os.getloadavg()[0]
        c0, t0 = time.process_time(), time.perf_counter()
        run_plan(sim, probe, timer, cpu_timer)
        cpu, wall = time.process_time() - c0, time.perf_counter() - t0
        kern = sum(probe.kernel_cpu.values())
        print(f"\nrun {rep + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU, "
              f"{1e9 * cpu / hm:.1f} CPU ns per household-month; load {load0:.2f} before, "
              f"{os.getloadavg()[0]:.2f} after")
        print(f"   in kernels {kern:.2f} s CPU; outside them {cpu - kern:.2f} s "
              f"({1e9 * (cpu - kern) / hm:.1f} ns per household-month, "
              f"{100 * (cpu - kern) / cpu:.0f} %)")
        print(f"   {'process':<17} {'CPU s':>7} {'ns/hh-mo':>9}")
        for proc, c in sorted(cpu_timer.items(), key=lambda x: -x[1]):
            print(f"   {proc:<17} {c:7.2f} {1e9 * c / hm:9.1f}")
        print(f"   {'kernel':<34} {'CPU s':>7} {'ns/hh-mo':>9} {'calls':>6}")
        for (proc, k), c in sorted(probe.kernel_cpu.items(), key=lambda x: -x[1]):
            print(f"   {proc + '.' + k:<34} {c:7.2f} {1e9 * c / hm:9.1f} "
                  f"{probe.kernel_calls[(proc, k)]:>6}")
    probe.close()


if __name__ == "__main__":
    main()

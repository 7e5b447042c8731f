"""How close a run comes to the memory-bandwidth bound, and where its time goes.

    python benchmarks/roofline.py                          # full scale (if memory allows), one year
    python benchmarks/roofline.py --households 1000000 --end 1934-06   # the whole run at 10^6
    python benchmarks/roofline.py --households 250000 --serial

Three parts, printed in turn:

1. Household state touched per household-month. A probe run on a small population (the
   same months) records, for every kernel call, which household arrays (HOUSEHOLD_FIELDS)
   it receives and which of them it changes. Bytes = itemsize of every array received (read
   once) plus itemsize of every array changed (written back once). Summed per process of
   the step plan, per calendar month, and averaged over the months run. Work outside the
   kernels (numpy on whole arrays, e.g. the tax threshold's partition) is not counted.
2. The machine's memory bandwidth: copies of arrays far larger than the caches, with numpy
   (one thread) and with a numba prange loop (all threads); a copy moves 2 bytes per byte
   copied (read and write).
3. The timed run at the chosen size: each process of the step plan (and each kernel) timed
   as Simulation.step calls it, then bytes / time against the bandwidth. A fraction near 1
   means the process streams memory as fast as the machine allows; far below 1, it is bound
   by computation (or by latency) and could go faster.
"""
from __future__ import annotations

import argparse
import collections
import os
import platform
import time

import numpy as np
from machine import cpu_model

FULL_SCALE = 25_000_000
BYTES_PER_HOUSEHOLD_BUDGET = 130     # state (about 83 B) plus what a run allocates beside it


def available_gb() -> float:
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024 ** 2
    except OSError:
        pass
    return float("nan")


# ---------------------------------------------------------------------------- bandwidth

def bandwidth(gb: float = 1.0, repeats: int = 7) -> dict:
    """Best-of copy bandwidth in GB/s (bytes read + bytes written per second), by wall time
    and by CPU time per thread (on a shared machine the wall time includes the turns other
    processes take on the cores; the CPU time does not)."""
    import numba
    from numba import njit, prange

    @njit(parallel=True, cache=False)
    def pcopy(dst, src):
        for i in prange(src.shape[0]):
            dst[i] = src[i]

    n = int(gb * 1e9 / 8)
    src = np.ones(n)
    dst = np.zeros(n)
    np.copyto(dst, src)
    pcopy(dst, src)                        # compile and touch the pages
    out = {}
    threads = numba.get_num_threads()
    for name, fn, k in (("numpy copy, 1 thread", lambda: np.copyto(dst, src), 1),
                        (f"numba prange copy, {threads} threads", lambda: pcopy(dst, src),
                         threads)):
        best_wall = best_cpu = float("inf")
        for _ in range(repeats):
            c0, t0 = time.process_time(), time.perf_counter()
            fn()
            best_wall = min(best_wall, time.perf_counter() - t0)
            best_cpu = min(best_cpu, (time.process_time() - c0) / k)
        out[name] = (2 * src.nbytes / best_wall / 1e9, 2 * src.nbytes / best_cpu / 1e9)
    return out


# ------------------------------------------------------------------------- instrumentation

class Probe:
    """Wraps every kernel call: times it and (optionally) records the household arrays it
    receives and changes."""

    def __init__(self):
        from smychka.kernels import _jit
        self._jit = _jit
        self._orig = _jit.Kernel.__call__
        self.hh_arrays: dict[int, tuple[str, np.ndarray]] = {}
        self.detect = False
        self.process = "?"
        self.kernel_time = collections.Counter()
        self.kernel_cpu = collections.Counter()
        self.kernel_calls = collections.Counter()
        # (process, month) -> list of (kernel, read fields, written fields)
        self.access: dict[tuple[str, int], list] = collections.defaultdict(list)
        self.month = 0
        probe = self

        def call(kernel, *args):
            if probe.detect:
                seen = [(probe.hh_arrays[id(a)][0], a) for a in args if id(a) in probe.hh_arrays]
                before = {name: a.copy() for name, a in seen}
            c0, t0 = time.process_time(), time.perf_counter()
            r = probe._orig(kernel, *args)
            probe.kernel_time[(probe.process, kernel.__name__)] += time.perf_counter() - t0
            probe.kernel_cpu[(probe.process, kernel.__name__)] += time.process_time() - c0
            probe.kernel_calls[(probe.process, kernel.__name__)] += 1
            if probe.detect:
                read = sorted({name for name, _ in seen})
                written = sorted({name for name, a in seen
                                  if not np.array_equal(a, before[name], equal_nan=True)})
                probe.access[(probe.process, probe.month)].append((kernel.__name__, read, written))
            return r

        _jit.Kernel.__call__ = call

    def watch(self, hh) -> None:
        self.hh_arrays = {id(a): (name, a) for name, a in hh.arrays().items()}

    def close(self) -> None:
        self._jit.Kernel.__call__ = self._orig


def run_plan(sim, probe: Probe, timer: collections.Counter | None = None,
             cpu_timer: collections.Counter | None = None) -> None:
    """Simulation.run, with each step of the plan timed separately."""
    from smychka.kernels._jit import use_parallel
    w = sim.world
    while w.t < w.cal.n_months:
        month = w.cal.month_of_year(w.t)
        probe.month = month
        use_parallel(sim.parallel)
        with np.errstate(over="ignore"):
            for s, f in zip(sim.plan, sim._funcs):
                if s.runs_in(month):
                    probe.process = s.process
                    c0, t0 = time.process_time(), time.perf_counter()
                    f(w, sim.recorder)
                    if timer is not None:
                        timer[s.process] += time.perf_counter() - t0
                        cpu_timer[s.process] += time.process_time() - c0
        w.t += 1


def bytes_table(probe: Probe, sizes: dict[str, int], n_months: int):
    """Bytes per household-month by process, averaged over the months run, and by month."""
    per_proc = collections.Counter()
    per_month = collections.Counter()
    fields = collections.defaultdict(lambda: (set(), set()))
    for (proc, month), calls in probe.access.items():
        for kernel, read, written in calls:
            b = sum(sizes[f] for f in read) + sum(sizes[f] for f in written)
            per_proc[proc] += b
            per_month[month] += b
            r, wr = fields[proc]
            r.update(read)
            wr.update(written)
    return ({k: v / n_months for k, v in per_proc.items()}, per_month, fields)


# ------------------------------------------------------------------------------------ main

def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--households", type=int, default=None,
                    help=f"size of the timed run (default {FULL_SCALE:,} if memory allows)")
    ap.add_argument("--scenario", default="history")
    ap.add_argument("--start", default=None, help="first month (default: the scenario's)")
    ap.add_argument("--end", default=None,
                    help="last month (default: twelve months from the start)")
    ap.add_argument("--probe-households", type=int, default=20_000)
    ap.add_argument("--bandwidth-gb", type=float, default=1.0,
                    help="size of each array of the copy test (default 1 GB)")
    ap.add_argument("--serial", action="store_true", help="force the serial kernels")
    ap.add_argument("--parallel", action="store_true", help="force the parallel kernels")
    args = ap.parse_args(argv)

    import numba

    import smychka
    from smychka.core.calendar import format_month, parse_month
    from smychka.core.simulation import Simulation
    from smychka.core.state import HOUSEHOLD_FIELDS

    sc = smychka.load_scenario(args.scenario)
    if args.start:
        sc = sc.with_overrides(start=args.start)
    end = args.end or format_month(min(parse_month(sc.start) + 11, parse_month(sc.end)))
    sc = sc.with_overrides(end=end)
    n_months = sc.calendar().n_months
    avail = available_gb()
    n = args.households
    if n is None:
        n = FULL_SCALE
        while n * BYTES_PER_HOUSEHOLD_BUDGET / 1e9 + 1.5 > avail and n > 1_000_000:
            n //= 2
    parallel = True if args.parallel else (False if args.serial else None)
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, {avail:.1f} GB available, "
          f"NUMBA_NUM_THREADS={numba.config.NUMBA_NUM_THREADS}, Python "
          f"{platform.python_version()}, load {os.getloadavg()[0]:.1f}")
    print(f"scenario {sc.name}, {sc.start} to {sc.end} ({n_months} months)")

    sizes = {k: np.dtype(v).itemsize for k, v in HOUSEHOLD_FIELDS.items()}
    print(f"household state: {len(sizes)} arrays, {sum(sizes.values())} bytes per household "
          f"({sum(sizes.values()) * n / 1e9:.2f} GB at {n:,})")

    # 1. which arrays each process touches (probe run, small)
    probe = Probe()
    probe.process = "population"
    small = Simulation(sc, households=args.probe_households, seed=1, parallel=False)
    probe.watch(small.world.hh)
    probe.detect = True
    run_plan(small, probe)
    probe.detect = False
    per_proc, per_month, fields = bytes_table(probe, sizes, n_months)
    total_b = sum(per_proc.values())
    print("\n1. household state touched by the kernels (bytes per household-month)")
    print(f"   {'process':<12} {'bytes':>7}  arrays read (* = also written)")
    for proc in [s.process for s in small.plan if s.process in per_proc]:
        if proc in per_proc and per_proc[proc] > 0:
            r, wr = fields[proc]
            names = ", ".join(f"{f}{'*' if f in wr else ''}" for f in sorted(r))
            print(f"   {proc:<12} {per_proc[proc]:>7.1f}  {names}")
            per_proc[proc] = per_proc[proc]
    print(f"   {'all':<12} {total_b:>7.1f}  average over the {n_months} months")
    print("   by calendar month: " + ", ".join(
        f"{m}: {per_month[m] / (n_months / 12):.0f}" for m in sorted(per_month)))
    del small

    # 2. bandwidth
    bw = bandwidth(args.bandwidth_gb)
    print("\n2. memory bandwidth (copy of %.1f GB arrays, best of 7)" % args.bandwidth_gb)
    print(f"   {'':<32} {'by wall':>9} {'by CPU':>9}  GB/s")
    for k, (vw, vc) in bw.items():
        print(f"   {k:<32} {vw:9.1f} {vc:9.1f}")
    busy = os.getloadavg()[0] > 1.5
    col = 1 if busy else 0
    print(f"   load {os.getloadavg()[0]:.1f}: the bound below uses the figures "
          f"{'by CPU time (the machine is shared)' if busy else 'by wall time'}")

    # 3. the timed run
    print(f"\n3. timed run at {n:,} households")
    probe.process = "population"
    warm = Simulation(sc.with_overrides(end=end), households=1000, seed=1,
                      parallel=parallel if parallel is not None else n >= 1_000_000)
    run_plan(warm, probe)                      # load the kernels this run uses
    probe.kernel_time.clear()
    probe.kernel_cpu.clear()
    probe.kernel_calls.clear()
    probe.process = "population"
    t0 = time.perf_counter()
    sim = Simulation(sc, households=n, seed=1, parallel=parallel)
    t_build = time.perf_counter() - t0
    timer, cpu_timer = collections.Counter(), collections.Counter()
    c0 = time.process_time()
    t0 = time.perf_counter()
    run_plan(sim, probe, timer, cpu_timer)
    t_run = time.perf_counter() - t0
    cpu = time.process_time() - c0
    kind = "parallel" if sim.parallel else "serial"
    threads = numba.get_num_threads() if sim.parallel else 1
    bound = list(bw.values())[1 if sim.parallel else 0][col]
    hm = n * n_months
    print(f"   kernels: {kind}; population built in {t_build:.1f} s; {n_months} months in "
          f"{t_run:.1f} s wall, {cpu:.1f} s CPU ({hm / t_run / 1e6:.2f} million "
          f"household-months per wall second); load {os.getloadavg()[0]:.1f}")
    # 'busy' time: CPU seconds per thread the kernels used; on a quiet machine it is close
    # to the wall time, on a shared one it leaves out the other processes' turns
    t_of = (lambda proc: cpu_timer[proc] / threads) if busy else (lambda proc: timer[proc])
    t_all = cpu / threads if busy else t_run
    print(f"   bound used: {bound:.1f} GB/s ({'all threads' if sim.parallel else 'one thread'}); "
          f"time used: {'CPU seconds / threads' if busy else 'wall seconds'}")
    head = (f"   {'process':<12} {'wall s':>8} {'CPU s':>8} {'share':>6} {'ns/hh-mo':>9} "
            f"{'B/hh-mo':>8} {'GB/s':>6} {'of bound':>8} {'floor s':>8}")
    print(head)
    print("   " + "-" * (len(head) - 3))
    for proc, _ in sorted(cpu_timer.items(), key=lambda x: -x[1]):
        tp = t_of(proc)
        b = per_proc.get(proc, 0.0)
        gbs = b * hm / tp / 1e9 if tp > 0 else 0.0
        floor = b * hm / (bound * 1e9)
        print(f"   {proc:<12} {timer[proc]:>8.2f} {cpu_timer[proc]:>8.2f} "
              f"{100 * tp / t_all:>5.1f}% {1e9 * tp / hm:>9.1f} "
              f"{b:>8.1f} {gbs:>6.2f} {100 * gbs / bound:>7.1f}% {floor:>8.2f}")
    gbs = total_b * hm / t_all / 1e9
    floor = total_b * hm / (bound * 1e9)
    print(f"   {'all':<12} {t_run:>8.2f} {cpu:>8.2f} {100.0:>5.1f}% {1e9 * t_all / hm:>9.1f} "
          f"{total_b:>8.1f} {gbs:>6.2f} {100 * gbs / bound:>7.1f}% {floor:>8.2f}")
    print(f"\n   fraction of the bandwidth bound reached: {100 * gbs / bound:.1f} % "
          f"(the months could take {floor:.2f} s if every kernel streamed at {bound:.1f} GB/s; "
          f"they took {t_all:.2f} s)")
    full = FULL_SCALE * 120
    print(f"   at this rate a full run ({FULL_SCALE:,} households x 120 months) takes about "
          f"{t_all / hm * full:.0f} s of simulation; the bandwidth floor is "
          f"{total_b * full / (bound * 1e9):.0f} s")
    print(f"\n   kernels: {'process':<12} {'kernel':<16} {'wall s':>8} {'CPU s':>8} {'calls':>6}")
    for (proc, k), tk in sorted(probe.kernel_cpu.items(), key=lambda x: -x[1]):
        print(f"            {proc:<12} {k:<16} {probe.kernel_time[(proc, k)]:>8.2f} {tk:>8.2f} "
              f"{probe.kernel_calls[(proc, k)]:>6}")
    probe.close()


if __name__ == "__main__":
    main()

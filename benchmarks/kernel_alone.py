"""Time one kernel alone on the arguments it gets in a real run.

The history run is simulated up to the last month asked for; at each month asked for, the
arguments the step plan passes to the kernel are copied. Each copy is then run through the
kernel's serial version several times, on fresh copies of the arrays it changes, and the
fastest round is kept: on a shared machine the minimum moves by a few per cent where the
median moves by tens. A variant of a kernel (same signature) can be timed against it with
`--variant module:function`; its outputs are compared with the kernel's.

    python benchmarks/kernel_alone.py --kernel livestock.breed --months 36-47
"""
from __future__ import annotations

import argparse
import importlib
import time

import numpy as np


def _months(text: str) -> list[int]:
    out = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out += list(range(int(lo), int(hi or lo) + 1))
    return out


def capture(process: str, name: str, months: list[int], households: int, seed: int) -> list:
    """[(month index, arguments)] of `smychka.processes.<process>.<name>` in the history run."""
    from smychka.core.simulation import Simulation
    from smychka.scenarios.loader import load_scenario

    mod = importlib.import_module(f"smychka.processes.{process}")
    kernel = getattr(mod, name)
    caps = []
    wanted = set(months)

    def spy(*args):
        t = sim.world.t
        if t in wanted:
            caps.append((t, [a.copy() if isinstance(a, np.ndarray) else a for a in args]))
        return kernel(*args)

    setattr(mod, name, spy)
    try:
        sim = Simulation(load_scenario("history"), households=households, seed=seed,
                         parallel=False)
        sim.run(until=max(months) + 1)
    finally:
        setattr(mod, name, kernel)
    return caps


def _run(fn, args):
    a = [x.copy() if isinstance(x, np.ndarray) else x for x in args]
    t0 = time.perf_counter()
    fn(*a)
    return time.perf_counter() - t0, a


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", default="livestock.breed",
                    help="process.kernel, as the process module imports it")
    ap.add_argument("--months", default="36-47",
                    help="month indices from July 1924 (0), e.g. 36-47 for 1927/28")
    ap.add_argument("--households", type=int, default=250_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--variant", default=None, help="module:function to time against it")
    a = ap.parse_args()
    process, name = a.kernel.split(".")
    caps = capture(process, name, _months(a.months), a.households, a.seed)
    base = getattr(importlib.import_module(f"smychka.processes.{process}"), name).serial
    fns = {"kernel": base}
    if a.variant:
        mod, _, fn = a.variant.partition(":")
        fns["variant"] = getattr(importlib.import_module(mod), fn)
    for fn in fns.values():            # compile outside the timing
        _run(fn, caps[0][1])
    total = dict.fromkeys(fns, 0.0)
    print(f"{a.kernel}, {a.households:,} households, seed {a.seed}: ns per household, "
          f"fastest of {a.rounds} rounds")
    for t, args in caps:
        best = dict.fromkeys(fns, np.inf)
        outs = {}
        for _ in range(a.rounds):
            for k, fn in fns.items():
                dt, outs[k] = _run(fn, args)
                best[k] = min(best[k], dt)
        line = "  ".join(f"{k} {best[k] / args[0] * 1e9:7.1f}" for k in fns)
        if "variant" in outs:
            same = all(np.array_equal(x, y) for x, y in zip(outs["kernel"], outs["variant"])
                       if isinstance(x, np.ndarray))
            line += "  outputs " + ("identical" if same else "differ")
        print(f"  month {t:3d}: {line}", flush=True)
        for k in fns:
            total[k] += best[k] / args[0] * 1e9 / len(caps)
    print("  mean: " + "  ".join(f"{k} {v:.1f}" for k, v in total.items()))


if __name__ == "__main__":
    main()

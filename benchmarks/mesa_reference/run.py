"""smychka against the same household economy written in Mesa 3 (one Agent per household).

    python benchmarks/mesa_reference/run.py                    # 10,000 and 100,000 households
    python benchmarks/mesa_reference/run.py --sizes 10000 --tolerance 0.10

For each size: smychka runs the scenario (default nep-continued: the NEP household economy
with no coercion, July 1924 - June 1934) with its kernels already loaded, then the Mesa
model runs the same months from the same parameters and data tables. Printed: the time of
each (the simulated months; building the population is shown apart), the ratio, and the
yearly harvest, procurement, household grain stocks and livestock of both, with their
difference. The check passes when every yearly figure agrees within the tolerance.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))

from machine import cpu_model  # noqa: E402
from economy import DEFAULT_SCENARIO, Inputs, compare, smychka_table  # noqa: E402


def time_smychka(inp: Inputs, scenario, n: int, seed: int):
    import smychka
    c0, t0 = time.process_time(), time.perf_counter()
    ds = smychka.run(scenario, households=n, seed=seed)
    return time.perf_counter() - t0, time.process_time() - c0, smychka_table(ds, inp)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--scenario", default=DEFAULT_SCENARIO)
    ap.add_argument("--end", default=None, help="last month YYYY-MM (default: the scenario's)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tolerance", type=float, default=0.15,
                    help="largest relative difference allowed in a yearly figure (default 0.15)")
    args = ap.parse_args(argv)

    import mesa
    import numba

    import smychka
    from mesa_model import EconomyModel

    inp = Inputs.load(args.scenario, args.end)
    sc = smychka.load_scenario(args.scenario)
    if args.end:
        sc = sc.with_overrides(end=args.end)
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}, "
          f"Mesa {mesa.__version__}, numba {numba.__version__}")
    print(f"scenario: {inp.name}, {inp.n_months} months, seed {args.seed}; tolerance "
          f"{100 * args.tolerance:.0f} % on each yearly figure")
    smychka.run(sc, households=1000, seed=args.seed)      # load the kernels first
    failures = 0
    summary = []
    for n in [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]:
        print(f"\n=== {n:,} households")
        t_sm, c_sm, sm = time_smychka(inp, sc, n, args.seed)
        print(f"smychka: {t_sm:.2f} s, CPU {c_sm:.2f} s (population and {inp.n_months} months)",
              flush=True)
        c0, t0 = time.process_time(), time.perf_counter()
        model = EconomyModel(inp, n, seed=args.seed)
        t_setup = time.perf_counter() - t0
        t0 = time.perf_counter()
        ref = model.run()
        t_run = time.perf_counter() - t0
        c_ref = time.process_time() - c0
        print(f"Mesa:    {t_setup + t_run:.2f} s (population {t_setup:.2f} s, "
              f"{inp.n_months} months {t_run:.2f} s), CPU {c_ref:.2f} s")
        ratio = (t_setup + t_run) / t_sm
        cpu_ratio = c_ref / c_sm
        print(f"ratio:   smychka is {ratio:,.1f}x faster "
              f"({n * inp.n_months / t_sm / 1e6:.2f} vs "
              f"{n * inp.n_months / (t_setup + t_run) / 1e6:.3f} million household-months/s); CPU time ratio {cpu_ratio:,.0f}x; load "
              f"{os.getloadavg()[0]:.1f}")
        checked, outside = compare(ref, sm, args.tolerance, "Mesa")
        verdict = "agree" if outside == 0 else "DISAGREE"
        print(f"aggregates {verdict}: {checked - outside} of {checked} yearly figures within "
              f"{100 * args.tolerance:.0f} %")
        failures += outside > 0
        summary.append((n, t_sm, t_setup + t_run, ratio, cpu_ratio, checked, outside))
    print("\nsummary")
    print(f"{'households':>12} {'smychka s':>10} {'Mesa s':>10} {'ratio':>8} {'CPU ratio':>10} {'within tol':>11}")
    for n, a, b, r, cr, c, o in summary:
        print(f"{n:>12,} {a:>10.2f} {b:>10.1f} {r:>7,.1f}x {cr:>9,.1f}x {c - o:>5}/{c:<5}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

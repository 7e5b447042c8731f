"""The engine: determinism, common random numbers, closed books, thread-count independence and
the step plan."""
import json

import numpy as np
import pytest

import smychka
from conftest import (SMALL_HOUSEHOLDS, SMALL_SEED, advance_to, differing_variables,
                      month_index, run_child)
from smychka.core.params import defaults
from smychka.core.plan import step_plan
from smychka.core.simulation import Simulation
from smychka.kernels import VBLOCK

# A float64 sum of n terms is off by at most about n * 2**-53 of the sum of their magnitudes.
# The books add some 10**4 - 10**5 exact household changes per month (households x flows),
# so 1e-11 of the gross turnover is a generous bound once every flow is an exact change.
BOOK_RTOL = 1e-11


# --- determinism -----------------------------------------------------------------------------

def test_same_seed_gives_identical_results(small_scenario, small_run):
    again = smychka.run(small_scenario, households=SMALL_HOUSEHOLDS, seed=SMALL_SEED)
    assert differing_variables(small_run, again) == [], "a rerun with the same seed differs"
    assert small_run.attrs == again.attrs


def test_different_seeds_differ(small_run, run_small):
    other = run_small(seed=SMALL_SEED + 1)
    differ = differing_variables(small_run, other)
    for name in ("harvest", "grain_stock", "money", "procurement", "horses"):
        assert name in differ, f"{name} is the same under seeds 1 and 2"


# --- common random numbers -------------------------------------------------------------------

LEVER_CHANGES = [
    ("procurement_price", 1.3, "procurement"),
    ("goods_supply", 0.5, "goods_spending"),
]


@pytest.mark.parametrize("lever,value,moved", LEVER_CHANGES, ids=[x[0] for x in LEVER_CHANGES])
def test_a_lever_change_leaves_the_months_before_it_untouched(small_run, run_small, lever,
                                                              value, moved):
    date = "1926-01"
    d = month_index(small_run, date)
    changed = run_small(levers={lever: {date: value}})
    before = differing_variables(small_run, changed, slice(0, d))
    assert before == [], f"{lever} from {date} changed months before it: {before}"
    # the lever acts from its month on
    first = changed[moved].isel(time=d).sum().item()
    base = small_run[moved].isel(time=d).sum().item()
    assert first != base, f"{moved} in {date} does not respond to {lever}"
    after = differing_variables(small_run, changed, slice(d, None))
    for name in ("grain_stock", "money", "procurement", "loyalty"):
        assert name in after, f"{name} never responds to {lever} from {date}"


def test_the_weather_does_not_depend_on_policy(small_run, run_small):
    """The weather of every year, a regional random draw, is the same under another
    procurement price."""
    changed = run_small(levers={"procurement_price": {"1925-01": 0.7}})
    np.testing.assert_array_equal(changed.weather.values, small_run.weather.values,
                                  err_msg="the weather depends on the procurement price")


# --- the books close -------------------------------------------------------------------------

def _balance(ds, which):
    """(sum of sign*flow, gross turnover) per month over all regions and strata."""
    net = 0.0
    gross = 0.0
    for name, sign in json.loads(ds.attrs[which]):
        flow = ds[name].sum(("region", "stratum")).values
        net = net + sign * flow
        gross = gross + np.abs(ds[name]).sum(("region", "stratum")).values
    return net, gross


BOOKS = [("grain_balance", "grain_stock"), ("money_balance", "money")]


@pytest.mark.parametrize("which,stock", BOOKS, ids=["grain", "money"])
def test_books_close_every_month(small_run, which, stock):
    ds = small_run
    listed = {name for name, _ in json.loads(ds.attrs[which])}
    assert listed <= set(ds.data_vars), f"{which} names variables the dataset lacks"
    net, gross = _balance(ds, which)
    total = ds[stock].sum(("region", "stratum")).values
    change = np.diff(total)
    residual = net[1:] - change
    scale = gross[1:] + total[1:]
    worst = int(np.argmax(np.abs(residual) / scale))
    closed = bool(np.all(np.abs(residual) <= BOOK_RTOL * scale))
    assert closed, (
        f"{stock}: flows and stock change disagree by {residual[worst]:.6g} in month "
        f"{worst + 1} ({np.abs(residual[worst]) / total[worst + 1]:.2e} of the stock; "
        f"allowed {BOOK_RTOL:.0e} of turnover)")


@pytest.mark.parametrize("which,stock", BOOKS, ids=["grain", "money"])
def test_books_close_in_the_first_month(small_scenario, which, stock):
    sim = Simulation(small_scenario.with_overrides(end="1924-09"), households=SMALL_HOUSEHOLDS,
                     seed=SMALL_SEED)
    hh, w = sim.world.hh, sim.world.weight
    n = hh.n
    if stock == "grain_stock":
        start = (hh.grain[:n].astype(np.float64).sum()
                 + hh.hidden[:n].astype(np.float64).sum()) * w * 1e-3
    else:
        start = hh.money[:n].astype(np.float64).sum() * w
    with np.errstate(over="ignore"):
        ds = sim.run()
    net, gross = _balance(ds, which)
    change = ds[stock].isel(time=0).sum().item() - start
    closed = bool(abs(net[0] - change) <= BOOK_RTOL * (gross[0] + start))
    assert closed, (
        f"{stock} in the first month: flows {net[0]:.12g}, change {change:.12g} "
        f"({abs(net[0] - change) / start:.2e} of the stock)")


def test_no_grain_flow_is_negative(small_run):
    for name, _ in json.loads(small_run.attrs["grain_balance"]):
        assert float(small_run[name].min()) >= 0.0, f"{name} has a negative flow"
    assert float(small_run.grain_stock.min()) >= 0.0


def test_household_stocks_never_go_negative(small_scenario):
    """No household ends a month with negative grain, hidden grain or cash."""
    sim = Simulation(small_scenario, households=SMALL_HOUSEHOLDS, seed=SMALL_SEED)
    hh, n = sim.world.hh, SMALL_HOUSEHOLDS
    worst = {"grain": 0.0, "hidden": 0.0, "money": 0.0}
    with np.errstate(over="ignore"):
        while sim.world.t < sim.world.cal.n_months:
            sim.step()
            for name in worst:
                worst[name] = min(worst[name], float(getattr(hh, name)[:n].min()))
    assert all(v >= 0.0 for v in worst.values()), f"lowest values seen: {worst}"


def test_results_are_at_full_scale(small_run):
    total = defaults()["population.total_households"]
    hh = small_run.households.sum(("region", "stratum")).values
    np.testing.assert_allclose(hh[0], total, rtol=1e-12,
                               err_msg="households do not start at the full-scale total")
    assert np.all(hh <= total * (1 + 1e-12)), "households appear from nowhere"
    np.testing.assert_allclose(small_run.attrs["weight"] * SMALL_HOUSEHOLDS, total, rtol=1e-12)
    assert small_run.attrs["households_simulated"] == SMALL_HOUSEHOLDS


# --- thread-count independence ---------------------------------------------------------------

@pytest.mark.slow
def test_results_do_not_depend_on_the_thread_count(tmp_path):
    """The same run with the multi-threaded kernels on 1 and on 2 numba threads, and with the
    serial kernels, over 6 kernel chunks and 5 blocks of villages (villages of 10 households;
    grain sold between neighbours switched on, so every village loop runs). (Slow only on a
    cold numba cache, when the multi-threaded kernels compile: a few minutes; about 15 s once
    cached.)"""
    households, chunk = 3_000, 500
    params = {"population.village_size": 10, "consumption.neighbour_share": 0.3}
    assert households // chunk >= 4 and households // 10 > 4 * VBLOCK
    one, two = (run_child(tmp_path / f"threads{k}.nc", households, chunk=chunk, parallel=True,
                          env={"NUMBA_NUM_THREADS": str(k)}, params=params) for k in (1, 2))
    assert differing_variables(one, two) == [], "results depend on the number of threads"
    assert float(one.neighbour_purchases.sum()) > 0.0 and float(one.land_leased.sum()) > 0.0
    serial = run_child(tmp_path / "serial.nc", households, chunk=chunk, parallel=False,
                       params=params)
    assert differing_variables(one, serial) == [], "serial and parallel kernels differ"


def test_a_run_can_be_stepped_and_resumed(small_scenario, small_run):
    """Stepping month by month, or stopping and resuming, gives the same run."""
    sim = Simulation(small_scenario, households=SMALL_HOUSEHOLDS, seed=SMALL_SEED)
    advance_to(sim, "1925-03")
    with np.errstate(over="ignore"):
        sim.step()
        ds = sim.run()
    assert differing_variables(small_run, ds) == []


# --- work skipped when nothing reads it -------------------------------------------------------

def test_relabelling_only_when_labels_are_read_changes_nothing(monkeypatch):
    """The cadres relabel only in months when the campaign or dekulakization reads the labels
    (households joining the kolkhoz in the other months get theirs from collectivize). The
    same run relabelling every month gives identical results: NEP months with voluntary
    joining, then the campaign, which reads the labels of members too. (With 3,000
    households, skipping without labelling the joiners happens to change nothing; with
    20,000 it changes the campaign's hits from 1928 on.)"""
    from smychka.processes import cadres
    households = 20_000
    sc = smychka.load_scenario("history").with_overrides(end="1931-06")
    skipped = []
    real = cadres.labels_read

    def counted(world):
        read = real(world)
        if not read:
            skipped.append(world.t)
        return read

    monkeypatch.setattr(cadres, "labels_read", counted)
    lazy = smychka.run(sc, households=households, seed=SMALL_SEED)
    monkeypatch.setattr(cadres, "labels_read", lambda world: True)
    every = smychka.run(sc, households=households, seed=SMALL_SEED)
    assert skipped, "no month without a reader of the labels: the test shows nothing"
    assert float(lazy.joined.isel(time=skipped).sum()) > 0, \
        "nobody joined the kolkhoz in a month without relabelling: the test shows nothing"
    assert float(lazy.coerced_households.sum()) > 0, "the campaign never acted"
    assert differing_variables(lazy, every) == [], "skipping the relabelling changed the run"


# --- the step plan ---------------------------------------------------------------------------

def test_step_plan_order():
    plan = step_plan()
    phases = [s.phase for s in plan]
    assert phases == sorted(phases), "the plan is not in phase order"
    names = [s.process for s in plan]
    assert len(set(names)) == len(names), "a process appears twice in the plan"
    for first, then in (("policy", "sowing"), ("sowing", "harvest"), ("marketing", "procurement"),
                        ("procurement", "market"), ("market", "consumption"),
                        ("consumption", "loyalty"), ("town", "census")):
        assert names.index(first) < names.index(then), f"{first} must run before {then}"
    assert names[-1] == "census", "the census must close the month"
    for s in plan:
        assert callable(s.callable()), f"{s.process}.{s.func} is not callable"
        for m in s.months:
            assert 1 <= m <= 12

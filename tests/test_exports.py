"""The state's exports: the year's plan ships from October, mostly in the autumn, from what the
stock holds, and a month's shortfall is due the next (docs/model.md 3.3.18)."""
import numpy as np

import smychka


def exports_1925_26(stock_mt, plan_mt=None, plan=None, decline=None):
    """Monthly exports and the state's stock at each month's end (Mt) over July 1925 - June
    1926, run from July 1925 with the state holding `stock_mt` at the start (and the year's
    export plan `plan_mt` and the monthly decline of the shipments, if given), and the year's
    plan (Mt)."""
    params = {"town.state_stock_start_mt": stock_mt}
    if decline is not None:
        params["town.export_decline"] = decline
    sc = smychka.load_scenario("history", params=params).with_overrides(
        start="1925-07", end="1926-06",
        levers={"grain_exports": plan or {"1925-07": plan_mt}} if plan or plan_mt else None)
    ds = smychka.run(sc, households=5_000, seed=2)
    return (ds.exports.values / 1e6, ds.state_grain_stock.values / 1e6,
            sc.lever_arrays()["grain_exports"][0])


def test_a_harvest_ships_from_october_and_the_plan_is_met_from_a_full_stock():
    x, _, plan = exports_1925_26(20.0)
    assert plan > 1.0
    assert np.all(x[:3] == 0.0), x                       # July-September: nothing yet
    assert x[3:6].sum() > 0.5 * plan, x                  # most of it in the autumn
    assert abs(x.sum() - plan) < 1e-6 * plan, (x.sum(), plan)


def test_from_a_full_stock_each_month_ships_the_decline_of_the_month_before():
    """October to June, each month's shipment is `town.export_decline` times the month
    before's; at 1 the plan is spread evenly, lower it leaves earlier."""
    for decline in (0.65, 1.0):
        x, _, plan = exports_1925_26(20.0, decline=decline)
        np.testing.assert_allclose(x[4:] / x[3:-1], decline, rtol=1e-9)
        assert abs(x.sum() - plan) < 1e-6 * plan, (x.sum(), plan)
    early, _, _ = exports_1925_26(20.0, decline=0.5)
    even, _, _ = exports_1925_26(20.0, decline=1.0)
    assert early[3:6].sum() > 0.8 * plan > even[3:6].sum(), (early, even)


def test_exports_fall_behind_the_plan_only_when_the_stock_is_empty():
    """A plan the stock cannot meet: exports fall behind what is due by each month only in
    months that end with nothing left in the state's stock; then the shortfall stays due."""
    on_schedule, _, base = exports_1925_26(20.0)
    x, stock, plan = exports_1925_26(0.0, plan_mt=12.0)
    due = np.cumsum(on_schedule / base) * plan
    behind = np.cumsum(x) < due - 1e-6
    assert behind.any(), x
    assert np.all(stock[behind] < 1e-6), (x, stock)
    assert np.all(np.cumsum(x) <= due + 1e-6)
    assert x[behind].sum() > 0                           # shipping what it can meanwhile


def test_a_plan_raised_in_november_ships_at_once_what_was_due_by_then():
    on_schedule, _, base = exports_1925_26(20.0)
    x, _, _ = exports_1925_26(20.0, plan={"1925-07": 0.0, "1925-11": 3.0})
    share = on_schedule / base
    assert np.all(x[:4] == 0.0), x
    assert abs(x[4] - 3.0 * share[3:5].sum()) < 1e-6, (x, share)   # October's share too
    assert abs(x.sum() - 3.0) < 1e-6, x

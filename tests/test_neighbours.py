"""Grain sold between neighbours: with the markets closed and the state's stores shut to the
villages, a family short of food can still buy from its own village's surplus. The exchange
conserves grain and money in each village and lowers the hunger; with it switched off no
grain changes hands."""
import numpy as np

from smychka.processes import consumption

CLOSED = {"private_trade": {"1924-07": 0.0}, "state_rural_sales": {"1924-07": 0.0}}
SHARING = {"consumption.neighbour_share": 0.5}
ALONE = {"consumption.neighbour_share": 0.0}


def test_neighbours_sell_to_families_short_of_food_within_the_village(new_sim):
    sim = new_sim(households=3_000, params=SHARING, levers=CLOSED)
    w = sim.world
    sim.run(until=w.cal.index_of("1925-04"))   # spring, bins running low
    hh, n, v = w.hh, w.hh.n, w.villages
    g0, m0 = hh.grain[:n].astype(float), hh.money[:n].astype(float)
    consumption.sell_to_neighbours(w, sim.recorder, 4)
    g1, m1 = hh.grain[:n].astype(float), hh.money[:n].astype(float)
    buyers, sellers = g1 > g0, g1 < g0
    assert buyers.sum() > 0.02 * n and sellers.sum() > 0.02 * n, (buyers.sum(), sellers.sum())
    # buyers pay, sellers are paid; a family buys only while its bin is below a month's food
    assert np.all(m1[buyers] <= m0[buyers]) and np.all(m1[sellers] >= m0[sellers])
    food_m = hh.persons[:n].astype(float) * w.params["consumption.food_kg"] / 12.0
    assert np.all(g0[buyers] < food_m[buyers] * w.params["consumption.buy_months"])
    for k in range(v.n):
        s = slice(v.first[k], v.first[k] + v.count[k])
        moved = np.abs(g1[s] - g0[s]).sum()
        assert abs((g1[s] - g0[s]).sum()) <= 1e-4 * max(moved, 1.0)
        assert abs((m1[s] - m0[s]).sum()) <= 1e-4 * max(np.abs(m1[s] - m0[s]).sum(), 1.0)


def test_sharing_lowers_hunger_when_the_markets_are_closed(run_small):
    alone = run_small(params=ALONE, levers=CLOSED)
    sharing = run_small(params=SHARING, levers=CLOSED)
    assert float(alone.neighbour_purchases.sum()) == 0.0
    bought = float(sharing.neighbour_purchases.sum())
    assert bought > 0.0
    assert np.isclose(bought, float(sharing.neighbour_sales.sum()), rtol=1e-5)
    short_alone = float(alone.food_shortfall.sum())
    short_sharing = float(sharing.food_shortfall.sum())
    assert short_sharing < 0.8 * short_alone, (short_sharing, short_alone)


def test_grain_sold_to_neighbours_does_not_leave_the_village(run_small):
    """A family short of food buys part of its bread from its own village rather than from
    traders and the state, so the villages sell less through the market and buy less back
    from it: the marketed grain (Nemchinov's, which left the village) falls with the
    exchange, and grain still balances."""
    alone = run_small(params=ALONE)
    sharing = run_small(params={"consumption.neighbour_share": 0.1})

    def total(ds, var):
        return float(ds[var].sum())

    assert total(alone, "neighbour_purchases") == 0.0
    assert total(sharing, "neighbour_purchases") > 0.0
    for var in ("grain_purchases", "private_sales"):
        assert total(sharing, var) < 0.97 * total(alone, var), var
    sold = [total(ds, "procurement") + total(ds, "private_sales") for ds in (alone, sharing)]
    assert sold[1] < 0.99 * sold[0], sold

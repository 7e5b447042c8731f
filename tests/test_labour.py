"""The village labour market: farms whose land and horses need more workers than the family
has hire neighbours' spare workers for the year and pay them in grain. Hands hired in equal
hands hired out in every village, the grain paid is the grain received, and the wages move
grain from the large farms to the families that hire out: the kulaks sell a smaller share of
their crop and the poor buy less grain. With no wage in kind no grain moves."""
import numpy as np
from conftest import assert_village_market_clears, draught_area

from smychka.core.state import INDIVIDUAL
from smychka.processes import labour, lease
from smychka.report import check_balance

WAGE = 800.0
# the wages alone: grain sold between neighbours also carries the large farms' spare grain to
# the families short of it, and would blur what the wages do
ALONE = {"consumption.neighbour_share": 0.0}
PAID = {"labour.wage_kg": WAGE, **ALONE}
UNPAID = {"labour.wage_kg": 0.0, **ALONE}


def need(world, idx):
    """Workers a farm needs for the year: the land it holds this year, as far as its horses
    (or hired ploughing) plough it, over the area one worker carries through the year."""
    land_use = world.params["sowing.land_use"]
    hh = world.hh
    area = (hh.land[idx].astype(float) + hh.leased[idx].astype(float)) * land_use
    return np.minimum(area, draught_area(world, idx)) / world.params["labour.ha_per_hand"]


def test_hands_go_from_families_with_workers_to_spare_to_farms_that_need_them(new_sim):
    sim = new_sim(households=3_000, params=PAID)
    w = sim.world
    sim.run(until=w.cal.index_of("1926-09"))     # stop just before the September leases
    lease.step(w, sim.recorder)                    # this year's leases come first
    hh, n = w.hh, w.hh.n
    before = hh.grain[:n].astype(float).copy()
    labour.step(w, sim.recorder)
    hands = hh.scratch[:n].astype(float)     # the labour step leaves each hire there
    ind = hh.status[:n] == INDIVIDUAL
    assert np.all(hands[~ind] == 0.0)
    workers = hh.workers[:n].astype(float)
    needed = need(w, np.arange(n))
    into, out = hands > 0, hands < 0
    assert into.sum() > 0.02 * n and out.sum() > 0.1 * n, (into.sum(), out.sum())
    # a family hires out only workers its farm does not need, and hires in no more than its
    # farm needs beyond the family
    assert np.all(workers[out] + hands[out] >= needed[out] - 1e-4)
    assert np.all(workers[into] + hands[into] <= needed[into] + 1e-4)
    # every village's market clears
    assert_village_market_clears(w, hands, 1e-4)
    # the wage is paid in grain, from the employer to the families hiring out
    change = hh.grain[:n].astype(float) - before
    assert np.allclose(change[into], -WAGE * hands[into], rtol=1e-5, atol=0.5)
    assert np.allclose(change[out], -WAGE * hands[out], rtol=1e-5, atol=0.5)
    assert np.all(change[hands == 0] == 0.0)
    assert np.isclose(-change[into].sum(), change[out].sum(), rtol=1e-5)


def marketability(ds, stratum):
    """Sales of 1926/27 over the crop of the farms classified into the stratum on it."""
    year = ds.sel(time=slice("1926-07-01", "1927-06-01"), stratum=stratum)
    return float((year.procurement + year.private_sales).sum()
                 / year.classified_harvest.sum())


def test_wages_in_kind_lower_the_kulaks_marketed_share_and_the_poors_purchases(run_small):
    paid, unpaid = run_small(params=PAID), run_small(params=UNPAID)
    # without a wage in kind hands are still hired, but no grain moves
    assert float(unpaid.hands_hired.sum()) > 0.0
    assert float(unpaid.wages_in_kind_paid.sum()) == 0.0
    assert float(unpaid.wages_in_kind_received.sum()) == 0.0
    assert float(paid.wages_in_kind_paid.sel(stratum="kulak").sum()) > 0.0
    received = paid.wages_in_kind_received.sum(["region", "time"])
    assert float(received.sel(stratum="bednyak")) > float(received.sel(stratum="kulak"))
    # the kulaks keep more of their crop for their hands, and sell a smaller share of it
    assert marketability(paid, "kulak") < marketability(unpaid, "kulak") - 0.015
    # the poor families that hire out eat their wages instead of buying grain: their purchases
    # fall by a good part of the grain they are paid
    year = slice("1926-07-01", "1927-06-01")
    bought = {k: float(ds.grain_purchases.sel(time=year, stratum="bednyak").sum())
              for k, ds in (("paid", paid), ("unpaid", unpaid))}
    paid_to_poor = float(paid.wages_in_kind_received.sel(time=year, stratum="bednyak").sum())
    assert bought["unpaid"] - bought["paid"] > 0.25 * paid_to_poor, (bought, paid_to_poor)
    # the wages are transfers inside the village: the grain books close with them
    assert check_balance(paid, "grain").max_relative < 1e-9

"""The village land market: land a farm cannot work goes for the year to neighbours who can,
and the rent paid equals the rent received. Leasing lets farms with horses to spare sow more
than their allotment; with the market closed, no land changes hands and they cannot."""
import numpy as np
import pytest
from conftest import assert_village_market_clears, draught_area

from smychka.core.state import INDIVIDUAL
from smychka.processes import lease
from smychka.processes.sowing import capacity_params
from smychka.report import check_balance

OPEN = {"lease.market_share": 0.8}
CLOSED = {"lease.market_share": 0.0}


def work_capacity(world, idx):
    """Hectares a farm's horses (or hired ploughing) and hands can work, land aside."""
    per_worker = capacity_params(world.params, world.streams)[3]
    return np.minimum(draught_area(world, idx), world.hh.workers[idx].astype(float) * per_worker)


@pytest.mark.parametrize("hire_sigma", [0.0, 1.0])
def test_land_goes_from_farms_that_cannot_work_it_to_farms_that_can(new_sim, hire_sigma):
    sim = new_sim(households=3_000, params={**OPEN, "sowing.hire_sigma": hire_sigma})
    w = sim.world
    sim.run(until=w.cal.index_of("1926-09"))     # stop just before the September leases
    money_before = w.hh.money[: w.hh.n].astype(float).copy()
    lease.step(w, sim.recorder)
    hh, n = w.hh, w.hh.n
    leased = hh.leased[:n].astype(float)
    ind = hh.status[:n] == INDIVIDUAL
    assert np.all(leased[~ind] == 0.0)
    own = hh.land[:n].astype(float) * w.params["sowing.land_use"]
    work = work_capacity(w, np.arange(n))
    out, into = leased < 0, leased > 0
    assert out.sum() > 0.05 * n and into.sum() > 0.05 * n, (out.sum(), into.sum())
    # lessors lease out only land they cannot work; lessees take no more than they can work
    assert np.all(own[out] + leased[out] >= work[out] - 1e-4)
    assert np.all(own[into] + leased[into] <= work[into] + 1e-4)
    # every village's market clears: land in equals land out, rent paid equals rent received
    assert_village_market_clears(w, leased, 1e-3)
    paid = money_before[into] - hh.money[:n][into].astype(float)
    got = hh.money[:n][out].astype(float) - money_before[out]
    assert paid.min() >= 0.0 and got.min() >= 0.0
    assert np.isclose(paid.sum(), got.sum(), rtol=1e-5)


def sown_beyond_allotment(new_sim, params) -> float:
    """Share of individual farms whose crop standing in June 1927 exceeds their allotment."""
    sim = new_sim(households=3_000, params=params)
    sim.run()   # to the end of June 1927, the crop still standing
    hh, n = sim.world.hh, sim.world.hh.n
    sown = hh.sown_winter[:n].astype(float) + hh.sown_spring[:n].astype(float)
    own = hh.land[:n].astype(float) * sim.world.params["sowing.land_use"]
    ind = hh.status[:n] == INDIVIDUAL
    return float(np.mean(sown[ind] > own[ind] + 1e-3))


def test_leasing_lets_farms_with_horses_to_spare_sow_beyond_their_allotment(run_small, new_sim):
    assert sown_beyond_allotment(new_sim, CLOSED) == 0.0
    assert sown_beyond_allotment(new_sim, OPEN) > 0.1
    leasing, closed = run_small(params=OPEN), run_small(params=CLOSED)
    assert float(closed.land_leased.sum()) == 0.0 and float(closed.rent_paid.sum()) == 0.0
    leased = float(leasing.land_leased.sel(time="1926-09-01").sum())
    sown = float(leasing.sown_area.sel(time="1927-06-01").sum())
    assert leased > 0.02 * sown, (leased, sown)
    # rent is a transfer between households: the money books close with it
    assert check_balance(leasing, "money").max_relative < 1e-9

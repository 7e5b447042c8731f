"""One test (or a few) per process: each process is driven on its own, on a fresh small world
brought to the month where it acts, and checked against what it must do."""
import copy

import numpy as np
import pytest

from conftest import advance_to, run_plan_until
from smychka import data
from smychka.core.params import defaults
from smychka.core.state import MEMBER
from smychka.core.variables import VARIABLES
from smychka.kernels.common import hire_area
from smychka.kernels.tax import KULAK
from smychka.processes import (consumption, harvest, livestock, loyalty, market, marketing,
                               procurement, sowing, tax)
from smychka.processes.sowing import capacity_params

F32 = 2.0 ** -23  # relative spacing of float32 numbers


def _n(sim):
    return sim.world.hh.n


def _f64(arr, n):
    return arr[:n].astype(np.float64)


def _recorded(sim, name):
    """This month's recorded total of a household flow, back in sample units (kg, roubles)."""
    w = sim.world
    scale = w.weight * (1e-3 if VARIABLES[name].units == "tonnes" else 1.0)
    return sim.recorder.rs[name][w.t].sum() / scale


def _open_month(new_sim, month, process, **kw):
    """A fresh small world at `month`, with the month's plan run up to `process`."""
    sim = new_sim(**kw)
    advance_to(sim, month)
    run_plan_until(sim, process)
    return sim


# --- sowing ----------------------------------------------------------------------------------

def _capacity(w):
    """Grain area the household can sow: land (with the year's lease for an individual farm),
    draft power and labour (independent statement of the rule in the parameter schema)."""
    hh, p, n = w.hh, w.params, w.hh.n
    lease = np.where(hh.status[:n] == 0, _f64(hh.leased, n), 0.0)
    land = (_f64(hh.land, n) + lease) * p["sowing.land_use"]
    horses = _f64(hh.horses, n)
    hire = capacity_params(p, w.streams)[2]
    hired = np.array([hire_area(*hire, i) for i in range(n)])
    draft = np.where(horses > 0, horses * p["sowing.ha_per_horse"], hired)
    labour = _f64(hh.workers, n) * p["sowing.ha_per_worker"]
    return np.minimum(np.minimum(land, draft), labour)


@pytest.mark.parametrize("month, hire_sigma", [("1924-09", 0.0), ("1924-10", 0.0),
                                               ("1925-04", 0.0), ("1925-05", 0.0),
                                               ("1925-04", 1.0)])
def test_sowing_stays_within_capacity_and_uses_own_seed(new_sim, month, hire_sigma):
    """With hired ploughing spread over households (hire_sigma 1), each horseless farm is held
    to its own area, the one the lease market gave it land by."""
    sim = _open_month(new_sim, month, "sowing", params={"sowing.hire_sigma": hire_sigma})
    w, hh, n = sim.world, sim.world.hh, _n(sim)
    winter = month.endswith(("-09", "-10"))
    sown = hh.sown_winter if winter else hh.sown_spring
    ws = w.regions["winter_share"][hh.region[:n]]
    share = ws if winter else 1.0 - ws
    hh.money[:n] = 0.0                       # nothing can be bought: seed is the household's own
    empty = np.arange(n) % 4 == 0
    hh.grain[:n][empty] = 0.0
    g0, a0 = _f64(hh.grain, n), _f64(sown, n)
    seed0 = _recorded(sim, "seed_use")
    sowing.step(w, sim.recorder)
    g1, a1 = _f64(hh.grain, n), _f64(sown, n)
    added = a1 - a0
    assert added.sum() > 0, "nobody sowed"
    assert np.all(added >= -1e-6), "sowing reduced a sown area"
    bound = np.maximum(a0, _capacity(w) * share)
    over = a1 - bound
    assert np.all(over <= 1e-5 * np.maximum(bound, 1.0)), (
        f"sown area exceeds land, draft and labour capacity by up to {over.max():.4g} ha")
    assert np.all(added[empty] == 0.0), "a household with no grain and no cash sowed"
    removed = g0 - g1
    seed_rate = w.params["sowing.seed_rate"]
    np.testing.assert_allclose(removed, added * seed_rate, rtol=1e-5, atol=1e-3,
                               err_msg="grain removed is not the seed of the area sown")
    np.testing.assert_allclose(_recorded(sim, "seed_use") - seed0, removed.sum(), rtol=1e-7,
                               err_msg="recorded seed_use is not the grain removed")


@pytest.mark.parametrize("keep", [1.0, 0.0])
def test_spring_sowing_keeps_the_food_to_the_harvest(new_sim, keep):
    """In April (three months to the harvest) a family without cash sows only from the grain
    above its food to the harvest; with the keep off, a month's food is all it keeps back."""
    sim = _open_month(new_sim, "1925-04", "sowing", params={"sowing.spring_food_keep": keep})
    w, hh, n = sim.world, sim.world.hh, _n(sim)
    hh.money[:n] = 0.0
    food_m = _f64(hh.persons, n) * w.params["consumption.food_kg"] / 12.0
    # every family holds two and a half months of food: less than it eats before July
    hh.grain[:n] = (2.5 * food_m).astype(np.float32)
    live = hh.status[:n] <= MEMBER
    g0, a0 = _f64(hh.grain, n), _f64(hh.sown_spring, n)
    sowing.step(w, sim.recorder)
    g1, sowed = _f64(hh.grain, n), _f64(hh.sown_spring, n) - a0
    if keep:
        assert np.all(sowed[live] == 0.0), "a family sowed the food it must eat before July"
        np.testing.assert_allclose(g1, g0)
    else:
        assert (sowed[live] > 0).mean() > 0.5, "with a month's food kept, most should sow"
        assert np.all(g1[live] >= food_m[live] * (1 - 1e-5)), "sowed below a month's food"


def test_hired_ploughing_spread_over_households_keeps_its_mean():
    """The area a horseless household gets ploughed is lognormal around `sowing.hire_ha`: the
    mean is kept, and with a log-sd of 1 about half the households get under a hectare."""
    mean, sigma, key = 1.66, 1.0, np.uint64(12345)
    areas = np.array([hire_area(mean, sigma, key, i) for i in range(100_000)])
    assert abs(areas.mean() / mean - 1.0) < 0.02, areas.mean()
    below = (areas < 1.0).mean()
    assert 0.47 < below < 0.53, below   # Phi((ln(1/1.66) + 0.5) / 1) = 0.497
    assert hire_area(mean, 0.0, key, 7) == mean
    # a trait drawn for each run: another seed's stream gives the slots other areas
    other = np.array([hire_area(mean, sigma, np.uint64(54321), i) for i in range(1000)])
    assert np.mean(other != areas[:1000]) > 0.99


def _dwarf_share(new_sim, sigma):
    """Share of the horseless individual farms whose crop standing in June 1926 is under 1 ha."""
    sim = new_sim(params={"sowing.hire_sigma": sigma})
    sim.run(until=sim.world.cal.index_of("1926-07"))
    hh, n = sim.world.hh, _n(sim)
    sown = _f64(hh.sown_winter, n) + _f64(hh.sown_spring, n)
    horseless = (hh.status[:n] == 0) & (hh.horses[:n] == 0)
    return float(np.mean(sown[horseless] < 1.0))


def test_dwarf_farms_appear_when_hired_ploughing_is_spread(new_sim):
    """Every horseless farm gets the mean area ploughed: almost none sows under a hectare.
    Spread the area over households and the ones that get little sow dwarf fields."""
    assert _dwarf_share(new_sim, 0.0) < 0.05
    assert _dwarf_share(new_sim, 1.0) > 0.3


@pytest.mark.parametrize("month, process", [("1925-04", "sowing"), ("1925-03", "consumption")])
def test_purchases_within_stocks_take_no_more_than_the_stocks_hold(new_sim, month, process):
    """Every family is out of grain and has cash; the traders hold 1,000 t and the state none.
    Within the stocks, the villages buy at most those 1,000 t; in the calibrated model the
    seed step (and, in consumption, a share set from last month's smaller wishes) buys far
    more, which the state then imports."""
    bought = {}
    for within in (0.0, 1.0):
        sim = _open_month(new_sim, month, process,
                          params={"consumption.purchases_within_stocks": within})
        w, hh, n = sim.world, sim.world.hh, _n(sim)
        hh.grain[:n] = 0.0
        hh.money[:n] = 1e4
        w.econ.trader_stock, w.econ.state_stock = 1000.0, 0.0
        w.econ.month_values["private_sold"] = 0.0
        (sowing if process == "sowing" else consumption).step(w, sim.recorder)
        key = "seed_bought" if process == "sowing" else "purchases"
        bought[within] = w.econ.month_values[key]
    assert bought[1.0] <= 1000.0 * (1 + 1e-6)
    assert bought[1.0] > 500.0, "the stocks were not served"
    assert bought[0.0] > 5 * 1000.0


def test_sowing_buys_missing_seed_only_with_cash(new_sim):
    sim = _open_month(new_sim, "1924-09", "sowing")
    w, hh, n = sim.world, sim.world.hh, _n(sim)
    hh.grain[:n] = 0.0
    poor = np.arange(n) % 2 == 0
    hh.money[:n][poor] = 0.0
    hh.money[:n][~poor] = 1e4
    g0, m0, a0 = _f64(hh.grain, n), _f64(hh.money, n), _f64(hh.sown_winter, n)
    before = {k: _recorded(sim, k) for k in ("seed_use", "grain_purchases", "grain_spending")}
    sowing.step(w, sim.recorder)
    added = _f64(hh.sown_winter, n) - a0
    assert np.all(added[poor] == 0.0), "a household sowed without grain or cash"
    got = {k: _recorded(sim, k) - before[k] for k in before}
    g1, m1 = _f64(hh.grain, n), _f64(hh.money, n)
    np.testing.assert_allclose(got["grain_purchases"] - got["seed_use"], (g1 - g0).sum(),
                               rtol=1e-6, atol=1e-3, err_msg="seed bought and sown do not "
                               "add up to the change of the grain stock")
    np.testing.assert_allclose(got["grain_spending"], (m0 - m1).sum(), rtol=1e-6)
    np.testing.assert_allclose(got["seed_use"], added.sum() * w.params["sowing.seed_rate"],
                               rtol=1e-5)


# --- harvest ---------------------------------------------------------------------------------

NO_NOISE = {"harvest.weather_sigma": 0.0, "harvest.village_sigma": 0.0,
            "harvest.noise_sigma": 0.0}


def _base_yield(w):
    hh, p, n = w.hh, w.params, w.hh.n
    y = w.regions["base_yield"][hh.region[:n]] * _f64(hh.skill, n)
    return np.where(hh.horses[:n] == 0, y * p["harvest.horseless_factor"], y)


@pytest.mark.parametrize("month", ["1924-07", "1924-08"])
def test_harvest_adds_area_times_yield_and_clears_the_field(new_sim, month):
    sim = _open_month(new_sim, month, "harvest", params=NO_NOISE, weather="random")
    w, hh, n = sim.world, sim.world.hh, _n(sim)
    field = hh.sown_winter if month.endswith("07") else hh.sown_spring
    area, g0 = _f64(field, n), _f64(hh.grain, n)
    assert area.sum() > 0, "no crop standing at harvest time"
    rec0 = _recorded(sim, "harvest")
    harvest.step(w, sim.recorder)
    g1 = _f64(hh.grain, n)
    expected = area * _base_yield(w)
    err = np.abs((g1 - g0) - expected)
    assert np.all(err <= F32 * g1 + 1e-9), (
        f"harvest differs from area x yield by {err.max():.4g} kg")
    assert np.all(field[:n] == 0.0), "the harvested field still counts as sown"
    np.testing.assert_allclose(_recorded(sim, "harvest") - rec0, (g1 - g0).sum(), rtol=1e-7)
    if month.endswith("07"):
        np.testing.assert_allclose(_f64(hh.last_sown, n), area, rtol=1e-7,
                                   err_msg="last_sown is not the area harvested")


def test_harvest_shocks_average_out_to_the_weather(new_sim):
    sim = _open_month(new_sim, "1924-07", "harvest")
    w, hh, n = sim.world, sim.world.hh, _n(sim)
    area, g0 = _f64(hh.sown_winter, n), _f64(hh.grain, n)
    harvest.step(w, sim.recorder)
    wx = sim.recorder.r["weather"][w.t][hh.region[:n]]
    assert np.all(np.isfinite(wx)) and np.all(wx > 0), "the weather of the year is not recorded"
    ratio = (_f64(hh.grain, n) - g0).sum() / (area * _base_yield(w) * wx).sum()
    assert abs(ratio - 1.0) < 0.05, (
        f"village and household shocks do not average to one: {ratio:.3f}")


# --- tax -------------------------------------------------------------------------------------

def _assessed(new_sim, progressivity=None):
    sim = _open_month(new_sim, "1924-09", "tax")
    w, hh, n = sim.world, sim.world.hh, _n(sim)
    if progressivity is not None:
        w.levers["tax_progressivity"][w.t] = progressivity
    assert np.all(hh.tax_due[:n] == 0), "tax is due before the first assessment"
    tax.step(w, sim.recorder)
    return sim, _f64(hh.scratch, n), _f64(hh.tax_due, n)   # scratch holds assessed income


def test_tax_exempts_the_poorest_and_raises_the_national_total(new_sim):
    sim, income, due = _assessed(new_sim)
    w, n = sim.world, _n(sim)
    exempt = w.lever("tax_exempt_share")
    order = np.argsort(income, kind="stable")
    k = int(exempt * n)
    assert np.all(due[order[:k]] == 0.0), "a household below the exempt quantile owes tax"
    assert (due == 0).mean() <= exempt + 0.02, "far more households exempt than the lever says"
    total = due.sum() * w.weight
    np.testing.assert_allclose(total, w.params["tax.total_mln_rub"] * 1e6, rtol=1e-5,
                               err_msg="the assessed total is not the national tax")


def test_tax_rises_faster_than_income(new_sim):
    sim, income, due = _assessed(new_sim)
    assert sim.world.lever("tax_progressivity") > 1.0
    taxed = due > 0
    order = np.argsort(income[taxed], kind="stable")
    x, d = income[taxed][order], due[taxed][order]
    assert np.all(np.diff(d) >= -1e-6 * d[1:]), "more income, less tax"
    rate = d / x
    assert np.all(np.diff(rate) >= -1e-5 * rate[1:]), "the tax rate falls with income"
    assert rate[-1] > 1.5 * rate[0], "the tax is hardly progressive"


def test_tax_progressivity_shifts_the_burden_to_the_rich(new_sim):
    shares = []
    for prog in (1.0, 2.0):
        _, income, due = _assessed(new_sim, progressivity=prog)
        top = income >= np.quantile(income, 0.9)
        shares.append(due[top].sum() / due.sum())
        if prog == 1.0:
            taxed = due > 0
            r = due[taxed] / income[taxed]
            np.testing.assert_allclose(r, r.mean(), rtol=1e-5,
                                       err_msg="proportional tax is not a flat rate")
    assert shares[1] > shares[0] + 0.05, f"top decile's share {shares} does not rise"


def test_the_crop_is_counted_by_the_class_its_farm_gets_on_it(new_sim):
    """`classified_harvest` is each household's last harvest summed by the stratum the
    September classification gives it: the groups by which a year's crop and its sales are
    read. At the harvest a farm still holds last year's stratum, which differs for many."""
    sim = _open_month(new_sim, "1925-09", "tax")
    w, hh, n = sim.world, sim.world.hh, _n(sim)
    before = hh.stratum[:n].copy()
    tax.step(w, sim.recorder)
    after, crop = hh.stratum[:n], _f64(hh.last_harvest, n)
    alive = hh.status[:n] <= MEMBER
    assert (before[alive] != after[alive]).mean() > 0.02, "the classification moved no farm"
    got = sim.recorder.rs["classified_harvest"][w.t].sum(axis=0) / (w.weight * 1e-3)
    for s in range(got.shape[0]):
        np.testing.assert_allclose(got[s], crop[alive & (after == s)].sum(), rtol=1e-6,
                                   err_msg=f"stratum {s}: not the crop of its farms")
    old = crop[alive & (before == KULAK)].sum()
    assert abs(got[KULAK] - old) > 0.05 * old, "the kulaks' crop is the same by either class"


def test_tax_is_paid_from_cash_only(new_sim):
    sim = _open_month(new_sim, "1924-11", "market")
    w, hh, n = sim.world, sim.world.hh, _n(sim)
    hh.money[:n][::3] = 0.0
    m0, d0 = _f64(hh.money, n), _f64(hh.tax_due, n)
    assert d0.sum() > 0, "no tax due in November"
    paid0 = _recorded(sim, "tax_paid")
    tax.collect(w, sim.recorder)
    m1, d1 = _f64(hh.money, n), _f64(hh.tax_due, n)
    paid = m0 - m1
    assert np.all(m1 >= 0) and np.all(paid >= 0)
    assert np.all(paid <= d0 + 1e-3), "paid more than was due"
    np.testing.assert_allclose(d0 - d1, paid, atol=1e-3, err_msg="tax due not reduced by payment")
    assert np.all(paid[::3] == 0), "tax paid without cash"
    np.testing.assert_allclose(_recorded(sim, "tax_paid") - paid0, paid.sum(), rtol=1e-6)


# --- marketing -------------------------------------------------------------------------------

def _floor(w, month):
    """What a household keeps when it sells: part of the food to the harvest, seed ahead."""
    hh, p, n = w.hh, w.params, w.hh.n
    m = int(month[-2:])
    food = _f64(hh.persons, n) * p["consumption.food_kg"] / 12.0 * marketing.months_to_harvest(m)
    wa, sa = marketing.seed_ahead(m, p["sowing.first_month_share"])
    ws = w.regions["winter_share"][hh.region[:n]]
    seed = _f64(hh.last_sown, n) * p["sowing.seed_rate"] * (ws * wa + (1 - ws) * sa)
    return p["marketing.need_floor"] * food + seed


@pytest.mark.parametrize("month", ["1924-08", "1924-10", "1925-02", "1925-05"])
def test_offers_never_breach_the_food_and_seed_floor(new_sim, month):
    sim = _open_month(new_sim, month, "marketing")
    w, hh, n = sim.world, sim.world.hh, _n(sim)
    g = _f64(hh.grain, n)
    marketing.step(w, sim.recorder)
    offer = _f64(hh.offer_state, n) + _f64(hh.offer_private, n)
    assert np.all(hh.offer_state[:n] >= 0) and np.all(hh.offer_private[:n] >= 0)
    assert offer.sum() > 0, f"nobody offers grain in {month}"
    room = np.maximum(g - _floor(w, month), 0.0)
    over = offer - room
    assert np.all(over <= 1e-5 * np.maximum(g, 1.0)), (
        f"an offer takes the stock below the floor by {over.max():.4g} kg")


def test_sales_from_the_surplus_follow_the_real_price_by_its_elasticity(new_sim):
    """At the default elasticity 1 the kernel takes the real price itself, with no pow: the
    offers must be those of an elasticity a hair above 1 (the general path), and an
    elasticity of 0 (sales blind to the price) must give other offers."""
    offers = {}
    for e in (1.0, 1.0 + 1e-12, 0.0):
        sim = _open_month(new_sim, "1924-10", "marketing",
                          params={"marketing.price_elasticity": e})
        w, n = sim.world, _n(sim)
        marketing.step(w, sim.recorder)
        offers[e] = _f64(w.hh.offer_state, n) + _f64(w.hh.offer_private, n)
    one, near, blind = offers[1.0], offers[1.0 + 1e-12], offers[0.0]
    assert one.sum() > 0
    assert np.allclose(one, near, rtol=1e-6, atol=1e-3), "the shortcut at 1 is not x ** 1"
    assert abs(blind.sum() / one.sum() - 1.0) > 1e-3, "the elasticity does not act on sales"


def test_no_private_offers_when_private_trade_is_banned(new_sim):
    sim = new_sim()
    advance_to(sim, "1924-10")
    w, n = sim.world, _n(sim)
    w.levers["private_trade"][w.t:] = 0.0     # banned from this month on
    run_plan_until(sim, "marketing", inclusive=True)
    assert np.all(w.hh.offer_private[:n] == 0), "private offers under a ban on private trade"
    assert w.hh.offer_state[:n].sum() > 0, "no offers to the state either"


def test_a_ban_on_private_trade_stops_private_sales(run_small):
    ds = run_small(levers={"private_trade": {"1924-07": 0.0}})
    assert float(ds.private_sales.sum()) == 0.0
    assert float(ds.procurement.sum()) > 0.0


# --- procurement and the private market ------------------------------------------------------

def test_state_purchase_moves_grain_to_money_at_the_state_price(new_sim):
    sim = _open_month(new_sim, "1924-10", "procurement")
    w, hh, n = sim.world, sim.world.hh, _n(sim)
    g0, m0, offer = _f64(hh.grain, n), _f64(hh.money, n), _f64(hh.offer_state, n)
    price = w.econ.state_price[hh.region[:n]]
    before = {k: _recorded(sim, k) for k in ("procurement", "grain_revenue")}
    procurement.step(w, sim.recorder)
    g1, m1 = _f64(hh.grain, n), _f64(hh.money, n)
    kg = g0 - g1
    assert kg.sum() > 0, "the state bought nothing"
    np.testing.assert_allclose(kg, np.minimum(offer, g0), rtol=1e-6, atol=1e-3,
                               err_msg="delivered grain is not the offer to the state")
    np.testing.assert_allclose(m1 - m0, kg * price, rtol=1e-6, atol=F32 * m1.max(),
                               err_msg="money received is not grain x state price")
    np.testing.assert_allclose(_recorded(sim, "procurement") - before["procurement"], kg.sum(),
                               rtol=1e-6)
    np.testing.assert_allclose(_recorded(sim, "grain_revenue") - before["grain_revenue"],
                               (m1 - m0).sum(), rtol=1e-6)


def test_private_sales_follow_the_private_offers(new_sim):
    sim = _open_month(new_sim, "1924-10", "market")
    w, hh, n = sim.world, sim.world.hh, _n(sim)
    g0, m0, offer = _f64(hh.grain, n), _f64(hh.money, n), _f64(hh.offer_private, n)
    names = ("private_sales", "grain_revenue", "tax_paid", "goods_spending")
    before = {k: _recorded(sim, k) for k in names}
    market.step(w, sim.recorder)
    got = {k: _recorded(sim, k) - before[k] for k in names}
    kg = g0 - _f64(hh.grain, n)
    assert kg.sum() > 0, "no private sales under free trade"
    np.testing.assert_allclose(kg, np.minimum(offer, g0), rtol=1e-6, atol=1e-3)
    np.testing.assert_allclose(got["private_sales"], kg.sum(), rtol=1e-6)
    price = w.econ.private_price[hh.region[:n]]
    np.testing.assert_allclose(got["grain_revenue"], (kg * price).sum(), rtol=1e-5)
    np.testing.assert_allclose(_f64(hh.money, n).sum() - m0.sum(),
                               got["grain_revenue"] - got["tax_paid"] - got["goods_spending"],
                               rtol=1e-6, err_msg="market money flows do not add up")
    assert np.all(hh.money[:n] >= 0)


# --- consumption -----------------------------------------------------------------------------

def _no_livestock(hh, n):
    for kind in ("horses", "cattle", "pigs", "sheep"):
        getattr(hh, kind)[:n] = 0


def test_households_eat_what_they_have_and_lose_some_in_store(new_sim):
    sim = _open_month(new_sim, "1925-01", "consumption")
    w, hh, n, p = sim.world, sim.world.hh, _n(sim), sim.world.params
    _no_livestock(hh, n)
    hh.money[:n] = 0.0
    hh.grain[:n][::7] = 0.0
    hh.grain[:n][1::7] = 10.0
    hh.hidden[:n][::5] = 50.0
    g0, h0 = _f64(hh.grain, n), _f64(hh.hidden, n)
    need = _f64(hh.persons, n) * p["consumption.food_kg"] / 12.0
    names = ("consumption", "grain_purchases", "food_shortfall", "feed_use", "losses")
    before = {k: _recorded(sim, k) for k in names}
    consumption.step(w, sim.recorder)
    got = {k: _recorded(sim, k) - before[k] for k in names}
    eat_visible = np.minimum(need, g0)
    eat_hidden = np.minimum(need - eat_visible, h0)
    eaten = eat_visible + eat_hidden
    assert got["grain_purchases"] == 0.0, "grain bought without money"
    assert got["feed_use"] == 0.0, "fodder fed to no livestock"
    np.testing.assert_allclose(got["consumption"], eaten.sum(), rtol=1e-6)
    np.testing.assert_allclose(got["food_shortfall"], (need - eaten).sum(), rtol=1e-6, atol=1e-3)
    g_exp = (g0 - eat_visible) * (1 - p["consumption.loss_rate"])
    h_exp = (h0 - eat_hidden) * (1 - p["consumption.hidden_loss_rate"])
    # households that died out (natural deaths take some one-person families) are left alone
    gone = hh.status[:n] > MEMBER
    g_exp[gone], h_exp[gone] = g0[gone], h0[gone]
    np.testing.assert_allclose(_f64(hh.grain, n), g_exp, rtol=1e-6, atol=1e-3,
                               err_msg="grain left is not stock - food - storage loss")
    np.testing.assert_allclose(_f64(hh.hidden, n), h_exp, rtol=1e-6, atol=1e-3)
    np.testing.assert_allclose(got["losses"], (g0 - eat_visible - g_exp).sum()
                               + (h0 - eat_hidden - h_exp).sum(), rtol=1e-5)


def test_households_without_grain_buy_their_food(new_sim):
    sim = _open_month(new_sim, "1925-01", "consumption")
    w, hh, n, p = sim.world, sim.world.hh, _n(sim), sim.world.params
    _no_livestock(hh, n)
    w.econ.trader_stock = 1e12        # plenty to buy from
    hh.grain[:n] = 0.0
    hh.hidden[:n] = 0.0
    hh.money[:n] = 1e4
    price = market.purchase_price(w)[hh.region[:n]]
    need = _f64(hh.persons, n) * p["consumption.food_kg"] / 12.0
    bought_exp = need * p["consumption.buy_months"]
    before = {k: _recorded(sim, k) for k in ("consumption", "grain_purchases")}
    consumption.step(w, sim.recorder)
    got = {k: _recorded(sim, k) - before[k] for k in before}
    np.testing.assert_allclose(got["grain_purchases"], bought_exp.sum(), rtol=1e-6)
    np.testing.assert_allclose(got["consumption"], np.minimum(need, bought_exp).sum(), rtol=1e-6,
                               err_msg="households with cash did not eat what they bought")
    np.testing.assert_allclose(1e4 - _f64(hh.money, n), bought_exp * price, rtol=1e-6,
                               atol=F32 * 1e4, err_msg="grain not paid at the purchase price")


# --- livestock -------------------------------------------------------------------------------

HERD = {"horses": 2, "cattle": 3, "pigs": 1, "sheep": 5}


def test_livestock_without_fodder_is_lost_faster(new_sim):
    sim = _open_month(new_sim, "1924-11", "livestock")
    hh, n = sim.world.hh, _n(sim)
    for kind, k in HERD.items():
        getattr(hh, kind)[:n] = k
    hh.land[:n] = 5.0
    hh.money[:n] = 0.0
    worlds = {}
    for fed in (100, 0):
        w, rec = copy.deepcopy(sim.world), copy.deepcopy(sim.recorder)
        for _ in range(5):                 # November - March, stall months without births
            w.hh.fed_pct[:n] = fed
            livestock.step(w, rec)
            w.t += 1
        worlds[fed] = w
        for kind in HERD:
            x = getattr(w.hh, kind)[:n]
            assert x.max() <= 3 * HERD[kind] + 5, f"{kind}: a count jumped (wrapped around?)"
    for kind, k in HERD.items():
        fed = getattr(worlds[100].hh, kind)[:n].astype(int)
        hungry = getattr(worlds[0].hh, kind)[:n].astype(int)
        lost_fed, lost_hungry = k * n - fed.sum(), k * n - hungry.sum()
        assert lost_hungry > lost_fed + 0.05 * k * n, (
            f"{kind}: {lost_hungry} head lost without fodder, {lost_fed} with it")


def test_livestock_counts_stay_in_range(small_run):
    for kind in ("horses", "cattle", "pigs", "sheep"):
        x = small_run[kind].sum(("region", "stratum")).values
        assert np.all(x > 0), f"{kind} died out"
        step = x[1:] / x[:-1]
        assert step.max() < 2.5 and step.min() > 0.4, (
            f"{kind}: the national herd changes by a factor {step.min():.2f}-{step.max():.2f} "
            "in a month")


def test_livestock_never_wraps_below_zero(new_sim):
    sim = _open_month(new_sim, "1925-01", "livestock")
    w, hh, n = sim.world, sim.world.hh, _n(sim)
    for kind in HERD:
        getattr(hh, kind)[:n] = np.arange(n) % 2     # zero or one head
    hh.fed_pct[:n] = 0
    for _ in range(4):
        hh.fed_pct[:n] = 0
        livestock.step(w, sim.recorder)
        w.t += 1
        for kind in HERD:
            assert getattr(hh, kind)[:n].max() <= 20, f"{kind}: a count wrapped around"


# --- loyalty ---------------------------------------------------------------------------------

def test_loyalty_moves_toward_its_resting_value_and_stays_in_bounds(new_sim):
    """Without contagion from the neighbours, each household's loyalty relaxes toward the
    resting value of its stratum when the terms of trade and goods are neutral."""
    sim = _open_month(new_sim, "1925-01", "loyalty", params={"loyalty.contagion": 0.0})
    w, hh, n = sim.world, sim.world.hh, _n(sim)
    w.econ.scissors = np.ones(w.n_regions)           # neutral terms of trade
    w.econ.goods_availability = np.ones(w.n_regions)  # goods to be had
    hh.grievance[:n] = 0.0
    hh.fear[:n] = 0.0
    hh.loyalty[:n] = np.random.default_rng(0).uniform(0.0, 1.0, n)
    hh.loyalty[:n][:3] = (0.0, 1.0, 0.5)
    rest = loyalty.base(w.params)[hh.stratum[:n]]
    dist = np.abs(_f64(hh.loyalty, n) - rest)
    for _ in range(150):
        loyalty.step(w, sim.recorder)
        x = _f64(hh.loyalty, n)
        assert np.all((x >= 0) & (x <= 1)), "loyalty left [0, 1]"
        new = np.abs(x - rest)
        assert np.all(new <= dist + 1e-6), "loyalty moved away from its resting value"
        dist = new
    alive = hh.status[:n] <= MEMBER          # households that died out keep their last value
    assert alive.mean() > 0.99
    assert dist[alive].max() < 1e-3, (
        f"loyalty does not settle at its resting value ({dist[alive].max():.3g})")


def test_contagion_draws_a_village_together(new_sim):
    """One month from the same scattered loyalties: villages end up tighter with contagion
    than without it."""
    spreads = {}
    for contagion in (None, 0.0):
        params = None if contagion is None else {"loyalty.contagion": contagion}
        sim = _open_month(new_sim, "1925-01", "loyalty", params=params)
        w, hh, n, v = sim.world, sim.world.hh, _n(sim), sim.world.villages
        w.econ.scissors = np.ones(w.n_regions)
        w.econ.goods_availability = np.ones(w.n_regions)
        hh.grievance[:n] = 0.0
        hh.fear[:n] = 0.0
        hh.loyalty[:n] = np.random.default_rng(1).uniform(0.0, 1.0, n)
        loyalty.step(w, sim.recorder)
        x = _f64(hh.loyalty, n)
        assert np.all((x >= 0) & (x <= 1))
        spreads[contagion] = np.mean([x[f:f + c].std() for f, c in zip(v.first, v.count)])
    assert sim.world.params["loyalty.contagion"] == 0.0
    assert spreads[None] < spreads[0.0] * 0.99, f"contagion does not tighten villages: {spreads}"


def test_grievance_and_scarce_goods_lower_loyalty(new_sim):
    sim = _open_month(new_sim, "1925-01", "loyalty")
    w, hh, n = sim.world, sim.world.hh, _n(sim)
    w.econ.scissors = np.ones(w.n_regions)
    w.econ.goods_availability = np.ones(w.n_regions)
    hh.loyalty[:n] = 0.5
    hh.fear[:n] = 0.0
    hurt = np.arange(n) % 2 == 0
    hh.grievance[:n] = np.where(hurt, 5.0, 0.0)
    for _ in range(24):
        loyalty.step(w, sim.recorder)
    x = _f64(hh.loyalty, n)
    assert np.all((x >= 0) & (x <= 1))
    for s in range(3):
        sel = hh.stratum[:n] == s
        assert x[sel & hurt].mean() < x[sel & ~hurt].mean() - 0.05, (
            "grievance does not hurt loyalty")
    calm = x.copy()
    hh.loyalty[:n] = calm
    w.econ.goods_availability = np.full(w.n_regions, 0.3)
    for _ in range(12):
        loyalty.step(w, sim.recorder)
    assert _f64(hh.loyalty, n).mean() < calm.mean() - 0.01, "a goods famine does not hurt loyalty"


# --- the town and the state's grain ----------------------------------------------------------

@pytest.mark.parametrize("params", [None, {"sowing.seed_loan_share": 1.0,
                                             "town.village_reserve_mt": 1.0,
                                             "consumption.purchases_within_stocks": 1.0}],
                         ids=["calibrated", "loans"])
def test_state_grain_books(run_small, params):
    """With private trade banned, every grain purchase of the villages comes from the state:
    change of the state stock = procured - rations - obligations - exports - rural sales
    - seed lent + seed repaid + imports, month by month."""
    ds = run_small(levers={"private_trade": {"1924-07": 0.0}}, params=params)
    p = defaults()
    obligations = p["town.other_state_need_mt"] * 1e6 / 12.0
    stock = ds.state_grain_stock.values
    prev = np.concatenate([[p["town.state_stock_start_mt"] * 1e6], stock[:-1]])
    tot = lambda name: ds[name].sum(("region", "stratum")).values  # noqa: E731
    expected = (prev + tot("procurement") - ds.urban_rations.values - obligations
                - ds.exports.values - tot("grain_purchases") - tot("seed_loans")
                + tot("loan_repaid") + ds.imports.values)
    bad = np.nonzero(~np.isclose(stock, expected, rtol=1e-9, atol=1e-3))[0]
    assert bad.size == 0, (
        f"state grain books off in {len(bad)} months, first "
        f"{str(ds.time.values[bad[0]])[:7]}: stock {stock[bad[0]]:.6g} t, books say "
        f"{expected[bad[0]]:.6g} t" if bad.size else "")
    assert np.all(stock >= 0) and np.all(ds.imports.values >= 0)
    if params:
        assert tot("seed_loans").sum() > 0 and tot("loan_repaid").sum() > 0
    need = ds.urban_grain_need.values * p["town.ration_share"]
    assert np.all(ds.urban_rations.values <= need * (1 + 1e-12)), "rations above the ration share"


# --- the synthetic population ----------------------------------------------------------------

def test_population_matches_the_strata_and_regions(new_sim):
    sim = new_sim(households=20_000)
    w, hh, n = sim.world, sim.world.hh, _n(sim)
    assert n == 20_000
    np.testing.assert_allclose(w.weight * n, defaults()["population.total_households"], rtol=1e-12,
                               err_msg="the sample does not stand for the national total of households")
    table = data.strata()["household_share"].to_numpy(float)
    counts = np.bincount(hh.stratum[:n], minlength=len(table))
    assert counts[len(table):].sum() == 0, "households start outside the peasant strata"
    shares = counts[:len(table)] / n
    assert np.all(np.abs(shares - table) <= 0.01), f"strata shares {shares} vs {table}"
    regions = np.bincount(hh.region[:n], minlength=w.n_regions) / n
    np.testing.assert_allclose(regions, w.regions["household_share"]
                               / w.regions["household_share"].sum(), atol=1.0 / n)


def test_villages_are_contiguous_blocks_of_about_a_hundred(new_sim):
    sim = new_sim(households=20_000)
    w, hh, n, v = sim.world, sim.world.hh, _n(sim), sim.world.villages
    assert v.first[0] == 0 and v.count.sum() == n
    np.testing.assert_array_equal(v.first[1:], v.first[:-1] + v.count[:-1],
                                  err_msg="villages are not contiguous")
    np.testing.assert_array_equal(hh.village[:n], np.repeat(np.arange(v.n), v.count))
    size = w.params["population.village_size"]
    assert np.all((v.count >= 0.5 * size) & (v.count <= 1.5 * size)), (
        f"village sizes from {v.count.min()} to {v.count.max()}")
    assert abs(v.count.mean() - size) < 0.1 * size
    for k in range(v.n):
        r = hh.region[v.first[k]: v.first[k] + v.count[k]]
        assert np.all(r == v.region[k]), f"village {k} spans more than one region"


# --- kolkhoz ---------------------------------------------------------------------------------

def test_a_kolkhoz_founded_in_the_winter_keeps_seed_for_its_spring_sowing(new_sim):
    """March 1930: kolkhozes founded in the drive have reaped nothing yet; fodder, deliveries
    and advances to members must still leave them the seed for the fields they can sow. No
    joining of the households' own accord, so that villages first meet their kolkhoz in the
    drive."""
    from smychka.processes import kolkhoz
    own = {"collectivization.voluntary_rate": 0.0, "collectivization.escape_fear": 0.0}
    sim = _open_month(new_sim, "1930-03", "kolkhoz", end="1930-06", households=8_000,
                      params=own)
    w, v, p = sim.world, sim.world.villages, sim.world.params
    new = (v.k_members > 0) & (v.k_last_sown == 0) & (v.k_land > 0)
    assert new.sum() >= 5, "no kolkhoz founded in the winter to test"
    before = v.k_grain.copy()
    kolkhoz.step(w, sim.recorder)
    # a lower bound on the capacity (effort at its lowest) and on the spring seed still ahead
    effort_min = p["kolkhoz.effort_base"] * (1.0 - p["kolkhoz.effort_hunger"])
    cap = np.minimum.reduce([
        v.k_land * p["sowing.land_use"],
        v.k_horses * p["sowing.ha_per_horse"] * p["kolkhoz.horse_work"] + v.tractor_ha,
        v.k_workers * p["sowing.ha_per_worker"] * effort_min])
    spring = 1.0 - w.regions["winter_share"][v.region]
    seed = cap * p["sowing.normal_use"] * spring * p["sowing.seed_rate"]
    kept = (1.0 - p["consumption.loss_rate"]) * np.minimum(before, seed)
    assert np.all(v.k_grain[new] >= kept[new] - 1e-6), \
        np.max((kept - v.k_grain)[new])
    assert np.any(seed[new] > 0) and np.any(before[new] > v.k_grain[new] + 1.0)

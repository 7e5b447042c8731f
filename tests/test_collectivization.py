"""Collectivization, dekulakization, famine and industry (patterns 4-6), on common random
numbers, over the whole decade."""
import json

import numpy as np


def total(ds, var, start, end):
    return float(ds[var].sel(time=slice(start, end)).sum())


def share(ds, when):
    """National collectivized share at a month (household-weighted over regions)."""
    hh = ds.households.sel(time=when).sum("stratum")
    return float((ds.collectivized_share.sel(time=when) * hh).sum() / hh.sum())


def test_the_drive_the_retreat_and_the_second_wave(decade):
    h = decade("history")
    before = share(h, "1929-10-01")
    peak = max(share(h, m) for m in ("1930-01-01", "1930-02-01", "1930-03-01"))
    after, later = share(h, "1930-07-01"), share(h, "1931-07-01")
    assert peak > before + 0.3, (before, peak)          # a steep rise in early 1930
    assert after < peak - 0.15, (peak, after)           # members leave after the retreat
    assert later > after + 0.2, (after, later)          # and are driven back in


def test_dekulakization_slaughter_and_unrest_peak_with_the_drive(decade):
    h = decade("history")
    by_year = lambda var: h[var].sum([d for d in h[var].dims if d != "time"]).groupby(  # noqa
        "time.year").sum()
    for var in ("dekulakized", "livestock_slaughtered", "disturbances"):
        years = by_year(var)
        assert int(years.idxmax()) in (1929, 1930, 1931), (var, years.values)
    dekul_1930 = total(h, "dekulakized", "1930-01", "1930-12")
    assert dekul_1930 > 0 and total(h, "dekulakized", "1924-07", "1929-06") == 0.0
    middle = float(h.dekulakized.sel(stratum="serednyak").sum())
    assert middle > 0, "label error should send some middle peasants to the camps too"


def test_famine_follows_deliveries_that_leave_villages_below_subsistence(decade):
    h = decade("history")
    assert total(h, "famine_deaths", "1932-07", "1933-06") > 5 * total(
        h, "famine_deaths", "1925-07", "1926-06")


def test_nep_continued_has_far_fewer_famine_deaths_and_keeps_its_livestock(decade):
    h, nep = decade("history"), decade("nep-continued")
    assert total(nep, "famine_deaths", "1930-07", "1934-06") < 0.5 * total(
        h, "famine_deaths", "1930-07", "1934-06")
    horses = lambda d: float(d.horses.sel(time="1934-01-01").sum())  # noqa: E731
    cattle = lambda d: float(d.cattle.sel(time="1934-01-01").sum())  # noqa: E731
    assert horses(nep) > 1.3 * horses(h)
    assert cattle(nep) > 1.2 * cattle(h)


def test_lower_deliveries_in_1932_mean_fewer_famine_deaths(decade):
    h = decade("history")
    lighter = decade("history", levers={"procurement_plan": {"1932-07": 12.0}},
                     fork_at="1932-07")
    assert total(lighter, "famine_deaths", "1932-07", "1933-12") < total(
        h, "famine_deaths", "1932-07", "1933-12")
    np.testing.assert_array_equal(h.harvest.sel(time=slice(None, "1932-06-01")).values,
                                  lighter.harvest.sel(time=slice(None, "1932-06-01")).values)


def test_books_close_through_every_new_flow(decade):
    """Grain and money balances over the whole decade, collectivization, expropriation,
    flight, deaths and relief included."""
    h = decade("history")
    for book, stock in (("grain_balance", "grain_stock"), ("money_balance", "money")):
        flows = json.loads(h.attrs[book])
        net = sum(sign * h[v].sum(("region", "stratum")) for v, sign in flows).values
        level = h[stock].sum(("region", "stratum")).values
        gross = sum(abs(h[v]).sum(("region", "stratum")) for v, _ in flows).values
        residual = net[1:] - np.diff(level)
        assert np.all(np.abs(residual) <= 1e-9 * (gross[1:] + level[1:])), (
            book, float(np.abs(residual).max()))


def test_industry_grows_faster_under_the_plan(decade):
    h, nep = decade("history"), decade("nep-continued")
    out = lambda d: float(d.industrial_output.sel(time=slice("1933-07", "1934-06")).sum())  # noqa
    assert out(h) > out(nep)
    assert float(h.tractors.sel(time="1934-06-01")) > float(h.tractors.sel(time="1928-06-01"))

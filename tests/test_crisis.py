"""The procurement crisis and the escalation spiral (patterns 1-3), on common random numbers."""
import numpy as np

END = "1930-06"


def total(ds, var, start, end):
    return float(ds[var].sel(time=slice(start, end)).sum())


def june_mean(ds, var, stratum, when):
    sel = ds.sel(time=when, stratum=stratum)
    return float((sel[var] * sel.households).sum() / sel.households.sum())


def test_the_autumn_1927_shortfall(decade):
    """November-December 1927 procurement falls well below the same months of 1926 on a
    similar harvest (the record: about half)."""
    h = decade("history", end=END)
    harvest_1926 = total(h, "harvest", "1926-07", "1926-08")
    harvest_1927 = total(h, "harvest", "1927-07", "1927-08")
    assert abs(harvest_1927 / harvest_1926 - 1) < 0.1, "the two harvests are not similar"
    ratio = total(h, "procurement", "1927-11", "1927-12") / total(
        h, "procurement", "1926-11", "1926-12")
    assert ratio < 0.85, f"Nov-Dec 1927 is {ratio:.0%} of Nov-Dec 1926"


def test_extraordinary_measures_against_a_branch_without_them(decade):
    """More grain in January-March 1928, but lower loyalty among middle and poor peasants,
    more arbitrary acts, more disturbances and a smaller area sown for 1929."""
    h = decade("history", end=END)
    f = decade("history", levers={"coercion": {"1928-01": 0.0}}, fork_at="1928-01", end=END)
    grain_h = total(h, "procurement", "1928-01", "1928-03")
    grain_f = total(f, "procurement", "1928-01", "1928-03")
    assert grain_h > 1.1 * grain_f, (grain_h, grain_f)
    for s in ("serednyak", "bednyak"):
        assert june_mean(h, "loyalty", s, "1928-06-01") < june_mean(f, "loyalty", s, "1928-06-01"), s
    assert total(h, "arbitrary_acts", "1928-01", "1929-06") > 2 * total(
        f, "arbitrary_acts", "1928-01", "1929-06") + 1
    assert total(h, "disturbances", "1928-01", "1930-06") > total(
        f, "disturbances", "1928-01", "1930-06")
    hit = ["Ukraine", "North Caucasus", "Lower Volga", "Middle Volga", "Siberia", "Urals"]
    sown = lambda ds: float(ds.sown_area.sel(time="1929-06-01", region=hit).sum())  # noqa: E731
    assert sown(h) < 0.98 * sown(f), (sown(h), sown(f))


def test_identical_before_the_fork(decade):
    h = decade("history", end=END)
    f = decade("history", levers={"coercion": {"1928-01": 0.0}}, fork_at="1928-01", end=END)
    before = dict(time=slice(None, "1927-12-01"))
    for var in ("procurement", "grain_stock", "loyalty", "money"):
        np.testing.assert_array_equal(h[var].sel(**before).values, f[var].sel(**before).values)


def test_label_error_drives_arbitrary_acts(decade):
    """Without label error only true kulaks are labelled, and the arbitrary acts (hits on
    non-kulaks) fall sharply."""
    h = decade("history", end=END)
    exact = decade("history", levers={"label_error": {"1924-07": 0.0}}, end=END)
    on, off = (total(d, "arbitrary_acts", "1928-01", "1928-06") for d in (h, exact))
    assert off < 0.7 * on, (on, off)


def test_capture_diverts_grain_from_the_state(decade):
    """Cadres captured by traders steer sales to the private channel: in the first NEP year
    (before prices answer) the private share of sales is lower without diversion."""
    h = decade("history", end=END)
    clean = decade("history", params={"cadres.capture_divert": 0.0}, end=END)

    def share(d):
        private = total(d, "private_sales", "1924-08", "1925-06")
        return private / (private + total(d, "procurement", "1924-08", "1925-06"))

    assert share(clean) < 0.9 * share(h), (share(clean), share(h))


def _village_spread(params):
    """Mean within-village standard deviation of loyalty in June 1929 (history, 5,000
    households)."""
    from smychka.core.simulation import Simulation
    from smychka.scenarios.loader import load_scenario

    sc = load_scenario("history", end="1930-06", params=params)
    sim = Simulation(sc, households=5_000, seed=1)
    sim.run(until=sim.world.cal.index_of("1929-06"))
    v, hh = sim.world.villages, sim.world.hh
    spreads = [hh.loyalty[f:f + c].std() for f, c in zip(v.first, v.count)]
    return float(np.mean(spreads))


def test_contagion_carries_loyalty_through_the_village():
    """Village contagion pulls households toward their neighbours: after the extraordinary
    measures, loyalty varies less inside a village than without contagion."""
    assert _village_spread(None) < 0.9 * _village_spread({"loyalty.contagion": 0.0})


def test_nep_continued_avoids_the_spiral(decade):
    """Under Bukharin's line (no coercion from 1928, better prices and goods) there are no
    arbitrary acts, and the 1928-1929 sown area and loyalty hold up against history."""
    nep = decade("nep-continued", end=END)
    h = decade("history", end=END)
    assert total(nep, "arbitrary_acts", "1928-07", "1930-06") == 0.0
    assert total(h, "arbitrary_acts", "1928-07", "1930-06") > 0.0
    for when in ("1929-06-01", "1930-06-01"):
        assert float(nep.sown_area.sel(time=when).sum()) > float(h.sown_area.sel(time=when).sum())
        assert june_mean(nep, "loyalty", "serednyak", when) > june_mean(h, "loyalty",
                                                                        "serednyak", when)


def test_the_reactive_centre_escalates_and_retreats(decade):
    """With the reaction function on and no dated coercion at all, the lagging campaign of
    1927/28 makes the centre escalate by itself (pattern 3); when unrest passes the centre's
    threshold it steps back."""
    levers = {"coercion": {"1924-07": 0.0}}
    r = decade("history", params={"centre.reactive": 1}, levers=levers, end=END)
    c = r.coercion.sel(time=slice("1927-07", "1930-06")).values
    assert c.max() >= 0.6, "no escalation"
    unrest = r.disturbances.sum("region").sel(time=slice("1927-07", "1930-06")).values
    threshold = 0.5 * float(unrest.max())       # a centre that tolerates less unrest
    touchy = decade("history", params={"centre.reactive": 1,
                                       "centre.retreat_disturbances": threshold},
                    levers=levers, end=END)
    c2 = touchy.coercion.sel(time=slice("1927-07", "1930-06")).values
    peak = int(np.argmax(c2))
    assert c2[peak:].min() < c2.max(), "no retreat after the peak"

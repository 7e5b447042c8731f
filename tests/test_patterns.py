"""Pattern 1, the goods famine and hoarding: when manufactured goods are scarce or grain is
cheap, peasants sell less to the state and hold more grain; without the mechanism that ties
sales to what money can buy, a goods cut barely moves procurement.

Every comparison is on the same seed (common random numbers), so a difference is the lever's
effect. The window is 1925/26-1926/27, the two agricultural years after the change."""

CHANGE = "1925-07"
WINDOW = slice("1925-07-01", "1927-06-01")
GOODS_CUT = {"goods_supply": {CHANGE: 0.5}}
PRICE_CUT = {"procurement_price": {CHANGE: 0.6}}
# goods no longer matter to sales: no hoarding against scarce goods, no sales response to
# goods availability, no cash wanted for goods
MECHANISM_OFF = {"marketing.hoarding_goods": 0.0, "marketing.goods_elasticity": 0.0,
                 "marketing.cash_horizon": 0.0}


def procured(ds) -> float:
    """State procurement over the window, tonnes."""
    return float(ds.procurement.sel(time=WINDOW).sum())


def held(ds) -> float:
    """Mean peasant grain stock over the window, tonnes."""
    return float(ds.grain_stock.sel(time=WINDOW).sum(("region", "stratum")).mean())


def kept(ds) -> float:
    """Grain the village keeps for itself over the window: the mean stock plus what it feeds
    its livestock, tonnes."""
    return held(ds) + float(ds.feed_use.sel(time=WINDOW).sum())


def test_scarce_goods_mean_less_procurement_and_more_hoarding(run_small):
    base, cut = run_small(), run_small(levers=GOODS_CUT)
    assert procured(cut) < 0.9 * procured(base), (
        f"procurement {procured(cut) / 1e6:.2f} Mt against {procured(base) / 1e6:.2f} Mt in the "
        "base run: not at least 10 % lower")
    assert held(cut) > held(base), (
        f"mean grain stock {held(cut) / 1e6:.2f} Mt against {held(base) / 1e6:.2f} Mt: "
        "peasants do not hold more grain")


def test_cheap_grain_means_less_procurement_and_more_grain_kept(run_small):
    """A low state price: peasants sell less to the state, and keep the grain in the village,
    in the bin or fed to livestock (whose products sell at market prices)."""
    base, cut = run_small(), run_small(levers=PRICE_CUT)
    assert procured(cut) < 0.9 * procured(base), (
        f"procurement {procured(cut) / 1e6:.2f} Mt against {procured(base) / 1e6:.2f} Mt")
    assert kept(cut) > kept(base), (
        f"grain kept {kept(cut) / 1e6:.2f} Mt against {kept(base) / 1e6:.2f} Mt")


def test_the_goods_cut_acts_through_the_goods_mechanism(run_small):
    effect_on = procured(run_small()) - procured(run_small(levers=GOODS_CUT))
    base_off = run_small(params=MECHANISM_OFF)
    effect_off = procured(base_off) - procured(run_small(params=MECHANISM_OFF, levers=GOODS_CUT))
    assert effect_on > 0, "the goods cut does not lower procurement at all"
    assert abs(effect_off) < effect_on / 3, (
        f"with the mechanism off the goods cut still moves procurement by "
        f"{effect_off / 1e6:.2f} Mt (on: {effect_on / 1e6:.2f} Mt)")


def test_the_lever_changes_nothing_before_its_date(run_small):
    base, cut = run_small(), run_small(levers=GOODS_CUT)
    before = slice(None, "1925-06-01")
    assert float(base.procurement.sel(time=before).sum()) == \
        float(cut.procurement.sel(time=before).sum())

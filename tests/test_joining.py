"""Joining the kolkhoz of one's own accord before the drive: loyal joining under NEP, and the
escape from the campaigns' pressure on individual farms from 1928 (docs/model.md 3.3.15)."""
import pytest

import smychka


def own_accord(params):
    """Households joining without being driven, per agricultural year 1924/25-1928/29, and
    the kulaks among them in 1928/29 with the kulaks' share of households in July 1928."""
    sc = smychka.load_scenario("history", params=params).with_overrides(end="1929-06")
    ds = smychka.run(sc, households=20_000, seed=3)
    own = ds.joined - ds.joined_forced
    years = [float(own.sel(time=slice(f"{y}-07", f"{y + 1}-06")).sum())
             for y in range(1924, 1929)]
    kulaks = float(own.sel(time=slice("1928-07", "1929-06"), stratum="kulak").sum())
    hh = ds.households.sel(time="1928-07-01")
    return years, kulaks, float(hh.sel(stratum="kulak").sum() / hh.sum())


@pytest.fixture(scope="module")
def runs():
    return own_accord({}), own_accord({"collectivization.escape_fear": 0.0})


def test_the_campaigns_drive_joining_up_through_fear(runs):
    (years, _, _), (no_escape, _, _) = runs
    assert years[:3] == no_escape[:3]            # no fear under NEP: the same joiners
    assert years[4] > 4.0 * years[2], years      # 1928/29 against 1926/27
    assert no_escape[4] < 2.0 * no_escape[2], no_escape   # loyalty falls: no surge


def test_labelled_kulaks_find_no_shelter(runs):
    (years, kulaks, kulak_share), _ = runs
    assert kulaks < 0.75 * kulak_share * years[4], (kulaks, kulak_share, years[4])

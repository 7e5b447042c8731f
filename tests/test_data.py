"""The historical data module: tables agree with the model's names, sources resolve, totals fit."""
import pandas as pd
import pytest

from smychka import data
from smychka.core.params import defaults
from smychka.core.variables import INITIAL_STRATA, REGIONS
from smychka.errors import InputError

HOUSEHOLDS = defaults()["population.total_households"]


def _source_cells():
    """(table, column, cell) for every source cell of every table."""
    tables = {"regions": data.regions().reset_index(), "strata": data.strata().reset_index(),
              "weather": data.weather(), "series": data.series()}
    for name, df in tables.items():
        for col in df.columns:
            if col == "source" or col.endswith("_source"):
                for cell in df[col]:
                    yield name, col, cell


def test_region_names_match_the_model_in_order():
    assert tuple(data.regions().index) == REGIONS


def test_strata_names_match_the_model_in_order():
    assert tuple(data.strata().index) == INITIAL_STRATA


@pytest.mark.parametrize("table,col", [("regions", "household_share"), ("regions", "plan_share"),
                                       ("strata", "household_share")])
def test_shares_sum_to_one(table, col):
    df = getattr(data, table)()
    assert df[col].sum() == pytest.approx(1.0, abs=1e-6)
    assert (df[col] > 0).all()


def test_every_numeric_column_has_a_source_column():
    for df in (data.regions(), data.strata()):
        numeric = df.select_dtypes("number").columns
        assert all(f"{c}_source" in df.columns for c in numeric)


def test_every_source_key_resolves():
    known = data.sources()
    cells = list(_source_cells())
    assert cells
    for table, col, cell in cells:
        keys = [k.strip() for k in cell.split(";")]
        assert keys and all(k in known for k in keys), (table, col, cell)


def test_sources_have_the_required_fields():
    srcs = data.sources()
    for key in ("H1", "M1", "K3", "L1", "N1", "P1", "memory", "derived", "model-estimate"):
        assert key in srcs
    for key, src in srcs.items():
        assert src.get("author") and src.get("title") and src.get("weight"), key


def test_strata_imply_national_totals_within_the_record():
    s = data.strata()
    w = s["household_share"]
    total = lambda col: float((w * s[col]).sum()) * HOUSEHOLDS / 1e6  # noqa: E731
    # summer 1924: between the 1 January counts of 1923 and the summer counts of 1928
    assert 23.3 <= total("horses_mean") <= 36.1
    assert 41.8 <= total("cattle_mean") <= 70.5
    assert 10.4 <= total("pigs_mean") <= 26.0
    assert 68.0 <= total("sheep_mean") <= 115
    # about 5 persons in 1927 after three years of natural increase
    assert 4.6 <= float((w * s["persons_mean"]).sum()) <= 5.0
    assert 3.0 <= float((w * s["land_mean_ha"]).sum()) * 0.8 <= 5.0
    assert 0.25 <= float((w * s["horseless_share"]).sum()) <= 0.35


def test_strata_are_ordered_by_wealth():
    s = data.strata()
    for col in ("persons_mean", "land_mean_ha", "horses_mean", "cattle_mean", "money_mean_rub"):
        assert s.loc["bednyak", col] < s.loc["serednyak", col] < s.loc["kulak", col], col
    assert 2 <= s.loc["kulak", "land_mean_ha"] / s.loc["serednyak", "land_mean_ha"] <= 3


def test_regions_have_plausible_parameters():
    r = data.regions()
    assert r["base_yield_kg_ha"].between(500, 1200).all()
    assert r["winter_sown_share"].between(0, 1).all()
    assert r["price_zone"].between(0.8, 1.25).all()
    assert r.loc["Grain-deficit regions", "price_zone"] > 1 > r.loc["Ukraine", "price_zone"]
    assert float((r["household_share"] * r["price_zone"]).sum()) == pytest.approx(1.0, abs=0.03)


def test_weather_names_model_regions_once_per_year():
    w = data.weather()
    assert set(w["region"]) <= set(REGIONS)
    assert not w.duplicated(["ag_year", "region"]).any()
    assert w["yield_factor"].between(0.3, 1.5).all()
    bad_1928 = w[(w["ag_year"] == 1928) & (w["region"] == "Ukraine")]["yield_factor"]
    assert len(bad_1928) == 1 and bad_1928.iloc[0] < 0.8


def test_every_series_row_lies_in_its_band():
    s = data.series()
    assert ((s["low"] <= s["value"]) & (s["value"] <= s["high"])).all()
    assert s["period_type"].isin(data.PERIOD_TYPES).all()
    assert s["region"].isin(("USSR",) + REGIONS).all()


def test_exports_after_1929_are_marked_policy_inputs():
    """The exports of the 1930s are the `grain_exports` lever's values, not outcomes to
    score; every other row after 1929 is scored in the test window only (tests/test_validation)."""
    s = data.series()
    year = s["period"].str.slice(0, 4).astype(int)
    late = s[(year >= 1930) & (s["family"] == "exports")]
    assert len(late) >= 4
    assert late["note"].str.contains("policy input; not a calibration target").all()


def test_series_lookup_by_name():
    names = data.series_names()
    assert "harvest_total" in names and names == sorted(names)
    h = data.series("harvest_total")
    assert set(h["series"]) == {"harvest_total"}
    v = h.set_index("period")["value"]
    assert 70 <= v["1926/27"] <= 80 and v["1924/25"] < v["1925/26"]
    assert len(data.series()) == sum(len(data.series(n)) for n in names)


def test_unknown_series_raises_input_error_naming_valid_names():
    with pytest.raises(InputError) as err:
        data.series("harvest_totl")
    assert err.value.key == "series"
    assert "harvest_total" in err.value.valid and "harvest_total" in str(err.value)


def test_returned_frames_are_copies():
    df = data.regions()
    df.loc["Ukraine", "price_zone"] = 99.0
    assert data.regions().loc["Ukraine", "price_zone"] != 99.0
    assert isinstance(data.series(), pd.DataFrame)


def test_bibliography_lists_every_source():
    md = data.bibliography_markdown()
    for key in data.sources():
        assert f"- **{key}**" in md


@pytest.mark.parametrize("window", ["calibration", "test"])
def test_every_explained_misfit_is_a_series_and_says_something(window):
    why = data.misfits(window)
    assert why, "no explanations of misfits"
    names = set(data.series_names())
    for name, text in why.items():
        assert name in names
        assert len(text) > 20, name
    # the test years have explanations of their own, not the calibration window's
    if window == "test":
        assert why["urban_growth_rate"] != data.misfits()["urban_growth_rate"]
        assert "industrial_output_index" not in data.misfits()


def test_misfits_of_an_unknown_window_are_refused():
    with pytest.raises(ValueError, match="window"):
        data.misfits("1930s")

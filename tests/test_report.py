"""The run report, built on a synthetic result dataset with every recorded variable."""
from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from rich.console import Console

from smychka.report.figures import FIGURES
from smychka.core.variables import GRAIN_BALANCE, MONEY_BALANCE, REGIONS, STRATA, VARIABLES
from smychka.report import (annual_table, by_stratum_table, check_balance, make_figures,
                            print_summary, write_report)
from smychka.report._data import _series
from smychka.report.figures import town_figure
from smychka.report.markdown import _pipe_table, balance_line

YEARS = ["1924/25", "1925/26", "1926/27", "1927/28", "1928/29"]

# rough national magnitudes per year (tonnes, head, roubles) spread over the 27 cells
FLOW_PER_YEAR = {"harvest": 72e6, "procurement": 10e6, "private_sales": 6e6,
                 "grain_purchases": 3e6, "consumption": 42e6, "seed_use": 9e6,
                 "feed_use": 7e6, "losses": 1e6, "food_shortfall": 0.5e6,
                 "grain_revenue": 1.2e9, "livestock_revenue": 0.6e9, "other_income": 1.5e9,
                 "tax_paid": 0.3e9, "grain_spending": 0.4e9, "goods_spending": 2.4e9}
HARVEST_MONTHS = (7, 8, 9)
STOCK_LEVEL = {"hidden_grain": 2e6, "sown_area": 95e6, "horses": 30e6, "cattle": 60e6,
               "pigs": 20e6, "sheep": 100e6, "households": 25e6, "persons": 120e6}
REGION_LEVEL = {"state_price": 90.0, "private_price": 120.0, "goods_price_index": 1.0,
                "scissors": 1.1, "goods_availability": 0.7, "procurement_plan": 11e6 / 12 / len(REGIONS)}
NATIONAL_LEVEL = {"urban_population": 27e6, "urban_grain_need": 0.5e6, "urban_rations": 0.3e6,
                  "urban_private_purchases": 0.2e6, "urban_food_per_head": 18.0,
                  "exports": 0.15e6, "state_grain_stock": 2e6, "trader_stock": 0.5e6}


def synthetic(start: str = "1924-07", months: int = 60, seed: int = 0) -> xr.Dataset:
    """Every variable of VARIABLES with plausible random values; both books close exactly."""
    rng = np.random.default_rng(seed)
    time = pd.date_range(start, periods=months, freq="MS")
    coords = {"time": time, "region": list(REGIONS), "stratum": list(STRATA)}
    cells = len(REGIONS) * len(STRATA)
    month = time.month.values
    data = {}
    for name, var in VARIABLES.items():
        shape = tuple(len(coords[d]) for d in var.dims)
        noise = rng.uniform(0.5, 1.5, shape)
        if name in FLOW_PER_YEAR:
            per_month = FLOW_PER_YEAR[name] / cells / 12
            if name == "harvest":  # the whole harvest comes in over three months
                per_month *= 4 * np.isin(month, HARVEST_MONTHS)[:, None, None]
            values = per_month * noise
        elif name in STOCK_LEVEL:
            values = STOCK_LEVEL[name] / cells * noise
        elif name == "loyalty":
            values = rng.uniform(0.3, 0.9, shape)
        elif name in REGION_LEVEL:
            values = REGION_LEVEL[name] * noise
        else:
            values = NATIONAL_LEVEL.get(name, 1.0) * noise
        data[name] = (var.dims, values, {"units": var.units})
    ds = xr.Dataset(data, coords=coords)
    # the stocks follow their books: opening stock plus the running sum of signed flows
    for stock, book, opening in (("grain_stock", GRAIN_BALANCE, 20e6),
                                 ("money", MONEY_BALANCE, 2e9)):
        net = sum(sign * ds[v] for v, sign in book)
        ds[stock] = (opening / cells + net.cumsum("time")).assign_attrs(units="x")
    ds.attrs.update(scenario="synthetic", seed=seed, households_simulated=1000,
                    weight=25000.0, smychka_version="0.1.0",
                    grain_balance=json.dumps([list(p) for p in GRAIN_BALANCE]),
                    money_balance=json.dumps([list(p) for p in MONEY_BALANCE]))
    return ds


def ensemble(seeds=(1, 2, 3)) -> xr.Dataset:
    runs = [synthetic(seed=s) for s in seeds]
    return xr.concat(runs, dim=pd.Index(list(seeds), name="seed"), combine_attrs="override")


def _table_rows(text: str, section: str) -> list[str]:
    """Data rows of the first pipe table after a heading."""
    after = text.split(section, 1)[1].splitlines()
    rows = [ln for ln in after if ln.startswith("|")]
    end = next((i for i, ln in enumerate(after) if ln.startswith("|")), 0)
    block = []
    for ln in after[end:]:
        if not ln.startswith("|"):
            break
        block.append(ln)
    assert rows
    return block[2:]  # past the header and the separator


# --- the report --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """(folder, text) of the report of the standard synthetic run, drawn once."""
    folder = tmp_path_factory.mktemp("report")
    path = write_report(synthetic(), folder)
    assert path == folder / "report.md"
    return folder, path.read_text()


def test_write_report_creates_report_and_figures(report):
    tmp_path, text = report
    assert text.startswith("# Run report: synthetic")
    for fact in ("Seed: 0", "1,000", "weight 25,000", "0.1.0"):
        assert fact in text
    rows = _table_rows(text, "### Grain")
    assert [r.split("|")[1].strip() for r in rows] == YEARS
    pngs = sorted(p.name for p in (tmp_path / "figures").glob("*.png"))
    assert len(pngs) == len(FIGURES)
    for name in pngs:
        assert f"(figures/{name})" in text
    assert not list(tmp_path.rglob("*.tmp"))  # nothing left half-written


def test_by_stratum_table_in_report(report):
    text = report[1]
    rows = _table_rows(text, "## By stratum")
    assert len(rows) == len(YEARS) * len(STRATA)
    assert rows[0].split("|")[2].strip() == "bednyak"


def test_print_summary_shows_years():
    out = io.StringIO()
    print_summary(synthetic(), Console(file=out, width=200))
    text = out.getvalue()
    assert all(y[2:] in text for y in YEARS)   # printed as "24/25"
    assert "harvest_mt" in text and "procurement_vs_plan" in text


# --- the tables --------------------------------------------------------------------------

def test_annual_table_sums_by_hand():
    ds = synthetic()
    table = annual_table(ds)
    assert list(table.index) == YEARS
    y = slice(24, 36)  # July 1926 .. June 1927
    row = table.loc["1926/27"]
    assert row.harvest_mt == pytest.approx(ds.harvest.values[y].sum() / 1e6)
    assert row.plan_mt == pytest.approx(ds.procurement_plan.values[y].sum() / 1e6)
    proc = ds.procurement.values[y].sum()
    assert row.procurement_vs_plan == pytest.approx(proc / ds.procurement_plan.values[y].sum())
    sold = proc + ds.private_sales.values[y].sum()
    assert row.marketed_share == pytest.approx(sold / ds.harvest.values[y].sum())
    assert row.grain_stock_june_mt == pytest.approx(ds.grain_stock.values[35].sum() / 1e6)
    assert row.sown_next_harvest_mha == pytest.approx(ds.sown_area.values[35].sum() / 1e6)
    assert row.horses_mln == pytest.approx(ds.horses.values[30].sum() / 1e6)  # January 1927
    w = ds.households.values[y]
    assert row.loyalty == pytest.approx((ds.loyalty.values[y] * w).sum() / w.sum())
    weights = ds.procurement.values[y].sum(axis=2)
    expected = (ds.state_price.values[y] * weights).sum() / weights.sum()
    assert row.state_price == pytest.approx(expected)


def test_annual_table_constant_values():
    ds = synthetic()
    ds["harvest"][:] = 1000.0          # t per cell and month
    ds["procurement_plan"][:] = 0.0    # no plan: the share is undefined, not infinite
    table = annual_table(ds)
    per_year = 12 * len(REGIONS) * len(STRATA) * 1000.0 / 1e6
    assert table.harvest_mt.tolist() == pytest.approx([per_year] * 5)
    assert table.procurement_vs_plan.isna().all()


def test_only_complete_years_unless_none():
    assert list(annual_table(synthetic(start="1924-01", months=30)).index) == \
        ["1924/25", "1925/26"]
    partial = annual_table(synthetic(start="1924-07", months=9))
    assert list(partial.index) == ["1924/25"]
    assert partial.harvest_mt.iloc[0] > 0


def test_by_stratum_table_adds_up():
    ds = synthetic()
    strat, annual = by_stratum_table(ds), annual_table(ds)
    assert strat.index.names == ["year", "stratum"]
    summed = strat.groupby(level="year").sum()
    for col in ("harvest_mt", "procurement_mt", "private_sales_mt", "grain_stock_june_mt"):
        np.testing.assert_allclose(summed[col].loc[YEARS], annual[col].loc[YEARS])


def test_missing_variables_are_skipped(tmp_path):
    gone = ["private_sales", "procurement_plan", "horses", "state_price", "loyalty",
            "hidden_grain", "urban_population", "urban_grain_need", "urban_rations",
            "urban_private_purchases", "urban_food_per_head", "exports",
            "state_grain_stock", "trader_stock", "goods_availability", "goods_spending"]
    ds = synthetic().drop_vars(gone)
    table = annual_table(ds)
    for col in ("private_sales_mt", "plan_mt", "procurement_vs_plan", "horses_mln",
                "state_price", "loyalty"):
        assert col not in table.columns
    assert {"harvest_mt", "marketed_share", "cattle_mln", "private_price"} <= set(table.columns)
    assert town_figure(ds, tmp_path) is None
    text = write_report(ds, tmp_path).read_text()
    assert "not checked, the results lack goods_spending" in text
    drawn = {p.stem for p in (tmp_path / "figures").glob("*.png")}
    assert drawn.isdisjoint({"loyalty", "money_goods", "town"}) and len(drawn) == 8


def test_almost_empty_dataset(tmp_path):
    ds = synthetic()[["harvest"]]
    ds.attrs = {}
    assert list(annual_table(ds).columns) == ["harvest_mt"]
    assert make_figures(ds, tmp_path / "figures") == []
    text = write_report(ds, tmp_path).read_text()
    assert "unnamed scenario" in text and "not checked" in text


# --- ensembles ---------------------------------------------------------------------------

def test_ensemble_medians_and_report(tmp_path):
    ds = ensemble()
    table = annual_table(ds)
    per_seed = ds.harvest.isel(time=slice(24, 36)).sum(["time", "region", "stratum"]) / 1e6
    assert table.loc["1926/27", "harvest_mt"] == pytest.approx(float(per_seed.median()))
    assert list(by_stratum_table(ds).columns)[0] == "harvest_mt"
    mid, lo, hi = _series(ds.loyalty)
    assert "seed" not in mid.dims and bool((lo <= hi).all())
    text = write_report(ds, tmp_path).read_text()
    assert "ensemble of 3 runs" in text and "Seed: 1, 2, 3" in text
    assert len(list((tmp_path / "figures").glob("*.png"))) == len(FIGURES)


# --- the books ---------------------------------------------------------------------------

def test_consistent_books_pass(report):
    ds = synthetic()
    for book in ("grain", "money"):
        check = check_balance(ds, book)
        assert check.ok and check.from_attrs and check.max_relative < 1e-9
    text = report[1]
    assert text.count(": balanced.") == 2 and "does not balance" not in text


def test_broken_grain_book_is_caught():
    ds = synthetic()
    cells = len(REGIONS) * len(STRATA)
    ds["grain_stock"][20:] = ds["grain_stock"][20:] + 1e4 / cells  # 10,000 t from nowhere
    check = check_balance(ds, "grain")
    assert not check.ok
    assert check.max_residual == pytest.approx(1e4)
    assert check.worst_month == "1926-03"
    assert check_balance(ds, "money").ok
    line = balance_line(check)
    assert "does not balance" in line and "largest monthly residual 1e+04 t" in line


def test_balance_in_an_ensemble_takes_the_worst_seed():
    ds = ensemble()
    assert check_balance(ds, "grain").ok
    ds["money"][dict(seed=1, time=40)] += 1e6
    assert not check_balance(ds, "money").ok


def test_balance_falls_back_to_package_lists():
    ds = synthetic()
    del ds.attrs["grain_balance"]
    check = check_balance(ds, "grain")
    assert check.ok and not check.from_attrs


def test_pipe_table_formatter():
    text = _pipe_table(pd.DataFrame({"year": ["1926/27"], "harvest_mt": ["76.8"]}))
    header, rule, row = text.splitlines()
    assert header.count("|") == rule.count("|") == row.count("|") == 3
    assert "1926/27" in row and rule.endswith(":|")

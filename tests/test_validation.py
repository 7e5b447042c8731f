"""Validation and calibration: the observation model, scoring against the record, the
validation report, parameter files, and ABC recovering a parameter from the model's own data."""
from __future__ import annotations

import dataclasses
import sys

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from typer.testing import CliRunner

import smychka
from smychka import data
from smychka.core.params import defaults
from smychka.analysis import calibrate as cal
from smychka.analysis import targets
from smychka.analysis import validate as val
from smychka.analysis.ensemble import stack_seeds
from smychka.analysis.observation import (OBS_PARAMS, in_calibration_window, observe,
                                          observe_row, parse_period)
from smychka.analysis import validate_report
from smychka.analysis.validate_report import markdown, write_docs, write_report
from smychka.cli import app
from smychka.errors import InputError

from conftest import month_index


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def ensemble(run_small) -> xr.Dataset:
    """Two runs of the small scenario (1924/25-1926/27) stacked along `seed`."""
    return stack_seeds([run_small(seed=1), run_small(seed=2)], [1, 2])


def national(da: xr.DataArray) -> xr.DataArray:
    return da.sum([d for d in da.dims if d not in ("time", "seed")])


# --- periods and windows ----------------------------------------------------------------

@pytest.mark.parametrize("period, kind, first, last", [
    ("1926/27", "ag_year", "1926-07", "1927-06"),
    ("1926/27", "econ_year", "1926-10", "1927-09"),
    ("1928", "calendar_year", "1928-01", "1928-12"),
    ("1927-11/1927-12", "months", "1927-11", "1927-12"),
    ("1927-10", "months", "1927-10", "1927-10"),
    ("1922/23-1928/29", "ag_year", "1922-07", "1929-06"),
    ("1926-1929", "calendar_year", "1926-01", "1929-12"),
])
def test_periods(period, kind, first, last):
    from smychka.core.calendar import parse_month
    p = parse_period(period, kind)
    assert (p.first, p.last) == (parse_month(first), parse_month(last))


def test_a_date_is_read_at_the_nearest_end_of_a_month():
    p = parse_period("1929-01-01", "date")
    assert p.date_day == 1 and p.first == 1929 * 12


@pytest.mark.parametrize("period, kind, inside", [
    ("1928/29", "ag_year", True), ("1929/30", "ag_year", False),
    ("1928/29", "econ_year", False), ("1929", "calendar_year", True),
    ("1930", "calendar_year", False), ("1929-10-01", "date", True),
    ("1929-03/1929-05", "months", True), ("1926-1929", "calendar_year", True),
])
def test_calibration_sees_1924_1929_only(period, kind, inside):
    assert in_calibration_window(period, kind) is inside


def test_calibration_targets_never_reach_the_1930s():
    rows = targets.target_rows()
    assert not rows.empty
    assert all(parse_period(r.period, r.period_type).last < 1930 * 12
               for r in rows.itertuples(index=False))
    assert not rows["series"].isin(["procurement_plan", "peasant_households"]).any()
    # whatever the families, the rows of the test years stay out
    every = targets.target_rows(families=tuple(data.series()["family"].unique()))
    seen = set(zip(every["series"], every["period"]))
    assert ("urban_growth_rate", "1926-1929") in seen
    assert ("urban_growth_rate", "1929-1933") not in seen
    assert not every["series"].eq("industrial_output_index").any()


# --- the observation model ----------------------------------------------------------------

def test_industrial_output_index_is_the_last_year_over_the_first():
    """Output of 1932 over that of 1928, x 100, from the monthly flow; a single year is no
    span to read an index over."""
    time = pd.date_range("1928-01-01", "1932-12-01", freq="MS")
    monthly = np.select([time.year == 1928, time.year == 1932], [10.0, 16.0], 13.0)
    ds = xr.Dataset({"industrial_output": ("time", monthly)}, coords={"time": time})
    got = observe_row(ds, "industrial_output_index", "1928-1932", "calendar_year")
    assert float(got) == pytest.approx(160.0)
    with pytest.raises(ValueError, match="span of years"):
        observe_row(ds, "industrial_output_index", "1932", "calendar_year")


def test_official_harvest_is_the_true_crop_times_barn_inflation(ensemble):
    a, b = month_index(ensemble, "1925-07"), month_index(ensemble, "1926-06")
    true = national(ensemble["harvest"]).isel(time=slice(a, b + 1)).sum("time") / 1e6
    got = observe_row(ensemble, "harvest_total", "1925/26", "ag_year")
    inflation = OBS_PARAMS["barn_inflation"].default
    np.testing.assert_allclose(got.values, true.values * inflation)
    again = observe_row(ensemble, "harvest_total", "1925/26", "ag_year",
                        params={"barn_inflation": 1.0})
    np.testing.assert_allclose(again.values, true.values)


def test_procurement_counts_the_state_farms_and_only_totals_the_milling_levy(ensemble):
    """The record's procurement comes from every producer: the state and collective farms
    (not simulated) sold all their marketed grain to the state, so their share of the
    marketed grain is added to the peasants' deliveries; the milling levy only to the
    annual totals, not to the half-year checkpoints."""
    a, b = month_index(ensemble, "1925-07"), month_index(ensemble, "1925-12")
    proc = national(ensemble["procurement"])
    sales = proc + national(ensemble["private_sales"])
    farms = OBS_PARAMS["state_farm_sales"].default
    farms = farms / (1 - farms)

    def total(da, n):
        return da.isel(time=slice(a, a + n)).sum("time") / 1e6

    np.testing.assert_allclose(
        observe_row(ensemble, "procurement_cumulative", "1926-01-01", "date").values,
        total(proc, b - a + 1) + farms * total(sales, b - a + 1))
    levy = OBS_PARAMS["milling_levy"].default
    observed = observe_row(ensemble, "procurement_total", "1925/26", "ag_year").values
    np.testing.assert_allclose(observed, total(proc, 12) * (1 + levy) + farms * total(sales, 12))
    assert (observed > total(proc, 12) * (1 + levy)).all()


def test_nemchinovs_total_share_sold_counts_the_state_farms_on_both_sides(ensemble):
    """Nemchinov's total (13.3 % in 1926/27) is all marketed grain over all grain grown,
    the state and collective farms with it: the ratio of the two totals the observation
    model reads, not the peasants' own share sold."""
    def row(series):
        return observe_row(ensemble, series, "1925/26", "ag_year").values

    total = row("marketed_grain_total") / row("gross_output_total")
    np.testing.assert_allclose(row("marketability_total"), total)
    a, b = month_index(ensemble, "1925-07"), month_index(ensemble, "1926-06")

    def flow(var):
        return national(ensemble[var]).isel(time=slice(a, b + 1)).sum("time").values

    peasants = ((flow("procurement") + flow("private_sales"))
                / (flow("harvest") * OBS_PARAMS["barn_inflation"].default))
    # the farms sell 47 % of their crop: counting them raises the share
    assert (total > peasants * 1.03).all()


def test_herds_are_counted_on_1_january_and_sown_area_for_its_harvest(ensemble):
    dec = month_index(ensemble, "1925-12")
    horses = national(ensemble["horses"]).isel(time=dec) / 1e6
    np.testing.assert_allclose(
        observe_row(ensemble, "livestock_horses", "1926-01-01", "date").values, horses)
    june = month_index(ensemble, "1926-06")
    sown = national(ensemble["sown_area"]).isel(time=june) / 1e6
    np.testing.assert_allclose(
        observe_row(ensemble, "sown_area_grain", "1926/27", "ag_year").values, sown)


def test_regional_rows_read_their_region(ensemble):
    a = month_index(ensemble, "1925-07")
    def half_year(var):
        da = ensemble[var].sel(region="Ukraine").sum("stratum")
        return da.isel(time=slice(a, a + 6)).sum("time") / 1e6

    farms = OBS_PARAMS["state_farm_sales"].default
    expected = (half_year("procurement") + farms / (1 - farms)
                * (half_year("procurement") + half_year("private_sales")))
    got = observe_row(ensemble, "procurement_cumulative", "1926-01-01", "date", "Ukraine")
    np.testing.assert_allclose(got.values, expected)


def test_every_row_gets_a_status(ensemble):
    table = observe(ensemble.drop_vars("disturbances"))
    assert len(table) == len(data.series())
    by = {(r.series, r.period, r.region): r for r in table.itertuples(index=False)}
    assert by[("harvest_total", "1925/26", "USSR")].status == "observed"
    assert len(by[("harvest_total", "1925/26", "USSR")].model) == 2   # one per seed
    assert by[("harvest_total", "1929/30", "USSR")].status == "outside the run"
    assert by[("procurement_plan", "1926/27", "USSR")].status == "policy input"
    assert by[("sown_area_total", "1928/29", "USSR")].status == "not modelled"
    assert by[("mass_disturbances", "1926", "USSR")].status == "not modelled yet"
    assert by[("harvest_total", "1929/30", "USSR")].window == "test"
    # a span that starts in the calibration years but ends after them is a test row
    assert by[("urban_growth_rate", "1929-1933", "USSR")].window == "test"
    assert by[("urban_growth_rate", "1926-1929", "USSR")].window == "calibration"
    assert set(table["status"]) <= {"observed", "outside the run", "not modelled",
                                    "not modelled yet", "policy input"}


# --- scoring --------------------------------------------------------------------------

def test_the_median_interval_is_the_order_statistics_that_cover_it():
    """For 30 runs the 90 % interval is the 11th and 20th of the sorted values (coverage
    0.901), for 10 runs the 2nd and 9th; with fewer than 5 runs it is the range. Drawn
    again and again from a known distribution, it holds the true median about 90 % of the
    time."""
    rng = np.random.default_rng(7)
    x = rng.permutation(np.arange(1.0, 31.0))
    assert val.median_interval(x) == (11.0, 20.0)
    assert val.median_interval(np.r_[np.arange(10.0, 0.0, -1.0), np.nan]) == (2.0, 9.0)
    assert val.median_interval(np.array([3.0, 1.0, 2.0, 4.0])) == (1.0, 4.0)
    assert np.isnan(val.median_interval(np.array([np.nan]))[0])
    draws = rng.lognormal(0.0, 0.5, size=(4000, 30))         # true median 1
    inside = [lo <= 1.0 <= hi for lo, hi in map(val.median_interval, draws)]
    assert 0.88 < np.mean(inside) < 0.93, np.mean(inside)


def test_the_summary_says_which_verdicts_other_runs_could_turn():
    """A series fitting with its median's interval inside the band is sure; one whose
    interval crosses an edge is at the edge; a series missing by less than its interval
    could fit with other runs; one missing by more could not."""
    def row(series, values, low=4.0, high=8.0):
        return {"series": series, "period": "1926/27", "region": "USSR", "window":
                "calibration", "status": "observed", "model": np.array(values),
                "low": low, "high": high, "value": 6.0, "reason": "", "family": series,
                "unit": "Mt"}
    runs = np.linspace(-1.0, 1.0, 30)
    table = pd.DataFrame([row("sure", 6.0 + runs), row("edge", 7.8 + runs),
                          row("could", 8.3 + runs), row("off", 20.0 + runs)])
    rows = val.score(table)
    assert list(rows["verdict"]) == ["fits", "fits", "near", "misses"]
    assert list(val.at_edge(rows)) == [False, True, True, False]
    s = val.series_summary(rows)
    assert list(s["edge"]) == [False, True, True, False]
    v = val.Validation("test", list(range(30)), 100, rows, {})
    line = validate_report._counts_line(v, "calibration")
    assert ("; 2 series within the band in every row, 1 of them with every median's 90 % "
            "interval inside the band; 1 other series reach the band") in line, line


def test_verdicts_and_notes():
    assert val._verdict(np.array([5.0, 6.0, 7.0]), 4, 8)[0] == "fits"
    assert val._verdict(np.array([8.5, 9.0, 9.5, 7.5]), 4, 8)[0] == "near"
    assert val._verdict(np.array([10.0, 11.0]), 4, 8)[0] == "misses"
    assert val._verdict(np.array([np.nan]), 4, 8)[0] == "undefined"
    assert val.row_note("misses", 10.0, 4, 8) == "above the band by 25% (model 10.0, record " \
                                                "4.00 to 8.00)"
    assert val.row_note("misses", 2.0, 4, 8).startswith("below the band by 50%")
    assert val.row_note("fits", 5.0, 4, 8) == "within the band"
    assert "by less than 1%" in val.row_note("misses", 8.01, 4, 8)


@pytest.fixture(scope="module")
def validation(ensemble) -> val.Validation:
    return val.validate(ds=ensemble)


@pytest.fixture
def quick_figures(monkeypatch):
    """Figures replaced by empty files for two series (drawing every one takes a while)."""
    def make(v, folder):
        folder.mkdir(parents=True, exist_ok=True)
        out = {}
        for name in ("harvest_total", "procurement_total"):
            (folder / f"{name}.png").write_bytes(b"")
            out[name] = folder / f"{name}.png"
        return out

    monkeypatch.setattr(validate_report, "make_figures", make)


def test_validate_scores_and_reports(validation, tmp_path_factory):
    v = validation
    observed = v.rows[v.rows["status"] == "observed"]
    assert set(observed["verdict"]) <= set(val.VERDICTS)
    assert observed["median"].notna().any()
    summary = v.by_series()
    assert {"harvest_total", "procurement_cumulative"} <= set(summary["series"])
    assert (summary["fit"] <= summary["rows"]).all()
    # a few series, drawn for real: one figure per observed series
    few = dataclasses.replace(v, rows=v.rows[v.rows["series"].isin(
        ["harvest_total", "procurement_cumulative", "sown_area_total"])])
    folder = tmp_path_factory.mktemp("report")
    text = write_report(few, folder, command="test").read_text()
    assert "## Where the model fits and where it does not, 1924-1929" in text
    assert "### harvest_total" in text and "## Not compared" in text
    assert "`sown_area_total` (" in text   # listed as not modelled, with its reason
    # the summary counts the series that fit in every row, as the series table does
    s = few.by_series()
    every = int((s["fit"] == s["rows"]).sum())
    assert f"; {every} series within the band in every row" in text, text[:2000]
    figures = sorted(p.stem for p in (folder / "figures").glob("*.png"))
    assert figures == ["harvest_total", "procurement_cumulative"]
    scores = pd.read_csv(folder / "scores.csv")
    assert len(scores) == len(few.rows) and "model_runs" in scores


def test_docs_are_regenerated_in_place(validation, tmp_path, quick_figures):
    stale = tmp_path / "figures" / "validation" / "gone_series.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    path = write_docs(validation, tmp_path, command="smychka validate history --docs")
    text = path.read_text()
    assert path.name == "validation.md" and "figures/validation/harvest_total.png" in text
    assert "smychka validate history --docs" in text
    assert not stale.exists()


def test_markdown_links_figures_with_the_prefix(validation):
    from pathlib import Path
    text = markdown(validation, {"harvest_total": Path("x/harvest_total.png")}, "pics/")
    assert "![harvest_total](pics/harvest_total.png)" in text


def test_markdown_says_why_each_missed_series_misses(validation):
    from pathlib import Path

    from smychka import data
    text = markdown(validation, {"harvest_total": Path("x/harvest_total.png")}, "pics/")
    summary = validation.by_series("calibration")
    missed = summary[summary["fit"] < summary["rows"]]["series"]
    assert len(missed) > 0
    assert "### Why the model misses where it does" in text
    why = data.misfits()
    for name in missed:
        line = next(x for x in text.splitlines() if x.startswith(f"- `{name}` ("))
        assert line.endswith(why.get(name, "not yet explained.")), name


# --- the command line -------------------------------------------------------------------

def test_validate_command(ensemble, tmp_path, monkeypatch, quick_figures):
    seen = {}

    def fake(scenario, seeds, households, params, progress=False, **kw):
        seen.update(seeds=seeds, households=households, params=params, first=scenario.seed,
                    workers=kw.get("workers"))
        return ensemble

    monkeypatch.setattr(val, "seed_ensemble", fake)
    (tmp_path / "p.toml").write_text('[params]\n"marketing.sale_rate" = 0.3\n')
    out = tmp_path / "out"
    result = invoke("validate", "history", "--seeds", 2, "--seed", 101, "--households", 500,
                    "--out", out, "--params", tmp_path / "p.toml", "--workers", 2)
    assert result.exit_code == 0, result.output
    assert seen == {"seeds": 2, "households": 500, "params": {"marketing.sale_rate": 0.3},
                    "first": 101, "workers": 2}
    assert "--seed 101" in (out / "report.md").read_text()
    assert {"report.md", "results.nc", "scores.csv", "figures"} <= {
        p.name for p in out.iterdir()}
    assert "harvest_total" in result.stdout and "within band?" in result.stdout


@pytest.mark.parametrize("args, key", [
    (["--seeds", "0"], "--seeds"),
    (["--seed", "-1"], "--seed"),
    (["--workers", "0"], "--workers: 0 processes"),
    (["--params", "missing.toml"], "--params missing.toml: no such file"),
    (["--set", "marketing.nothing=1"], "params.marketing.nothing: unknown parameter"),
])
def test_validate_bad_input(tmp_path, monkeypatch, args, key):
    monkeypatch.chdir(tmp_path)
    result = invoke("validate", "history", *args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {key}"), result.stderr
    assert list(tmp_path.iterdir()) == []


def test_run_takes_a_params_file(tmp_path, monkeypatch):
    calls = {}

    def fake_run(sc, households=None, progress=False, **kw):
        calls["scenario"] = sc
        return xr.Dataset({"harvest": ("time", np.zeros(2))},
                          coords={"time": sc.calendar().dates()[:2]})

    monkeypatch.setattr(smychka.api, "run", fake_run)
    monkeypatch.setattr(smychka.report, "write_report",
                        lambda ds, d: (d / "report.md").write_text("r"), raising=False)
    (tmp_path / "c.toml").write_text('[params]\n"marketing.sale_rate" = 0.3\n'
                                     '"marketing.hoarding_war" = 0.5\n')
    result = invoke("run", "history", "--params", tmp_path / "c.toml", "--set",
                    "marketing.hoarding_war=0.7", "--out", tmp_path / "o", "--quiet")
    assert result.exit_code == 0, result.output
    p = calls["scenario"].params
    assert p["marketing.sale_rate"] == 0.3 and p["marketing.hoarding_war"] == 0.7


@pytest.mark.parametrize("text, problem", [
    ('[params]\n"marketing.sale_rate" = 5.0\n', "5.0 is out of bounds"),
    ('[params]\n"marketing.nothing" = 1\n', "unknown parameter"),
    ("[params\n", "invalid TOML"),
    ("title = 'x'\n", "title"),
])
def test_bad_params_files(tmp_path, text, problem):
    f = tmp_path / "p.toml"
    f.write_text(text)
    with pytest.raises(InputError, match=problem):
        cal.read_params_file(f)


def test_params_files_in_three_spellings(tmp_path):
    for text in ('[params]\n"marketing.sale_rate" = 0.3\n', '"marketing.sale_rate" = 0.3\n',
                 "[marketing]\nsale_rate = 0.3\n"):
        (tmp_path / "p.toml").write_text(text)
        assert cal.read_params_file(tmp_path / "p.toml") == {"marketing.sale_rate": 0.3}


def test_calibrate_without_pyabc_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyabc", None)   # import pyabc raises ImportError
    monkeypatch.chdir(tmp_path)
    result = invoke("calibrate", "--budget", "small")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and 'pip install "smychka[experiments]"' in lines[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, key", [
    (["--budget", "huge"], "--budget: unknown budget 'huge'"),
    (["--param", "marketing.nothing"], "--param: unknown parameter"),
    (["--param", "population.village_size"],
     "--param: population.village_size is not a behavioural"),
])
def test_calibrate_bad_input(tmp_path, monkeypatch, args, key):
    monkeypatch.chdir(tmp_path)
    result = invoke("calibrate", *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().startswith(f"error: {key}"), result.stderr


def test_default_parameters_are_behavioural():
    from smychka.core.params import registry
    names = cal.check_params(None)
    assert names and all(registry()[n].calibrate for n in names)


# --- calibration ------------------------------------------------------------------------

def test_band_distance_and_weights():
    y0, low, high = np.array([10.0, 1.0]), np.array([9.0, 0.5]), np.array([12.0, 1.5])
    w = np.array([1.0, 1.0])
    assert targets.band_distance(y0, y0, low, high, w) == 0
    # 2 half-widths above on the first row (half-width 2 above), 1 below on the second
    assert targets.band_distance(np.array([14.0, 0.5]), y0, low, high, w) == pytest.approx(1.5)
    assert targets.band_distance(np.array([np.nan, 1.0]), y0, low, high, w) == pytest.approx(
        targets.MISS / 2)
    assert targets.band_distance(np.array([1e9, 1.0]), y0, low, high, w) == pytest.approx(
        targets.MISS / 2)
    rows = pd.DataFrame({"series": ["a", "a", "b", "c"], "family": ["f", "f", "f", "g"]})
    np.testing.assert_allclose(targets.row_weights(rows), [0.25, 0.25, 0.5, 1.0])


def _synthetic_record(sc, truth: dict, seeds, households: int) -> pd.DataFrame:
    """Observations simulated with known parameters, given a +-10 % band."""
    rows = pd.DataFrame([{"series": s, "period": p, "period_type": "ag_year",
                          "region": "USSR", "unit": "", "source": "model", "note": "",
                          "family": "synthetic"}
                         for s in ("procurement_total", "marketability_total",
                                   "marketed_grain_total")
                         for p in ("1924/25", "1925/26")])
    values = [[m[0] for m in observe(smychka.run(sc, households=households, seed=s,
                                                 params=truth), rows)["model"]]
              for s in seeds]
    rows["value"] = np.mean(values, axis=0)
    rows["low"], rows["high"] = rows["value"] * 0.9, rows["value"] * 1.1
    return rows


def test_abc_recovers_a_known_parameter(small_scenario, tmp_path):
    """Data simulated with sale_rate = 0.06 (prior median 0.505): a tiny ABC-SMC puts the
    posterior median near the truth and the truth inside (or at the edge of) the 90 % credible
    interval."""
    pytest.importorskip("pyabc")
    sc = small_scenario.with_overrides(end="1926-06")
    truth, seeds, households = 0.06, (1,), 1_500
    record = _synthetic_record(sc, {"marketing.sale_rate": truth}, seeds, households)
    result = cal.calibrate(sc, ["marketing.sale_rate"], record=record, folder=tmp_path,
                           households=households, population=16, generations=3,
                           seeds=seeds, workers=2, progress=False)
    s = result.summary().iloc[0]
    assert abs(s["posterior median"] - truth) < abs(s["prior median"] - truth) / 3
    # 16 particles give a rough interval: allow a quarter of its width either side
    slack = 0.25 * (s["95 %"] - s["5 %"])
    assert s["5 %"] - slack <= truth <= s["95 %"] + slack
    assert len(result.generations) == 3 and (tmp_path / "abc.db").is_file()
    written = cal.read_params_file(result.write(tmp_path))
    assert written == pytest.approx(result.calibrated)
    # the chosen set, run again with the record's seeds, is closer to the truth than the
    # default
    default = defaults()["marketing.sale_rate"]
    assert abs(written["marketing.sale_rate"] - truth) < abs(default - truth)


def test_calibrate_command_end_to_end(tmp_path, monkeypatch):
    """The smallest real calibration: its calibrated.toml feeds `run --params`."""
    pytest.importorskip("pyabc")
    monkeypatch.chdir(tmp_path)
    result = invoke("calibrate", "--param", "marketing.sale_rate", "--households", 300,
                    "--population", 4, "--generations", 1, "--runs", 1, "--workers", 1,
                    "--out", "cal", "--quiet")
    assert result.exit_code == 0, result.output
    out = tmp_path / "cal"
    assert {"posterior.csv", "generations.csv", "targets.csv", "summary.csv", "checks.csv",
            "calibrated.toml", "abc.db"} <= {p.name for p in out.iterdir()}
    targets = pd.read_csv(out / "targets.csv", dtype={"period": str})
    assert all(in_calibration_window(r.period, r.period_type)
               for r in targets.itertuples(index=False))
    values = cal.read_params_file(out / "calibrated.toml")
    assert list(values) == ["marketing.sale_rate"]
    assert [p.name for p in tmp_path.iterdir()] == ["cal"]


# --- the point search --------------------------------------------------------------------

def test_window_distance_is_zero_inside_the_bands_and_grows_outside():
    from smychka.analysis.search import window_distance
    rows = pd.DataFrame({"series": ["a", "a", "b"], "family": ["f", "f", "g"],
                         "value": [1.0, 2.0, 10.0], "low": [0.9, 1.8, 9.0],
                         "high": [1.1, 2.2, 11.0], "median": [1.0, 2.1, 10.5],
                         "verdict": ["fits", "fits", "fits"]})
    assert window_distance(rows) == 0.0
    far = rows.assign(median=[1.0, 2.1, 12.0], verdict=["fits", "fits", "misses"])
    farther = rows.assign(median=[1.0, 2.1, 14.0], verdict=["fits", "fits", "misses"])
    assert 0.0 < window_distance(far) < window_distance(farther)


def test_search_keeps_the_closest_candidate_and_writes_params(tmp_path):
    from smychka.analysis.calibrate import read_params_file
    from smychka.analysis.search import search
    names = ["marketing.sale_rate", "livestock.want_pig"]
    s = search("history", names, households=600, seeds=1, evaluations=4, rng_seed=3)
    assert len(s.trace) == 4 and set(names) <= set(s.trace.columns)
    accepted = s.trace[s.trace["accepted"]]
    assert s.distance == accepted["distance"].min() <= s.trace["distance"].iloc[0]
    assert s.distance == s.trace["distance"].min()
    best_row = accepted.sort_values("distance").iloc[0]
    assert s.best == {n: best_row[n] for n in names}
    assert read_params_file(s.write(tmp_path)) == pytest.approx(s.best)
    assert (tmp_path / "trace.csv").is_file()


def test_a_search_with_workers_takes_the_same_steps(monkeypatch):
    """The workers of a search start once and serve every candidate; the trace is the
    same as without them."""
    from smychka.analysis import workers as workers_mod
    from smychka.analysis.search import search
    pools = []
    real = workers_mod._new_pool
    monkeypatch.setattr(workers_mod, "_new_pool", lambda n: pools.append(n) or real(n))
    names = ["marketing.sale_rate"]
    kw = {"households": 500, "seeds": 2, "evaluations": 3, "rng_seed": 5}
    alone = search("history", names, **kw)
    assert pools == []
    side_by_side = search("history", names, workers=2, **kw)
    assert pools == [2]     # one pool for three candidates
    pd.testing.assert_frame_equal(side_by_side.trace, alone.trace)
    assert side_by_side.best == alone.best


def test_search_command_writes_its_folder(tmp_path):
    out = tmp_path / "s"
    result = invoke("search", "--param", "marketing.sale_rate", "--households", 500,
                    "--seeds", 1, "--evaluations", 2, "--out", out, "-q")
    assert result.exit_code == 0, result.output
    assert {"trace.csv", "search.toml"} <= {p.name for p in out.iterdir()}
    bad = invoke("search", "--param", "no.such_param", "--out", tmp_path / "t")
    assert bad.exit_code == 2 and "no.such_param" in bad.output
    assert not (tmp_path / "t").exists()
    bad = invoke("search", "--workers", 0, "--out", tmp_path / "t")
    assert bad.exit_code == 2 and "--workers: 0 processes" in bad.output
    assert not (tmp_path / "t").exists()

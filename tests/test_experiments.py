"""Ensembles, paired comparisons on common random numbers, and Shapley attribution.

Runs are small (1,000 households) and short (to June 1929 at most): the properties tested
here are exact identities of the bookkeeping, not magnitudes.
"""
from __future__ import annotations

import functools
import os
import time

import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

import smychka
import smychka.report
from smychka import InputError
from smychka.analysis import attribute as attribute_module
from smychka.analysis import compare as compare_module
from smychka.analysis.attribute import attribute, resolve_groups, shapley
from smychka.analysis.compare import WHOLE, compare, difference_table, outcome_values
from smychka.analysis.ensemble import run_ensemble
from smychka.analysis.workers import map_seeds
from smychka.cli import app

import worker_jobs
from conftest import differing_variables, month_index

HH = 1_000
END = "1929-06"
FIRST_CHANGE = "1928-01"   # where nep-continued leaves the historical line


@pytest.fixture(scope="module")
def history():
    return smychka.load_scenario("history").with_overrides(end=END)


@pytest.fixture(scope="module")
def nep():
    return smychka.load_scenario("nep-continued").with_overrides(end=END)


@pytest.fixture(scope="module")
def three_levers(history):
    """History with three levers changed from 1928-01, and war_scare rewritten to the same
    effect (it must not become a group)."""
    return history.with_overrides(levers={
        "coercion": {FIRST_CHANGE: 0.0}, "procurement_price": {FIRST_CHANGE: 1.2},
        "private_trade": {FIRST_CHANGE: 0.8}, "war_scare": {"1928-07": 0.0}})


@pytest.fixture(scope="module")
def pair(history, nep):
    """history and nep-continued, seeds 1 and 2, compared."""
    return compare([history, nep], seeds=2, households=HH)


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


# --- ensembles -------------------------------------------------------------------------

def test_ensemble_has_a_seed_dimension_and_runs_differ(history):
    short = history.with_overrides(end="1925-06")
    ens = run_ensemble(short, seeds=2, households=HH)
    assert ens["seed"].values.tolist() == [1, 2]
    assert ens["harvest"].dims[0] == "seed"
    assert ens.attrs["seeds"] == [1, 2] and "seed" not in ens.attrs
    assert not np.array_equal(ens["harvest"].sel(seed=1), ens["harvest"].sel(seed=2))
    single = smychka.run(short, households=HH, seed=2)
    assert differing_variables(ens.sel(seed=2, drop=True), single) == []
    # the public API: a list of seeds, and no mixing of seed with seeds
    api = smychka.run(short, households=HH, seeds=[2, 5])
    assert api["seed"].values.tolist() == [2, 5]
    assert differing_variables(api.sel(seed=2, drop=True), single) == []
    for bad in (0, [], [1, 1], [-1]):
        with pytest.raises(InputError, match="seeds"):
            run_ensemble(short, seeds=bad, households=HH)
    with pytest.raises(InputError, match="seeds"):
        smychka.run(short, households=HH, seed=1, seeds=2)


def test_seeds_run_in_worker_processes_give_the_same_results(history, nep, pair,
                                                             monkeypatch):
    """Workers run whole seeds in fresh interpreters; a run depends only on its scenario and
    its seed, so where it runs changes nothing."""
    handed_out = []
    for module in (compare_module, attribute_module):
        def spy(job, seeds, workers, done=lambda: None, real=module.map_seeds):
            handed_out.append(workers)
            return real(job, seeds, workers, done)
        monkeypatch.setattr(module, "map_seeds", spy)
    short = history.with_overrides(end="1925-06")
    xr.testing.assert_identical(
        run_ensemble(short, seeds=[2, 5, 7], households=HH, workers=2),
        run_ensemble(short, seeds=[2, 5, 7], households=HH))
    xr.testing.assert_identical(compare([history, nep], seeds=2, households=HH, workers=3),
                                pair)
    a = history.with_overrides(end="1928-06")
    b = a.with_overrides(levers={"coercion": {FIRST_CHANGE: 0.0},
                                 "procurement_price": {FIRST_CHANGE: 1.2}})
    xr.testing.assert_identical(attribute(a, b, seeds=[1, 3], households=HH, workers=2),
                                attribute(a, b, seeds=[1, 3], households=HH))
    assert handed_out == [2, 2]   # compare's 3 workers are capped at its 2 seeds


def test_workers_hand_back_each_seed_in_order_as_it_finishes(tmp_path):
    """Seed 7 waits for a file that the first call of `done` writes, so it returns only if
    `done` is called as each seed finishes, not once all have."""
    calls = []

    def done():
        calls.append(len(calls))
        (tmp_path / "go").touch()

    job = functools.partial(worker_jobs.waits_for_a_file, folder=str(tmp_path), first=3)
    assert map_seeds(job, [7, 3, 5], 2, done) == ["released", "first", "released"]
    assert calls == [0, 1, 2]
    out = map_seeds(worker_jobs.seed_and_process, [7, 3, 5], 2)
    assert [seed for seed, _ in out] == [7, 3, 5]
    assert os.getpid() not in {pid for _, pid in out}


def test_an_error_in_a_worker_stops_the_seeds_not_yet_started(tmp_path):
    job = functools.partial(worker_jobs.fails_first, folder=str(tmp_path), first=1)
    t0 = time.monotonic()
    with pytest.raises(RuntimeError, match="seed 1 failed"):
        map_seeds(job, [1, 2, 3, 4], 2)
    assert time.monotonic() - t0 < 30.0   # seed 2, still waiting, was stopped
    assert (tmp_path / "started-1").exists()
    assert not (tmp_path / "started-3").exists() and not (tmp_path / "started-4").exists()


def test_workers_are_checked_and_an_error_in_one_reaches_the_caller(history):
    short = history.with_overrides(end="1925-06")
    for bad in (0, -1, 1.5, True):
        with pytest.raises(InputError, match="^workers: "):
            run_ensemble(short, seeds=2, households=HH, workers=bad)
    with pytest.raises(InputError, match="^workers: 2 for a single run"):
        smychka.run(short, households=HH, seed=1, workers=2)
    with pytest.raises(InputError, match="^workers: 0 processes"):
        smychka.run(short, households=HH, seed=1, workers=0)
    # the household count is checked by each run, inside the worker: the error comes back
    # whole, key and all
    with pytest.raises(InputError, match="^households: -5 is out of range"):
        run_ensemble(short, seeds=2, households=-5, workers=2)


# --- comparison ------------------------------------------------------------------------

def test_a_scenario_compared_with_itself_differs_by_exactly_zero(history):
    ds = compare(["history", history], seeds=2, households=HH, end="1926-06")
    assert ds["scenario"].values.tolist() == ["history", "history (2)"]
    table = difference_table(ds, "history", "history (2)")
    assert len(table) and (table.to_numpy() == 0.0).all()


def test_common_random_numbers_keep_runs_identical_until_policies_differ(history, nep, pair):
    a = smychka.run(history, households=HH, seed=2)
    b = smychka.run(nep, households=HH, seed=2)
    t = month_index(a, FIRST_CHANGE)
    assert differing_variables(a, b, slice(0, t)) == []
    assert differing_variables(a, b, slice(t, t + 1))        # they part in January 1928
    # the comparison (which simulates the common months once) gives the same runs
    for name, run in (("history", a), ("nep-continued", b)):
        assert differing_variables(pair.sel(scenario=name, seed=2, drop=True), run) == []
    table = difference_table(pair, "history", "nep-continued")
    before = ["1924/25", "1925/26", "1926/27"]
    assert (table.loc[before].to_numpy() == 0.0).all()
    med = table.xs("median", axis=1, level="statistic")
    assert (med.loc[["1927/28", "1928/29", WHOLE]].abs() > 0).any(axis=1).all()


# --- attribution -----------------------------------------------------------------------

def test_shapley_values_of_a_known_game():
    # v(S) = sum of own values + an interaction of players 0 and 1, split evenly
    own = np.array([1.0, 2.0, -4.0])
    v = np.array([sum(own[i] for i in range(3) if m >> i & 1) + 3.0 * (m & 3 == 3)
                  for m in range(8)])
    np.testing.assert_allclose(shapley(v), [2.5, 3.5, -4.0])
    assert shapley(v).sum() == pytest.approx(v[-1] - v[0])


def test_levers_that_do_not_differ_get_no_group(history, nep, three_levers):
    assert list(resolve_groups(history, three_levers)) == [
        "procurement_price", "private_trade", "coercion"]
    joined = resolve_groups(history, three_levers,
                            {"market": ["procurement_price", "private_trade", "war_scare"]})
    assert joined == {"market": ["procurement_price", "private_trade"],
                      "coercion": ["coercion"]}
    # families: tax_exempt_share is rewritten to the value it has anyway
    b = history.with_overrides(levers={"coercion": {FIRST_CHANGE: 0.0},
                                       "label_error": {FIRST_CHANGE: 0.05},
                                       "tax_exempt_share": {"1928-07": 0.35}})
    assert resolve_groups(history, b, "families") == {"coercion": ["coercion", "label_error"]}
    # between two built-in scenarios, a lever is in a group exactly when its monthly
    # values differ within the run
    la, lb = history.lever_arrays(), nep.lever_arrays()
    members = [m for g in resolve_groups(history, nep).values() for m in g]
    assert members and set(members) == {k for k in la if not np.array_equal(la[k], lb[k])}


def test_shapley_values_sum_to_the_total_difference(history, three_levers):
    res = attribute(history, three_levers, seeds=2, households=HH)
    assert res.sizes["group"] == 3 and res.sizes["coalition"] == 8
    total = res["total"]
    scale = float(np.nanmax(np.abs(res["value_b"].values))) + 1.0
    gap = np.abs(res["shapley"].sum("group") - total).values
    assert np.nanmax(gap) <= 1e-12 * scale
    assert np.isfinite(total.values).all()
    # the total is B - A of independent runs, seed by seed
    for seed in (1, 2):
        va = outcome_values(smychka.run(history, households=HH, seed=seed))
        vb = outcome_values(smychka.run(three_levers, households=HH, seed=seed))
        np.testing.assert_array_equal(total.sel(seed=seed).values, (vb - va).values)
    # the years before the change owe nothing to anything
    assert (res["shapley"].sel(year="1926/27") == 0.0).all()


def test_one_group_explains_the_whole_difference(history):
    b = history.with_overrides(levers={"coercion": {FIRST_CHANGE: 0.0}})
    res = attribute(history, b, seeds=[3], households=HH, years=[1928])
    assert res["group"].values.tolist() == ["coercion"]
    assert res["year"].values.tolist() == ["1928/29", WHOLE]
    xr.testing.assert_equal(res["shapley"].sel(group="coercion", drop=True), res["total"])
    assert (res["total"].sel(outcome="procurement") != 0).all()


def test_too_many_groups_are_refused_before_running(monkeypatch):
    import smychka.analysis.attribute as attr

    monkeypatch.setattr(attr, "run_branches", lambda *a, **k: pytest.fail("ran"))
    with pytest.raises(InputError, match="groups.*runs per seed"):
        attribute("history", "nep-continued", seeds=1, households=HH, end=END, max_groups=4)
    with pytest.raises(InputError, match="groups.nonsense"):
        attribute("history", "nep-continued", groups={"nonsense": ["no_such_lever"]})
    with pytest.raises(InputError, match="years"):
        attribute("history", "nep-continued", groups="families", years=[1940], end=END)


# --- command line ----------------------------------------------------------------------

def test_cli_compare_writes_its_files(tmp_path):
    out = tmp_path / "cmp"
    result = invoke("compare", "history", "nep-continued", "--seeds", 2, "--households", HH,
                    "--end", END, "--out", out)
    assert result.exit_code == 0, result.output
    assert "nep-continued minus history" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["compare.md", "compare.nc", "figures"]
    assert sorted(p.name for p in (out / "figures").iterdir()) == [
        "compare_differences.png", "compare_levels.png"]
    assert list(tmp_path.iterdir()) == [out]     # nothing partial left beside it
    with xr.open_dataset(out / "compare.nc", engine="h5netcdf") as ds:
        assert ds["harvest"].dims[:2] == ("seed", "scenario")
    assert "## nep-continued minus history" in (out / "compare.md").read_text()


def test_cli_attribute_writes_its_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "soft.toml").write_text(
        'name = "soft"\nextends = "history"\n'
        '[levers.coercion]\n"1928-01" = 0.3\n'
        '[levers.procurement_price]\n"1928-01" = 1.2\n'
        '[levers.private_trade]\n"1928-01" = 0.8\n')
    result = invoke("attribute", "history", "soft.toml", "--seeds", 2, "--households", HH,
                    "--span", "1924-07", END, "--out", "attr",
                    "--group", "market=procurement_price,private_trade,goods_price")
    assert result.exit_code == 0, result.output
    assert "Shapley" in result.stdout
    out = tmp_path / "attr"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["attr", "soft.toml"]
    assert sorted(p.name for p in out.iterdir()) == ["attribute.md", "attribute.nc", "figures"]
    assert sorted(p.name for p in (out / "figures").iterdir()) == [
        "attribute.png", "attribute_by_year.png"]
    with xr.open_dataset(out / "attribute.nc", engine="h5netcdf") as res:
        assert res["group"].values.tolist() == ["market", "coercion"]
        gap = np.abs(res["shapley"].sum("group") - res["total"]).max()
        assert float(gap) <= 1e-9
    assert "## Whole run" in (out / "attribute.md").read_text()


def test_cli_run_with_seeds_writes_an_ensemble(tmp_path, monkeypatch):
    written = {}

    def write_report(ds, out_dir):   # the real report is tested elsewhere; it is slow
        written["dims"] = dict(ds.sizes)
        (out_dir / "report.md").write_text("# report\n")

    monkeypatch.setattr(smychka.report, "write_report", write_report)
    out = tmp_path / "ens"
    result = invoke("run", "history", "--seeds", 2, "--seed", 4, "--households", 200,
                    "--workers", 2, "--out", out, "--quiet")
    assert result.exit_code == 0, result.output
    with xr.open_dataset(out / "results.nc", engine="h5netcdf") as ds:
        assert ds["seed"].values.tolist() == [4, 5]
    assert written["dims"]["seed"] == 2


@pytest.mark.parametrize("args, key", [
    (["compare", "history", "histroy"], "scenario: no built-in scenario"),
    (["compare", "history"], "scenarios: 1 given"),
    (["compare", "history", "nep-continued", "--seeds", "0"], "--seeds: 0 runs"),
    (["compare", "history", "nep-continued", "--end", "1929-13"], "end: '1929-13'"),
    (["compare", "history", "nep-continued", "--span", "1924-07", "1929-06", "--end",
      "1930-06"], "--end: 1930-06 contradicts"),
    (["attribute", "history", "histroy"], "scenario: no built-in scenario"),
    (["attribute", "history", "nep-continued", "--seeds", "-1"], "--seeds: -1 runs"),
    (["attribute", "history", "nep-continued"], "groups: history and nep-continued "
                                                "differ in "),
    (["attribute", "history", "nep-continued", "--end", END, "--max-groups", "3"],
     "groups: history and nep-continued differ in "),
    (["attribute", "history", "nep-continued", "--group", "prices"], "--group: 'prices'"),
    (["attribute", "history", "nep-continued", "--group", "x=procurment_price"],
     "groups.x: unknown lever"),
    (["run", "history", "--seeds", "0"], "--seeds: 0 runs"),
    (["run", "history", "--seeds", "2", "--workers", "0"], "--workers: 0 processes"),
    (["run", "history", "--workers", "2"], "--workers: given without --seeds"),
    (["compare", "history", "nep-continued", "--workers", "0"], "--workers: 0 processes"),
    (["attribute", "history", "nep-continued", "--workers", "-2"], "--workers: -2 processes"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, monkeypatch, args, key):
    monkeypatch.chdir(tmp_path)
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {key}"), result.stderr
    assert list(tmp_path.iterdir()) == []

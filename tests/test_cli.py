"""The command line: listings, `run` with a stand-in simulation, and bad input."""
import sys
import types

import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

import smychka
import smychka.api
import smychka.core.params as params_mod
import smychka.report
from smychka.cli import app
from smychka.core.levers import LEVERS

FAKE_PARAMS = (
    params_mod.Param("market.hoarding_sensitivity", 0.5, "share", "response of hoarding",
                     (0.0, 1.0), "to be calibrated", True),
    params_mod.Param("tax.assessment_error", 0.1, "share", "error of tax assessment",
                     (0.0, 0.5), "T1"),
)


@pytest.fixture(autouse=True)
def registry(monkeypatch):
    """The real parameter registry when it imports, else a small stand-in."""
    try:
        reg = params_mod.registry()
    except Exception:
        reg = {p.name: p for p in FAKE_PARAMS}
        monkeypatch.setattr(params_mod, "registry", lambda: reg)
    return reg


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


@pytest.fixture
def fake_run(monkeypatch):
    """A stand-in simulation and report that record what they were given."""
    calls = {}

    def run(sc, households=None, seed=None, progress=False):
        calls.update(scenario=sc, households=households, seed=seed, progress=progress)
        time = sc.calendar().dates()[:3]
        return xr.Dataset({"harvest": ("time", np.arange(3.0), {"units": "tonnes"})},
                          coords={"time": time}, attrs={"scenario": sc.name})

    def write_report(ds, out_dir):
        calls["report_dir"] = out_dir
        (out_dir / "report.md").write_text("# report\n")
        return out_dir / "report.md"

    monkeypatch.setattr(smychka.api, "run", run)
    monkeypatch.setattr(smychka.report, "write_report", write_report, raising=False)
    monkeypatch.setattr(smychka.report, "print_summary",
                        lambda ds, console=None: print("SUMMARY"), raising=False)
    return calls


# --- listings -------------------------------------------------------------------------

def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and smychka.__version__ in result.stdout


def test_scenarios_lists_history():
    result = invoke("scenarios")
    assert result.exit_code == 0
    assert any(line.startswith("history ") for line in result.stdout.splitlines())
    verbose = invoke("scenarios", "--verbose")
    assert "procurement_plan:" in verbose.stdout and "1924-07 to 1934-06" in verbose.stdout


def test_levers_lists_every_lever():
    result = invoke("levers")
    assert result.exit_code == 0
    for name in LEVERS:
        assert name in result.stdout


def test_levers_of_history_show_the_plan_schedule():
    result = invoke("levers", "history")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if "1930-07" in line and "23.5" in line]
    assert rows
    assert "procurement_plan" in result.stdout and "million tonnes" in result.stdout


def test_params_lists_the_schema(registry):
    result = invoke("params")
    assert result.exit_code == 0
    for name in registry:
        assert name in result.stdout
    process = next(iter(registry.values())).process
    assert invoke("params", process).exit_code == 0


def test_params_of_an_unknown_process():
    result = invoke("params", "nosuch")
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: process: unknown process 'nosuch' (valid: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_plan_prints_the_step_plan(monkeypatch):
    step = types.SimpleNamespace
    fake = types.ModuleType("smychka.core.plan")
    fake.step_plan = lambda: [step(phase=1, process="sowing", months=(4, 9), doc="sow"),
                              step(phase=2, process="market", months=(), doc="trade")]
    monkeypatch.setitem(sys.modules, "smychka.core.plan", fake)
    result = invoke("plan", "history")
    assert result.exit_code == 0, result.output
    assert "Apr, Sep" in result.stdout and "every month" in result.stdout
    assert invoke("plan", "histroy").exit_code == 2


# --- run ----------------------------------------------------------------------------

def test_run_writes_results_and_report(tmp_path, fake_run, registry):
    name = next(iter(registry))
    value = registry[name].bounds[1]
    out = tmp_path / "out"
    result = invoke("run", "history", "--households", 500, "--seed", 3, "--out", out,
                    "--set", f"{name}={value}", "--lever", "procurement_price", "1928-07=1.3",
                    "--lever", "private_trade", "1928-01=0.9", "--quiet")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["report.md", "results.nc"]
    assert list(tmp_path.iterdir()) == [out]  # no partial folder left beside it
    with xr.open_dataset(out / "results.nc", engine="h5netcdf") as ds:
        assert ds["harvest"].values.tolist() == [0.0, 1.0, 2.0]
    sc = fake_run["scenario"]
    assert (fake_run["households"], fake_run["seed"], fake_run["progress"]) == (500, 3, False)
    assert sc.params[name] == value
    assert sc.levers["procurement_price"]["1928-07"] == 1.3
    assert sc.levers["private_trade"]["1928-01"] == 0.9
    assert "SUMMARY" not in result.stdout


def test_run_into_the_default_folder(tmp_path, monkeypatch, fake_run):
    monkeypatch.chdir(tmp_path)
    result = invoke("run", "history", "--lever=goods_supply", "1929-01=1.1")
    assert result.exit_code == 0, result.output
    (folder,) = (tmp_path / "runs").iterdir()
    assert folder.name.startswith("history-") and (folder / "results.nc").is_file()
    assert "SUMMARY" in result.stdout and fake_run["progress"] is True
    assert fake_run["scenario"].levers["goods_supply"]["1929-01"] == 1.1


def test_failing_report_leaves_no_output(tmp_path, monkeypatch, fake_run):
    def broken(ds, out_dir):
        (out_dir / "report.md").write_text("half")
        raise RuntimeError("plotting failed")

    monkeypatch.setattr(smychka.report, "write_report", broken, raising=False)
    monkeypatch.chdir(tmp_path)
    result = invoke("run", "history", "--out", "deep/out")
    assert isinstance(result.exception, RuntimeError)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, key", [
    (["histroy"], "scenario: no built-in scenario or file named 'histroy'"),
    (["history", "--lever", "procurment_price", "1928-01=1"],
     "levers.procurment_price: unknown lever"),
    (["history", "--lever", "procurement_price", "1940-01=1"],
     "levers.procurement_price.1940-01: lever date lies outside the run"),
    (["history", "--lever", "procurement_price", "1928-01=-1"],
     "levers.procurement_price.1928-01: -1.0 is out of bounds"),
    (["history", "--lever", "procurement_price", "1928-13=1"],
     "levers.procurement_price.1928-13: '1928-13' is not a month"),
    (["history", "--lever", "procurement_price", "1928-01"], "--lever: "),
    (["history", "--lever", "procurement_price", "1928-01=lots"],
     "levers.procurement_price.1928-01: 'lots' is not a number"),
    (["history", "--set", "market.foo=1"], "params.market.foo: unknown parameter"),
    (["history", "--set", "nonsense"], "--set: 'nonsense' is not PARAM=VALUE"),
    (["history", "--households", "5"], "households: input should be greater than"),
    (["history", "--seed", "-1"], "seed: input should be greater than or equal to 0"),
    (["bad.toml"], "scenario file bad.toml: invalid TOML at line 2"),
    (["history", "--out", "full"], "--out: full already exists"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, monkeypatch, fake_run, args, key):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.toml").write_text('name = "bad"\nstart = \n')
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "old.txt").write_text("earlier run")
    before = sorted(tmp_path.iterdir())
    result = invoke("run", *args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {key}"), result.stderr
    assert sorted(tmp_path.iterdir()) == before and "scenario" not in fake_run


def test_usage_errors_exit_2(tmp_path, monkeypatch, fake_run):
    monkeypatch.chdir(tmp_path)
    assert invoke("run", "history", "--households", "many").exit_code == 2
    assert invoke("run").exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_plan_with_the_engine_plan():
    from smychka.core.plan import step_plan

    result = invoke("plan", "history")
    assert result.exit_code == 0, result.output
    for step in step_plan():
        assert step.process in result.stdout

"""Scenario files: inheritance, overrides, round trips and the messages for bad input."""
import re
from importlib import resources

import numpy as np
import pytest

import smychka.core.params as params_mod
from smychka.core.levers import LEVERS
from smychka.errors import InputError
from smychka.scenarios.loader import (Scenario, builtin_scenarios, load_scenario,
                                      scenario_from_toml)

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


@pytest.fixture
def pname(registry):
    return next(iter(registry))


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def error_of(fn, *args, **kwargs) -> str:
    with pytest.raises(InputError) as e:
        fn(*args, **kwargs)
    msg = str(e.value)
    assert "\n" not in msg
    return msg


# --- the built-in historical scenario ---------------------------------------------------

def test_builtins_list_history_under_its_own_name():
    found = builtin_scenarios()
    assert "history" in found and found["history"]
    for name in found:
        assert load_scenario(name).name == name


def test_history_sets_every_lever_from_the_start_with_a_note():
    sc = load_scenario("history")
    assert (sc.start, sc.end, sc.households, sc.seed) == ("1924-07", "1934-06", 100_000, 1)
    for name in LEVERS:
        assert "1924-07" in sc.levers[name], name
        assert sc.notes.get(name), name
    assert sc.levers["procurement_plan"]["1930-07"] == 23.5
    assert sc.levers["procurement_plan"]["1927-07"] == 11.5


def test_history_gives_a_source_for_every_dated_value():
    text = resources.files("smychka.scenarios").joinpath("history.toml").read_text("utf-8")
    dated = [line for line in text.splitlines() if re.match(r'^"\d{4}-\d{2}"\s*=', line)]
    assert len(dated) > 40
    for line in dated:
        comment = line.partition("#")[2].strip()
        assert comment, line


def test_lever_arrays_cover_the_run():
    sc = load_scenario("history")
    arrays = sc.lever_arrays()
    assert set(arrays) == set(LEVERS)
    t = sc.calendar().index_of("1930-07")
    assert arrays["procurement_plan"][t] == 23.5
    assert all(a.shape == (120,) for a in arrays.values())


# --- inheritance and overrides ------------------------------------------------------------

@pytest.fixture
def family(tmp_path, monkeypatch, pname):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "parent.toml", f"""
name = "parent"
description = "the parent"
households = 500
[params]
"{pname}" = {params_mod.registry()[pname].bounds[0]}
[levers.procurement_price]
"1924-07" = 1.0
"1928-01" = 1.1
[notes]
procurement_price = "parent's note"
""")
    write(tmp_path / "child.toml", f"""
name = "child"
extends = "parent.toml"
seed = 7
[params]
"{pname}" = {params_mod.registry()[pname].bounds[1]}
[levers.procurement_price]
"1928-01" = 1.2
"1930-01" = 1.3
[levers.private_trade]
"1928-01" = 0.5
""")
    return tmp_path


def test_child_merges_with_parent_and_overrides_it(family, pname):
    sc = load_scenario("child.toml")
    assert sc.name == "child" and sc.description == ""
    assert (sc.households, sc.seed, sc.start, sc.end) == (500, 7, "1924-07", "1934-06")
    assert sc.params[pname] == params_mod.registry()[pname].bounds[1]
    assert sc.levers["procurement_price"] == {"1924-07": 1.0, "1928-01": 1.2, "1930-01": 1.3}
    assert sc.levers["private_trade"] == {"1928-01": 0.5}
    assert sc.notes == {"procurement_price": "parent's note"}
    assert sc.chain == ("parent.toml", "child.toml")
    assert set(sc.params) == set(params_mod.registry())  # defaults filled in


def test_child_of_history_may_shorten_the_run(tmp_path):
    path = write(tmp_path / "late.toml", 'name = "late"\nextends = "history"\n'
                 'start = "1928-01"\nend = "1930-12"\n')
    sc, hist = load_scenario(path), load_scenario("history")
    lo, hi = hist.calendar().index_of("1928-01"), hist.calendar().index_of("1930-12")
    for name, arr in sc.lever_arrays().items():
        np.testing.assert_array_equal(arr, hist.lever_arrays()[name][lo:hi + 1])
    assert sc.levers["private_trade"]["1928-01"] == 0.6


def test_overrides_merge_on_top(pname):
    value = params_mod.registry()[pname].bounds[1]
    sc = load_scenario("history", params={pname: value},
                       levers={"procurement_price": {"1928-01": 1.2}}, households=2_000)
    assert sc.params[pname] == value and sc.households == 2_000
    assert sc.levers["procurement_price"]["1928-01"] == 1.2
    # an override takes the lever over from its date: history's later entries are dropped,
    # its earlier ones stay
    assert "1928-07" not in sc.levers["procurement_price"]
    assert sc.levers["procurement_price"]["1927-07"] == 0.95
    assert sc.with_overrides() is sc
    assert sc.with_overrides(seed=None) is sc


def test_a_later_start_from_python_keeps_the_inherited_history():
    sc = load_scenario("history", start="1929-07")
    assert sc.levers["private_trade"]["1929-07"] == 0.4
    assert sc.calendar().n_months == 60


def test_to_toml_round_trips(family):
    sc = load_scenario("child.toml", levers={"goods_supply": {"1929-01": 0.8}}, seed=3)
    back = scenario_from_toml(sc.to_toml())
    assert back == sc
    assert back.lever_arrays().keys() == sc.lever_arrays().keys()
    assert "extends" not in sc.to_toml()
    short = load_scenario("history", start="1930-01")
    assert scenario_from_toml(short.to_toml()) == short


def test_load_scenario_accepts_a_loaded_scenario():
    sc = load_scenario("history")
    assert isinstance(sc, Scenario)
    assert load_scenario(sc, seed=5).seed == 5


# --- bad input: one line naming the key and what is valid --------------------------------

def test_unknown_lever_suggests_the_near_name(tmp_path):
    path = write(tmp_path / "x.toml", 'name = "x"\n[levers.procurment_price]\n"1928-01" = 1\n')
    assert error_of(load_scenario, path).startswith(
        "levers.procurment_price: unknown lever 'procurment_price' (valid: procurement_price")


@pytest.mark.parametrize("body, expected", [
    ('[params]\n"market.foo" = 1', "params.market.foo: unknown parameter 'market.foo'"),
    ('start = "1924-13"', "start: '1924-13' is not a month (valid: YYYY-MM, e.g. 1928-01)"),
    ('[levers.procurement_price]\n"1940-01" = 1',
     "levers.procurement_price.1940-01: lever date lies outside the run "
     "(valid: a month from 1924-07 to 1934-06)"),
    ('[levers.procurement_price]\n"1928-01" = -1.0',
     "levers.procurement_price.1928-01: -1.0 is out of bounds (valid: 0.0 to 10.0"),
    ('households = "many"', "households: input should be a valid integer"),
    ('households = 5', "households: input should be greater than or equal to 100"),
    ('weather = "sunny"', "weather: input should be 'historical' or 'random'"),
    ('colour = "red"', "colour: unknown key (valid: name, description, extends"),
    ('[levers]\nprocurement_price = 1.0', "levers.procurement_price: input should be a valid"),
    ('[notes]\nprocurment_price = "x"', "notes.procurment_price: unknown lever"),
    ('end = "1920-01"', "end: 1920-01 is before start 1924-07"),
])
def test_bad_file_entries_name_their_key(tmp_path, body, expected):
    path = write(tmp_path / "x.toml", f'name = "x"\n{body}\n')
    assert error_of(load_scenario, path).startswith(expected)


def test_missing_scenario_lists_the_builtins():
    assert error_of(load_scenario, "histroy").startswith(
        "scenario: no built-in scenario or file named 'histroy' (valid: history")


def test_malformed_toml_gives_the_line(tmp_path):
    path = write(tmp_path / "x.toml", 'name = "x"\nstart = "1924-07"\n[levers\n')
    msg = error_of(load_scenario, path)
    assert msg.startswith(f"scenario file {path}: invalid TOML at line 3: ")


def test_missing_name_is_reported(tmp_path):
    path = write(tmp_path / "x.toml", 'start = "1924-07"\n')
    assert error_of(load_scenario, path) == "name: required key is missing"


def test_circular_extends(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.toml", 'name = "a"\nextends = "b.toml"\n')
    write(tmp_path / "b.toml", 'name = "b"\nextends = "a.toml"\n')
    msg = error_of(load_scenario, "a.toml")
    assert "circular chain a.toml -> b.toml -> a.toml" in msg


def test_errors_in_a_parent_name_the_parent(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "p.toml", 'name = "p"\n[levers.coercionn]\n"1928-01" = 1\n')
    write(tmp_path / "c.toml", 'name = "c"\nextends = "p.toml"\n')
    assert error_of(load_scenario, "c.toml").startswith("p.toml: levers.coercionn: unknown lever")
    write(tmp_path / "c.toml", 'name = "c"\nextends = "nowhere.toml"\n')
    assert error_of(load_scenario, "c.toml").startswith(
        "extends: no built-in scenario or file named 'nowhere.toml'")


@pytest.mark.parametrize("kwargs, expected", [
    ({"levers": {"coercion_x": {"1928-01": 1}}}, "levers.coercion_x: unknown lever"),
    ({"levers": {"procurement_price": {"1940-01": 1}}},
     "levers.procurement_price.1940-01: lever date lies outside the run"),
    ({"levers": {"procurement_price": {"1928-01": 11}}},
     "levers.procurement_price.1928-01: 11.0 is out of bounds"),
    ({"params": {"market.foo": 1}}, "params.market.foo: unknown parameter"),
    ({"households": 10}, "households: input should be greater than or equal to 100"),
    ({"colour": "red"}, "colour: not a scenario field"),
])
def test_bad_overrides_name_their_key(kwargs, expected):
    assert error_of(load_scenario, "history", **kwargs).startswith(expected)


def test_out_of_bounds_param_override(pname):
    hi = params_mod.registry()[pname].bounds[1]
    assert error_of(load_scenario, "history", params={pname: hi + 1}).startswith(
        f"params.{pname}: {hi + 1} is out of bounds")

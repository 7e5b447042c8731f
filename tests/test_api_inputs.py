"""Bad input through the Python API: one InputError whose message names the offending key,
raised before anything is simulated."""
import pytest

import smychka

# Small enough that a missing check costs a second, not minutes.
FEW = 100

CASES = [
    ("unknown parameter", dict(params={"marketing.no_such_thing": 1.0}),
     "marketing.no_such_thing"),
    ("parameter out of bounds", dict(params={"sowing.land_use": 5.0}), "sowing.land_use"),
    ("parameter not a number", dict(params={"sowing.land_use": "a lot"}), "sowing.land_use"),
    ("unknown lever", dict(levers={"grain_requisition": {"1925-01": 1.0}}),
     "grain_requisition"),
    ("lever value out of bounds", dict(levers={"private_trade": {"1925-01": 2.0}}),
     "private_trade"),
    ("lever date outside the run", dict(levers={"procurement_price": {"1950-01": 1.2}}),
     "procurement_price"),
    ("lever date before the run", dict(levers={"goods_supply": {"1920-01": 1.2}}),
     "goods_supply"),
    ("malformed lever date", dict(levers={"goods_supply": {"1926/27": 1.2}}), "goods_supply"),
]


@pytest.mark.parametrize("what,kwargs,key", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("by", ["name", "scenario"])
def test_bad_scenario_input_names_the_key(small_scenario, what, kwargs, key, by):
    target = "history" if by == "name" else small_scenario
    with pytest.raises(smychka.InputError) as e:
        smychka.run(target, households=FEW, **kwargs)
    msg = str(e.value)
    assert key in msg, f"{what}: the message {msg!r} does not name {key!r}"
    assert "\n" not in msg, "the message is not one line"


def test_a_lever_date_after_a_shortened_run_is_refused(small_scenario):
    with pytest.raises(smychka.InputError) as e:
        smychka.run(small_scenario, households=FEW,
                    levers={"procurement_price": {"1930-01": 1.2}})
    assert "procurement_price" in str(e.value) and "1930-01" in str(e.value)


@pytest.mark.parametrize("households", [0, 99, -5, 10**9])
def test_households_out_of_range(small_scenario, households):
    with pytest.raises(smychka.InputError) as e:
        smychka.run(small_scenario, households=households)
    assert "households" in str(e.value)


def test_negative_seed(small_scenario):
    with pytest.raises(smychka.InputError) as e:
        smychka.run(small_scenario, households=FEW, seed=-1)
    assert "seed" in str(e.value)


def test_unknown_scenario():
    with pytest.raises(smychka.InputError) as e:
        smychka.run("no-such-scenario", households=FEW)
    assert "no-such-scenario" in str(e.value)


def test_good_input_runs(small_scenario):
    ds = smychka.run(small_scenario.with_overrides(end="1924-09"), households=FEW, seed=0,
                     params={"sowing.land_use": 0.9},
                     levers={"procurement_price": {"1924-08": 1.1}})
    assert ds.sizes["time"] == 3
    assert ds.attrs["seed"] == 0

"""Seed loans and the state's village reserve (docs/model.md 3.3.3, 3.3.4, 3.3.18): switches
for a rural grain market that serves the villages from what the state holds."""
import numpy as np
import pytest

import smychka
from smychka.report.balance import check_balance

WITHIN = {"consumption.purchases_within_stocks": 1.0}


def run(params, end="1926-09", households=10_000):
    sc = smychka.load_scenario("history", params=params).with_overrides(end=end)
    return smychka.run(sc, households=households, seed=4)


def national(ds, var):
    da = ds[var]
    return da.sum([d for d in da.dims if d != "time"]).values / 1e6      # Mt


@pytest.fixture(scope="module")
def runs():
    return (run(WITHIN), run({**WITHIN, "sowing.seed_loan_share": 1.0}),
            run({**WITHIN, "sowing.seed_loan_share": 1.0, "town.village_reserve_mt": 3.0}))


def test_loans_go_out_at_sowing_and_come_back_after_the_august_harvest(runs):
    without, loans, _ = runs
    assert national(without, "seed_loans").sum() == 0.0
    lent, back = national(loans, "seed_loans"), national(loans, "loan_repaid")
    months = loans.time.dt.month.values
    assert lent.sum() > 0.0 and np.all(lent[~np.isin(months, (4, 5, 9, 10))] == 0.0)
    assert back.sum() > 0.0 and np.all(back[months != 8] == 0.0)
    assert back.sum() <= lent.sum() + 1e-9


def test_lent_seed_is_sown(runs):
    """The same households and draws: with loans the villages sow more seed in the spring."""
    without, loans, _ = runs
    spring = np.isin(without.time.dt.month.values, (4, 5))
    assert national(loans, "seed_use")[spring].sum() > national(without, "seed_use")[spring].sum()


def test_a_reserve_keeps_grain_for_the_villages_spring(runs):
    """Exports stop at the reserve, and the villages get more of the state's grain in
    spring, bought or lent (more is bought, so less need be lent)."""
    _, loans, reserve = runs
    months = reserve.time.dt.month.values
    assert national(reserve, "exports").sum() < national(loans, "exports").sum()
    march = months == 3
    assert np.all(national(reserve, "state_grain_stock")[march] >= 3.0 - 1e-6)
    spring = np.isin(months, (4, 5, 6))
    served = {k: (national(ds, "grain_purchases") + national(ds, "seed_loans"))[spring].sum()
              for k, ds in (("loans", loans), ("reserve", reserve))}
    assert served["reserve"] > served["loans"], served


@pytest.mark.parametrize("book", ["grain", "money"])
def test_books_close_with_loans(runs, book):
    check = check_balance(runs[2], book)
    assert check.ok, check

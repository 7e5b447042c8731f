"""What the reference models share: the scenario's inputs, the starting population, the
region- and nation-level economy (prices, the towns, expectations), the yearly tally of
outputs and the side-by-side comparison with smychka.

The household rules themselves are written twice, once per agent in Mesa (mesa_model.py beside
this file) and once as whole-column expressions in Polars (frames_reference/frames_model.py); both
follow smychka's kernels for a scenario without coercion (the household economy of NEP:
the village land market, sowing, harvest, the agricultural tax, marketing through the state or the private channel,
goods under rationing, consumption, livestock, loyalty, births and deaths). Everything here
works on a handful of regions, on the villages or on the nation (industry and the towns
included), never on households one by one, so it costs the same in both reference models
and is not what they measure.

Parameters come from the scenario (smychka.core.params.registry() defaults plus the
scenario's own overrides), levers from the scenario's dated schedules, and the regional,
strata and weather tables from smychka.data.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

import smychka
from smychka import data
from smychka.core.calendar import ag_year_label, ag_year_of
from smychka.core.variables import REGIONS, STRATA
from smychka.processes.town import export_schedule

BEDNYAK, SEREDNYAK, KULAK = 0, 1, 2
KINDS = ("horse", "cattle", "pig", "sheep")
STALL_MONTHS = (11, 12, 1, 2, 3, 4)
WINTER_MONTHS, SPRING_MONTHS = (9, 10), (4, 5)
BIRTH_MONTHS = {4: 0.5, 5: 0.5}
PIG_BIRTH_MONTHS = {4: 0.5, 9: 0.5}
TAX_PAY_SHARE = {9: 0.0, 10: 0.4, 11: 0.5, 12: 1.0}
TAX_ARREARS_SHARE = 0.5
CENSUS_MONTH = 1926 * 12 + 11
PHI = 0.6180339887498949

# The scenario the comparisons run: NEP continued, no coercion at any time, so that the
# household economy above is the whole of what smychka simulates for the households.
DEFAULT_SCENARIO = "nep-continued"


def months_to_harvest(month: int) -> int:
    return (7 - month) % 12 or 12


def stall_ahead(month: int) -> int:
    months = [(month - 1 + k) % 12 + 1 for k in range(months_to_harvest(month))]
    return sum(1 for x in months if x in STALL_MONTHS)


def seed_ahead(month: int, first_share: float) -> tuple[float, float]:
    winter = {7: 1.0, 8: 1.0, 9: 1.0 - first_share}.get(month, 0.0)
    spring = 0.0 if month in (5, 6) else (1.0 - first_share if month == 4 else 1.0)
    return winter, spring


@dataclass
class Inputs:
    """A scenario's parameters, levers, calendar and data tables."""

    name: str
    params: dict
    levers: dict
    start: int            # absolute month of the first step
    n_months: int
    seed: int
    historical_weather: bool
    regions: dict = field(default_factory=dict)
    strata: dict = field(default_factory=dict)

    @classmethod
    def load(cls, scenario: str = DEFAULT_SCENARIO, end: str | None = None) -> "Inputs":
        sc = smychka.load_scenario(scenario)
        if end:
            sc = sc.with_overrides(end=end)
        cal = sc.calendar()
        reg = data.regions()
        st = data.strata()
        regions = {
            "household_share": reg["household_share"].to_numpy(float),
            # official yields scaled to the true crop, as in the engine
            "base_yield": reg["base_yield_kg_ha"].to_numpy(float) * sc.params["harvest.yield_scale"],
            "winter_share": reg["winter_sown_share"].to_numpy(float),
            "price_zone": reg["price_zone"].to_numpy(float),
        }
        strata = {c: st[c].to_numpy(float) for c in st.columns
                  if c.endswith(("_mean", "_share", "_ha", "_rub"))}
        return cls(name=sc.name, params=dict(sc.params), levers=sc.lever_arrays(),
                   start=cal.start, n_months=cal.n_months, seed=sc.seed,
                   historical_weather=sc.weather == "historical", regions=regions,
                   strata=strata)

    def p(self, name: str) -> float:
        return float(self.params[name])

    def lever(self, name: str, t: int) -> float:
        return float(self.levers[name][t])

    def month(self, t: int) -> int:
        return (self.start + t) % 12 + 1

    def ag_year(self, t: int) -> int:
        return ag_year_of(self.start + t)

    def vec(self, what: str) -> np.ndarray:
        """A livestock parameter by kind (horse, cattle, pig, sheep)."""
        return np.array([self.p(f"livestock.{what}_{k}") for k in KINDS])

    def weather_factor(self, ag_year: int) -> np.ndarray:
        """The year's regional yield factors: the historical table times the random regional
        shock. The random part is the very realisation smychka draws for this seed (the same
        counter-based stream), because a region-wide shock is an input of the run, not
        household behaviour; with independent draws a single bad year would dominate the
        comparison of harvests."""
        from smychka.core.rng import stream_key
        from smychka.kernels.harvest import lognormal_shocks
        out = np.ones(len(REGIONS))
        if self.historical_weather:
            for row in data.weather().itertuples():
                if row.ag_year == ag_year:
                    out[REGIONS.index(row.region)] *= row.yield_factor
        key = stream_key(self.seed, "harvest.weather")
        return out * lognormal_shocks(key, ag_year * 12 + 6, len(REGIONS),
                                      self.p("harvest.weather_sigma"))


# ------------------------------------------------------------------------------ population

def _largest_remainder(total: int, shares: np.ndarray) -> np.ndarray:
    raw = shares / shares.sum() * total
    out = np.floor(raw).astype(np.int64)
    order = np.argsort(-(raw - out), kind="stable")
    out[order[: total - out.sum()]] += 1
    return out


def initial_population(inp: Inputs, n: int, rng: np.random.Generator) -> dict:
    """Starting households as columns (region by region, villages as contiguous blocks),
    drawn from the strata table like smychka's synthetic population."""
    p, st = inp.params, inp.strata
    counts = _largest_remainder(n, inp.regions["household_share"])
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    region = np.repeat(np.arange(len(REGIONS)), counts)
    pos = np.arange(n) - first[region]
    cum = np.cumsum(st["household_share"])
    stratum = np.minimum(np.searchsorted(cum, (pos * PHI) % 1.0, side="right"), len(STRATA) - 1)
    persons = np.minimum(1 + rng.poisson(np.maximum(st["persons_mean"][stratum] - 1.0, 0.0)), 20)
    ratio = st["workers_mean"] / st["persons_mean"]
    workers = np.clip((persons * ratio[stratum] + rng.random(n)).astype(int), 1, persons)
    ls, ms, ks = p["population.land_sigma"], p["population.money_sigma"], p["population.skill_sigma"]
    land = st["land_mean_ha"][stratum] * np.exp(ls * rng.standard_normal(n) - 0.5 * ls * ls)
    skill = np.exp(ks * rng.standard_normal(n) - 0.5 * ks * ks)
    horseless = st["horseless_share"][stratum]
    owned = st["horses_mean"][stratum] / np.maximum(1.0 - horseless, 1e-9)
    horses = np.where(rng.random(n) < horseless, 0,
                      1 + rng.poisson(np.maximum(owned - 1.0, 0.0)))
    cattle = rng.poisson(st["cattle_mean"][stratum])
    pigs = rng.poisson(st["pigs_mean"][stratum])
    sheep = rng.poisson(st["sheep_mean"][stratum])
    money = st["money_mean_rub"][stratum] * np.exp(ms * rng.standard_normal(n) - 0.5 * ms * ms)
    grain = persons * p["consumption.food_kg"] / 12.0 * p["population.food_months"]
    base = np.array([p["loyalty.base_bednyak"], p["loyalty.base_serednyak"],
                     p["loyalty.base_kulak"]])
    loyalty = np.clip(base[stratum] + 0.1 * rng.standard_normal(n), 0.0, 1.0)
    # the crop standing at the start and the harvest before it
    cap = sowing_capacity(land, horses, workers, p)
    a = cap * p["sowing.normal_use"]
    ws = inp.regions["winter_share"][region]
    # villages: each region cut into near-equal contiguous blocks
    size = p["population.village_size"]
    v_region, v_count = [], []
    for r, c in enumerate(counts):
        if c == 0:
            continue
        k = max(1, int(round(c / size)))
        sizes = _largest_remainder(int(c), np.ones(k))
        v_region += [r] * k
        v_count += list(sizes)
    v_count = np.array(v_count)
    village = np.repeat(np.arange(len(v_count)), v_count)
    clip8 = lambda x: np.clip(x, 0, 255)  # noqa: E731
    return {
        "region": region, "village": village, "stratum": stratum, "persons": persons,
        "workers": workers, "land": land, "skill": skill, "horses": clip8(horses),
        "cattle": clip8(cattle), "pigs": clip8(pigs), "sheep": clip8(sheep), "money": money,
        "grain": grain, "loyalty": loyalty, "sown_winter": a * ws, "sown_spring": a * (1.0 - ws),
        "last_sown": a, "last_harvest": a * inp.regions["base_yield"][region] * skill,
        "_v_region": np.array(v_region), "_v_count": v_count,
    }


def sowing_capacity(land, horses, workers, p: dict):
    """Grain area a household can sow: land, draft power (or hire), labour. Works on
    numbers and on arrays."""
    draft = np.where(np.asarray(horses) > 0, np.asarray(horses) * p["sowing.ha_per_horse"],
                     p["sowing.hire_ha"])
    return np.minimum(np.minimum(np.asarray(land) * p["sowing.land_use"], draft),
                      np.asarray(workers) * p["sowing.ha_per_worker"])


# ----------------------------------------------------------------------------- the economy

FLOWS = ("harvest", "seed_use", "seed_bought", "procured", "procured_value", "private_sold",
         "private_value", "purchases", "purchases_wished", "goods_wish", "tax_paid",
         "goods_spent", "offered")


class Economy:
    """Prices, the towns, the state's and the traders' grain, expectations, village cadres'
    capture: everything above the household. Month values arrive as sums over the simulated
    households by region (kg and roubles) and are scaled here to the whole country."""

    def __init__(self, inp: Inputs, n: int, v_region: np.ndarray, rng: np.random.Generator):
        self.inp, self.n = inp, n
        self.weight = inp.p("population.total_households") / n
        R = len(REGIONS)
        self.zone = inp.regions["price_zone"]
        self.ref = inp.p("market.state_price_base") / 1000.0
        state = inp.lever("procurement_price", 0) * self.ref
        private = state * inp.p("market.private_premium_start")
        self.state_price = state * self.zone
        self.private_price = private * self.zone
        self.goods_availability = np.ones(R)
        self.expected_availability = np.ones(R)
        self.expected_price_index = np.ones(R)
        self.scissors = np.ones(R)
        self.expected_scissors = np.ones(R)
        self.purchase_fill = 1.0
        self.income_index = 1.0           # price level of the peasants' non-grain sales
        self.state_stock = inp.p("town.state_stock_start_mt") * 1e6
        self.trader_stock = inp.p("town.trader_stock_start_mt") * 1e6
        self.national_private_price = private
        self.private_trade = 1.0
        self.purchases_wished_t = 0.0     # tonnes, last month's
        self.v_region = v_region
        # industry: producer and consumer capital (million roubles); the towns
        self.producer_capital = inp.p("industry.producer_capital")
        self.consumer_capital = inp.p("industry.consumer_capital")
        self.urban_population = inp.p("town.urban_population_1926") * (
            1.0 + inp.p("town.urban_growth")) ** ((inp.start - CENSUS_MONTH) / 12.0)
        self.imports_left = 0.0           # tonnes imported so far this agricultural year
        self.exported = 0.0               # tonnes exported so far this agricultural year
        self.fled = 0.0                   # persons fled to the towns this month (sample)
        # cadres' capture by traders, by village (it diverts state sales to traders)
        sig = inp.p("cadres.zeal_sigma")
        spread = np.exp(sig * rng.standard_normal(len(v_region)) - 0.5 * sig * sig)
        self.capture = np.clip(inp.p("cadres.capture_start") / spread, 0.0, 1.0)
        self._weather_year, self.weather = None, np.ones(R)
        self.village_shock = np.ones(len(v_region))
        self.t = 0
        self.rng = rng

    # -- the month's settings, in the order smychka's plan applies them
    def begin_month(self, t: int) -> None:
        inp = self.inp
        self.t = t
        self.month = inp.month(t)
        self.state_price = inp.lever("procurement_price", t) * self.ref * self.zone
        coercion = inp.lever("coercion", t)
        closed = inp.p("centre.market_closure") if coercion >= 0.6 else 0.0
        self.private_trade = inp.lever("private_trade", t) * (1.0 - closed)
        self.goods_price = inp.lever("goods_price", t)
        self.flows = {k: np.zeros(len(REGIONS)) for k in FLOWS}
        self.fled = 0.0
        m = self.month
        self.mth = months_to_harvest(m)
        self.stall = m in STALL_MONTHS
        self.stall_ahead = stall_ahead(m)
        self.winter_ahead, self.spring_ahead = seed_ahead(m, inp.p("sowing.first_month_share"))
        # months of food kept back from the seed: one in the autumn, to the harvest in spring
        self.sow_keep = 1.0 if m in WINTER_MONTHS else max(
            1.0, inp.p("sowing.spring_food_keep") * self.mth)
        if m in (7, 8):
            ag = inp.ag_year(t)
            if self._weather_year != ag:
                self._weather_year = ag
                self.weather = inp.weather_factor(ag)
                sv = inp.p("harvest.village_sigma")
                self.village_shock = np.exp(sv * self.rng.standard_normal(len(self.v_region))
                                            - 0.5 * sv * sv)

    def flow(self, name: str) -> np.ndarray:
        """A month flow by region (the agents may keep them as lists)."""
        return np.asarray(self.flows[name], dtype=float)

    def sowing_incentive(self) -> np.ndarray:
        p = self.inp
        real = self.expected_price_index / self.goods_price
        inc = np.power(np.maximum(real, 1e-6), p.p("sowing.price_elasticity"))
        return np.clip(inc, 0.4, 1.0 / p.p("sowing.normal_use"))

    def rent_per_ha(self) -> np.ndarray:
        """Roubles per hectare leased for the year, by region."""
        return self.inp.p("lease.rent_share") * self.inp.regions["base_yield"] * self.state_price

    def purchase_price(self) -> np.ndarray:
        pt = self.private_trade
        return (pt * self.private_price
                + (1.0 - pt) * self.state_price * self.inp.p("market.retail_markup"))

    def feed_factor(self) -> np.ndarray:
        p = self.inp
        market = self.private_price / (self.ref * p.p("market.private_premium_start") * self.zone)
        state = self.state_price / (self.ref * self.zone)
        ratio = market / np.maximum(state, 1e-9)
        return np.clip(ratio ** p.p("livestock.feed_price_elasticity"), 0.7, 1.5)

    def birth_rates(self) -> np.ndarray:
        m = self.month
        season = np.array([BIRTH_MONTHS.get(m, 0.0)] * 2 + [PIG_BIRTH_MONTHS.get(m, 0.0)]
                          + [BIRTH_MONTHS.get(m, 0.0)])
        return self.inp.vec("birth") * season

    def offtake_rates(self) -> np.ndarray:
        """Monthly sale and slaughter rates by kind: pigs mostly in October-January."""
        from smychka.processes.livestock import offtake_rates

        return offtake_rates(self.inp.params, self.month)

    def hoard_war(self) -> float:
        return self.inp.p("marketing.hoarding_war") * self.inp.lever("war_scare", self.t)

    def tax_terms(self, income: np.ndarray) -> tuple[float, float, float]:
        """(threshold, progressivity, rate) of this year's tax from the assessed incomes."""
        n = len(income)
        k = int(self.inp.lever("tax_exempt_share", self.t) * n)
        threshold = float(np.partition(income, k)[k]) if 0 < k < n else -1.0
        prog = self.inp.lever("tax_progressivity", self.t)
        taxed = income[income > threshold]
        total = float(np.sum(taxed ** prog)) * self.weight
        rate = self.inp.p("tax.total_mln_rub") * 1e6 / total if total > 0 else 0.0
        return threshold, prog, rate

    def tax_share(self) -> float:
        return TAX_PAY_SHARE.get(self.month, TAX_ARREARS_SHARE)

    def set_goods_availability(self) -> None:
        """After marketing: the share of wished goods the supply covers, by region."""
        p = self.inp
        consumer_output = self.consumer_capital / p.p("industry.consumer_capital")
        supply = (p.lever("goods_supply", self.t) * consumer_output
                  * p.p("market.goods_supply_base") * 1e6 / 12.0
                  * self.goods_price * p.regions["household_share"])
        wish = self.flow("goods_wish") * self.weight
        self.goods_availability = np.where(wish > 0, np.minimum(1.0, supply / np.maximum(wish, 1e-9)),
                                           1.0)

    def update_capture(self) -> None:
        """Cadres: capture grows with private trade (no purges without coercion)."""
        self.capture += (self.inp.p("cadres.capture_growth") * self.private_trade
                         * (1.0 - self.capture))

    def set_purchase_fill(self) -> None:
        wished = self.purchases_wished_t
        # the state's stores serve at most the state_rural_sales lever's share of the wishes
        state = min(self.inp.lever("state_rural_sales", self.t) * wished,
                    max(self.state_stock, 0.0))
        can = self.trader_stock + self.flow("private_sold").sum() * self.weight / 1000.0 + state
        self.purchase_fill = float(min(1.0, can / wished)) if wished > 0 else 1.0

    def loyalty_terms(self) -> tuple[np.ndarray, np.ndarray]:
        return 1.0 / np.maximum(self.scissors, 1e-6), self.goods_availability

    def end_month(self) -> None:
        """The towns, the state's stock, the private price, next month's expectations and
        industry."""
        p, w = self.inp, self.weight
        f = {k: self.flow(k) for k in FLOWS}
        t = self.t
        pop = self.urban_population
        need = pop * p.p("town.food_kg") / 12.0 / 1000.0
        rural = (f["purchases"].sum() + f["seed_bought"].sum()) * w / 1000.0
        pt = self.private_trade
        sold = f["private_sold"].sum() * w / 1000.0
        trader_rural = min(rural * pt, self.trader_stock + sold)
        state_rural = rural - trader_rural
        stock = self.state_stock + f["procured"].sum() * w / 1000.0 - state_rural
        obligations = p.p("town.other_state_need_mt") * 1e6 / 12.0
        if self.month == 7:
            self.imports_left = 0.0
            self.exported = 0.0
        # rations as far as the stock and the imports the state allows go
        allowance = max(p.lever("grain_imports", t) * 1e6 - self.imports_left, 0.0)
        rations = min(max(stock - obligations, 0.0) + allowance, need * p.p("town.ration_share"))
        stock -= rations + obligations
        # the year's plan ships from October, most of it in the autumn (smychka's schedule)
        to_date = export_schedule(p.p("town.export_decline"))[(self.month - 7) % 12]
        due = p.lever("grain_exports", t) * 1e6 * to_date
        exports = min(max(stock, 0.0), max(due - self.exported, 0.0))
        self.exported += exports
        stock -= exports
        imports = max(-stock, 0.0)
        self.imports_left += imports
        self.state_stock = stock + imports
        ref = self.ref * p.p("market.private_premium_start")
        demand_urban = (need - rations) * (self.national_private_price / ref) ** (
            -p.p("market.demand_elasticity"))
        available = self.trader_stock + sold - trader_rural
        release = p.p("town.trader_release")
        urban_bought = min(max(available, 0.0) * release, demand_urban)
        self.trader_stock = max(available - urban_bought, 0.0)
        wished_rural = f["purchases_wished"].sum() * w / 1000.0 * pt
        storage = max(p.p("town.trader_cover") * (demand_urban + wished_rural)
                      - self.trader_stock, 0.0)
        demand = demand_urban + wished_rural + storage
        supply = sold + release * self.trader_stock
        excess = (demand + 1e-6) / (supply + 1e-6)
        state_nat = p.lever("procurement_price", t) * self.ref
        move = p.p("market.max_monthly_move")
        price = self.national_private_price * float(np.clip(
            excess ** p.p("market.price_adjustment"), 1.0 / (1.0 + move), 1.0 + move))
        self.national_private_price = float(np.clip(price, state_nat,
                                                    state_nat * p.p("market.max_premium")))
        self.purchases_wished_t = f["purchases_wished"].sum() * w / 1000.0
        # prices received, scissors, expectations
        kg = f["procured"] + f["private_sold"]
        value = f["procured_value"] + f["private_value"]
        posted = 0.5 * (self.state_price + self.private_price * pt
                        + self.state_price * (1.0 - pt))
        received = np.clip(np.where(kg > 1e-9, value / np.maximum(kg, 1e-9), posted)
                           / (self.ref * self.zone), 0.1, 50.0)
        self.scissors = self.goods_price / np.maximum(received, 1e-9)
        ew = p.p("market.expectation_weight")
        self.expected_price_index = (1 - ew) * self.expected_price_index + ew * received
        self.expected_availability = ((1 - ew) * self.expected_availability
                                      + ew * self.goods_availability)
        self.expected_scissors = (1 - ew) * self.expected_scissors + ew * self.scissors
        share = p.regions["household_share"]
        self.income_index = float(np.clip(np.sum(share * self.expected_price_index), 0.5, 5.0))
        self.private_price = self.national_private_price * self.zone
        self.industry(exports)

    def industry(self, exports: float) -> None:
        """Two-sector industry: producer output split by the investment share between new
        producer and new consumer capital (less tractors, plus machinery bought with grain
        exports); the towns grow naturally and with industrial output."""
        p = self.inp
        v = p.p("industry.capital_output")
        y_p = self.producer_capital / v / 12.0
        gamma = p.lever("investment_share", self.t)
        machinery = exports * p.p("industry.export_price") / 1e6
        tractors = p.p("industry.tractor_share") * gamma * y_p
        dep = p.p("industry.depreciation") / 12.0
        self.producer_capital += gamma * y_p - tractors + machinery - dep * self.producer_capital
        self.consumer_capital += (1.0 - gamma) * y_p - dep * self.consumer_capital
        total = self.producer_capital + self.consumer_capital
        growth = (y_p - tractors + machinery - dep * total) / total
        self.urban_population *= (1.0 + p.p("industry.urban_natural_growth") / 12.0
                                  + max(growth, 0.0) * p.p("industry.urban_employment_elasticity"))
        self.urban_population += self.fled * self.weight      # peasants in flight


# ---------------------------------------------------------------------------------- tally

SERIES = ("harvest", "procurement", "grain_stock", "livestock_units")
SERIES_DOC = {
    "harvest": "harvest, Mt",
    "procurement": "state procurement, Mt",
    "grain_stock": "household grain stock, mean of month ends, Mt",
    "livestock_units": "livestock at the end of June, mln units",
}


class Tally:
    """Yearly outputs (agricultural years, July-June), scaled to the whole country."""

    def __init__(self, inp: Inputs, weight: float):
        self.inp, self.weight = inp, weight
        self.unit = inp.vec("unit")
        self.rows: dict[int, dict] = {}

    def month(self, t: int, econ: Economy, grain_total: float, herd: np.ndarray) -> None:
        """grain_total: kg in store (sample); herd: head by kind (sample)."""
        y = self.inp.ag_year(t)
        row = self.rows.setdefault(y, {"harvest": 0.0, "procurement": 0.0, "_stock": [],
                                       "livestock_units": 0.0})
        w = self.weight
        row["harvest"] += econ.flow("harvest").sum() * w / 1e9
        row["procurement"] += econ.flow("procured").sum() * w / 1e9
        row["_stock"].append(grain_total * w / 1e9)
        row["livestock_units"] = float(np.dot(herd, self.unit)) * w / 1e6

    def table(self) -> dict[str, dict[int, float]]:
        out = {s: {} for s in SERIES}
        for y, row in sorted(self.rows.items()):
            for s in SERIES:
                out[s][y] = float(np.mean(row["_stock"])) if s == "grain_stock" else row[s]
        return out


def smychka_table(ds, inp: Inputs) -> dict[str, dict[int, float]]:
    """The same yearly outputs from a smychka results dataset."""
    import pandas as pd
    t = pd.DatetimeIndex(ds["time"].values)
    ag = np.where(t.month >= 7, t.year, t.year - 1)
    tot = lambda v: ds[v].sum(dim=("region", "stratum")).values  # noqa: E731
    unit = inp.vec("unit")
    lu = sum(tot(k) * u for k, u in zip(("horses", "cattle", "pigs", "sheep"), unit))
    harvest, proc, stock = tot("harvest"), tot("procurement"), tot("grain_stock")
    out = {s: {} for s in SERIES}
    for y in sorted(set(ag)):
        sel = ag == y
        out["harvest"][y] = harvest[sel].sum() / 1e6
        out["procurement"][y] = proc[sel].sum() / 1e6
        out["grain_stock"][y] = stock[sel].mean() / 1e6
        out["livestock_units"][y] = lu[sel][-1] / 1e6
    return out


def compare(ref: dict, sm: dict, tol: float, ref_name: str) -> tuple[int, int]:
    """Print both yearly tables with relative differences; returns (checked, outside)."""
    checked = outside = 0
    for s in SERIES:
        print(f"  {SERIES_DOC[s]}")
        print(f"    {'year':>8} {'smychka':>10} {ref_name:>10} {'diff':>8}")
        for y in sorted(sm[s]):
            a, b = sm[s][y], ref[s].get(y, float("nan"))
            d = (b - a) / a if a else float("nan")
            flag = ""
            if np.isfinite(d):
                checked += 1
                if abs(d) > tol:
                    outside += 1
                    flag = "  <- outside"
            print(f"    {ag_year_label(y):>8} {a:>10.2f} {b:>10.2f} {100 * d:>7.1f}%{flag}")
    return checked, outside

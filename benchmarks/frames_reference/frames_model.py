"""The household economy of smychka written with mesa-frames: the households are one Polars
DataFrame (an AgentSetPolars), and every activity is a set of whole-column expressions.

Same rules as the Mesa version (benchmarks/mesa_reference/mesa_model.py) and smychka's kernels,
for a scenario without coercion; region- and nation-level parts come from
benchmarks/mesa_reference/economy.py. Region and village values reach the households by
`gather` on the region or village index, sums by region by `group_by`. Random draws are
numpy arrays from the model's generator, as in the mesa-frames examples. Households that die
out or flee are filtered out of the DataFrame, their land joined (`join_asof` within the
village) to the next household that stays.

When mesa-frames cannot be imported, the same code runs on a plain Polars DataFrame (the
class below then wraps one itself); `BACKEND` says which.
"""
from __future__ import annotations

import os
import sys

import numpy as np
import polars as pl

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "mesa_reference"))

from economy import (BEDNYAK, KULAK, SEREDNYAK, SPRING_MONTHS, WINTER_MONTHS,  # noqa: E402
                     Economy, Inputs, Tally, initial_population)
from smychka.core.variables import REGIONS  # noqa: E402

try:
    from mesa_frames import AgentSetPolars, ModelDF
    BACKEND = "mesa-frames"
except Exception:  # noqa: BLE001 - any import failure means: fall back to plain Polars
    BACKEND = "polars"

    class ModelDF:   # the two things of mesa-frames' model this file uses
        def __init__(self, seed=None):
            self.random = np.random.default_rng(seed)

    class AgentSetPolars:
        def __init__(self, model):
            self._model = model
            self._agents = pl.DataFrame()

        @property
        def model(self):
            return self._model

        @property
        def agents(self):
            return self._agents

        @agents.setter
        def agents(self, df):
            self._agents = df

        def __iadd__(self, df):
            self._agents = df
            return self

        def __len__(self):
            return self._agents.height

col = pl.col
R = len(REGIONS)


def by_region(values) -> pl.Expr:
    """A region-level array, spread to the households."""
    return pl.lit(pl.Series(np.asarray(values, dtype=float))).gather(col("region"))


def by_village(values) -> pl.Expr:
    return pl.lit(pl.Series(np.asarray(values, dtype=float))).gather(col("village"))


def clip(x: pl.Expr, lo, hi) -> pl.Expr:
    return x.clip(lo, hi)


class Households(AgentSetPolars):
    """All households as one DataFrame."""

    def __init__(self, model, cols: dict):
        super().__init__(model)
        n = len(cols["region"])
        df = pl.DataFrame({
            "unique_id": np.arange(n, dtype=np.int64),
            "region": cols["region"].astype(np.int32), "village": cols["village"].astype(np.int32),
            "stratum": cols["stratum"].astype(np.int32),
            **{k: np.asarray(cols[k], dtype=float) for k in (
                "persons", "workers", "land", "skill", "horses", "cattle", "pigs", "sheep",
                "money", "grain", "loyalty", "sown_winter", "sown_spring", "last_sown",
                "last_harvest")},
            "tax_due": np.zeros(n), "offer_state": np.zeros(n), "offer_private": np.zeros(n),
            "goods_wish": np.zeros(n), "fed": np.ones(n), "famished": np.zeros(n),
            "weakness": np.zeros(n), "leased": np.zeros(n),
        })
        self += df

    # -- helpers
    def sums(self, **exprs: pl.Expr) -> dict:
        """Sums by region of the given expressions, as arrays over all regions."""
        g = (self.agents.group_by("region").agg([e.sum().alias(k) for k, e in exprs.items()]))
        out = {k: np.zeros(R) for k in exprs}
        reg = g["region"].to_numpy()
        for k in exprs:
            out[k][reg] = g[k].to_numpy()
        return out

    def work_capacity(self, p) -> pl.Expr:
        """Hectares the horses (or hired ploughing) and hands can work."""
        draft = pl.when(col("horses") > 0).then(col("horses") * p["sowing.ha_per_horse"]) \
            .otherwise(p["sowing.hire_ha"])
        return pl.min_horizontal(draft, col("workers") * p["sowing.ha_per_worker"])

    def capacity(self, p) -> pl.Expr:
        return pl.min_horizontal((col("land") + col("leased")) * p["sowing.land_use"],
                                 self.work_capacity(p))

    def lease(self, rent):
        """September: in each village, land a farm cannot work goes for the year to the
        neighbours who can work more and pay the rent, pro rata on both sides."""
        p = self.model.par
        use = p["sowing.land_use"]
        df = self.agents.with_columns(own=col("land") * use, work=self.work_capacity(p),
                                      rho=by_region(rent))
        df = df.with_columns(
            s=(col("own") - col("work")).clip(lower_bound=0.0),
            d=pl.when((col("own") <= col("work")) & (col("rho") > 0))
            .then(pl.min_horizontal(col("work") - col("own"), col("money") / col("rho")))
            .otherwise(0.0))
        df = df.with_columns(S=col("s").sum().over("village"), D=col("d").sum().over("village"))
        q = p["lease.market_share"] * pl.min_horizontal(col("S"), col("D"))
        x = (pl.when(q <= 0.0).then(0.0).when(col("s") > 0.0).then(-col("s") * q / col("S"))
             .otherwise(col("d") * q / col("D")))
        df = df.with_columns(x=x).with_columns(
            money=(col("money") - col("x") * col("rho")).clip(lower_bound=0.0),
            leased=col("x") / use)
        self.agents = df.drop("own", "work", "rho", "s", "d", "S", "D", "x")

    def other_income(self, p) -> pl.Expr:
        spare = (col("workers") - col("last_sown") / p["sowing.ha_per_worker"]).clip(lower_bound=0.0)
        # animal products, crafts and labour sell at the month's price level
        return self.model.econ.income_index * (
            col("cattle") * p["market.income_per_cow"] + col("sheep") * p["market.income_per_sheep"]
            + col("workers") * p["market.income_per_worker"] + spare * p["market.wage"])

    # -- activities
    def sow(self, winter: bool, frac: float, incentive, p_buy):
        m, p = self.model, self.model.par
        sown = "sown_winter" if winter else "sown_spring"
        ws = m.inp.regions["winter_share"]
        share = ws if winter else 1.0 - ws
        rate, food = p["sowing.seed_rate"], p["consumption.food_kg"]
        cap = self.capacity(p)
        y = by_region(m.inp.regions["base_yield"]) * col("skill")
        sub = col("persons") * food / (y - rate).clip(lower_bound=1.0)
        area = pl.min_horizontal(pl.max_horizontal(cap * p["sowing.normal_use"]
                                                   * by_region(incentive), sub), cap)
        df = self.agents.with_columns(
            todo=area * by_region(share) * frac - col(sown),
            keep=col("persons") * food / 12.0 * m.econ.sow_keep, pb=by_region(p_buy))
        df = df.with_columns(lack=col("todo") * rate - (col("grain") - col("keep")))
        buy = (col("todo") > 0) & (col("lack") > 0)
        q = pl.when(buy).then(pl.when(col("lack") * col("pb") <= col("money")).then(col("lack"))
                              .otherwise(col("money") / col("pb"))).otherwise(0.0)
        df = df.with_columns(q=q).with_columns(grain=col("grain") + col("q"),
                                               money=col("money") - col("q") * col("pb"))
        usable = col("grain") - col("keep")
        sow = pl.when((col("todo") > 0) & (usable > 0)) \
            .then(pl.min_horizontal(col("todo"), usable / rate)).otherwise(0.0)
        df = df.with_columns(s=sow).with_columns(grain=col("grain") - col("s") * rate,
                                                 **{sown: col(sown) + col("s")})
        self.agents = df
        f = self.sums(seed_bought=col("q"), seed_use=col("s") * rate)
        self.agents = df.drop("todo", "keep", "pb", "lack", "q", "s")
        return f

    def reap(self, first: bool):
        m, p, e = self.model, self.model.par, self.model.econ
        sown = "sown_winter" if first else "sown_spring"
        s = p["harvest.noise_sigma"]
        noise = pl.Series(np.exp(s * m.random.standard_normal(len(self)) - 0.5 * s * s))
        y = (by_region(m.inp.regions["base_yield"] * e.weather) * by_village(e.village_shock) * col("skill")
             * pl.when(col("horses") == 0).then(p["harvest.horseless_factor"]).otherwise(1.0)
             * pl.lit(noise))
        kg = pl.when(col(sown) > 0).then(col(sown) * y).otherwise(0.0)
        df = self.agents.with_columns(kg=kg)
        if first:
            df = df.with_columns(last_sown=pl.lit(0.0), last_harvest=pl.lit(0.0))
        df = df.with_columns(grain=col("grain") + col("kg"),
                             last_sown=col("last_sown") + col(sown).clip(lower_bound=0.0),
                             last_harvest=col("last_harvest") + col("kg"),
                             **{sown: pl.lit(0.0)})
        self.agents = df
        f = self.sums(harvest=col("kg"))
        self.agents = df.drop("kg")
        return f

    def assess_and_levy(self):
        m, p, e = self.model, self.model.par, self.model.econ
        a, h = col("last_sown"), col("horses")
        kulak = ((a >= p["tax.kulak_sown_ha"]) & (h >= p["tax.kulak_horses"])) \
            | (a >= 1.5 * p["tax.kulak_sown_ha"])
        stratum = pl.when(kulak).then(KULAK).when((h == 0) | (a < p["tax.bednyak_sown_ha"])) \
            .then(BEDNYAK).otherwise(SEREDNYAK)
        price = float(np.average(e.state_price, weights=m.inp.regions["household_share"]))
        df = self.agents.with_columns(stratum=stratum.cast(pl.Int32),
                                      income=col("last_harvest") * price
                                      + 12.0 * self.other_income(p))
        threshold, prog, rate = e.tax_terms(df["income"].to_numpy())
        self.agents = df.with_columns(
            tax_due=col("tax_due") + pl.when(col("income") > threshold)
            .then(rate * col("income").pow(prog)).otherwise(0.0)).drop("income")

    def decide(self, p_buy, feed, hoard_war):
        m, p, e = self.model, self.model.par, self.model.econ
        food_kg = p["consumption.food_kg"]
        ws = by_region(m.inp.regions["winter_share"])
        a_exp = by_region(e.expected_availability)
        pt = e.private_trade
        ps = e.state_price
        pp = e.private_price * (1.0 - p["marketing.legal_risk"] * (1.0 - pt))
        df = self.agents.with_columns(money=col("money") + self.other_income(p))
        df = df.with_columns(
            food_year=col("persons") * food_kg,
            food=col("persons") * food_kg / 12.0 * e.mth,
            seed=col("last_sown") * p["sowing.seed_rate"]
            * (ws * e.winter_ahead + (1.0 - ws) * e.spring_ahead),
            fodder=(col("horses") * p["livestock.feed_horse"] + col("cattle") * p["livestock.feed_cattle"]
                    + col("pigs") * p["livestock.feed_pig"] + col("sheep") * p["livestock.feed_sheep"])
            / 6.0 * e.stall_ahead * by_region(feed),
            pi=p["marketing.precaution_base"] + p["marketing.hoarding_goods"] * (1.0 - a_exp)
            + p["marketing.hoarding_scissors"] * (by_region(e.expected_scissors) - 1.0).clip(lower_bound=0.0)
            + hoard_war,
            prefer=1.0 / (1.0 + (-(by_region(p["marketing.channel_sensitivity"] * (pp - ps) / ps)
                                   - p["marketing.loyalty_tilt"] * (col("loyalty") - 0.5)
                                   - p["marketing.state_preference"])).exp()),
        )
        share0 = col("prefer") * pt
        df = df.with_columns(
            surplus=(col("grain") - (col("food") + col("seed") + col("fodder")
                                     + col("pi") * col("food_year"))).clip(lower_bound=0.0),
            blocked=col("prefer") * (1.0 - pt) * (1.0 - p["marketing.redirect"]),
            share_priv=share0 + (1.0 - share0) * p["cadres.capture_divert"]
            * by_village(e.capture) * pt,
        )
        df = df.with_columns(p_recv=(1.0 - col("share_priv")) * by_region(ps)
                             + col("share_priv") * by_region(pp))
        real = col("p_recv") / by_region(m.p_ref) / e.goods_price
        rate = (p["marketing.sale_rate"] * real.pow(p["marketing.price_elasticity"])
                * a_exp.pow(p["marketing.goods_elasticity"])).clip(upper_bound=1.0)
        wealth = (col("last_harvest") / col("persons").clip(lower_bound=1.0) / 600.0) \
            .pow(p["market.goods_wealth_elasticity"])
        df = df.with_columns(sell=col("surplus") * rate * (1.0 - col("blocked")),
                             budget=p["market.goods_budget"] * col("persons") * e.goods_price * wealth)
        need = col("tax_due") + col("budget") * a_exp * p["marketing.cash_horizon"] - col("money")
        df = df.with_columns(sell=pl.when((need > 0) & (need / col("p_recv") > col("sell")))
                             .then(need / col("p_recv")).otherwise(col("sell")))
        room = col("grain") - p["marketing.need_floor"] * col("food") - col("seed")
        df = df.with_columns(sell=pl.min_horizontal(col("sell"), room).clip(lower_bound=0.0))
        short = (col("food") + col("seed") - (col("grain") - col("sell"))).clip(lower_bound=0.0)
        cash = col("money") + col("sell") * col("p_recv") - col("tax_due") - short * by_region(p_buy)
        wish = col("budget") + p["market.goods_catchup"] * (
            cash - col("budget") * p["marketing.cash_horizon"]).clip(lower_bound=0.0)
        df = df.with_columns(offer_private=col("sell") * col("share_priv"),
                             offer_state=col("sell") * (1.0 - col("share_priv")),
                             goods_wish=pl.min_horizontal(wish, cash).clip(lower_bound=0.0))
        self.agents = df
        f = self.sums(goods_wish=col("goods_wish"), offered=col("sell"))
        self.agents = df.drop("food_year", "food", "seed", "fodder", "pi", "prefer", "surplus",
                              "blocked", "share_priv", "p_recv", "sell", "budget")
        return f

    def sell(self, offer: str, price) -> tuple[np.ndarray, np.ndarray]:
        q = pl.min_horizontal(col(offer), col("grain")).clip(lower_bound=0.0)
        df = self.agents.with_columns(q=q, pr=by_region(price))
        df = df.with_columns(grain=col("grain") - col("q"), money=col("money") + col("q") * col("pr"))
        self.agents = df
        f = self.sums(kg=col("q"), value=col("q") * col("pr"))
        self.agents = df.drop("q", "pr")
        return f["kg"], f["value"]

    def pay_tax(self, share: float):
        x = pl.when(col("tax_due") > 0).then(
            pl.min_horizontal(col("tax_due") * share, col("money"))).otherwise(0.0)
        self.agents = self.agents.with_columns(x=x).with_columns(
            money=col("money") - col("x"), tax_due=col("tax_due") - col("x")).drop("x")

    def buy_goods(self, availability):
        x = pl.when(col("goods_wish") > 0).then(
            pl.min_horizontal(col("goods_wish") * by_region(availability), col("money"))).otherwise(0.0)
        self.agents = self.agents.with_columns(money=col("money") - x)

    def sell_to_neighbours(self, p_buy, mth):
        """Just before consumption: in each village, families below `consumption.buy_months` of food
        buy, as far as their cash goes, from the households holding more than their food to the
        harvest and a year's seed, which offer `consumption.neighbour_share` of the excess; the
        smaller side clears, pro rata on both sides, at the villagers' purchase price."""
        p = self.model.par
        share = p["consumption.neighbour_share"]
        if share <= 0.0:
            return
        food_m = col("persons") * p["consumption.food_kg"] / 12.0
        df = self.agents.with_columns(pb=by_region(p_buy),
                                      short=food_m * p["consumption.buy_months"] - col("grain"))
        # a family short of food has nothing to spare
        df = df.with_columns(
            d=pl.when(col("short") > 0)
            .then(pl.min_horizontal(col("short"), col("money") / col("pb"))).otherwise(0.0),
            s=pl.when(col("short") > 0).then(0.0).otherwise(
                share * (col("grain") - food_m * mth - col("last_sown") * p["sowing.seed_rate"])
                .clip(lower_bound=0.0)))
        df = df.with_columns(D=col("d").sum().over("village"), S=col("s").sum().over("village"))
        q = pl.min_horizontal(col("D"), col("S"))
        x = (pl.when(q <= 0.0).then(0.0).when(col("d") != 0.0).then(col("d") * q / col("D"))
             .otherwise(-col("s") * q / col("S")))
        df = df.with_columns(x=x).with_columns(
            grain=col("grain") + col("x"),
            money=(col("money") - col("x") * col("pb")).clip(lower_bound=0.0))
        self.agents = df.drop("pb", "short", "d", "s", "D", "S", "x")

    def consume(self, p_buy, feed):
        p, e = self.model.par, self.model.econ
        food_m = col("persons") * p["consumption.food_kg"] / 12.0
        df = self.agents.with_columns(food_m=food_m, pb=by_region(p_buy),
                                      want=(food_m * p["consumption.buy_months"] - col("grain"))
                                      .clip(lower_bound=0.0))
        q = col("want") * e.purchase_fill
        q = pl.when(q * col("pb") > col("money")).then(col("money") / col("pb")).otherwise(q)
        df = df.with_columns(q=q).with_columns(grain=col("grain") + col("q"),
                                               money=col("money") - col("q") * col("pb"))
        df = df.with_columns(eat=pl.min_horizontal(col("food_m"), col("grain")))
        # the share of the family's food need left unmet this month
        df = df.with_columns(grain=col("grain") - col("eat"),
                             famished=pl.when(col("food_m") > 0)
                             .then((col("food_m") - col("eat")) / col("food_m")).otherwise(0.0))
        if e.stall:
            need = ((col("horses") * p["livestock.feed_horse"] + col("cattle") * p["livestock.feed_cattle"]
                     + col("pigs") * p["livestock.feed_pig"] + col("sheep") * p["livestock.feed_sheep"])
                    / 6.0 * by_region(feed))
            df = df.with_columns(need=need)
            ratio = ((col("grain") - col("food_m") * (e.mth - 1.0)) / (col("need") * e.stall_ahead)) \
                .clip(0.0, 1.0)
            fd = pl.when(col("need") > 0).then(pl.min_horizontal(col("need") * ratio, col("grain"))) \
                .otherwise(0.0)
            df = df.with_columns(fd=fd).with_columns(
                grain=col("grain") - col("fd"),
                fed=pl.when(col("need") > 0).then(col("fd") / col("need")).otherwise(1.0))
            df = df.drop("need", "fd")
        else:
            df = df.with_columns(fed=pl.lit(1.0))
        df = df.with_columns(grain=col("grain") * (1.0 - p["consumption.loss_rate"]))
        self.agents = df
        f = self.sums(purchases=col("q"), purchases_wished=col("want"))
        self.agents = df.drop("food_m", "pb", "want", "q", "eat")
        return f

    def breed(self, birth):
        m = self.model
        rng = m.random
        df = self.agents
        # hay, straw and grazing carry the animals through a partial shortfall of grain
        hunger = np.maximum(1.0 - df["fed"].to_numpy() / m.hunger_below, 0.0)
        famished = df["famished"].to_numpy()
        land = df["land"].to_numpy()
        herd = {k: df[k].to_numpy().astype(np.int64) for k in ("horses", "cattle", "pigs", "sheep")}
        u = m.unit
        lu = herd["horses"] * u[0] + herd["cattle"] * u[1] + herd["pigs"] * u[2] + herd["sheep"] * u[3]
        crowd = np.maximum(lu / np.maximum(land * m.lu_per_ha, 0.5) - 1.0, 0.0)
        money = df["money"].to_numpy().copy()
        spend = np.zeros(len(money))
        revenue = np.zeros(len(money))
        out = {}
        for k, name in enumerate(("horses", "cattle", "pigs", "sheep")):
            x = herd[name]
            d = np.minimum(rng.poisson(x * (m.death[k] + m.starve * hunger)), x)
            x = x - d
            want = m.want[k] * land
            if k < 2:
                want = np.maximum(want, 1.0)
            if k == 0:   # no horse is wanted on a small allotment: the ploughing is hired
                want = np.where(land >= m.horse_min_land, want, 0.0)
            # below the wanted herd the young stock is kept to rebuild it
            keep = np.where(x < want, m.rebuild, 1.0)
            o = np.minimum(rng.poisson(x * (m.offtake[k] * keep * (1.0 + 3.0 * crowd)
                                            + m.distress * hunger + m.famine_sales * famished)), x)
            x = x - o
            if birth[k] > 0.0:
                x = x + rng.poisson(x * birth[k] * (1.0 - 0.5 * hunger))
            buy = (x < want) & (rng.random(len(x))
                                < m.buy_rate * (1.0 - np.maximum(hunger, famished)))
            buy &= money - spend >= m.buy_price[k]
            spend += np.where(buy, m.buy_price[k], 0.0)
            out[name] = np.minimum(np.minimum(x, 255) + buy, 255).astype(float)
            revenue += o * m.price[k]
        self.agents = df.with_columns(money=pl.Series(money + revenue - spend),
                                      **{k: pl.Series(v) for k, v in out.items()})

    def age(self):
        """Births and deaths; long hunger weakens the family and kills."""
        p, rng = self.model.par, self.model.random
        floor, mem = p["demography.hunger_floor"], p["demography.weakness_memory"]
        df = self.agents.with_columns(
            h=((col("famished") - floor).clip(lower_bound=0.0) / (1.0 - floor)))
        df = df.with_columns(weakness=mem * col("weakness") + (1.0 - mem) * col("h"))
        n = df["persons"].to_numpy().astype(np.int64)
        h, wk = df["h"].to_numpy(), df["weakness"].to_numpy()
        rate = p["demography.death_rate"] / 12.0 + p["demography.famine_mortality"] * np.where(
            wk > 0.0, wk, 0.0) ** p["demography.famine_exponent"]
        n = n - np.minimum(rng.poisson(n * rate), n)
        n = np.minimum(n + rng.poisson(n * p["demography.birth_rate"] / 12.0 * (1.0 - h)), 255)
        open_road = 1.0 - p["demography.passport_block"] * self.model.inp.lever(
            "passports", self.model.t)
        flee = (n > 0) & (wk > p["demography.flight_threshold"]) & (
            rng.random(len(n)) < p["demography.flight_rate"] * wk * open_road)
        df = df.drop("h").with_columns(
            persons=pl.Series(n.astype(float)),
            gone=pl.Series((n == 0) | flee)).with_columns(
            # the working hands follow the family's size
            workers=pl.when(col("persons") > 0).then(
                (col("persons") * p["demography.worker_ratio"] + 0.5).floor().clip(lower_bound=1.0))
            .otherwise(0.0))
        if not flee.any() and not (n == 0).any():
            self.agents = df.drop("gone")
            return
        self.model.econ.fled += float(n[flee].sum())    # to the towns, with what they carry
        # the land of a household gone stays with the next household of its village
        df = df.with_row_index("i")
        stay = df.filter(~col("gone")).select("i", "village", recv=col("i"))
        left = df.filter(col("gone")).select("i", "village", "land").sort("i")
        first = stay.group_by("village").agg(col("recv").min().alias("first"))
        left = (left.join_asof(stay.sort("i"), on="i", by="village", strategy="forward",
                               check_sortedness=False)
                .join(first, on="village", how="left")
                .with_columns(recv=pl.coalesce("recv", "first"))
                .filter(col("recv").is_not_null())
                .group_by("recv").agg(col("land").sum().alias("extra")))
        self.agents = (df.filter(~col("gone"))
                       .join(left, left_on="i", right_on="recv", how="left")
                       .with_columns(land=col("land") + col("extra").fill_null(0.0))
                       .drop("i", "extra", "gone"))

    def update_loyalty(self, base, terms, availability):
        p = self.model.par
        target = (pl.lit(pl.Series(np.asarray(base, float))).gather(col("stratum"))
                  + p["loyalty.terms_weight"] * (by_region(terms) - 1.0)
                  + p["loyalty.goods_weight"] * (by_region(availability) - 1.0))
        lo = col("loyalty")
        new = lo + p["loyalty.rate"] * (target.clip(0.0, 1.0) - lo) \
            + p["loyalty.contagion"] * (lo.mean().over("village") - lo)
        self.agents = self.agents.with_columns(loyalty=new.clip(0.0, 1.0))

    def step(self):
        """One month of every activity, in smychka's order."""
        model = self.model
        e, h, t = model.econ, self, model.t
        e.begin_month(t)
        m = e.month
        p_buy, feed = e.purchase_price(), e.feed_factor()
        if m == 9:
            h.lease(e.rent_per_ha())
        if m in WINTER_MONTHS + SPRING_MONTHS:
            frac = model.par["sowing.first_month_share"] if m in (9, 4) else 1.0
            f = h.sow(m in WINTER_MONTHS, frac, e.sowing_incentive(), p_buy)
            e.flows.update(f)
        if m in (7, 8):
            e.flows.update(h.reap(m == 7))
        if m == 9:
            h.assess_and_levy()
        e.flows.update(h.decide(p_buy, feed, e.hoard_war()))
        e.flows["procured"], e.flows["procured_value"] = h.sell("offer_state", e.state_price)
        e.update_capture()
        e.flows["private_sold"], e.flows["private_value"] = h.sell("offer_private", e.private_price)
        share = e.tax_share()
        if share > 0.0:
            h.pay_tax(share)
        e.set_goods_availability()
        h.buy_goods(e.goods_availability)
        h.sell_to_neighbours(p_buy, e.mth)
        e.set_purchase_fill()
        e.flows.update(h.consume(p_buy, feed))
        model.offtake = e.offtake_rates()
        h.breed(e.birth_rates())
        terms, avail = e.loyalty_terms()
        h.update_loyalty(model.loyalty_base, terms, avail)
        h.age()
        e.end_month()
        grain, herd = h.census()
        model.tally.month(t, e, grain, herd)

    def census(self) -> tuple[float, np.ndarray]:
        s = self.agents.select(col("grain").sum(), col("horses").sum(), col("cattle").sum(),
                               col("pigs").sum(), col("sheep").sum()).row(0)
        return s[0], np.array(s[1:], dtype=float)


class FramesEconomyModel(ModelDF):
    def __init__(self, inputs: Inputs, households: int, seed: int = 1):
        super().__init__(seed=seed)
        self.inp = inputs
        self.par = dict(inputs.params)
        rng = self.random
        cols = initial_population(inputs, households, rng)
        self.econ = Economy(inputs, households, cols.pop("_v_region"), rng)
        cols.pop("_v_count")
        self.households = Households(self, cols)
        if BACKEND == "mesa-frames":
            self.agents += self.households
        self.tally = Tally(inputs, self.econ.weight)
        p = self.par
        self.p_ref = p["market.state_price_base"] / 1000.0 * inputs.regions["price_zone"]
        self.death = inputs.vec("death") / 12.0
        self.offtake = inputs.vec("offtake") / 12.0
        self.price = inputs.vec("price")
        self.buy_price = 0.5 * inputs.vec("price")
        self.unit = inputs.vec("unit")
        self.want = inputs.vec("want")
        self.horse_min_land = p["livestock.horse_min_land"]
        self.starve = p["livestock.starvation"]
        self.distress = p["livestock.distress_sales"]
        self.buy_rate = p["livestock.buy_rate"]
        self.rebuild = p["livestock.rebuild_offtake"]
        self.hunger_below = p["livestock.hunger_below"]
        self.famine_sales = p["livestock.famine_sales"]
        self.lu_per_ha = p["livestock.units_per_ha"]
        self.loyalty_base = [p["loyalty.base_bednyak"], p["loyalty.base_serednyak"],
                             p["loyalty.base_kulak"]]
        self.t = 0

    def step(self):
        if BACKEND == "mesa-frames":
            self.agents.do("step")
        else:
            self.households.step()
        self.t += 1

    def run(self, months: int | None = None):
        for _ in range(months if months is not None else self.inp.n_months):
            self.step()
        return self.tally.table()

"""The household economy of smychka written in Mesa 3, one Agent per household.

This is how a Mesa user would write it: each household is a `mesa.Agent` with its own
attributes and one method per activity; the model activates all households for each
activity in turn (`model.agents.shuffle_do(...)` for decisions, `do(...)` where order does
not matter), and model-level quantities (prices, the towns) are updated between activities.
The rules follow smychka's kernels (sowing, harvest, tax, marketing, trade, consumption,
livestock, loyalty, demography) for a scenario without coercion; region- and nation-level
parts live in economy.py, shared with the Polars version. Households that die out or flee
leave the model (`Agent.remove`).
"""
from __future__ import annotations

import math

import mesa
import numpy as np

from economy import (BEDNYAK, KULAK, SEREDNYAK, SPRING_MONTHS, WINTER_MONTHS, Economy,
                     Inputs, Tally, initial_population)


def _clip(x, lo, hi):
    return lo if x < lo else (hi if x > hi else x)


class Household(mesa.Agent):
    """A peasant household: family, land, draft power, herd, grain, cash, trust."""

    def __init__(self, model, **attrs):
        super().__init__(model)
        self.region = attrs["region"]
        self.village = attrs["village"]
        self.stratum = attrs["stratum"]
        self.persons = attrs["persons"]
        self.workers = attrs["workers"]
        self.land = attrs["land"]
        self.skill = attrs["skill"]
        self.horses = attrs["horses"]
        self.cattle = attrs["cattle"]
        self.pigs = attrs["pigs"]
        self.sheep = attrs["sheep"]
        self.money = attrs["money"]
        self.grain = attrs["grain"]
        self.loyalty = attrs["loyalty"]
        self.sown_winter = attrs["sown_winter"]
        self.sown_spring = attrs["sown_spring"]
        self.last_sown = attrs["last_sown"]
        self.last_harvest = attrs["last_harvest"]
        self.tax_due = 0.0
        self.income = 0.0
        self.offer_state = 0.0
        self.offer_private = 0.0
        self.goods_wish = 0.0
        self.fed = 1.0
        self.famished = 0.0
        self.weakness = 0.0
        self.leased = 0.0   # allotment ha leased for the year: > 0 in, < 0 out

    # -- helpers
    def work_capacity(self):
        """Hectares the household's horses (or hired ploughing) and hands can work."""
        p = self.model.par
        draft = self.horses * p["sowing.ha_per_horse"] if self.horses > 0 else p["sowing.hire_ha"]
        return min(draft, self.workers * p["sowing.ha_per_worker"])

    def capacity(self):
        p = self.model.par
        return min((self.land + self.leased) * p["sowing.land_use"], self.work_capacity())

    def other_income(self):
        p = self.model.par
        spare = max(self.workers - self.last_sown / p["sowing.ha_per_worker"], 0.0)
        # animal products, crafts and labour sell at the month's price level
        return self.model.income_index * (
            self.cattle * p["market.income_per_cow"] + self.sheep * p["market.income_per_sheep"]
            + self.workers * p["market.income_per_worker"] + spare * p["market.wage"])

    # -- activities
    def sow(self):
        m, p, e = self.model, self.model.par, self.model.econ
        r = self.region
        cap = self.capacity()
        area = cap * p["sowing.normal_use"] * m.incentive[r]
        y = m.base_yield[r] * self.skill
        sub = self.persons * p["consumption.food_kg"] / max(y - p["sowing.seed_rate"], 1.0)
        area = min(max(area, sub), cap)
        ws = m.winter_share[r]
        share = ws if m.winter else 1.0 - ws
        sown = self.sown_winter if m.winter else self.sown_spring
        todo = area * share * m.sow_frac - sown
        if todo <= 0.0:
            return
        rate = p["sowing.seed_rate"]
        keep = self.persons * p["consumption.food_kg"] / 12.0 * m.sow_keep
        lack = todo * rate - (self.grain - keep)
        if lack > 0.0:
            price = m.p_buy[r]
            q = lack if lack * price <= self.money else self.money / price
            self.grain += q
            self.money -= q * price
            e.flows["seed_bought"][r] += q
        usable = self.grain - keep
        if usable <= 0.0:
            return
        if todo * rate > usable:
            todo = usable / rate
        self.grain -= todo * rate
        e.flows["seed_use"][r] += todo * rate
        if m.winter:
            self.sown_winter += todo
        else:
            self.sown_spring += todo

    def reap(self):
        m, p, e = self.model, self.model.par, self.model.econ
        first = m.month == 7
        a = self.sown_winter if first else self.sown_spring
        if first:
            self.last_sown = 0.0
            self.last_harvest = 0.0
        if a > 0.0:
            r = self.region
            y = (m.base_yield[r] * m.weather[r] * m.village_shock[self.village] * self.skill)
            if self.horses == 0:
                y *= p["harvest.horseless_factor"]
            s = p["harvest.noise_sigma"]
            y *= math.exp(s * self.model.rng.standard_normal() - 0.5 * s * s)
            self.grain += a * y
            self.last_sown += a
            self.last_harvest += a * y
            e.flows["harvest"][r] += a * y
        if first:
            self.sown_winter = 0.0
        else:
            self.sown_spring = 0.0

    def assess(self):
        """September: stratum by the census criteria; assessed yearly income."""
        p = self.model.par
        a, h = self.last_sown, self.horses
        if (a >= p["tax.kulak_sown_ha"] and h >= p["tax.kulak_horses"]) or a >= 1.5 * p["tax.kulak_sown_ha"]:
            self.stratum = KULAK
        elif h == 0 or a < p["tax.bednyak_sown_ha"]:
            self.stratum = BEDNYAK
        else:
            self.stratum = SEREDNYAK
        self.income = self.last_harvest * self.model.tax_price + 12.0 * self.other_income()

    def levy(self):
        m = self.model
        if self.income > m.tax_threshold:
            self.tax_due += m.tax_rate * self.income ** m.tax_prog

    def decide(self):
        """Cash income; the reserve; what to offer and to whom; the goods wished."""
        m, p, e = self.model, self.model.par, self.model.econ
        r = self.region
        inc = self.other_income()
        self.money += inc
        pers = self.persons
        food_year = pers * p["consumption.food_kg"]
        food = food_year / 12.0 * e.mth
        ws = m.winter_share[r]
        seed = self.last_sown * p["sowing.seed_rate"] * (ws * e.winter_ahead + (1.0 - ws) * e.spring_ahead)
        fodder = ((self.horses * p["livestock.feed_horse"] + self.cattle * p["livestock.feed_cattle"]
                   + self.pigs * p["livestock.feed_pig"] + self.sheep * p["livestock.feed_sheep"])
                  / 6.0 * e.stall_ahead * m.feed[r])
        a_exp = m.a_exp[r]
        pi = (p["marketing.precaution_base"] + p["marketing.hoarding_goods"] * (1.0 - a_exp)
              + p["marketing.hoarding_scissors"] * max(m.s_exp[r] - 1.0, 0.0)
              + m.hoard_war)
        surplus = max(self.grain - (food + seed + fodder + pi * food_year), 0.0)
        pt = e.private_trade
        ps = m.state_price[r]
        pp = m.private_price[r] * (1.0 - p["marketing.legal_risk"] * (1.0 - pt))
        x = (p["marketing.channel_sensitivity"] * (pp - ps) / ps
             - p["marketing.loyalty_tilt"] * (self.loyalty - 0.5) - p["marketing.state_preference"])
        prefer = 1.0 / (1.0 + math.exp(-x))
        share_priv = prefer * pt
        blocked = prefer * (1.0 - pt) * (1.0 - p["marketing.redirect"])
        share_priv += (1.0 - share_priv) * p["cadres.capture_divert"] * m.capture[self.village] * pt
        p_recv = (1.0 - share_priv) * ps + share_priv * pp
        real = (p_recv / m.p_ref[r]) / e.goods_price
        rate = min(p["marketing.sale_rate"] * real ** p["marketing.price_elasticity"]
                   * a_exp ** p["marketing.goods_elasticity"], 1.0)
        sell = surplus * rate * (1.0 - blocked)
        wealth = (self.last_harvest / max(pers, 1.0) / 600.0) ** p["market.goods_wealth_elasticity"]
        budget = p["market.goods_budget"] * pers * e.goods_price * wealth
        need = self.tax_due + budget * a_exp * p["marketing.cash_horizon"] - self.money
        if need > 0.0 and need / p_recv > sell:
            sell = need / p_recv
        room = self.grain - p["marketing.need_floor"] * food - seed
        sell = max(min(sell, room), 0.0)
        self.offer_private = sell * share_priv
        self.offer_state = sell - self.offer_private
        short = food + seed - (self.grain - sell)
        cash = self.money + sell * p_recv - self.tax_due - max(short, 0.0) * m.p_buy[r]
        wish = budget + p["market.goods_catchup"] * max(cash - budget * p["marketing.cash_horizon"], 0.0)
        self.goods_wish = max(min(wish, cash), 0.0)
        e.flows["goods_wish"][r] += self.goods_wish
        e.flows["offered"][r] += sell

    def sell_to_state(self):
        m, e = self.model, self.model.econ
        q = min(self.offer_state, self.grain)
        if q <= 0.0:
            return
        r = self.region
        self.grain -= q
        self.money += q * m.state_price[r]
        e.flows["procured"][r] += q
        e.flows["procured_value"][r] += q * m.state_price[r]

    def sell_private(self):
        m, e = self.model, self.model.econ
        q = min(self.offer_private, self.grain)
        if q <= 0.0:
            return
        r = self.region
        self.grain -= q
        self.money += q * m.private_price[r]
        e.flows["private_sold"][r] += q
        e.flows["private_value"][r] += q * m.private_price[r]

    def pay_tax(self):
        if self.tax_due <= 0.0:
            return
        x = min(self.tax_due * self.model.tax_share, self.money)
        self.money -= x
        self.tax_due -= x
        self.model.econ.flows["tax_paid"][self.region] += x

    def buy_goods(self):
        if self.goods_wish <= 0.0:
            return
        m, e = self.model, self.model.econ
        x = min(self.goods_wish * m.availability[self.region], self.money)
        self.money -= x
        e.flows["goods_spent"][self.region] += x

    def consume(self):
        m, p, e = self.model, self.model.par, self.model.econ
        r = self.region
        food_m = self.persons * p["consumption.food_kg"] / 12.0
        want = food_m * p["consumption.buy_months"] - self.grain
        if want > 0.0:
            e.flows["purchases_wished"][r] += want
            price = m.p_buy[r]
            q = want * e.purchase_fill
            if q * price > self.money:
                q = self.money / price
            self.grain += q
            self.money -= q * price
            e.flows["purchases"][r] += q
        eat = min(food_m, self.grain)
        self.grain -= eat
        # the share of the family's food need left unmet this month
        self.famished = (food_m - eat) / food_m if food_m > 0.0 else 0.0
        ratio = 1.0
        if e.stall:
            need = ((self.horses * p["livestock.feed_horse"] + self.cattle * p["livestock.feed_cattle"]
                     + self.pigs * p["livestock.feed_pig"] + self.sheep * p["livestock.feed_sheep"])
                    / 6.0 * m.feed[r])
            if need > 0.0:
                g = self.grain
                ratio = _clip((g - food_m * (e.mth - 1.0)) / (need * e.stall_ahead), 0.0, 1.0)
                fd = min(need * ratio, g)
                self.grain -= fd
                ratio = fd / need
        self.fed = ratio
        self.grain *= 1.0 - p["consumption.loss_rate"]

    def _kind(self, x, k, hunger, famished, crowd, want):
        m, rng = self.model, self.model.rng
        d = o = 0
        if x > 0:
            d = min(int(rng.poisson(x * (m.death[k] + m.starve * hunger))), x)
            x -= d
        if x > 0:
            # below the wanted herd the young stock is kept to rebuild it
            keep = m.rebuild if x < want else 1.0
            o = min(int(rng.poisson(x * (m.offtake[k] * keep * (1.0 + 3.0 * crowd)
                                         + m.distress * hunger + m.famine_sales * famished))), x)
            x -= o
        if m.birth[k] > 0.0 and x > 0:
            x += int(rng.poisson(x * m.birth[k] * (1.0 - 0.5 * hunger)))
        buy = x < want and self.random.random() < m.buy_rate * (1.0 - max(hunger, famished))
        return min(x, 255), o, buy

    def breed(self):
        m = self.model
        # hay, straw and grazing carry the animals through a partial shortfall of grain
        hunger = max(1.0 - self.fed / m.hunger_below, 0.0)
        famished = self.famished
        u = m.unit
        lu = self.horses * u[0] + self.cattle * u[1] + self.pigs * u[2] + self.sheep * u[3]
        crowd = max(lu / max(self.land * m.lu_per_ha, 0.5) - 1.0, 0.0)
        a = self.land
        want = m.want
        # no horse is wanted on a small allotment: the ploughing is hired there
        self.horses, oh, bh = self._kind(self.horses, 0, hunger, famished, crowd,
                                         max(1.0, want[0] * a) if a >= m.horse_min_land else 0.0)
        self.cattle, oc, bc = self._kind(self.cattle, 1, hunger, famished, crowd,
                                         max(1.0, want[1] * a))
        self.pigs, op, bp = self._kind(self.pigs, 2, hunger, famished, crowd, want[2] * a)
        self.sheep, os_, bs = self._kind(self.sheep, 3, hunger, famished, crowd, want[3] * a)
        spend = 0.0
        bp_ = m.buy_price
        if bh and self.money - spend >= bp_[0]:
            spend += bp_[0]
            self.horses = min(self.horses + 1, 255)
        if bc and self.money - spend >= bp_[1]:
            spend += bp_[1]
            self.cattle = min(self.cattle + 1, 255)
        if bp and self.money - spend >= bp_[2]:
            spend += bp_[2]
            self.pigs = min(self.pigs + 1, 255)
        if bs and self.money - spend >= bp_[3]:
            spend += bp_[3]
            self.sheep = min(self.sheep + 1, 255)
        pr = m.price
        self.money += oh * pr[0] + oc * pr[1] + op * pr[2] + os_ * pr[3] - spend

    def age(self):
        """Births and deaths; long hunger weakens the family and kills."""
        m, p, rng = self.model, self.model.par, self.model.rng
        floor = p["demography.hunger_floor"]
        h = max(self.famished - floor, 0.0) / (1.0 - floor)
        mem = p["demography.weakness_memory"]
        self.weakness = wk = mem * self.weakness + (1.0 - mem) * h
        n = self.persons
        rate = m.death_rate
        if wk > 0.0:
            rate += p["demography.famine_mortality"] * wk ** p["demography.famine_exponent"]
        n -= min(int(rng.poisson(n * rate)), n)
        if n > 0:
            n = min(n + int(rng.poisson(n * m.birth_rate * (1.0 - h))), 255)
        self.persons = n
        # the working hands follow the family's size
        self.workers = max(int(n * p["demography.worker_ratio"] + 0.5), 1) if n > 0 else 0
        if n == 0:
            self.leave()
        elif wk > p["demography.flight_threshold"] and self.random.random() < (
                p["demography.flight_rate"] * wk * m.open_road):
            m.econ.fled += n        # to the towns, with what it can carry
            self.leave()

    def leave(self):
        """The household is gone (died out or fled); its land stays with the next household
        of the village."""
        members = self.model.village_members[self.village]
        k = members.index(self)
        if len(members) > 1:
            members[(k + 1) % len(members)].land += self.land
        members.pop(k)
        self.remove()

    def add_to_village(self):
        v = self.model.village_loyalty
        v[self.village] += self.loyalty

    def update_loyalty(self):
        m, p = self.model, self.model.par
        r = self.region
        terms, avail = m.loyalty_terms
        target = (m.loyalty_base[self.stratum] + p["loyalty.terms_weight"] * (terms[r] - 1.0)
                  + p["loyalty.goods_weight"] * (avail[r] - 1.0))
        mean_l = m.village_loyalty[self.village] / len(m.village_members[self.village])
        lo = self.loyalty
        lo += p["loyalty.rate"] * (_clip(target, 0.0, 1.0) - lo) + p["loyalty.contagion"] * (mean_l - lo)
        self.loyalty = _clip(lo, 0.0, 1.0)


class EconomyModel(mesa.Model):
    """The NEP household economy, monthly from the scenario's start."""

    def __init__(self, inputs: Inputs, households: int, seed: int = 1):
        super().__init__(seed=seed)
        self.inp = inputs
        self.par = dict(inputs.params)
        cols = initial_population(inputs, households, self.rng)
        self.econ = Economy(inputs, households, cols.pop("_v_region"), self.rng)
        self.village_members = [[] for _ in cols.pop("_v_count")]
        names = list(cols)
        for i in range(households):
            h = Household(self, **{k: cols[k][i].item() for k in names})
            self.village_members[h.village].append(h)
        self.tally = Tally(inputs, self.econ.weight)
        p = self.par
        self.p_ref = (p["market.state_price_base"] / 1000.0 * inputs.regions["price_zone"]).tolist()
        self.base_yield = inputs.regions["base_yield"].tolist()
        self.winter_share = inputs.regions["winter_share"].tolist()
        self.death = list(inputs.vec("death") / 12.0)
        self.offtake = list(inputs.vec("offtake") / 12.0)
        self.price = list(inputs.vec("price"))
        self.buy_price = list(0.5 * inputs.vec("price"))
        self.unit = list(inputs.vec("unit"))
        self.want = list(inputs.vec("want"))
        self.horse_min_land = p["livestock.horse_min_land"]
        self.starve = p["livestock.starvation"]
        self.distress = p["livestock.distress_sales"]
        self.buy_rate = p["livestock.buy_rate"]
        self.rebuild = p["livestock.rebuild_offtake"]
        self.hunger_below = p["livestock.hunger_below"]
        self.famine_sales = p["livestock.famine_sales"]
        self.death_rate = p["demography.death_rate"] / 12.0
        self.birth_rate = p["demography.birth_rate"] / 12.0
        self.lu_per_ha = p["livestock.units_per_ha"]
        self.loyalty_base = [p["loyalty.base_bednyak"], p["loyalty.base_serednyak"],
                             p["loyalty.base_kulak"]]
        self.t = 0

    def step(self):
        e, t = self.econ, self.t
        e.begin_month(t)
        e.flows = {k: [0.0] * len(e.flows[k]) for k in e.flows}   # plain lists for the agents
        self.month = m = e.month
        # this month's prices and expectations by region, as plain lists for the agents
        self.p_buy = e.purchase_price().tolist()
        self.feed = e.feed_factor().tolist()
        self.state_price = e.state_price.tolist()
        self.private_price = e.private_price.tolist()
        self.a_exp = e.expected_availability.tolist()
        self.s_exp = e.expected_scissors.tolist()
        self.capture = e.capture.tolist()
        self.weather = e.weather.tolist()
        self.village_shock = e.village_shock.tolist()
        self.hoard_war = e.hoard_war()
        self.income_index = e.income_index
        self.open_road = (1.0 - self.par["demography.passport_block"]
                          * self.inp.lever("passports", t))
        if m == 9:
            self.lease_land()
        if m in WINTER_MONTHS + SPRING_MONTHS:
            self.winter = m in WINTER_MONTHS
            self.sow_frac = self.par["sowing.first_month_share"] if m in (9, 4) else 1.0
            self.sow_keep = e.sow_keep
            self.incentive = e.sowing_incentive().tolist()
            self.agents.shuffle_do("sow")
        if m in (7, 8):
            self.agents.do("reap")
        if m == 9:
            self.tax_price = float(np.average(e.state_price, weights=self.inp.regions["household_share"]))
            self.agents.do("assess")
            incomes = np.fromiter((a.income for a in self.agents), float, len(self.agents))
            self.tax_threshold, self.tax_prog, self.tax_rate = e.tax_terms(incomes)
            self.agents.do("levy")
        self.agents.shuffle_do("decide")
        self.agents.shuffle_do("sell_to_state")
        e.update_capture()
        self.agents.shuffle_do("sell_private")
        self.tax_share = e.tax_share()
        if self.tax_share > 0.0:
            self.agents.do("pay_tax")
        e.set_goods_availability()
        self.availability = e.goods_availability.tolist()
        self.agents.shuffle_do("buy_goods")
        self.sell_to_neighbours()
        e.set_purchase_fill()
        self.agents.shuffle_do("consume")
        self.birth = list(e.birth_rates())
        self.offtake = list(e.offtake_rates())
        self.agents.shuffle_do("breed")
        self.village_loyalty = [0.0] * len(self.village_members)
        self.agents.do("add_to_village")
        self.loyalty_terms = tuple(x.tolist() for x in e.loyalty_terms())
        self.agents.do("update_loyalty")
        self.agents.do("age")
        e.end_month()
        grain = sum(a.grain for a in self.agents)
        herd = np.array([sum(a.horses for a in self.agents), sum(a.cattle for a in self.agents),
                         sum(a.pigs for a in self.agents), sum(a.sheep for a in self.agents)], float)
        self.tally.month(t, e, grain, herd)
        self.t += 1

    def lease_land(self):
        """September: in each village, land a farm cannot work goes for the year to the
        neighbours who can work more and pay the rent, pro rata on both sides."""
        p = self.par
        use, share = p["sowing.land_use"], p["lease.market_share"]
        rent = self.econ.rent_per_ha().tolist()
        for members in self.village_members:
            if not members:
                continue
            rho = rent[members[0].region]
            offer, want = [], []
            for h in members:
                own, work = h.land * use, h.work_capacity()
                offer.append(max(own - work, 0.0))
                want.append(min(work - own, h.money / rho) if own <= work and rho > 0 else 0.0)
            supply, demand = sum(offer), sum(want)
            q = share * min(supply, demand)
            for h, s, d in zip(members, offer, want):
                x = 0.0
                if q > 0.0:
                    x = -s * q / supply if s > 0.0 else d * q / demand
                h.money = max(h.money - x * rho, 0.0)
                h.leased = x / use

    def sell_to_neighbours(self):
        """Just before consumption: in each village, families below `consumption.buy_months` of food
        buy, as far as their cash goes, from the households holding more than their food to the
        harvest and a year's seed, which offer `consumption.neighbour_share` of the excess; the
        smaller side clears, pro rata on both sides, at the villagers' purchase price."""
        p = self.par
        share = p["consumption.neighbour_share"]
        if share <= 0.0:
            return
        food, months, rate = p["consumption.food_kg"] / 12.0, p["consumption.buy_months"], \
            p["sowing.seed_rate"]
        h = self.econ.mth
        for members in self.village_members:
            if not members:
                continue
            price = self.p_buy[members[0].region]
            want, offer = [], []
            for a in members:
                food_m = a.persons * food
                short = food_m * months - a.grain
                # a family short of food has nothing to spare
                want.append(min(short, a.money / price) if short > 0.0 else 0.0)
                offer.append(0.0 if short > 0.0 else
                             share * max(a.grain - food_m * h - a.last_sown * rate, 0.0))
            wished, offered = sum(want), sum(offer)
            q = min(wished, offered)
            if q <= 0.0:
                continue
            for a, d, s in zip(members, want, offer):
                if d == 0.0 and s == 0.0:
                    continue
                x = d * q / wished if d != 0.0 else -s * q / offered
                a.grain += x
                a.money = max(a.money - x * price, 0.0)

    def run(self, months: int | None = None):
        for _ in range(months if months is not None else self.inp.n_months):
            self.step()
        return self.tally.table()

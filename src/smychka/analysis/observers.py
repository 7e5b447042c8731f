"""How each historical series is read from a result: the catalogue of the observation model.

`OBSERVERS` maps a series name to the result variables it needs and a function of a `Reader`,
a view of one record row (its period and region) on a result. Series the model cannot read
are listed in `NOT_MODELLED` with the reason; `POLICY_INPUTS` are levers, not outcomes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import xarray as xr

from .periods import Period

MT, MLN = 1e6, 1e6
POOR = ("bednyak", "serednyak")        # Nemchinov's "middle and poor peasants"


class NotCovered(Exception):
    """The period lies (partly) outside the run."""


class Reader:
    """One record row's view of a result: sums and means over its period and region, one
    value per seed (the `seed` dimension, when there is one, is kept throughout)."""

    def __init__(self, ds: xr.Dataset, period: Period, region: str, p: dict[str, float]):
        self.ds, self.period, self.region, self.p = ds, period, region, p
        t = ds["time"].values.astype("datetime64[M]").astype(int)
        self.months = t + 1970 * 12    # absolute months of the run

    def _idx(self, first: int, last: int, partial: bool = False) -> np.ndarray:
        idx = np.flatnonzero((self.months >= first) & (self.months <= last))
        if len(idx) == 0 or (not partial and len(idx) != last - first + 1):
            raise NotCovered
        return idx

    def _reduce(self, da: xr.DataArray, strata) -> xr.DataArray:
        if "region" in da.dims:
            da = da.sum("region") if self.region == "USSR" else da.sel(region=self.region)
        if "stratum" in da.dims:
            if strata is not None:
                da = da.sel(stratum=[s for s in strata if s in da["stratum"].values])
            da = da.sum("stratum")
        return da

    def flow(self, var: str, strata=None, period: Period | None = None) -> xr.DataArray:
        """Total of a monthly flow over the period (every month must be in the run)."""
        p = period or self.period
        da = self.ds[var].isel(time=self._idx(p.first, p.last))
        return self._reduce(da, strata).sum("time")

    def at(self, var: str, month: int, strata=None) -> xr.DataArray:
        """A stock at the end of an absolute month."""
        return self._reduce(self.ds[var].isel(time=self._idx(month, month)[0]), strata)

    def mean(self, var: str, strata=None) -> xr.DataArray:
        """Mean of a stock over the period's months in the run (at least three); for a date,
        the stock at the nearest end of a month."""
        if self.period.date_day:
            return self.at(var, self.date_month(), strata)
        idx = self._idx(self.period.first, self.period.last, partial=True)
        if len(idx) < 3:
            raise NotCovered
        return self._reduce(self.ds[var].isel(time=idx), strata).mean("time")

    def date_month(self) -> int:
        """The month whose end is nearest the period's date: a 1 January count is the stock
        at the end of December."""
        return self.period.first - (1 if self.period.date_day <= 15 else 0)

    def sown_for_harvest(self, strata=None) -> xr.DataArray:
        """Grain area sown for the harvest that opens the agricultural year: the area standing
        at the end of June, before the harvest."""
        return self.at("sown_area", self.period.first - 1, strata)

    def price(self, var: str, month: int | None = None) -> xr.DataArray:
        """A regional price averaged over regions by households and over the period's months."""
        first, last = (month, month) if month is not None else (self.period.first,
                                                                 self.period.last)
        da = self.ds[var].isel(time=self._idx(first, last))
        if "region" in da.dims:
            if self.region != "USSR":
                da = da.sel(region=self.region)
            else:
                w = self.ds["households"].isel(time=self._idx(first, last))
                w = w.sum("stratum") if "stratum" in w.dims else w
                da = (da * w).sum("region") / w.sum("region")
        return da.mean("time")

    # quantities the record names often
    def crop(self, strata=None) -> xr.DataArray:
        """The official crop of the agricultural year: the true harvest times barn inflation."""
        return self.flow("harvest", strata) * self.p["barn_inflation"]

    def class_crop(self, strata) -> xr.DataArray:
        """The official crop of the agricultural year grown by the farms of `strata`, as the
        farms are classified in September on that harvest: a class's crop and its sales from
        it refer to the same farms. (The stratum a farm holds at the harvest is last year's.)"""
        return self.flow("classified_harvest", strata) * self.p["barn_inflation"]

    def sales(self, strata=None, period: Period | None = None) -> xr.DataArray:
        return (self.flow("procurement", strata, period)
                + self.flow("private_sales", strata, period))

    # the record's totals count the state and collective farms, which the model does not
    # simulate: their shares of the crop and of the sales are added
    def all_crop(self) -> xr.DataArray:
        return self.crop() / (1 - self.p["state_farm_output"])

    def all_sales(self) -> xr.DataArray:
        return self.sales() / (1 - self.p["state_farm_sales"])

    def procurement(self, period: Period | None = None, levy: bool = True) -> xr.DataArray:
        """State procurement as the record counts it: from every producer, so with the state
        and collective farms' deliveries, which the model does not simulate (their share of
        marketed grain, all of it sold to the state), and with the milling levy where the
        record's total counts it."""
        s = self.p["state_farm_sales"]
        own = self.flow("procurement", period=period)
        return own * (1 + (self.p["milling_levy"] if levy else 0.0)) + self.sales(
            period=period) * s / (1 - s)


@dataclass(frozen=True)
class Observer:
    needs: tuple[str, ...]           # result variables it reads ("stratum=X": a stratum)
    fn: Callable[[Reader], xr.DataArray]
    how: str                         # what the record's figure is, in model terms
    span: str = "mean"               # an "A-B" span: the mean of its years, or "self"


def _span(c: Reader) -> tuple:
    """The years of an "A-B" span, first to last (a rate or an index needs two of them)."""
    parts = c.period.parts
    if len(parts) < 2:
        raise ValueError("a growth rate or an index is read over a span of years ('A-B'), "
                         "not a single period")
    return parts


def _growth_rate(c: Reader) -> xr.DataArray:
    parts = _span(c)
    first = Reader(c.ds, parts[0], c.region, c.p).mean("urban_population")
    last = Reader(c.ds, parts[-1], c.region, c.p).mean("urban_population")
    return (last / first) ** (1.0 / (len(parts) - 1)) - 1.0


def _output_index(c: Reader) -> xr.DataArray:
    parts = _span(c)
    first = c.flow("industrial_output", period=parts[0])
    return 100.0 * c.flow("industrial_output", period=parts[-1]) / first


def _cumulative_window(c: Reader) -> Period:
    last = c.date_month()
    return Period(last - (last - 6) % 12, last)   # from July of that agricultural year


_FARMS = ["bednyak", "serednyak", "kulak"]   # individual farms: members' horses are pooled


def _horseless(c: Reader) -> xr.DataArray:
    return c.mean("horseless", _FARMS) / c.mean("households", _FARMS)


def _farms_in_june(var: str) -> Callable[[Reader], xr.DataArray]:
    """A count of individual farms at the end of June of the year (the standing area is then
    the area sown for the harvest), mln."""
    return lambda c: c.at(var, c.period.first + 5, _FARMS) / MLN


def _share(var: str, strata) -> Callable[[Reader], xr.DataArray]:
    return lambda c: c.mean(var, strata) / c.mean(var)


_LIVESTOCK = {"livestock_horses": "horses", "livestock_cattle": "cattle",
              "livestock_pigs": "pigs", "livestock_sheep_goats": "sheep"}

OBSERVERS: dict[str, Observer] = {
    # harvest
    "harvest_total": Observer(("harvest",), lambda c: c.crop() / MT,
                              "harvest of the agricultural year x barn inflation"),
    "grain_yield": Observer(("harvest", "sown_area"),
                            lambda c: 1000 * c.crop() / c.sown_for_harvest(),
                            "official crop over the area sown for it (end of June), kg/ha"),
    "fodder_share": Observer(("feed_use", "harvest"), lambda c: c.flow("feed_use") / c.crop(),
                             "grain fed in the agricultural year over the official crop"),
    "grain_per_rural_person": Observer(
        ("harvest", "persons"), lambda c: 1000 * c.crop() / c.mean("persons"),
        "official crop over the persons of peasant households, kg"),
    # procurement
    "procurement_total": Observer(
        ("procurement", "private_sales"), lambda c: c.procurement() / MT,
        "procurement of the agricultural year plus the milling levy and the state farms' "
        "deliveries"),
    "procurement_share_of_harvest": Observer(
        ("procurement", "private_sales", "harvest"),
        lambda c: c.procurement() / c.crop(),
        "procurement with the milling levy and the state farms' deliveries over the official "
        "crop"),
    "procurement_cumulative": Observer(
        ("procurement", "private_sales"),
        lambda c: c.procurement(_cumulative_window(c), levy=False) / MT,
        "procurement from July to the date with the state farms' deliveries, without the "
        "milling levy"),
    "procurement_plan_fulfilment": Observer(
        ("procurement", "private_sales", "procurement_plan"),
        lambda c: (c.procurement(_cumulative_window(c), levy=False)
                   / c.flow("procurement_plan", period=_cumulative_window(c))),
        "procurement from July to the date (with the state farms' deliveries) over the plan "
        "for those months"),
    "procurement_yoy_ratio": Observer(
        ("procurement", "private_sales"),
        lambda c: (c.procurement(levy=False)
                   / c.procurement(period=c.period.shift(-12), levy=False)),
        "procurement in the months (with the state farms' deliveries) over the same months "
        "a year before"),
    # marketed grain (Nemchinov, 1926/27): "marketed" is sold off the farm, to the state or
    # to private traders; shares and totals include the state and collective farms
    "marketability_total": Observer(
        ("procurement", "private_sales", "harvest"),
        lambda c: c.all_sales() / c.all_crop(),
        "sales (state and private) over the official crop, each with the state farms' share "
        "added: marketed_grain_total over gross_output_total"),
    "marketability_kulaks": Observer(
        ("procurement", "private_sales", "classified_harvest"),
        lambda c: c.sales(["kulak"]) / c.class_crop(["kulak"]),
        "kulak sales over the official crop of the farms classified kulak on it"),
    "marketability_middle_poor": Observer(
        ("procurement", "private_sales", "classified_harvest"),
        lambda c: c.sales(POOR) / c.class_crop(POOR),
        "bednyak and serednyak sales over their crop (classified likewise)"),
    "marketed_share_kulaks": Observer(
        ("procurement", "private_sales"),
        lambda c: c.sales(["kulak"]) / c.sales() * (1 - c.p["state_farm_sales"]),
        "kulak share of sales, scaled to a total that includes the state farms"),
    "marketed_share_middle_poor": Observer(
        ("procurement", "private_sales"),
        lambda c: c.sales(POOR) / c.sales() * (1 - c.p["state_farm_sales"]),
        "bednyak and serednyak share of sales, scaled likewise"),
    "gross_output_share_kulaks": Observer(
        ("harvest", "classified_harvest"),
        lambda c: c.class_crop(["kulak"]) / c.crop() * (1 - c.p["state_farm_output"]),
        "crop of the farms classified kulak on it over the whole crop, scaled to a total "
        "that includes the state farms"),
    "gross_output_share_middle_poor": Observer(
        ("harvest", "classified_harvest"),
        lambda c: c.class_crop(POOR) / c.crop() * (1 - c.p["state_farm_output"]),
        "bednyak and serednyak share of the crop (classified likewise), scaled likewise"),
    "gross_output_kulaks": Observer(("classified_harvest",),
                                    lambda c: c.class_crop(["kulak"]) / MT,
                                    "official crop of the farms classified kulak on it, Mt"),
    "gross_output_middle_poor": Observer(("classified_harvest",),
                                         lambda c: c.class_crop(POOR) / MT,
                                         "bednyak and serednyak official crop (classified "
                                         "likewise), Mt"),
    "gross_output_total": Observer(("harvest",),
                                   lambda c: c.all_crop() / MT,
                                   "official crop with the state farms' share added, Mt"),
    "marketed_grain_kulaks": Observer(("procurement", "private_sales"),
                                      lambda c: c.sales(["kulak"]) / MT, "kulak sales, Mt"),
    "marketed_grain_middle_poor": Observer(("procurement", "private_sales"),
                                           lambda c: c.sales(POOR) / MT,
                                           "bednyak and serednyak sales, Mt"),
    "marketed_grain_total": Observer(("procurement", "private_sales"),
                                     lambda c: c.all_sales() / MT,
                                     "sales with the state farms' share added, Mt"),
    # prices
    "private_procurement_price_ratio": Observer(
        ("private_price", "state_price", "households"),
        lambda c: c.price("private_price") / c.price("state_price"),
        "private over state grain price, averaged over regions by households and months"),
    "private_price_change": Observer(
        ("private_price", "households"),
        lambda c: c.price("private_price", c.period.last) / c.price("private_price",
                                                                  c.period.first),
        "private grain price in the last month over the first"),
    # disturbances, exports
    "mass_disturbances": Observer(("disturbances",), lambda c: c.flow("disturbances"),
                                  "disturbances in the year"),
    "disturbance_participants": Observer(("disturbance_participants",),
                                         lambda c: c.flow("disturbance_participants"),
                                         "participants in the year's disturbances"),
    "grain_exports": Observer(("exports",), lambda c: c.flow("exports") / MT,
                              "exports in the year (economic or calendar), Mt"),
    # households, strata, land
    "peasant_households": Observer(("households",), lambda c: c.mean("households") / MLN,
                                   "households, mean over the year, mln"),
    "household_size": Observer(("persons", "households"),
                               lambda c: c.mean("persons") / c.mean("households"),
                               "persons per household, mean over the year"),
    "sown_area_grain": Observer(("sown_area",), lambda c: c.sown_for_harvest() / MLN,
                                "grain area sown for the year's harvest (end of June), Mha"),
    "sown_area_grain_per_household": Observer(
        ("sown_area", "households"),
        lambda c: c.sown_for_harvest() / c.at("households", c.period.first - 1),
        "grain area sown for the harvest per household, ha"),
    "bednyak_share_k3": Observer(("persons",), _share("persons", ["bednyak"]),
                                 "bednyak share of persons"),
    "serednyak_share_k3": Observer(("persons",), _share("persons", ["serednyak"]),
                                   "serednyak share of persons"),
    "kulak_share_k3": Observer(("persons",), _share("persons", ["kulak"]),
                               "kulak share of persons"),
    # Davies and Larin count the poor by draught power, not by the census criteria
    "bednyak_share_davies": Observer(("horseless_persons", "persons"),
                                     lambda c: c.mean("horseless_persons", _FARMS)
                                     / c.mean("persons", _FARMS),
                                     "share of the persons of individual farms living in "
                                     "households without a horse ('without horse or plough')"),
    "serednyak_share_davies": Observer(("persons",), _share("persons", ["serednyak"]),
                                       "serednyak share of persons"),
    "kulak_share_davies": Observer(("persons",), _share("persons", ["kulak"]),
                                   "kulak share of persons"),
    "bednyak_share_textbook": Observer(("persons",), _share("persons", ["bednyak"]),
                                       "bednyak share of persons"),
    "serednyak_share_textbook": Observer(("persons",), _share("persons", ["serednyak"]),
                                         "serednyak share of persons"),
    "kulak_share_textbook": Observer(("persons",), _share("persons", ["kulak"]),
                                     "kulak share of persons"),
    "bednyak_share_larin": Observer(("horseless", "households"), _horseless,
                                    "share of individual farms without a horse (Larin's poor: "
                                    "roughly the households without draught animals)"),
    "horseless_share": Observer(("horseless", "households"), _horseless,
                                "share of individual farms without a horse"),
    "farms_sown_under_1ha": Observer(
        ("farms_sown_under_1ha",), _farms_in_june("farms_sown_under_1ha"),
        "individual farms with under 1 ha of grain sown for the year's harvest (end of June), "
        "mln"),
    "farms_sown_over_16ha": Observer(
        ("farms_sown_over_16ha",), _farms_in_june("farms_sown_over_16ha"),
        "individual farms with over 16 ha of grain sown for the year's harvest (end of June), "
        "mln"),
    "hiring_or_leasing_share": Observer(
        ("farms_hiring", "households"),
        lambda c: c.flow("farms_hiring", _FARMS) / c.mean("households", _FARMS),
        "individual farms hiring workers for the agricultural year (September) over "
        "individual farms; the record also counts families leasing out means of production, "
        "which the model does not"),
    "kulak_share_larin": Observer(("households",), _share("households", ["kulak"]),
                                  "kulak share of households"),
    "kulak_share_census1927": Observer(("households",), _share("households", ["kulak"]),
                                       "kulak share of households"),
    "kulak_draught_animals_mean": Observer(
        ("horses", "households"),
        lambda c: c.mean("horses", ["kulak"]) / c.mean("households", ["kulak"]),
        "horses per kulak household (the model's only draught animal)"),
    # the town
    "urban_population": Observer(("urban_population",),
                                 lambda c: c.mean("urban_population") / MLN,
                                 "urban population, mln"),
    "rural_population": Observer(("persons",), lambda c: c.mean("persons") / MLN,
                                 "persons of peasant households, mln"),
    "total_population": Observer(("persons", "urban_population"),
                                 lambda c: (c.mean("persons") + c.mean("urban_population")) / MLN,
                                 "peasant and urban persons, mln"),
    "urban_share": Observer(("persons", "urban_population"),
                            lambda c: c.mean("urban_population")
                            / (c.mean("persons") + c.mean("urban_population")),
                            "urban over peasant and urban persons"),
    "urban_growth_rate": Observer(("urban_population",), _growth_rate,
                                  "annual growth of the urban population between the means "
                                  "of the first and the last year", span="self"),
    "industrial_output_index": Observer(("industrial_output",), _output_index,
                                        "industrial output (1926/27 prices) of the last "
                                        "year over the first, x 100", span="self"),
    # collectivization: read as soon as the model records it
    "collectivized_share": Observer(("collectivized_share", "households"),
                                    lambda c: _collectivized(c),
                                    "household-weighted collectivized share"),
    "kolkhoz_households": Observer(("households", "stratum=kolkhoznik"),
                                   lambda c: c.mean("households", ["kolkhoznik"]) / MLN,
                                   "households of kolkhoz members, mln"),
}
for _name, _var in _LIVESTOCK.items():
    OBSERVERS[_name] = Observer((_var,), lambda c, v=_var: c.at(v, c.date_month()) / MLN,
                                f"{_var} at the start of January (end of December), mln")
    OBSERVERS[_name + "_summer"] = Observer(
        (_var,), lambda c, v=_var: c.at(v, c.period.first + 5) / MLN,
        f"{_var} at the end of June, with the year's young stock, mln")


def _collectivized(c: Reader) -> xr.DataArray:
    m = c.date_month()
    share, w = c.ds["collectivized_share"], c.ds["households"]
    w = w.sum("stratum") if "stratum" in w.dims else w
    t = c._idx(m, m)[0]
    share, w = share.isel(time=t), w.isel(time=t)
    if c.region != "USSR":
        return share.sel(region=c.region)
    return (share * w).sum("region") / w.sum("region")


NOT_MODELLED = {
    "sown_area_total": "the model sows grain only",
    "sown_area_industrial": "the model sows grain only",
    "sown_area_per_household": "the model sows grain only",
    "livestock_sheep": "sheep and goats are one herd in the model",
    "livestock_goats": "sheep and goats are one herd in the model",
    "livestock_cows": "cows are not told apart from other cattle",
    "cows_mean": "cows are not told apart from other cattle",
    "kulak_cows_mean": "cows are not told apart from other cattle",
    "procurement_price_wheat": "one grain: wheat and rye are not told apart",
    "procurement_price_rye": "one grain: wheat and rye are not told apart",
    "private_price_wheat": "one grain: wheat and rye are not told apart",
    "private_price_rye": "one grain: wheat and rye are not told apart",
    "procurement_price_purchasing_power": "needs pre-war prices, which the model lacks",
    "marketed_grain_vs_prewar": "compares with 1913, before the model starts",
    "extra_village_sales_vs_1913": "compares with 1913, before the model starts",
    "upper_strata_share_of_sales": "upper serednyaks are not a model stratum",
    "landless_share_davies": "landless labourers are not a model stratum",
    "proletarian_share_textbook": "rural proletarians are not a model stratum",
    "workers_total": "wage workers are not modelled",
    "rural_workers": "wage workers are not modelled",
    "households_without_machinery": "machinery is not modelled",
    "tax_share_income_500plus": "the result holds no tax by income class",
    "tax_share_income_under150": "the result holds no tax by income class",
    "individually_assessed_share": "individual tax assessment is not modelled",
    "elevated_rate_share": "the result holds no tax by rate class",
    "grain_export_earnings_share": "export earnings are not modelled",
    "kolkhozy": "kolkhozes are not counted",
    "industrial_price_index": "the model's goods price index is 1926/27 = 1, not 1913 = 1",
    "agricultural_price_index": "the model's price indices are 1926/27 = 1, not 1913 = 1",
    "scissors_ratio": "the model's scissors index is 1926/27 = 1, not 1913 = 1",
}
NOT_MODELLED.update({f"{k}_{s}": "landlords and state farms are not in the model"
                     for k in ("gross_output", "gross_output_share", "marketed_grain",
                               "marketed_share", "marketability")
                     for s in ("landlords", "state_farms")})
# (series, region) rows whose region is not a model region
EXCLUDED_ROWS = {("private_price_change", "Ukraine"): "one okrug (Krivoi Rog), not the region"}
POLICY_INPUTS = {"procurement_plan": "procurement_plan", "tax_exempt_share": "tax_exempt_share"}

"""The result variables: names, dimensions, units and meaning (interfaces.md, "Results").

The recorder fills exactly these; the report, validation and docs read them from here.
All quantities are at full USSR scale (sample sums multiplied by the household weight).
"""
from __future__ import annotations

from dataclasses import dataclass

REGIONS = (
    "Ukraine", "North Caucasus", "Lower Volga", "Middle Volga", "Central Black Earth",
    "Siberia", "Urals", "Kazakhstan", "Grain-deficit regions",
)
STRATA = ("bednyak", "serednyak", "kulak", "kolkhoznik")
INITIAL_STRATA = STRATA[:3]   # the population of 1924; kolkhoz members appear with the kolkhozes

RS = ("time", "region", "stratum")
R = ("time", "region")
T = ("time",)


@dataclass(frozen=True)
class Var:
    name: str
    dims: tuple[str, ...]
    units: str
    kind: str        # "flow" (per month), "stock" (end of month), "mean" (end of month), "rate"
    meaning: str


_VARS = (
    # grain flows of the peasant books, tonnes per month
    Var("harvest", RS, "tonnes", "flow", "grain harvested"),
    Var("procurement", RS, "tonnes", "flow", "grain sold (or delivered) to the state"),
    Var("private_sales", RS, "tonnes", "flow", "grain sold to private traders"),
    Var("grain_purchases", RS, "tonnes", "flow", "grain bought by households"),
    Var("neighbour_purchases", RS, "tonnes", "flow",
        "grain bought from neighbours in the village by families short of food"),
    Var("neighbour_sales", RS, "tonnes", "flow",
        "grain sold to neighbours in the village whose bins ran low"),
    Var("confiscated", RS, "tonnes", "part",
        "part of procurement taken without payment (article 107, hidden grain found)"),
    Var("forced_sales", RS, "tonnes", "part",
        "part of procurement sold under coercion at the state price (enforcement, loans, quotas)"),
    Var("redistributed", RS, "tonnes", "flow",
        "confiscated grain handed to poor peasants (the 25 % share)"),
    Var("relief", RS, "tonnes", "flow", "relief grain received"),
    Var("seed_loans", RS, "tonnes", "flow", "seed grain lent by the state at sowing"),
    Var("loan_repaid", RS, "tonnes", "flow", "seed loans repaid to the state in kind"),
    Var("wages_in_kind_paid", RS, "tonnes", "flow",
        "grain paid to hired hands for the year (board and wages in kind; September)"),
    Var("wages_in_kind_received", RS, "tonnes", "flow",
        "grain received for workers hired out to village neighbours for the year"),
    Var("grain_carried_off", RS, "tonnes", "flow", "grain taken away by households in flight"),
    Var("consumption", RS, "tonnes", "flow", "grain eaten (grain-equivalent food)"),
    Var("seed_use", RS, "tonnes", "flow", "grain sown as seed"),
    Var("feed_use", RS, "tonnes", "flow", "grain fed to livestock"),
    Var("losses", RS, "tonnes", "flow", "storage losses"),
    Var("food_shortfall", RS, "tonnes", "flow", "food need not met (hunger)"),
    # grain stocks
    Var("grain_stock", RS, "tonnes", "stock", "all grain held by households, hidden included"),
    Var("hidden_grain", RS, "tonnes", "stock", "grain hidden from the state"),
    Var("sown_area", RS, "hectares", "stock", "area under grain for the coming harvest"),
    Var("land_leased", RS, "hectares", "flow",
        "allotment land leased in for the agricultural year (by the lessee; September)"),
    Var("hands_hired", RS, "workers", "flow",
        "workers hired for the agricultural year (by the employer; September)"),
    Var("farms_hiring", RS, "households", "flow",
        "farms hiring workers for the agricultural year (September)"),
    Var("classified_harvest", RS, "tonnes", "flow",
        "each household's last harvest, counted in September by the stratum it is then "
        "classified into (a memo item, not in the grain balance)"),
    # money, roubles
    Var("money", RS, "roubles", "stock", "cash held by households"),
    Var("tax_paid", RS, "roubles", "flow", "agricultural tax paid"),
    Var("fines", RS, "roubles", "flow", "fines paid by quota defaulters"),
    Var("money_expropriated", RS, "roubles", "flow", "cash taken from deported households"),
    Var("money_carried_off", RS, "roubles", "flow",
        "cash leaving with households that fled or died out"),
    Var("grain_revenue", RS, "roubles", "flow", "receipts from grain sales, state and private"),
    Var("livestock_revenue", RS, "roubles", "flow", "receipts from livestock sold"),
    Var("other_income", RS, "roubles", "flow",
        "non-grain income: animal products, industrial crops, off-farm wages"),
    Var("livestock_spending", RS, "roubles", "flow", "spent buying young livestock"),
    Var("grain_spending", RS, "roubles", "flow", "spent on grain purchases"),
    Var("goods_spending", RS, "roubles", "flow", "spent on manufactured goods"),
    Var("neighbour_spending", RS, "roubles", "flow", "paid to neighbours for grain"),
    Var("neighbour_revenue", RS, "roubles", "flow", "received from neighbours for grain"),
    Var("rent_paid", RS, "roubles", "flow", "land rent paid by households leasing land in"),
    Var("rent_received", RS, "roubles", "flow",
        "land rent received by households leasing land out"),
    # livestock and people
    Var("horses", RS, "head", "stock", "horses"),
    Var("cattle", RS, "head", "stock", "cattle"),
    Var("pigs", RS, "head", "stock", "pigs"),
    Var("sheep", RS, "head", "stock", "sheep and goats"),
    Var("livestock_sold", RS, "livestock units", "flow",
        "animals sold or slaughtered (horse 1, cattle 0.8, pig 0.3, sheep 0.1)"),
    Var("livestock_slaughtered", RS, "livestock units", "flow",
        "of the animals sold or slaughtered, those disposed of before joining a kolkhoz"),
    Var("livestock_deaths", RS, "livestock units", "flow", "animals dead (same units)"),
    Var("joined", RS, "households", "flow",
        "households joining a kolkhoz (by their stratum before joining)"),
    Var("joined_forced", RS, "households", "flow", "of which driven in with their village"),
    Var("left_kolkhoz", RS, "households", "flow", "members leaving their kolkhoz"),
    Var("dekulakized", RS, "households", "flow",
        "households expropriated as kulaks, by their true stratum"),
    Var("deaths", RS, "persons", "flow", "deaths"),
    Var("births", RS, "persons", "flow", "births"),
    Var("households", RS, "households", "stock", "households"),
    Var("horseless", RS, "households", "stock", "households without a horse of their own"),
    Var("horseless_persons", RS, "persons", "stock", "persons in households without a horse"),
    Var("farms_sown_under_1ha", RS, "households", "stock",
        "households whose standing grain area is under 1 ha (read at the end of June: the "
        "area sown for the harvest)"),
    Var("farms_sown_over_16ha", RS, "households", "stock",
        "households whose standing grain area is over 16 ha (read at the end of June)"),
    Var("persons", RS, "persons", "stock", "persons in households"),
    Var("loyalty", RS, "index 0-1", "mean", "mean loyalty (trust in Soviet power)"),
    Var("fear", RS, "index 0-1", "mean", "mean fear (memory of coercion)"),
    Var("grievance", RS, "index 0-1", "mean", "mean grievance (memory of arbitrary acts)"),
    Var("coerced_households", RS, "households", "flow", "households hit by coercion"),
    Var("arbitrary_acts", RS, "count", "flow",
        "coercive hits on households that are not kulaks"),
    # prices and plans by region
    Var("state_price", R, "roubles per tonne", "rate", "state procurement price"),
    Var("private_price", R, "roubles per tonne", "rate", "private market grain price"),
    Var("goods_price_index", R, "index, 1926/27 = 1", "rate", "retail price of manufactured goods"),
    Var("scissors", R, "index, 1926/27 = 1", "rate",
        "manufactured goods price index over the index of grain prices received"),
    Var("goods_availability", R, "share", "rate",
        "share of desired goods purchases that could be bought"),
    Var("weather", R, "multiplier", "rate", "weather factor of the agricultural year's yields"),
    Var("procurement_plan", R, "tonnes", "flow", "the plan's share for the month"),
    Var("disturbances", R, "count", "flow", "peasant disturbances"),
    Var("disturbance_participants", R, "persons", "flow", "people taking part in them"),
    Var("collectivized_share", R, "share", "rate", "share of households in kolkhozes"),
    Var("deported", R, "persons", "flow", "people deported out of the region (categories 1-2)"),
    Var("resettled", R, "households", "flow", "households resettled on worse land (category 3)"),
    Var("famine_deaths", R, "persons", "flow", "deaths above the normal rate, from hunger"),
    Var("fled", R, "persons", "flow", "people fleeing to the towns"),
    Var("zeal", R, "index 0-1", "rate", "mean zeal of village cadres"),
    Var("capture", R, "index 0-1", "rate", "mean capture of village cadres by private traders"),
    Var("coercion", T, "0-1", "rate", "coercion level in force (lever or the centre's)"),
    Var("smychka_index", T, "index 0-1", "rate",
        "the worker-peasant alliance: population-weighted loyalty times the square root of "
        "the terms of trade (1 / scissors), capped at 1"),
    # industry and the flow of resources
    Var("industrial_output", T, "roubles (1926/27 prices)", "flow", "industrial output"),
    Var("consumer_goods_output", T, "roubles (1926/27 prices)", "flow",
        "consumer-goods output"),
    Var("investment", T, "roubles (1926/27 prices)", "flow",
        "producer goods reinvested in producer capital, with imported machinery"),
    Var("tractors", T, "tractors", "stock", "tractors at the machine-tractor stations"),
    Var("net_resource_flow", T, "roubles (1926/27 prices)", "flow",
        "resources leaving agriculture less those it receives"),
    # the town and the state, national
    Var("urban_population", T, "persons", "stock", "urban population"),
    Var("urban_grain_need", T, "tonnes", "flow", "grain the towns need in the month"),
    Var("urban_rations", T, "tonnes", "flow", "grain the state released to the towns"),
    Var("urban_private_purchases", T, "tonnes", "flow", "grain the towns bought privately"),
    Var("urban_food_per_head", T, "kg per person per month", "rate", "grain per town dweller"),
    Var("exports", T, "tonnes", "flow", "grain exported"),
    Var("imports", T, "tonnes", "flow", "grain the state imported to cover its obligations"),
    Var("state_grain_stock", T, "tonnes", "stock", "state grain reserves"),
    Var("trader_stock", T, "tonnes", "stock", "grain held by private traders"),
)

VARIABLES: dict[str, Var] = {v.name: v for v in _VARS}

# sign of each grain flow in the peasant books: sum(sign*flow) == change of grain_stock
GRAIN_BALANCE = (
    ("harvest", 1), ("grain_purchases", 1), ("neighbour_purchases", 1), ("redistributed", 1),
    ("relief", 1), ("seed_loans", 1), ("loan_repaid", -1), ("neighbour_sales", -1),
    ("wages_in_kind_received", 1), ("wages_in_kind_paid", -1),
    ("procurement", -1), ("private_sales", -1),
    ("grain_carried_off", -1), ("consumption", -1), ("seed_use", -1), ("feed_use", -1), ("losses", -1),
)
MONEY_BALANCE = (
    ("grain_revenue", 1), ("livestock_revenue", 1), ("other_income", 1), ("rent_received", 1),
    ("neighbour_revenue", 1), ("rent_paid", -1), ("neighbour_spending", -1),
    ("tax_paid", -1), ("grain_spending", -1), ("goods_spending", -1),
    ("livestock_spending", -1), ("fines", -1), ("money_expropriated", -1),
    ("money_carried_off", -1),
)

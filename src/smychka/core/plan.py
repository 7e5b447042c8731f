"""The step plan: which process runs in which phase of the month, in order. It is data:
`smychka plan` prints it, the loop runs it, tests check it."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

EVERY = ()


@dataclass(frozen=True)
class Step:
    phase: int
    process: str          # module of smychka.processes
    months: tuple         # calendar months when it runs; EVERY = each month
    doc: str
    func: str = "step"

    def callable(self) -> Callable:
        return getattr(importlib.import_module(f"smychka.processes.{self.process}"), self.func)

    def runs_in(self, month: int) -> bool:
        return not self.months or month in self.months


_PLAN = (
    Step(1, "policy", EVERY, "apply the scenario's dated levers; set state prices"),
    Step(1, "centre", EVERY, "the coercion level in force: the lever, or the centre's "
         "reaction to the campaign and to unrest; markets closed under extraordinary measures"),
    Step(2, "lease", (9,), "land a farm cannot work leased for the year to village "
         "neighbours who can, for a money rent"),
    Step(2, "labour", (9,), "farms whose land and horses need more hands than the family "
         "has hire neighbours' spare workers for the year, paid in grain"),
    Step(2, "sowing", (9, 10, 4, 5), "sow winter crops (Sep-Oct) and spring crops (Apr-May)"),
    Step(3, "harvest", (7, 8), "harvest winter crops (Jul) and spring crops (Aug)"),
    Step(3, "kolkhoz", EVERY, "kolkhozes: collective sowing and harvest, compulsory deliveries "
         "first, seed and fodder, distribution to members, collective livestock"),
    Step(4, "tax", (9,), "classify households into strata; assess the agricultural tax"),
    Step(5, "marketing", EVERY, "cash income; each household decides what grain to offer, "
         "to whom, and what goods it wants"),
    Step(6, "procurement", EVERY, "the state buys what is offered to it against the plan"),
    Step(6, "cadres", EVERY, "village cadres: zeal, capture by traders, whom they label kulak"),
    Step(6, "campaign", EVERY, "coercion: enforcement, searches, confiscation, forced loans, "
         "village quotas and fines, the poor's share; fear and grievance from what is seen"),
    Step(7, "market", EVERY, "private sales; tax paid from cash; goods bought under rationing"),
    Step(8, "consumption", EVERY, "grain bought when short; food, fodder, storage losses"),
    Step(8, "livestock", EVERY, "births, deaths, sales and slaughter of livestock"),
    Step(9, "loyalty", EVERY, "loyalty, fear and grievance, village contagion; disturbances"),
    Step(10, "collectivization", EVERY, "dekulakization; households join the kolkhoz (by "
         "choice or driven in with their village), slaughtering livestock first; exits"),
    Step(11, "demography", EVERY, "births, deaths and famine mortality, weakness, relief, "
         "flight to the towns"),
    Step(12, "town", EVERY, "urban grain need, rations, exports, private price, expectations"),
    Step(12, "industry", EVERY, "industrial capital and output, tractors, the towns' growth, "
         "the net resource flow"),
    Step(13, "census", EVERY, "record the month's stocks"),
)


def step_plan() -> tuple[Step, ...]:
    return _PLAN

"""Calendar and policy: the month's lever values set the state's prices."""
from __future__ import annotations

PARAMS = ()


def step(world, rec) -> None:
    e, p, t = world.econ, world.params, world.t
    e.month_values["procured"] = 0.0   # the state's intake is summed over the month's steps
    zone = world.regions["price_zone"]
    e.state_price = world.lever("procurement_price") * p["market.state_price_base"] / 1000.0 * zone
    rec.set_region(t, "state_price", e.state_price * 1000.0)
    rec.set_region(t, "private_price", e.private_price * 1000.0)
    rec.set_region(t, "goods_price_index", world.lever("goods_price") + 0.0 * zone)

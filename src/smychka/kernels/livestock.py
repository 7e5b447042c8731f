"""Livestock: births in season, deaths, sale and slaughter; hunger for fodder kills and
forces sales; herds above what the land carries are sold down."""
import numpy as np
from numba import njit, prange

from ..core.rng import poisson, uniform
from .common import chunk_bounds, f32, sat8
from ..core.state import MEMBER
from ._jit import kernel


@njit(cache=True, inline="always")
def _one_kind(x, k, key, month, i, death, offtake, birth, starve, distress, hunger, crowd,
              want, buy_rate, rebuild, famished, famine_sales, afford):
    """One kind of animal for one household-month: (head after, sold, dead, bought). A
    household below the herd it wants keeps most of its young stock (offtake times
    `rebuild`) and buys a head now and then (the money test is the caller's; `afford` is
    False when the cash cannot pay for one head, and then no draw is spent on buying)."""
    d = 0
    o = 0
    if x > 0:
        d = poisson(x * (death + starve * hunger), uniform(key, month, i, k))
        d = d if d < x else x
        x -= d
    if x > 0:
        keep = rebuild if x < want else 1.0
        o = poisson(x * (offtake * keep * (1.0 + 3.0 * crowd) + distress * hunger
                         + famine_sales * famished),
                    uniform(key, month, i, 4 + k))
        o = o if o < x else x
        x -= o
    if birth > 0.0 and x > 0:
        x += poisson(x * birth * (1.0 - 0.5 * hunger), uniform(key, month, i, 8 + k))
    # without branches: the draw is made (and not used) also when no purchase is possible
    b = afford & (x < want) & (uniform(key, month, i, 12 + k) < buy_rate * (1.0 - max(hunger, famished)))
    return sat8(x), o, d, b


@njit(cache=True, inline="always")
def _buy(wanted, cash, price, head):
    """(roubles spent, head after): one young animal if it is wanted and the cash left covers
    it. A select, not a branch: a purchase is rare and unpredictable."""
    ok = wanted & (cash >= price)
    return (price if ok else 0.0), sat8(head + np.int64(ok))


@kernel
def breed(n, chunk, key, month, status, region, stratum, land, fed_pct, money,
          horses, cattle, pigs, sheep, birth, death, offtake, price, unit, starve, distress,
          lu_per_ha, want_per_ha, horse_min_land, buy_rate, buy_price, fear, fear_sell, rebuild, hunger_below, hunger_pct,
          famine_sales, acc):
    """birth/death/offtake: monthly rates per head, by kind (horses, cattle, pigs, sheep);
    price: roubles per head sold; unit: livestock units per head.
    acc[c, 0] += roubles from sales; acc[c, 1+kind] += head sold or slaughtered;
    acc[c, 5+kind] += head dead; acc[c, 9] += roubles spent buying animals."""
    nchunks = (n + chunk - 1) // chunk
    for c in prange(nchunks):
        lo, hi = chunk_bounds(c, chunk, n)
        for i0 in range(lo, hi):
            i = np.uint64(i0)   # an unsigned index: no test for a negative one at each access
            if status[i] > MEMBER:
                continue
            r = region[i]
            s = stratum[i]
            # grain is the concentrate of the ration; hay, straw and grazing carry animals
            # through a partial shortfall, so hunger starts below `hunger_below` of the ration
            hunger = 1.0 - np.float64(fed_pct[i]) / 100.0 / hunger_below
            if hunger < 0.0:
                hunger = 0.0
            # a family going hungry eats or sells its animals and buys none
            famished = np.float64(hunger_pct[i]) / 100.0
            h0, c0, p0, s0 = int(horses[i]), int(cattle[i]), int(pigs[i]), int(sheep[i])
            lu = h0 * unit[0] + c0 * unit[1] + p0 * unit[2] + s0 * unit[3]
            crowd = lu / max(np.float64(land[i]) * lu_per_ha, 0.5) - 1.0
            if crowd < 0.0:
                crowd = 0.0
            crowd += fear_sell * np.float64(fear[i])   # selling off before it is taken
            a = np.float64(land[i])
            # members need no horse for a plot; on a small allotment a horse eats more than
            # it earns and the ploughing is hired
            own_farm = 1.0 if status[i] == 0 and a >= horse_min_land else 0.0
            m0 = np.float64(money[i])   # a head it cannot pay for needs no buying draw
            h1, oh, dh, bh = _one_kind(h0, 0, key, month, i, death[0], offtake[0], birth[0],
                                       starve, distress, hunger, crowd,
                                       own_farm * max(1.0, want_per_ha[0] * a), buy_rate, rebuild, famished,
                                       famine_sales, m0 >= buy_price[0])
            c1, oc, dc, bc = _one_kind(c0, 1, key, month, i, death[1], offtake[1], birth[1],
                                       starve, distress, hunger, crowd,
                                       max(1.0, want_per_ha[1] * a), buy_rate, rebuild, famished,
                                       famine_sales, m0 >= buy_price[1])
            p1, op, dp, bp = _one_kind(p0, 2, key, month, i, death[2], offtake[2], birth[2],
                                       starve, distress, hunger, crowd, want_per_ha[2] * a,
                                       buy_rate, rebuild, famished,
                                       famine_sales, m0 >= buy_price[2])
            s1, os_, ds, bs = _one_kind(s0, 3, key, month, i, death[3], offtake[3], birth[3],
                                        starve, distress, hunger, crowd, want_per_ha[3] * a,
                                        buy_rate, rebuild, famished,
                                        famine_sales, m0 >= buy_price[3])
            # buy what the cash allows, most needed first (draught power, then the cow)
            m = m0
            spend = 0.0
            cost, h1 = _buy(bh, m - spend, buy_price[0], h1)
            spend += cost
            cost, c1 = _buy(bc, m - spend, buy_price[1], c1)
            spend += cost
            cost, p1 = _buy(bp, m - spend, buy_price[2], p1)
            spend += cost
            cost, s1 = _buy(bs, m - spend, buy_price[3], s1)
            spend += cost
            if spend > 0.0:
                nm = f32(m - spend)
                money[i] = nm
                acc[c, 9, r, s] += m - nm
            horses[i] = h1
            cattle[i] = c1
            pigs[i] = p1
            sheep[i] = s1
            if (oh | oc | op | os_ | dh | dc | dp | ds) != 0:   # whole head: adding 0 is a no-op
                acc[c, 1, r, s] += oh
                acc[c, 2, r, s] += oc
                acc[c, 3, r, s] += op
                acc[c, 4, r, s] += os_
                acc[c, 5, r, s] += dh
                acc[c, 6, r, s] += dc
                acc[c, 7, r, s] += dp
                acc[c, 8, r, s] += ds
            revenue = oh * price[0] + oc * price[1] + op * price[2] + os_ * price[3]
            if revenue > 0.0:
                m = np.float64(money[i])
                nm = f32(m + revenue)
                money[i] = nm
                acc[c, 0, r, s] += nm - m

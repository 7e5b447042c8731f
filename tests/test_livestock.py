"""Livestock patterns of the NEP village: pigs are slaughtered in the winter, so the summer
herd with its spring litters stands well above the January count; and about three households
in ten keep no horse, because on a small allotment a horse eats more than it earns. Each
pattern appears with its mechanism and fades when the mechanism is switched off, on the same
seed. The small run covers July 1924 - June 1927."""
import numpy as np

EVEN = 4.0 / 12.0   # the four slaughter months take their even share of the year


def herd(ds, kind: str, month: str) -> float:
    return float(ds[kind].sel(time=month).sum())


def summer_over_january(ds) -> float:
    """End-of-June pig herd of 1926 over the end-of-December herd before it (the January
    count of 1926)."""
    return herd(ds, "pigs", "1926-06-01") / herd(ds, "pigs", "1925-12-01")


def horseless_share(ds, month: str) -> float:
    farms = ["bednyak", "serednyak", "kulak"]
    h = ds.horseless.sel(time=month, stratum=farms).sum()
    return float(h / ds.households.sel(time=month, stratum=farms).sum())


def test_winter_slaughter_lifts_the_summer_pig_herd_over_the_january_count(run_small):
    seasonal = run_small()
    even = run_small(params={"livestock.pig_winter_slaughter": EVEN})
    assert summer_over_january(seasonal) > summer_over_january(even) + 0.1, (
        f"summer/January pig herd {summer_over_january(seasonal):.2f} with the slaughter "
        f"season against {summer_over_january(even):.2f} with the offtake spread evenly")
    assert summer_over_january(seasonal) > 1.1


def test_households_on_small_allotments_stay_horseless(run_small):
    base = run_small()
    every_farm_wants_one = run_small(params={"livestock.horse_min_land": 0.0})
    late = "1927-06-01"
    assert 0.25 < horseless_share(base, late) < 0.4, horseless_share(base, late)
    assert horseless_share(every_farm_wants_one, late) < horseless_share(base, late) - 0.05, (
        f"horseless share {horseless_share(every_farm_wants_one, late):.3f} when every farm "
        f"wants a horse against {horseless_share(base, late):.3f}")


def test_the_census_counts_horseless_farms_and_farm_sizes_household_by_household(new_sim):
    sim = new_sim(households=2_000)
    ds = sim.run()
    hh, n = sim.world.hh, sim.world.hh.n
    alive = hh.status[:n] <= 1
    no_horse = alive & (hh.horses[:n] == 0)
    last = ds.time.values[-1]
    assert np.isclose(float(ds.horseless.sel(time=last).sum()),
                      no_horse.sum() * sim.world.weight, rtol=1e-9)
    assert np.isclose(float(ds.horseless_persons.sel(time=last).sum()),
                      hh.persons[:n][no_horse].astype(float).sum() * sim.world.weight,
                      rtol=1e-6)
    sown = hh.sown_winter[:n].astype(float) + hh.sown_spring[:n].astype(float)
    for var, farms in (("farms_sown_under_1ha", alive & (sown < 1.0)),
                       ("farms_sown_over_16ha", alive & (sown > 16.0))):
        assert np.isclose(float(ds[var].sel(time=last).sum()), farms.sum() * sim.world.weight,
                          rtol=1e-9), var

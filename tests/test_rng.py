"""Counter-based random streams: pure functions of their arguments, distinct per stream and
seed, and uniform."""
import numpy as np
import pytest
from numba import njit
from scipy import stats

from smychka.core.rng import Streams, exp_neg, normal, poisson, stream_key, uniform


@njit(cache=False)
def _draws(key, month, slots, j):
    out = np.empty(slots.shape[0])
    for i in range(slots.shape[0]):
        out[i] = uniform(key, month, slots[i], j)
    return out


@njit(cache=False)
def _normals(key, month, n):
    out = np.empty(n)
    for i in range(n):
        out[i] = normal(key, month, i, 0)
    return out


def _u(key, month, slot, j):
    with np.errstate(over="ignore"):
        return uniform(key, month, slot, j)


KEY = stream_key(1, "test.stream")
N = 100_000


def test_a_draw_depends_only_on_its_arguments():
    args = [(KEY, 1926 * 12 + m, slot, j) for m in (0, 5) for slot in (0, 1, 77, 99_999)
            for j in (0, 1, 15)]
    first = [_u(*a) for a in args]
    rng = np.random.default_rng(0)
    order = rng.permutation(len(args))
    # drawn again in another order, with other draws in between
    again = {}
    for k in order:
        _u(stream_key(5, "other"), 3, int(k), 2)
        again[k] = _u(*args[k])
    assert first == [again[k] for k in range(len(args))]
    # inside a compiled loop, over a whole array, and by the pure-Python version
    slots = np.array([a[2] for a in args[:4]], dtype=np.int64)
    np.testing.assert_array_equal(_draws(KEY, args[0][1], slots, 0),
                                  [_u(KEY, args[0][1], int(s), 0) for s in slots])
    with np.errstate(over="ignore"):
        for a in args:
            assert uniform.py_func(*a) == _u(*a), f"compiled and Python draws differ at {a}"


def test_each_argument_changes_the_draw():
    base = _u(KEY, 100, 5, 3)
    for other in (_u(stream_key(1, "test.other"), 100, 5, 3), _u(KEY, 101, 5, 3),
                  _u(KEY, 100, 6, 3), _u(KEY, 100, 5, 4)):
        assert other != base


def test_stream_keys_differ_between_names_and_seeds():
    names = ["harvest.noise", "harvest.weather", "harvest.village", "livestock", "population",
             "a", "b"]
    keys = {(seed, name): stream_key(seed, name) for seed in (0, 1, 2, 2**40) for name in names}
    assert len(set(keys.values())) == len(keys), "two streams share a key"
    assert stream_key(1, "livestock") == stream_key(1, "livestock"), "a key is not stable"
    s = Streams(7)
    assert s["harvest.noise"] == stream_key(7, "harvest.noise")
    assert s.names == ["harvest.noise"]


def test_streams_of_other_names_and_seeds_are_uncorrelated():
    slots = np.arange(N, dtype=np.int64)
    a = _draws(stream_key(1, "x"), 300, slots, 0)
    for other in (_draws(stream_key(1, "y"), 300, slots, 0),
                  _draws(stream_key(2, "x"), 300, slots, 0),
                  _draws(stream_key(1, "x"), 301, slots, 0),
                  _draws(stream_key(1, "x"), 300, slots, 1)):
        r = np.corrcoef(a, other)[0, 1]
        assert abs(r) < 4.5 / np.sqrt(N), f"correlation {r:.4f} between two streams"


@pytest.mark.parametrize("axis", ["slot", "month", "index"])
def test_draws_are_uniform(axis):
    k = np.arange(N, dtype=np.int64)
    if axis == "slot":
        u = _draws(KEY, 1926 * 12, k, 0)
    elif axis == "month":
        u = np.array([_u(KEY, int(m), 3, 0) for m in k[:20_000]])
    else:
        u = np.array([_u(KEY, 1926 * 12, 3, int(j)) for j in k[:2**16]])
    n = len(u)
    assert np.all((u > 0.0) & (u < 1.0)), "a draw falls outside (0, 1)"
    assert abs(u.mean() - 0.5) < 4.5 * np.sqrt(1 / 12 / n), f"mean {u.mean():.5f}"
    assert abs(u.var() - 1 / 12) < 4.5 * np.sqrt(1 / 180 / n), f"variance {u.var():.5f}"
    p = stats.kstest(u, "uniform").pvalue
    assert p > 1e-3, f"KS test rejects uniformity along {axis}: p = {p:.2g}"
    # neighbours are independent
    r = np.corrcoef(u[:-1], u[1:])[0, 1]
    assert abs(r) < 4.5 / np.sqrt(n), f"lag-1 correlation {r:.4f}"


def test_normal_draws_are_standard_normal():
    z = _normals(KEY, 500, N)
    assert abs(z.mean()) < 4.5 / np.sqrt(N)
    assert abs(z.var() - 1.0) < 4.5 * np.sqrt(2.0 / N)
    assert stats.kstest(z, "norm").pvalue > 1e-3


@pytest.mark.parametrize("lam", [0.3, 2.0, 7.5])
def test_poisson_by_inversion_has_the_right_distribution(lam):
    u = _draws(KEY, 77, np.arange(N, dtype=np.int64), 0)
    k = np.array([poisson(lam, x) for x in u[:20_000]])
    assert abs(k.mean() - lam) < 4.5 * np.sqrt(lam / len(k)), f"mean {k.mean():.4f} for {lam}"
    assert abs(k.var() - lam) < 0.1 * lam
    assert poisson(0.0, 0.5) == 0 and poisson(-1.0, 0.99) == 0


def test_inline_exp_is_within_two_units_in_the_last_place():
    """exp_neg (the Poisson draws' exp(-lam), computed inline) against the maths library."""
    rs = np.random.default_rng(3)
    x = np.concatenate([[0.0, 1e-300, 1e-17, 0.5, 1.0, 699.9, 700.0, 700.1, 745.0, 800.0],
                        rs.random(20_000) * 2.0, rs.random(20_000) * 750.0])
    got = np.array([exp_neg(v) for v in x])
    want = np.exp(-x)
    ulp = np.spacing(np.maximum(want, np.finfo(float).tiny))
    assert np.all(np.abs(got - want) <= 2.0 * ulp)
    assert exp_neg(0.0) == 1.0

"""DEA on a large set (above the 800 units the engine settles directly, docs/analytics.md):
every model and super-efficiency against the independent reference LP.

A sample of units is checked against one full-size scipy LP per unit
(tests/analytics/reference_lp.py, which shares no code with the engine); for
super-efficiency every efficient unit is, against an LP over all the others.
"""

import numpy as np
import pytest
from scipy.optimize import linprog

from dangjian.analytics.dea import dea
from tests.analytics.reference_lp import envelopment_scores

N = 1200  # above the large-set threshold (800)
SAMPLE = 40
MODELS = [(rts, orientation) for rts in ("crs", "vrs") for orientation in ("input", "output")]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(2021)
    x = rng.lognormal(mean=2.0, sigma=0.5, size=(N, 2))
    # Outputs grow with the inputs, with noise: a frontier with a few dozen units on it.
    y = np.column_stack([
        x[:, 0] ** 0.7 * rng.lognormal(0.0, 0.3, N),
        (x[:, 0] * x[:, 1]) ** 0.4 * rng.lognormal(0.0, 0.3, N),
    ])
    sample = rng.choice(N, size=SAMPLE, replace=False)
    return x, y, sample


@pytest.mark.parametrize(("rts", "orientation"), MODELS, ids=[f"{r}-{o}" for r, o in MODELS])
def test_large_set_scores_match_the_reference_lp(data, rts, orientation):
    x, y, sample = data
    result = dea(inputs=x, outputs=y, rts=rts, orientation=orientation, slacks=False)
    expected = envelopment_scores(x, y, rts=rts, orientation=orientation, evaluate=sample)
    np.testing.assert_allclose(result.scores[sample], expected, rtol=1e-6, atol=1e-7)
    if orientation == "input":
        assert np.all(result.scores <= 1 + 1e-9)
    else:
        assert np.all(result.scores >= 1 - 1e-9)
    np.testing.assert_allclose(result.efficiency, result.scores if orientation == "input" else 1 / result.scores)


def super_reference(x, y, o, *, rts, orientation) -> float:
    """Andersen-Petersen: the envelopment LP for unit o over every other unit; NaN if infeasible."""
    others = np.delete(np.arange(x.shape[0]), o)
    xr, yr = x[others], y[others]
    n, m, s = xr.shape[0], x.shape[1], y.shape[1]
    extra = {"A_eq": np.concatenate([[0.0], np.ones(n)])[None, :], "b_eq": [1.0]} if rts == "vrs" else {}
    if orientation == "input":
        c = np.concatenate([[1.0], np.zeros(n)])
        a_ub = np.vstack([np.hstack([-x[o][:, None], xr.T]), np.hstack([np.zeros((s, 1)), -yr.T])])
        b_ub = np.concatenate([np.zeros(m), -y[o]])
    else:
        c = np.concatenate([[-1.0], np.zeros(n)])
        a_ub = np.vstack([np.hstack([np.zeros((m, 1)), xr.T]), np.hstack([y[o][:, None], -yr.T])])
        b_ub = np.concatenate([x[o], np.zeros(s)])
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=[(None, None)] + [(0, None)] * n, method="highs", **extra)
    if res.status == 2:
        return np.nan
    assert res.status == 0, res.message
    return res.x[0]


@pytest.mark.parametrize(("rts", "orientation"), MODELS, ids=[f"{r}-{o}" for r, o in MODELS])
def test_large_set_super_efficiency_matches_the_reference_lp(data, rts, orientation):
    x, y, sample = data
    result = dea(inputs=x, outputs=y, rts=rts, orientation=orientation, slacks=False, super_efficiency=True)
    efficient = np.flatnonzero(np.abs(result.efficiency - 1.0) <= 1e-9)
    assert 3 <= efficient.size < N // 10
    expected = np.array([super_reference(x, y, o, rts=rts, orientation=orientation) for o in efficient])
    got = result.super_scores[efficient]
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    np.testing.assert_array_equal(result.super_infeasible[efficient], np.isnan(expected))
    ok = ~np.isnan(expected)
    np.testing.assert_allclose(got[ok], expected[ok], rtol=1e-6, atol=1e-7)
    # Inefficient units keep their radial score.
    inefficient = np.setdiff1d(sample, efficient)
    np.testing.assert_allclose(result.super_scores[inefficient], result.scores[inefficient])


def test_a_frontier_larger_than_the_directly_settled_size_is_completed() -> None:
    """1,200 units on the isoquant x₁·x₂ = 1 (one output of 1): every one is an extreme point of the frontier,
    so each scores exactly 1 (by hand: no mix of the others uses less of both inputs). The sample's frontier
    (800 units) leaves 400 outside, and completing it recurses on 1,200 candidates, above the 800 the engine
    settles directly: the path where a recursion that stopped at its own sample's frontier would leave
    frontier units out of the reference set (they then score above 1)."""
    a = np.linspace(0.2, 5.0, 1_200)
    x, y = np.column_stack([a, 1.0 / a]), np.ones((a.size, 1))
    result = dea(inputs=x, outputs=y, rts="crs", orientation="input", slacks=False)
    np.testing.assert_allclose(result.scores, 1.0, atol=1e-9)

"""Independent DEA solvers for cross-checks: one full-size scipy LP per DMU.

These share no code with dangjian.analytics.  The multiplier (ratio) form is
the dual of the envelopment form the package solves, so agreement between
the two is a real check, not a restatement.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog


def multiplier_scores(x: np.ndarray, y: np.ndarray, *, rts: str, orientation: str) -> np.ndarray:
    """Scores from the multiplier form (CCR 1978 / BCC 1984), theta or phi like Benchmarking.

    input:  max u.y_o + u0  s.t. v.x_o = 1,  u.y_j - v.x_j + u0 <= 0,  u, v >= 0
    output: min v.x_o + v0  s.t. u.y_o = 1,  u.y_j - v.x_j - v0 <= 0,  u, v >= 0
    (u0, v0 free under VRS, zero under CRS).
    """
    n, m = x.shape
    s = y.shape[1]
    scores = np.empty(n)
    free = [(None, None)] if rts == "vrs" else [(0, 0)]
    bounds = [(0, None)] * (m + s) + free
    for o in range(n):
        if orientation == "input":
            # variables v (m), u (s), u0
            c = -np.concatenate([np.zeros(m), y[o], [1.0]])
            a_ub = np.hstack([-x, y, np.ones((n, 1))])
            a_eq = np.concatenate([x[o], np.zeros(s), [0.0]])[None, :]
            res = linprog(c, A_ub=a_ub, b_ub=np.zeros(n), A_eq=a_eq, b_eq=[1.0],
                          bounds=bounds, method="highs")
            scores[o] = -res.fun
        else:
            # variables v (m), u (s), v0
            c = np.concatenate([x[o], np.zeros(s), [1.0]])
            a_ub = np.hstack([-x, y, -np.ones((n, 1))])
            a_eq = np.concatenate([np.zeros(m), y[o], [0.0]])[None, :]
            res = linprog(c, A_ub=a_ub, b_ub=np.zeros(n), A_eq=a_eq, b_eq=[1.0],
                          bounds=bounds, method="highs")
            scores[o] = res.fun
        assert res.status == 0, res.message
    return scores


def envelopment_scores(
    x: np.ndarray, y: np.ndarray, *, rts: str, orientation: str, evaluate: np.ndarray | None = None
) -> np.ndarray:
    """The textbook loop: the envelopment LP over all n DMUs, once per evaluated DMU."""
    n, m = x.shape
    s = y.shape[1]
    which = np.arange(n) if evaluate is None else np.asarray(evaluate)
    scores = np.empty(which.size)
    extra = {}
    if rts == "vrs":
        extra = {"A_eq": np.concatenate([[0.0], np.ones(n)])[None, :], "b_eq": [1.0]}
    for pos, o in enumerate(which):
        if orientation == "input":
            c = np.concatenate([[1.0], np.zeros(n)])
            a_ub = np.vstack([np.hstack([-x[o][:, None], x.T]), np.hstack([np.zeros((s, 1)), -y.T])])
            b_ub = np.concatenate([np.zeros(m), -y[o]])
        else:
            c = np.concatenate([[-1.0], np.zeros(n)])
            a_ub = np.vstack([np.hstack([np.zeros((m, 1)), x.T]), np.hstack([y[o][:, None], -y.T])])
            b_ub = np.concatenate([x[o], np.zeros(s)])
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=[(None, None)] + [(0, None)] * n,
                      method="highs", **extra)
        assert res.status == 0, res.message
        scores[pos] = res.x[0]
    return scores


def envelopment_two_phase(
    x: np.ndarray, y: np.ndarray, *, rts: str, orientation: str, evaluate: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Scores, then the largest total slack at that score: two full-size LPs per DMU.

    The second phase maximises sum(slack_i / mean of column i), the
    units-invariant total (the engine's convention).  Returns scores,
    input slacks, output slacks and lambdas (one row per evaluated DMU, all
    in the data's units).
    """
    n, m = x.shape
    s = y.shape[1]
    which = np.arange(n) if evaluate is None else np.asarray(evaluate)
    scores = envelopment_scores(x, y, rts=rts, orientation=orientation, evaluate=which)
    weights = np.concatenate([1.0 / x.mean(axis=0), 1.0 / y.mean(axis=0)])
    c = np.concatenate([np.zeros(n), -weights])
    a_eq = np.vstack([np.hstack([x.T, np.eye(m), np.zeros((m, s))]),
                      np.hstack([y.T, np.zeros((s, m)), -np.eye(s)])])
    if rts == "vrs":
        a_eq = np.vstack([a_eq, np.concatenate([np.ones(n), np.zeros(m + s)])])
    slack_in = np.empty((which.size, m))
    slack_out = np.empty((which.size, s))
    lam = np.empty((which.size, n))
    for pos, o in enumerate(which):
        if orientation == "input":
            b = np.concatenate([scores[pos] * x[o], y[o]])
        else:
            b = np.concatenate([x[o], scores[pos] * y[o]])
        if rts == "vrs":
            b = np.append(b, 1.0)
        res = linprog(c, A_eq=a_eq, b_eq=b, bounds=[(0, None)] * (n + m + s), method="highs")
        assert res.status == 0, res.message
        lam[pos] = res.x[:n]
        slack_in[pos] = res.x[n : n + m]
        slack_out[pos] = res.x[n + m :]
    return scores, slack_in, slack_out, lam


def super_efficiency_scores(
    x: np.ndarray, y: np.ndarray, *, rts: str, orientation: str, evaluate: np.ndarray
) -> np.ndarray:
    """Andersen-Petersen: each DMU against all the others; NaN where that LP is infeasible."""
    out = np.empty(len(evaluate))
    for pos, o in enumerate(evaluate):
        others = np.delete(np.arange(x.shape[0]), o)
        xx = np.vstack([x[o], x[others]])
        yy = np.vstack([y[o], y[others]])
        n = xx.shape[0]
        m, s = x.shape[1], y.shape[1]
        extra = {}
        if rts == "vrs":
            extra = {"A_eq": np.concatenate([[0.0, 0.0], np.ones(n - 1)])[None, :], "b_eq": [1.0]}
        # Columns: t, then the other DMUs (row 0 of xx/yy is the evaluated DMU).
        if orientation == "input":
            c = np.concatenate([[1.0], np.zeros(n)])
            a_ub = np.vstack([np.hstack([-xx[0][:, None], np.zeros((m, 1)), xx[1:].T]),
                              np.hstack([np.zeros((s, 2)), -yy[1:].T])])
            b_ub = np.concatenate([np.zeros(m), -yy[0]])
        else:
            c = np.concatenate([[-1.0], np.zeros(n)])
            a_ub = np.vstack([np.hstack([np.zeros((m, 2)), xx[1:].T]),
                              np.hstack([yy[0][:, None], np.zeros((s, 1)), -yy[1:].T])])
            b_ub = np.concatenate([xx[0], np.zeros(s)])
        bounds = [(None, None), (0, 0)] + [(0, None)] * (n - 1)
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs", **extra)
        out[pos] = res.x[0] if res.status == 0 else np.nan
        assert res.status in (0, 2), res.message
    return out

"""Radial DEA scores for many DMUs without one full-size LP per DMU.

Two ideas keep large problems fast while every reported score stays an exact
LP optimum:

1. *Frontier first* (the subsample-then-verify scheme of Khezrimotlagh, Zhu,
   Cook & Toloo, EJOR 2019): find a small reference set R whose technology
   T(R) equals the technology of all DMUs, by solving a random subsample
   recursively and then adding every DMU that the subsample's frontier does not
   envelop.  Any DMU that is extreme-efficient in the full set lies outside
   T(sample) and is therefore added, so one verification pass suffices.

2. *Certified bases instead of LP solves*: the envelopment LP of a DMU against
   R has only m+s(+1) rows.  An optimal basis B of one DMU's LP fixes a facet
   w of the frontier (w is orthogonal to B's columns other than the score).
   For another DMU o the facet gives a dual-feasible solution, hence a bound on
   its score, and B(o)^-1 b(o) >= 0 gives a primal-feasible one with the same
   value; both together prove optimality.  Most DMUs are certified with a few
   numpy products; only the rest go to HiGHS, whose bases add new facets.

Notation (all min problems, c_t = +1 input, -1 output orientation):
    min c_t * t   s.t.  t * tcol(o) + A lam >= rhs(o)   (rows 0..m+s-1)
                        sum(lam) = 1                    (VRS only)
input:  A = [-X; Y],  tcol = [x_o; 0],  rhs = [0; y_o]
output: A = [-X; Y],  tcol = [0; -y_o], rhs = [-x_o; 0]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._lp import INF, DenseLP

# Feasibility and optimality tolerances on data scaled to column means of 1.
_PRIMAL_TOL = 1e-9
_DUAL_TOL = 1e-9
_EFFICIENT_TOL = 1e-9
_CHUNK = 2048
_LP_BATCH = 24


@dataclass(frozen=True)
class Model:
    rts: str  # "crs" or "vrs"
    orientation: str  # "input" or "output"

    @property
    def vrs(self) -> bool:
        return self.rts == "vrs"

    @property
    def input(self) -> bool:
        return self.orientation == "input"


def structure(x: np.ndarray, y: np.ndarray, model: Model) -> np.ndarray:
    """The fixed constraint columns A (rows x DMUs) of the envelopment LP."""
    parts = [-x.T, y.T]
    if model.vrs:
        parts.append(np.ones((1, x.shape[0])))
    return np.vstack(parts)


def score_columns(x: np.ndarray, y: np.ndarray, model: Model) -> tuple[np.ndarray, np.ndarray]:
    """tcol(o) and rhs(o) for every DMU as (n x rows) arrays."""
    n, m = x.shape
    s = y.shape[1]
    rows = m + s + (1 if model.vrs else 0)
    tcol = np.zeros((n, rows))
    rhs = np.zeros((n, rows))
    if model.input:
        tcol[:, :m] = x
        rhs[:, m : m + s] = y
    else:
        tcol[:, m : m + s] = -y
        rhs[:, :m] = -x
    if model.vrs:
        rhs[:, -1] = 1.0
    return tcol, rhs


@dataclass
class ScoreOutcome:
    """Scores against a reference set; ``feasible`` is False where the LP has no solution."""

    t: np.ndarray
    feasible: np.ndarray
    # Per DMU: indices into the reference set and their lambda values.
    peers: list[np.ndarray] = field(default_factory=list)
    weights: list[np.ndarray] = field(default_factory=list)
    lp_solves: int = 0


class Scorer:
    """Scores any points against the technology spanned by a reference set."""

    def __init__(self, xr: np.ndarray, yr: np.ndarray, model: Model) -> None:
        self.model = model
        self.m = xr.shape[1]
        self.s = yr.shape[1]
        self.k = xr.shape[0]
        self.a = structure(xr, yr, model)
        self.rows = self.a.shape[0]
        self.ineq = self.m + self.s
        # Facets, stored in growing arrays so a whole batch can be checked with
        # one einsum: normal w, basis columns, their pseudo-inverse, and the
        # basic variables (lambda index, or -1-row for a surplus).
        self.count = 0
        self._w = np.empty((64, self.rows))
        self._cols = np.empty((64, self.rows, self.rows - 1))
        self._pinv = np.empty((64, self.rows - 1, self.rows))
        self.basic: list[np.ndarray] = []
        self._ids: dict[bytes, int] = {}
        self._lp = self._build_lp()

    @property
    def _changing(self) -> np.ndarray:
        if self.model.input:
            return np.arange(self.m)
        return np.arange(self.m, self.ineq)

    def _build_lp(self) -> DenseLP:
        rows, k = self.rows, self.k
        a = np.hstack([np.zeros((rows, 1)), self.a])
        # Placeholders so the entries of column t that change per DMU exist
        # in the sparse pattern; every solve overwrites them.
        a[self._changing, 0] = 1.0
        cost = np.zeros(k + 1)
        cost[0] = 1.0 if self.model.input else -1.0
        row_lower = np.zeros(rows)
        row_upper = np.full(rows, INF)
        if self.model.vrs:
            row_lower[-1] = row_upper[-1] = 1.0
        col_lower = np.zeros(k + 1)
        col_lower[0] = -INF
        return DenseLP(
            cost=cost, a=a, row_lower=row_lower, row_upper=row_upper,
            col_lower=col_lower, col_upper=np.full(k + 1, INF),
        )

    # -- facets -------------------------------------------------------------

    def _add_facet(self, basic: np.ndarray) -> int:
        """The facet of an optimal basis (t basic plus rows-1 others), or -1."""
        if 0 not in basic:
            return -1
        lam = np.sort(basic[basic > 0]) - 1
        surplus = np.sort(-1 - basic[basic < 0])
        surplus = surplus[surplus < self.ineq]
        if len(lam) + len(surplus) != self.rows - 1:
            return -1
        key = np.concatenate([lam, -1 - surplus]).astype(np.int64)
        digest = key.tobytes()
        if digest in self._ids:
            return self._ids[digest]
        cols = np.hstack([self.a[:, lam], -np.eye(self.rows)[:, surplus]])
        u, sing, vt = np.linalg.svd(cols, full_matrices=True)
        if sing[-1] < 1e-10 * sing[0]:
            return -1  # singular basis: no unique facet
        w = u[:, -1]
        if w[: self.ineq].sum() < 0:
            w = -w
        w = w / np.abs(w).max()
        if (w[: self.ineq] < -_DUAL_TOL).any() or (w @ self.a > _DUAL_TOL).any():
            return -1
        if self.count == len(self._w):
            self._w = np.concatenate([self._w, np.empty_like(self._w)])
            self._cols = np.concatenate([self._cols, np.empty_like(self._cols)])
            self._pinv = np.concatenate([self._pinv, np.empty_like(self._pinv)])
        f = self.count
        self._w[f] = w
        self._cols[f] = cols
        self._pinv[f] = (vt.T / sing) @ u[:, : self.rows - 1].T
        self.basic.append(key)
        self._ids[digest] = f
        self.count += 1
        return f

    def _try_facets(self, facets, tcol, rhs):
        """Certify each point with its candidate facet; returns (ok, t, z)."""
        w = self._w[facets]
        den = np.einsum("ij,ij->i", tcol, w)
        num = np.einsum("ij,ij->i", rhs, w)
        applies = den > 1e-12 if self.model.input else den < -1e-12
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(applies, num / np.where(applies, den, 1.0), np.nan)
        resid = rhs - t[:, None] * tcol
        z = np.einsum("ijk,ik->ij", self._pinv[facets], resid)
        recon = np.einsum("ijk,ik->ij", self._cols[facets], z)
        ok = applies & (z >= -_PRIMAL_TOL).all(axis=1)
        ok &= (np.abs(recon - resid) <= 1e-8 * (1.0 + np.abs(resid))).all(axis=1)
        return ok, t, z

    def _best_facets(self, tcol: np.ndarray, rhs: np.ndarray) -> np.ndarray:
        """For each point, the facet with the tightest dual bound."""
        w = self._w[: self.count]
        step = max(1, 4_000_000 // self.count)
        best = np.empty(tcol.shape[0], dtype=int)
        for lo in range(0, tcol.shape[0], step):
            den = tcol[lo : lo + step] @ w.T
            num = rhs[lo : lo + step] @ w.T
            with np.errstate(divide="ignore", invalid="ignore"):
                if self.model.input:
                    val = np.where(den > 1e-12, num / den, -np.inf)
                    best[lo : lo + step] = val.argmax(axis=1)
                else:
                    val = np.where(den < -1e-12, num / den, np.inf)
                    best[lo : lo + step] = val.argmin(axis=1)
        return best

    # -- scoring ------------------------------------------------------------

    def _embed(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Coordinates in which DMUs with the same optimal facet sit close together."""
        if self.model.input:
            norm = x.sum(axis=1, keepdims=True)
            return np.hstack([x / norm, y / norm if not self.model.vrs else y])
        norm = y.sum(axis=1, keepdims=True)
        return np.hstack([x / norm if not self.model.vrs else x, y / norm])

    def score(self, x: np.ndarray, y: np.ndarray, *, want_peers: bool = False) -> ScoreOutcome:
        from scipy.spatial import cKDTree

        tcol, rhs = score_columns(x, y, self.model)
        emb = self._embed(x, y)
        n = x.shape[0]
        out = ScoreOutcome(np.full(n, np.nan), np.ones(n, dtype=bool))
        facet_of = np.full(n, -1)
        z_of = np.zeros((n, self.rows - 1))
        order = np.random.default_rng(12345).permutation(n)
        done: list[np.ndarray] = []
        tree = None
        tree_facets = np.empty(0, dtype=int)
        tree_size = 0
        pos = 0
        batch = 64
        neighbours = 4
        while pos < n:
            ids = order[pos : pos + batch]
            pos += ids.size
            pending = np.ones(ids.size, dtype=bool)
            if tree is not None:
                k = min(neighbours, tree_size)
                _, near = tree.query(emb[ids], k=k)
                near = near.reshape(ids.size, k)
                cand = tree_facets[near]
                for c in range(k):
                    rows = np.flatnonzero(pending & (cand[:, c] >= 0))
                    if rows.size == 0:
                        continue
                    ok, t, z = self._try_facets(cand[rows, c], tcol[ids[rows]], rhs[ids[rows]])
                    good = rows[ok]
                    out.t[ids[good]] = t[ok]
                    facet_of[ids[good]] = cand[good, c]
                    z_of[ids[good]] = z[ok]
                    pending[good] = False
            rows = np.flatnonzero(pending)
            if rows.size and self.count:
                # The neighbours' facets did not fit: the best bound over all
                # facets is the likeliest optimal one.
                best = self._best_facets(tcol[ids[rows]], rhs[ids[rows]])
                ok, t, z = self._try_facets(best, tcol[ids[rows]], rhs[ids[rows]])
                good = rows[ok]
                out.t[ids[good]] = t[ok]
                facet_of[ids[good]] = best[ok]
                z_of[ids[good]] = z[ok]
                pending[good] = False
            for r in np.flatnonzero(pending):
                self._solve_one(ids[r], tcol[ids[r]], rhs[ids[r]], out, facet_of, z_of)
            done.append(ids)
            solved = np.concatenate(done)
            solved = solved[facet_of[solved] >= 0]
            if solved.size and (tree is None or solved.size > 1.5 * tree_size):
                tree = cKDTree(emb[solved])
                tree_facets = facet_of[solved]
                tree_size = solved.size
            batch = min(4096, batch * 2)
        if want_peers:
            out.peers = [np.empty(0, dtype=int)] * n
            out.weights = [np.empty(0)] * n
            for i in range(n):
                f = facet_of[i]
                if f < 0:
                    continue
                key = self.basic[f]
                lam_pos = np.flatnonzero(key >= 0)
                keep = z_of[i, lam_pos] > _PRIMAL_TOL
                out.peers[i] = key[lam_pos][keep]
                out.weights[i] = z_of[i, lam_pos][keep]
            for i, (peers, weights) in self._lp_peers.items():
                out.peers[i] = peers
                out.weights[i] = weights
        return out

    def _solve_one(self, i, tcol, rhs, out, facet_of, z_of) -> None:
        lp = self._lp
        for r in self._changing:
            lp.set_coefficient(r, 0, tcol[r])
        rows = np.arange(self.ineq)
        lp.set_row_bounds(rows, rhs[: self.ineq], np.full(self.ineq, INF))
        sol = lp.solve(want_basis=True)
        out.lp_solves += 1
        if not sol.optimal:
            out.feasible[i] = False
            return
        out.t[i] = sol.x[0]
        f = self._add_facet(sol.basic)
        if f >= 0:
            ok, _, z = self._try_facets(np.array([f]), tcol[None, :], rhs[None, :])
            if ok[0]:
                facet_of[i] = f
                z_of[i] = z[0]
                return
        lam = sol.x[1:]
        keep = np.flatnonzero(lam > _PRIMAL_TOL)
        self._lp_peers[i] = (keep, lam[keep])

    @property
    def _lp_peers(self) -> dict:
        if not hasattr(self, "_lp_peer_store"):
            self._lp_peer_store: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        return self._lp_peer_store


def _outside(outcome: ScoreOutcome, model: Model) -> np.ndarray:
    """Points the reference technology does not contain (score beyond 1)."""
    if model.input:
        beyond = outcome.t > 1.0 + _EFFICIENT_TOL
    else:
        beyond = outcome.t < 1.0 - _EFFICIENT_TOL
    return beyond | ~outcome.feasible


def _on_frontier(outcome: ScoreOutcome, model: Model) -> np.ndarray:
    if model.input:
        return outcome.feasible & (outcome.t >= 1.0 - _EFFICIENT_TOL)
    return outcome.feasible & (outcome.t <= 1.0 + _EFFICIENT_TOL)


def generators(
    x: np.ndarray, y: np.ndarray, model: Model, *, base: int = 1500, seed: int = 0
) -> np.ndarray:
    """Indices R with T(R) = T(all DMUs): every extreme-efficient DMU and a few more."""
    rng = np.random.default_rng(seed)
    return _generators(x, y, model, np.arange(x.shape[0]), base, rng)


def _generators(x, y, model, idx, base, rng) -> np.ndarray:
    n = idx.size
    if n <= base:
        outcome = Scorer(x[idx], y[idx], model).score(x[idx], y[idx])
        return idx[_on_frontier(outcome, model)]
    sample = np.sort(rng.choice(idx, size=max(base, n // 8), replace=False))
    r0 = _generators(x, y, model, sample, base, rng)
    outcome = Scorer(x[r0], y[r0], model).score(x[idx], y[idx])
    outside = idx[_outside(outcome, model)]
    if outside.size == 0:
        return r0
    candidates = np.union1d(r0, outside)
    if candidates.size >= n:
        # Nothing to gain from recursing: settle this set directly.
        outcome = Scorer(x[idx], y[idx], model).score(x[idx], y[idx])
        return idx[_on_frontier(outcome, model)]
    return _generators(x, y, model, candidates, base, rng)


def scale_columns(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Divide every column by its mean: radial scores do not change, conditioning does."""
    sx = x.mean(axis=0)
    sy = y.mean(axis=0)
    return x / sx, y / sy, sx, sy


def radial_scores(
    x: np.ndarray, y: np.ndarray, model: Model, *, want_peers: bool = False
) -> tuple[ScoreOutcome, np.ndarray]:
    """Exact radial scores of all DMUs (already scaled) and the reference set used."""
    ref = generators(x, y, model)
    outcome = Scorer(x[ref], y[ref], model).score(x, y, want_peers=want_peers)
    if want_peers:
        outcome.peers = [ref[p] for p in outcome.peers]
    return outcome, ref


def max_slacks(
    x: np.ndarray,
    y: np.ndarray,
    ref: np.ndarray,
    model: Model,
    scores: np.ndarray,
    slack_weights: tuple[np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """Second phase: the largest total slack at the first-phase score.

    Only the reference set is needed: T(ref) is the whole technology, so the
    set of attainable slack vectors is the same.  ``slack_weights`` turns the
    scaled slacks back into original units so the sum maximised is the
    textbook one.
    """
    n, m = x.shape
    s = y.shape[1]
    k = ref.size
    xr, yr = x[ref], y[ref]
    parts = [np.hstack([xr.T, np.eye(m), np.zeros((m, s))]),
             np.hstack([yr.T, np.zeros((s, m)), -np.eye(s)])]
    if model.vrs:
        parts.append(np.hstack([np.ones((1, k)), np.zeros((1, m + s))]))
    a = np.vstack(parts)
    rows = a.shape[0]
    cost = -np.concatenate([np.zeros(k), slack_weights[0], slack_weights[1]])
    bounds = np.zeros(rows)
    if model.vrs:
        bounds[-1] = 1.0
    lp = DenseLP(cost=cost, a=a, row_lower=bounds, row_upper=bounds,
                 col_lower=np.zeros(k + m + s), col_upper=np.full(k + m + s, INF))
    sx = np.zeros((n, m))
    sy = np.zeros((n, s))
    peers: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    idx = np.arange(m + s)
    for o in range(n):
        if model.input:
            target = np.concatenate([scores[o] * x[o], y[o]])
        else:
            target = np.concatenate([x[o], scores[o] * y[o]])
        lp.set_row_bounds(idx, target, target)
        sol = lp.solve()
        if not sol.optimal:
            sx[o] = sy[o] = np.nan
            peers.append(np.empty(0, dtype=int))
            weights.append(np.empty(0))
            continue
        lam = sol.x[:k]
        keep = np.flatnonzero(lam > _PRIMAL_TOL)
        peers.append(ref[keep])
        weights.append(lam[keep])
        sx[o] = np.maximum(sol.x[k : k + m], 0.0)
        sy[o] = np.maximum(sol.x[k + m :], 0.0)
    return sx, sy, peers, weights


def super_scores(
    x: np.ndarray, y: np.ndarray, ref: np.ndarray, model: Model, candidates: np.ndarray
) -> np.ndarray:
    """Andersen-Petersen scores for ``candidates``; NaN where the LP is infeasible.

    Each DMU is scored against the others by column generation: start from the
    reference set without the DMU, then add any DMU whose reduced cost the
    optimal duals make negative, until none is left (then the LP over all
    other DMUs is solved).  Infeasible restricted LPs are re-solved over all
    other DMUs before they are reported as infeasible.
    """
    a_all = structure(x, y, model)
    tcol, rhs = score_columns(x, y, model)
    result = np.full(candidates.size, np.nan)
    n = x.shape[0]
    for pos, o in enumerate(candidates):
        cols = ref[ref != o]
        while True:
            value, dual = _solve_single(a_all[:, cols], tcol[o], rhs[o], model)
            if value is None:
                if cols.size == n - 1:
                    break
                cols = np.setdiff1d(np.arange(n), [o])
                continue
            reduced = -(dual @ a_all)
            reduced[o] = 0.0
            reduced[cols] = 0.0
            enter = np.flatnonzero(reduced < -_DUAL_TOL)
            if enter.size == 0:
                result[pos] = value
                break
            enter = enter[np.argsort(reduced[enter])[:200]]
            cols = np.union1d(cols, enter)
        # else: stays NaN (infeasible even against every other DMU)
    return result


def _solve_single(a: np.ndarray, tcol: np.ndarray, rhs: np.ndarray, model: Model):
    rows, k = a.shape
    full = np.hstack([tcol[:, None], a])
    cost = np.zeros(k + 1)
    cost[0] = 1.0 if model.input else -1.0
    lower = rhs.copy()
    upper = np.full(rows, INF)
    if model.vrs:
        upper[-1] = 1.0
    col_lower = np.zeros(k + 1)
    col_lower[0] = -INF
    lp = DenseLP(cost=cost, a=full, row_lower=lower, row_upper=upper,
                 col_lower=col_lower, col_upper=np.full(k + 1, INF))
    sol = lp.solve()
    if not sol.optimal:
        return None, None
    return sol.x[0], sol.row_dual

"""Radial DEA scores for many DMUs without one full-size LP per DMU.

Every reported score is a proven LP optimum; the speed comes from solving
smaller and fewer LPs:

1. *Frontier first* (the subsample-then-verify scheme of Khezrimotlagh, Zhu,
   Cook & Toloo, EJOR 2019): find a small reference set R whose technology
   T(R) equals the technology of all DMUs, by solving a random subsample
   recursively and then adding every DMU that the subsample's frontier does not
   envelop.  Any DMU that is extreme-efficient in the full set lies outside
   T(sample), so one verification pass finds them all.

2. *Bases from neighbours, pivoted in bulk*: the envelopment LP of a DMU
   against R has only m+s(+1) rows.  An optimal basis of one DMU is a facet of
   the frontier, hence a dual-feasible basis for every DMU it applies to.  Each
   DMU starts from a nearby solved DMU's basis and a dual simplex written in
   numpy pivots a whole chunk of DMUs at once.  A basis is accepted only when
   it is primal feasible and no reduced cost over every column of R is
   negative, which proves optimality.  HiGHS solves the seeds and stragglers.

Notation (all min problems, c_t = +1 input, -1 output orientation):
    min c_t * t   s.t.  t * tcol(o) + A lam >= rhs(o)   (rows 0..m+s-1)
                        sum(lam) = 1                    (VRS only)
input:  A = [-X; Y],  tcol = [x_o; 0],  rhs = [0; y_o]
output: A = [-X; Y],  tcol = [0; -y_o], rhs = [-x_o; 0]
Surplus variables (columns -e_i) turn the inequalities into equations.
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
# Sets this small are settled directly (every DMU against all of them).
_BASE = 800
# Share of a large set solved first, recursively, to find most of the frontier.
_SAMPLE = 0.06
# Columns priced per DMU in the cheap dual simplex pass.
_CANDIDATES = 128


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
    #: Optimal dual of each DMU as a facet normal (rows wide), NaN where unknown.
    normals: np.ndarray | None = None


class Scorer:
    """Scores any points against the technology spanned by a reference set.

    Every optimal basis found is a facet of the frontier, hence a dual-feasible
    starting basis for any other DMU it applies to.  Each DMU starts from the
    basis of its nearest already-solved neighbour and a batched dual simplex
    (numpy, all DMUs of a chunk at once) pivots to its own optimum, usually in
    zero to three pivots.  HiGHS solves the few seeds and any stragglers.
    """

    def __init__(self, xr: np.ndarray, yr: np.ndarray, model: Model) -> None:
        self.model = model
        self.m = xr.shape[1]
        self.s = yr.shape[1]
        self.k = xr.shape[0]
        self.a = structure(xr, yr, model)
        self.rows = self.a.shape[0]
        self.ineq = self.m + self.s
        # Every column but t: the reference DMUs, then one surplus per inequality row.
        self.cols = np.hstack([self.a, -np.eye(self.rows)[:, : self.ineq]])
        self.c_t = 1.0 if model.input else -1.0
        self._lp = self._build_lp()
        # Lambdas of DMUs whose HiGHS basis could not be reused as a facet.
        self._lp_lambda: dict[int, np.ndarray] = {}

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
        cost[0] = self.c_t
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

    def _embed(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Coordinates in which DMUs with the same optimal facet sit close together."""
        if self.model.input:
            norm = x.sum(axis=1, keepdims=True)
            return np.hstack([x / norm, y if self.model.vrs else y / norm])
        norm = y.sum(axis=1, keepdims=True)
        return np.hstack([x if self.model.vrs else x / norm, y / norm])

    def score(self, x: np.ndarray, y: np.ndarray, *, want_peers: bool = False) -> ScoreOutcome:
        from scipy.spatial import cKDTree

        tcol, rhs = score_columns(x, y, self.model)
        n = x.shape[0]
        r = self.rows
        out = ScoreOutcome(np.full(n, np.nan), np.ones(n, dtype=bool))
        state = _BasisState(
            keys=np.full((n, r - 1), -1), xb=np.zeros((n, r)), w=np.zeros((n, r)),
            has=np.zeros(n, dtype=bool),
        )
        emb = self._embed(x, y)
        order = np.random.default_rng(12345).permutation(n)
        seeds = order[: min(n, 16)]
        for i in seeds:
            self._solve_highs(i, tcol, rhs, out, state)
        pos = seeds.size
        tree = None
        tree_ids = np.empty(0, dtype=int)
        batch = 256
        while pos < n:
            if tree is None or np.count_nonzero(state.has) > 1.5 * tree_ids.size:
                tree_ids = np.flatnonzero(state.has)
                tree = cKDTree(emb[tree_ids]) if tree_ids.size else None
            ids = order[pos : pos + batch]
            pos += ids.size
            batch = min(_CHUNK, batch * 2)
            start = np.full(ids.size, -1)
            if tree is not None:
                near_k = min(4, tree_ids.size)
                _, near = tree.query(emb[ids], k=near_k)
                near = tree_ids[np.asarray(near).reshape(ids.size, near_k)]
                # Of the neighbours' facets that apply, start from the one whose
                # dual bound is tightest: fewest pivots left.
                best = np.full(ids.size, -np.inf)
                for c in range(near_k):
                    cand = near[:, c]
                    den = np.einsum("ij,ij->i", tcol[ids], state.w[cand])
                    num = np.einsum("ij,ij->i", rhs[ids], state.w[cand])
                    fits = self.c_t * den > 1e-12
                    with np.errstate(divide="ignore", invalid="ignore"):
                        bound = np.where(fits, self.c_t * num / den, -np.inf)
                    better = fits & (bound > best)
                    start[better] = cand[better]
                    best[better] = bound[better]
            go = ids[start >= 0]
            first = state.keys[start[start >= 0]]
            cand = self._candidates(state.w[start[start >= 0]])
            left = self._dual_simplex(go, first, tcol, rhs, out, state, candidates=cand)
            if cand is not None and left.size:
                # Misses of the cheap pass start over with every column priced.
                left = left[self._dual_simplex(go[left], first[left], tcol, rhs, out, state)]
            for i in np.concatenate([ids[start < 0], go[left]]):
                self._solve_highs(i, tcol, rhs, out, state)
        if want_peers:
            out.peers, out.weights = self._peers(state)
        out.normals = np.where(state.has[:, None], state.w, np.nan)
        return out

    def _dual_simplex(
        self, ids: np.ndarray, keys: np.ndarray, tcol: np.ndarray, rhs: np.ndarray,
        out: ScoreOutcome, state: _BasisState, *, candidates: np.ndarray | None = None,
        max_iter: int = 60,
    ) -> np.ndarray:
        """Batched dual simplex from dual-feasible bases.

        With ``candidates`` (per DMU, a few column numbers) only those columns
        are priced: far cheaper, and exact all the same because a basis is
        accepted only after its reduced costs over *every* column are checked.
        Returns the positions in ``ids`` left unsolved.
        """
        keys = keys.copy()
        active = np.arange(ids.size)
        cols = self.cols
        unsolved: list[np.ndarray] = []
        for _ in range(max_iter):
            if active.size == 0:
                break
            basis = np.empty((active.size, self.rows, self.rows))
            basis[:, :, 0] = tcol[ids[active]]
            basis[:, :, 1:] = cols[:, keys[active]].transpose(1, 0, 2)
            try:
                inv = np.linalg.inv(basis)
            except np.linalg.LinAlgError:
                unsolved.append(active)
                break
            xb = np.einsum("bij,bj->bi", inv, rhs[ids[active]])
            leave = np.argmin(xb[:, 1:], axis=1)
            done = xb[np.arange(active.size), leave + 1] >= -_PRIMAL_TOL
            y = self.c_t * inv[:, 0, :]
            if done.any():
                # Primal feasible; optimal once no reduced cost is negative.
                good = np.zeros(active.size, dtype=bool)
                good[done] = (-(y[done] @ cols)).min(axis=1) >= -_DUAL_TOL
                fin = active[good]
                self._store(ids[fin], keys[fin], xb[good], y[good], out, state)
                unsolved.append(active[done & ~good])
            go = ~done
            if not go.any():
                break
            rho = inv[go, leave[go] + 1, :]
            if candidates is None:
                priced = cols
                alpha = rho @ cols
                reduced = (-y[go]) @ cols
            else:
                cand = candidates[active[go]]
                priced = cols[:, cand].transpose(1, 0, 2)  # (DMUs, rows, K)
                alpha = np.einsum("br,brk->bk", rho, priced)
                reduced = np.einsum("br,brk->bk", -y[go], priced)
            # Ratio test; in-place steps because these arrays are the bulk of the work.
            np.negative(alpha, out=alpha)
            np.maximum(reduced, 0.0, out=reduced)
            ratio = np.full_like(reduced, np.inf)
            np.divide(reduced, alpha, out=ratio, where=alpha > 1e-9)
            enter = np.argmin(ratio, axis=1)
            blocked = ~np.isfinite(ratio[np.arange(enter.size), enter])
            moving = active[go]
            if candidates is None:
                # No entering column at all: the LP is infeasible (dual unbounded).
                out.feasible[ids[moving[blocked]]] = False
            else:
                unsolved.append(moving[blocked])
                enter = candidates[moving, enter]
            keys[moving[~blocked], leave[go][~blocked]] = enter[~blocked]
            active = moving[~blocked]
        else:
            unsolved.append(active)
        return np.concatenate(unsolved) if unsolved else active

    def _candidates(self, w: np.ndarray, size: int | None = None) -> np.ndarray | None:
        """Per start facet, the columns closest to its hyperplane (smallest reduced cost)."""
        size = size or _CANDIDATES
        total = self.cols.shape[1]
        if total <= 2 * size:
            return None
        distance = -(w @ self.cols)
        return np.argpartition(distance, size, axis=1)[:, :size]

    def _store(
        self, ids: np.ndarray, keys: np.ndarray, xb: np.ndarray, y: np.ndarray,
        out: ScoreOutcome, state: _BasisState,
    ) -> None:
        out.t[ids] = xb[:, 0]
        state.keys[ids] = keys
        state.xb[ids] = xb
        scale = np.abs(y).max(axis=1, keepdims=True)
        # y itself is the facet normal oriented as the applicability test expects.
        state.w[ids] = y / np.where(scale > 0, scale, 1.0)
        state.has[ids] = True

    def _solve_highs(
        self, i: int, tcol: np.ndarray, rhs: np.ndarray, out: ScoreOutcome, state: _BasisState
    ) -> None:
        lp = self._lp
        for row in self._changing:
            lp.set_coefficient(row, 0, tcol[i, row])
        lp.set_row_bounds(np.arange(self.ineq), rhs[i, : self.ineq], np.full(self.ineq, INF))
        sol = lp.solve(want_basis=True)
        out.lp_solves += 1
        if not sol.optimal:
            out.feasible[i] = False
            return
        out.t[i] = sol.x[0]
        basic = sol.basic
        lam = basic[basic > 0] - 1
        surplus = -1 - basic[basic < 0]
        if 0 not in basic or (surplus >= self.ineq).any() or lam.size + surplus.size != self.rows - 1:
            return  # degenerate basis HiGHS reports differently: keep the score only
        key = np.concatenate([lam, self.k + surplus])
        basis = np.column_stack([tcol[i], self.cols[:, key]])
        try:
            inv = np.linalg.inv(basis)
        except np.linalg.LinAlgError:
            return
        xb = inv @ rhs[i]
        y = self.c_t * inv[0]
        if xb[1:].min() >= -_PRIMAL_TOL and (-(y @ self.cols)).min() >= -_DUAL_TOL:
            self._store(np.array([i]), key[None, :], xb[None, :], y[None, :], out, state)
        else:
            self._lp_lambda[i] = sol.x[1:]

    def _peers(self, state: _BasisState) -> tuple[list[np.ndarray], list[np.ndarray]]:
        n = state.has.size
        peers: list[np.ndarray] = [np.empty(0, dtype=int)] * n
        weights: list[np.ndarray] = [np.empty(0)] * n
        for i in np.flatnonzero(state.has):
            key, val = state.keys[i], state.xb[i, 1:]
            keep = (key < self.k) & (val > _PRIMAL_TOL)
            peers[i], weights[i] = key[keep], val[keep]
        for i, lam in self._lp_lambda.items():
            keep = np.flatnonzero(lam > _PRIMAL_TOL)
            peers[i], weights[i] = keep, lam[keep]
        return peers, weights


@dataclass
class _BasisState:
    """Per DMU: final non-t basic columns, basic values (t first), facet normal."""

    keys: np.ndarray
    xb: np.ndarray
    w: np.ndarray
    has: np.ndarray


_PARALLEL_MIN = 20_000


def score_points(
    xr: np.ndarray, yr: np.ndarray, x: np.ndarray, y: np.ndarray, model: Model, *,
    want_peers: bool = False, workers: int = 1,
) -> ScoreOutcome:
    """Score points against a reference set, split over processes when it pays."""
    n = x.shape[0]
    if workers <= 1 or n < _PARALLEL_MIN:
        return Scorer(xr, yr, model).score(x, y, want_peers=want_peers)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    parts = np.array_split(np.arange(n), workers)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_score_part, xr, yr, model, x[p], y[p], want_peers) for p in parts]
        results = [f.result() for f in futures]
    out = ScoreOutcome(np.empty(n), np.empty(n, dtype=bool))
    out.normals = np.empty((n, xr.shape[1] + yr.shape[1] + (1 if model.vrs else 0)))
    if want_peers:
        out.peers, out.weights = [], []
    for part, res in zip(parts, results, strict=True):
        out.t[part] = res.t
        out.feasible[part] = res.feasible
        out.normals[part] = res.normals
        out.lp_solves += res.lp_solves
        if want_peers:
            out.peers.extend(res.peers)
            out.weights.extend(res.weights)
    return out


def _score_part(
    xr: np.ndarray, yr: np.ndarray, model: Model, x: np.ndarray, y: np.ndarray, want_peers: bool
) -> ScoreOutcome:
    return Scorer(xr, yr, model).score(x, y, want_peers=want_peers)


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
    x: np.ndarray, y: np.ndarray, model: Model, *, base: int | None = None, seed: int = 0,
    workers: int = 1,
) -> np.ndarray:
    """Indices R with T(R) = T(all DMUs): every extreme-efficient DMU and a few more."""
    rng = np.random.default_rng(seed)
    return _generators(x, y, model, np.arange(x.shape[0]), base or _BASE, rng, workers)


def _generators(
    x: np.ndarray, y: np.ndarray, model: Model, idx: np.ndarray, base: int,
    rng: np.random.Generator, workers: int = 1,
) -> np.ndarray:
    n = idx.size
    if n <= base:
        outcome = score_points(x[idx], y[idx], x[idx], y[idx], model, workers=workers)
        return idx[_on_frontier(outcome, model)]
    sample = np.sort(rng.choice(idx, size=max(base, int(n * _SAMPLE)), replace=False))
    r0 = _generators(x, y, model, sample, base, rng, workers)
    outcome = score_points(x[r0], y[r0], x[idx], y[idx], model, workers=workers)
    outside = idx[_outside(outcome, model)]
    if outside.size == 0:
        return r0
    candidates = np.union1d(r0, outside)
    if candidates.size >= n:
        # Nothing to gain from recursing: settle this set directly.
        outcome = score_points(x[idx], y[idx], x[idx], y[idx], model, workers=workers)
        return idx[_on_frontier(outcome, model)]
    return _generators(x, y, model, candidates, base, rng, workers)


def scale_columns(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Divide every column by its mean: radial scores do not change, conditioning does."""
    sx = x.mean(axis=0)
    sy = y.mean(axis=0)
    return x / sx, y / sy, sx, sy


def radial_scores(
    x: np.ndarray, y: np.ndarray, model: Model, *, want_peers: bool = False, seed: int = 0,
    workers: int = 1,
) -> tuple[ScoreOutcome, np.ndarray]:
    """Exact radial scores of all DMUs (already scaled) and the reference set used.

    The pass that checks every DMU against the sample's frontier already scores
    it; a score is kept when its optimal dual stays feasible once the missing
    frontier units join (checked against those units only), so only the DMUs
    near them are scored a second time.
    """
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    everyone = np.arange(n)
    if n <= _BASE:
        ref = _generators(x, y, model, everyone, _BASE, rng)
        outcome = score_points(x[ref], y[ref], x, y, model, want_peers=want_peers)
        if want_peers:
            outcome.peers = [ref[p] for p in outcome.peers]
        return outcome, ref
    sample = np.sort(rng.choice(n, size=max(_BASE, int(n * _SAMPLE)), replace=False))
    r0 = _generators(x, y, model, sample, _BASE, rng, workers)
    outcome = score_points(x[r0], y[r0], x, y, model, want_peers=want_peers, workers=workers)
    if want_peers:
        outcome.peers = [r0[p] for p in outcome.peers]
    outside = everyone[_outside(outcome, model)]
    if outside.size == 0:
        return outcome, r0
    ref = _generators(x, y, model, np.union1d(r0, outside), _BASE, rng, workers)
    new = np.setdiff1d(ref, r0)
    normals = outcome.normals
    redo = np.isnan(normals).any(axis=1) | _outside(outcome, model)
    if new.size:
        slack = np.nan_to_num(normals) @ structure(x[new], y[new], model)
        redo |= (slack > _DUAL_TOL).any(axis=1)
    redo = np.flatnonzero(redo)
    if redo.size:
        again = score_points(x[ref], y[ref], x[redo], y[redo], model, want_peers=want_peers,
                             workers=workers)
        outcome.t[redo] = again.t
        outcome.feasible[redo] = again.feasible
        outcome.lp_solves += again.lp_solves
        if want_peers:
            for pos, i in enumerate(redo):
                outcome.peers[i] = ref[again.peers[pos]]
                outcome.weights[i] = again.weights[pos]
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


def _solve_single(
    a: np.ndarray, tcol: np.ndarray, rhs: np.ndarray, model: Model
) -> tuple[float | None, np.ndarray | None]:
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

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

import time
from dataclasses import dataclass, field

import numpy as np

from ._lp import INF, DenseLP
from ._parallel import Serial, make_executor, single_blas_thread

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
    #: Optimal basis without t (rows - 1 columns: reference positions, then
    #: k + i for the surplus of row i), -1 where unknown; basic values, t first.
    keys: np.ndarray | None = None
    xb: np.ndarray | None = None
    #: CPU seconds the scoring took (process time of whoever ran it).
    cpu_seconds: float = 0.0


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
        out.keys = np.where(state.has[:, None], state.keys, -1).astype(np.int32)
        out.xb = state.xb
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


# Partitions of at most this many DMUs (progress, memory, Dask tasks).
_PART_MAX = 100_000
# A dual price above this (duals scaled to max 1) forces its row's slack to 0.
_POSITIVE_DUAL = 1e-8
# Columns priced in the second phase per DMU at most (the optimal face's columns).
_MAX_FACE = 64


def _no_progress(message: str) -> None:
    pass


@single_blas_thread
def score_points(
    xr: np.ndarray, yr: np.ndarray, x: np.ndarray, y: np.ndarray, model: Model, *,
    want_peers: bool = False, workers: int = 1, executor: Serial | None = None,
) -> ScoreOutcome:
    """Score points against a reference set, split over the executor's workers when it pays."""
    n = x.shape[0]
    own = executor is None
    if executor is None:
        executor = make_executor(workers=workers)
    try:
        parts = executor.partitions(n) if n >= executor.min_partitioned else 1
        if parts <= 1:
            return Scorer(xr, yr, model).score(x, y, want_peers=want_peers)
        split = np.array_split(np.arange(n), parts)
        results = executor.gather(executor.submit(
            _score_part, [(xr, yr, model, x[p], y[p], want_peers) for p in split]))
    finally:
        if own:
            executor.close()
    out = ScoreOutcome(np.empty(n), np.empty(n, dtype=bool))
    rows = xr.shape[1] + yr.shape[1] + (1 if model.vrs else 0)
    out.normals = np.empty((n, rows))
    out.keys = np.empty((n, rows - 1), dtype=np.int32)
    out.xb = np.empty((n, rows))
    if want_peers:
        out.peers, out.weights = [], []
    for part, res in zip(split, results, strict=True):
        out.t[part] = res.t
        out.feasible[part] = res.feasible
        out.normals[part] = res.normals
        out.keys[part] = res.keys
        out.xb[part] = res.xb
        out.lp_solves += res.lp_solves
        if want_peers:
            out.peers.extend(res.peers)
            out.weights.extend(res.weights)
    return out


@single_blas_thread
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


@single_blas_thread
def generators(
    x: np.ndarray, y: np.ndarray, model: Model, *, base: int | None = None, seed: int = 0,
    workers: int = 1, executor: Serial | None = None,
) -> np.ndarray:
    """Indices R with T(R) = T(all DMUs): every extreme-efficient DMU and a few more."""
    rng = np.random.default_rng(seed)
    own = executor is None
    executor = executor or make_executor(workers=workers)
    try:
        return _generators(x, y, model, np.arange(x.shape[0]), base or _BASE, rng, executor)
    finally:
        if own:
            executor.close()


def _generators(
    x: np.ndarray, y: np.ndarray, model: Model, idx: np.ndarray, base: int,
    rng: np.random.Generator, executor: Serial | None = None,
) -> np.ndarray:
    n = idx.size
    if n <= base:
        outcome = score_points(x[idx], y[idx], x[idx], y[idx], model)
        return idx[_on_frontier(outcome, model)]
    share = _SAMPLE if n > 20 * base else 0.25
    sample = idx[_likely_frontier_sample(x[idx], y[idx], model, rng, max(base, int(n * share)))]
    r0 = _generators(x, y, model, sample, base, rng, executor)
    outcome = score_points(x[r0], y[r0], x[idx], y[idx], model, executor=executor or Serial())
    outside = idx[_outside(outcome, model)]
    if outside.size == 0:
        return r0
    candidates = np.union1d(r0, outside)
    if candidates.size >= 0.8 * n:
        # Recursing would peel off few DMUs per level: settle directly.  The
        # candidates hold every extreme-efficient DMU of this set, so their
        # frontier spans the same technology.
        outcome = score_points(x[candidates], y[candidates], x[candidates], y[candidates], model,
                               executor=executor or Serial())
        return candidates[_on_frontier(outcome, model)]
    return _generators(x, y, model, candidates, base, rng, executor)


def scale_columns(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Divide every column by its mean: radial scores do not change, conditioning does.

    Slacks are maximised in these units too (each slack divided by its
    column's mean), so the second phase does not depend on the data's units.
    """
    sx = x.mean(axis=0)
    sy = y.mean(axis=0)
    return x / sx, y / sy, sx, sy


@dataclass
class Evaluation:
    """Scores of every DMU, and (second phase) slacks and peers, in scaled units.

    Peers are stored compactly: DMU i's peers are ``peer_idx[peer_ptr[i]:peer_ptr[i+1]]``
    (indices into all DMUs) with weights ``peer_w[...]`` (lambda).
    """

    t: np.ndarray
    feasible: np.ndarray
    ref: np.ndarray
    slack: np.ndarray | None
    peer_ptr: np.ndarray
    peer_idx: np.ndarray
    peer_w: np.ndarray
    #: DMUs whose second-phase LP no method solved to a proven optimum.
    failed: np.ndarray
    stats: dict[str, int] = field(default_factory=dict)
    #: The same figures per partition (with its number of rows).
    part_stats: list[dict[str, int]] = field(default_factory=list)


@dataclass
class _Part:
    t: np.ndarray
    feasible: np.ndarray
    slack: np.ndarray | None
    peer_count: np.ndarray
    peer_idx: np.ndarray
    peer_w: np.ndarray
    failed: np.ndarray
    stats: dict[str, int]


@single_blas_thread
def evaluate(
    x: np.ndarray, y: np.ndarray, model: Model, *, slacks: bool = True,
    executor: Serial | None = None, progress=None, seed: int = 0,
) -> Evaluation:
    """Exact scores (and with ``slacks`` the second phase) of all DMUs, already scaled.

    1. The frontier of a random sample (recursively), R0.
    2. Every DMU scored against R0, partition by partition (first pass); the
       DMUs R0's technology does not contain are the candidates to add.
    3. R: the frontier of R0 and those candidates; T(R) is the whole technology.
    4. Per partition: a first-pass score is kept when its optimal dual stays
       feasible against the DMUs R adds (else the DMU is scored again), then
       the second phase starts from each DMU's optimal first-phase basis.
    With a Dask executor the partitions and their first-pass results stay on
    the workers; only R0, R and the final results travel.
    """
    executor = executor or Serial()
    progress = progress or _no_progress
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    everyone = np.arange(n)
    if n <= _BASE:
        ref = _generators(x, y, model, everyone, _BASE, rng)
        part = _finish_part((x, y), model, None, ref, ref, x[ref], y[ref], slacks)
        return _assemble([everyone], [part], ref)
    sample = _likely_frontier_sample(x, y, model, rng, max(_BASE, int(n * _SAMPLE)))
    progress(f"frontier of a sample of {sample.size:,} DMUs")
    r0 = _generators(x, y, model, sample, _BASE, rng, executor)
    parts = max(executor.partitions(n), -(-n // _PART_MAX)) if n >= executor.min_partitioned else 1
    split = np.array_split(everyone, parts)
    progress(f"scoring {n:,} DMUs against {r0.size:,} frontier DMUs in {parts} partition(s)")
    data = [executor.scatter((x[p], y[p])) for p in split]
    x_r0, y_r0 = executor.scatter(x[r0]), executor.scatter(y[r0])
    first = executor.submit(_first_part, [(x_r0, y_r0, model, d) for d in data])
    outside_parts = executor.gather(executor.submit(_outside_part, [(f, model) for f in first]))
    outside = np.concatenate([p[o] for p, o in zip(split, outside_parts, strict=True)])
    ref = r0
    if outside.size:
        progress(f"{outside.size:,} DMUs outside the sample's technology: completing the frontier")
        ref = _generators(x, y, model, np.union1d(r0, outside), _BASE, rng, executor)
    progress(f"reference set of {ref.size:,} DMUs; " + ("second phase" if slacks else "peers"))
    x_ref, y_ref = executor.scatter(x[ref]), executor.scatter(y[ref])
    finals = executor.submit(
        _finish_part, [(d, model, f, r0, ref, x_ref, y_ref, slacks) for d, f in zip(data, first, strict=True)]
    )
    results = executor.gather(finals)
    return _assemble(split, results, ref)


def _likely_frontier_sample(
    x: np.ndarray, y: np.ndarray, model: Model, rng: np.random.Generator, size: int,
    directions: int = 128,
) -> np.ndarray:
    """Half the sample at random, half the DMUs with the best efficiency lower bounds.

    Any multiplier vector (u, v) gives every DMU a lower bound on its score
    (CRS: its ratio u.y/v.x over the best ratio; VRS: the same with the free
    intercept); DMUs with high bounds over a few random directions are near
    the frontier, so the sample's frontier misses fewer of the frontier's
    DMUs and fewer first-pass scores have to be redone.  Only the choice of
    sample depends on this; exactness does not.
    """
    n = x.shape[0]
    d_rng = np.random.default_rng(rng.integers(1 << 31))
    best = np.full(n, -np.inf)
    for _ in range(0, directions, 32):
        u = d_rng.uniform(0.0, 1.0, (y.shape[1], 32)) ** 2
        v = d_rng.uniform(0.0, 1.0, (x.shape[1], 32)) ** 2
        uy, vx = y @ u, x @ v
        if model.vrs:
            g = uy - vx
            bound = 1.0 - (g.max(axis=0) - g) / (vx if model.input else uy)
        elif model.input:
            ratio = uy / vx
            bound = ratio / ratio.max(axis=0)
        else:
            ratio = uy / vx
            bound = ratio / ratio.max(axis=0)
        np.maximum(best, bound.max(axis=1), out=best)
    top = np.argpartition(-best, size // 2)[: size // 2]
    rest = np.setdiff1d(np.arange(n), top)
    return np.sort(np.concatenate([top, rng.choice(rest, size=size - top.size, replace=False)]))


@single_blas_thread
def _first_part(xr: np.ndarray, yr: np.ndarray, model: Model, data: tuple[np.ndarray, np.ndarray]) -> ScoreOutcome:
    x, y = data
    clock = time.process_time()
    out = Scorer(xr, yr, model).score(x, y)
    out.cpu_seconds = time.process_time() - clock
    return out


def _outside_part(first: ScoreOutcome, model: Model) -> np.ndarray:
    return np.flatnonzero(_outside(first, model))


def _assemble(split: list[np.ndarray], parts: list[_Part], ref: np.ndarray) -> Evaluation:
    n = sum(p.size for p in split)
    t = np.empty(n)
    feasible = np.empty(n, dtype=bool)
    slack = None if parts[0].slack is None else np.empty((n, parts[0].slack.shape[1]))
    counts = np.empty(n, dtype=np.int64)
    failed, stats = [], {}
    for idx, part in zip(split, parts, strict=True):
        t[idx] = part.t
        feasible[idx] = part.feasible
        if slack is not None:
            slack[idx] = part.slack
        counts[idx] = part.peer_count
        failed.append(idx[part.failed])
        for key, value in part.stats.items():
            stats[key] = stats.get(key, 0) + value
    # Partitions are contiguous and in order, so their peer lists concatenate.
    ptr = np.concatenate([[0], np.cumsum(counts)])
    return Evaluation(
        t=t, feasible=feasible, ref=ref, slack=slack, peer_ptr=ptr,
        peer_idx=np.concatenate([p.peer_idx for p in parts]),
        peer_w=np.concatenate([p.peer_w for p in parts]),
        failed=np.concatenate(failed), stats=stats,
        part_stats=[{"rows": int(idx.size), **p.stats} for idx, p in zip(split, parts, strict=True)],
    )


@single_blas_thread
def _finish_part(
    data: tuple[np.ndarray, np.ndarray], model: Model, first: ScoreOutcome | None,
    r0: np.ndarray, ref: np.ndarray, xr: np.ndarray, yr: np.ndarray, slacks: bool,
) -> _Part:
    """Final scores of one partition against R, then slacks and peers."""
    x, y = data
    n = x.shape[0]
    k = ref.size
    clock = time.process_time()
    scorer = Scorer(xr, yr, model)
    stats = {"lp_solves": 0, "rescored": 0}
    if first is None:
        out = scorer.score(x, y)
        stats["rescored"] = n
    else:
        # Copies: on Dask the first pass's result may be needed again if a task is retried.
        out = ScoreOutcome(first.t.copy(), first.feasible.copy(), lp_solves=first.lp_solves,
                           normals=first.normals.copy(), keys=first.keys, xb=first.xb.copy())
        # First-pass bases name positions in R0; R holds R0's frontier members.
        k0 = r0.size
        pos = np.searchsorted(ref, r0).clip(max=k - 1)
        where = np.where(ref[pos] == r0, pos, -1)
        keys = out.keys
        lam = (keys >= 0) & (keys < k0)
        moved = np.where(lam, where[np.where(lam, keys, 0)], np.where(keys >= k0, keys - k0 + k, -1))
        lost = (lam & (moved < 0)).any(axis=1)
        out.keys = moved.astype(np.int32)
        redo = np.isnan(out.normals).any(axis=1) | _outside(out, model) | lost
        added = np.setdiff1d(np.arange(k), where[where >= 0])
        if added.size:
            a_new = structure(xr[added], yr[added], model)
            redo |= ((np.nan_to_num(out.normals) @ a_new) > _DUAL_TOL).any(axis=1)
        redo = np.flatnonzero(redo)
        if redo.size:
            again = scorer.score(x[redo], y[redo])
            out.t[redo] = again.t
            out.feasible[redo] = again.feasible
            out.normals[redo] = again.normals
            out.keys[redo] = again.keys
            out.xb[redo] = again.xb
            out.lp_solves += again.lp_solves
        stats["rescored"] = int(redo.size)
        stats["first_pass_ms"] = int(1000 * first.cpu_seconds)
    stats["lp_solves"] += out.lp_solves
    stats["rescore_ms"] = int(1000 * (time.process_time() - clock))
    clock = time.process_time()
    tcol, rhs = score_columns(x, y, model)
    ineq = scorer.ineq
    slack = np.full((n, ineq), np.nan) if slacks else None
    lam_keys = np.full((n, scorer.rows - 1), -1, dtype=np.int32)
    lam_vals = np.zeros((n, scorer.rows - 1))
    failed = np.zeros(n, dtype=bool)
    known = out.feasible & (out.keys >= 0).all(axis=1)
    if slacks:
        zero = known & (out.normals[:, :ineq] > _POSITIVE_DUAL).all(axis=1)
        batched = np.flatnonzero(known & ~zero)
        stats["zero_slack"] = int(zero.sum())
        stats["second_phase_batched"] = int(batched.size)
        keys2, xb2, left = _max_slack_simplex(scorer, batched, out.keys, out.normals, tcol, rhs)
        done = np.setdiff1d(np.arange(batched.size), left)
        out.keys[batched[done]] = keys2[done]
        out.xb[batched[done]] = xb2[done]
        highs = np.union1d(np.flatnonzero(out.feasible & ~known), batched[left])
        _store_basis(out.keys, out.xb, k, ineq, np.flatnonzero(zero), slack, lam_keys, lam_vals)
        _store_basis(out.keys, out.xb, k, ineq, batched[done], slack, lam_keys, lam_vals)
    else:
        _store_basis(out.keys, out.xb, k, ineq, np.flatnonzero(known), None, lam_keys, lam_vals)
        highs = np.flatnonzero(out.feasible & ~known)
    stats["second_phase_highs"] = int(highs.size)
    stats["second_phase_ms"] = int(1000 * (time.process_time() - clock))
    extra: dict[int, np.ndarray] = {}
    if highs.size:
        lp = _SlackLP(scorer)
        for i in highs:
            sol = lp.solve(tcol[i], rhs[i], out.t[i], model)
            stats["lp_solves"] += 1
            if sol is None:
                failed[i] = True
                continue
            lam, sl = sol
            extra[int(i)] = lam
            if slack is not None:
                slack[i] = sl
    # Peers as CSR: indices into all DMUs.
    keep = (lam_keys >= 0) & (lam_keys < k) & (lam_vals > _PRIMAL_TOL)
    for i in extra:
        keep[i] = False
    counts = keep.sum(axis=1)
    idx_rows = [ref[lam_keys[keep]]]
    w_rows = [lam_vals[keep]]
    if extra:
        # Rare: splice the HiGHS solutions in, in row order.
        per_row_idx = np.split(ref[lam_keys[keep]], np.cumsum(counts)[:-1])
        per_row_w = np.split(lam_vals[keep], np.cumsum(counts)[:-1])
        for i, lam in extra.items():
            nz = np.flatnonzero(lam > _PRIMAL_TOL)
            per_row_idx[i], per_row_w[i] = ref[nz], lam[nz]
            counts[i] = nz.size
        idx_rows, w_rows = per_row_idx, per_row_w
    return _Part(
        t=np.where(out.feasible, out.t, np.nan), feasible=out.feasible.copy(), slack=slack,
        peer_count=counts, peer_idx=np.concatenate(idx_rows).astype(np.int64),
        peer_w=np.concatenate(w_rows), failed=np.flatnonzero(failed), stats=stats,
    )


def _store_basis(
    keys: np.ndarray, xb: np.ndarray, k: int, ineq: int, ids: np.ndarray,
    slack: np.ndarray | None, lam_keys: np.ndarray, lam_vals: np.ndarray,
) -> None:
    """Slacks and lambdas of optimal bases (values after t: one per key)."""
    if ids.size == 0:
        return
    key, val = keys[ids], xb[ids, 1:]
    lam_keys[ids] = np.where(key < k, key, -1)
    lam_vals[ids] = np.where(key < k, val, 0.0)
    if slack is not None:
        block = np.zeros((ids.size, ineq))
        r, c = np.nonzero(key >= k)
        block[r, key[r, c] - k] = np.maximum(val[r, c], 0.0)
        slack[ids] = block


def _max_slack_simplex(
    scorer: Scorer, ids: np.ndarray, keys: np.ndarray, normals: np.ndarray,
    tcol: np.ndarray, rhs: np.ndarray, *, chunk: int = 1024, max_iter: int = 40,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Second phase, batched: the largest sum of slacks at the first-phase score.

    Continues the primal simplex from each DMU's optimal first-phase basis
    (t stays basic at its optimum) with the second-phase objective, pricing
    only the columns of the optimal face: by complementary slackness a column
    whose first-phase reduced cost is positive is zero in every first-phase
    optimum, hence in every second-phase solution.  A basis is accepted when
    it is primal feasible and no face column has a negative reduced cost, a
    proven optimum of the second-phase LP.  Dantzig's rule first, Bland's
    after a few pivots (no cycling).  Returns final keys and basic values for
    ``ids`` and the positions in ``ids`` left for HiGHS.
    """
    rows = scorer.rows
    k, ineq = scorer.k, scorer.ineq
    total = k + ineq
    cols = np.hstack([scorer.cols, np.zeros((rows, 1))])  # a zero column pads short faces
    cost = np.zeros(total + 1)
    cost[k:total] = -1.0  # every slack counts once, in column-mean units
    cost[total] = 1.0
    out_keys = np.full((ids.size, rows - 1), -1, dtype=np.int32)
    out_xb = np.zeros((ids.size, rows))
    left: list[np.ndarray] = []
    for start in range(0, ids.size, chunk):
        pos = np.arange(start, min(ids.size, start + chunk))
        sub = ids[pos]
        face = -(normals[sub] @ scorer.cols) <= _DUAL_TOL
        kk = keys[sub].astype(np.int64)
        face[np.arange(sub.size)[:, None], kk] = True
        width = int(face.sum(axis=1).max())
        wide = face.sum(axis=1) > _MAX_FACE
        width = min(width, _MAX_FACE)
        order = np.argsort(~face, axis=1, kind="stable")[:, :width]
        cand = np.where(np.take_along_axis(face, order, axis=1), order, total)
        active = np.flatnonzero(~wide)
        left.append(pos[wide])
        for it in range(max_iter):
            if active.size == 0:
                break
            b = sub[active]
            basis = np.empty((active.size, rows, rows))
            basis[:, :, 0] = tcol[b]
            basis[:, :, 1:] = cols[:, kk[active]].transpose(1, 0, 2)
            try:
                inv = np.linalg.inv(basis)
            except np.linalg.LinAlgError:
                break
            xb = np.einsum("bij,bj->bi", inv, rhs[b])
            price = np.einsum("bi,bij->bj", cost[kk[active]], inv[:, 1:, :])
            c_active = cand[active]
            reduced = cost[c_active] - np.einsum("br,brw->bw", price, cols[:, c_active].transpose(1, 0, 2))
            if it < 10:
                enter_at = np.argmin(reduced, axis=1)
                go = reduced[np.arange(active.size), enter_at] < -_DUAL_TOL
            else:
                negative = reduced < -_DUAL_TOL
                enter_at = np.argmax(negative, axis=1)  # lowest column number (Bland)
                go = negative.any(axis=1)
            optimal = ~go
            if optimal.any():
                feasible = (xb[optimal, 1:] >= -_PRIMAL_TOL).all(axis=1)
                fin = active[optimal][feasible]
                out_keys[pos[fin]] = kk[fin]
                out_xb[pos[fin]] = xb[optimal][feasible]
                left.append(pos[active[optimal][~feasible]])
            if not go.any():
                active = active[:0]
                break
            moving = active[go]
            enter = c_active[go, enter_at[go]]
            alpha = np.einsum("bij,bj->bi", inv[go], cols[:, enter].T)[:, 1:]
            value = np.maximum(xb[go, 1:], 0.0)
            ratio = np.full_like(alpha, np.inf)
            np.divide(value, alpha, out=ratio, where=alpha > 1e-9)
            leave = np.argmin(ratio, axis=1)
            bounded = np.isfinite(ratio[np.arange(moving.size), leave])
            left.append(pos[moving[~bounded]])
            kk[moving[bounded], leave[bounded]] = enter[bounded]
            active = moving[bounded]
        left.append(pos[active])
    rest = np.concatenate(left) if left else np.empty(0, dtype=int)
    return out_keys, out_xb, np.unique(rest)


class _SlackLP:
    """The second phase of one DMU by HiGHS, against all of R (fallback)."""

    def __init__(self, scorer: Scorer) -> None:
        rows, self.k, self.ineq = scorer.rows, scorer.k, scorer.ineq
        cost = np.zeros(self.k + self.ineq)
        cost[self.k :] = -1.0
        self.rows = rows
        self._lp = DenseLP(cost=cost, a=scorer.cols, row_lower=np.zeros(rows), row_upper=np.zeros(rows),
                           col_lower=np.zeros(cost.size), col_upper=np.full(cost.size, INF))

    def solve(
        self, tcol: np.ndarray, rhs: np.ndarray, t: float, model: Model
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """lambda and slacks, or None when no attempt proves an optimum."""
        idx = np.arange(self.rows)
        # The score is optimal to ~1e-12; if round-off makes the face empty,
        # retry with the score moved that far outward.
        for nudge in (0.0, 1e-10, 1e-8):
            tt = t * (1.0 + nudge) if model.input else t * (1.0 - nudge)
            target = rhs - tt * tcol
            self._lp.set_row_bounds(idx, target, target)
            sol = self._lp.solve()
            if sol.optimal:
                return sol.x[: self.k], np.maximum(sol.x[self.k :], 0.0)
        return None


@single_blas_thread
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
    # One HiGHS model over R, built once: per candidate only its own column is
    # fixed at zero and its t column and bounds change.  The optimum counts
    # once its dual prices every DMU (not only R) non-negatively; otherwise,
    # or when it is infeasible, the candidate goes to column generation.
    scorer = Scorer(x[ref], y[ref], model)
    where = {int(j): pos for pos, j in enumerate(ref)}
    slow = []
    lp = scorer._lp
    for pos, o in enumerate(candidates):
        own = where.get(int(o))
        if own is not None:
            lp.set_col_bounds(own + 1, 0.0, 0.0)
        for row in scorer._changing:
            lp.set_coefficient(row, 0, tcol[o, row])
        lp.set_row_bounds(np.arange(scorer.ineq), rhs[o, : scorer.ineq], np.full(scorer.ineq, INF))
        sol = lp.solve()
        if own is not None:
            lp.set_col_bounds(own + 1, 0.0, INF)
        if sol.optimal:
            reduced = -(sol.row_dual @ a_all)
            reduced[o] = 0.0
            if (reduced >= -_DUAL_TOL).all():
                result[pos] = sol.x[0]
                continue
        slow.append(pos)
    for pos in slow:
        o = candidates[pos]
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

"""Composite indices: weights (equal, AHP, entropy, combined) and scores (weighted sum, TOPSIS).

Pure numpy over the analytics engine; no Django. Scores are 0-100.
Normalisation: a bounded indicator (a share, 0..1) is used as is (1 - value
when lower is better), so a score means the same across periods; an unbounded
one (e.g. visits per member) is min-max scaled within the peer group. A
missing value (no data) takes the peer group's mean of that column; a column
no member of the group has is left out and the weights renormalised.
"""

from dataclasses import dataclass

import numpy as np

from dangjian.analytics import AnalyticsInputError, ahp, combine_weights, entropy_weights, topsis


@dataclass(frozen=True)
class Column:
    code: str
    dimension: str
    bounded: bool
    higher: bool


def normalise(values: np.ndarray, columns: list[Column]) -> np.ndarray:
    """(n, k) raw values with NaN for no data -> (n, k) in [0, 1], 1 best, NaN kept."""
    out = np.full(values.shape, np.nan)
    for j, col in enumerate(columns):
        v = values[:, j]
        if col.bounded:
            s = np.clip(v, 0.0, 1.0)
        else:
            present = v[~np.isnan(v)]
            if present.size == 0:
                continue
            lo, hi = present.min(), present.max()
            s = (v - lo) / (hi - lo) if hi > lo else np.where(np.isnan(v), np.nan, 1.0)
        out[:, j] = s if col.higher else 1.0 - s
    return out


def fill_missing(norm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Missing cells take their column's mean; returns (filled, mask of columns that have any data)."""
    has = ~np.isnan(norm).all(axis=0)
    filled = norm.copy()
    with np.errstate(invalid="ignore"):
        means = np.nanmean(np.where(has, norm, 0.0), axis=0) if norm.shape[0] else np.zeros(norm.shape[1])
    idx = np.where(np.isnan(filled))
    filled[idx] = np.take(means, idx[1])
    filled[:, ~has] = 0.0
    return filled, has


def ahp_weights(matrix, names) -> np.ndarray:
    """Weights of one judgement matrix; ValueError with the CR if it is inconsistent."""
    result = ahp(matrix=matrix, names=names)
    if not result.consistent:
        raise ValueError(f"CR={result.cr:.3f}")
    return result.weights


def subjective_weights(columns: list[Column], dimensions: list[str], judgements: dict) -> dict[str, float]:
    """Global weight per indicator from AHP judgements (equal where a matrix is missing)."""
    dims = [d for d in dimensions if any(c.dimension == d for c in columns)]
    matrix = judgements.get("dimensions")
    if matrix and len(matrix) == len(dimensions) and len(dims) == len(dimensions):
        dim_w = dict(zip(dims, ahp_weights(matrix, dims), strict=True))
    else:
        dim_w = {d: 1.0 / len(dims) for d in dims} if dims else {}
    out = {}
    for d in dims:
        codes = [c.code for c in columns if c.dimension == d]
        m = judgements.get(d)
        local = ahp_weights(m, codes) if m and len(m) == len(codes) else np.full(len(codes), 1.0 / len(codes))
        for code, w in zip(codes, local, strict=True):
            out[code] = dim_w[d] * float(w)
    return out


def objective_weights(norm_filled: np.ndarray, columns: list[Column]) -> dict[str, float] | None:
    """Entropy weights over the pooled normalised matrix; None when the data cannot tell columns apart."""
    if norm_filled.shape[0] < 2:
        return None
    try:
        result = entropy_weights(matrix=norm_filled + 1e-9, criteria=[c.code for c in columns])
    except AnalyticsInputError:
        return None
    w = np.clip(result.weights, 0.0, None)  # round-off can leave -1e-17 on a constant column
    if w.sum() <= 0:
        return None
    return {c.code: float(v) for c, v in zip(columns, w / w.sum(), strict=True)}


def final_weights(method: str, columns: list[Column], dimensions: list[str], judgements: dict,
                  norm_filled: np.ndarray) -> dict[str, float]:
    equal = {c.code: 1.0 for c in columns}
    if method == "equal":
        base = subjective_weights(columns, dimensions, {})
    elif method in ("ahp", "combined"):
        base = subjective_weights(columns, dimensions, judgements)
    else:
        base = equal
    if method in ("entropy", "combined"):
        ent = objective_weights(norm_filled, columns)
        if ent is not None:
            codes = [c.code for c in columns]
            if method == "entropy":
                base = ent
            else:
                try:
                    w = combine_weights(subjective=[base[c] for c in codes], objective=[ent[c] for c in codes],
                                        method="linear", alpha=0.5)
                except AnalyticsInputError:  # degenerate weights: keep the judgements
                    w = [base[c] for c in codes]
                base = dict(zip(codes, map(float, w), strict=True))
    total = sum(base.values()) or 1.0
    return {k: v / total for k, v in base.items()}


def score(filled: np.ndarray, has: np.ndarray, weights: np.ndarray, method: str) -> np.ndarray:
    """0-100 per row over the columns present in the group."""
    w = np.where(has, weights, 0.0)
    if w.sum() <= 0 or filled.shape[0] == 0:
        return np.full(filled.shape[0], np.nan)
    w = w / w.sum()
    if method == "topsis":
        # A column where every org scores 0 tells nobody apart (and TOPSIS refuses it).
        cols = np.flatnonzero((w > 0) & filled.any(axis=0))
        if filled.shape[0] == 1 or cols.size == 0:
            return 100.0 * (filled @ w)
        result = topsis(matrix=filled[:, cols], weights=w[cols], normalization="minmax")
        return 100.0 * result.closeness
    return 100.0 * (filled @ w)


def ranks(scores: np.ndarray) -> np.ndarray:
    """1 = best; ties share the better rank."""
    order = -np.nan_to_num(scores, nan=-1.0)
    sorted_vals = np.sort(order)
    return np.searchsorted(sorted_vals, order, side="left") + 1

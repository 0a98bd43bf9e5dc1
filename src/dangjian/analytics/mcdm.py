"""Entropy weights, combined subjective/objective weights and TOPSIS."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .errors import AnalyticsInputError
from .validation import as_matrix, check_names, default_names, row_width

# A column whose values differ by less than this share of its largest value is constant.
CONSTANT_TOL = 1e-12

__all__ = [
    "EntropyResult",
    "TOPSISResult",
    "combine_weights",
    "entropy_weights",
    "rank_descending",
    "topsis",
]


@dataclass(frozen=True)
class EntropyResult:
    criteria: list[str]
    weights: np.ndarray
    entropy: np.ndarray
    #: 1 - entropy: how much a criterion tells the alternatives apart.
    divergence: np.ndarray


@dataclass(frozen=True)
class TOPSISResult:
    names: list[str]
    criteria: list[str]
    weights: np.ndarray
    closeness: np.ndarray
    #: 1 is best; ties share the better rank.
    rank: np.ndarray
    distance_best: np.ndarray
    distance_worst: np.ndarray


def _decision_matrix(
    matrix: Any, names: Sequence[Any] | None, criteria: Sequence[str] | None
) -> tuple[np.ndarray, list[str], list[str]]:
    rows = matrix if hasattr(matrix, "shape") else list(matrix)
    n = len(rows)
    labels = default_names(n, names)
    check_names(labels, what_zh="方案", what_en="alternative")
    width = row_width(rows)
    cols = list(criteria) if criteria is not None else [f"c{j + 1}" for j in range(width)]
    check_names(cols, what_zh="指标", what_en="criterion")
    x = as_matrix(rows, row_names=labels, column_names=cols)
    if n < 2:
        raise AnalyticsInputError(
            f"至少需要 2 个方案，实际 {n} 个", f"at least 2 alternatives are needed, got {n}"
        )
    for j in np.flatnonzero(~x.any(axis=0)):
        raise AnalyticsInputError("整列为零", "the whole column is zero", column=cols[j])
    return x, labels, cols


def entropy_weights(
    *,
    matrix: Any,
    criteria: Sequence[str] | None = None,
    names: Sequence[Any] | None = None,
) -> EntropyResult:
    """Shannon entropy weights of the columns of a non-negative decision matrix.

    p_ij = x_ij / sum_i x_ij, e_j = -sum_i p_ij ln p_ij / ln n (0 ln 0 = 0),
    w_j = (1 - e_j) / sum_k (1 - e_k).  Constant columns get weight 0; when
    every column is constant the weights are undefined and refused.
    """
    x, _, cols = _decision_matrix(matrix, names, criteria)
    d = _divergence(x)
    if not (d > 0).any():
        raise AnalyticsInputError(
            "所有指标在各方案间都相同，熵权无法区分",
            "every criterion is the same for all rows, so entropy weights are undefined",
        )
    e = 1.0 - d
    return EntropyResult(cols, d / d.sum(), e, d)


def _divergence(x: np.ndarray) -> np.ndarray:
    """1 - e_j for every column, never negative, exactly 0 for a constant column.

    1 - e_j = sum_i p_ij ln(n p_ij) / ln n; adding sum_i (1/n - p_ij) = 0 makes
    every term (1/n) f(u) with u = n p_ij - 1 and f(u) = (1 + u) ln(1 + u) - u >= 0,
    so round-off cannot make a near-constant column's divergence (and weight)
    negative, as 1 - e computed directly does.  A column whose spread is at
    round-off level (below 1e-12 of its largest value) counts as constant.
    """
    n = x.shape[0]
    u = n * (x / x.sum(axis=0)) - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        # f(-1) = 1: a zero cell (0 ln 0 = 0) still counts.
        f = np.where(u > -1.0, (1.0 + u) * np.log1p(u) - u, 1.0)
    d = np.clip(f, 0.0, None).sum(axis=0) / (n * np.log(n))
    constant = np.ptp(x, axis=0) <= CONSTANT_TOL * np.abs(x).max(axis=0)
    return np.where(constant, 0.0, d)


def combine_weights(
    *,
    subjective: Sequence[float] | np.ndarray,
    objective: Sequence[float] | np.ndarray,
    method: Literal["multiplicative", "linear"] = "multiplicative",
    alpha: float = 0.5,
) -> np.ndarray:
    """Subjective (e.g. AHP) and objective (e.g. entropy) weights in one vector.

    ``multiplicative``: w_j = s_j o_j / sum_k s_k o_k (needs no tuning);
    ``linear``: w_j = alpha s_j + (1 - alpha) o_j after normalising both.
    """
    s = np.asarray(subjective, dtype=float)
    o = np.asarray(objective, dtype=float)
    if s.shape != o.shape or s.ndim != 1:
        raise AnalyticsInputError(
            "主观权重与客观权重个数不一致", "subjective and objective weights differ in length"
        )
    if (s < 0).any() or (o < 0).any() or s.sum() <= 0 or o.sum() <= 0:
        raise AnalyticsInputError("权重必须为非负且不全为零", "weights must be non-negative, not all zero")
    s, o = s / s.sum(), o / o.sum()
    if method == "linear":
        if not 0.0 <= alpha <= 1.0:
            raise AnalyticsInputError("alpha 应在 0 与 1 之间", "alpha must lie between 0 and 1")
        return alpha * s + (1.0 - alpha) * o
    if method != "multiplicative":
        raise AnalyticsInputError(f"未知的组合方法：{method}", f"unknown combination method: {method}")
    product = s * o
    if product.sum() <= 0:
        raise AnalyticsInputError("两组权重的乘积全为零", "the product of the two weight vectors is zero")
    return product / product.sum()


def topsis(
    *,
    matrix: Any,
    weights: Sequence[float] | np.ndarray,
    cost: Sequence[str] | Sequence[bool] | None = None,
    names: Sequence[Any] | None = None,
    criteria: Sequence[str] | None = None,
    normalization: Literal["vector", "minmax"] = "vector",
) -> TOPSISResult:
    """TOPSIS, by default with vector normalisation (Hwang & Yoon 1981).

    ``cost`` lists the criteria (by name, or a boolean mask) where less is better.
    Weights are normalised to sum to 1.  ``normalization="minmax"`` maps every
    criterion linearly onto [0, 1] with 1 best (the variant some papers use).
    """
    x, labels, cols = _decision_matrix(matrix, names, criteria)
    w = np.asarray(weights, dtype=float)
    if w.shape != (len(cols),):
        raise AnalyticsInputError(
            f"权重个数 {w.size} 与指标个数 {len(cols)} 不一致",
            f"{w.size} weights for {len(cols)} criteria",
        )
    if not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
        raise AnalyticsInputError("权重必须为非负且不全为零", "weights must be non-negative, not all zero")
    w = w / w.sum()
    is_cost = _cost_mask(cost, cols)
    if normalization == "vector":
        v = x / np.sqrt((x**2).sum(axis=0)) * w
    elif normalization == "minmax":
        low, high = x.min(axis=0), x.max(axis=0)
        span = np.where(high > low, high - low, 1.0)
        r = np.where(is_cost, high - x, x - low) / span
        # Cost criteria are flipped already: larger is better everywhere now.
        v, is_cost = r * w, np.zeros_like(is_cost)
    else:
        raise AnalyticsInputError(
            f"未知的规范化方法：{normalization}", f"unknown normalization: {normalization}"
        )
    best = np.where(is_cost, v.min(axis=0), v.max(axis=0))
    worst = np.where(is_cost, v.max(axis=0), v.min(axis=0))
    d_best = np.sqrt(((v - best) ** 2).sum(axis=1))
    d_worst = np.sqrt(((v - worst) ** 2).sum(axis=1))
    total = d_best + d_worst
    # Every alternative identical: all equally close, not 0/0.
    closeness = np.divide(d_worst, total, out=np.full_like(total, 0.5), where=total > 0)
    return TOPSISResult(labels, cols, w, closeness, rank_descending(closeness), d_best, d_worst)


def _cost_mask(cost: Sequence[str] | Sequence[bool] | None, cols: list[str]) -> np.ndarray:
    if cost is None:
        return np.zeros(len(cols), dtype=bool)
    items = list(cost)
    if items and all(isinstance(c, bool | np.bool_) for c in items):
        if len(items) != len(cols):
            raise AnalyticsInputError("成本型指标标记个数不对", "cost mask has the wrong length")
        return np.asarray(items, dtype=bool)
    mask = np.zeros(len(cols), dtype=bool)
    for name in items:
        if name not in cols:
            raise AnalyticsInputError(
                f"成本型指标「{name}」不在指标列表中", f"cost criterion '{name}' is not a criterion",
                column=str(name),
            )
        mask[cols.index(name)] = True
    return mask


def rank_descending(values: np.ndarray) -> np.ndarray:
    """Competition ranks, 1 for the largest; equal values (to 1e-12) share a rank."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(values.size, dtype=int)
    previous = None
    for position, i in enumerate(order):
        if previous is not None and abs(values[i] - values[previous]) <= 1e-12:
            ranks[i] = ranks[previous]
        else:
            ranks[i] = position + 1
        previous = i
    return ranks

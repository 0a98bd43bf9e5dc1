"""Analytic hierarchy process: eigenvector weights, consistency, groups and hierarchies.

Random index (RI) tables, by matrix order n:

* ``"saaty1980"`` (default, the table in most Chinese textbooks and in
  Saaty, *The Analytic Hierarchy Process*, 1980):
  0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59
* ``"saaty2005"`` (Saaty, *Theory and Applications of the Analytic Network
  Process*, 2005, p. 31, as used by the ahpy package):
  0, 0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59

CR = CI / RI with CI = (lambda_max - n) / (n - 1); CR < 0.1 is acceptable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .errors import AnalyticsInputError
from .validation import as_matrix, check_names, default_names

__all__ = [
    "AHPResult",
    "HierarchyResult",
    "RANDOM_INDEX",
    "ahp",
    "ahp_group",
    "ahp_hierarchy",
    "parse_judgement",
]

RANDOM_INDEX: dict[str, tuple[float, ...]] = {
    "saaty1980": (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49,
                  1.51, 1.48, 1.56, 1.57, 1.59),
    "saaty2005": (0.0, 0.0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49,
                  1.52, 1.54, 1.56, 1.58, 1.59),
}
CR_LIMIT = 0.1
# How far a_ij * a_ji may stray from 1 when people round 1/3 to 0.33.
RECIPROCAL_TOL = 0.02

RandomIndex = Literal["saaty1980", "saaty2005"]


@dataclass(frozen=True)
class AHPResult:
    names: list[str]
    weights: np.ndarray
    lambda_max: float
    ci: float
    ri: float
    cr: float
    consistent: bool
    random_index_table: str
    #: The judgement (row, column, given value, value the weights imply) whose
    #: revision would lower lambda_max the most; None for a consistent matrix.
    worst_judgement: tuple[str, str, float, float] | None

    def weight_of(self, name: str) -> float:
        return float(self.weights[self.names.index(name)])


@dataclass(frozen=True)
class HierarchyResult:
    criteria: AHPResult
    children: dict[str, AHPResult]
    #: (criterion, child) -> criterion weight x local weight.
    global_weights: dict[tuple[str, str], float]
    #: Child name -> summed global weight (the synthesis when children are
    #: alternatives shared by every criterion).
    by_child: dict[str, float]
    consistent: bool


def parse_judgement(text: Any) -> float:
    """A cell as people write judgements: 3, 0.2, 1/3 or ５ (full-width)."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text)
    value = str(text).strip().translate(_FULLWIDTH)
    if "/" in value:
        num, _, den = value.partition("/")
        return float(num) / float(den)
    return float(value)


_FULLWIDTH = str.maketrans("０１２３４５６７８９／．", "0123456789/.")


def ahp(
    *,
    matrix: Any,
    names: Sequence[Any] | None = None,
    random_index: RandomIndex = "saaty1980",
) -> AHPResult:
    """Principal-eigenvector weights and consistency of one pairwise comparison matrix."""
    a, labels = _check_matrix(matrix, names)
    n = a.shape[0]
    weights, lam = _principal(a)
    table = RANDOM_INDEX.get(random_index)
    if table is None:
        raise AnalyticsInputError(
            f"未知的随机一致性指标表：{random_index}", f"unknown random index table: {random_index}"
        )
    if n > len(table):
        raise AnalyticsInputError(
            f"判断矩阵阶数 {n} 超出随机一致性指标表（最多 {len(table)} 阶）",
            f"matrix order {n} exceeds the random index table (at most {len(table)})",
        )
    ci = (lam - n) / (n - 1) if n > 1 else 0.0
    ri = table[n - 1]
    cr = ci / ri if ri > 0 else 0.0
    # Orders 1 and 2 are always consistent; tiny negatives are round-off.
    ci, cr = max(ci, 0.0), max(cr, 0.0)
    consistent = cr < CR_LIMIT
    return AHPResult(
        names=labels, weights=weights, lambda_max=lam, ci=ci, ri=ri, cr=cr,
        consistent=consistent, random_index_table=random_index,
        worst_judgement=None if consistent else _worst_judgement(a, weights, labels),
    )


def ahp_group(
    *,
    matrices: Sequence[Any],
    names: Sequence[Any] | None = None,
    expert_weights: Sequence[float] | None = None,
    random_index: RandomIndex = "saaty1980",
) -> AHPResult:
    """Several experts' matrices combined cell by cell with the (weighted) geometric mean.

    The geometric mean keeps the combined matrix reciprocal (Aczél & Saaty 1983).
    """
    if not matrices:
        raise AnalyticsInputError("没有专家判断矩阵", "no expert matrices given")
    checked = [_check_matrix(m, names)[0] for m in matrices]
    shapes = {m.shape for m in checked}
    if len(shapes) != 1:
        raise AnalyticsInputError("专家判断矩阵阶数不一致", "expert matrices differ in size")
    k = len(checked)
    w = np.full(k, 1.0 / k) if expert_weights is None else np.asarray(expert_weights, float)
    if w.shape != (k,) or (w < 0).any() or w.sum() <= 0:
        raise AnalyticsInputError("专家权重无效", "invalid expert weights")
    w = w / w.sum()
    combined = np.exp(np.tensordot(w, np.log(np.stack(checked)), axes=1))
    return ahp(matrix=combined, names=names, random_index=random_index)


def ahp_hierarchy(
    *,
    criteria: AHPResult,
    children: Mapping[str, AHPResult],
) -> HierarchyResult:
    """Global weights: each child's local weight times its criterion's weight."""
    missing = [c for c in criteria.names if c not in children]
    if missing:
        raise AnalyticsInputError(
            f"准则「{missing[0]}」缺少下层判断矩阵",
            f"criterion '{missing[0]}' has no child matrix",
        )
    global_weights: dict[tuple[str, str], float] = {}
    by_child: dict[str, float] = {}
    for criterion in criteria.names:
        cw = criteria.weight_of(criterion)
        local = children[criterion]
        for name, lw in zip(local.names, local.weights, strict=True):
            global_weights[(criterion, name)] = cw * float(lw)
            by_child[name] = by_child.get(name, 0.0) + cw * float(lw)
    consistent = criteria.consistent and all(c.consistent for c in children.values())
    return HierarchyResult(criteria, dict(children), global_weights, by_child, consistent)


def _check_matrix(matrix: Any, names: Sequence[Any] | None) -> tuple[np.ndarray, list[str]]:
    rows = list(matrix) if not hasattr(matrix, "shape") else matrix
    n = len(rows)
    labels = default_names(n, names)
    check_names(labels, what_zh="指标", what_en="criterion")
    if len(labels) != n:
        raise AnalyticsInputError(
            f"名称 {len(labels)} 个而矩阵有 {n} 行", f"{len(labels)} names for {n} rows"
        )
    for i, row in enumerate(rows):
        if np.ndim(row) != 1 or len(row) != n:
            raise AnalyticsInputError(
                f"判断矩阵必须是方阵：该行有 {np.size(row)} 个数值，应为 {n} 个",
                f"the matrix must be square: this row has {np.size(row)} values, expected {n}",
                row=labels[i],
            )
    parsed = [[_cell(v, labels[i], labels[j]) for j, v in enumerate(row)] for i, row in enumerate(rows)]
    a = as_matrix(parsed, row_names=labels, column_names=labels)
    for i, j in zip(*np.nonzero(a <= 0), strict=True):
        raise AnalyticsInputError(
            "判断值必须为正数", "judgements must be positive", row=labels[i], column=labels[j]
        )
    for i in range(n):
        if abs(a[i, i] - 1.0) > 1e-9:
            raise AnalyticsInputError(
                "对角线上的判断值必须为 1", "diagonal judgements must be 1",
                row=labels[i], column=labels[i],
            )
    product = a * a.T
    bad = np.abs(product - 1.0) > RECIPROCAL_TOL
    if bad.any():
        i, j = np.argwhere(np.triu(bad))[0]
        raise AnalyticsInputError(
            f"判断矩阵不互反：a[{labels[i]},{labels[j]}] = {a[i, j]:g}，"
            f"而 a[{labels[j]},{labels[i]}] = {a[j, i]:g}（应为 {1 / a[i, j]:g}）",
            f"matrix is not reciprocal: a[{labels[i]},{labels[j]}] = {a[i, j]:g} "
            f"but a[{labels[j]},{labels[i]}] = {a[j, i]:g} (expected {1 / a[i, j]:g})",
            row=labels[j], column=labels[i],
        )
    # Make rounded reciprocals (0.33 for 1/3) exact without favouring either cell.
    return np.sqrt(a / a.T), labels


def _cell(value: Any, row: str, column: str) -> float:
    try:
        return parse_judgement(value)
    except (TypeError, ValueError, ZeroDivisionError):
        raise AnalyticsInputError(
            f"不是数值或分数：{value!r}", f"not a number or fraction: {value!r}",
            row=row, column=column,
        ) from None


def _principal(a: np.ndarray) -> tuple[np.ndarray, float]:
    """Perron eigenvector (normalised to sum 1) and eigenvalue of a positive matrix."""
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    v = np.abs(vectors[:, k].real)
    return v / v.sum(), float(values[k].real)


def _worst_judgement(
    a: np.ndarray, w: np.ndarray, labels: list[str]
) -> tuple[str, str, float, float]:
    # lambda_max = (1/n) * sum_ij e_ij with e_ij = a_ij w_j / w_i, so the pair
    # (i, j) adds (e_ij + 1/e_ij - 2)/n to the excess over n.
    e = a * w[None, :] / w[:, None]
    excess = np.triu(e + 1.0 / e - 2.0, k=1)
    i, j = np.unravel_index(int(np.argmax(excess)), excess.shape)
    return labels[i], labels[j], float(a[i, j]), float(w[i] / w[j])

"""Checks shared by every method: numbers only, finite, non-negative, named errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import AnalyticsInputError

__all__ = ["as_matrix", "check_names", "default_names", "row_width"]


def default_names(count: int, names: Sequence[Any] | None) -> list[str]:
    """Names as strings; without names, rows are numbered from 1 as people count."""
    if names is None:
        return [str(i + 1) for i in range(count)]
    return [str(name) for name in names]


def row_width(rows: Any) -> int:
    """Columns as the first row has them; ragged rows are caught cell by cell later."""
    shape = getattr(rows, "shape", None)
    if shape is not None and len(shape) == 2:
        return int(shape[1])
    for row in rows:
        try:
            return len(row)
        except TypeError:
            return 1
    return 0


def check_names(names: Sequence[str], *, what_zh: str, what_en: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise AnalyticsInputError(
                f"{what_zh}名称「{name}」重复",
                f"{what_en} name '{name}' appears more than once",
                row=name,
            )
        seen.add(name)


def as_matrix(
    values: Any,
    *,
    row_names: Sequence[str],
    column_names: Sequence[str],
    allow_negative: bool = False,
) -> np.ndarray:
    """A float matrix, or an error naming the first bad cell.

    Cells are checked one by one only when the fast conversion fails, so a
    clean 100,000-row matrix costs one numpy conversion.
    """
    rows, cols = len(row_names), len(column_names)
    try:
        matrix = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        matrix = None
    if matrix is None or matrix.shape != (rows, cols):
        _find_bad_cell(values, row_names, column_names)
        shape = getattr(matrix, "shape", None)
        raise AnalyticsInputError(
            f"数据应为 {rows} 行 {cols} 列，实际为 {shape}",
            f"expected {rows} rows and {cols} columns, got shape {shape}",
        )
    bad = ~np.isfinite(matrix)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise AnalyticsInputError(
            "缺少数值或数值无效", "missing or non-finite value",
            row=row_names[i], column=column_names[j],
        )
    if not allow_negative and (matrix < 0).any():
        i, j = np.argwhere(matrix < 0)[0]
        raise AnalyticsInputError(
            f"数值不能为负（{matrix[i, j]:g}）",
            f"value must not be negative ({matrix[i, j]:g})",
            row=row_names[i], column=column_names[j],
        )
    return matrix


def _find_bad_cell(values: Any, row_names: Sequence[str], column_names: Sequence[str]) -> None:
    try:
        rows = list(values)
    except TypeError:
        return
    for i, row in enumerate(rows):
        try:
            cells = list(row)
        except TypeError:
            cells = [row]
        if len(cells) != len(column_names):
            label = row_names[i] if i < len(row_names) else str(i + 1)
            raise AnalyticsInputError(
                f"应有 {len(column_names)} 个数值，实际 {len(cells)} 个",
                f"expected {len(column_names)} values, got {len(cells)}",
                row=label,
            )
        for j, cell in enumerate(cells):
            try:
                float(cell)
            except (TypeError, ValueError):
                label = row_names[i] if i < len(row_names) else str(i + 1)
                raise AnalyticsInputError(
                    f"不是数值：{cell!r}", f"not a number: {cell!r}",
                    row=label, column=column_names[j],
                ) from None

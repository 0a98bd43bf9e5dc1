"""A thin wrapper over highspy: build a dense LP once, then change a few numbers per solve.

Each ``Highs.run()`` costs roughly 0.2 ms however small the LP, so the callers
keep the number of solves down; this wrapper only keeps the per-solve Python
work small and the basis of the previous solve as a warm start.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np

INF = highspy.kHighsInf
_OPTIMAL = highspy.HighsModelStatus.kOptimal


_banner_shown = False


def _new_highs() -> highspy.Highs:
    """A silent Highs instance.

    HiGHS prints its banner to the C-level stdout when the first instance of a
    process is created, before any option can be set; that would corrupt the
    JSON the command line writes, so the first construction runs with file
    descriptor 1 pointed at /dev/null.
    """
    global _banner_shown
    if _banner_shown:
        h = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _banner_shown = True
    h.setOptionValue("output_flag", False)
    return h


@dataclass(frozen=True)
class LPSolution:
    optimal: bool
    objective: float
    x: np.ndarray
    row_dual: np.ndarray
    # Basic variables as HiGHS numbers them: column j, or -1-i for row i.
    basic: np.ndarray


class DenseLP:
    """min c·x subject to row_lower <= A x <= row_upper, col_lower <= x <= col_upper."""

    def __init__(
        self,
        *,
        cost: np.ndarray,
        a: np.ndarray,
        row_lower: np.ndarray,
        row_upper: np.ndarray,
        col_lower: np.ndarray,
        col_upper: np.ndarray,
    ) -> None:
        self.num_row, self.num_col = a.shape
        h = _new_highs()
        lp = highspy.HighsLp()
        lp.num_col_ = self.num_col
        lp.num_row_ = self.num_row
        lp.col_cost_ = np.asarray(cost, dtype=float)
        lp.col_lower_ = np.asarray(col_lower, dtype=float)
        lp.col_upper_ = np.asarray(col_upper, dtype=float)
        lp.row_lower_ = np.asarray(row_lower, dtype=float)
        lp.row_upper_ = np.asarray(row_upper, dtype=float)
        # Column-wise storage of the dense matrix, zeros dropped.
        mask = a != 0
        counts = mask.sum(axis=0)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.concatenate(([0], np.cumsum(counts))).astype(np.int32)
        rows, cols = np.nonzero(mask.T)
        lp.a_matrix_.index_ = cols.astype(np.int32)
        lp.a_matrix_.value_ = a.T[rows, cols].astype(float)
        h.passModel(lp)
        self._h = h

    def set_col_bounds(self, col: int, lower: float, upper: float) -> None:
        self._h.changeColBounds(int(col), float(lower), float(upper))

    def set_coefficient(self, row: int, col: int, value: float) -> None:
        self._h.changeCoeff(int(row), int(col), float(value))

    def set_row_bounds(self, rows: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        self._h.changeRowsBounds(
            len(rows), np.asarray(rows, dtype=np.int32),
            np.asarray(lower, dtype=float), np.asarray(upper, dtype=float),
        )

    def solve(self, *, want_basis: bool = False) -> LPSolution:
        h = self._h
        h.run()
        if h.getModelStatus() != _OPTIMAL:
            # A failed warm start must not poison the next solve.
            h.clearSolver()
            empty = np.empty(0)
            return LPSolution(False, np.nan, empty, empty, empty.astype(int))
        sol = h.getSolution()
        basic = np.empty(0, dtype=int)
        if want_basis:
            basic = np.asarray(h.getBasicVariables()[1], dtype=int)
        return LPSolution(
            True,
            # getInfo() costs as much as a small solve; these do not.
            h.getObjectiveValue(),
            np.asarray(sol.col_value),
            np.asarray(sol.row_dual),
            basic,
        )

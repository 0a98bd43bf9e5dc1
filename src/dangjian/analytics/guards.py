"""A result leaves the package only when it is complete and finite.

The LP engine can fail in ways that return numbers rather than errors (an
empty peer set, NaN slacks on badly scaled data).  These checks run on the
finished result, outside the engine, so whatever the engine does, no caller
(the command line, a web page, a script) ever receives such a result as if it
were right: it gets an :class:`AnalyticsResultError` naming the DMU instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .errors import AnalyticsResultError

if TYPE_CHECKING:
    from .dea import DEAResult

__all__ = ["check_dea_result"]

# Slacks below -SLACK_TOL (in column-mean units) are wrong, not round-off.
SLACK_TOL = 1e-6
_HINT_ZH = "数据各列的数量级可能相差过大，可换用合适的单位（如万元）后重试"
_HINT_EN = "the columns' magnitudes may differ too much; try other units (e.g. thousands)"


def _fail(zh: str, en: str, row: str | None = None) -> AnalyticsResultError:
    return AnalyticsResultError(f"结果不完整：{zh}；{_HINT_ZH}", f"incomplete result: {en}; {_HINT_EN}", row=row)


def check_dea_result(result: DEAResult, *, slacks: bool) -> None:
    """Every DMU has a finite score and, when asked for, finite slacks, targets and peers."""
    names = result.names
    bad = ~np.isfinite(result.scores) | (result.scores <= 0) | ~np.isfinite(result.efficiency)
    if bad.any():
        raise _fail("效率得分无效", "the efficiency score is not a finite positive number", names[int(np.argmax(bad))])
    bad_peers = _bad_peer_rows(result.peers)
    if bad_peers is not None:
        raise _fail("没有参照单元", "no peers", names[bad_peers])
    if slacks:
        parts = (result.input_slacks, result.output_slacks, result.input_targets, result.output_targets)
        if any(p is None for p in parts):
            raise _fail("缺少松弛变量或目标值", "slacks or targets are missing")
        for part in parts:
            bad_rows = ~np.isfinite(part).all(axis=1)
            if bad_rows.any():
                raise _fail("松弛变量或目标值无效", "a slack or target is not finite", names[int(np.argmax(bad_rows))])
        scale = np.concatenate([result._input_scale, result._output_scale])
        if scale.size:
            scaled = np.hstack([result.input_slacks, result.output_slacks]) / scale
            negative = (scaled < -SLACK_TOL).any(axis=1)
            if negative.any():
                raise _fail("松弛变量为负", "a slack is negative", names[int(np.argmax(negative))])
        # A Pareto-efficient DMU always exists (the best one under any positive weights).
        if not result.efficient.any():
            raise _fail("没有一个决策单元被判为有效", "no DMU is efficient")
    if result.super_scores is not None and result.super_infeasible is not None:
        bad = ~np.isfinite(result.super_scores) & ~result.super_infeasible
        if bad.any():
            raise _fail("超效率得分无效", "a super-efficiency score is not finite", names[int(np.argmax(bad))])


def _bad_peer_rows(peers) -> int | None:
    """The first DMU with no peers or a peer weight that is not finite and non-negative."""
    arrays = getattr(peers, "arrays", None)
    if arrays is None:
        for i, row in enumerate(peers):
            if not row or not all(np.isfinite(w) and w >= 0 for w in row.values()):
                return i
        return None
    # The compact form (PeerList): the same test on its arrays, without a dict per DMU.
    ptr, weights = arrays()
    wrong = np.concatenate([[0], np.cumsum(~(np.isfinite(weights) & (weights >= 0)))])
    bad = (np.diff(ptr) == 0) | (wrong[ptr[1:]] > wrong[ptr[:-1]])
    return int(np.argmax(bad)) if bad.any() else None

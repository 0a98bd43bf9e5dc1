"""Malmquist productivity index between consecutive periods (Färe, Grosskopf, Norris & Zhang 1994).

With E_a(b) the CRS Farrell efficiency of period-b data against the period-a
frontier (input orientation by default; under CRS the output orientation
gives the same numbers):

    efficiency change  EC = E_{t+1}(t+1) / E_t(t)
    technical change   TC = sqrt( E_t(t+1)/E_{t+1}(t+1) * E_t(t)/E_{t+1}(t) )
    Malmquist index     M = EC * TC

M > 1 means productivity grew, as in Coelli's DEAP ("tfpch").

With ``vrs=True`` the efficiency change is further split as in Färe et al.
(1994, section 4) and DEAP's "pech" and "sech", with V_a(a) the VRS
efficiency of period-a data against its own period's VRS frontier:

    pure efficiency change   PEC = V_{t+1}(t+1) / V_t(t)
    scale efficiency change  SEC = [E_{t+1}(t+1)/V_{t+1}(t+1)] / [E_t(t)/V_t(t)]

so that EC = PEC * SEC and M = PEC * SEC * TC; M and TC stay the CRS ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

from . import _engine
from .dea import check_dea_data
from .errors import AnalyticsInputError, AnalyticsResultError, warning
from .periods import order_periods

__all__ = ["MalmquistResult", "MalmquistRow", "malmquist"]


@dataclass(frozen=True)
class MalmquistRow:
    id: str
    period_from: str
    period_to: str
    malmquist: float
    efficiency_change: float
    technical_change: float
    #: E_t(t), E_t(t+1), E_{t+1}(t), E_{t+1}(t+1) as defined in the module docstring.
    eff_t_t: float
    eff_t_next: float
    eff_next_t: float
    eff_next_next: float
    #: With ``vrs=True`` only: PEC, SEC and the VRS efficiencies V_t(t), V_{t+1}(t+1).
    pure_efficiency_change: float | None = None
    scale_efficiency_change: float | None = None
    vrs_t_t: float | None = None
    vrs_next_next: float | None = None


@dataclass(frozen=True)
class MalmquistResult:
    orientation: str
    periods: list[str]
    rows: list[MalmquistRow]
    #: DMUs missing from one of two consecutive periods (no index for that pair).
    skipped: list[tuple[str, str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dicts(self) -> list[dict[str, Any]]:
        return [asdict(row) for row in self.rows]


def malmquist(
    *,
    inputs: Any,
    outputs: Any,
    ids: Sequence[Any],
    periods: Sequence[Any],
    input_names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
    orientation: Literal["input", "output"] = "input",
    row_labels: Sequence[str] | None = None,
    vrs: bool = False,
) -> MalmquistResult:
    """Malmquist index for every DMU present in two consecutive periods.

    Rows are (DMU, period) observations; ``ids`` and ``periods`` label them.
    ``row_labels`` names rows in error messages (default: "id (period)").
    ``vrs=True`` adds the decomposition of the efficiency change into pure
    (VRS) efficiency change and scale efficiency change (module docstring).
    """
    if orientation not in ("input", "output"):
        raise AnalyticsInputError(
            f"导向应为 input 或 output：{orientation!r}",
            f"orientation must be input or output: {orientation!r}",
        )
    ids = [str(v) for v in ids]
    periods_raw = list(periods)
    if len(ids) != len(periods_raw):
        raise AnalyticsInputError("编号与时期的行数不一致", "ids and periods differ in length")
    labels = list(row_labels) if row_labels is not None else [
        f"{i} ({p})" for i, p in zip(ids, periods_raw, strict=True)
    ]
    x, y, _, in_names, out_names, _pooled_warnings = check_dea_data(
        inputs=inputs, outputs=outputs, names=labels,
        input_names=input_names, output_names=output_names,
    )
    period_key, order, warnings = order_periods(periods_raw, labels)
    seen: dict[tuple[str, str], int] = {}
    for row, key in enumerate(zip(ids, period_key, strict=True)):
        if key in seen:
            raise AnalyticsInputError(
                f"决策单元 {key[0]} 在时期 {key[1]} 出现两次",
                f"DMU {key[0]} appears twice in period {key[1]}",
                row=labels[row],
            )
        seen[key] = row
    if len(order) < 2:
        raise AnalyticsInputError("至少需要两个时期", "at least two periods are needed")
    members = {p: np.array([seen[(i, p)] for i in ids_in(p, seen)]) for p in order}
    warnings += _check_periods(members, x, y, in_names, out_names)

    crs_model = _engine.Model("crs", orientation)
    vrs_model = _engine.Model("vrs", orientation)
    xs, ys, _, _ = _engine.scale_columns(x, y)

    def efficiency(tech: str, rows: np.ndarray, model: _engine.Model = crs_model) -> np.ndarray:
        ref_rows = members[tech]
        ref = ref_rows[_engine.generators(xs[ref_rows], ys[ref_rows], model)]
        t = _engine.Scorer(xs[ref], ys[ref], model).score(xs[rows], ys[rows]).t
        return t if model.input else 1.0 / t

    result_rows: list[MalmquistRow] = []
    skipped: list[tuple[str, str, str]] = []
    for a, b in zip(order, order[1:], strict=False):
        both = [i for i in ids_in(a, seen) if (i, b) in seen]
        for i in ids_in(a, seen):
            if (i, b) not in seen:
                skipped.append((i, a, b))
        for i in ids_in(b, seen):
            if (i, a) not in seen:
                skipped.append((i, a, b))
        if not both:
            continue
        rows_a = np.array([seen[(i, a)] for i in both])
        rows_b = np.array([seen[(i, b)] for i in both])
        e_aa, e_ab = efficiency(a, rows_a), efficiency(a, rows_b)
        e_ba, e_bb = efficiency(b, rows_a), efficiency(b, rows_b)
        ec = e_bb / e_aa
        tc = np.sqrt((e_ab / e_bb) * (e_aa / e_ba))
        # Per DMU: the VRS split of EC (FGNZ 1994), or nothing.
        split: list[dict[str, float]] = [{} for _ in both]
        if vrs:
            # A VRS frontier always contains the unit's own period: these LPs are feasible.
            v_aa, v_bb = efficiency(a, rows_a, vrs_model), efficiency(b, rows_b, vrs_model)
            pec, sec = v_bb / v_aa, (e_bb / v_bb) / (e_aa / v_aa)
            split = [{"pure_efficiency_change": float(pec[k]), "scale_efficiency_change": float(sec[k]),
                      "vrs_t_t": float(v_aa[k]), "vrs_next_next": float(v_bb[k])} for k in range(len(both))]
        _check_finite(both, a, b, [e_aa, e_ab, e_ba, e_bb], split)
        for k, dmu in enumerate(both):
            result_rows.append(MalmquistRow(
                id=dmu, period_from=a, period_to=b,
                malmquist=float(ec[k] * tc[k]), efficiency_change=float(ec[k]),
                technical_change=float(tc[k]), eff_t_t=float(e_aa[k]),
                eff_t_next=float(e_ab[k]), eff_next_t=float(e_ba[k]),
                eff_next_next=float(e_bb[k]), **split[k],
            ))
    if skipped:
        listed = "、".join(f"{i}（{a}→{b}）" for i, a, b in skipped[:10])
        listed_en = ", ".join(f"{i} ({a} to {b})" for i, a, b in skipped[:10])
        more_zh, more_en = ("等", ", ...") if len(skipped) > 10 else ("", "")
        warnings.append(warning(
            f"{len(skipped)} 处决策单元缺少相邻两期之一的数据，未计算指数：{listed}{more_zh}",
            f"{len(skipped)} DMU and period pairs lack one of the two periods and have no index: {listed_en}{more_en}",
            code="skipped",
        ))
    return MalmquistResult(orientation, order, result_rows, skipped, warnings)


def ids_in(period: str, seen: dict[tuple[str, str], int]) -> list[str]:
    """DMU ids observed in a period, in the order they first appear."""
    return [i for (i, p) in seen if p == period]


def _check_periods(
    members: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray, in_names: list[str], out_names: list[str]
) -> list[str]:
    """Each period's frontier is a DEA of its own: the DEA checks hold per period, not pooled."""
    m, s = len(in_names), len(out_names)
    need = max(2, m + s)
    rule = max(m * s, 3 * (m + s))
    warnings = []
    for period, rows in members.items():
        if len(rows) < need:
            raise AnalyticsInputError(
                f"时期「{period}」只有 {len(rows)} 个决策单元，至少需要 {need} 个（投入数 + 产出数）",
                f"period '{period}' has {len(rows)} DMUs, at least {need} are needed (inputs + outputs)",
            )
        for matrix, cols in ((x, in_names), (y, out_names)):
            for j in np.flatnonzero(~matrix[rows].any(axis=0)):
                raise AnalyticsInputError(
                    f"该列在时期「{period}」全为零", f"the whole column is zero in period '{period}'",
                    column=cols[j],
                )
        if len(rows) < rule:
            warnings.append(warning(
                f"时期「{period}」的决策单元数 {len(rows)} 少于经验法则 max(m·s, 3(m+s)) = {rule}，区分度可能不足",
                f"period '{period}' has {len(rows)} DMUs, below the rule of thumb max(m*s, 3(m+s)) = {rule}; "
                "scores may not discriminate",
                code="few_dmus",
            ))
    return warnings


def _check_finite(
    both: list[str], a: str, b: str, arrays: list[np.ndarray], split: list[dict[str, float]]
) -> None:
    """A distance that is infinite or undefined (an infeasible cross-period LP) is refused, by DMU."""
    for k, dmu in enumerate(both):
        numbers = [float(v[k]) for v in arrays] + list(split[k].values())
        if not all(np.isfinite(v) and v > 0 for v in numbers):
            raise AnalyticsResultError(
                f"决策单元 {dmu} 在 {a}→{b} 的跨期距离函数无解（通常因某些投入或产出为零），Malmquist 指数无定义",
                f"DMU {dmu}: a cross-period distance from {a} to {b} has no solution (usually zero inputs or "
                "outputs), so the Malmquist index is undefined",
            )

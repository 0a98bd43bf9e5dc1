"""Data envelopment analysis: CCR and BCC, input and output orientation.

Scores follow R's Benchmarking package: input orientation reports Farrell
input efficiency theta <= 1, output orientation reports phi >= 1 (how far all
outputs could grow), with ``efficiency`` = 1/phi alongside so both read
"1 is best".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy.optimize import linprog

from . import _engine
from .errors import AnalyticsInputError, warning
from .guards import check_dea_result
from .validation import as_matrix, check_names, default_names, row_width

__all__ = ["DEAResult", "dea", "check_dea_data"]

RTS = Literal["crs", "vrs"]
Orientation = Literal["input", "output"]

# Scores this close to 1 count as efficient (LP round-off is ~1e-12).
EFFICIENT_TOL = 1e-7


@dataclass(frozen=True)
class DEAResult:
    names: list[str]
    input_names: list[str]
    output_names: list[str]
    rts: str
    orientation: str
    #: theta (input, <= 1) or phi (output, >= 1), as R's Benchmarking reports them.
    scores: np.ndarray
    #: theta, or 1/phi: 1 is efficient either way.
    efficiency: np.ndarray
    #: Second-phase slacks in the data's units (None when not computed).
    input_slacks: np.ndarray | None
    output_slacks: np.ndarray | None
    #: Projected inputs and outputs on the efficient frontier.
    input_targets: np.ndarray | None
    output_targets: np.ndarray | None
    #: Per DMU: peer names and their lambda weights.
    peers: list[dict[str, float]]
    #: Andersen-Petersen super-efficiency; NaN where the LP is infeasible.
    super_scores: np.ndarray | None = None
    super_infeasible: np.ndarray | None = None
    #: Indices of the DMUs that span the technology (used as LP columns).
    reference_set: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=int))
    #: AnalyticsWarning strings (Chinese / English), one line each.
    warnings: list[str] = field(default_factory=list)

    @property
    def efficient(self) -> np.ndarray:
        """Radially efficient (score 1) and, when slacks are known, without slack."""
        radial = np.abs(self.efficiency - 1.0) <= EFFICIENT_TOL
        if self.input_slacks is None or self.output_slacks is None:
            return radial
        scale = np.concatenate([self._input_scale, self._output_scale])
        slack = np.hstack([self.input_slacks, self.output_slacks]) / scale
        return radial & (slack.max(axis=1, initial=0.0) <= 1e-6)

    _input_scale: np.ndarray = field(default_factory=lambda: np.ones(0), repr=False)
    _output_scale: np.ndarray = field(default_factory=lambda: np.ones(0), repr=False)

    def rows(self) -> list[dict[str, Any]]:
        """One plain dict per DMU, ready for JSON or a template."""
        out = []
        for i, name in enumerate(self.names):
            row: dict[str, Any] = {
                "id": name,
                "score": _num(self.scores[i]),
                "efficiency": _num(self.efficiency[i]),
                "efficient": bool(self.efficient[i]),
            }
            if self.input_slacks is not None and self.output_slacks is not None:
                row["slacks"] = {
                    **{n: _num(v) for n, v in zip(self.input_names, self.input_slacks[i], strict=True)},
                    **{n: _num(v) for n, v in zip(self.output_names, self.output_slacks[i], strict=True)},
                }
            if self.input_targets is not None and self.output_targets is not None:
                row["targets"] = {
                    **{n: _num(v) for n, v in zip(self.input_names, self.input_targets[i], strict=True)},
                    **{n: _num(v) for n, v in zip(self.output_names, self.output_targets[i], strict=True)},
                }
            row["peers"] = {k: _num(v) for k, v in self.peers[i].items()}
            if self.super_scores is not None and self.super_infeasible is not None:
                row["super_efficiency"] = (
                    None if self.super_infeasible[i] else _num(self.super_scores[i])
                )
                row["super_infeasible"] = bool(self.super_infeasible[i])
            out.append(row)
        return out


def _num(value: float) -> float | None:
    value = float(value)
    return None if np.isnan(value) else value


def check_dea_data(
    *,
    inputs: Any,
    outputs: Any,
    names: Sequence[Any] | None,
    input_names: Sequence[str] | None,
    output_names: Sequence[str] | None,
) -> tuple[np.ndarray, np.ndarray, list[str], list[str], list[str], list[str]]:
    """Validated float matrices and names, or an AnalyticsInputError naming the cell."""
    x_raw = inputs if hasattr(inputs, "shape") else list(inputs)
    y_raw = outputs if hasattr(outputs, "shape") else list(outputs)
    n = len(x_raw)
    if len(y_raw) != n:
        raise AnalyticsInputError(
            f"投入有 {n} 行而产出有 {len(y_raw)} 行",
            f"inputs have {n} rows but outputs have {len(y_raw)}",
        )
    row_names = default_names(n, names)
    check_names(row_names, what_zh="决策单元", what_en="DMU")
    m, s = row_width(x_raw), row_width(y_raw)
    in_names = list(input_names) if input_names is not None else [f"x{i + 1}" for i in range(m)]
    out_names = list(output_names) if output_names is not None else [f"y{i + 1}" for i in range(s)]
    if not in_names or not out_names:
        raise AnalyticsInputError(
            "至少需要一个投入和一个产出", "at least one input and one output are needed"
        )
    _check_columns(in_names, out_names)
    x = as_matrix(x_raw, row_names=row_names, column_names=in_names)
    y = as_matrix(y_raw, row_names=row_names, column_names=out_names)
    warnings: list[str] = []
    m, s = len(in_names), len(out_names)
    if n < max(2, m + s):
        raise AnalyticsInputError(
            f"决策单元太少：{n} 个，至少需要 {max(2, m + s)} 个（投入数 + 产出数）",
            f"too few DMUs: {n}, at least {max(2, m + s)} needed (inputs + outputs)",
        )
    rule = max(m * s, 3 * (m + s))
    if n < rule:
        warnings.append(warning(
            f"决策单元数 {n} 少于经验法则 max(m·s, 3(m+s)) = {rule}，区分度可能不足",
            f"{n} DMUs is below the rule of thumb max(m*s, 3(m+s)) = {rule}; scores may not discriminate",
            code="few_dmus",
        ))
    for matrix, cols in ((x, in_names), (y, out_names)):
        for j in np.flatnonzero(~matrix.any(axis=0)):
            raise AnalyticsInputError("整列为零", "the whole column is zero", column=cols[j])
    for i in np.flatnonzero(~x.any(axis=1)):
        raise AnalyticsInputError(
            "投入全为零", "all inputs are zero", row=row_names[i], column=", ".join(in_names)
        )
    for i in np.flatnonzero(~y.any(axis=1)):
        raise AnalyticsInputError(
            "产出全为零", "all outputs are zero", row=row_names[i], column=", ".join(out_names)
        )
    return x, y, row_names, in_names, out_names, warnings


def _check_columns(in_names: list[str], out_names: list[str]) -> None:
    """A column listed twice, or both as input and output, makes the analysis meaningless."""
    for names, zh, en in ((in_names, "投入", "inputs"), (out_names, "产出", "outputs")):
        for j, name in enumerate(names):
            if name in names[:j]:
                raise AnalyticsInputError(
                    f"该列在{zh}中列了两次", f"the column is listed twice among the {en}", column=str(name)
                )
    for name in in_names:
        if name in out_names:
            raise AnalyticsInputError(
                "同一列不能既是投入又是产出（否则每个决策单元的得分都是 1）",
                "a column cannot be both an input and an output (every DMU would score 1)",
                column=str(name),
            )


def _first_phase_peers(
    xs: np.ndarray, ys: np.ndarray, ref: np.ndarray, model: _engine.Model, scores: np.ndarray,
    peers: list[np.ndarray], weights: list[np.ndarray],
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The engine's first-phase peers, with any it left empty found by a feasibility LP.

    At the optimal score every lambda that satisfies the envelopment constraints
    is an optimal solution, so one such lambda against the reference set gives
    the DMU's peers; without it the result would be incomplete.
    """
    peers, weights = list(peers), list(weights)
    for o in [i for i, p in enumerate(peers) if len(p) == 0]:
        # A hair of slack on the score absorbs the LP's own round-off.
        if model.input:
            x_cap, y_need = scores[o] * (1 + 1e-9) * xs[o], ys[o]
        else:
            x_cap, y_need = xs[o], scores[o] * (1 - 1e-9) * ys[o]
        xr, yr = xs[ref], ys[ref]
        sol = linprog(
            np.ones(ref.size), A_ub=np.vstack([xr.T, -yr.T]), b_ub=np.concatenate([x_cap, -y_need]),
            A_eq=np.ones((1, ref.size)) if model.vrs else None, b_eq=[1.0] if model.vrs else None,
            bounds=(0, None), method="highs",
        )
        if sol.status == 0:
            keep = np.flatnonzero(sol.x > 1e-9)
            peers[o], weights[o] = ref[keep], sol.x[keep]
    return peers, weights


def dea(
    *,
    inputs: Any,
    outputs: Any,
    names: Sequence[Any] | None = None,
    input_names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
    rts: RTS = "crs",
    orientation: Orientation = "input",
    slacks: bool = True,
    super_efficiency: bool = False,
    workers: int = 1,
) -> DEAResult:
    """Radial DEA scores, with second-phase slacks, targets, peers and super-efficiency.

    ``inputs`` is an (n, m) array, ``outputs`` (n, s); rows are DMUs.
    ``slacks=False`` skips the second phase (one small LP per DMU) and reports
    the first-phase peers: use it for scores of very many DMUs.  ``workers``
    > 1 scores large sets (20,000 DMUs and up) in that many forked processes;
    leave it at 1 inside web workers.
    """
    if rts not in ("crs", "vrs"):
        raise AnalyticsInputError(f"规模报酬应为 crs 或 vrs：{rts!r}", f"rts must be crs or vrs: {rts!r}")
    if orientation not in ("input", "output"):
        raise AnalyticsInputError(
            f"导向应为 input 或 output：{orientation!r}",
            f"orientation must be input or output: {orientation!r}",
        )
    x, y, row_names, in_names, out_names, warnings = check_dea_data(
        inputs=inputs, outputs=outputs, names=names,
        input_names=input_names, output_names=output_names,
    )
    model = _engine.Model(rts, orientation)
    xs, ys, sx, sy = _engine.scale_columns(x, y)
    outcome, ref = _engine.radial_scores(xs, ys, model, want_peers=not slacks, workers=workers)
    # Round-off leaves efficient units at 1 +- 1e-14; report them as exactly 1.
    scores = np.where(np.abs(outcome.t - 1.0) <= 1e-9, 1.0, outcome.t)
    efficiency = scores if model.input else 1.0 / scores

    in_slack = out_slack = in_target = out_target = None
    if slacks:
        slack_x, slack_y, peer_idx, peer_w = _engine.max_slacks(
            xs, ys, ref, model, scores, (sx, sy)
        )
        in_slack, out_slack = slack_x * sx, slack_y * sy
        if model.input:
            in_target = scores[:, None] * x - in_slack
            out_target = y + out_slack
        else:
            in_target = x - in_slack
            out_target = scores[:, None] * y + out_slack
    else:
        peer_idx, peer_w = _first_phase_peers(xs, ys, ref, model, scores, outcome.peers, outcome.weights)
    peers = [
        {row_names[j]: float(w) for j, w in zip(idx, wts, strict=True)}
        for idx, wts in zip(peer_idx, peer_w, strict=True)
    ]

    super_scores = super_infeasible = None
    if super_efficiency:
        super_scores = scores.copy()
        candidates = np.flatnonzero(np.abs(efficiency - 1.0) <= EFFICIENT_TOL)
        values = _engine.super_scores(xs, ys, ref, model, candidates)
        super_scores[candidates] = values
        super_infeasible = np.isnan(super_scores)

    result = DEAResult(
        names=row_names, input_names=in_names, output_names=out_names,
        rts=rts, orientation=orientation, scores=scores, efficiency=efficiency,
        input_slacks=in_slack, output_slacks=out_slack,
        input_targets=in_target, output_targets=out_target, peers=peers,
        super_scores=super_scores, super_infeasible=super_infeasible,
        reference_set=ref, warnings=warnings, _input_scale=sx, _output_scale=sy,
    )
    check_dea_result(result, slacks=slacks)
    return result

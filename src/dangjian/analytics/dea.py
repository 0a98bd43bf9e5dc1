"""Data envelopment analysis: CCR and BCC, input and output orientation.

Scores follow R's Benchmarking package: input orientation reports Farrell
input efficiency theta <= 1, output orientation reports phi >= 1 (how far all
outputs could grow), with ``efficiency`` = 1/phi alongside so both read
"1 is best".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from . import _engine, _parallel
from .errors import AnalyticsInputError, AnalyticsResultError, warning
from .guards import check_dea_result
from .validation import as_matrix, check_names, default_names, row_width

__all__ = ["DEAResult", "dea", "check_dea_data"]

RTS = Literal["crs", "vrs"]
Orientation = Literal["input", "output"]

# Scores this close to 1 count as efficient (LP round-off is ~1e-12).
EFFICIENT_TOL = 1e-7


class PeerList(Sequence[dict[str, float]]):
    """Per DMU, ``{peer name: lambda}``; built on access so a million DMUs stay compact."""

    def __init__(self, names: list[str], ptr: np.ndarray, idx: np.ndarray, weights: np.ndarray) -> None:
        self._names, self._ptr, self._idx, self._w = names, ptr, idx, weights

    def __len__(self) -> int:
        return self._ptr.size - 1

    def _one(self, i: int) -> dict[str, float]:
        a, b = self._ptr[i], self._ptr[i + 1]
        return {self._names[j]: float(w) for j, w in zip(self._idx[a:b], self._w[a:b], strict=True)}

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._one(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._one(i)

    def __iter__(self) -> Iterator[dict[str, float]]:
        return (self._one(i) for i in range(len(self)))

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Row pointers and lambda weights (DMU i's weights are ``w[ptr[i]:ptr[i+1]]``)."""
        return self._ptr, self._w

    def dicts(self, value: Callable[[list[float]], list[Any]] | None = None) -> list[dict[str, Any]]:
        """Every DMU's dict at once (``value`` maps the weights list, e.g. NaN to None)."""
        names = self._names
        peer_names = [names[j] for j in self._idx.tolist()]
        weights = self._w.tolist() if value is None else value(self._w)
        ptr = self._ptr.tolist()
        return [dict(zip(peer_names[a:b], weights[a:b], strict=True)) for a, b in zip(ptr, ptr[1:], strict=False)]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"PeerList({len(self)} DMUs)"


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
    #: Per DMU: peer names and their lambda weights (a sequence of dicts).
    peers: Sequence[dict[str, float]]
    #: Andersen-Petersen super-efficiency; NaN where the LP is infeasible.
    super_scores: np.ndarray | None = None
    super_infeasible: np.ndarray | None = None
    #: Indices of the DMUs that span the technology (used as LP columns).
    reference_set: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=int))
    #: AnalyticsWarning strings (Chinese / English), one line each.
    warnings: list[str] = field(default_factory=list)
    #: How the work went (LP counts, CPU milliseconds per stage and per partition).
    stats: dict[str, Any] = field(default_factory=dict, compare=False)

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
        # Whole columns to Python floats once (NaN as None), not one numpy scalar per cell.
        efficient = self.efficient.tolist()
        scores, eff = _plain(self.scores), _plain(self.efficiency)
        columns = [*self.input_names, *self.output_names]
        slacks = targets = None
        if self.input_slacks is not None and self.output_slacks is not None:
            slacks = _plain(np.hstack([self.input_slacks, self.output_slacks]))
        if self.input_targets is not None and self.output_targets is not None:
            targets = _plain(np.hstack([self.input_targets, self.output_targets]))
        supers = None
        if self.super_scores is not None and self.super_infeasible is not None:
            supers = _plain(self.super_scores)
            infeasible = self.super_infeasible.tolist()
        if isinstance(self.peers, PeerList):
            peers = self.peers.dicts(_plain)
        else:
            peers = [{k: _num(v) for k, v in row.items()} for row in self.peers]
        for i, name in enumerate(self.names):
            row: dict[str, Any] = {
                "id": name,
                "score": scores[i],
                "efficiency": eff[i],
                "efficient": efficient[i],
            }
            if slacks is not None:
                row["slacks"] = dict(zip(columns, slacks[i], strict=True))
            if targets is not None:
                row["targets"] = dict(zip(columns, targets[i], strict=True))
            row["peers"] = peers[i]
            if supers is not None:
                row["super_efficiency"] = None if infeasible[i] else supers[i]
                row["super_infeasible"] = infeasible[i]
            out.append(row)
        return out

    def json_lines(self, start: int = 0, stop: int | None = None) -> list[str] | None:
        """``json.dumps(row, ensure_ascii=False)`` of rows ``start:stop`` of ``rows()``, built from the columns.

        Three times faster than encoding the dicts (a million numbers are the
        bulk of the command's output).  None when a value is not finite (or
        peers are not the compact PeerList): the caller then encodes
        ``rows()``, which says where.
        """
        from json.encoder import encode_basestring

        if not isinstance(self.peers, PeerList):
            return None
        parts = [self.scores, self.efficiency]
        slacks = self.input_slacks is not None and self.output_slacks is not None
        targets = self.input_targets is not None and self.output_targets is not None
        if slacks:
            parts += [self.input_slacks, self.output_slacks]
        if targets:
            parts += [self.input_targets, self.output_targets]
        supers = self.super_scores is not None and self.super_infeasible is not None
        if supers:
            parts.append(np.where(self.super_infeasible, 1.0, self.super_scores))
        ptr, weights = self.peers.arrays()
        if not all(np.isfinite(a).all() for a in [*parts, weights]):
            return None
        rows = slice(start, len(self.names) if stop is None else stop)
        lo, hi = rows.start, rows.stop
        names = list(map(encode_basestring, self.names))
        columns = [encode_basestring(c) for c in (*self.input_names, *self.output_names)]
        block = "{" + ", ".join(f"{c.replace('%', '%%')}: %r" for c in columns) + "}"
        template = '{"id": %s, "score": %r, "efficiency": %r, "efficient": %s'
        values: list[list[Any]] = [names[rows], self.scores[rows].tolist(), self.efficiency[rows].tolist(),
                                   ["true" if e else "false" for e in self.efficient[rows].tolist()]]
        if slacks:
            template += ', "slacks": ' + block
            values += np.hstack([self.input_slacks[rows], self.output_slacks[rows]]).T.tolist()
        if targets:
            template += ', "targets": ' + block
            values += np.hstack([self.input_targets[rows], self.output_targets[rows]]).T.tolist()
        template += ', "peers": {%s}'
        a, b = int(ptr[lo]), int(ptr[hi])
        peer_names = [names[j] for j in self.peers._idx[a:b].tolist()]
        peer_w = weights[a:b].tolist()
        bounds = (ptr[lo : hi + 1] - a).tolist()
        values.append([", ".join([f"{k}: {w!r}" for k, w in zip(peer_names[i:j], peer_w[i:j], strict=True)])
                       for i, j in zip(bounds, bounds[1:], strict=False)])
        if supers:
            template += ', "super_efficiency": %s, "super_infeasible": %s'
            infeasible = self.super_infeasible[rows].tolist()
            values.append(["null" if bad else repr(v)
                           for v, bad in zip(self.super_scores[rows].tolist(), infeasible, strict=True)])
            values.append(["true" if bad else "false" for bad in infeasible])
        template += "}"
        lines = [template % row for row in zip(*values, strict=True)]
        return lines


def _num(value: float) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def _plain(values: np.ndarray) -> list[Any]:
    """``values.tolist()`` with NaN as None (at any depth)."""
    if not np.isnan(values).any():
        return values.tolist()
    return np.where(np.isnan(values), None, values.astype(object)).tolist()


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
    dask: Any = None,
    progress: Callable[[str], None] | None = None,
) -> DEAResult:
    """Radial DEA scores, with second-phase slacks, targets, peers and super-efficiency.

    ``inputs`` is an (n, m) array, ``outputs`` (n, s); rows are DMUs.
    ``slacks=False`` skips the second phase and reports the first-phase
    peers.  ``workers`` > 1 scores large sets (20,000 DMUs and up) in that many
    forked processes; leave it at 1 inside web workers.  ``dask`` partitions
    the work over a Dask cluster instead: a scheduler address, ``"local"`` for
    a LocalCluster on this machine, or a ``distributed.Client`` (needs the
    ``dask`` extra).  ``progress`` receives a line per stage of a large run.
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
    m = x.shape[1]
    executor = _parallel.make_executor(workers=workers, dask=dask)
    try:
        ev = _engine.evaluate(xs, ys, model, slacks=slacks, executor=executor, progress=progress)
        ref = ev.ref
        # Round-off leaves efficient units at 1 +- 1e-14; report them as exactly 1.
        scores = np.where(np.abs(ev.t - 1.0) <= 1e-9, 1.0, ev.t)
        efficiency = scores if model.input else 1.0 / scores
        super_scores = super_infeasible = None
        if super_efficiency:
            if progress:
                progress("super-efficiency of the efficient DMUs")
            super_scores = scores.copy()
            candidates = np.flatnonzero(np.abs(efficiency - 1.0) <= EFFICIENT_TOL)
            values = _engine.super_scores(xs, ys, ref, model, candidates)
            super_scores[candidates] = values
            super_infeasible = np.isnan(super_scores)
    finally:
        executor.close()
    if progress:
        progress(f"done: {len(row_names):,} DMUs, reference set of {ref.size:,}")
    # Never a silent gap: a DMU without a proven optimum stops the run, named.
    if not ev.feasible.all():
        raise AnalyticsResultError(
            "该决策单元的线性规划无解（求解器未得到最优解）", "no optimal solution of this DMU's LP",
            row=row_names[int(np.flatnonzero(~ev.feasible)[0])],
        )
    if slacks and ev.failed.size:
        raise AnalyticsResultError(
            f"{ev.failed.size} 个决策单元的第二阶段（松弛）未求得最优解",
            f"the second phase (slacks) of {ev.failed.size} DMU(s) was not solved to optimality",
            row=row_names[int(ev.failed[0])],
        )

    in_slack = out_slack = in_target = out_target = None
    if slacks:
        in_slack, out_slack = ev.slack[:, :m] * sx, ev.slack[:, m:] * sy
        if model.input:
            in_target = scores[:, None] * x - in_slack
            out_target = y + out_slack
        else:
            in_target = x - in_slack
            out_target = scores[:, None] * y + out_slack
    peers = PeerList(row_names, ev.peer_ptr, ev.peer_idx, ev.peer_w)

    result = DEAResult(
        names=row_names, input_names=in_names, output_names=out_names,
        rts=rts, orientation=orientation, scores=scores, efficiency=efficiency,
        input_slacks=in_slack, output_slacks=out_slack,
        input_targets=in_target, output_targets=out_target, peers=peers,
        super_scores=super_scores, super_infeasible=super_infeasible,
        reference_set=ref, warnings=warnings, stats={**ev.stats, "partitions": ev.part_stats},
        _input_scale=sx, _output_scale=sy,
    )
    check_dea_result(result, slacks=slacks)
    return result

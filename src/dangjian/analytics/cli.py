"""``dangjian-analyze``: the analytics engine for analysts who bring a CSV or xlsx file.

Output is one JSON object with a ``results`` list (or CSV with one line per
result, UTF-8 with a BOM so Excel reads the Chinese headers).  Warnings go to
stderr in every format.  Bad input, or a result that is not complete and
finite, prints one line to stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from collections.abc import Sequence
from typing import Any, NoReturn

import numpy as np

from ._parallel import available_cores
from .ahp import ahp
from .dea import DEAResult, dea
from .errors import AnalyticsInputError, AnalyticsResultError, warning
from .malmquist import malmquist
from .mcdm import entropy_weights, topsis
from .tables import Table, read_table

__all__ = ["main"]

EXIT_BAD_INPUT = 2
EXIT_INCONSISTENT = 1


class _Parser(argparse.ArgumentParser):
    """argparse prints usage plus the error; scripts want one line."""

    def error(self, message: str) -> NoReturn:
        required = "the following arguments are required: "
        if message.startswith(required):
            missing = message[len(required):]
            raise AnalyticsInputError(f"命令行参数错误：缺少必需的参数 {missing}", f"bad arguments: {message}")
        raise AnalyticsInputError(f"命令行参数错误：{message}", f"bad arguments: {message}")


def _names(text: str | None, option: str) -> list[str]:
    names = [n.strip() for n in (text or "").split(",") if n.strip()]
    if not names:
        raise AnalyticsInputError(f"{option} 需要至少一个列名", f"{option} needs at least one column name")
    return names


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dangjian-analyze", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(p: argparse.ArgumentParser, *, rows: bool = True, id_required: bool = False,
               id_help: str = "column naming each row (default: line number)") -> None:
        p.add_argument("file", help=".csv or .xlsx file; the first row holds the column names")
        if rows:
            p.add_argument("--id", dest="id_column", required=id_required, help=id_help)
        p.add_argument("--format", choices=("json", "csv"), default="json",
                       help="json (default) or csv (UTF-8 with BOM, for Excel); warnings go to stderr")

    def parallel(p: argparse.ArgumentParser) -> None:
        p.add_argument("--workers", type=int, default=None,
                       help=f"processes for large files (default: every core, {available_cores()} here)")
        p.add_argument("--dask", metavar="ADDRESS",
                       help="partition the work over a Dask cluster: scheduler address, or 'local'")

    p = sub.add_parser("dea", help="CCR/BCC data envelopment analysis")
    common(p)
    p.add_argument("--inputs", required=True, help="input columns, comma separated")
    p.add_argument("--outputs", required=True, help="output columns, comma separated")
    p.add_argument("--rts", choices=("crs", "vrs"), default="crs")
    p.add_argument("--orientation", choices=("input", "output"), default="input")
    p.add_argument("--super", action="store_true", help="add Andersen-Petersen super-efficiency")
    p.add_argument("--no-slacks", action="store_true", help="skip the second phase")
    parallel(p)

    p = sub.add_parser("malmquist", help="Malmquist productivity index between periods")
    common(p, id_required=True, id_help="column naming each DMU (required: it follows a DMU across periods)")
    p.add_argument("--period", required=True,
                   help="period column: years, quarters (2023Q3, 2023年第3季度), months (2023-09, 2023.10, "
                        "2023年9月) or dates (2023/9/1), one form throughout")
    p.add_argument("--inputs", required=True)
    p.add_argument("--outputs", required=True)
    p.add_argument("--orientation", choices=("input", "output"), default="input")
    p.add_argument("--vrs", action="store_true",
                   help="split the efficiency change into pure (VRS) and scale efficiency change")
    parallel(p)

    p = sub.add_parser("ahp", help="AHP weights and consistency of a pairwise matrix")
    common(p, rows=False)
    p.add_argument("--random-index", choices=("saaty1980", "saaty2005"), default="saaty1980")
    p.add_argument("--strict", action="store_true",
                   help=f"exit {EXIT_INCONSISTENT} when CR >= 0.1 (the reason is printed on stderr)")

    p = sub.add_parser("entropy", help="entropy weights of criteria")
    common(p)
    p.add_argument("--criteria", required=True)

    p = sub.add_parser("topsis", help="TOPSIS closeness and rank")
    common(p)
    p.add_argument("--criteria", required=True)
    p.add_argument("--weights", required=True, help="one weight per criterion, comma separated")
    p.add_argument("--cost", help="criteria where less is better, comma separated")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _build_parser().parse_args(argv)
        payload, rows, status = _COMMANDS[args.command](args)
        text = _render_checked(payload, rows, args.format)
    except AnalyticsInputError as exc:
        print(f"dangjian-analyze: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    _write_stdout(text)
    label = "警告" if status == 0 else "不通过"
    for line in payload.get("warnings", []):
        print(f"dangjian-analyze: {label}：{line}", file=sys.stderr)
    return status


def _parallel_options(args: argparse.Namespace) -> dict[str, Any]:
    """workers (default: every core), dask, and progress lines on stderr for long runs."""
    workers = available_cores() if args.workers is None else args.workers
    if workers < 1:
        raise AnalyticsInputError("--workers 至少为 1", "--workers must be at least 1")
    return {"workers": workers, "dask": args.dask or None, "progress": _Progress()}


class _Progress:
    """Prints stage lines to stderr once a run has taken a few seconds (quiet for small files)."""

    QUIET_SECONDS = 2.0

    def __init__(self) -> None:
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        elapsed = time.perf_counter() - self.start
        if elapsed >= self.QUIET_SECONDS:
            print(f"dangjian-analyze: [{elapsed:7.1f} s] {message}", file=sys.stderr, flush=True)


def _write_stdout(text: str) -> None:
    """UTF-8 whatever the console's code page: the BOM and the Chinese survive redirection on Windows."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def _check_finite(payload: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """The last line of defence: no NaN or infinity reaches the output, in any format."""

    def walk(value: Any, where: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}.{key}" if where else str(key))
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item, where)
        elif isinstance(value, float | np.floating) and not np.isfinite(value):
            raise AnalyticsResultError(
                f"结果中「{where}」不是有限数值", f"the result's '{where}' is not a finite number"
            )

    try:
        # Fast: the C encoder refuses NaN and infinity; only then look for where.
        json.dumps([payload, rows], allow_nan=False, default=_json_default)
        return
    except ValueError:
        pass
    walk(payload, "")
    for row in rows:
        walk(row, str(row.get("id", "")))


class _DEARows:
    """A DEA result's rows, encoded straight from its columns when the output is JSON.

    Large results are encoded in two halves at once, the second in a forked
    process (the result is already in its memory; only the text comes back).
    """

    #: Fewer rows than this are encoded in this process alone.
    SPLIT_ROWS = 20_000

    def __init__(self, result: DEAResult, workers: int = 1) -> None:
        self.result = result
        self.workers = workers

    def lines(self) -> list[str] | None:
        n = len(self.result.names)
        if self.workers < 2 or n < self.SPLIT_ROWS or not _can_fork():
            return self.result.json_lines()
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _FORKED
        half = n // 2
        _FORKED = self.result
        try:
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
                other = pool.submit(_joined_lines, half, n)
                first = self.result.json_lines(0, half)
                second = other.result()
        finally:
            _FORKED = None
        if first is None or second is None:
            return None
        return [*first, second] if second else first

    def rows(self) -> list[dict[str, Any]]:
        return self.result.rows()


_FORKED: DEAResult | None = None


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _joined_lines(start: int, stop: int) -> str | None:
    """In the forked process: rows start:stop as one string (one cheap transfer, not 50,000)."""
    assert _FORKED is not None
    lines = _FORKED.json_lines(start, stop)
    return None if lines is None else ",\n    ".join(lines)


def _render_checked(payload: dict[str, Any], rows: Any, fmt: str) -> str:
    """The output text; AnalyticsResultError if any number in it is not finite."""
    if isinstance(rows, _DEARows):
        lines = rows.lines() if fmt == "json" else None
        if lines is not None:
            # json_lines() refuses non-finite values, so only the run-level fields are left to check.
            _check_finite(payload, [])
            return _render_json(payload, lines)
        rows = rows.rows()
    if fmt == "json":
        try:
            # The encoder refuses NaN and infinity; only then look for where.
            return _render(payload, rows, fmt)
        except ValueError:
            _check_finite(payload, rows)
            raise
    _check_finite(payload, rows)
    return _render(payload, rows, fmt)


def _run_dea(args: argparse.Namespace) -> tuple[dict[str, Any], Any, int]:
    table = read_table(args.file)
    inputs, outputs = _names(args.inputs, "--inputs"), _names(args.outputs, "--outputs")
    x, y = table.numbers(inputs), table.numbers(outputs)
    _check_non_negative(table, x, inputs)
    _check_non_negative(table, y, outputs)
    options = _parallel_options(args)
    result = dea(
        inputs=x, outputs=y, names=table.ids(args.id_column), input_names=inputs,
        output_names=outputs, rts=args.rts, orientation=args.orientation,
        slacks=not args.no_slacks, super_efficiency=args.super, **options,
    )
    payload = {"method": "dea", "rts": args.rts, "orientation": args.orientation,
               "warnings": result.warnings}
    return payload, _DEARows(result, workers=options["workers"]), 0


def _run_malmquist(args: argparse.Namespace) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    table = read_table(args.file)
    if args.id_column == args.period:
        raise AnalyticsInputError(
            "--id 与 --period 不能是同一列", "--id and --period must be different columns", column=args.period
        )
    inputs, outputs = _names(args.inputs, "--inputs"), _names(args.outputs, "--outputs")
    x, y = table.numbers(inputs), table.numbers(outputs)
    _check_non_negative(table, x, inputs)
    _check_non_negative(table, y, outputs)
    ids = table.ids(args.id_column)
    # Raw cells: a spreadsheet's date or number cell says more than its text.
    periods = table.column(args.period)
    result = malmquist(
        inputs=x, outputs=y, ids=ids, periods=periods, input_names=inputs,
        output_names=outputs, orientation=args.orientation,
        row_labels=[str(line) for line in table.lines], vrs=args.vrs, **_parallel_options(args),
    )
    rows = []
    for r in result.rows:
        row = {"id": r.id, "period_from": r.period_from, "period_to": r.period_to,
               "malmquist": r.malmquist, "efficiency_change": r.efficiency_change,
               "technical_change": r.technical_change}
        if args.vrs:
            row |= {"pure_efficiency_change": r.pure_efficiency_change,
                    "scale_efficiency_change": r.scale_efficiency_change}
        rows.append(row)
    payload = {"method": "malmquist", "orientation": args.orientation, "vrs": args.vrs, "periods": result.periods,
               "skipped": [{"id": i, "period_from": a, "period_to": b} for i, a, b in result.skipped],
               "warnings": result.warnings}
    return payload, rows, 0


def _run_ahp(args: argparse.Namespace) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    table = read_table(args.file)
    names = [str(row[0]).strip() for row in table.rows]
    header = table.header[1:]
    if header != names:
        raise AnalyticsInputError(
            "判断矩阵的表头与第一列名称应一致且顺序相同",
            "the header row and the first column must list the same names in the same order",
            row=table.lines[0] - 1,
        )
    cells = [row[1:] for row in table.rows]
    result = ahp(matrix=cells, names=names, random_index=args.random_index)
    rows = [{"id": n, "weight": float(w)} for n, w in zip(result.names, result.weights, strict=True)]
    worst = result.worst_judgement
    warnings = []
    if worst is not None:
        warnings.append(warning(
            f"判断矩阵一致性不足（CR = {result.cr:.3f}，应小于 0.1）；最不一致的判断是「{worst[0]}」对「{worst[1]}」："
            f"给出 {worst[2]:.4g}，权重所隐含的值为 {worst[3]:.4g}",
            f"the matrix is not consistent enough (CR = {result.cr:.3f}, must be below 0.1); the least consistent "
            f"judgement is '{worst[0]}' over '{worst[1]}': {worst[2]:.4g} given, {worst[3]:.4g} implied by the weights",
            code="inconsistent",
        ))
    payload: dict[str, Any] = {
        "method": "ahp", "lambda_max": result.lambda_max, "ci": result.ci, "ri": result.ri,
        "cr": result.cr, "consistent": result.consistent,
        "random_index_table": result.random_index_table,
        "worst_judgement": None if worst is None else {
            "row": worst[0], "column": worst[1], "value": worst[2], "implied": worst[3]},
        "warnings": warnings,
    }
    status = EXIT_INCONSISTENT if args.strict and not result.consistent else 0
    return payload, rows, status


def _run_entropy(args: argparse.Namespace) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    table = read_table(args.file)
    criteria = _names(args.criteria, "--criteria")
    x = table.numbers(criteria)
    _check_non_negative(table, x, criteria)
    result = entropy_weights(matrix=x, criteria=criteria, names=table.ids(args.id_column))
    rows = [{"id": c, "weight": float(w), "entropy": float(e)}
            for c, w, e in zip(result.criteria, result.weights, result.entropy, strict=True)]
    return {"method": "entropy", "warnings": []}, rows, 0


def _run_topsis(args: argparse.Namespace) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    table = read_table(args.file)
    criteria = _names(args.criteria, "--criteria")
    weights = []
    for text in _names(args.weights, "--weights"):
        try:
            weights.append(float(text))
        except ValueError:
            raise AnalyticsInputError(f"权重不是数值：{text!r}", f"weight is not a number: {text!r}") from None
    x = table.numbers(criteria)
    _check_non_negative(table, x, criteria)
    cost = _names(args.cost, "--cost") if args.cost else None
    result = topsis(matrix=x, weights=weights, cost=cost, names=table.ids(args.id_column),
                    criteria=criteria)
    rows = [{"id": n, "closeness": float(c), "rank": int(r)}
            for n, c, r in zip(result.names, result.closeness, result.rank, strict=True)]
    return {"method": "topsis",
            "weights": {c: float(w) for c, w in zip(result.criteria, result.weights, strict=True)},
            "cost": [c for c, m in zip(criteria, _mask(criteria, cost), strict=True) if m],
            "warnings": []}, rows, 0


def _mask(criteria: list[str], cost: list[str] | None) -> list[bool]:
    return [c in (cost or []) for c in criteria]


def _check_non_negative(table: Table, values: np.ndarray, columns: list[str]) -> None:
    """Negative cells named by file line, before the API names them by DMU."""
    bad = np.argwhere(values < 0)
    if bad.size:
        r, c = bad[0]
        raise AnalyticsInputError(
            f"数值不能为负（{values[r, c]:g}）", f"value must not be negative ({values[r, c]:g})",
            row=table.lines[r], column=columns[c],
        )


_COMMANDS = {
    "dea": _run_dea,
    "malmquist": _run_malmquist,
    "ahp": _run_ahp,
    "entropy": _run_entropy,
    "topsis": _run_topsis,
}


# Run-level fields that go to stderr, not into the CSV (the API lists skipped pairs among the warnings).
_STDERR_ONLY = {"warnings", "skipped"}


def _render(payload: dict[str, Any], rows: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return _render_json(payload, [json.dumps(row, ensure_ascii=False, allow_nan=False, default=_json_default)
                                      for row in rows])
    flat = [_flatten(row) for row in rows]
    extra = _flatten({k: v for k, v in payload.items() if k not in _STDERR_ONLY})
    columns: list[str] = []
    for row in flat:
        for key in row:
            if key not in columns:
                columns.append(key)
    columns += [k for k in extra if k not in columns]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in flat:
        writer.writerow({**extra, **row})
    # The BOM is how Excel on Chinese Windows knows the file is UTF-8, not GBK.
    return "\ufeff" + buffer.getvalue()


def _render_json(payload: dict[str, Any], lines: list[str]) -> str:
    """Run-level fields indented, then one result per line: the indented form
    needs json's pure-Python encoder, ten times slower on 100,000 results."""
    head = json.dumps({**payload, "results": []}, ensure_ascii=False, indent=2,
                      allow_nan=False, default=_json_default)
    if not lines:
        return head + "\n"
    body = ",\n    ".join(lines)
    return head[: -len("[]\n}")] + "[\n    " + body + "\n  ]\n}\n"


def _flatten(row: dict[str, Any]) -> dict[str, Any]:
    """One CSV cell per value: nested dicts become key_sub columns, lists a;b;c cells."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if key == "peers" and isinstance(value, dict):
            flat[key] = ";".join(f"{k}:{v:.6g}" for k, v in value.items())
        elif isinstance(value, dict):
            for sub, item in _flatten(value).items():
                flat[f"{key}_{sub}"] = item
        elif isinstance(value, list | tuple):
            if any(isinstance(item, dict | list | tuple) for item in value):
                raise TypeError(f"{key}: nested lists have no CSV form")
            flat[key] = ";".join(str(item) for item in value)
        else:
            flat[key] = value
    return flat


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

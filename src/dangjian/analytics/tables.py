"""Reading the CSV and xlsx files analysts bring, with line numbers kept for errors."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import AnalyticsInputError

__all__ = ["Table", "read_table"]


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[Any]]
    #: The line (CSV) or row (spreadsheet) each data row came from; the header is line 1.
    lines: list[int]

    def column(self, name: str) -> list[Any]:
        return [row[self.index(name)] for row in self.rows]

    def index(self, name: str) -> int:
        try:
            return self.header.index(name)
        except ValueError:
            raise AnalyticsInputError(
                f"找不到列「{name}」，现有列：{'、'.join(self.header)}",
                f"column '{name}' not found; columns are: {', '.join(self.header)}",
            ) from None

    def numbers(self, names: Sequence[str]) -> np.ndarray:
        """The named columns as floats; a missing or non-numeric cell names its line."""
        idx = [self.index(n) for n in names]
        out = np.empty((len(self.rows), len(idx)))
        for c, j in enumerate(idx):
            cells = [row[j] for row in self.rows]
            fast = _plain_floats(cells)
            if fast is not None:
                out[:, c] = fast
                continue
            for r, value in enumerate(cells):
                out[r, c] = parse_number(value, line=self.lines[r], column=names[c])
        return out

    def ids(self, column: str | None) -> list[str]:
        """The id column's values, or the line numbers when there is no id column."""
        if column is None:
            return [str(line) for line in self.lines]
        values = []
        for line, value in zip(self.lines, self.column(column), strict=True):
            text = _text(value)
            if not text:
                raise AnalyticsInputError("编号为空", "the id is empty", row=line, column=column)
            values.append(text)
        return values


def _plain_floats(cells: list[Any]) -> np.ndarray | None:
    """A column of text cells as floats in one pass, or None when any cell needs a closer look.

    ``float(text)`` accepting a cell means ``parse_number`` reads it the same
    (float() ignores surrounding blanks and rejects thousands separators, so
    nothing parse_number strips can be in it); blanks, separators, bad text
    and non-finite values fall back to the cell-by-cell path and its messages.
    Spreadsheet cells (numbers, booleans, dates) always take that path.
    """
    if set(map(type, cells)) != {str}:
        return None
    try:
        values = np.fromiter(map(float, cells), dtype=float, count=len(cells))
    except ValueError:
        return None
    return values if np.isfinite(values).all() else None


def parse_number(value: Any, *, line: int, column: str) -> float:
    if isinstance(value, bool):
        raise AnalyticsInputError(f"不是数值：{value!r}", f"not a number: {value!r}", row=line, column=column)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _text(value).replace(",", "").replace("，", "")
        if not text:
            raise AnalyticsInputError("缺少数值", "missing value", row=line, column=column)
        try:
            number = float(text)
        except ValueError:
            raise AnalyticsInputError(
                f"不是数值：{text!r}", f"not a number: {text!r}", row=line, column=column
            ) from None
    if not math.isfinite(number):
        raise AnalyticsInputError("数值无效", "not a finite number", row=line, column=column)
    return number


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(path: str | Path) -> Table:
    """A CSV (UTF-8, UTF-8 with BOM, or GB18030 as Chinese Excel saves it) or xlsx file."""
    path = Path(path)
    if not path.is_file():
        raise AnalyticsInputError(f"文件不存在：{path}", f"file not found: {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        raw = _read_spreadsheet(path)
    elif suffix in (".csv", ".txt", ""):
        raw = _read_csv(path)
    else:
        raise AnalyticsInputError(
            f"不支持的文件类型：{suffix}（请用 .csv 或 .xlsx）",
            f"unsupported file type: {suffix} (use .csv or .xlsx)",
        )
    numbered = [(i + 1, row) for i, row in enumerate(raw) if _has_text(row)]
    if not numbered:
        raise AnalyticsInputError("文件为空", "the file is empty")
    header_line, header_row = numbered[0]
    header = [_text(c) for c in header_row]
    while header and not header[-1]:
        header.pop()
    for j, name in enumerate(header):
        # A blank top-left cell is how pairwise matrices are usually laid out.
        if not name and j > 0:
            raise AnalyticsInputError(
                f"第 {j + 1} 列没有列名", f"column {j + 1} has no header", row=header_line
            )
        if header.index(name) != j:
            raise AnalyticsInputError("列名重复", "duplicate column name", row=header_line, column=name)
    width = len(header)
    rows, lines = [], []
    for line, row in numbered[1:]:
        if len(row) == width:
            rows.append(row)
            lines.append(line)
            continue
        cells = list(row[:width]) + [None] * max(0, width - len(row))
        if len(row) > width and _has_text(row[width:]):
            raise AnalyticsInputError(
                f"该行的数值多于列名（{width} 列）", f"more values than columns ({width})", row=line
            )
        rows.append(cells)
        lines.append(line)
    if not rows:
        raise AnalyticsInputError("文件只有表头，没有数据", "the file has a header but no data rows")
    return Table(header, rows, lines)


def _has_text(row: list[Any]) -> bool:
    """Any cell not blank (``_text``), with one join for a CSV row of strings."""
    if set(map(type, row)) <= {str}:
        return bool("".join(row).strip())
    return any(_text(c) for c in row)


def _read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    # Excel in China saves CSV as GBK/GB18030 unless told otherwise.
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise AnalyticsInputError(f"CSV 格式有误：{exc}", f"malformed CSV: {exc}") from exc


def _read_spreadsheet(path: Path) -> list[list[Any]]:
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except ImportError:  # pragma: no cover - calamine is a project dependency
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    except Exception as exc:  # calamine raises its own error types
        raise AnalyticsInputError(
            f"无法读取电子表格：{exc}", f"cannot read the spreadsheet: {exc}"
        ) from exc

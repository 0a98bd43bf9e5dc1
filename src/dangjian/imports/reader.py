"""Checking an uploaded roster file and reading it into rows of raw cell values.

Everything here answers in Chinese for the person who made the file. Rows come
out as lists of raw values (str, float, date, datetime, "" for empty), one per
header, so the validator sees what Excel stored and can explain it.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import python_calamine
from django.core.exceptions import ValidationError

from dangjian.imports.columns import DATA_SHEET, ERROR_HEADER, HEADERS

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls / .et


class FileProblem(ValidationError):
    """A problem with the file as a whole (not one cell): nothing is imported."""

    def __init__(self, message: str):
        super().__init__({"file": message})
        self.text = message


@dataclass
class Sheet:
    headers: list[str]
    rows: list[list]  # data rows, aligned to HEADERS (missing cells are "")
    first_row: int = 2  # spreadsheet row number of rows[0]


def sniff_format(head: bytes, name: str) -> str:
    """'xlsx' or 'csv' from the first bytes and the name; FileProblem otherwise."""
    suffix = Path(name or "").suffix.lower()
    if not head:
        raise FileProblem("文件是空的，请选择填好的党员名册")
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise FileProblem("不支持旧版 Excel（.xls）文件，请在 Excel 或 WPS 中另存为 .xlsx 后重新上传")
    if suffix in (".xlsx", ".xlsm"):
        raise FileProblem("该文件不是有效的 Excel 工作簿（.xlsx），可能只是改了扩展名；请用模板填写后重新上传")
    if suffix == ".csv":
        if b"\x00" in head:
            raise FileProblem("该文件不是文本格式的 CSV 文件，请用模板填写后重新上传")
        return "csv"
    raise FileProblem("只能导入 .xlsx 或 .csv 文件，请下载模板填写")


def check_upload(upload, *, max_bytes: int) -> str:
    """Cheap checks before the file is stored: size, emptiness, type."""
    if upload.size > max_bytes:
        raise FileProblem(
            f"文件过大（{upload.size / 1048576:.1f} MB），超过上限 {max_bytes / 1048576:.0f} MB；请分批导入"
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    return sniff_format(head, upload.name)


def read_sheet(data: bytes, *, name: str, max_rows: int) -> Sheet:
    fmt = sniff_format(data[:8], name)
    grid = _read_xlsx(data) if fmt == "xlsx" else _read_csv(data)
    # Trailing blank rows are common (formatting dragged down); they are not data.
    while grid and not any(_filled(v) for v in grid[-1]):
        grid.pop()
    if not grid:
        raise FileProblem("文件中没有任何内容，请按模板填写表头和数据")
    headers = [_header_text(v) for v in grid[0]]
    while headers and not headers[-1]:
        headers.pop()
    _check_headers(headers)
    body = grid[1:]
    if not body:
        raise FileProblem("文件只有表头，没有党员数据")
    if len(body) > max_rows:
        raise FileProblem(f"文件共有 {len(body)} 行数据，超过单次导入上限 {max_rows} 行；请分批导入")
    position = [headers.index(h) for h in HEADERS]
    width = len(headers)
    if position == list(range(len(HEADERS))):
        # The template's order (the usual case): cut or pad each row to its columns.
        size = len(HEADERS)
        rows = [raw if len(raw) == size else _fit(raw, size) for raw in body]
    else:
        rows = [[raw[i] for i in position] for raw in (r if len(r) >= width else _fit(r, width) for r in body)]
    return Sheet(headers=headers, rows=rows)


def _fit(raw: list, size: int) -> list:
    return list(raw[:size]) if len(raw) >= size else list(raw) + [""] * (size - len(raw))


def _filled(value) -> bool:
    return not (value is None or (isinstance(value, str) and not value.strip()))


def _header_text(value) -> str:
    return "".join(str(value).split()) if _filled(value) else ""


def _check_headers(headers: list[str]) -> None:
    missing = [h for h in HEADERS if h not in headers]
    unknown = [h for h in headers if h and h not in HEADERS and h != ERROR_HEADER]
    repeated = sorted({h for h in headers if h and headers.count(h) > 1})
    problems = []
    if missing:
        problems.append("缺少列：" + "、".join(missing))
    if unknown:
        problems.append("无法识别的列：" + "、".join(unknown))
    if repeated:
        problems.append("重复的列：" + "、".join(repeated))
    if problems:
        raise FileProblem("表头与模板不一致（" + "；".join(problems) + "）。请下载最新模板，第一行须为表头")


def _read_xlsx(data: bytes) -> list[list]:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = book.sheet_names
        sheet = book.get_sheet_by_name(DATA_SHEET if DATA_SHEET in names else names[0])
        return sheet.to_python(skip_empty_area=False)
    except (python_calamine.CalamineError, python_calamine.ZipError, python_calamine.XmlError,
            python_calamine.PasswordError, IndexError, ValueError) as exc:
        raise FileProblem(
            "无法读取该 Excel 文件（文件已损坏、加密或并非 Excel 工作簿），请用模板重新填写后上传"
        ) from exc


def _read_csv(data: bytes) -> list[list]:
    # Excel in China saves CSV as GBK unless told otherwise; UTF-8 (with or
    # without BOM) is what our template and most other tools write.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileProblem("无法识别 CSV 文件的编码，请另存为 UTF-8 编码的 CSV 或 .xlsx 后重新上传")
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise FileProblem(f"CSV 文件格式有误：{exc}") from exc

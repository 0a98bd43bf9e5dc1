"""Checking an uploaded roster file and reading it into rows of raw cell values.

Everything here answers the person who made the file in their words. Rows come
out as lists of raw values (str, float, date, datetime, "" for empty), one per
header, so the validator sees what Excel stored and can explain it.
"""

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangjian.core.sheets import SheetRefused, default_limits, read_bounded
from dangjian.core.text import join_items, join_messages
from dangjian.imports.columns import DATA_SHEET, ERROR_HEADER, HEADERS

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls / .et
MAX_COLUMNS = 52  # the template's 16 columns and 错误说明, with room for a user's notes


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
        raise FileProblem(_("The file is empty: choose the roster you filled in"))
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise FileProblem(_("Old Excel files (.xls) are not supported: save it as .xlsx in Excel or WPS and upload it again"))
    if suffix in (".xlsx", ".xlsm"):
        raise FileProblem(_(
            "This file is not a valid Excel workbook (.xlsx); perhaps only its extension was changed: fill in the "
            "template and upload it again"))
    if suffix == ".csv":
        if b"\x00" in head:
            raise FileProblem(_("This file is not a text CSV file: fill in the template and upload it again"))
        return "csv"
    raise FileProblem(_("Only .xlsx or .csv files can be imported: download the template and fill it in"))


def check_upload(upload, *, max_bytes: int) -> str:
    """Cheap checks before the file is stored: size, emptiness, type."""
    if upload.size > max_bytes:
        raise FileProblem(_("The file is too large (%(size)s MB); the limit is %(limit)s MB: import it in parts") % {
            "size": f"{upload.size / 1048576:.1f}", "limit": f"{max_bytes / 1048576:.0f}"})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    return sniff_format(head, upload.name)


def read_sheet(data: bytes, *, name: str, max_rows: int) -> Sheet:
    fmt = sniff_format(data[:8], name)
    try:
        # In a child process under a memory limit, after checks of the file's structure (core.sheets).
        # Room for the header and some blank rows below the data; the exact row limit is checked below.
        grid = read_bounded(data, fmt=fmt, sheet=DATA_SHEET,
                            limits=default_limits(max_rows=max_rows + 1 + 1000, max_columns=MAX_COLUMNS))
    except SheetRefused as refused:
        raise FileProblem(refused.message) from refused
    # Trailing blank rows are common (formatting dragged down); they are not data.
    while grid and not any(_filled(v) for v in grid[-1]):
        grid.pop()
    if not grid:
        raise FileProblem(_("The file is empty: fill in the headers and the data as in the template"))
    headers = [_header_text(v) for v in grid[0]]
    while headers and not headers[-1]:
        headers.pop()
    _check_headers(headers)
    body = grid[1:]
    if not body:
        raise FileProblem(_("The file has only the headers and no members"))
    if len(body) > max_rows:
        raise FileProblem(ngettext(
            "The file has %(n)d data row, more than the limit of %(max)d per import: import it in parts",
            "The file has %(n)d data rows, more than the limit of %(max)d per import: import it in parts", len(body),
        ) % {"n": len(body), "max": max_rows})
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
        problems.append(_("missing columns: %(columns)s") % {"columns": join_items(missing)})
    if unknown:
        problems.append(_("columns not recognised: %(columns)s") % {"columns": join_items(unknown)})
    if repeated:
        problems.append(_("repeated columns: %(columns)s") % {"columns": join_items(repeated)})
    if problems:
        raise FileProblem(_(
            "The headers differ from the template (%(problems)s). Download the latest template; the first row holds "
            "the headers") % {"problems": join_messages(problems)})

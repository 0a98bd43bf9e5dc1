"""xlsx downloads for every list: write-only workbooks, one audited EXPORT each.

Every sheet has a bold, frozen header row with a filter, and column widths
estimated from the header and the first rows. Dates and numbers stay dates and
numbers (decimals too); a `Col` header may add a width or a number format
(`PERCENT` for shares stored as 0..1).

Core imports no app: the audit app registers the recorder every export calls
(`set_export_recorder`, in its AppConfig.ready); a caller may pass its own.
"""

import datetime as dt
import decimal
import io
import itertools
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.0%"
DECIMAL2 = "0.00"
SAMPLE_ROWS = 200  # rows read ahead to size the columns
MIN_WIDTH, MAX_WIDTH = 8, 60


@dataclass(frozen=True)
class Col:
    """A column header with an optional width (in characters) and number format for its numbers."""

    header: str
    width: float | None = None
    fmt: str | None = None

    def __str__(self) -> str:
        return str(self.header)


def cell(value):
    """What openpyxl can store: local naive datetimes, plain values and numbers, text for the rest."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, decimal.Decimal):
        return float(value) if value.is_finite() else str(value)
    if value is None or isinstance(value, (str, int, float, dt.date)):
        return value
    return str(value)  # lazy translations, choice labels


def _text_width(text: str) -> int:
    # Chinese characters take two columns in Excel's default font.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _value_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 17
    if isinstance(value, dt.date):
        return 11
    if isinstance(value, float):
        return min(len(f"{value:.4g}"), 12)
    return _text_width(str(value).split("\n", 1)[0])


def column_widths(headers: Sequence, sample: Sequence[Sequence]) -> list[float]:
    widths = []
    for i, h in enumerate(headers):
        if isinstance(h, Col) and h.width:
            widths.append(h.width)
            continue
        longest = max([_text_width(str(h)), *(_value_width(r[i]) for r in sample if i < len(r))])
        widths.append(min(max(longest + 3, MIN_WIDTH), MAX_WIDTH))  # room for the filter button
    return widths


def workbook_bytes(*, headers: Sequence, rows: Iterable[Sequence], title: str = "") -> tuple[bytes, int]:
    """The workbook and the number of data rows written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(title)[:31] or None)
    rows = iter(rows)
    sample = [[cell(v) for v in row] for row in itertools.islice(rows, SAMPLE_ROWS)]
    for i, width in enumerate(column_widths(headers, sample), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        c = WriteOnlyCell(ws, value=str(h))
        c.font = bold
        header_cells.append(c)
    ws.append(header_cells)
    formats = [h.fmt if isinstance(h, Col) else None for h in headers]
    count = 0
    for values in itertools.chain(sample, ([cell(v) for v in row] for row in rows)):
        out = []
        for fmt, v in zip(formats, values, strict=False):
            if fmt and isinstance(v, (int, float)) and not isinstance(v, bool):
                c = WriteOnlyCell(ws, value=v)
                c.number_format = fmt
                out.append(c)
            else:
                out.append(v)
        out.extend(values[len(formats):])
        ws.append(out)
        count += 1
    if headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), count


def attachment(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def dated(filename: str) -> str:
    return f"{filename}-{timezone.localdate():%Y%m%d}.xlsx"


# record(by=, what=, org=, changes=): one audited EXPORT, inside the export's transaction.
ExportRecorder = Callable[..., None]
_recorder: ExportRecorder | None = None


def set_export_recorder(recorder: ExportRecorder) -> None:
    global _recorder
    _recorder = recorder


def export_xlsx(
    *, by, what: str, filename: str, headers: Sequence, rows: Iterable[Sequence], org=None,
    changes: dict | None = None, stamp: bool = True, record: ExportRecorder | None = None,
) -> HttpResponse:
    """Build the workbook, record the export (row count and `changes`), answer the download.

    stamp: add today's date to the file name (`projects-20260101.xlsx`); off
    for names that are already complete.
    """
    record = record or _recorder
    if record is None:
        raise ImproperlyConfigured("No export recorder: add dangjian.audit to INSTALLED_APPS")
    data, count = workbook_bytes(headers=headers, rows=rows, title=what)
    with transaction.atomic():
        record(by=by, what=str(what), org=org, changes={"rows": [None, count], **(changes or {})})
    return attachment(data, dated(filename) if stamp else filename)

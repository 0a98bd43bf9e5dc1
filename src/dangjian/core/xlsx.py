"""xlsx downloads for every list: write-only workbooks, one audited EXPORT each."""

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from dangjian.audit.services import Action, audit_record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(value):
    """What openpyxl can store: local naive datetimes, plain values, text for the rest."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, (str, int, float, dt.date)):
        return value
    return str(value)  # lazy translations, choice labels, decimals


def workbook_bytes(*, headers: Sequence, rows: Iterable[Sequence], title: str = "") -> tuple[bytes, int]:
    """The workbook and the number of data rows written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(title)[:31] or None)
    ws.append([str(h) for h in headers])
    count = 0
    for row in rows:
        ws.append([cell(v) for v in row])
        count += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), count


def attachment(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def dated(filename: str) -> str:
    return f"{filename}-{timezone.localdate():%Y%m%d}.xlsx"


def export_xlsx(
    *, by, what: str, filename: str, headers: Sequence, rows: Iterable[Sequence], org=None,
    changes: dict | None = None,
) -> HttpResponse:
    """Build the workbook, record the export (row count), answer the download."""
    data, count = workbook_bytes(headers=headers, rows=rows, title=what)
    with transaction.atomic():
        audit_record(actor=by, action=Action.EXPORT, org=org, target_repr=str(what),
                     changes={"rows": [None, count], **(changes or {})})
    return attachment(data, dated(filename))

"""Streaming xlsx exports (write-only workbooks), audited as EXPORT.

Shared by the dues and recruitment lists.
"""

import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.db import transaction
from django.http import HttpResponse
from openpyxl import Workbook

from dangjian.audit.services import Action, audit_record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(list(headers))
    for row in rows:
        ws.append([v if v is None or isinstance(v, (int, float, str)) or hasattr(v, "isoformat") else str(v)
                   for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(filename: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def export_xlsx(*, by, filename: str, what: str, headers: Sequence[str], rows: Iterable[Sequence],
                org=None, revealed: bool = False) -> HttpResponse:
    """Build the workbook, record the export, answer the download."""
    rows = list(rows)
    data = workbook_bytes(headers, rows)
    with transaction.atomic():
        audit_record(actor=by, action=Action.EXPORT, target=None, org=org, target_repr=what,
                     changes={"rows": len(rows), "revealed": revealed})
    return xlsx_response(filename, data)

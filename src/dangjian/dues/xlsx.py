"""Streaming xlsx exports (write-only workbooks), audited as EXPORT.

Shared by the dues and recruitment lists.
"""

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.http import HttpResponse

from dangjian.audit.services import Action, audit_record
from dangjian.core import xlsx as core_xlsx

XLSX = core_xlsx.XLSX


def workbook_bytes(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    return core_xlsx.workbook_bytes(headers=headers, rows=rows)[0]


def xlsx_response(filename: str, data: bytes) -> HttpResponse:
    return core_xlsx.attachment(data, filename)


def export_xlsx(*, by, filename: str, what: str, headers: Sequence[str], rows: Iterable[Sequence],
                org=None, revealed: bool = False) -> HttpResponse:
    """Build the workbook, record the export, answer the download."""
    rows = list(rows)
    data = workbook_bytes(headers, rows)
    with transaction.atomic():
        audit_record(actor=by, action=Action.EXPORT, target=None, org=org, target_repr=what,
                     changes={"rows": len(rows), "revealed": revealed})
    return xlsx_response(filename, data)

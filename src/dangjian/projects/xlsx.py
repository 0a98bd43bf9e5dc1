"""xlsx exports (write-only workbook), each recorded in the audit log. Shared by projects, duty, surveys, assessment."""

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from dangjian.audit.services import Action, audit_record


def _cell(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, (str, int, float, dt.date)):
        return value
    return str(value)


def export_xlsx(*, by, what: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence], org=None) -> HttpResponse:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=what[:31])
    ws.append(list(headers))
    count = 0
    for row in rows:
        ws.append([_cell(v) for v in row])
        count += 1
    buf = io.BytesIO()
    wb.save(buf)
    audit_record(actor=by, action=Action.EXPORT, org=org, target_repr=what, changes={"rows": [None, count]})
    response = HttpResponse(buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{filename}-{stamp}.xlsx')}"
    return response

"""Streaming xlsx responses (write-only workbook) for list exports."""

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook


def xlsx_response(*, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> tuple[HttpResponse, int]:
    """The response and the number of data rows written (for the export's audit entry)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append(list(headers))
    count = 0
    for row in rows:
        ws.append([_cell(v) for v in row])
        count += 1
    buf = io.BytesIO()
    wb.save(buf)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(
        buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(f'{filename}-{stamp}.xlsx')}"
    return response, count


def _cell(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, (str, int, float, dt.date)):
        return value
    return str(value)  # lazy translations, choices labels


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)

"""Streaming xlsx responses for the meetings and committees lists (see dangjian.core.xlsx)."""

from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from dangjian.core.xlsx import attachment, dated, workbook_bytes


def xlsx_response(*, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> tuple[HttpResponse, int]:
    """The response and the number of data rows written (for the export's audit entry)."""
    data, count = workbook_bytes(headers=headers, rows=rows, title=title)
    return attachment(data, dated(filename)), count

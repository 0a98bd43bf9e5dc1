"""The shared xlsx writer: typed cells, a frozen bold header with a filter, sized columns."""

import datetime as dt
import decimal
import io

from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core.xlsx import PERCENT, Col, workbook_bytes


def test_cells_keep_their_types_and_the_sheet_is_ready_to_read():
    when = timezone.make_aware(dt.datetime(2026, 7, 1, 9, 30))
    rows = [["和平社区第一党支部", dt.date(2026, 9, 30), decimal.Decimal("12.50"), 0.875, when, None]]
    headers = ["组织", "截止日期", "金额", Col("出勤率", fmt=PERCENT), "时间", Col("备注", width=40)]
    data, count = workbook_bytes(headers=headers, rows=iter(rows), title="测试")
    ws = load_workbook(io.BytesIO(data)).active
    assert count == 1 and ws.title == "测试"
    assert [c.value for c in ws[1]] == ["组织", "截止日期", "金额", "出勤率", "时间", "备注"]
    assert ws["A1"].font.b and ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:F2"
    assert ws["B2"].value.date() == dt.date(2026, 9, 30) and ws["B2"].is_date
    assert ws["C2"].value == 12.5 and ws["D2"].value == 0.875 and ws["D2"].number_format == PERCENT
    assert ws["E2"].value == dt.datetime(2026, 7, 1, 9, 30)
    # Nine Chinese characters are 18 columns wide; an explicit width wins.
    assert ws.column_dimensions["A"].width >= 18 and ws.column_dimensions["F"].width == 40


def test_more_rows_than_the_sample_are_all_written():
    data, count = workbook_bytes(headers=["n"], rows=([i] for i in range(450)))
    ws = load_workbook(io.BytesIO(data)).active
    assert count == 450 and ws.max_row == 451 and ws["A451"].value == 449

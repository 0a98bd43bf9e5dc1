"""Helpers for import tests: build roster files in memory and upload them."""

import csv
import datetime as dt
import io
import itertools

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.imports.columns import HEADERS
from dangjian.orgs.idnumber import make_id_number

_seq = itertools.count(101)


@pytest.fixture(autouse=True)
def _inline_imports(settings, tmp_path):
    settings.IMPORT_RUN_INLINE = True
    settings.MEDIA_ROOT = tmp_path / "media"


def new_id(birth: dt.date = dt.date(1985, 3, 9), gender: str = "M") -> str:
    return make_id_number(area="320102", birth_date=birth, sequence=next(_seq) * 2 % 1000, gender=gender)


def row(**overrides) -> dict:
    """A valid row for branch B001 (branch_a); override cells by header."""
    birth = overrides.pop("_birth", dt.date(1985, 3, 9))
    data = {
        "姓名": "王小明", "性别": "男", "民族": "汉族", "出生日期": birth.isoformat(),
        "身份证号": new_id(birth), "手机号": "13912345678", "学历": "大学本科",
        "入党日期": "2010-07-01", "转正日期": "2011-07-01", "党员类别": "正式党员",
        "人员状态": "在册", "就业情况": "在职", "工作单位及职务": "和平社区 干事",
        "家庭住址": "和平路8号", "标签": "流动党员、老党员", "所在组织代码": "B001",
    }
    data.update(overrides)
    return data


def xlsx_bytes(rows: list[dict], headers=HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "党员名册"
    sheet.append(list(headers))
    for r in rows:
        sheet.append([r.get(h, "") for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], headers=HEADERS, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for r in rows:
        writer.writerow([r.get(h, "") for h in headers])
    return out.getvalue().encode(encoding)


def upload(client, data: bytes, name: str = "名册.xlsx"):
    """Post a file to the import page as a user would, following to the job page."""
    return client.post(
        reverse("imports:roster_import"), {"file": SimpleUploadedFile(name, data)}, follow=True
    )

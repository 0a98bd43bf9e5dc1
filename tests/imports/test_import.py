"""Importing a roster through the upload page: all rows or none, errors in Chinese."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection

from dangjian.audit.models import Action, AuditEntry
from dangjian.core import crypto
from dangjian.imports.columns import HEADERS
from dangjian.imports.models import ImportJob
from dangjian.orgs.models import Member, StatusChange
from tests.factories import MemberFactory
from tests.imports.conftest import csv_bytes, new_id, row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def _job() -> ImportJob:
    return ImportJob.objects.latest("id")


def _failed_with(client, data: bytes, text: str, name: str = "名册.xlsx"):
    before = Member.objects.count()
    response = upload(client, data, name)
    assert response.status_code == 200
    page = response.content.decode()
    assert text in page, page[-3000:]
    assert Member.objects.count() == before
    assert not AuditEntry.objects.filter(action=Action.IMPORT).exists()
    return page


def test_valid_file_imports_every_row_encrypted_with_one_audit_entry(as_secretary_a, tree):
    rows = [row(姓名=f"党员{i}") for i in range(3)] + [row(标签="", 手机号="", 党员类别="预备党员", 转正日期="")]
    response = upload(as_secretary_a, xlsx_bytes(rows))
    assert "4 名党员已导入" in response.content.decode()
    assert Member.objects.filter(org=tree["branch_a"]).count() == 4
    member = Member.objects.get(name="党员0")
    assert member.id_number == rows[0]["身份证号"]
    assert member.id_number_index == crypto.blind_index(rows[0]["身份证号"])
    assert member.phone == "13912345678" and member.phone_index == crypto.blind_index("13912345678")
    assert sorted(member.tags.values_list("name", flat=True)) == ["流动党员", "老党员"]
    assert member.birth_date == dt.date(1985, 3, 9) and member.category == "full"
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM orgs_member WHERE id = %s", [member.pk])
        raw_id, raw_phone = cursor.fetchone()
    assert rows[0]["身份证号"] not in raw_id and raw_id.startswith("v1:")
    assert "13912345678" not in raw_phone
    changes = StatusChange.objects.filter(member__org=tree["branch_a"], from_status="", to_status="active")
    assert changes.count() == 4 and {c.reason for c in changes} == {"建档（批量导入）"}
    entries = AuditEntry.objects.filter(action=Action.IMPORT)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.changes["count"] == 4 and entry.changes["file_name"] == "名册.xlsx"
    assert len(entry.changes["file_sha256"]) == 64
    assert entry.org_path == tree["branch_a"].path
    job = _job()
    assert job.state == "succeeded" and job.imported_rows == 4 and not job.file


def test_csv_in_gbk_imports(as_officer, tree):
    data = csv_bytes([row(), row(所在组织代码="B002")], encoding="gb18030")
    response = upload(as_officer, data, "名册.csv")
    assert "2 名党员已导入" in response.content.decode()
    assert Member.objects.filter(org=tree["branch_b"]).count() == 1


def test_dates_in_the_forms_people_type(as_secretary_a):
    rows = [
        row(出生日期="1985/3/9", 入党日期="2010.7.1", 转正日期="20110701"),
        row(出生日期=dt.date(1985, 3, 9), 入党日期=dt.datetime(2010, 7, 1), 转正日期="2011年7月1日"),
    ]
    upload(as_secretary_a, xlsx_bytes(rows))
    assert set(Member.objects.values_list("joined_on", flat=True)) == {dt.date(2010, 7, 1)}
    assert set(Member.objects.values_list("full_member_on", flat=True)) == {dt.date(2011, 7, 1)}


def test_missing_and_unknown_headers_are_named(as_secretary_a):
    headers = [h for h in row() if h not in ("民族", "标签")] + ["备注"]
    page = _failed_with(as_secretary_a, xlsx_bytes([row()], headers=headers), "缺少列：民族、标签")
    assert "无法识别的列：备注" in page


def test_bad_id_number(as_secretary_a):
    good = row()["身份证号"]  # one number: two calls gave two numbers, and 1 time in 11 a valid "bad" one
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    page = _failed_with(as_secretary_a, xlsx_bytes([row(), row(身份证号=bad)]), "身份证号校验位错误")
    assert "<td>3</td>" in page  # the second data row is spreadsheet row 3
    assert _job().error_file


def test_id_number_disagreeing_with_birth_date_and_gender(as_secretary_a):
    page = _failed_with(as_secretary_a, xlsx_bytes([row(出生日期="1985-03-10", 性别="女")]),
                        "与身份证号中的 1985-03-09 不一致")
    assert "与身份证号（男）不一致" in page


def test_duplicate_inside_the_file_names_both_rows(as_secretary_a):
    first = row()
    page = _failed_with(as_secretary_a, xlsx_bytes([first, row(), row(身份证号=first["身份证号"])]),
                        "身份证号与第 2 行重复")
    assert "身份证号与第 4 行重复" in page


def test_duplicate_against_the_database(as_secretary_a, tree):
    # A file otherwise clean reaches the write; the unique index refuses and the row is named.
    existing = MemberFactory(org=tree["branch_b"])
    data = xlsx_bytes([row(), row(身份证号=existing.id_number, 出生日期=existing.birth_date.isoformat())])
    _failed_with(as_secretary_a, data, "该身份证号已在系统中登记")
    assert [(e["row"], e["column"]) for e in _job().errors] == [(3, "身份证号")]
    assert _job().error_file and Member.objects.count() == 1


def test_registered_number_among_other_errors_is_listed_with_them(as_secretary_a, tree):
    existing = MemberFactory(org=tree["branch_b"])
    data = xlsx_bytes([row(), row(身份证号=existing.id_number, 出生日期=existing.birth_date.isoformat()), row(性别="未知")])
    _failed_with(as_secretary_a, data, "该身份证号已在系统中登记")
    assert [(e["row"], e["column"]) for e in _job().errors] == [(3, "身份证号"), (4, "性别")]


def test_unknown_and_out_of_scope_org_codes_read_the_same(as_secretary_a):
    page = _failed_with(as_secretary_a, xlsx_bytes([row(所在组织代码="NOPE"), row(所在组织代码="B002")]),
                        "找不到组织代码“NOPE”，或您无权向该组织导入党员")
    assert "找不到组织代码“B002”，或您无权向该组织导入党员" in page


def test_org_that_is_not_a_branch(as_officer):
    _failed_with(as_officer, xlsx_bytes([row(所在组织代码="C001")]), "不是党支部、党总支或党小组")


@pytest.mark.parametrize("value", ["2010-02-30", "七月一日", "2010-7", "1899-01-01"])
def test_bad_dates(as_secretary_a, value):
    page = _failed_with(as_secretary_a, xlsx_bytes([row(入党日期=value)]), "入党日期")
    assert "日期" in page and "全部" not in page


def test_bad_enum_lists_the_choices(as_secretary_a):
    page = _failed_with(as_secretary_a, xlsx_bytes([row(学历="幼儿园")]), "只能填写：研究生、大学本科、大学专科、中专/高中、初中及以下")
    # The list's columns read like the error workbook's (行号, 错误说明), not the dues import's 行, 问题.
    assert "<th>行号</th><th>列</th><th>填写内容</th><th>错误说明</th>" in page


def test_required_cell_empty(as_secretary_a):
    _failed_with(as_secretary_a, xlsx_bytes([row(姓名="")]), "“姓名”为必填项，不能为空")


def test_id_number_stored_as_a_number_by_excel(as_secretary_a):
    _failed_with(as_secretary_a, xlsx_bytes([row(身份证号=320102198503090101.0)]), "身份证号被存成了数字")


def test_empty_file(as_secretary_a):
    _failed_with(as_secretary_a, b"", "文件是空的，请选择填好的党员名册")
    assert not ImportJob.objects.exists()


def test_non_spreadsheet_renamed_xlsx(as_secretary_a):
    _failed_with(as_secretary_a, b"%PDF-1.7 not a workbook at all", "该文件不是有效的 Excel 工作簿")
    assert not ImportJob.objects.exists()


def test_zip_that_is_not_a_workbook(as_secretary_a):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    _failed_with(as_secretary_a, buffer.getvalue(), "无法读取该 Excel 文件")


def test_header_only_file(as_secretary_a):
    _failed_with(as_secretary_a, xlsx_bytes([]), "文件只有表头，没有党员数据")


def test_oversized_file(as_secretary_a, settings):
    data = xlsx_bytes([row()])
    settings.IMPORT_MAX_BYTES = len(data) - 1
    _failed_with(as_secretary_a, data, "文件过大")
    settings.IMPORT_MAX_BYTES = len(data)
    upload(as_secretary_a, data)
    assert Member.objects.count() == 1


def test_too_many_rows(as_secretary_a, settings):
    settings.IMPORT_MAX_ROWS = 2
    _failed_with(as_secretary_a, xlsx_bytes([row(), row(), row()]), "文件共有 3 行数据，超过单次导入上限 2 行")


def test_one_bad_row_among_many_writes_nothing(as_secretary_a):
    rows = [row() for _ in range(30)] + [row(性别="未知")]
    page = _failed_with(as_secretary_a, xlsx_bytes(rows), "只能填写：男、女")
    assert "1 处错误，未导入任何数据" in page


def test_error_workbook_marks_bad_cells_and_explains(as_secretary_a):
    upload(as_secretary_a, xlsx_bytes([row(), row(学历="幼儿园", 入党日期="昨天")]))
    job = _job()
    response = as_secretary_a.get(f"/imports/jobs/{job.pk}/errors.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["党员名册"]
    headers = [c.value for c in sheet[1]]
    assert headers[-1] == "错误说明"
    education = sheet.cell(row=3, column=headers.index("学历") + 1)
    assert education.value == "幼儿园"
    assert education.fill.fgColor.rgb.endswith("FFC7CE")
    assert "只能填写" in education.comment.text
    assert sheet.cell(row=3, column=headers.index("入党日期") + 1).comment is not None
    assert sheet.cell(row=2, column=headers.index("学历") + 1).comment is None
    assert "学历：只能填写" in sheet.cell(row=3, column=len(headers)).value
    assert sheet.cell(row=2, column=len(headers)).value is None


def test_corrected_error_workbook_imports_as_it_is(as_secretary_a):
    upload(as_secretary_a, xlsx_bytes([row(), row(学历="幼儿园")]))
    job = _job()
    book = openpyxl.load_workbook(io.BytesIO(b"".join(as_secretary_a.get(f"/imports/jobs/{job.pk}/errors.xlsx").streaming_content)))
    sheet = book["党员名册"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=3, column=headers.index("学历") + 1).value = "本科"
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(as_secretary_a, buffer.getvalue())
    assert "2 名党员已导入" in response.content.decode()


def test_screen_masks_identifiers_in_the_error_list(as_secretary_a):
    number = new_id()
    page = _failed_with(as_secretary_a, xlsx_bytes([row(身份证号=number, 出生日期="1990-01-01")]), "不一致")
    assert number not in page
    assert number not in str(_job().errors)


def test_joined_on_the_19th_birthday_is_accepted_the_day_before_is_not(as_secretary_a):
    """18 at application and more than a year as an activist (tests/regulations.py JOIN_MIN_AGE_YEARS)."""
    from tests.regulations import JOIN_MIN_AGE_YEARS

    birth = dt.date(1985, 3, 9)
    first = dt.date(1985 + JOIN_MIN_AGE_YEARS, 3, 9)
    _failed_with(as_secretary_a, xlsx_bytes([row(_birth=birth, 入党日期=str(first - dt.timedelta(days=1)), 转正日期="")]),
                 "不满19周岁")
    response = upload(as_secretary_a, xlsx_bytes([row(_birth=birth, 入党日期=str(first), 转正日期="")]))
    assert "1 名党员已导入" in response.content.decode()


def test_a_full_membership_date_that_no_probation_gives_is_a_cell_error(as_secretary_a):
    # Joined 2010-07-01: full on 2011-07-01, or after an extension from 2012-01-01 to 2012-07-01.
    page = _failed_with(as_secretary_a, xlsx_bytes([row(转正日期="2011-07-02")]), "预备期满")
    assert "2011-07-01" in page
    response = upload(as_secretary_a, xlsx_bytes([row(转正日期="2012-01-01"), row(转正日期="2012-07-01")]))
    assert "2 名党员已导入" in response.content.decode()


def test_columns_in_another_order_and_blank_lines_between(as_secretary_a, tree):
    headers = list(reversed(HEADERS))
    first, second = row(姓名="甲", 标签="老党员"), row(姓名="乙", 学历="本科", 标签="老党员")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "党员名册"
    sheet.append(headers)
    sheet.append([first[h] for h in headers])
    sheet.append([None] * len(headers))
    sheet.append([second[h] for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(as_secretary_a, buffer.getvalue())
    assert "2 名党员已导入" in response.content.decode()
    second_member = Member.objects.get(name="乙")
    assert second_member.education == "bachelor" and second_member.id_number == second["身份证号"]
    for member in Member.objects.filter(name__in=["甲", "乙"]):
        assert list(member.tags.values_list("name", flat=True)) == ["老党员"]


def test_errors_keep_their_rows_when_blank_lines_are_skipped(as_secretary_a):
    rows = [row(), {h: "" for h in HEADERS}, row(性别="未知"), row(手机号="12")]
    page = _failed_with(as_secretary_a, xlsx_bytes(rows), "只能填写：男、女")
    errors = {(e["row"], e["column"]) for e in _job().errors}
    assert errors == {(4, "性别"), (5, "手机号")}, page[-2000:]


def test_same_cells_on_many_rows_convert_alike_and_a_number_reads_as_its_text(as_secretary_a):
    # Identical cells are converted once and shared; a 2 typed as a number reads as the text "2".
    rows = [row(转正日期="2011/7/1", 标签="流动党员，老党员") for _ in range(5)]
    rows += [row(民族=2.0), row(民族="2")]
    upload(as_secretary_a, xlsx_bytes(rows))
    assert Member.objects.count() == 7
    assert set(Member.objects.values_list("full_member_on", flat=True)) == {dt.date(2011, 7, 1)}
    assert set(Member.objects.values_list("ethnicity", flat=True)) == {"汉族", "2"}
    assert all(sorted(m.tags.values_list("name", flat=True)) == ["流动党员", "老党员"]
               for m in Member.objects.exclude(ethnicity="2"))


def test_tags_find_their_members_when_another_writer_took_ids_in_between(tree):
    """The importer maps its rows to ids by position only when its ids are one block."""
    from django.db.models import Max

    from dangjian.imports.services import _new_member_ids

    members = MemberFactory.create_batch(3, org=tree["branch_a"])
    ours = Member.objects.filter(pk__in=[members[0].pk, members[2].pk]).order_by()
    indexes = [members[2].id_number_index, members[0].id_number_index]
    assert _new_member_ids(ours, wanted=indexes, count=2) == [members[2].pk, members[0].pk]
    block = Member.objects.filter(pk__gt=members[0].pk).order_by()
    assert _new_member_ids(block, wanted=["x", "y"], count=2) == [members[1].pk, members[2].pk]
    assert Member.objects.aggregate(top=Max("id"))["top"] == members[2].pk


def _counting_translations(monkeypatch) -> list:
    """Every question the validator asks the catalogue (gettext and friends, lazy ones included)."""
    from django.utils import translation

    calls = []
    for name in ("gettext", "ngettext", "pgettext", "npgettext"):
        real = getattr(translation._trans, name)
        monkeypatch.setattr(translation._trans, name,
                            lambda *args, _real=real: calls.append(args) or _real(*args))
    return calls


def test_the_validator_asks_the_catalogue_only_for_the_errors_it_reports(tree, secretary_a, monkeypatch):
    """The hot path over every cell translates nothing; a message is put together when it is reported."""
    from dangjian.imports.reader import read_sheet
    from dangjian.imports.validation import validate

    today = dt.date(2026, 1, 1)
    # Dates in the slashed form and tags take the careful conversion (once per distinct value), without error.
    clean = read_sheet(xlsx_bytes([row(入党日期="2010/7/1", 转正日期="2011/7/1") for _ in range(40)]),
                       name="名册.xlsx", max_rows=1000)
    calls = _counting_translations(monkeypatch)
    assert validate(clean, user=secretary_a, today=today).count == 40
    assert calls == []
    # 2020-02-30 fails in the fast conversion too (silently); only the 30 reported cells are translated.
    bad = read_sheet(xlsx_bytes([row(转正日期="2020-02-30") for _ in range(30)]), name="名册.xlsx", max_rows=1000)
    issues = validate(bad, user=secretary_a, today=today).issues
    assert [i.message for i in issues] == ["日期不存在，请核对年月日"] * 30
    assert len(calls) == 30


def test_a_cell_error_is_worded_when_shown_not_when_raised():
    from django.utils import translation

    from dangjian.imports import cells

    with translation.override("en"), pytest.raises(cells.CellError) as exc:
        cells.to_text("x" * 51, max_length=50)
    assert str(exc.value) == "内容过长：最多 50 个字，实际 51 个字"
    with translation.override("en"):
        assert str(exc.value) == "Too long: at most 50 characters, 51 given"


def test_a_background_import_runs_in_the_uploaders_language(monkeypatch, secretary_a):
    from django.utils import translation

    from dangjian.imports import services
    from dangjian.imports.models import ImportJob

    seen = []
    monkeypatch.setattr(services, "_import_job_process", lambda job: seen.append(translation.get_language()))
    first = ImportJob.objects.create(created_by=secretary_a, file_name="a.xlsx", file_sha256="0")
    second = ImportJob.objects.create(created_by=secretary_a, file_name="b.xlsx", file_sha256="0")
    services.import_job_task(first.pk, 0, "en")
    services.import_job_task(second.pk, 0, None)
    # A task from before a retry (another attempt count) runs nothing.
    services.import_job_task(second.pk, 5, "en")
    assert seen == ["en", "zh-hans"]


def test_downloading_the_error_workbook_is_audited(as_secretary_a, secretary_a):
    """Issue 16 #7: the error workbook holds ID numbers in plain text; each download is on record."""
    upload(as_secretary_a, xlsx_bytes([row(), row(学历="幼儿园")]))
    job = _job()
    as_secretary_a.get(f"/imports/jobs/{job.pk}/errors.xlsx")
    entry = AuditEntry.objects.get(action=Action.DOWNLOAD)
    assert (entry.actor, entry.target_type, entry.target_id) == (secretary_a, "imports.ImportJob", str(job.pk))

"""Who may reach what: outsiders get 404, anonymous visitors the login page; exports."""

import io

import openpyxl
import pytest
from django.urls import reverse

from dangjian.audit.models import Action, AuditEntry
from dangjian.core import crypto
from dangjian.imports.models import ImportJob
from dangjian.orgs.models import Member
from tests.factories import MemberFactory, UserFactory, grant
from tests.imports.conftest import row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

PAGES = ["imports:roster_import", "imports:template_xlsx", "imports:template_csv", "imports:roster_export"]


def _job_of(client) -> ImportJob:
    upload(client, xlsx_bytes([row(学历="幼儿园")]))
    return ImportJob.objects.latest("id")


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(as_anonymous, name):
    response = as_anonymous.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_plain_member_gets_404(as_member, name):
    assert as_member.get(reverse(name)).status_code == 404


def test_plain_member_cannot_upload(as_member):
    response = upload(as_member, xlsx_bytes([row()]))
    assert response.status_code == 404
    assert not Member.objects.filter(name="王小明").exists()


@pytest.mark.parametrize("suffix", ["", "status/", "errors.xlsx"])
def test_another_users_job_is_404(as_secretary_a, as_secretary_b, as_officer, as_anonymous, suffix):
    job = _job_of(as_secretary_a)
    url = f"/imports/jobs/{job.pk}/{suffix}"
    assert as_secretary_a.get(url).status_code == 200
    assert as_secretary_b.get(url).status_code == 404
    assert as_officer.get(url).status_code == 404  # even a superior: a job is its uploader's
    response = as_anonymous.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_superuser_sees_any_job(as_secretary_a, tree):
    job = _job_of(as_secretary_a)
    admin = UserFactory(is_superuser=True)
    from tests.conftest import client_for

    assert client_for(admin).get(f"/imports/jobs/{job.pk}/").status_code == 200


def test_job_page_polls_until_done_then_stops(as_secretary_a, secretary_a):
    job = ImportJob.objects.create(created_by=secretary_a, file_name="a.xlsx", file_sha256="0" * 64,
                                   state=ImportJob.State.RUNNING, stage=ImportJob.Stage.VALIDATING, progress=40)
    page = as_secretary_a.get(f"/imports/jobs/{job.pk}/status/").content.decode()
    assert 'hx-trigger="every 1s"' in page and 'aria-valuenow="40"' in page and "正在逐行校验" in page
    job.state, job.stage, job.progress, job.imported_rows = "succeeded", "done", 100, 3
    job.save()
    page = as_secretary_a.get(f"/imports/jobs/{job.pk}/status/").content.decode()
    assert "hx-trigger" not in page and "3 名党员已导入" in page


def test_failed_import_is_on_the_uploaders_todo_list(as_secretary_a, secretary_a, secretary_b):
    from dangjian.imports.todo import todo_items as failed_imports

    job = _job_of(as_secretary_a)
    items = failed_imports(secretary_a)
    assert [i.url for i in items] == [f"/imports/jobs/{job.pk}/"]
    assert failed_imports(secretary_b) == []
    upload(as_secretary_a, xlsx_bytes([row()]))  # a later success settles it
    assert failed_imports(secretary_a) == []


def test_template_has_headers_dropdowns_and_scoped_org_codes(as_secretary_a):
    response = as_secretary_a.get(reverse("imports:template_xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["党员名册", "填写说明", "填写示例", "组织代码"]
    sheet = book["党员名册"]
    assert [c.value for c in sheet[1]][:3] == ["姓名", "性别", "民族"]
    formulas = [dv.formula1 for dv in sheet.data_validations.dataValidation]
    assert '"男,女"' in formulas and any("组织代码!" in f for f in formulas)
    codes = [r[0] for r in book["组织代码"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["B001"]  # secretary A's branch only


def test_template_example_row_imports_after_setting_the_org(as_secretary_a):
    book = openpyxl.load_workbook(io.BytesIO(as_secretary_a.get(reverse("imports:template_xlsx")).content))
    example = [c.value for c in book["填写示例"][2]]
    example[-1] = "B001"
    headers = [c.value for c in book["填写示例"][1]]
    response = upload(as_secretary_a, xlsx_bytes([dict(zip(headers, example, strict=True))]))
    assert "1 名党员已导入" in response.content.decode()


def test_csv_template_is_utf8_with_bom(as_secretary_a):
    content = as_secretary_a.get(reverse("imports:template_csv")).content
    assert content.startswith(b"\xef\xbb\xbf") and "身份证号".encode() in content


def _export(client, **params) -> list[list]:
    response = client.get(reverse("imports:roster_export"), params)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(r) for r in book["党员名册"].iter_rows(values_only=True)]


def test_export_is_scoped_masked_without_reveal_and_audited(tree, member_a, member_b):
    worker = UserFactory()
    grant(worker, tree["community"], "party_worker")  # may export, may not reveal
    from tests.conftest import client_for

    rows = _export(client_for(worker))
    assert rows[0][4] == "身份证号" and rows[0][-1] == "所在组织代码"
    assert {r[0] for r in rows[1:]} == {"张建国", "李红梅"}
    assert all("*" in r[4] and "*" in r[5] for r in rows[1:])
    assert member_a.id_number not in str(rows)
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.changes["count"] == 2 and entry.changes["masked"] is True


def test_export_contains_only_in_scope_members_in_full_with_reveal(as_secretary_a, member_a, member_b):
    rows = _export(as_secretary_a)
    assert [r[0] for r in rows[1:]] == ["张建国"]
    assert rows[1][4] == member_a.id_number and rows[1][-1] == "B001"
    assert AuditEntry.objects.get(action=Action.EXPORT).changes["masked"] is False


def test_export_masks_if_reveal_does_not_cover_every_org(tree, member_a, member_b):
    user = UserFactory()
    grant(user, tree["community"], "party_worker")
    grant(user, tree["branch_a"], "secretary")  # may reveal in A only
    from tests.conftest import client_for

    client = client_for(user)
    assert all("*" in r[4] for r in _export(client)[1:])
    assert _export(client, org=tree["branch_a"].pk)[1][4] == member_a.id_number


def test_export_filters_like_the_member_list(as_officer, tree, member_a, member_b):
    assert [r[0] for r in _export(as_officer, q="李红梅")[1:]] == ["李红梅"]
    assert [r[0] for r in _export(as_officer, org=tree["branch_a"].pk)[1:]] == ["张建国"]


def test_export_of_an_out_of_scope_org_is_404(as_secretary_b, tree):
    assert as_secretary_b.get(reverse("imports:roster_export"), {"org": tree["branch_a"].pk}).status_code == 404


def test_edited_export_reimports(as_officer, tree):
    member = MemberFactory(org=tree["branch_a"], name="赵六")
    rows = _export(as_officer)
    Member.objects.filter(pk=member.pk).delete()
    headers, data = rows[0], rows[1]
    response = upload(as_officer, xlsx_bytes([dict(zip(headers, data, strict=True))]))
    assert "1 名党员已导入" in response.content.decode()
    again = Member.objects.get(name="赵六")
    assert again.id_number_index == crypto.blind_index(member.id_number)


def test_job_unfinished_after_an_hour_is_reported_interrupted(as_secretary_a, secretary_a):
    import datetime as dt

    from django.utils import timezone

    job = ImportJob.objects.create(created_by=secretary_a, file_name="a.xlsx", file_sha256="0" * 64,
                                   state=ImportJob.State.RUNNING)
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=59))
    assert 'hx-trigger="every 1s"' in as_secretary_a.get(f"/imports/jobs/{job.pk}/status/").content.decode()
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=61))
    page = as_secretary_a.get(f"/imports/jobs/{job.pk}/status/").content.decode()
    assert "hx-trigger" not in page and "导入已中断" in page


def test_demo_seed_writes_a_sample_file_whose_errors_the_importer_lists(settings, tmp_path, tree, as_secretary_a):
    import datetime as dt
    import random

    from dangjian.imports import demo

    settings.VAR_DIR = tmp_path
    lines: list[str] = []
    demo.seed(rng=random.Random(1), today=dt.date(2026, 11, 26), log=lines.append)
    sample = tmp_path / "demo-import-with-errors.xlsx"
    assert sample.exists() and lines
    page = upload(as_secretary_a, sample.read_bytes(), "demo.xlsx").content.decode()
    assert "出生日期 1980-05-18 与身份证号中的 1980-05-17 不一致" in page
    assert "日期不存在" in page and "身份证号与第 2 行重复" in page
    assert not Member.objects.exists()

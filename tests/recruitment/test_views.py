"""Recruitment pages and API: scope (404), inline errors, exports, to-do items."""

import datetime as dt
import io
import json

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.audit.models import AuditEntry
from dangjian.recruitment import services
from dangjian.recruitment.models import Applicant
from tests.dbstate import unchanged
from tests.factories import UserFactory
from tests.recruitment.conftest import applicant_data


@pytest.fixture
def case(tree, secretary_a, config):
    return services.applicant_create(by=secretary_a, data=applicant_data(
        tree["branch_a"], applied_on=timezone.localdate() - dt.timedelta(days=20)))


@pytest.mark.parametrize("url", ["/recruitment/", "/recruitment/new/", "/recruitment/rules/"])
def test_anonymous_is_sent_to_login(as_anonymous, url):
    response = as_anonymous.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_outsider_gets_404_everywhere(as_secretary_b, as_member, case):
    for client in (as_secretary_b, as_member):
        assert client.get(f"/recruitment/{case.pk}/").status_code == 404
        with unchanged():
            assert client.post(f"/recruitment/{case.pk}/step/", {"code": "talk", "on": "2024-01-01"}).status_code == 404
        with unchanged():
            assert client.post(f"/recruitment/{case.pk}/extend/", {"months": 6}).status_code == 404
        with unchanged():
            assert client.post(f"/recruitment/{case.pk}/close/", {"reason": "x"}).status_code == 404
        assert client.get(f"/api/recruitment/applicants/{case.pk}").status_code == 404
    assert "刘晓燕" not in as_secretary_b.get("/recruitment/").content.decode()
    assert as_member.get("/recruitment/").status_code == 404
    assert case.steps.count() == 1


def test_create_via_form_with_inline_error_then_success(tree, as_secretary_a, config):
    data = applicant_data(tree["branch_a"], birth_date=dt.date(2008, 1, 1), applied_on=dt.date(2025, 12, 31))
    data["org"] = tree["branch_a"].pk
    page = as_secretary_a.post("/recruitment/new/", data)
    assert "须年满18周岁" in page.content.decode() and not Applicant.objects.exists()
    data["applied_on"] = dt.date(2026, 1, 1)
    response = as_secretary_a.post("/recruitment/new/", data)
    assert response.status_code == 302
    detail = as_secretary_a.get(response["Location"]).content.decode()
    assert "递交入党申请书" in detail and "1101**********" in detail and data["id_number"] not in detail


def test_create_for_another_branch_is_not_offered(tree, as_secretary_b, config):
    data = applicant_data(tree["branch_a"], applied_on=dt.date(2024, 1, 2))
    data["org"] = tree["branch_a"].pk
    page = as_secretary_b.post("/recruitment/new/", data)
    assert page.status_code == 200 and not Applicant.objects.exists()


def test_step_out_of_order_shows_the_rule_inline(as_secretary_a, case):
    page = as_secretary_a.post(f"/recruitment/{case.pk}/step/", {"code": "talk", "on": f"{case.applied_on - dt.timedelta(days=1)}"})
    assert "早于其所依据的第1步" in page.content.decode()
    ok = as_secretary_a.post(f"/recruitment/{case.pk}/step/", {"code": "talk", "on": f"{case.applied_on}",
                                                              "materials": ["谈话记录"]})
    assert ok.status_code == 302
    assert case.steps.get(code="talk").materials == ["谈话记录"]


def test_todo_shows_talk_deadline_to_the_responsible_secretary_only(as_secretary_a, as_secretary_b, case):
    assert "刘晓燕：同入党申请人谈话" in as_secretary_a.get("/").content.decode()
    assert "刘晓燕" not in as_secretary_b.get("/").content.decode()


def test_overdue_talk_is_bad_on_the_todo(tree, secretary_a, config):
    from dangjian.recruitment.selectors import recruitment_alerts

    today = timezone.localdate()
    services.applicant_create(by=secretary_a, data=applicant_data(tree["branch_a"], applied_on=today - dt.timedelta(days=40)))
    [alert] = recruitment_alerts(secretary_a, today=today)
    assert alert.severity == "bad" and "已逾期" in alert.title


def test_export_is_audited(as_secretary_a, case):
    response = as_secretary_a.get("/recruitment/?export=xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == ["姓名", "性别", "出生日期", "所在支部", "申请日期", "阶段", "最近步骤", "最近步骤日期",
                                        "超期情况"]
    assert ws.cell(row=2, column=1).value == "刘晓燕"
    assert (ws.cell(row=2, column=6).value, ws.cell(row=2, column=7).value) == ("入党申请人", "递交入党申请书")
    assert AuditEntry.objects.filter(action="export").count() == 1


def test_rules_page_superuser_only(client, as_officer, config):
    assert as_officer.get("/recruitment/rules/").status_code == 404
    client.force_login(UserFactory(is_superuser=True))
    page = client.get("/recruitment/rules/")
    assert "默认" in page.content.decode() and "材料归档" in page.content.decode()


def _post(client, url, data):
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_api_create_step_and_scope(tree, as_secretary_a, as_secretary_b, as_anonymous, config):
    assert as_anonymous.get("/api/recruitment/applicants").status_code == 401
    data = applicant_data(tree["branch_a"], applied_on=dt.date(2024, 1, 31))
    data["org"] = tree["branch_a"].pk
    assert _post(as_secretary_b, "/api/recruitment/applicants", data).status_code == 404
    created = _post(as_secretary_a, "/api/recruitment/applicants", data)
    assert created.status_code == 201
    body = created.json()
    assert body["id_number_masked"].startswith("1101") and "id_number" not in body
    url = f"/api/recruitment/applicants/{body['id']}/steps"
    early = _post(as_secretary_a, url, {"code": "activist", "on": "2024-02-01"})
    assert early.status_code == 400 and "须先完成第2步" in early.json()["detail"]
    late = _post(as_secretary_a, url, {"code": "talk", "on": "2024-03-01"})
    assert late.status_code == 201 and "1个月内" in late.json()["steps"][-1]["late"]
    assert as_secretary_b.get("/api/recruitment/applicants").json()["count"] == 0
    steps = as_secretary_a.get("/api/recruitment/steps").json()
    assert len(steps) == 25 and (steps[0]["name"], steps[0]["materials"]) == ("递交入党申请书", ["入党申请书"])


def test_list_and_detail_query_counts_stay_flat(tree, secretary_a, as_secretary_a, config, django_assert_max_num_queries):
    for n in range(15):
        services.applicant_create(by=secretary_a, data=applicant_data(
            tree["branch_a"], applied_on=dt.date(2024, 1, 2), name=f"申请人{n}"))
    with django_assert_max_num_queries(12):
        assert as_secretary_a.get("/recruitment/").status_code == 200
    case = Applicant.objects.first()
    with django_assert_max_num_queries(14):
        assert as_secretary_a.get(f"/recruitment/{case.pk}/").status_code == 200


def test_correct_details_before_the_roster_record_exists(as_secretary_a, as_secretary_b, case):
    assert as_secretary_b.get(f"/recruitment/{case.pk}/edit/").status_code == 404
    data = {f: getattr(case, f) for f in services.EDITABLE}
    data["birth_date"] = dt.date(1996, 5, 17)  # disagrees with the ID number
    page = as_secretary_a.post(f"/recruitment/{case.pk}/edit/", data)
    assert "与身份证号中的" in page.content.decode()
    data["birth_date"], data["name"] = case.birth_date, "刘晓艳"
    assert as_secretary_a.post(f"/recruitment/{case.pk}/edit/", data).status_code == 302
    case.refresh_from_db()
    assert case.name == "刘晓艳"
    assert AuditEntry.objects.filter(action="update", target_type="recruitment.Applicant").exists()


def test_the_edit_page_never_carries_the_identifiers_and_changing_one_needs_the_reveal_right(
        tree, as_secretary_a, case):
    """Issue 16 #1: masked placeholders, blank keeps, a change needs the reveal right and is audited."""
    from django.test import Client

    from dangjian.accounts.roles import Role
    from tests.factories import grant

    page = as_secretary_a.get(f"/recruitment/{case.pk}/edit/").content.decode()
    assert case.id_number not in page and case.phone not in page
    assert 'placeholder="139****1111"' in page
    data = {f: getattr(case, f) for f in services.EDITABLE}
    data.update(id_number="", phone="", job="工程师")
    worker = UserFactory(username="worker_a")
    grant(worker, tree["branch_a"], Role.PARTY_WORKER)  # records the case, may not reveal
    as_worker = Client()
    as_worker.force_login(worker)
    assert as_worker.post(f"/recruitment/{case.pk}/edit/", data).status_code == 302
    case.refresh_from_db()
    assert (case.job, case.phone) == ("工程师", "13900001111")
    refused = as_worker.post(f"/recruitment/{case.pk}/edit/", {**data, "phone": "13700002222"})
    assert "有权查看完整信息的用户才能修改" in refused.content.decode()
    assert as_secretary_a.post(f"/recruitment/{case.pk}/edit/", {**data, "phone": "13700002222"}).status_code == 302
    case.refresh_from_db()
    assert case.phone == "13700002222"
    entry = AuditEntry.objects.filter(target_type="recruitment.Applicant", action="update").order_by("-id").first()
    assert entry.changes["phone"] == ["••••", "••••"]


def test_todo_sums_up_the_alerts_beyond_the_first_eight(tree, secretary_a, config):
    from dangjian.recruitment.todo import MAX_ITEMS
    from dangjian.recruitment.todo import todo_items as recruitment_todo

    applied = timezone.localdate() - dt.timedelta(days=40)
    for i in range(MAX_ITEMS + 2):
        services.applicant_create(by=secretary_a, data=applicant_data(tree["branch_a"], applied_on=applied, name=f"申请人{i}"))
    items = recruitment_todo(secretary_a)
    assert len(items) == MAX_ITEMS + 1 and {i.area for i in items} == {"发展党员"}
    assert items[0].title.endswith("：同入党申请人谈话已逾期")
    assert items[-1].title == "另有 2 项发展党员提醒"


def test_labels_read_in_recruitments_own_words_and_the_rosters_where_they_mean_the_same(as_secretary_a, case):
    """Django merges the catalogues: recruitment's words are in contexts where they mean something else."""
    from dangjian.recruitment.forms import ApplicantForm, ExtendForm

    form = ApplicantForm(orgs=None)
    labels = {f: str(form.fields[f].label) for f in ("name", "phone", "address", "employment", "job")}
    # A person's name (not 名称); the applicant's details read as the roster record they become.
    assert labels == {"name": "姓名", "phone": "手机号码", "address": "家庭住址", "employment": "就业状况",
                      "job": "工作单位及职务"}
    assert str(ExtendForm().fields["on"].label) == "支部大会决定日期"  # not the transfers' 办结日期
    assert "<th>姓名</th>" in as_secretary_a.get("/recruitment/").content.decode()
    assert str(Applicant._meta.get_field("name").verbose_name) == "姓名"


def test_rules_page_names_the_regulation(client, config):
    client.force_login(UserFactory(is_superuser=True))
    assert "<th>规定</th>" in client.get("/recruitment/rules/").content.decode()  # not the warnings' 规则

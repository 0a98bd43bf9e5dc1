"""Project pages and API through the paths a user takes; outsiders get 404, anonymous goes to login."""

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.audit.models import AuditEntry
from dangjian.projects.models import Project, Status, Task
from tests.dbstate import unchanged

from .conftest import make_project

pytestmark = pytest.mark.django_db


def test_list_detail_and_export(as_secretary_a, tree, proposal):
    make_project(tree["branch_b"], title="二支部项目")
    r = as_secretary_a.get(reverse("projects:list"))
    assert r.status_code == 200 and "邻里守望" in r.content.decode() and "二支部项目" not in r.content.decode()
    r = as_secretary_a.get(reverse("projects:detail", args=[proposal.pk]))
    body = r.content.decode()
    assert r.status_code == 200 and "召开会议次数" in body and "提交审批" in body
    r = as_secretary_a.get(reverse("projects:list") + "?export=xlsx")
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert rows[1][0] == "书记项目：邻里守望" and len(rows) == 2
    assert AuditEntry.objects.filter(action="export").exists()


def test_outsider_and_member_get_404(as_secretary_b, as_member, proposal):
    for client in (as_secretary_b, as_member):
        assert client.get(reverse("projects:detail", args=[proposal.pk])).status_code == 404
        with unchanged(proposal):
            assert client.post(reverse("projects:transition", args=[proposal.pk, "submit"])).status_code == 404
    assert as_member.get(reverse("projects:list")).status_code == 404
    assert as_secretary_b.get(reverse("projects:edit", args=[proposal.pk])).status_code == 404


def test_anonymous_redirected(as_anonymous, proposal):
    r = as_anonymous.get(reverse("projects:detail", args=[proposal.pk]))
    assert r.status_code == 302 and "/accounts/login" in r["Location"]
    assert as_anonymous.get("/api/projects").status_code == 401


def test_create_with_error_shown_inline(as_secretary_a, tree):
    data = {"org": tree["branch_a"].pk, "kind": "secretary", "title": "项目", "aim": "目标",
            "starts_on": "2026-05-02", "ends_on": "2026-05-01", "budget": "100"}
    r = as_secretary_a.post(reverse("projects:new"), data)
    assert r.status_code == 200 and "结束日期不能早于开始日期" in r.content.decode()
    r = as_secretary_a.post(reverse("projects:new"), data | {"ends_on": "2026-12-31"})
    assert r.status_code == 302 and Project.objects.get().title == "项目"


def test_submit_and_approve_through_the_pages(as_secretary_a, as_officer, proposal):
    as_secretary_a.post(reverse("projects:transition", args=[proposal.pk, "submit"]))
    r = as_secretary_a.post(reverse("projects:transition", args=[proposal.pk, "approve"]), follow=True)
    assert "只有上级党组织" in r.content.decode()
    as_officer.post(reverse("projects:transition", args=[proposal.pk, "approve"]))
    proposal.refresh_from_db()
    assert proposal.status == Status.EXECUTING


def test_add_task_and_owner_marks_done(as_secretary_a, secretary_a, tree):
    p = make_project(tree["branch_a"], status=Status.EXECUTING)
    r = as_secretary_a.post(reverse("projects:detail", args=[p.pk]), {
        "which": "task", "task-title": "整理台账", "task-due_on": str(timezone.localdate()), "task-owner": secretary_a.pk})
    assert r.status_code == 302
    task = Task.objects.get()
    as_secretary_a.post(reverse("projects:done", args=["task", task.pk]))
    task.refresh_from_db()
    assert task.done_on == timezone.localdate()


def test_api_create_detail_and_outsider(as_secretary_a, as_secretary_b, tree, proposal):
    r = as_secretary_a.get(f"/api/projects/{proposal.pk}")
    assert r.status_code == 200 and r.json()["targets"][0]["metric_code"] == "meetings_held"
    assert as_secretary_b.get(f"/api/projects/{proposal.pk}").status_code == 404
    with unchanged():
        assert as_secretary_b.post(f"/api/projects/{proposal.pk}/submit", "{}", content_type="application/json").status_code == 404
    payload = {"org_id": tree["branch_a"].pk, "title": "API 项目", "aim": "目标", "starts_on": "2026-01-01",
               "ends_on": "2025-01-01"}
    r = as_secretary_a.post("/api/projects", json.dumps(payload), content_type="application/json")
    assert r.status_code == 400
    r = as_secretary_a.post("/api/projects", json.dumps(payload | {"ends_on": "2026-12-31"}), content_type="application/json")
    assert r.status_code == 201
    r = as_secretary_a.post(f"/api/projects/{proposal.pk}/submit", "{}", content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert as_secretary_a.get("/api/projects").json()["count"] == 2


def test_home_shows_overdue_task(as_secretary_a, secretary_a, tree):
    p = make_project(tree["branch_a"], status=Status.EXECUTING)
    Task.objects.create(project=p, title="逾期任务甲", owner=secretary_a, due_on=timezone.localdate() - dt.timedelta(days=1))
    assert "逾期任务甲" in as_secretary_a.get(reverse("home")).content.decode()


def test_joint_project_visible_to_partner_read_only(as_secretary_a, as_secretary_b, secretary_a, secretary_b, tree):
    r = as_secretary_a.post(reverse("projects:new"), {
        "org": tree["branch_a"].pk, "kind": "joint", "title": "联建项目", "aim": "共建", "starts_on": "2026-01-01",
        "ends_on": "2026-12-31", "budget": "0", "partners": [tree["branch_a"].pk]})
    assert "不能是项目所属组织本身" in r.content.decode()
    p = make_project(tree["branch_a"], kind="joint", title="联建项目")
    assert as_secretary_b.get(reverse("projects:detail", args=[p.pk])).status_code == 404
    p.partners.add(tree["branch_b"])
    body = as_secretary_b.get(reverse("projects:detail", args=[p.pk])).content.decode()
    assert "联建项目" in body and "和平社区第二党支部" in body and "编辑" not in body
    assert "联建项目" in as_secretary_b.get(reverse("projects:list")).content.decode()
    assert as_secretary_b.get(f"/api/projects/{p.pk}").status_code == 200
    assert as_secretary_b.get(reverse("projects:edit", args=[p.pk])).status_code == 404
    r = as_secretary_b.post(reverse("projects:detail", args=[p.pk]), {"which": "milestone", "milestone-title": "x",
                                                                      "milestone-due_on": "2026-05-01"})
    assert r.status_code == 404 and not p.milestones.exists()

"""Another branch's org, or an org id in nobody's scope, does not exist for the user: 404 and nothing written."""

import datetime as dt

import pytest
from django.http import Http404

from dangjian.audit.models import AuditEntry
from dangjian.learning import services
from dangjian.learning.models import Case, Material, StudyPlan, StudyRecord

NOBODYS = 987654321


def _plan(org_id):
    return {"org": org_id, "title": "学习计划", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}


@pytest.mark.parametrize("org", ["branch_b", NOBODYS])
def test_plan_and_material_pages_404(as_secretary_a, tree, org):
    org_id = tree[org].pk if isinstance(org, str) else org
    audits = AuditEntry.objects.count()
    assert as_secretary_a.post("/learning/plans/new/", _plan(org_id)).status_code == 404
    material = {"org": org_id, "title": "学习材料", "body": "全文", "minutes": 30}
    assert as_secretary_a.post("/learning/materials/new/", material).status_code == 404
    assert not StudyPlan.objects.exists() and not Material.objects.exists()
    assert AuditEntry.objects.count() == audits


def test_own_org_and_missing_org(as_secretary_a, tree):
    missing = as_secretary_a.post("/learning/plans/new/", {**_plan(""), "org": ""})
    assert missing.status_code == 200 and not StudyPlan.objects.exists()  # a form error, not 404
    assert as_secretary_a.post("/learning/plans/new/", _plan(tree["branch_a"].pk)).status_code == 302
    assert StudyPlan.objects.get().org == tree["branch_a"]


def test_case_api_404(as_secretary_a, tree):
    body = {"org_id": tree["branch_b"].pk, "title": "案例", "practice": "做法"}
    assert as_secretary_a.post("/api/learning/cases", body, content_type="application/json").status_code == 404
    assert as_secretary_a.post("/api/learning/cases", {**body, "org_id": NOBODYS},
                               content_type="application/json").status_code == 404
    assert not Case.objects.exists()


def test_services_refuse_with_404(secretary_a, tree, member_b):
    with pytest.raises(Http404):
        services.plan_create(by=secretary_a, org=tree["branch_b"], title="计划",
                             starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 6, 30))
    with pytest.raises(Http404):
        services.study_record(by=secretary_a, member=member_b, mode="in_person",
                              studied_on=dt.date(2026, 1, 5), minutes=30, note="自学")
    assert not StudyPlan.objects.exists() and not StudyRecord.objects.exists()

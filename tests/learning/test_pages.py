"""Cases, study and reflections through pages and the API: scope, forms, exports, rankings."""

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.learning import selectors, services, synthetic
from dangjian.learning.models import Case, Reflection, StudyRecord
from tests.dbstate import unchanged
from tests.factories import MemberFactory


@pytest.fixture
def case_a(tree, officer):
    return services.case_create(by=officer, org=tree["branch_a"], title="楼栋党小组议事", practice="每月召开楼栋议事会",
                                tags="议事 楼栋", dimension="cohesion")


def test_case_rules(tree, officer):
    with pytest.raises(ValidationError):
        services.case_create(by=officer, org=tree["branch_a"], title="x", practice="  ")
    with pytest.raises(ValidationError):
        services.case_create(by=officer, org=tree["branch_a"], title="x", practice="y", link_type="project")
    case = services.case_create(by=officer, org=tree["branch_a"], title="x", practice="y", link_type="rectification",
                                link_id=12, tags="整改，教训")
    assert case.tags == "整改 教训" and case.link_id == 12


def test_recommend_only_by_superior(tree, officer, secretary_a, case_a):
    with pytest.raises(ValidationError):
        services.case_recommend(by=secretary_a, case=case_a)
    services.case_recommend(by=officer, case=case_a, note="值得推广")
    case_a.refresh_from_db()
    assert case_a.recommended_org == tree["street"] and case_a.recommended_at
    assert list(selectors.case_search(officer, recommended=True)) == [case_a]


def test_case_pages_scope(as_secretary_a, as_secretary_b, as_anonymous, as_officer, case_a):
    assert as_secretary_b.get(f"/learning/cases/{case_a.pk}/").status_code == 404
    assert as_anonymous.get(f"/learning/cases/{case_a.pk}/").status_code == 302
    assert as_anonymous.get("/api/learning/cases").status_code == 401
    assert "楼栋党小组议事" in as_secretary_a.get("/learning/?q=议事").content.decode()
    assert "楼栋党小组议事" not in as_secretary_b.get("/learning/?q=议事").content.decode()
    assert "楼栋党小组议事" in as_secretary_a.get("/learning/?tag=楼栋").content.decode()
    assert as_officer.post(f"/learning/cases/{case_a.pk}/", {"note": "好"}).status_code == 302
    assert [c["id"] for c in as_secretary_a.get("/api/learning/cases?q=议事会").json()["items"]] == [case_a.pk]
    assert as_secretary_b.get("/api/learning/cases?q=议事会").json()["count"] == 0


def test_case_form_and_export(as_secretary_a, tree):
    bad = as_secretary_a.post("/learning/cases/new/", {"org": tree["branch_a"].pk, "title": "t", "kind": "practice",
                                                       "dimension": "other", "practice": "p", "link_type": "project"})
    assert "同时填写" in bad.content.decode()
    ok = as_secretary_a.post("/learning/cases/new/", {"org": tree["branch_a"].pk, "title": "t", "kind": "lesson",
                                                      "dimension": "other", "practice": "p"})
    assert ok.status_code == 302 and Case.objects.get().kind == "lesson"
    assert as_secretary_a.get("/learning/?export=xlsx").status_code == 200
    assert AuditEntry.objects.filter(action="export").exists()


def test_suggested_sources_for_low_graded_orgs(tree, officer):
    good = services.case_create(by=officer, org=tree["branch_b"], title="凝聚力做法", practice="p", dimension="cohesion")
    services.case_create(by=officer, org=tree["branch_b"], title="影响力做法", practice="p", dimension="influence")
    services.case_create(by=officer, org=tree["branch_b"], title="凝聚力教训", practice="p", dimension="cohesion",
                         kind="lesson")
    a, b, c = tree["branch_a"].pk, tree["branch_b"].pk, tree["community"].pk
    grades = {a: {"cohesion": 1, "influence": 3}, b: {"cohesion": 5, "influence": "先进"}, c: {"cohesion": "后进"}}
    got = selectors.suggested_sources(grades)
    assert got[a] == {"cohesion": {"orgs": [b], "cases": [good.pk]}}
    assert got[c]["cohesion"]["orgs"] == [b]
    assert b not in got  # graded high: nothing to learn from itself
    assert selectors.suggested_sources({a: {"cohesion": 2}}) == {}  # no source anywhere


def test_study_record_rules(tree, officer, member_a, member_user, member_b):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.study_record(by=member_user, member=member_a, mode="online", studied_on=today, minutes=0)
    with pytest.raises(ValidationError):
        services.study_record(by=member_user, member=member_a, mode="online", studied_on=today, minutes=-5)
    with pytest.raises(ValidationError):
        services.study_record(by=member_user, member=member_a, mode="online",
                              studied_on=today + dt.timedelta(days=1), minutes=30)
    services.study_record(by=member_user, member=member_a, mode="online", studied_on=today, minutes=1440)
    with pytest.raises(Http404):  # another branch's member does not exist for them
        services.study_record(by=member_user, member=member_b, mode="online", studied_on=today, minutes=30)
    material = services.material_create(by=officer, org=tree["community"], title="党章", body="全文")
    services.study_record(by=officer, member=member_b, mode="in_person", studied_on=today, minutes=60, material=material)
    with pytest.raises(ValidationError):  # the same material, member and day: recorded once
        services.study_record(by=officer, member=member_b, mode="online", studied_on=today, minutes=60, material=material)
    assert StudyRecord.objects.count() == 2


def test_no_ranking_unless_enabled(settings, tree, officer, member_a, member_b, as_officer):
    today = timezone.localdate()
    services.study_record(by=officer, member=member_a, mode="online", studied_on=today, minutes=30)
    services.study_record(by=officer, member=member_b, mode="online", studied_on=today, minutes=90)
    page = as_officer.get("/learning/summary/").content.decode()
    assert "本平台不对党员排名" in page and "<th>#</th>" not in page
    rows = selectors.study_summary(officer, start=today, end=today)["rows"]
    assert [r["org__name"] for r in rows] == [member_a.org.name, member_b.org.name]  # by org, not by minutes
    settings.DANGJIAN = {**settings.DANGJIAN, "RANKINGS_ENABLED": True}
    data = selectors.study_summary(officer, start=today, end=today)
    assert data["ranked"] and [r["minutes"] for r in data["rows"]] == [90, 30]
    assert "<th>#</th>" in as_officer.get("/learning/summary/").content.decode()


def test_member_pages(as_member, as_secretary_b, tree, officer, member_a, member_user):
    today = timezone.localdate()
    response = as_member.post("/learning/records/new/", {"member": member_a.pk, "mode": "online",
                                                         "studied_on": today.isoformat(), "minutes": "-3"})
    assert "分钟数必须大于零" in response.content.decode()
    response = as_member.post("/learning/records/new/", {"member": member_a.pk, "mode": "online",
                                                         "studied_on": today.isoformat(), "minutes": "45"})
    assert response.status_code == 302
    empty = as_member.post("/learning/reflections/new/", {"member": member_a.pk, "title": "心得", "body": "   "})
    assert "心得内容为空" in empty.content.decode()
    body = synthetic.reflection(random.Random(2))
    response = as_member.post("/learning/reflections/new/", {"member": member_a.pk, "title": "心得", "body": body})
    reflection = Reflection.objects.get()
    assert response.url == f"/learning/reflections/{reflection.pk}/"
    assert as_member.get(response.url).status_code == 200
    assert as_secretary_b.get(response.url).status_code == 404
    assert as_secretary_b.get(f"/api/learning/reflections/{reflection.pk}").status_code == 404


def test_flagged_reflection_page_side_by_side_and_clear(as_secretary_a, tree, officer, member_a, member_b):
    rng = random.Random(4)
    first = services.reflection_submit(by=officer, member=member_b, title="原文", body=synthetic.reflection(rng))
    copy = services.reflection_submit(by=officer, member=member_a, title="抄的", body=synthetic.disguise(rng, first.body))
    page = as_secretary_a.get(f"/learning/reflections/{copy.pk}/").content.decode()
    assert "疑似抄袭" in page and "另一篇心得" in page and 'class="side"' in page
    assert "原文" not in page  # branch B's reflection: passages only, no title or author for A's secretary
    assert "疑似抄袭" in as_secretary_a.get("/").content.decode()
    bad = as_secretary_a.post(f"/learning/reflections/{copy.pk}/", {"note": ""})
    assert "请说明" in bad.content.decode()
    as_secretary_a.post(f"/learning/reflections/{copy.pk}/", {"note": "引用了共同的学习材料"})
    assert Reflection.objects.get(pk=copy.pk).verdict == "cleared"


def test_api_reflection_submit(as_member, as_secretary_b, member_a, member_b):
    body = {"member_id": member_a.pk, "title": "心得", "body": ""}
    assert as_member.post("/api/learning/reflections", body, content_type="application/json").status_code == 400
    body["body"] = synthetic.reflection(random.Random(8))
    response = as_member.post("/api/learning/reflections", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["verdict"] == "original"
    other = {**body, "member_id": member_b.pk}
    with unchanged():
        assert as_member.post("/api/learning/reflections", other, content_type="application/json").status_code == 404
    assert as_secretary_b.get("/api/learning/reflections").json()["count"] == 0


def test_sources_only_by_assessors(as_secretary_a, as_officer):
    assert as_secretary_a.get("/learning/sources/new/").status_code == 404
    with unchanged():
        assert as_secretary_a.post("/learning/sources/new/", {"title": "讲话", "body": "正文内容"}).status_code == 404
    response = as_officer.post("/learning/sources/new/", {"title": "讲话", "body": "正文内容"})
    assert response.status_code == 302


def test_a_member_records_for_themselves_without_picking_themselves(as_member, tree, member_a, member_user):
    """The member's forms do not ask who they are; the time field says study time, not meeting minutes."""
    from dangjian.learning.models import StudyRecord

    for url in ("/learning/records/new/", "/learning/reflections/new/"):
        html = as_member.get(url).content.decode()
        assert 'name="member"' not in html
    html = as_member.get("/learning/records/new/").content.decode()
    assert "学习时长（分钟）" in html and "会议记录" not in html
    today = timezone.localdate()
    # A member id posted anyway is ignored: the record is the signed-in member's own.
    other = MemberFactory(org=tree["branch_a"], name="王某")
    response = as_member.post("/learning/records/new/", {"member": other.pk, "mode": "online",
                                                         "studied_on": today.isoformat(), "minutes": "40"})
    assert response.status_code == 302
    assert list(StudyRecord.objects.values_list("member_id", "minutes")) == [(member_a.pk, 40)]


def test_a_secretary_still_picks_whom_the_record_is_for(as_secretary_a, member_a):
    html = as_secretary_a.get("/learning/records/new/").content.decode()
    assert 'name="member"' in html and member_a.name in html

"""吹哨报到 (issue 19): the street summons a department, the department answers through its own narrowed login,
an unanswered summons past its deadline escalates, and departments are judged by the communities' 三率."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.appeals import services as appeal_services
from dangjian.appeals.models import Appeal
from dangjian.appeals.selectors import appeal_rates
from dangjian.departments import selectors, services
from dangjian.departments.models import Summons
from tests.appeals.helpers import submit, walk
from tests.conftest import client_for
from tests.dbstate import unchanged

pytestmark = pytest.mark.django_db
PIPE = "和平里3号楼楼下水管爆了，水流了一地"


def _summons(officer, water, appeal, *, now=None, days=2):
    now = now or timezone.now()
    return services.summons_create(by=officer, appeal=appeal, department=water, request="请派员抢修",
                                   due_at=now + dt.timedelta(days=days), now=now)


def test_street_summons_on_the_page_community_cannot(officer, community_secretary, water, tree):
    appeal = submit(tree["community"], PIPE)
    page = client_for(officer).get(f"/departments/summon/{appeal.pk}/")
    assert page.status_code == 200 and "供水服务站" in page.content.decode()
    assert client_for(community_secretary).get(f"/departments/summon/{appeal.pk}/").status_code == 404
    due = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    r = client_for(officer).post(f"/departments/summon/{appeal.pk}/",
                                 {"department": water.pk, "due_at": due, "request": "请派员抢修"})
    assert r.status_code == 302
    s = Summons.objects.get()
    assert (s.department, s.appeal, s.summoned_by) == (water, appeal, officer)
    past = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    r = client_for(officer).post(f"/departments/summon/{appeal.pk}/",
                                 {"department": water.pk, "due_at": past, "request": "再次"})
    assert r.status_code == 400 and Summons.objects.count() == 1


def test_department_login_sees_only_its_summonses_and_answers(officer, water, police, water_user, police_user, tree,
                                                              grid1):
    a = submit(tree["community"], PIPE, address="和平里3号楼")
    b = submit(tree["community"], "幸福苑有人打架", address="幸福苑")
    sw = _summons(officer, water, a)
    ps = _summons(officer, police, b)
    as_water = client_for(water_user)
    listing = as_water.get("/departments/summonses/").content.decode()
    assert a.tracking_code in listing and b.tracking_code not in listing
    assert as_water.get(f"/departments/summonses/{ps.pk}/").status_code == 404
    # The narrowed role opens nothing else: not the appeals, not the grids, not the roster.
    for url in ("/appeals/", f"/appeals/case/{a.pk}/", "/grids/", "/orgs/members/"):
        assert as_water.get(url).status_code == 404, url
    with unchanged(ps):
        assert as_water.post(f"/departments/summonses/{ps.pk}/", {"answer": "越权"}).status_code == 404
    page = as_water.get(f"/departments/summonses/{sw.pk}/").content.decode()
    assert PIPE in page and "13912345678" not in page
    assert as_water.post(f"/departments/summonses/{sw.pk}/", {"answer": "已派员抢修完毕"}).status_code == 302
    sw.refresh_from_db()
    assert sw.answered_by == water_user and sw.answered_on_time


def test_the_street_cannot_answer_for_the_department(officer, water, water_user, tree):
    s = _summons(officer, water, submit(tree["community"], PIPE))
    with pytest.raises(ValidationError):
        services.summons_answer(by=officer, summons=s, answer="代答")
    assert client_for(officer).post(f"/departments/summonses/{s.pk}/", {"answer": "代答"}).status_code == 400
    assert Summons.objects.get(pk=s.pk).answered_at is None


def test_a_summoned_department_past_its_deadline_escalates(officer, water, water_user, tree):
    t0 = timezone.now() - dt.timedelta(days=3)
    late = _summons(officer, water, submit(tree["community"], PIPE), now=t0, days=1)
    answered = _summons(officer, water, submit(tree["community"], "幸福苑路灯不亮"), now=t0, days=1)
    services.summons_answer(by=water_user, summons=answered, answer="已修复", now=t0 + dt.timedelta(hours=2))
    assert services.summonses_escalate(now=t0 + dt.timedelta(hours=23)) == 0  # not due yet
    assert services.summonses_escalate(now=t0 + dt.timedelta(hours=25)) == 1
    assert services.summonses_escalate(now=t0 + dt.timedelta(hours=30)) == 0  # once a day, not every run
    assert services.summonses_escalate(now=t0 + dt.timedelta(hours=50)) == 1
    late.refresh_from_db()
    answered.refresh_from_db()
    assert (late.escalation_level, answered.escalation_level) == (2, 0)
    page = client_for(officer).get("/departments/summonses/?overdue=1").content.decode()
    assert late.appeal.tracking_code in page and answered.appeal.tracking_code not in page


def test_escalation_runs_on_the_appeals_schedule(officer, water, tree):
    from dangjian.operations.tasks import appeals_escalate

    _summons(officer, water, submit(tree["community"], PIPE), now=timezone.now() - dt.timedelta(days=3), days=1)
    assert "department summonses escalated 1" in appeals_escalate()


def test_department_rates_are_the_communitys_definitions(officer, community_secretary, water, water_user, tree):
    """Same 三率 as the community's: over the same cases, resolution and satisfaction are the residents' answers
    at 回访 (a case staff marked resolved but the resident said not resolved counts as unresolved for both)."""
    org = tree["community"]
    t0 = timezone.now() - dt.timedelta(days=5)
    cases = [submit(org, f"{PIPE}{i}", now=t0) for i in range(4)]
    summonses = [_summons(officer, water, a, now=t0 + dt.timedelta(hours=1), days=1) for a in cases]
    for s, hours in zip(summonses[:3], (3, 5, 40), strict=True):  # the third answers late; the fourth never
        services.summons_answer(by=water_user, summons=s, answer="已处置", now=t0 + dt.timedelta(hours=hours))
    for a in cases[:3]:  # staff mark three resolved; the fourth stays open
        walk(a, community_secretary, until="resolve", now=t0 + dt.timedelta(hours=6))
    appeal_services.appeal_callback(by=officer, appeal=Appeal.objects.get(pk=cases[0].pk), resolved=True,
                                    rating="satisfied")
    appeal_services.appeal_rate(tracking_code=cases[1].tracking_code, resolved=False, rating="basic")
    community = appeal_rates(Appeal.objects.filter(org=org))
    start, end = (t0 - dt.timedelta(days=1)).date(), timezone.localdate()
    data = selectors.side_by_side(officer, start, end)
    (name, dept), = data["departments"]
    assert name == "供水服务站"
    assert dept["received"] == 4
    assert dept["response_rate"] == 0.5  # 2 of 4 answered within the deadline
    assert dept["resolution_rate"] == community.resolution_rate == 0.25
    assert dept["satisfaction_rate"] == community.satisfaction_rate == 1.0
    assert dept["not_called_back"] == community.not_called_back == 1
    from dangjian.appeals.selectors import composite

    assert dept["composite"] == composite(response=0.5, resolution=0.25, satisfaction=1.0)
    (cname, crates), = data["communities"]
    assert cname == org.name and crates["resolution_rate"] == community.resolution_rate
    page = client_for(officer).get(f"/departments/metrics/?start={start}&end={end}").content.decode()
    assert "供水服务站" in page and org.name in page
    api = client_for(officer).get(f"/api/departments/metrics?start={start}&end={end}").json()
    assert {(r["kind"], r["resolution_rate"]) for r in api} == {("department", 0.25), ("community", 0.25)}


def test_summons_api(officer, water, water_user, police_user, tree):
    a = submit(tree["community"], PIPE)
    due = (timezone.now() + dt.timedelta(days=2)).isoformat()
    body = {"tracking_code": a.tracking_code, "department_id": water.pk, "due_at": due, "request": "请抢修"}
    assert client_for(police_user).post("/api/departments/summonses", body,
                                        content_type="application/json").status_code == 404
    r = client_for(officer).post("/api/departments/summonses", body, content_type="application/json")
    assert r.status_code == 201
    pk = r.json()["id"]
    assert client_for(police_user).post(f"/api/departments/summonses/{pk}/answer", {"answer": "x"},
                                        content_type="application/json").status_code == 404
    r = client_for(water_user).post(f"/api/departments/summonses/{pk}/answer", {"answer": "已处置"},
                                    content_type="application/json")
    assert r.status_code == 200 and r.json()["answered_at"]
    assert [x["tracking_code"] for x in client_for(water_user).get("/api/departments/summonses").json()] == [
        a.tracking_code]
    assert client_for(police_user).get("/api/departments/summonses").json() == []

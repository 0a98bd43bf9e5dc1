"""党章第九条 (core.references.ARTICLES["member.lapsed"]): a good reason (正当理由) for the period it covers,
assigned work from project tasks, the lapsed-members page, its API and to-do; both sides of each boundary."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.core.dates import add_months
from dangjian.core.todo import todo_for
from dangjian.meetings import lapse, services
from dangjian.meetings.models import GoodReason
from dangjian.orgs.models import Member
from dangjian.projects.models import Project, Task
from tests.dbstate import unchanged
from tests.factories import MemberFactory, UserFactory
from tests.meetings.conftest import held_meeting
from tests.regulations import LAPSE_MONTHS

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


def _found(org, today=TODAY):
    return {f.member.name: f.conditions for f in lapse.lapsed_members(Member.objects.filter(org=org), today=today)}


def _absent_since(org, name, day):
    m = MemberFactory(org=org, name=name)
    held_meeting(org, day, present=[m])
    return m


@pytest.mark.parametrize(("ends_on", "excused"), [
    (lapse.window_start(TODAY) - dt.timedelta(days=1), False),  # ended before the six months: they all count
    (lapse.window_start(TODAY), True),  # covers the first day of the six months
])
def test_good_reason_counts_for_the_period_it_covers(tree, ends_on, excused):
    m = _absent_since(tree["branch_a"], "外出务工", add_months(TODAY, -8))
    assert _found(tree["branch_a"]) == {"外出务工": (lapse.LIFE,)}
    GoodReason.objects.create(member=m, reason="经支部同意外出务工", starts_on=add_months(TODAY, -9), ends_on=ends_on)
    assert _found(tree["branch_a"]) == ({} if excused else {"外出务工": (lapse.LIFE,)})


def test_good_reason_starting_after_today_does_not_excuse_today(tree):
    m = _absent_since(tree["branch_a"], "将出差", add_months(TODAY, -7))
    GoodReason.objects.create(member=m, reason="出差", starts_on=TODAY + dt.timedelta(days=1), ends_on=TODAY + dt.timedelta(days=60))
    assert _found(tree["branch_a"]) == {"将出差": (lapse.LIFE,)}


def _task(member, *, due_on, done_on=None, status="executing"):
    user = getattr(member, "user", None) or UserFactory(username=f"u{member.pk}", member=member)
    project = Project.objects.create(org=member.org, title="书记项目", aim="服务群众", starts_on=add_months(TODAY, -24),
                                     ends_on=TODAY, status=status)
    return Task.objects.create(project=project, title="走访困难党员", owner=user, due_on=due_on, done_on=done_on)


def test_assigned_work_left_undone_six_months_past_its_deadline_five_is_not(tree):
    recent = TODAY - dt.timedelta(days=10)
    six = _absent_since(tree["branch_a"], "六个月未做", recent)
    five = _absent_since(tree["branch_a"], "差一天", recent)
    none = _absent_since(tree["branch_a"], "无任务", recent)
    _task(six, due_on=add_months(TODAY, -LAPSE_MONTHS))
    _task(five, due_on=add_months(TODAY, -LAPSE_MONTHS) + dt.timedelta(days=1))
    assert none.pk and _found(tree["branch_a"]) == {"六个月未做": (lapse.WORK,)}
    found = lapse.lapsed_members(Member.objects.filter(pk=six.pk), today=TODAY)[0]
    assert found.since == {lapse.WORK: add_months(TODAY, -LAPSE_MONTHS)}


def test_work_done_in_the_six_months_or_a_project_not_approved_is_not_lapse(tree):
    recent = TODAY - dt.timedelta(days=10)
    busy = _absent_since(tree["branch_a"], "做了别的", recent)
    _task(busy, due_on=add_months(TODAY, -8))
    _task(busy, due_on=add_months(TODAY, -2), done_on=add_months(TODAY, -1))
    proposal = _absent_since(tree["branch_a"], "未批项目", recent)
    _task(proposal, due_on=add_months(TODAY, -8), status="proposal")
    assert _found(tree["branch_a"]) == {}


def test_good_reason_service_checks_dates_and_scope(secretary_a, secretary_b, member_a):
    with unchanged(member_a), pytest.raises(ValidationError, match="截止日期不能早于起始日期"):
        services.good_reason_record(by=secretary_a, member=member_a, reason="住院", starts_on=TODAY,
                                    ends_on=TODAY - dt.timedelta(days=1), today=TODAY)
    with unchanged(member_a), pytest.raises(ValidationError, match="正当理由"):
        services.good_reason_record(by=secretary_a, member=member_a, reason=" ", starts_on=TODAY, ends_on=TODAY,
                                    today=TODAY)
    from django.http import Http404
    with unchanged(member_a), pytest.raises(Http404):
        services.good_reason_record(by=secretary_b, member=member_a, reason="住院", starts_on=TODAY, ends_on=TODAY,
                                    today=TODAY)
    g = services.good_reason_record(by=secretary_a, member=member_a, reason="住院治疗", starts_on=TODAY,
                                    ends_on=TODAY + dt.timedelta(days=90), today=TODAY)
    assert g.recorded_by == secretary_a
    assert AuditEntry.objects.filter(target_type="meetings.GoodReason", target_id=str(g.pk)).exists()


def test_lapsed_page_todo_and_api(tree, as_secretary_a, as_secretary_b, as_officer, secretary_a):
    today = timezone.localdate()
    m = _absent_since(tree["branch_a"], "长期失联", add_months(today, -7))
    page = as_secretary_a.get(reverse("meetings:lapsed")).content.decode()
    assert "长期失联" in page and "不参加党的组织生活" in page and "登记正当理由" in page
    assert "办理除名" not in page  # the branch's secretary is not the superior who records 除名
    officer_page = as_officer.get(reverse("meetings:lapsed")).content.decode()
    start = reverse("orgs:member_status", args=[m.pk]) + "?status=removed"
    assert start in officer_page
    status_form = as_officer.get(start + "&reason=自行脱党").content.decode()
    assert 'value="removed" selected' in status_form and "自行脱党" in status_form
    assert "长期失联" not in as_secretary_b.get(reverse("meetings:lapsed")).content.decode()
    assert any("长期失联" in i.title and "自行脱党" in i.title for i in todo_for(secretary_a))
    assert [r["member_id"] for r in as_secretary_a.get("/api/meetings/lapsed").json()] == [m.pk]
    assert as_secretary_b.get("/api/meetings/lapsed").json() == []

    url = reverse("meetings:good_reason", args=[m.pk])
    body = {"reason": "生病住院", "starts_on": add_months(today, -3).isoformat(), "ends_on": today.isoformat()}
    with unchanged(m):
        assert as_secretary_b.get(url).status_code == 404
        assert as_secretary_b.post(url, body).status_code == 404
        api = as_secretary_b.post("/api/meetings/good-reasons", json.dumps({**body, "member_id": m.pk}),
                                  content_type="application/json")
        assert api.status_code == 404
        bad = as_secretary_a.post(url, {**body, "ends_on": add_months(today, -4).isoformat()})
        assert bad.status_code == 200 and "截止日期不能早于起始日期" in bad.content.decode()
    assert as_secretary_a.post(url, body).status_code == 302
    assert "长期失联" not in as_secretary_a.get(reverse("meetings:lapsed")).content.decode()
    assert not any("长期失联" in i.title and "自行脱党" in i.title for i in todo_for(secretary_a))

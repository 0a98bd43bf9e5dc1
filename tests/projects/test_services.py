"""Project workflow, target binding to recorded work, overdue items, audit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.core import metrics
from dangjian.meetings import services as meeting_services
from dangjian.projects import selectors, services
from dangjian.projects.models import Project, Status
from dangjian.projects.todo import todo_items as projects_todo
from tests.factories import MemberFactory

from .conftest import make_project

pytestmark = pytest.mark.django_db


def _go(by, p, action, **kw):
    return services.project_transition(by=by, project=p, action=action, **kw)


def test_full_lifecycle_and_audit(proposal, secretary_a, officer):
    p = _go(secretary_a, proposal, "submit")
    assert p.status == Status.SUBMITTED
    p = _go(officer, p, "approve")
    assert p.status == Status.EXECUTING
    p = _go(secretary_a, p, "request_acceptance")
    assert p.status == Status.REVIEW
    p = _go(officer, p, "return", comment="佐证材料不足")
    assert p.status == Status.EXECUTING and p.decision_comment == "佐证材料不足"
    p = _go(secretary_a, p, "request_acceptance")
    p = _go(officer, p, "accept", comment="目标完成", score=92)
    assert p.status == Status.ACCEPTED and p.acceptance_score == 92 and p.accepted_on == timezone.localdate()
    states = [e.changes["status"] for e in AuditEntry.objects.filter(
        target_type="projects.Project", target_id=str(p.pk), action="transition").order_by("id")]
    assert states[0] == ["proposal", "submitted"] and states[-1] == ["review", "accepted"] and len(states) == 6


def test_reject_returns_to_proposal_with_comment(proposal, secretary_a, officer):
    _go(secretary_a, proposal, "submit")
    with pytest.raises(ValidationError) as e:
        _go(officer, proposal, "reject")
    assert "请填写意见" in str(e.value)
    p = _go(officer, proposal, "reject", comment="目标不够具体")
    assert p.status == Status.PROPOSAL


@pytest.mark.parametrize("status,action", [
    (Status.PROPOSAL, "approve"), (Status.PROPOSAL, "accept"), (Status.SUBMITTED, "submit"),
    (Status.EXECUTING, "approve"), (Status.ACCEPTED, "return"), (Status.ACCEPTED, "request_acceptance"),
])
def test_illegal_transitions_refused(tree, officer, status, action):
    p = make_project(tree["branch_a"], status=status)
    with pytest.raises(ValidationError) as e:
        _go(officer, p, action, comment="x", score=80)
    assert "不能执行此操作" in str(e.value)
    p.refresh_from_db()
    assert p.status == status


def test_submit_needs_a_target(tree, secretary_a):
    p = make_project(tree["branch_a"])
    with pytest.raises(ValidationError, match="至少一项"):
        _go(secretary_a, p, "submit")


def test_only_the_superior_approves(tree, secretary_a, secretary_b, officer):
    p = make_project(tree["branch_a"], status=Status.SUBMITTED)
    with pytest.raises(ValidationError, match="上级"):
        _go(secretary_a, p, "approve")  # sees the org, is not above it
    with pytest.raises(Http404):
        _go(secretary_b, p, "approve")  # outsider: does not exist
    own = make_project(tree["street"], status=Status.SUBMITTED)
    with pytest.raises(ValidationError, match="上级"):
        _go(officer, own, "approve")  # nobody approves their own top-level project


def test_acceptance_score_bounds(tree, officer):
    p = make_project(tree["branch_a"], status=Status.REVIEW)
    for bad in (None, -1, 101):
        with pytest.raises(ValidationError):
            _go(officer, p, "accept", comment="ok", score=bad)
    assert _go(officer, p, "accept", comment="ok", score=100).acceptance_score == 100


def test_bound_target_moves_with_a_new_meeting_record(proposal, secretary_a, member_a):
    target = proposal.targets.get()
    assert selectors.target_progress(target).value == 0
    meeting_services.meeting_record(
        by=secretary_a,
        data={"org": proposal.org, "meeting_type": "theme_day", "place": "活动室", "topic": "主题党日",
              "starts_at": timezone.now() - dt.timedelta(hours=1)},
        attendance={member_a.pk: ("present", "")}, minutes="学习")
    tp = selectors.target_progress(target)
    assert tp.value == 1 and tp.percent == 10 and tp.bound


def test_target_bound_to_roster_counts_subtree(tree, secretary_a, officer):
    p = make_project(tree["community"], starts_on=dt.date(2020, 1, 1))
    t = services.target_add(by=officer, project=p, name="党员人数", unit="人", target_value=Decimal(4),
                            due_on=timezone.localdate() + dt.timedelta(days=5), metric_code="members_on_roll")
    MemberFactory(org=tree["branch_a"])
    assert selectors.target_progress(t).value == 1
    MemberFactory(org=tree["branch_b"])
    assert selectors.target_progress(t).percent == 50
    assert metrics.metric_value("members_on_roll", org=tree["branch_a"], start=p.starts_on,
                                end=timezone.localdate()) == 1


def test_target_window_stops_at_due_date(tree, officer):
    """A record the day after the due date does not count; one on the due date does."""
    today = timezone.localdate()
    p = make_project(tree["branch_a"], starts_on=today - dt.timedelta(days=30))
    t = services.target_add(by=officer, project=p, name="会议", unit="次", target_value=Decimal(2),
                            due_on=today - dt.timedelta(days=5), metric_code="meetings_held")
    from tests.meetings.conftest import held_meeting

    held_meeting(tree["branch_a"], today - dt.timedelta(days=4))
    assert selectors.target_progress(t).value == 0
    held_meeting(tree["branch_a"], today - dt.timedelta(days=5))
    assert selectors.target_progress(t).value == 1


def test_reported_target_needs_evidence_and_bound_cannot_be_reported(proposal, secretary_a):
    bound = proposal.targets.get()
    with pytest.raises(ValidationError, match="自动计算"):
        services.target_report(by=secretary_a, target=bound, value=Decimal(3), evidence="x")
    t = services.target_add(by=secretary_a, project=proposal, name="受益居民", unit="户", target_value=Decimal(200),
                            due_on=timezone.localdate(), baseline=Decimal(100))
    with pytest.raises(ValidationError, match="佐证"):
        services.target_report(by=secretary_a, target=t, value=Decimal(150), evidence=" ")
    services.target_report(by=secretary_a, target=t, value=Decimal(150), evidence="走访台账")
    assert selectors.target_progress(t).percent == 50


def test_unknown_metric_and_bad_values_refused(proposal, secretary_a):
    with pytest.raises(ValidationError) as e:
        services.target_add(by=secretary_a, project=proposal, name="", unit="次", target_value=Decimal(0),
                            due_on=timezone.localdate(), metric_code="nope")
    assert set(e.value.message_dict) == {"name", "target_value", "metric_code"}


def test_project_dates_and_scope(tree, secretary_a, secretary_b):
    data = {"org": tree["branch_a"], "title": "项目", "aim": "目标", "starts_on": dt.date(2025, 5, 2),
            "ends_on": dt.date(2025, 5, 1), "budget": Decimal(1)}
    with pytest.raises(ValidationError, match="结束日期"):
        services.project_create(by=secretary_a, data=data)
    assert not Project.objects.exists()
    with pytest.raises(Http404):
        services.project_create(by=secretary_b, data=data | {"ends_on": dt.date(2025, 5, 2)})


def test_spending_and_progress_only_while_executing(tree, secretary_a):
    p = make_project(tree["branch_a"])
    with pytest.raises(ValidationError, match="执行中"):
        services.spending_add(by=secretary_a, project=p, item="物料", amount=Decimal(10), spent_on=timezone.localdate())
    p.status = Status.EXECUTING
    p.save()
    services.spending_add(by=secretary_a, project=p, item="物料", amount=Decimal("12.5"), spent_on=timezone.localdate())
    with pytest.raises(ValidationError, match="大于 0"):
        services.spending_add(by=secretary_a, project=p, item="物料", amount=Decimal(0), spent_on=timezone.localdate())
    with pytest.raises(ValidationError, match="晚于今天"):
        services.spending_add(by=secretary_a, project=p, item="物料", amount=Decimal(1),
                              spent_on=timezone.localdate() + dt.timedelta(days=1))
    services.progress_add(by=secretary_a, project=p, text="完成第一阶段")
    assert selectors.spent(p) == Decimal("12.5") and p.updates.count() == 1


def test_overdue_task_on_owner_todo_and_superior_warned(tree, secretary_a, officer):
    today = timezone.localdate()
    p = make_project(tree["branch_a"], status=Status.EXECUTING)
    services.task_add(by=secretary_a, project=p, title="制定方案", due_on=today, owner=secretary_a)
    late = services.task_add(by=secretary_a, project=p, title="入户走访", due_on=today - dt.timedelta(days=1),
                             owner=secretary_a)
    titles = [i.title for i in projects_todo(secretary_a)]
    assert any("入户走访" in t for t in titles) and not any("制定方案" in t for t in titles)
    assert any(p.title in i.title and i.severity == "warn" for i in projects_todo(officer))
    services.item_complete(by=secretary_a, item=late)
    assert not any("入户走访" in i.title for i in projects_todo(secretary_a))
    with pytest.raises(ValidationError, match="已完成"):
        services.item_complete(by=secretary_a, item=late)


def test_overdue_milestone_for_the_org_and_one_warning_for_the_superior(tree, secretary_a, secretary_b, officer):
    today = timezone.localdate()
    p = make_project(tree["branch_a"], status=Status.EXECUTING)
    services.milestone_add(by=secretary_a, project=p, title="中期评估", due_on=today)
    assert not any("中期评估" in i.title for i in projects_todo(secretary_a))  # due today: not overdue yet
    services.milestone_add(by=secretary_a, project=p, title="阶段总结", due_on=today - dt.timedelta(days=1))
    assert any("阶段总结" in i.title and i.severity == "bad" for i in projects_todo(secretary_a))
    assert not projects_todo(secretary_b)
    officer_items = projects_todo(officer)
    assert not any("阶段总结" in i.title for i in officer_items)
    assert [i.severity for i in officer_items if p.title in i.title] == ["warn"]


def test_task_owner_must_see_the_org(tree, secretary_a, secretary_b):
    p = make_project(tree["branch_a"], status=Status.EXECUTING)
    with pytest.raises(ValidationError, match="责任人"):
        services.task_add(by=secretary_a, project=p, title="x", due_on=timezone.localdate(), owner=secretary_b)


def test_accepted_project_is_frozen(tree, secretary_a):
    p = make_project(tree["branch_a"], status=Status.ACCEPTED)
    with pytest.raises(ValidationError, match="已验收"):
        services.project_update(by=secretary_a, project=p, data={"title": "新名称"})
    with pytest.raises(ValidationError, match="已验收"):
        services.milestone_add(by=secretary_a, project=p, title="x", due_on=timezone.localdate())


def test_evidence_files_checked_by_content(tree, secretary_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = make_project(tree["branch_a"], status=Status.EXECUTING)
    fake = SimpleUploadedFile("photo.png", b"<html>not a png</html>")
    with pytest.raises(ValidationError, match="JPG、PNG"):
        services.progress_add(by=secretary_a, project=p, text="进展", file=fake)
    assert not p.updates.exists()
    png = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    u = services.progress_add(by=secretary_a, project=p, text="进展", file=png)
    assert u.file.name.endswith(".png")

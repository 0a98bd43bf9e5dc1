"""Reads for projects: scoped lists, live target values, overdue work."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min, Q, QuerySet, Sum
from django.utils import timezone

from dangjian.accounts import roles
from dangjian.core import metrics
from dangjian.core.scoping import scope_paths, scope_q, scoped
from dangjian.projects.models import Milestone, Project, Status, Target, Task


def visible_projects(user) -> QuerySet:
    """Projects of orgs in the user's scope, and joint projects in which an org in scope is a partner (read only)."""
    partner_of = scoped(Project.partners.through.objects.all(), user, roles.VIEW_WORK, path_field="org__path")
    return Project.objects.filter(
        scope_q(user, roles.VIEW_WORK) | Q(pk__in=partner_of.values("project_id"))).select_related("org")


def projects_for(user, *, status: str = "", org=None) -> QuerySet:
    qs = visible_projects(user)
    if status:
        qs = qs.filter(status=status)
    if org is not None:
        qs = qs.filter(org__path__subtree=org.path)
    return qs


@dataclass
class TargetProgress:
    target: Target
    value: float | None
    bound: bool
    percent: int | None  # share of the way from baseline to target, capped at 100
    metric_name: str = ""

    @property
    def met(self) -> bool:
        return self.percent is not None and self.percent >= 100


def target_progress(target: Target, *, today: dt.date | None = None) -> TargetProgress:
    """Bound targets are computed from the records on every read: a new record moves them."""
    today = today or timezone.localdate()
    project = target.project
    name = ""
    if target.metric_code:
        try:
            metric = metrics.get(target.metric_code)
        except KeyError:
            return TargetProgress(target, None, True, None)
        name = metric.name
        end = min(today, target.due_on)
        value = metrics.metric_value(target.metric_code, org=project.org, start=project.starts_on, end=end) \
            if end >= project.starts_on else 0.0
    else:
        value = None if target.reported_value is None else float(target.reported_value)
    percent = None
    if value is not None:
        span = float(target.target_value - target.baseline)
        percent = 100 if span <= 0 else max(0, min(100, int((value - float(target.baseline)) * 100 // span)))
    return TargetProgress(target, value, bool(target.metric_code), percent, name)


def progress_for(project: Project) -> list[TargetProgress]:
    return [target_progress(t) for t in project.targets.all()]


def spent(project: Project) -> Decimal:
    return project.spendings.aggregate(s=Sum("amount"))["s"] or Decimal(0)


def overdue_tasks(user, *, today: dt.date | None = None) -> QuerySet:
    """Open tasks past their deadline that the user owns, or that are in their EDIT_WORK scope."""
    today = today or timezone.localdate()
    base = Task.objects.filter(done_on__isnull=True, due_on__lt=today,
                               project__status__in=(Status.EXECUTING, Status.REVIEW)).select_related("project")
    return base.filter(owner=user)


def _below_assess_q(user, path_field: str) -> Q:
    """Records of orgs strictly below one the user assesses: the user is their superior."""
    paths = scope_paths(user, roles.ASSESS)
    if paths is None:
        return Q()
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{path_field}__subtree": p}) & ~Q(**{path_field: p})
    return q


def overdue_milestones(user, *, today: dt.date | None = None) -> QuerySet:
    """For the project's own organisation (its superior gets one warning per project instead)."""
    today = today or timezone.localdate()
    qs = Milestone.objects.filter(done_on__isnull=True, due_on__lt=today,
                                  project__status__in=(Status.EXECUTING, Status.REVIEW)).select_related("project")
    return scoped(qs, user, roles.EDIT_WORK, path_field="project__org__path").exclude(
        _below_assess_q(user, "project__org__path"))


def overdue_in_subordinates(user, *, today: dt.date | None = None) -> QuerySet:
    """Projects below the superior with an overdue task or milestone: the superior is warned."""
    today = today or timezone.localdate()
    late = Q(tasks__done_on__isnull=True, tasks__due_on__lt=today) | Q(
        milestones__done_on__isnull=True, milestones__due_on__lt=today)
    qs = Project.objects.filter(status__in=(Status.EXECUTING, Status.REVIEW)).filter(late).distinct()
    return scoped(qs, user, roles.ASSESS)


def awaiting_decision(user) -> QuerySet:
    return scoped(Project.objects.filter(status__in=(Status.SUBMITTED, Status.REVIEW)), user, roles.ASSESS)


def work_lapsed(member_ids, *, today: dt.date, months: int) -> dict[int, dt.date]:
    """党章第九条 "不做党所分配的工作" (core.references.ARTICLES["member.lapsed"]), provided to meetings.lapse as
    "work_lapsed_ids": {member id: the deadline the work has been left undone since}.

    Why project tasks: of the apps that give people work, only a project's task (书记项目 and the other
    Party-building projects, approved by the superior) is work the Party organisation assigns to one named
    person with a deadline. Duty lists (责任清单) are addressed to organisations, not members; volunteering
    is signed up for by the member, not assigned. A task reaches the member through the account it is
    assigned to (accounts.User.member); tasks of projects not yet approved are not assigned work.

    The condition holds when a task assigned to the member is still undone `months` or more after its
    deadline and the member completed no task in those months. A member with no assigned task at all is
    never reported: the condition needs work that was assigned.
    """
    from dangjian.core.dates import add_months

    cutoff = add_months(today, -months)
    tasks = Task.objects.filter(owner__member__in=list(member_ids)).exclude(
        project__status__in=(Status.PROPOSAL, Status.SUBMITTED))
    recent = tasks.filter(done_on__gt=cutoff, done_on__lte=today).values("owner__member")
    overdue = (tasks.filter(done_on__isnull=True, due_on__lte=cutoff).exclude(owner__member__in=recent)
               .order_by().values_list("owner__member").annotate(since=Min("due_on")))
    return dict(overdue)

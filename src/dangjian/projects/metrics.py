"""Metrics over Party-building projects: targets reached (a target due and not reached is missing), money spent."""

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core import metrics as m
from dangjian.projects.models import Spending, Status, Target


def _targets(start, end):
    return Target.objects.filter(due_on__range=(start, end)).exclude(project__status__in=(Status.PROPOSAL, Status.SUBMITTED))


TARGETS = m.Source(
    queryset=_targets, org="project__org", numerator=m.flag(Q(reported_value__gte=F("target_value"))),
    denominator=m.ONE, label=lambda o: f"{o.project.title} · {o.name} · {o.reported_value}/{o.target_value}",
    date=lambda o: o.due_on, url=lambda o: m.url("projects:detail", o.project_id), related=("project",),
    compliance=True)


def _spending(start, end):
    return Spending.objects.filter(spent_on__range=(start, end))


SPENDING = m.Source(
    queryset=_spending, org="project__org", numerator=m.number("amount"), denominator=m.ZERO,
    label=lambda o: f"{o.project.title} · {o.item} · {o.amount}", date=lambda o: o.spent_on,
    url=lambda o: m.url("projects:detail", o.project_id), related=("project",))


def register_all() -> None:
    m.register(m.Metric(
        code="project_target_rate", name=_("Project target completion rate"), unit="%", kind=m.RATE, app="projects",
        description=_("Share of the project targets due in the period that reached their value."), sources=(TARGETS,)))
    m.register(m.Metric(
        code="project_spending", name=_("Project spending"), unit=pgettext_lazy("unit", "yuan"), kind=m.SUM,
        app="projects", description=_("Total spending recorded on Party-building projects in the period."),
        sources=(SPENDING,)))

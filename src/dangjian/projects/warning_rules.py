"""Warning over projects: in execution past their end date."""

import datetime as dt

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import rules
from dangjian.core.rules import Finding
from dangjian.projects.models import Project, Status


def project_overdue(*, period_start: dt.date, as_of: dt.date, config) -> dict[int, Finding]:
    late = as_of - dt.timedelta(days=config.project_late_days)
    rows = (Project.objects.filter(status=Status.EXECUTING, ends_on__lt=as_of).order_by().values_list("org_id")
            .annotate(n=Count("id"), bad=Count("id", filter=Q(ends_on__lt=late))).values_list("org_id", "n", "bad"))
    return {oid: Finding("bad" if bad else "warn", n, _("%(n)d projects are past their end date and not submitted") % {"n": n})
            for oid, n, bad in rows}


def register_all() -> None:
    rules.register(rules.Rule("project_overdue", gettext_lazy("Project overdue"), project_overdue, "projects:list", app="projects"))

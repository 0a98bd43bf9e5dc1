"""The user's own open tasks in projects, for the home page (core.home)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.home import Line, Panel
from dangjian.projects.models import Task


def home_panels(user) -> list[Panel]:
    today = timezone.localdate()
    open_tasks = Task.objects.filter(owner=user, done_on__isnull=True)
    count = open_tasks.count()
    if not count:
        return []
    tasks = open_tasks.select_related("project").order_by("due_on")[:5]
    lines = [Line(_("%(task)s (%(project)s)") % {"task": t.title, "project": t.project},
                  note=f"{t.due_on:%Y-%m-%d}", severity="bad" if t.due_on < today else "") for t in tasks]
    return [Panel(title=_("My project tasks"), lines=lines, order=60,
                  summary=_("%(n)d open tasks.") % {"n": count})]

"""The user's own open tasks in projects, for the home page (core.home)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.home import Line, Panel
from dangjian.projects.models import Task


def home_panels(user) -> list[Panel]:
    today = timezone.localdate()
    tasks = list(Task.objects.filter(owner=user, done_on__isnull=True).select_related("project").order_by("due_on")[:6])
    if not tasks:
        return []
    lines = [Line(f"{t.title}（{t.project}）", note=f"{t.due_on:%Y-%m-%d}",
                  severity="bad" if t.due_on < today else "") for t in tasks[:5]]
    return [Panel(title=_("My project tasks"), lines=lines, order=60,
                  summary=_("%(n)d open tasks.") % {"n": len(tasks) if len(tasks) < 6 else
                                                    Task.objects.filter(owner=user, done_on__isnull=True).count()})]

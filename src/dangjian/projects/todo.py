"""To-do items: overdue tasks for their owners, overdue milestones, decisions for the superior."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.todo import OFFICER, SECRETARY, TodoItem
from dangjian.projects import selectors


def todo_items(user) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    items = []
    for t in selectors.overdue_tasks(user, today=today)[:20]:
        items.append(TodoItem(title=_("Overdue task: %(task)s (%(project)s)") % {"task": t.title, "project": t.project.title},
                              url=reverse("projects:detail", args=[t.project_id]), severity="bad",
                              due=t.due_on.isoformat(), area=_("Projects")))
    for m in selectors.overdue_milestones(user, today=today)[:20]:
        items.append(TodoItem(title=_("Overdue milestone: %(m)s (%(project)s)") % {"m": m.title, "project": m.project.title},
                              url=reverse("projects:detail", args=[m.project_id]), severity="bad",
                              due=m.due_on.isoformat(), area=_("Projects"), actor=SECRETARY))
    for p in selectors.overdue_in_subordinates(user, today=today)[:20]:
        items.append(TodoItem(title=_("A project below you is behind schedule: %(p)s") % {"p": p.title},
                              url=reverse("projects:detail", args=[p.pk]), severity="warn", area=_("Projects"), actor=SECRETARY))
    for p in selectors.awaiting_decision(user)[:20]:
        items.append(TodoItem(title=_("Project awaiting your decision: %(p)s") % {"p": p.title},
                              url=reverse("projects:detail", args=[p.pk]), severity="info", area=_("Projects"), actor=OFFICER))
    return items

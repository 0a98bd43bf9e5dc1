"""The recruitment app's items on the home page's to-do list (registered in apps.py)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangjian.accounts import roles
from dangjian.core.scoping import has_capability
from dangjian.core.todo import SECRETARY, TodoItem
from dangjian.recruitment.selectors import recruitment_alerts

# Beyond this many alerts, one summary line links to the list.
MAX_ITEMS = 8


def todo_items(user) -> list[TodoItem]:
    if not has_capability(user, roles.EDIT_WORK):
        return []
    order = {"bad": 0, "warn": 1, "info": 2}
    alerts = sorted(recruitment_alerts(user), key=lambda a: (order[a.severity], a.due or dt.date.max))
    items = [
        TodoItem(title=a.title, url=reverse("recruitment:detail", args=[a.applicant.pk]), severity=a.severity,
                 due=a.due.isoformat() if a.due else "", area=_("Recruitment"), actor=SECRETARY)
        for a in alerts[:MAX_ITEMS]
    ]
    rest = alerts[MAX_ITEMS:]
    if rest:
        items.append(TodoItem(
            title=ngettext("%(n)d more recruitment reminder", "%(n)d more recruitment reminders", len(rest)) % {
                "n": len(rest)},
            url=reverse("recruitment:list"), severity=rest[0].severity, area=_("Recruitment"),
            actor=SECRETARY))
    return items

"""The appeals app's items on the home page's to-do list (registered in apps.py)."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.appeals.models import OPEN_STATES, State
from dangjian.appeals.selectors import appeals_for
from dangjian.core.todo import GRID_WORKER, TodoItem


def todo_items(user) -> list[TodoItem]:
    """Appeals waiting for this user: to accept, to assign, to resolve; overdue first."""
    if not user.is_authenticated:
        return []
    from dangjian.core.scoping import has_capability

    if not has_capability(user, roles.EDIT_WORK, through=("grid",)):
        return []
    now = timezone.now()
    mine = appeals_for(user, roles.EDIT_WORK).filter(state__in=OPEN_STATES).filter(
        Q(state__in=(State.RECEIVED, State.ACCEPTED)) | Q(assignee_user=user) | Q(assignee_user__isnull=True)
    ).order_by("resolve_due_at")
    labels = {
        State.RECEIVED: _("to accept"), State.ACCEPTED: _("to assign"),
        State.ASSIGNED: _("to handle"), State.IN_PROGRESS: _("to resolve"),
    }
    items = []
    limit = 8  # then one summary line: the home page summarises, the list has the rest
    for appeal in mine[:limit]:
        overdue = appeal.is_overdue(now)
        due = appeal.accept_due_at if appeal.state == State.RECEIVED else appeal.resolve_due_at
        items.append(TodoItem(
            title=_("Appeal %(code)s %(what)s: %(text)s") % {
                "code": appeal.tracking_code, "what": labels[appeal.state], "text": appeal.text[:30],
            },
            url=reverse("appeals:detail", args=[appeal.pk]),
            severity="bad" if overdue else ("warn" if due - now < dt.timedelta(hours=24) else "info"),
            due=timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
            area=_("Appeals"), actor=GRID_WORKER,
        ))
    extra = mine.count() - limit
    if extra > 0:
        items.append(TodoItem(title=_("%(n)d more appeals waiting") % {"n": extra},
                              url=reverse("appeals:list") + "?open=1", area=_("Appeals"),
                              actor=GRID_WORKER))
    return items

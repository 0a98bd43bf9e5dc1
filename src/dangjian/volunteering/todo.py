"""The volunteering app's items on the home page's to-do list (registered in apps.py)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.todo import SECRETARY, TodoItem
from dangjian.volunteering.models import Activity
from dangjian.volunteering.selectors import activities_for


def todo_items(user) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    items = []
    now = timezone.now()
    pending = activities_for(user, roles.EDIT_WORK).filter(state=Activity.State.OPEN, ends_at__lt=now)
    for a in pending.order_by("ends_at")[:20]:
        items.append(TodoItem(
            title=_("Record attendance and hours: %(title)s") % {"title": a.title},
            url=reverse("volunteering:detail", args=[a.pk]), severity="warn",
            due=timezone.localtime(a.ends_at).date().isoformat(), area=_("Volunteer service"), actor=SECRETARY,
        ))
    return items

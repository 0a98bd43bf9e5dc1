"""The learning app's items on the home page's to-do list (registered in apps.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.scoping import scope_q
from dangjian.core.todo import SECRETARY, TodoItem
from dangjian.learning.models import Reflection
from dangjian.learning.selectors import reflections_for


def todo_items(user) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    flagged = reflections_for(user, roles.EDIT_WORK).filter(verdict=Reflection.Verdict.FLAGGED)
    flagged = flagged.filter(scope_q(user, roles.EDIT_WORK))
    return [
        TodoItem(title=_("Reflection flagged as a possible copy: %(title)s") % {"title": r.title},
                 url=reverse("learning:reflection_detail", args=[r.pk]), severity="warn", area=_("Study"),
                 actor=SECRETARY)
        for r in flagged.order_by("-id")[:20]
    ]

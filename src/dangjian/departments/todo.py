"""To-do items: a department's unanswered summonses; the street's overdue ones."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.scoping import has_capability
from dangjian.core.todo import DEPARTMENT, TodoItem
from dangjian.departments.selectors import overdue_q, summonses_for


def todo_items(user) -> list[TodoItem]:
    if not user.is_authenticated or not has_capability(user, roles.EDIT_WORK, through=("department",)):
        return []
    open_ = summonses_for(user, roles.EDIT_WORK).filter(answered_at__isnull=True)
    mine = open_.filter(department__contacts__user=user).count()
    overdue = open_.filter(overdue_q(timezone.now())).count()
    items = []
    area = str(_("Functional departments"))
    if mine:
        items.append(TodoItem(title=_("%(n)d summonses to answer") % {"n": mine},
                              url=reverse("departments:summonses") + "?open=1", severity="warn", area=area, actor=DEPARTMENT))
    if overdue:
        items.append(TodoItem(title=_("%(n)d department summonses overdue") % {"n": overdue},
                              url=reverse("departments:summonses") + "?overdue=1", severity="bad", area=area, actor=DEPARTMENT))
    return items

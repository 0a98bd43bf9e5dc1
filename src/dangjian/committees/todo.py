"""To-do items: terms about to end or overdue, and committees of the wrong shape."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.committees.selectors import org_terms_for
from dangjian.core.scoping import has_capability
from dangjian.core.todo import SECRETARY, TodoItem

MAX_ITEMS = 8


def todo_items(user, today=None) -> list[TodoItem]:
    if not has_capability(user, roles.EDIT_WORK):
        return []
    today = today or timezone.localdate()
    area = _("Terms")
    rows = [r for r in org_terms_for(user, today, capability=roles.EDIT_WORK) if r.state in ("first", "second", "overdue") or r.flag]
    if len(rows) > MAX_ITEMS:
        overdue = sum(1 for r in rows if r.state == "overdue")
        return [TodoItem(
            title=_("%(n)d organisations need an election soon, %(m)d of them are overdue") % {"n": len(rows), "m": overdue},
            url=reverse("committees:list"), severity="bad" if overdue else "warn", area=area, actor=SECRETARY,
        )]
    items = []
    for r in rows:
        url = reverse("committees:org", args=[r.org.pk])
        if r.state == "overdue":
            items.append(TodoItem(title=_("%(org)s: the term ended on %(end)s, the election is overdue") % {
                "org": r.org, "end": f"{r.term.end:%Y-%m-%d}"}, url=url, severity="bad", due=f"{r.term.end:%Y-%m-%d}", area=area, actor=SECRETARY))
        elif r.state:
            items.append(TodoItem(title=_("%(org)s: the term ends on %(end)s, prepare the election") % {
                "org": r.org, "end": f"{r.term.end:%Y-%m-%d}"}, url=url, severity=r.severity, due=f"{r.term.end:%Y-%m-%d}", area=area, actor=SECRETARY))
        if r.flag == "needs_committee":
            items.append(TodoItem(title=_("%(org)s has %(n)d full members and should elect a branch committee") % {
                "org": r.org, "n": r.full_members}, url=url, severity="warn", area=area, actor=SECRETARY))
        elif r.flag == "too_few_full":
            items.append(TodoItem(title=_("%(org)s has %(n)d full members, fewer than a branch needs") % {
                "org": r.org, "n": r.full_members}, url=url, severity="warn", area=area, actor=SECRETARY))
        elif r.flag == "too_many":
            items.append(TodoItem(title=_("%(org)s has %(n)d members, more than a branch should have") % {
                "org": r.org, "n": r.roll_size}, url=url, severity="warn", area=area, actor=SECRETARY))
    return items

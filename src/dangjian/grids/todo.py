"""The grids app's items on the home page's to-do list (registered in apps.py)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.todo import SECRETARY, TodoItem
from dangjian.grids.selectors import plan_shortfalls, plans_for

# Beyond this many plans, one summary line links to the plan list.
MAX_ITEMS = 8


def todo_items(user) -> list[TodoItem]:
    """Service plans about to end, or ended, with members still waiting for a visit."""
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    area = _("Service plan")
    shortfalls = sorted(plan_shortfalls(plans_for(user, roles.EDIT_WORK), today=today), key=lambda pm: pm[0].ends_on)
    items = []
    for plan, missing in shortfalls[:MAX_ITEMS]:
        items.append(TodoItem(
            title=_("%(org)s, %(plan)s: %(n)d members not yet visited") % {
                "org": plan.org.name, "plan": plan.get_kind_display(), "n": missing,
            },
            url=reverse("grids:plan_detail", args=[plan.pk]),
            severity="bad" if plan.ends_on < today else "warn",
            due=plan.ends_on.isoformat(),
            area=area, actor=SECRETARY,
        ))
    rest = shortfalls[MAX_ITEMS:]
    if rest:
        items.append(TodoItem(
            title=_("%(n)d more service plans with members not yet visited") % {"n": len(rest)},
            url=reverse("grids:plan_list"), severity="bad" if any(p.ends_on < today for p, _m in rest) else "warn",
            area=area, actor=SECRETARY,
        ))
    return items

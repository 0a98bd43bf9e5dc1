"""The resources app's items on the home page's to-do list (registered in apps.py)."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.todo import SECRETARY, TodoItem
from dangjian.resources.models import Need
from dangjian.resources.selectors import needs_for, partners_for


def todo_items(user) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    items = []
    stale = timezone.now() - dt.timedelta(days=7)
    for need in needs_for(user, roles.EDIT_WORK).filter(state=Need.State.OPEN, created_at__lt=stale)[:20]:
        items.append(TodoItem(
            title=_("Need without a match: %(title)s") % {"title": need.title},
            url=reverse("resources:need_detail", args=[need.pk]), severity="warn",
            due=need.needed_on.isoformat() if need.needed_on else "", area=_("Resources"), actor=SECRETARY,
        ))
    today = timezone.localdate()
    last_year = today.year - 1
    year_start = dt.date(today.year, 1, 1)
    missing = (
        partners_for(user, roles.EDIT_WORK)
        .filter(is_active=True)
        .filter(Q(joined_on__lt=year_start) | Q(joined_on__isnull=True, created_at__date__lt=year_start))
        .exclude(evaluations__year=last_year)
    )
    for partner in missing[:20]:
        items.append(TodoItem(
            title=_("Annual evaluation of %(name)s for %(year)s") % {"name": partner.name, "year": last_year},
            url=reverse("resources:partner_detail", args=[partner.pk]), severity="info", area=_("Resources"), actor=SECRETARY,
        ))
    return items

"""The dues app's items on the home page's to-do list (registered in apps.py)."""

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangjian.accounts import roles
from dangjian.core.dates import add_months, month_start
from dangjian.core.scoping import has_capability
from dangjian.core.text import month_label
from dangjian.core.todo import SECRETARY, TodoItem
from dangjian.dues import rules
from dangjian.dues.models import Due
from dangjian.dues.selectors import (
    arrears_by_org,
    arrears_warnings,
    orgs_without_ledger,
    reductions_to_decide,
)
from dangjian.dues.services import dues_rules
from dangjian.orgs.models import Org

# Beyond this many organisations, one summary line links to the full list.
MAX_ITEMS = 8


def _arrears_items(user, today: dt.date) -> list[TodoItem]:
    url = reverse("dues:arrears")
    counts = arrears_by_org(user, today=today)
    if not counts:
        return []
    orgs = Org.objects.in_bulk([org_id for org_id, _n, _b in counts])
    ranked = sorted(counts, key=lambda c: (not c[2], -c[1], orgs[c[0]].path))
    shown, rest = ranked[:MAX_ITEMS], ranked[MAX_ITEMS:]
    # Exact streaks only for the organisations shown.
    worst: dict[int, int] = defaultdict(int)
    lapsed: dict[int, int] = defaultdict(int)  # 党章第九条: six months without dues
    for a in arrears_warnings(user, today=today, member_orgs=[c[0] for c in shown]):
        worst[a.member.org_id] = max(worst[a.member.org_id], a.streak)
        lapsed[a.member.org_id] += rules.lapsed(a.streak)
    items = [
        TodoItem(
            title=ngettext(
                "%(org)s: %(n)d member has paid no dues for six months: the branch meeting decides whether, "
                "without good reason, they are regarded as having left the Party (removal, approved by the superior)",
                "%(org)s: %(n)d members have paid no dues for six months: the branch meeting decides whether, "
                "without good reason, they are regarded as having left the Party (removal, approved by the superior)",
                n) % {"org": orgs[org_id].name, "n": n},
            url=f"{url}?org={org_id}", severity="bad", area=_("Dues"), actor=SECRETARY,
        )
        for org_id, n in lapsed.items() if n
    ] + [
        TodoItem(
            title=ngettext("%(org)s: %(n)d member behind with dues (longest run: %(months)d months)",
                           "%(org)s: %(n)d members behind with dues (longest run: %(months)d months)", n)
            % {"org": orgs[org_id].name, "n": n, "months": worst[org_id]},
            url=f"{url}?org={org_id}", severity="bad" if bad else "warn", area=_("Dues"), actor=SECRETARY,
        )
        for org_id, n, bad in shown
    ]
    if rest:
        behind = sum(c[1] for c in rest)
        items.append(TodoItem(
            title=ngettext("%(orgs)d more organisations: %(n)d member behind with dues",
                           "%(orgs)d more organisations: %(n)d members behind with dues", behind)
            % {"orgs": len(rest), "n": behind},
            url=url, severity="bad" if any(c[2] for c in rest) else "warn", area=_("Dues"), actor=SECRETARY,
        ))
    return items


def _ledger_items(user, today: dt.date) -> list[TodoItem]:
    month = month_start(today)
    missing = orgs_without_ledger(user, month=month)
    shown = list(missing[:MAX_ITEMS + 1])
    due = add_months(month, 1).isoformat()
    items = [
        TodoItem(
            title=_("%(org)s: the dues ledger for %(month)s is not generated yet")
            % {"org": org.name, "month": month_label(month)},
            url=f"{reverse('dues:ledger')}?org={org.pk}", severity="info", area=_("Dues"), due=due, actor=SECRETARY,
        )
        for org in shown[:MAX_ITEMS]
    ]
    if len(shown) > MAX_ITEMS:
        count = missing.count()
        items[-1:] = [TodoItem(
            title=ngettext("%(n)d branch has no dues ledger for %(month)s yet",
                           "%(n)d branches have no dues ledger for %(month)s yet", count)
            % {"n": count, "month": month_label(month)},
            url=reverse("dues:ledger"), severity="info", area=_("Dues"), due=due, actor=SECRETARY,
        )]
    return items


def _reduction_items(user) -> list[TodoItem]:
    """Proposals waiting for the user as the superior committee (2008 党费规定 一、第七条)."""
    pending = reductions_to_decide(user)
    url = f"{reverse('dues:reductions')}?state=proposed"
    items = [
        TodoItem(title=_("%(org)s proposes reduced or no dues for %(name)s: approve or refuse")
                 % {"org": r.member.org.name, "name": r.member.name},
                 url=url, severity="warn", area=_("Dues"))
        for r in pending[:MAX_ITEMS]
    ]
    if len(pending) > MAX_ITEMS:
        rest = len(pending) - MAX_ITEMS
        items.append(TodoItem(title=ngettext("%(n)d more dues reduction to decide", "%(n)d more dues reductions to decide",
                                             rest) % {"n": rest}, url=url, severity="warn", area=_("Dues")))
    return items


def todo_items(user) -> list[TodoItem]:
    today = timezone.localdate()
    items: list[TodoItem] = []
    if has_capability(user, roles.EDIT_WORK):
        items.extend(_arrears_items(user, today))
        items.extend(_ledger_items(user, today))
    if has_capability(user, roles.ASSESS):
        items.extend(_reduction_items(user))
    member = getattr(user, "member", None)
    if member is not None:
        unpaid = set(Due.objects.filter(member=member, payment__isnull=True, amount__gt=0,
                                        month__lt=month_start(today))
                     .values_list("month", flat=True))
        if unpaid:
            streak = rules.trailing_unpaid(unpaid, today)
            items.append(TodoItem(
                title=ngettext("You have %(n)d month of dues unpaid", "You have %(n)d months of dues unpaid",
                               len(unpaid)) % {"n": len(unpaid)},
                url=reverse("dues:mine"),
                severity="bad" if streak >= dues_rules().alarm_months else "warn", area=_("Dues"),
            ))
    return items

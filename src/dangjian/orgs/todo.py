"""The orgs app's items on the home page's to-do list (registered in apps.py)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dangjian.orgs.rules import REPORT_REMIND_DAYS
from dangjian.orgs.selectors import transfers_awaiting, transfers_sent


def _severity(valid_until: dt.date | None, today: dt.date) -> str:
    if valid_until and valid_until < today:
        return "bad"
    return "warn"


def todo_items(user) -> list:
    """To-do provider: transfers waiting for this user's decision; letters sent whose member has not
    reported and which expire within REPORT_REMIND_DAYS or have expired (core.references.ARTICLES
    ["transfer.letter"])."""
    from django.urls import reverse

    from dangjian.core.todo import MEMBER, TodoItem

    today = timezone.localdate()
    url = reverse("orgs:transfer_inbox")
    area = pgettext("to-do area", "Membership")
    items = []
    for t in transfers_awaiting(user)[:50]:
        target = t.to_org.name if t.to_org else t.external_org_name
        items.append(TodoItem(
            title=_("Membership transfer to decide: %(name)s (%(from)s → %(to)s)") % {
                "name": t.member.name, "from": t.from_org.name if t.from_org else "", "to": target},
            url=f"{url}#transfer-{t.pk}", severity=_severity(t.valid_until, today),
            due=(t.valid_until or t.requested_on).isoformat(), area=area,
        ))
    soon = today + dt.timedelta(days=REPORT_REMIND_DAYS)
    for t in transfers_sent(user).filter(valid_until__lte=soon)[:50]:
        items.append(TodoItem(
            title=_("%(name)s has not reported to %(to)s; the letter is valid until %(date)s") % {
                "name": t.member.name, "to": t.to_org.name if t.to_org else t.external_org_name,
                "date": f"{t.valid_until:%Y-%m-%d}"},
            url=url, severity=_severity(t.valid_until, today), due=t.valid_until.isoformat(), area=area,
            actor=MEMBER,
        ))
    return items

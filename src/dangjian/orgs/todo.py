"""The orgs app's items on the home page's to-do list (registered in apps.py)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dangjian.orgs.selectors import transfers_awaiting


def todo_items(user) -> list:
    """To-do provider: transfers waiting for this user's decision."""
    from django.urls import reverse

    from dangjian.core.todo import TodoItem

    url = reverse("orgs:transfer_inbox")
    items = []
    for t in transfers_awaiting(user)[:50]:
        target = t.to_org.name if t.to_org else t.external_org_name
        items.append(TodoItem(
            title=_("Membership transfer to decide: %(name)s (%(from)s → %(to)s)") % {
                "name": t.member.name, "from": t.from_org.name if t.from_org else "", "to": target},
            url=f"{url}#transfer-{t.pk}", severity="warn", due=t.requested_on.isoformat(),
            area=pgettext("to-do area", "Membership"),
        ))
    return items

"""The secretary's home: this month's dues of their branches, paid and unpaid (core.home)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.dates import month_start
from dangjian.core.home import Line, Panel
from dangjian.core.scoping import scoped
from dangjian.core.text import month_label
from dangjian.dues.models import Due
from dangjian.dues.selectors import orgs_without_ledger

SHOWN = 5


def dues_this_month(user) -> list[Panel]:
    """Per branch: members who have not paid this month's dues; branches whose ledger is not generated yet."""
    month = month_start(timezone.localdate())
    label = month_label(month)
    rows = list(
        scoped(Due.objects.filter(month=month), user, roles.EDIT_WORK).order_by()
        .values("org_id", "org__name", "org__path")
        .annotate(n=Count("pk"), unpaid=Count("pk", filter=Q(payment__isnull=True)))
        .order_by("-unpaid", "org__path")
    )
    unpaid = sum(r["unpaid"] for r in rows)
    total = sum(r["n"] for r in rows)
    lines = [
        Line(_("%(org)s: %(n)d of %(total)d not paid") % {"org": r["org__name"], "n": r["unpaid"], "total": r["n"]},
             url=f"{reverse('dues:batch')}?org={r['org_id']}&month={month:%Y-%m}", severity="warn")
        for r in rows[:SHOWN] if r["unpaid"]
    ]
    missing = list(orgs_without_ledger(user, month=month)[:SHOWN + 1])
    for org in missing[:SHOWN]:
        lines.append(Line(_("%(org)s: the ledger for %(month)s is not generated yet") % {"org": org.name, "month": label},
                          url=f"{reverse('dues:ledger')}?org={org.pk}", severity="warn"))
    return [Panel(
        title=_("Dues this month"),
        summary=_("%(month)s: %(paid)d of %(total)d members paid, %(unpaid)d not yet.") % {
            "month": label, "paid": total - unpaid, "total": total, "unpaid": unpaid}
        if total else _("No dues recorded for %(month)s yet.") % {"month": label},
        lines=lines, url=reverse("dues:arrears"), url_label=_("Arrears"),
        actions=[(reverse("dues:batch"), _("Record a month's dues"))], order=20,
    )]

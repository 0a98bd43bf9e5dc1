"""The member's own dues, paid and owed, for the home page (core.home)."""

from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core.home import Line, Panel
from dangjian.dues.models import Due


def home_panels(user) -> list[Panel]:
    if not user.member_id:
        return []
    owed = Due.objects.filter(member_id=user.member_id, payment__isnull=True, amount__gt=0)
    totals = owed.aggregate(n=Count("pk"), amount=Sum("amount"))
    last = (Due.objects.filter(member_id=user.member_id, payment__isnull=False).select_related("payment")
            .order_by("-month").first())
    lines = [Line(_("%(month)s: %(amount)s yuan owed") % {"month": f"{d.month:%Y-%m}", "amount": d.amount},
                  severity="warn") for d in owed.order_by("month")[:3]]
    if last is not None:
        lines.append(Line(_("%(month)s: %(amount)s yuan paid") % {"month": f"{last.month:%Y-%m}",
                                                                   "amount": last.payment.amount},
                          note=f"{last.payment.paid_on:%Y-%m-%d}", severity="ok"))
    owed_total = Decimal(str(totals["amount"] or 0)).quantize(Decimal("0.01"))  # SQLite sums in floating point
    summary = (_("%(n)d months owed, %(amount)s yuan in all.") % {"n": totals["n"], "amount": owed_total}
               if totals["n"] else _("Nothing owed."))
    return [Panel(title=_("My dues"), summary=summary, lines=lines, url=reverse("dues:mine"),
                  url_label=_("All my dues"), order=20)]

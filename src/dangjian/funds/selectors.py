"""Reads: what a user may see of the funds ledger (one scoping selector), and the money spent on a record."""

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.urls import reverse

from dangjian.accounts import roles
from dangjian.core.references import RelatedWork
from dangjian.core.scoping import scoped
from dangjian.funds.models import Spending


def spendings_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Spending]:
    return scoped(Spending.objects.select_related("org", "meeting", "project"), user, capability)


def in_period(qs: QuerySet[Spending], start: dt.date | None, end: dt.date | None) -> QuerySet[Spending]:
    if start:
        qs = qs.filter(spent_on__gte=start)
    if end:
        qs = qs.filter(spent_on__lte=end)
    return qs


def total(qs: QuerySet[Spending]) -> Decimal:
    """The sum in yuan and fen (SQLite sums decimals in floating point: round back to the cent)."""
    return Decimal(str(qs.aggregate(s=Sum("amount"))["s"] or 0)).quantize(Decimal("0.01"))


def meeting_model():
    """The meeting model, reached through the foreign key (funds does not import meetings)."""
    return Spending._meta.get_field("meeting").related_model


def project_model():
    return Spending._meta.get_field("project").related_model


def _related(qs: QuerySet[Spending]) -> RelatedWork | None:
    from django.utils.translation import gettext as _

    count = qs.count()
    if not count:
        return None
    rows = [(f"{s.purpose} · {s.amount}", reverse("funds:detail", args=[s.pk]), s.spent_on, s.get_source_display())
            for s in qs.order_by("-spent_on", "-id")[:10]]
    return RelatedWork(title=_("Activity funds spent on it"), rows=rows, total=count,
                       figures=[(_("Total amount"), f"{total(qs)} {_('yuan')}")])


def meeting_spending(meeting, *, user) -> RelatedWork | None:
    return _related(spendings_for(user).filter(meeting=meeting))


def project_spending(project, *, user) -> RelatedWork | None:
    return _related(spendings_for(user).filter(project=project))

"""Metric over the activity funds ledger: money spent (an efficiency input beside project spending)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core import metrics as m
from dangjian.funds.models import Spending


def _spent(start, end):
    return Spending.objects.filter(spent_on__range=(start, end))


SPENT = m.Source(
    queryset=_spent, org="org", numerator=m.number("amount"), denominator=m.ZERO,
    label=lambda o: f"{o.purpose} · {o.get_source_display()} · {o.amount}", date=lambda o: o.spent_on,
    url=lambda o: m.url("funds:detail", o.pk))


def register_all() -> None:
    m.register(m.Metric(
        code="activity_funds_spent", name=_("Activity funds spent"), unit=pgettext_lazy("unit", "yuan"), kind=m.SUM,
        app="funds", description=_("Total of the activity and work funds the organisations recorded as spent in the "
                                   "period (dues allocated back, public budget, other sources)."),
        sources=(SPENT,)))

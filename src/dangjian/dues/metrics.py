"""Metrics over the dues ledger: paid on time (a month unpaid by its end is the missing item) and collected."""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core import metrics as m
from dangjian.dues.models import Due, Payment
from dangjian.dues.rules import add_months


def _dues(start, end):
    return Due.objects.filter(month__gte=start.replace(day=1), month__lte=end)


def _on_time(start: dt.date, end: dt.date) -> Q:
    q = Q(pk__in=[])
    month = start.replace(day=1)
    while month <= end:
        q |= Q(month=month, payment__paid_on__lte=add_months(month, 1) - dt.timedelta(days=1))
        month = add_months(month, 1)
    return q


def _due_label(o) -> str:
    return f"{o.member.name} · {o.month:%Y-%m} · {o.amount}"


def _dues_on_time_source(start, end) -> m.Source:
    return m.Source(
        queryset=_dues, org="org", numerator=m.flag(_on_time(start, end)), denominator=m.ONE,
        label=_due_label, date=lambda o: o.month, url=lambda o: m.url("dues:due", o.pk),
        related=("member",), compliance=True)


def dues_on_time(*, start, end, within=None) -> m.Pairs:
    """Months due in the period paid by the end of that month (one grouped query)."""
    return m.source_pairs(_dues_on_time_source(start, end), start=start, end=end, within_org=within)


def dues_on_time_records(*, org, start, end):
    return m.sources_records([_dues_on_time_source(start, end)], org=org, start=start, end=end)


def _payments(start, end):
    return Payment.objects.filter(paid_on__range=(start, end))


COLLECTED = m.Source(
    queryset=_payments, org="due__org", numerator=m.number("amount"), denominator=m.ZERO,
    label=lambda o: f"{o.due.member.name} · {o.due.month:%Y-%m} · {o.amount}", date=lambda o: o.paid_on,
    url=lambda o: m.url("dues:due", o.due_id), related=("due__member",))


def register_all() -> None:
    m.register(m.Metric(
        code="dues_on_time_rate", name=_("Monthly dues payment rate"), unit="%", kind=m.RATE, app="dues",
        description=_("Share of the monthly dues due in the period that were paid by the end of their month."),
        compute=dues_on_time, records=dues_on_time_records))
    m.register(m.Metric(
        code="dues_collected", name=_("Dues collected"), unit=pgettext_lazy("unit", "yuan"), kind=m.SUM, app="dues",
        description=_("Dues actually collected in the period."), sources=(COLLECTED,)))

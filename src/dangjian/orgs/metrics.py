"""Metrics over the roster, for targets, indicators and per-member rates."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core import metrics as m
from dangjian.orgs.models import Member, Status


def _on_roll(_start, end):
    return Member.objects.filter(status=Status.ACTIVE, joined_on__lte=end)


ROLL = m.Source(
    queryset=_on_roll, org="org", numerator=m.ONE, denominator=m.ZERO,
    label=lambda o: o.name, date=lambda o: o.joined_on, url=lambda o: m.url("orgs:member_detail", o.pk),
    memo="members_on_roll",
)


def register_all() -> None:
    m.register(m.Metric(
        code="members_on_roll", name=_("Number of members on the roll"), unit=pgettext_lazy("unit", "people"),
        description=_("Members on the roll at the end of the period (probationary members included)."),
        sources=(ROLL,), app="orgs",
    ))

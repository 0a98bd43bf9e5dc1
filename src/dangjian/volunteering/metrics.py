"""Metrics over volunteer service: hours (people-time, an efficiency input) and hours per member."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core import metrics as m
from dangjian.volunteering.models import SignUp


def _attended(start, end):
    lo, hi = m.day_bounds(start, end)
    return SignUp.objects.filter(attended=True, activity__starts_at__gte=lo, activity__starts_at__lt=hi)


HOURS = m.Source(
    queryset=_attended, org="member__org", numerator=m.number("hours"), denominator=m.ZERO,
    label=lambda o: f"{o.member.name} · {o.activity.title} · {o.hours or 0}",
    date=lambda o: m.local_date(o.activity.starts_at), url=lambda o: m.url("volunteering:detail", o.activity_id),
    related=("member", "activity"))


def register_all() -> None:
    hours = pgettext_lazy("unit", "hours")
    m.register(m.Metric(
        code="volunteer_hours", name=_("Volunteer hours"), unit=hours, kind=m.SUM, app="volunteering",
        description=_("Hours of volunteer service by members in the period (people's time given)."), sources=(HOURS,)))
    m.register(m.Metric(
        code="volunteer_hours_per_member", name=_("Volunteer hours per member"), unit=hours, kind=m.RATE,
        app="volunteering",
        description=_("Hours of volunteer service by members in the period, divided by the members on the roll."),
        sources=(HOURS, m.roll_denominator())))

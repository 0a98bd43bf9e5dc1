"""Metrics over grid work: visits, visits per member, households visited (an unvisited household is missing)."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core import metrics as m
from dangjian.grids.models import Household, Visit


def _visits(start, end):
    return Visit.objects.filter(visited_on__range=(start, end))


def _visit_label(o) -> str:
    who = o.household.address if o.household_id else (o.member.name if o.member_id else "")
    return f"{o.get_kind_display()} · {who} · {o.summary[:40]}"


def _visit_url(o) -> str:
    if o.household_id:
        return m.url("grids:household", o.household_id)
    if o.member_id:
        return m.url("orgs:member_detail", o.member_id)
    return m.url("grids:detail", o.grid_id) if o.grid_id else ""


VISITS = m.Source(queryset=_visits, org="org", numerator=m.ONE, denominator=m.ZERO, label=_visit_label,
                  date=lambda o: o.visited_on, url=_visit_url, related=("household", "member"))


def _households(start, end):
    visited = Visit.objects.filter(household=OuterRef("pk"), visited_on__range=(start, end))
    return (Household.objects.in_use().filter(grid__is_active=True, created_at__lt=m.day_bounds(end, end)[1])
            .annotate(_visited=Exists(visited)))


HOUSEHOLDS = m.Source(
    queryset=_households, org="grid__org", numerator=m.flag(Q(_visited=True)), denominator=m.ONE,
    label=lambda o: f"{o.grid.name} · {o.address}", date=lambda o: None,
    url=lambda o: m.url("grids:household", o.pk), related=("grid",), compliance=True)


def register_all() -> None:
    times = pgettext_lazy("unit", "times")
    m.register(m.Metric(
        code="visits_made", name=_("Visits made"), unit=times, app="grids",
        description=_("Household and member visits recorded in the period."), sources=(VISITS,)))
    m.register(m.Metric(
        code="visits_per_member", name=pgettext_lazy("metric", "Visits per member"), unit=times, kind=m.RATE,
        app="grids", description=_("Visits recorded in the period, divided by the members on the roll at its end."),
        sources=(VISITS, m.roll_denominator())))
    m.register(m.Metric(
        code="household_visit_rate", name=_("Households visited"), unit="%", kind=m.RATE, app="grids",
        description=_("Share of the households of active grids (registered by the period end) visited at least "
                      "once in the period."), sources=(HOUSEHOLDS,)))

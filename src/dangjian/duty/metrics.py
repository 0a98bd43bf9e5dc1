"""Metrics over responsibility lists: points earned on rated items as a share of their maximum."""

from django.utils.translation import gettext_lazy as _

from dangjian.core import metrics as m
from dangjian.duty.models import DutyItem


def _rated(start, end):
    return DutyItem.objects.filter(duty_list__year__gte=start.year, duty_list__year__lte=end.year, rating__isnull=False)


RATED = m.Source(
    queryset=_rated, org="duty_list__org", numerator=m.number("rating"), denominator=m.number("points"),
    label=lambda o: f"{o.duty_list.title} · {o.title} · {o.rating}/{o.points}", date=lambda o: o.rated_on,
    url=lambda o: m.url("duty:detail", o.duty_list_id), related=("duty_list",))


def register_all() -> None:
    m.register(m.Metric(
        code="duty_score_rate", name=_("Responsibility list score rate"), unit="%", kind=m.RATE, app="duty",
        description=_("Points earned on the scored items of responsibility lists, as a share of their maximum (by list "
                      "year)."), sources=(RATED,)))

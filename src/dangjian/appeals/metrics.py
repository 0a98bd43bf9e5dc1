"""Metrics over residents' appeals (三率 and more): one definition for the indicator, the appeals page and warnings."""

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.appeals.models import Appeal, Rating, State
from dangjian.core import metrics as m

DONE = (State.RESOLVED, State.CLOSED)


def _received(start, end):
    lo, hi = m.day_bounds(start, end)
    return Appeal.objects.filter(received_at__gte=lo, received_at__lt=hi).exclude(state=State.REJECTED)


def _resolved_in(start, end):
    lo, hi = m.day_bounds(start, end)
    return Appeal.objects.filter(resolved_at__gte=lo, resolved_at__lt=hi)


def _label(o) -> str:
    return f"{o.tracking_code} · {o.get_category_display() or o.text[:20]} · {o.get_state_display()}"


def _source(queryset, numerator, denominator, *, compliance=False, date=lambda o: m.local_date(o.received_at)):
    return m.Source(queryset=queryset, org="org", numerator=numerator, denominator=denominator, label=_label,
                    date=date, url=lambda o: m.url("appeals:detail", o.tracking_code), compliance=compliance)


RESPONSE = _source(_received, m.flag(Q(accepted_at__isnull=False, accepted_at__lte=F("accept_due_at"))), m.ONE)
RESOLUTION = _source(_received, m.flag(Q(state__in=DONE)), m.ONE)
SATISFACTION = _source(_received, m.flag(Q(rating__in=(Rating.SATISFIED, Rating.BASIC))),
                       m.flag(Q(rating__in=Rating.values)))
ON_TIME = _source(_received, m.flag(Q(state__in=DONE, resolved_late=False)), m.flag(Q(state__in=DONE)))
RESOLVED = _source(_resolved_in, m.ONE, m.ZERO, date=lambda o: m.local_date(o.resolved_at))


def register_all() -> None:
    rate = m.RATE
    for code, name, desc, src in (
        ("appeal_response_rate", _("Appeal response rate"),
         _("Share of the residents' appeals received in the period that were answered within the accept deadline."),
         RESPONSE),
        ("appeal_resolution_rate", _("Appeal resolution rate"),
         _("Share of the residents' appeals received in the period that are resolved."), RESOLUTION),
        ("appeal_satisfaction_rate", _("Residents' satisfaction rate"),
         _("Share of the appeals rated in the period that residents rated satisfied or fairly satisfied."),
         SATISFACTION),
        ("appeal_on_time_rate", _("Appeal on-time resolution rate"),
         _("Share of the appeals received and resolved in the period that were resolved within the deadline."),
         ON_TIME),
    ):
        m.register(m.Metric(code=code, name=name, unit="%", kind=rate, app="appeals", description=desc, sources=(src,)))
    m.register(m.Metric(
        code="appeals_resolved", name=_("Residents' appeals resolved"), unit=pgettext_lazy("unit", "cases"),
        app="appeals", description=_("Residents' appeals resolved in the period."), sources=(RESOLVED,)))

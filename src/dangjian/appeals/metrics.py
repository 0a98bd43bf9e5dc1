"""Metrics over residents' appeals (三率 and more): one definition for the indicator, the appeals page and warnings.

Fair by construction (docs/appeals.md):
- an appeal counts from its reception; a declined one leaves the denominators
  only once the superior approved the decline (`decline_approved_at`); a
  duplicate merged into another case counts once, as that case;
- 解决率 counts the appeals the resident confirmed resolved at 回访
  (`callback_resolved`), not those staff marked resolved;
- 满意率 counts the answers given at 回访, one per appeal (its latest);
  an appeal handled but not called back (未回访) is a missing item, never a
  satisfied one; no answer at all, no value.
"""

from django.conf import settings
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.appeals.models import Appeal, Rating, State
from dangjian.core import metrics as m

DONE = (State.RESOLVED, State.CLOSED)


def satisfied_ratings() -> list[str]:
    return list(settings.DANGJIAN.get("APPEAL_SATISFIED_RATINGS", [Rating.SATISFIED, Rating.BASIC]))


def weights() -> dict[str, float]:
    return dict(settings.DANGJIAN.get("APPEAL_RATE_WEIGHTS", {"response": 0.30, "resolution": 0.35,
                                                               "satisfaction": 0.35}))


# Which appeals each rate counts (the page's aggregates use the same conditions).
DECLINE_APPROVED = Q(state=State.REJECTED, decline_approved_at__isnull=False)
DECLINE_PENDING = Q(state=State.REJECTED, decline_approved_at__isnull=True)
# A duplicate merged into another case is counted once, in that case (one problem, many callers).
MERGED = Q(merged_into__isnull=False)
COUNTED = ~DECLINE_APPROVED & ~MERGED
RESPONDED = Q(accepted_at__isnull=False, accepted_at__lte=F("accept_due_at"))
CONFIRMED = Q(callback_resolved=True)
HANDLED = Q(state__in=DONE)
ANSWERED = Q(rating__in=Rating.values)
NOT_CALLED_BACK = HANDLED & Q(rating="")


def satisfied_q() -> Q:
    return Q(rating__in=satisfied_ratings())


def _received(start, end):
    lo, hi = m.day_bounds(start, end)
    return Appeal.objects.filter(received_at__gte=lo, received_at__lt=hi).filter(COUNTED)


def _answered_or_due(start, end):
    return _received(start, end).filter(HANDLED | ANSWERED)


def _resolved_in(start, end):
    lo, hi = m.day_bounds(start, end)
    return Appeal.objects.filter(resolved_at__gte=lo, resolved_at__lt=hi)


def _label(o) -> str:
    return f"{o.tracking_code} · {o.category_label or o.text[:20]} · {o.get_state_display()}"


def _source(queryset, numerator, denominator, *, compliance=False, missing=None,
            date=lambda o: m.local_date(o.received_at)):
    return m.Source(queryset=queryset, org="org", numerator=numerator, denominator=denominator, label=_label,
                    date=date, url=lambda o: m.url("appeals:detail", o.pk), compliance=compliance,
                    missing=missing)


def _sources():
    return {
        "appeal_response_rate": _source(_received, m.flag(RESPONDED), m.ONE, compliance=True),
        "appeal_resolution_rate": _source(_received, m.flag(CONFIRMED), m.ONE, compliance=True),
        "appeal_satisfaction_rate": _source(_answered_or_due, m.flag(satisfied_q()), m.flag(ANSWERED),
                                            missing=NOT_CALLED_BACK),
        "appeal_on_time_rate": _source(_received, m.flag(HANDLED & Q(resolved_late=False)), m.flag(HANDLED)),
        "appeals_resolved": _source(_resolved_in, m.ONE, m.ZERO, date=lambda o: m.local_date(o.resolved_at)),
    }


def register_all() -> None:
    src = _sources()
    rate = m.RATE
    for code, name, desc in (
        ("appeal_response_rate", _("Appeal response rate"),
         _("Share of the residents' appeals received in the period that were accepted within the accept deadline "
           "(a declined appeal counts until the superior approves the decline).")),
        ("appeal_resolution_rate", _("Appeal resolution rate"),
         _("Share of the residents' appeals received in the period that the resident confirmed resolved at the "
           "call-back.")),
        ("appeal_satisfaction_rate", _("Residents' satisfaction rate"),
         _("Share of the answers given at the call-back (one per appeal) that were satisfied or basically satisfied; "
           "appeals not called back are listed apart and never count as satisfied.")),
        ("appeal_on_time_rate", _("Appeal on-time resolution rate"),
         _("Share of the appeals received and resolved in the period that were resolved within the deadline.")),
    ):
        m.register(m.Metric(code=code, name=name, unit="%", kind=rate, app="appeals", description=desc,
                            sources=(src[code],)))
    m.register(m.Metric(
        code="appeals_resolved", name=_("Residents' appeals resolved"), unit=pgettext_lazy("unit", "cases"),
        app="appeals", description=_("Residents' appeals resolved in the period."), sources=(src["appeals_resolved"],)))

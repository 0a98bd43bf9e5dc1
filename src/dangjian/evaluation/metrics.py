"""The evaluation's own metric: rectifications done on time (an overdue or unaccepted one is the missing item).

Every other metric belongs to the app that owns its records (`<app>/metrics.py`).
"""

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangjian.core import metrics as m
from dangjian.evaluation.models import Rectification, RectState


def _due(start, end):
    return Rectification.objects.filter(deadline__range=(start, end))


RECTIFICATIONS = m.Source(
    queryset=_due, org="org", numerator=m.flag(Q(state=RectState.ACCEPTED, submitted_on__lte=F("deadline"))),
    denominator=m.ONE, label=lambda o: f"{o.org.name} · {o.title} · {o.get_state_display()}",
    date=lambda o: o.deadline, url=lambda o: m.url("evaluation:rect_detail", o.pk), related=("org",), compliance=True)


def register_all() -> None:
    m.register(m.Metric(
        code="rectification_on_time_rate", name=_("Rectification on-time rate"), unit="%", kind=m.RATE,
        app="evaluation",
        description=_("Share of the rectification tasks due in the period that were submitted on time and accepted by "
                      "the superior."), sources=(RECTIFICATIONS,)))

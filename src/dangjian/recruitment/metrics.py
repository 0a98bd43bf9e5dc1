"""Metrics over recruitment: steps recorded within the required time limits (a late step is the missing item)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core import metrics as m
from dangjian.recruitment.models import Step
from dangjian.recruitment.steps import BY_CODE


def _steps(start, end):
    return Step.objects.filter(on__range=(start, end))


def _label(o) -> str:
    step = BY_CODE.get(o.code)
    return f"{o.applicant.name} · {step.name if step else o.code}" + (f" · {o.late}" if o.late else "")


STEPS = m.Source(
    queryset=_steps, org="applicant__org", numerator=m.flag(Q(late="")), denominator=m.ONE, label=_label,
    date=lambda o: o.on, url=lambda o: m.url("recruitment:detail", o.applicant_id), related=("applicant",),
    compliance=True)


def register_all() -> None:
    m.register(m.Metric(
        code="recruitment_on_schedule_rate", name=_("Recruitment on-schedule rate"), unit="%", kind=m.RATE,
        app="recruitment",
        description=_("Share of the recruitment steps recorded in the period that kept to the required time limits."),
        sources=(STEPS,)))

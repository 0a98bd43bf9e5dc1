"""Metrics over 吹哨报到: how the summoned departments answer, and how the cases they were summoned to end.

Counted where the case is (the appeal's organisation, the scope the summons list uses), so a community's
figure covers the summonses on its cases and a street's covers its communities.

- `summonses_received`: summonses issued in the period (吹哨次数);
- `summons_response_rate`: of those, answered within the deadline; a summons not answered in time
  is a missing item;
- `summons_answer_hours`: the hours from summons to answer, over the summonses answered (lower is better);
- `summoned_case_resolution_rate`, `summoned_case_satisfaction_rate`: the appeals app's own 解决率 and 满意率
  (its registered sources: the resident's answer at 回访), over the cases received in the period on which a
  department was summoned. Departments does not restate when a case counts as resolved or satisfied.
"""

from dataclasses import replace

from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core import metrics as m
from dangjian.departments.models import Summons

ANSWERED = Q(answered_at__isnull=False)
ANSWERED_IN_TIME = ANSWERED & Q(answered_at__lte=F("due_at"))
ANSWER_HOURS = m.hours_between("summoned_at", "answered_at")


def _summoned(start, end):
    lo, hi = m.day_bounds(start, end)
    return Summons.objects.filter(summoned_at__gte=lo, summoned_at__lt=hi)


def _label(o) -> str:
    return f"{o.department.name} · {o.appeal.tracking_code} · {o.request[:20]}"


def _source(numerator, denominator, *, compliance=False) -> m.Source:
    return m.Source(queryset=_summoned, org="appeal__org", numerator=numerator, denominator=denominator,
                    label=_label, date=lambda o: m.local_date(o.summoned_at),
                    url=lambda o: m.url("departments:summons", o.pk), related=("department", "appeal"),
                    compliance=compliance)


def _on_summoned_cases(code: str) -> m.Source:
    """The appeals app's registered source for `code`, narrowed to the cases a department was summoned to."""
    base = m.get(code).sources[0]
    summoned = Exists(Summons.objects.filter(appeal=OuterRef("pk")))
    return replace(base, queryset=lambda start, end: base.queryset(start, end).filter(summoned))


def register_all() -> None:
    m.register(m.Metric(
        code="summonses_received", name=_("Department summonses"), unit=pgettext_lazy("unit", "times"),
        app="departments", description=_("Summonses issued to functional departments on residents' cases in the "
                                          "period."),
        sources=(_source(m.ONE, m.ZERO),)))
    m.register(m.Metric(
        code="summons_response_rate", name=_("Department on-time answer rate"), unit="%", kind=m.RATE,
        app="departments", description=_("Share of the summonses issued in the period that the department "
                                         "answered within the deadline; one not answered in time is missing."),
        sources=(_source(m.flag(ANSWERED_IN_TIME), m.ONE, compliance=True),)))
    m.register(m.Metric(
        code="summons_answer_hours", name=_("Department answer time"), unit=pgettext_lazy("unit", "hours"),
        kind=m.RATE, higher_is_better=False, app="departments",
        description=_("Average hours from the summons to the department's answer, over the summonses issued in "
                      "the period and answered."),
        sources=(_source(ANSWER_HOURS, m.flag(ANSWERED)),)))
    # The appeals app registers its metrics first (INSTALLED_APPS order); without it there is nothing to narrow.
    for code, own, name, description in (
        ("summoned_case_resolution_rate", "appeal_resolution_rate", _("Resolution rate of summoned cases"),
         _("Of the residents' cases received in the period on which a department was summoned, the share the "
           "resident confirmed resolved at the call-back (the appeals' own resolution rate).")),
        ("summoned_case_satisfaction_rate", "appeal_satisfaction_rate", _("Satisfaction rate of summoned cases"),
         _("Of the answers at the call-back on the cases received in the period on which a department was "
           "summoned, the share satisfied or basically satisfied (the appeals' own satisfaction rate).")),
    ):
        try:
            source = _on_summoned_cases(own)
        except KeyError:
            continue
        m.register(m.Metric(code=code, name=name, unit="%", kind=m.RATE, app="departments",
                            description=description, sources=(source,)))

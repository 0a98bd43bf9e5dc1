"""Metrics over other apps' recorded work, for project targets and duty items.

Each compute is one grouped query; an app that is not installed is skipped, so
the registry holds only what can be measured in this installation.
"""


from django.apps import apps
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.dates import day_bounds
from dangjian.core.metrics import Metric, register


def _grouped(qs, *, within, org_field: str = "org", total=None):
    if within is not None:
        qs = qs.filter(**{f"{org_field}__path__subtree": within.path})
    key = f"{org_field}_id" if org_field == "org" else f"{org_field}__id"
    rows = qs.values(key).annotate(n=total if total is not None else Count("id"))
    return {row[key]: (float(row["n"] or 0), 1) for row in rows}


def _meetings_held(*, start, end, within=None):
    from dangjian.meetings.models import Meeting

    lo, hi = day_bounds(start, end)
    qs = Meeting.objects.filter(state=Meeting.State.HELD, starts_at__gte=lo, starts_at__lt=hi)
    return _grouped(qs, within=within)


def _appeals_resolved(*, start, end, within=None):
    from dangjian.appeals.models import Appeal

    lo, hi = day_bounds(start, end)
    return _grouped(Appeal.objects.filter(resolved_at__gte=lo, resolved_at__lt=hi), within=within)


def _visits(*, start, end, within=None):
    from dangjian.grids.models import Visit

    return _grouped(Visit.objects.filter(visited_on__range=(start, end)), within=within)


def _dues_collected(*, start, end, within=None):
    from dangjian.dues.models import Payment

    qs = Payment.objects.filter(paid_on__range=(start, end))
    return _grouped(qs, within=within, org_field="due__org", total=Sum("amount"))


METRICS = [
    ("dangjian.meetings", Metric(
        code="meetings_held", name=_("Meetings held"), unit=pgettext_lazy("unit", "times"),
        description=_("Organisational-life meetings (three meetings and one lecture, Party days and so on) held and "
                      "minuted in the period."),
        compute=_meetings_held, app="meetings",
    )),
    ("dangjian.appeals", Metric(
        code="appeals_resolved", name=_("Residents' appeals resolved"), unit=pgettext_lazy("unit", "cases"),
        description=_("Residents' appeals resolved in the period."), compute=_appeals_resolved, app="appeals",
    )),
    ("dangjian.grids", Metric(
        code="visits_made", name=_("Visits made"), unit=pgettext_lazy("unit", "times"),
        description=_("Household and member visits recorded in the period."), compute=_visits, app="grids",
    )),
    ("dangjian.dues", Metric(
        code="dues_collected", name=_("Dues collected"), unit=pgettext_lazy("unit", "yuan"),
        description=_("Dues actually collected in the period."), compute=_dues_collected, app="dues",
    )),
]


def register_all() -> None:
    for app_name, metric in METRICS:
        if apps.is_installed(app_name):
            register(metric)

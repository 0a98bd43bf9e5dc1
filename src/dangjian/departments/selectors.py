"""Reads for departments: scoped through core.scoping (street staff by the tree, a department's login by its posts)."""

import datetime as dt
from collections.abc import Sequence

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from dangjian.accounts import roles
from dangjian.core import metrics, provided
from dangjian.core.scoping import scope_q
from dangjian.departments import metrics as dept_metrics
from dangjian.departments.models import Department, Summons


def posted_department_ids(user, capability: str, paths: Sequence[str]) -> list[int]:
    """The narrowed role's hook: departments the user is a contact of, under the grants' nodes."""
    under = Q(pk__in=[])
    for p in paths:
        under |= Q(org__path__startswith=p)
    return list(Department.objects.filter(under, contacts__user=user, is_active=True).values_list("pk", flat=True))


def departments_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Department]:
    return Department.objects.filter(
        scope_q(user, capability, path_field="org__path", through={"department": "pk"})).select_related("org")


def summonses_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Summons]:
    """Summonses on the cases the user's tree covers (street and community staff), or to the user's department."""
    return Summons.objects.filter(
        scope_q(user, capability, path_field="appeal__org__path", through={"department": "department"})
    ).select_related("department", "appeal", "appeal__org")


def overdue_q(now: dt.datetime) -> Q:
    return Q(answered_at__isnull=True, due_at__lt=now)


def open_on_appeal(appeal, *, user=None) -> QuerySet[Summons]:
    """Unanswered summonses on an appeal (registered with core.references for the appeal's page)."""
    qs = summonses_for(user) if user is not None else Summons.objects.all()
    return qs.filter(appeal=appeal, answered_at__isnull=True)


def appeal_model():
    """The case model, reached through the summons' foreign key (departments does not import appeals)."""
    return Summons._meta.get_field("appeal").related_model


def appeal_by_code(code: str):
    code = "".join((code or "").split()).upper()[:16]
    return appeal_model().objects.select_related("org").filter(tracking_code=code).first()


def side_by_side(user, start: dt.date, end: dt.date) -> dict:
    """Departments and communities in one table, by the appeals' own 三率 (provided by the appeals app).

    A department's response is its answer to the summons within the deadline (as a community's is its acceptance
    within the deadline), its answer time the average hours to answer (the registered metrics' own expressions,
    departments/metrics.py); resolution and satisfaction are the residents' answers at 回访 on the cases received
    in the period that it was summoned to (the period rule of the community's row beside it), counted by the
    same function that counts the community's.
    """
    grouped = provided.value("appeal_rates_grouped", default=None)
    by_community = provided.value("appeal_rates_by_community", default=None)
    composite = provided.value("appeal_composite", default=None)
    lo, hi = metrics.day_bounds(start, end)
    summons = summonses_for(user).filter(summoned_at__gte=lo, summoned_at__lt=hi)
    rows = []
    counts = {r["department"]: r for r in summons.order_by().values("department").annotate(
        received=Count("id"), responded=Count("id", filter=dept_metrics.ANSWERED_IN_TIME),
        hours=Avg(dept_metrics.ANSWER_HOURS, filter=dept_metrics.ANSWERED),
        overdue=Count("id", filter=overdue_q(timezone.now())))}
    cases = Q(summonses__in=summonses_for(user), received_at__gte=lo, received_at__lt=hi)
    by_department = grouped(cases, "summonses__department") if grouped else {}
    for dept in Department.objects.filter(pk__in=counts).order_by("code"):
        c = counts[dept.pk]
        case_rates = by_department.get(dept.pk, {})
        response = round(c["responded"] / c["received"], 4) if c["received"] else None
        hours = round(c["hours"], 1) if c["hours"] is not None else None
        rates = {**case_rates, "received": c["received"], "response_rate": response, "overdue": c["overdue"],
                 "answer_hours": hours}
        if composite:
            rates["composite"] = composite(response=response, resolution=case_rates.get("resolution_rate"),
                                           satisfaction=case_rates.get("satisfaction_rate"))
        rows.append((dept.name, rates))
    communities = by_community(user, start, end) if by_community else []
    return {"departments": rows, "communities": communities}

"""Reads of volunteer activities and hours; `volunteer_hours` is what indicators reuse."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from dangjian.accounts import roles
from dangjian.core.dates import day_bounds
from dangjian.core.scoping import scope_q
from dangjian.orgs.models import Org
from dangjian.volunteering.models import Activity, SignUp


def activities_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Activity]:
    return Activity.objects.filter(scope_q(user, capability)).select_related("org", "partner")


def open_activities_for_member(member) -> QuerySet[Activity]:
    """Activities a member may join: of their org or any org above it, still open."""
    paths = [member.org.path[:i] for i in range(Org.steplen, len(member.org.path) + 1, Org.steplen)]
    return Activity.objects.filter(
        org__path__in=paths, state=Activity.State.OPEN, starts_at__gt=timezone.now()
    ).select_related("org")


def signups_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[SignUp]:
    return SignUp.objects.filter(scope_q(user, capability, path_field="activity__org__path")).select_related(
        "activity", "member", "member__org"
    )


def _period(start: dt.date, end: dt.date) -> Q:
    lo, hi = day_bounds(start, end)
    return Q(activity__starts_at__gte=lo, activity__starts_at__lt=hi)


def volunteer_hours(org: Org, start: dt.date, end: dt.date) -> Decimal:
    """Hours served by the members of `org`'s subtree in activities starting within [start, end].

    Members are counted where they belong now (the roster); the hours are the
    ones recorded at attendance, never re-entered.
    """
    total = SignUp.objects.filter(
        _period(start, end), member__org__path__subtree=org.path, attended=True,
        activity__state=Activity.State.DONE,
    ).aggregate(h=Sum("hours"))["h"]
    return total or Decimal("0")


def hours_by_member(org: Org, start: dt.date, end: dt.date) -> QuerySet:
    return (
        SignUp.objects.filter(_period(start, end), member__org__path__subtree=org.path, attended=True,
                              activity__state=Activity.State.DONE)
        .values("member_id", "member__name", "member__org__name")
        .annotate(hours=Sum("hours"), activities=Count("id"))
        .order_by("member__org__name", "member__name")
    )


def hours_by_unit(org: Org, start: dt.date, end: dt.date) -> QuerySet:
    """Per organising unit (the activity's org) and partner unit."""
    return (
        SignUp.objects.filter(_period(start, end), activity__org__path__subtree=org.path, attended=True,
                              activity__state=Activity.State.DONE)
        .values("activity__org__name", "activity__partner__name")
        .annotate(hours=Sum("hours"), people=Count("member_id", distinct=True))
        .order_by("activity__org__name", "activity__partner__name")
    )

"""Builders of recorded work for the evaluation tests (written straight to the tables)."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from tests.factories import MemberFactory

_n = itertools.count(1)
TZ = timezone.get_fixed_timezone(8 * 60)

Q3 = dt.date(2026, 7, 1)  # the quarter most tests compute
AFTER_Q3 = dt.date(2026, 10, 15)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def meeting(org, day: dt.date, *, present=(), absent=(), mtype="branch_general", state="held"):
    from dangjian.meetings.models import Attendance, Meeting

    m = Meeting.objects.create(org=org, meeting_type=mtype, state=state, starts_at=at(day), place="会议室", topic="学习")
    for member in present:
        Attendance.objects.create(meeting=m, member=member, status="present")
    for member in absent:
        Attendance.objects.create(meeting=m, member=member, status="absent")
    return m


def due(member, month: dt.date, *, paid_on: dt.date | None = None, amount="10.00"):
    from dangjian.dues.models import Due, Payment

    d = Due.objects.create(member=member, org=member.org, month=month, employment="employed", amount=amount)
    if paid_on:
        Payment.objects.create(due=d, amount=amount, paid_on=paid_on)
    return d


def appeal(org, received: dt.date, *, resolved: dt.date | None = None, rating: str = "", resolve_days: int = 7, late=False,
           confirmed: bool | None = None):
    from dangjian.appeals.models import Appeal

    received_at = at(received)
    return Appeal.objects.create(
        tracking_code=f"T{next(_n):07d}", channel="phone", org=org, text="路灯坏了", received_at=received_at,
        accept_due_at=received_at + dt.timedelta(hours=24), accepted_at=received_at + dt.timedelta(hours=2),
        resolve_due_at=received_at + dt.timedelta(days=resolve_days),
        resolved_at=at(resolved) if resolved else None, state="resolved" if resolved else "in_progress",
        rating=rating, resolved_late=late, callback_resolved=confirmed,
    )


def members(org, n: int, **kw):
    return [MemberFactory(org=org, **kw) for _ in range(n)]


@pytest.fixture
def compute(officer):
    """compute(kind="quarter", start=Q3, today=AFTER_Q3, recompute=False) as the street officer."""
    from dangjian.evaluation.services import period_compute

    def run(kind="quarter", start=Q3, today=AFTER_Q3, recompute=False, by=None):
        return period_compute(by=by or officer, kind=kind, start=start, today=today, recompute=recompute)

    return run

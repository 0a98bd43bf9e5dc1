"""Data builders for the query-count tests: N and 3N records, same shape."""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.meetings import life_dates
from dangjian.meetings.models import Attendance, Meeting
from dangjian.orgs.models import Org
from tests.factories import MemberFactory, make_org


def at(day: dt.date, hour: int = 14) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def branches(parent: Org, n: int, *, members: int = 3, prefix: str = "支部") -> list[Org]:
    """n branches under parent, each with members who joined long ago and never attended a meeting."""
    out = []
    for i in range(n):
        org = make_org(parent=parent, name=f"{prefix}{i}", kind="branch")
        org.refresh_from_db()
        for _ in range(members):
            MemberFactory(org=org)
        out.append(org)
    parent.refresh_from_db()
    return out


def held(org: Org, day: dt.date, members=(), meeting_type="theme_day") -> Meeting:
    m = Meeting.objects.create(org=org, meeting_type=meeting_type, state=Meeting.State.HELD, starts_at=at(day),
                               place="活动室", topic="主题党日", minutes="纪要")
    Attendance.objects.bulk_create([Attendance(meeting=m, member=x, status="present") for x in members])
    life_dates.refresh_meeting(m)  # what the services do after writing attendance
    return m


@pytest.fixture
def scaled(tree):
    """Builds `factor` times the same data under the street: scaled(1), then scaled(2) adds twice as much again."""
    made = []

    def build(factor: int) -> list[Org]:
        orgs = branches(tree["community"], 4 * factor, prefix=f"支部{len(made)}-")
        today = timezone.localdate()
        for org in orgs:
            members = list(org.members.all())
            held(org, today - dt.timedelta(days=200), members[:1])
            Meeting.objects.create(org=org, meeting_type="theme_day", starts_at=at(today - dt.timedelta(days=3)),
                                   place="活动室", topic="待记录")
        made.extend(orgs)
        return made

    return build

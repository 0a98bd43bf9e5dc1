import datetime as dt

import pytest
from django.utils import timezone

from dangjian.meetings import life_dates
from dangjian.meetings.models import Attendance, Meeting


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def at(day: dt.date, hour: int = 14) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def held_meeting(org, day: dt.date, *, meeting_type="theme_day", present=(), leave=(), absent=()) -> Meeting:
    """A held meeting written straight to the tables (the service's rules are tested on their own)."""
    m = Meeting.objects.create(
        org=org, meeting_type=meeting_type, state=Meeting.State.HELD, starts_at=at(day),
        place="党员活动室", topic="主题党日活动", minutes="会议纪要",
    )
    for members, status in ((present, "present"), (leave, "leave"), (absent, "absent")):
        for member in members:
            Attendance.objects.create(meeting=m, member=member, status=status, reason="出差" if status == "leave" else "")
    life_dates.refresh_meeting(m)  # what the services do after writing attendance
    return m

"""The stored last organisational life (LastLife) stays equal to its recomputation from attendance after every
kind of write the meetings services make; the data migration fills it; `manage.py life_dates` reports drift."""

import datetime as dt
import importlib
import io
import random
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from dangjian.meetings import life_dates, services
from dangjian.meetings.models import Attendance, LastLife, Meeting
from dangjian.meetings.selectors import life_status
from tests.factories import MemberFactory

from .conftest import at, held_meeting

pytestmark = pytest.mark.django_db
migration = importlib.import_module("dangjian.meetings.migrations.0008_last_organisational_life")


def _by_definition(member) -> dt.date | None:
    """The last held meeting the member was expected at and attended or excused from, over every record."""
    days = [timezone.localdate(a.meeting.starts_at) for a in Attendance.objects.filter(member=member)
            .select_related("meeting") if a.expected and a.status in ("present", "leave") and a.meeting.state == "held"]
    return max(days, default=None)


def _attendance(rng, people) -> dict[int, tuple[str, str]]:
    out = {p.pk: rng.choice([("present", ""), ("leave", "出差"), ("absent", "")]) for p in people}
    out[rng.choice(people).pk] = ("present", "")  # minutes need someone present
    return out


def _check(people):
    assert life_dates.drift() == {}
    for p in people:
        assert life_status(p).last_on == _by_definition(p)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stored_date_equals_the_recomputation_after_every_write(seed, tree, officer):
    rng = random.Random(seed)
    today = timezone.localdate()
    org = tree["branch_a"]
    people = [MemberFactory(org=org, joined_on=dt.date(2010, 1, 1)) for _ in range(5)]

    def data(day):
        return {"org": org, "meeting_type": "theme_day", "starts_at": at(day, rng.choice([0, 14, 23])),
                "place": "活动室", "topic": "学习"}

    def past():
        return today - dt.timedelta(days=rng.randrange(0, 400))

    done = set()
    for _ in range(30):
        held = list(Meeting.objects.filter(org=org, state="held"))
        planned = list(Meeting.objects.filter(org=org, state="planned"))
        op = rng.choice(["record", "plan", "hold", "correct", "redate", "cancel"])
        if op == "record" or (op in ("correct", "redate") and not held):
            services.meeting_record(by=officer, data=data(past()), attendance=_attendance(rng, people), minutes="纪要")
            op = "record"
        elif op == "plan" or (op in ("hold", "cancel") and not planned):
            services.meeting_plan(by=officer, data=data(today + dt.timedelta(days=rng.randrange(0, 3))))
            op = "plan"
        elif op == "hold":
            services.meeting_hold(by=officer, meeting=rng.choice(planned), attendance=_attendance(rng, people),
                                  minutes="纪要", starts_at=at(past()))
        elif op == "correct":  # attendance changed, members turned absent or present
            services.meeting_correct_record(by=officer, meeting=rng.choice(held), minutes="更正纪要",
                                            attendance=_attendance(rng, people), reason="签到漏记")
        elif op == "redate":  # same attendance, another date
            meeting = rng.choice(held)
            same = {m: (s, r) for m, s, r in meeting.attendance.values_list("member_id", "status", "reason")}
            services.meeting_correct_record(by=officer, meeting=meeting, minutes=meeting.minutes, attendance=same,
                                            starts_at=at(past(), 9), reason="日期录错")
        elif op == "cancel":
            services.meeting_cancel(by=officer, meeting=rng.choice(planned), reason="改期")
        done.add(op)
        _check(people)
    assert done >= {"record", "correct", "redate", "plan"}


def test_a_member_corrected_to_absent_loses_the_date_and_one_with_no_life_left_has_no_row(tree, officer):
    org = tree["branch_a"]
    a, b = (MemberFactory(org=org) for _ in range(2))
    day = timezone.localdate() - dt.timedelta(days=10)
    meeting = services.meeting_record(
        by=officer, data={"org": org, "meeting_type": "theme_day", "starts_at": at(day), "place": "活动室",
                          "topic": "学习"}, attendance={a.pk: ("present", ""), b.pk: ("leave", "出差")}, minutes="纪要")
    assert set(LastLife.objects.values_list("member_id", flat=True)) >= {a.pk, b.pk}
    services.meeting_correct_record(by=officer, meeting=meeting, minutes="纪要", reason="误记请假",
                                    attendance={a.pk: ("present", ""), b.pk: ("absent", "")})
    assert not LastLife.objects.filter(member=b).exists()
    assert LastLife.objects.get(member=a).last_at == at(day)


def test_deleting_a_member_takes_the_stored_date_with_it(tree):
    member = MemberFactory(org=tree["branch_a"])
    held_meeting(tree["branch_a"], timezone.localdate(), present=[member])
    assert LastLife.objects.filter(member=member).exists()
    member.delete()
    assert life_dates.drift() == {}


def test_the_data_migration_fills_the_dates_from_existing_attendance(tree):
    people = [MemberFactory(org=tree["branch_a"]) for _ in range(3)]
    today = timezone.localdate()
    held_meeting(tree["branch_a"], today - dt.timedelta(days=40), present=people[:2], leave=people[2:])
    held_meeting(tree["branch_a"], today - dt.timedelta(days=5), present=people[:1], absent=people[1:])
    LastLife.objects.all().delete()  # as before the migration: attendance only
    migration.fill(apps, SimpleNamespace(connection=connection))
    assert life_dates.drift() == {}
    assert [life_status(p).last_on for p in people] == [today - dt.timedelta(days=5)] + [today - dt.timedelta(days=40)] * 2


def test_the_command_reports_drift_and_fixes_it(tree):
    member = MemberFactory(org=tree["branch_a"])
    day = timezone.localdate() - dt.timedelta(days=3)
    held_meeting(tree["branch_a"], day, present=[member])
    out = io.StringIO()
    call_command("life_dates", stdout=out)
    assert "matches" in out.getvalue() or "一致" in out.getvalue()
    LastLife.objects.filter(member=member).update(last_at=at(day - dt.timedelta(days=300)))
    with pytest.raises(CommandError):
        call_command("life_dates", stdout=io.StringIO())
    call_command("life_dates", "--fix", stdout=io.StringIO())
    assert life_dates.drift() == {} and LastLife.objects.get(member=member).last_at == at(day)

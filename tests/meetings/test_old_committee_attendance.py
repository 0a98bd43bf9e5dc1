"""Committee meetings recorded for the whole branch before attendance followed the meeting type (issue 12):
migration 0006 keeps every row as recorded and marks the members not on the committee that day as not
expected, so participation and the six-month rule stop counting them.

中国共产党支部工作条例（试行）(2018) 第十五条: the committee meeting (支部委员会会议) is attended by the
committee's members; the committee on a day is the one in office that day (tests/meetings/test_expected.py).
"""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from dangjian.accounts.roles import Role
from dangjian.meetings import life_dates, services
from dangjian.meetings.models import Attendance, Meeting
from dangjian.meetings.selectors import life_status
from tests.conftest import client_for
from tests.factories import MemberFactory, UserFactory, grant
from tests.meetings.conftest import at
from tests.meetings.test_expected import TODAY, branch  # noqa: F401  (the fixture: 12 members, two terms)

pytestmark = pytest.mark.django_db
migration = importlib.import_module("dangjian.meetings.migrations.0006_committee_attendance_outside_committee")


def _old_record(org, day: dt.date, people, mtype="committee") -> Meeting:
    """As the old form saved it: every member of the branch listed present."""
    m = Meeting.objects.create(org=org, meeting_type=mtype, state="held", starts_at=at(day), place="党员活动室",
                               topic="研究本月支部工作安排", minutes="会议记录")
    Attendance.objects.bulk_create(Attendance(meeting=m, member=p, status="present") for p in people)
    life_dates.refresh_meeting(m)
    return m


def _expected_ids(meeting):
    return set(meeting.attendance.filter(expected=True).values_list("member_id", flat=True))


@pytest.fixture
def migrated(branch, tree):  # noqa: F811
    org, people, first, second = branch
    recent = _old_record(org, second + dt.timedelta(days=30), people)
    older = _old_record(org, first + dt.timedelta(days=30), people)
    general = _old_record(org, first + dt.timedelta(days=10), people, mtype="branch_general")
    others = [MemberFactory(org=tree["branch_b"], joined_on=dt.date(2000, 1, 1)) for _ in range(3)]
    no_term = _old_record(tree["branch_b"], second + dt.timedelta(days=30), others)
    migration.mark_outside_committee(apps, None)
    life_dates.rebuild()  # migration 0008 fills the stored dates after 0006 has marked the rows
    return {"org": org, "people": people, "recent": recent, "older": older, "general": general, "no_term": no_term}


def test_rows_of_members_off_the_committee_that_day_are_kept_and_marked(migrated):
    people, recent, older = migrated["people"], migrated["recent"], migrated["older"]
    assert _expected_ids(recent) == {p.pk for p in people[:4] + [people[5]]}
    assert _expected_ids(older) == {p.pk for p in people[:5]}  # the committee of that day, people[4] included
    for m in (recent, older):  # nothing deleted, nothing re-labelled
        assert m.attendance.count() == 12 and set(m.attendance.values_list("status", flat=True)) == {"present"}


def test_other_meetings_and_branches_without_a_committee_term_are_left_as_recorded(migrated):
    assert migrated["general"].attendance.filter(expected=False).count() == 0
    assert migrated["no_term"].attendance.filter(expected=False).count() == 0


def test_figures_count_only_the_expected_rows(migrated, officer):
    org, people, recent = migrated["org"], migrated["people"], migrated["recent"]
    day = recent.starts_at.date()
    api = client_for(officer)
    bd = api.get(f"/api/metrics/meeting_attendance_rate/breakdown?org={org.pk}&start={day}&end={day}").json()
    assert (bd["numerator"], bd["denominator"]) == (5, 5)
    assert {r["label"].split(" · ")[0] for r in bd["records"]} == {p.name for p in people[:4] + [people[5]]}
    # The six-month rule: a whole-branch row on a committee meeting is no organisational life of a non-member
    # of the committee; the committee's own members did take part.
    general_on = migrated["general"].starts_at.date()
    assert life_status(people[11], today=TODAY).last_on == general_on  # not the later committee meeting
    assert life_status(people[0], today=TODAY).last_on == day
    page = api.get(f"/meetings/{recent.pk}/").content.decode()
    assert "非应到 7" in page and "不计入任何统计" in page


def test_a_correction_keeps_the_marked_rows_out_of_the_figures(migrated, officer):
    recent, people = migrated["recent"], migrated["people"]
    attendance = {p.pk: ("present", "") for p in people}
    attendance[people[1].pk] = ("leave", "出差")
    services.meeting_correct_record(by=officer, meeting=recent, minutes="会议记录（更正）", attendance=attendance,
                                    reason="补记请假")
    assert _expected_ids(recent) == {p.pk for p in people[:4] + [people[5]]}
    assert recent.attendance.get(member=people[1]).status == "leave"


def test_the_reverse_marks_every_row_expected_again(migrated):
    migration.mark_all_expected(apps, None)
    assert not Attendance.objects.filter(expected=False).exists()


def test_the_members_home_lists_only_the_meetings_they_were_expected_at(migrated):
    org, people, recent = migrated["org"], migrated["people"], migrated["recent"]
    line = f"{timezone.localtime(recent.starts_at):%Y-%m-%d} {recent}"
    pages = {}
    for p in (people[0], people[11]):  # on the committee that day; not on it
        user = UserFactory(username=f"m{p.pk}", member=p)
        grant(user, org, Role.MEMBER)
        pages[p] = client_for(user).get("/").content.decode()
    assert line in pages[people[0]]
    assert line not in pages[people[11]]

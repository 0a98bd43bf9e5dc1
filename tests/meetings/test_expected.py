"""Who is expected at a meeting, by meeting type (issue 12).

中国共产党支部工作条例（试行）(2018) 第十五条: the branch general meeting
(党员大会) is attended by all the branch's members; the committee meeting
(支部委员会会议) by the committee's members (委员); the group meeting (党小组会)
by the group's members. The committee on a given day is the one in office
that day: a member who left the committee (not re-elected) before the meeting
is not expected, one elected after it is not yet.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.roles import Role
from dangjian.committees.models import Seat, Term
from dangjian.core.metrics import get
from dangjian.meetings import services
from dangjian.meetings.models import Attendance, Meeting
from dangjian.meetings.selectors import expected_attendees
from tests.conftest import client_for
from tests.factories import MemberFactory, UserFactory, grant, make_org
from tests.meetings.conftest import at

TODAY = timezone.localdate()


def _term(org, start: dt.date, members, years=3):
    term = Term.objects.create(org=org, start=start, end=start.replace(year=start.year + years), elected_on=start,
                               method="direct", eligible_voters=20, voters_present=18)
    for k, m in enumerate(members):
        Seat.objects.create(term=term, member=m, position="secretary" if k == 0 else "member")
    return term


@pytest.fixture
def branch(tree):
    """A branch of 12 members: a committee of 5 elected two years ago; one of them not re-elected a year ago."""
    org = tree["branch_a"]
    people = [MemberFactory(org=org, joined_on=dt.date(2000, 1, 1)) for _ in range(12)]
    first = TODAY - dt.timedelta(days=730)
    second = TODAY - dt.timedelta(days=365)
    _term(org, first, people[:5])
    # people[4] left the committee at the second election; people[5] joined it.
    _term(org, second, people[:4] + [people[5]])
    return org, people, first, second


def ids(expected):
    return set(expected.members.values_list("pk", flat=True))


def test_committee_meeting_expects_the_committee_on_the_meeting_date(branch):
    org, people, first, second = branch
    before = expected_attendees(org, "committee", second - dt.timedelta(days=1))
    after = expected_attendees(org, "committee", second + dt.timedelta(days=1))
    assert before.basis == after.basis == "committee"
    assert ids(before) == {p.pk for p in people[:5]}
    # people[4] left the committee before this date: not expected; people[5] is.
    assert ids(after) == {p.pk for p in people[:4] + [people[5]]}
    assert people[4].pk not in ids(after)
    # On the election day the new committee is in office.
    assert ids(expected_attendees(org, "committee", second)) == ids(after)


def test_committee_meeting_before_any_term_lists_the_roll_and_says_so(branch):
    org, people, first, _second = branch
    expected = expected_attendees(org, "committee", first - dt.timedelta(days=1))
    assert expected.basis == "no_committee" and ids(expected) == {p.pk for p in people}


def test_general_meeting_and_lecture_expect_the_branch_with_its_groups_and_group_meeting_the_group(branch):
    org, people, *_ = branch
    group = make_org(parent=org, name="第一党小组", kind="group", code="G001")
    in_group = MemberFactory(org=group, joined_on=dt.date(2000, 1, 1))
    for mtype in ("branch_general", "lecture"):
        assert ids(expected_attendees(org, mtype, TODAY)) == {p.pk for p in people} | {in_group.pk}
    assert ids(expected_attendees(group, "group", TODAY)) == {in_group.pk}


def test_recording_a_committee_meeting_covers_only_the_committee(branch, secretary_a):
    org, people, _first, second = branch
    day = TODAY - dt.timedelta(days=3)
    data = {"org": org, "meeting_type": "committee", "starts_at": at(day), "place": "会议室", "topic": "研究工作"}
    # A member not on the committee cannot be recorded as attending.
    with pytest.raises(Exception, match="委员"):
        services.meeting_record(by=secretary_a, data=data, attendance={people[8].pk: ("present", "")}, minutes="纪要")
    assert not Meeting.objects.exists()
    meeting = services.meeting_record(by=secretary_a, data=data, minutes="纪要",
                                      attendance={people[0].pk: ("present", ""), people[1].pk: ("present", "")})
    rows = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status"))
    # Five expected, the three not marked are absent; nobody else of the 12 gets a record.
    assert set(rows) == {p.pk for p in people[:4] + [people[5]]}
    assert sorted(rows.values()).count("present") == 2
    # The participation rate counts against the same expectation: 2 of 5, not 2 of 12.
    rate = get("meeting_attendance_rate").compute(start=day, end=day, within=org)
    assert rate[org.pk] == (2.0, 5.0)


def test_the_form_lists_only_the_expected(branch, as_secretary_a):
    org, people, *_ = branch
    url = reverse("meetings:new") + f"?org={org.pk}&mode=record"
    when = f"{TODAY:%Y-%m-%d}T09:00"
    part = as_secretary_a.get(url + f"&partial=attendance&meeting_type=committee&starts_at={when}")
    html = part.content.decode()
    committee = people[:4] + [people[5]]
    assert all(f'name="att_{p.pk}"' in html for p in committee)
    assert not any(f'name="att_{p.pk}"' in html for p in people if p not in committee)
    assert "5" in html and "委员" in html
    general = as_secretary_a.get(url + f"&partial=attendance&meeting_type=branch_general&starts_at={when}")
    assert all(f'name="att_{p.pk}"' in general.content.decode() for p in people)
    # Posting a committee meeting records the committee only.
    data = {"meeting_type": "committee", "starts_at": when, "place": "会议室", "topic": "研究工作", "minutes": "纪要",
            **{f"att_{p.pk}": "present" for p in committee}}
    assert as_secretary_a.post(url, data).status_code == 302
    assert Attendance.objects.filter(meeting=Meeting.objects.get()).count() == 5


def test_a_secretary_with_one_branch_gets_the_form_with_defaults(as_secretary_a, tree, member_a):
    page = as_secretary_a.get(reverse("meetings:new") + "?mode=record")
    html = page.content.decode()
    assert page.status_code == 200 and tree["branch_a"].name in html
    assert 'name="att_' in html  # the form itself, not the organisation picker
    assert f'value="{TODAY:%Y-%m-%d}T' in html  # this month: today
    assert 'value="branch_general" selected' in html
    assert 'value="group"' not in html  # a branch does not hold group meetings


def test_a_member_of_the_branch_opens_on_their_own_branch(tree, member_a):
    # A community secretary (many branches) who is a member of branch A: the form opens on branch A.
    user = UserFactory(username="csec", member=member_a)
    grant(user, tree["community"], Role.SECRETARY)
    html = client_for(user).get(reverse("meetings:new") + "?mode=record").content.decode()
    assert tree["branch_a"].name in html and 'name="att_' in html
    assert "?choose=1" in html  # and may switch to another organisation
    picker = client_for(user).get(reverse("meetings:new") + "?mode=record&choose=1").content.decode()
    assert tree["branch_b"].name in picker and 'name="att_' not in picker

"""Meeting compliance and the six-month rule at their edges (mutation testing, docs/testing.md).

The frequencies are the 《中国共产党支部工作条例（试行）》(2018) 第十七条's: 支部党员大会 and 党课 each
quarter, 支委会 and 党小组会 and 主题党日 each month, 组织生活会 and 民主评议党员 each year;
支委会 only where a branch has a committee (第八条: 正式党员7人以上). The six-month rule is 党章第
九条's (连续六个月不参加党的组织生活); the 3- and 5-month warnings are the installation's. Every
count below is worked by hand from the dates.
"""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.meetings.models import LifeRule, Meeting
from dangjian.meetings.selectors import (
    LifeStatus,
    compliance,
    compliance_gaps,
    life_status,
    life_warning_count,
    life_warnings,
    required_types,
    type_compliance,
)
from dangjian.orgs.models import Org
from tests.factories import MemberFactory, UserFactory

from .conftest import held_meeting

D = dt.date
RULES = {"branch_general": 3, "committee": 1, "group": 1, "lecture": 3, "theme_day": 1, "life_meeting": 12,
         "appraisal": 12}
BRANCH_TYPES = {"branch_general": 3, "lecture": 3, "theme_day": 1, "life_meeting": 12, "appraisal": 12}


@pytest.mark.parametrize(("kind", "size", "expected"), [
    ("group", 4, {"group": 1}),
    ("branch", 6, BRANCH_TYPES),
    ("branch", 7, {**BRANCH_TYPES, "committee": 1}),
    ("joint_branch", 6, BRANCH_TYPES),
    ("joint_branch", 8, {**BRANCH_TYPES, "committee": 1}),
    ("general_branch", 1, {**BRANCH_TYPES, "committee": 1}),  # a general branch always has a committee
    ("community", 50, {}),
    ("street", 0, {}),
])
def test_the_meetings_each_kind_of_organisation_must_hold(kind, size, expected):
    assert required_types(Org(kind=kind), size, RULES, 7) == expected


def test_a_meeting_type_without_a_frequency_is_not_required():
    assert required_types(Org(kind="branch"), 3, {**RULES, "lecture": 0, "appraisal": None}, 7) == {
        "branch_general": 3, "theme_day": 1, "life_meeting": 12}
    assert required_types(Org(kind="group"), 3, {"theme_day": 1}, 7) == {}


def test_quarterly_slots_by_hand():
    # Held on 31 March (the last day of Q1), 1 April and 20 April (Q2); seen on 30 September.
    tc = type_compliance("branch_general", 3, 2024, [D(2024, 4, 20), D(2024, 3, 31), D(2024, 4, 1)], D(2024, 9, 30))
    assert [(s.state, s.held_on) for s in tc.slots] == [
        ("held", [D(2024, 3, 31)]), ("held", [D(2024, 4, 1), D(2024, 4, 20)]), ("due", []), ("upcoming", [])]
    assert (tc.held, tc.due, tc.overdue, tc.required) == (2, 1, 0, 3)
    later = type_compliance("branch_general", 3, 2024, [D(2024, 3, 31)], D(2024, 10, 1))
    assert [s.state for s in later.slots] == ["held", "overdue", "overdue", "due"]
    assert (later.held, later.due, later.overdue, later.required) == (1, 1, 2, 4)


def test_meetings_of_another_year_fill_no_slot():
    tc = type_compliance("life_meeting", 12, 2024, [D(2023, 12, 31), D(2025, 1, 1)], D(2025, 1, 1))
    assert [(s.state, s.held_on) for s in tc.slots] == [("overdue", [])]
    assert (tc.held, tc.overdue, tc.required) == (0, 1, 1)


def test_a_year_not_begun_requires_nothing_yet():
    tc = type_compliance("theme_day", 1, 2025, [], D(2024, 12, 31))
    assert (tc.held, tc.due, tc.overdue, tc.required) == (0, 0, 0, 0) and len(tc.slots) == 12


def _branch_with_meetings(tree, member):
    """Branch A (one member, no committee) in 2024: branch meetings on 1 January 00:00 and 31 December 23:30
    (the year's first and last minutes), a theme day in February, one planned (not held) in March, and
    meetings on 31 December 2023 23:30 and 1 January 2025 00:00, outside the year."""
    org = tree["branch_a"]
    tz = timezone.get_current_timezone()

    def meeting(at, meeting_type="branch_general", state=Meeting.State.HELD):
        return Meeting.objects.create(org=org, meeting_type=meeting_type, state=state, starts_at=at,
                                      place="党员活动室", topic="会议", minutes="纪要")

    meeting(dt.datetime(2024, 1, 1, 0, 0, tzinfo=tz))
    meeting(dt.datetime(2024, 12, 31, 23, 30, tzinfo=tz))
    meeting(dt.datetime(2023, 12, 31, 23, 30, tzinfo=tz), "theme_day")
    meeting(dt.datetime(2025, 1, 1, 0, 0, tzinfo=tz), "theme_day")
    meeting(dt.datetime(2024, 2, 10, 9, 0, tzinfo=tz), "theme_day")
    meeting(dt.datetime(2024, 3, 10, 9, 0, tzinfo=tz), "theme_day", state=Meeting.State.PLANNED)
    return Org.objects.filter(pk=org.pk)


@pytest.mark.parametrize("with_days", [True, False])
def test_compliance_counts_the_held_meetings_of_the_year_only(tree, member_a, with_days):
    [row] = compliance(_branch_with_meetings(tree, member_a), 2024, D(2024, 12, 31), with_days=with_days)
    types = {t.meeting_type: t for t in row.types}
    assert set(types) == set(BRANCH_TYPES) and row.roll_size == 1
    general = types["branch_general"]
    assert [s.state for s in general.slots] == ["held", "overdue", "overdue", "held"]
    theme = types["theme_day"]
    assert [s.state for s in theme.slots] == ["overdue", "held"] + ["overdue"] * 9 + ["due"]
    # Branch meetings 2 held, 2 overdue; lectures 3 overdue, 1 due; theme days 1 held, 10 overdue, 1 due;
    # the life meeting and the appraisal each due.
    assert (row.held, row.overdue, row.due, row.required) == (3, 15, 4, 22)


def test_gaps_count_what_compliance_counts_and_list_the_first_ones(tree, member_a):
    orgs = _branch_with_meetings(tree, member_a)
    due, overdue, shown = compliance_gaps(orgs, 2024, D(2024, 12, 31), limit=3)
    assert (due, overdue) == (4, 15)
    assert [(g.meeting_type, g.period.start, g.state) for g in shown] == [
        ("branch_general", D(2024, 4, 1), "overdue"), ("branch_general", D(2024, 7, 1), "overdue"),
        ("lecture", D(2024, 1, 1), "overdue")]
    assert str(shown[0].label) and shown[0].org == tree["branch_a"]
    # On 15 May: Q1 held (1 January), Q2 due; theme days: January overdue, February held, March and April
    # overdue, May due; lectures: Q1 overdue, Q2 due; the two yearly meetings due: 5 due, 4 overdue.
    due, overdue, shown = compliance_gaps(orgs, 2024, D(2024, 5, 15), limit=100)
    assert (due, overdue) == (5, 4) and len(shown) == 9
    assert compliance_gaps(orgs, 2024, D(2024, 5, 15), limit=0)[2] == []
    assert compliance_gaps(orgs, 2025, D(2024, 12, 31), limit=5) == (0, 0, [])


# --- The six-month rule -------------------------------------------------------------------

def test_severity_of_each_level():
    member = MemberFactory.build()
    severities = {lvl: LifeStatus(member, None, D(2024, 1, 1), 0, lvl).severity
                  for lvl in ("", "first", "second", "limit")}
    assert severities == {"": "info", "first": "warn", "second": "bad", "limit": "bad"}


def test_the_count_runs_from_joining_when_that_is_later_than_the_last_meeting(tree, member_a):
    # Attended on 10 January, then (re)joined this branch on 1 March: the months count from 1 March.
    held_meeting(tree["branch_a"], D(2024, 1, 10), present=[member_a])
    member_a.joined_on = D(2024, 3, 1)
    member_a.save()
    status = life_status(member_a, today=D(2024, 6, 1))
    assert (status.last_on, status.since, status.months, status.level) == (D(2024, 1, 10), D(2024, 3, 1), 3, "first")


@pytest.mark.parametrize(("today", "count"), [(D(2024, 4, 14), 0), (D(2024, 4, 15), 1), (D(2024, 7, 15), 1)])
def test_the_warning_count_is_the_warnings_listed(tree, secretary_a, member_a, today, count):
    member_a.joined_on = D(2020, 1, 1)
    member_a.save()
    held_meeting(tree["branch_a"], D(2024, 1, 15), present=[member_a])
    held_meeting(tree["branch_a"], D(2024, 2, 15), absent=[member_a])  # absent: does not count
    assert life_warning_count(secretary_a, today) == count == len(life_warnings(secretary_a, today))
    assert life_warning_count(secretary_a, today, org=tree["branch_b"]) == 0


def test_the_superuser_counts_the_whole_tree(tree, member_a, member_b):
    root = UserFactory(username="root", is_superuser=True)
    for m in (member_a, member_b):
        m.joined_on = D(2020, 1, 1)
        m.save()
    held_meeting(tree["branch_a"], D(2024, 1, 15), present=[member_a])
    held_meeting(tree["branch_b"], D(2024, 3, 15), leave=[member_b])
    assert life_warning_count(root, D(2024, 4, 15)) == 1
    assert life_warning_count(root, D(2024, 6, 15)) == 2
    rows = life_warnings(root, D(2024, 7, 15))
    assert [(r.member, r.months, r.level) for r in rows] == [(member_a, 6, "limit"), (member_b, 4, "first")]


def test_warnings_are_ordered_longest_first(tree, officer, member_a, member_b):
    for m in (member_a, member_b):
        m.joined_on = D(2020, 1, 1)
        m.save()
    held_meeting(tree["branch_b"], D(2024, 1, 15), present=[member_b])
    held_meeting(tree["branch_a"], D(2024, 2, 15), present=[member_a])
    rows = life_warnings(officer, D(2024, 6, 15))
    assert [(r.member, r.months, r.level) for r in rows] == [(member_b, 5, "second"), (member_a, 4, "first")]


def test_a_custom_rule_moves_the_warnings(tree, secretary_a, member_a):
    rule = LifeRule.current()
    rule.first_warning_months, rule.second_warning_months, rule.limit_months = 2, 4, 6
    rule.save()
    member_a.joined_on = D(2020, 1, 1)
    member_a.save()
    held_meeting(tree["branch_a"], D(2024, 1, 15), present=[member_a])
    assert life_warning_count(secretary_a, D(2024, 3, 14)) == 0
    assert [r.level for r in life_warnings(secretary_a, D(2024, 3, 15))] == ["first"]
    assert [r.level for r in life_warnings(secretary_a, D(2024, 5, 15))] == ["second"]


def test_the_warning_as_of_a_past_day_counts_that_days_meeting_and_none_after(tree, member_a):
    from dangjian.meetings.warning_rules import six_month_near

    member_a.joined_on = D(2020, 1, 1)
    member_a.save()
    held_meeting(tree["branch_a"], D(2024, 1, 15), present=[member_a])
    as_of = D(2024, 6, 15)  # five whole months after 15 January: the second warning
    held_meeting(tree["branch_a"], D(2024, 6, 16), present=[member_a])  # after the day: not counted
    found = six_month_near(period_start=D(2024, 4, 1), as_of=as_of, config=None)
    assert (found[tree["branch_a"].pk].severity, found[tree["branch_a"].pk].count) == ("warn", 1)
    assert six_month_near(period_start=D(2024, 4, 1), as_of=D(2024, 6, 14), config=None) == {}
    held_meeting(tree["branch_a"], as_of, present=[member_a])  # at 14:00 on the day itself: counted
    assert six_month_near(period_start=D(2024, 4, 1), as_of=as_of, config=None) == {}

"""The compliance and six-month rules at their boundaries."""

import datetime as dt

import pytest

from dangjian.meetings.metrics import meeting_slots
from dangjian.meetings.models import LifeRule
from dangjian.meetings.periods import Period
from dangjian.meetings.selectors import (
    compliance,
    life_level,
    life_status,
    life_warnings,
    slot_state,
)
from dangjian.orgs.models import Org
from tests.factories import MemberFactory, make_org

from .conftest import held_meeting

D = dt.date
Q1 = Period(D(2024, 1, 1), D(2024, 3, 31))


def test_slot_is_due_on_the_last_day_and_overdue_the_day_after():
    assert slot_state(Q1, [], D(2024, 3, 31)) == "due"
    assert slot_state(Q1, [], D(2024, 4, 1)) == "overdue"
    assert slot_state(Q1, [], D(2023, 12, 31)) == "upcoming"
    assert slot_state(Q1, [], D(2024, 1, 1)) == "due"
    assert slot_state(Q1, [D(2024, 2, 1)], D(2024, 4, 1)) == "held"


@pytest.mark.parametrize(
    ("today", "level"),
    [
        (D(2024, 4, 14), ""),
        (D(2024, 4, 15), "first"),
        (D(2024, 6, 14), "first"),
        (D(2024, 6, 15), "second"),
        (D(2024, 7, 14), "second"),
        (D(2024, 7, 15), "limit"),
    ],
)
def test_life_levels_at_three_five_and_six_months(today, level):
    rule = LifeRule(first_warning_months=3, second_warning_months=5, limit_months=6)
    assert life_level(D(2024, 1, 15), today, rule)[1] == level


@pytest.mark.django_db
def test_seeded_defaults():
    rule = LifeRule.current()
    assert (rule.first_warning_months, rule.second_warning_months, rule.limit_months) == (3, 5, 6)
    from dangjian.meetings.models import MeetingRule

    rules = dict(MeetingRule.objects.values_list("meeting_type", "every_months"))
    assert rules == {"branch_general": 3, "committee": 1, "group": 1, "lecture": 3,
                     "theme_day": 1, "life_meeting": 12, "appraisal": 12}


def test_life_status_counts_from_last_present_or_excused_meeting(tree, member_a):
    other = MemberFactory(org=tree["branch_a"])
    held_meeting(tree["branch_a"], D(2024, 1, 15), present=[other], leave=[member_a])
    held_meeting(tree["branch_a"], D(2024, 3, 15), present=[other], absent=[member_a])
    status = life_status(member_a, today=D(2024, 4, 15))
    # Excused on 15 January; being absent in March does not reset the count.
    assert status.last_on == D(2024, 1, 15) and status.months == 3 and status.level == "first"
    assert life_status(other, today=D(2024, 4, 15)).level == ""


def test_life_status_counts_from_joining_when_never_attended(tree):
    member = MemberFactory(org=tree["branch_a"], joined_on=D(2024, 1, 10), full_member_on=None, category="probationary")
    assert life_status(member, today=D(2024, 4, 9)).level == ""
    assert life_status(member, today=D(2024, 4, 10)).level == "first"


def test_life_warnings_are_scoped_and_bounded(tree, secretary_a, secretary_b, officer, member_a, member_b):
    held_meeting(tree["branch_a"], D(2024, 1, 15), present=[member_a])
    held_meeting(tree["branch_b"], D(2024, 3, 1), present=[member_b])
    assert life_warnings(secretary_a, D(2024, 4, 14)) == []
    rows = life_warnings(secretary_a, D(2024, 4, 15))
    assert [(r.member, r.level) for r in rows] == [(member_a, "first")]
    assert life_warnings(secretary_b, D(2024, 4, 15)) == []
    assert [r.member for r in life_warnings(officer, D(2024, 7, 15))] == [member_a, member_b]
    assert life_warnings(officer, D(2024, 7, 15))[0].level == "limit"


def test_compliance_due_held_overdue(tree, member_a):
    held_meeting(tree["branch_a"], D(2024, 2, 20), meeting_type="branch_general", present=[member_a])
    rows = compliance(Org.objects.filter(pk=tree["branch_a"].pk), 2024, D(2024, 4, 1))
    types = {t.meeting_type: t for t in rows[0].types}
    assert "committee" not in types  # fewer than 7 members: no committee
    assert "group" not in types
    assert (types["branch_general"].held, types["branch_general"].due, types["branch_general"].required) == (1, 1, 2)
    theme = types["theme_day"]
    assert (theme.overdue, theme.due, theme.required) == (3, 1, 4)
    assert types["life_meeting"].due == 1 and types["life_meeting"].overdue == 0


def test_committee_meetings_required_from_seven_members(tree):
    for _ in range(7):
        MemberFactory(org=tree["branch_b"])
    rows = compliance(Org.objects.filter(kind="branch"), 2024, D(2024, 4, 1))
    by_org = {oc.org: {t.meeting_type for t in oc.types} for oc in rows}
    assert "committee" in by_org[tree["branch_b"]]
    assert "committee" not in by_org[tree["branch_a"]]


def test_committee_meetings_count_full_members_only(tree):
    """支部工作条例 第八条 (ARTICLES["branch.committee"]): a committee from seven 正式党员; probationary ones do not count."""
    for _ in range(6):
        MemberFactory(org=tree["branch_a"], category="full")
        MemberFactory(org=tree["branch_b"], category="full")
    for _ in range(3):
        MemberFactory(org=tree["branch_a"], category="probationary")
    MemberFactory(org=tree["branch_b"], category="full")

    def required(start, end):
        rows = compliance(Org.objects.filter(kind="branch"), 2024, D(2024, 4, 1))
        by_org = {oc.org: {t.meeting_type for t in oc.types} for oc in rows}
        slots = meeting_slots(start, end)
        return by_org, {oid: {r[0] for r in rows} for oid, rows in slots.items()}

    by_org, slots = required(D(2024, 1, 1), D(2024, 12, 31))
    # Branch A: 9 on the roll but 6 full: no committee; branch B: 7 full: a committee.
    assert "committee" not in by_org[tree["branch_a"]] and "committee" not in slots[tree["branch_a"].pk]
    assert "committee" in by_org[tree["branch_b"]] and "committee" in slots[tree["branch_b"].pk]


def test_group_members_count_towards_their_branch_and_groups_hold_group_meetings(tree):
    group = make_org(parent=tree["branch_b"], kind="group", name="第一党小组")
    for _ in range(4):
        MemberFactory(org=group)
    for _ in range(3):
        MemberFactory(org=tree["branch_b"])
    rows = {oc.org.pk: oc for oc in compliance(Org.objects.all(), 2024, D(2024, 4, 1))}
    assert rows[tree["branch_b"].pk].roll_size == 7
    assert {t.meeting_type for t in rows[group.pk].types} == {"group"}
    assert tree["community"].pk not in rows

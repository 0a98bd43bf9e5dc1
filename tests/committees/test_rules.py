import datetime as dt

import pytest

from dangjian.committees.models import CommitteeRule, TermRule
from dangjian.committees.rules import elected, quorum_met
from dangjian.committees.selectors import committee_flag, term_state

D = dt.date
RULE = CommitteeRule(committee_threshold=7, first_warning_months=6, second_warning_months=1)
END = D(2026, 6, 30)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (D(2025, 12, 29), ""),
        (D(2025, 12, 30), "first"),
        (D(2026, 5, 29), "first"),
        (D(2026, 5, 30), "second"),
        (D(2026, 6, 30), "second"),
        (D(2026, 7, 1), "overdue"),
    ],
)
def test_term_warnings_six_and_one_month_before_and_overdue_after(today, state):
    assert term_state(END, today, RULE) == state


@pytest.mark.parametrize(
    ("kind", "size", "seats", "flag"),
    [
        ("branch", 7, 0, "needs_committee"),
        ("branch", 6, 0, ""),
        ("branch", 7, 2, ""),
        ("branch", 6, 2, "secretary_only"),
        ("joint_branch", 9, 0, "needs_committee"),
        ("general_branch", 3, 2, ""),
        ("community", 200, 0, ""),
    ],
)
def test_committee_flag_at_seven_members(kind, size, seats, flag):
    assert committee_flag(kind, size, seats, 7) == flag


@pytest.mark.django_db
def test_default_term_lengths():
    years = dict(TermRule.objects.values_list("kind", "years"))
    assert years["grassroots"] == 5 and years["community"] == 5
    assert years["general_branch"] == 3 and years["branch"] == 3
    assert "group" not in years
    rule = CommitteeRule.current()
    assert (rule.committee_threshold, rule.first_warning_months, rule.second_warning_months) == (7, 6, 1)


# 《中国共产党基层组织选举工作条例》(2020): valid only when more than 4/5 of those entitled attend;
# elected only with more than half of the voters present. The boundary itself fails both.
@pytest.mark.parametrize(
    ("eligible", "present", "valid"),
    [(5, 4, False), (5, 5, True), (10, 8, False), (10, 9, True), (15, 12, False), (15, 13, True),
     (7, 5, False), (7, 6, True), (1, 1, True)],
)
def test_quorum_is_more_than_four_fifths(eligible, present, valid):
    assert quorum_met(eligible=eligible, present=present) is valid


@pytest.mark.parametrize(
    ("present", "votes", "is_elected"),
    [(4, 2, False), (4, 3, True), (6, 3, False), (6, 4, True), (5, 2, False), (5, 3, True), (1, 1, True)],
)
def test_elected_with_more_than_half_of_those_present(present, votes, is_elected):
    assert elected(votes=votes, present=present) is is_elected

"""The recruitment time limits a fresh installation starts with are the 2014 rules' (tests/regulations.py)."""

import datetime as dt

from dangjian.recruitment import rules
from dangjian.recruitment.services import recruit_rules
from tests import regulations as reg


def test_default_limits_are_the_regulations(db):
    config = recruit_rules()
    assert {name: getattr(config, name) for name in reg.RECRUITMENT} == reg.RECRUITMENT


def test_probation_ends_a_year_after_joining_and_an_extension_adds_its_months(db):
    config = recruit_rules()
    assert rules.probation_end(dt.date(2025, 7, 1), config) == dt.date(2026, 7, 1)
    assert rules.probation_end(dt.date(2025, 7, 1), config, extension_months=6) == dt.date(2027, 1, 1)


def test_a_vote_passes_with_more_than_half_of_those_entitled():
    num, den = reg.RECRUITMENT_VOTE
    for eligible in range(1, 40):
        for votes in range(eligible + 1):
            assert rules.vote_passes(eligible=eligible, votes_for=votes) == (votes * den > eligible * num), (
                eligible, votes)

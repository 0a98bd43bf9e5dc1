"""Election counts against the 2020 条例's fractions (tests/regulations.py), over every small meeting."""

from dangjian.committees.rules import elected, quorum_met
from tests import regulations as reg


def test_quorum_is_strictly_more_than_four_fifths_of_those_entitled():
    num, den = reg.ELECTION_QUORUM
    for eligible in range(1, 60):
        for present in range(eligible + 1):
            assert quorum_met(eligible=eligible, present=present) == (present * den > eligible * num), (
                eligible, present)


def test_elected_with_strictly_more_than_half_of_those_present():
    num, den = reg.ELECTION_MAJORITY
    for present in range(1, 60):
        for votes in range(present + 1):
            assert elected(votes=votes, present=present) == (votes * den > present * num), (present, votes)

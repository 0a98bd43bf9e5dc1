"""Electors, 差额, committee and branch sizes and term lengths against the texts (tests/regulations.py).

Every boundary is tried on both sides, through the pure rules and through the service.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangjian.committees import rules, services
from dangjian.committees.models import CommitteeRule, Term, TermRule
from dangjian.committees.selectors import committee_flag, org_terms
from dangjian.orgs.models import Org
from tests import regulations as reg
from tests.factories import MemberFactory, make_org

D = dt.date


def test_defaults_are_the_regulations(db):
    rule = CommitteeRule.current()
    assert rule.surplus_percent == 20
    assert (rule.committee_threshold, rule.committee_min, rule.committee_max) == (
        reg.COMMITTEE_FROM_FULL, reg.COMMITTEE_MIN, reg.COMMITTEE_MAX)
    assert (rule.branch_min_full, rule.branch_max) == (reg.BRANCH_MIN_FULL, reg.BRANCH_MAX)
    assert rule.community_branches_five_years is True
    years = dict(TermRule.objects.values_list("kind", "years"))
    for kind in ("grassroots", "general_branch", "branch", "community"):
        assert years[kind] == reg.TERM_YEARS[kind], kind


@pytest.mark.parametrize(("seats", "least"), sorted(reg.ELECTION_MIN_CANDIDATES.items()))
def test_fewest_candidates_rounds_the_surplus_up(seats, least):
    assert rules.min_candidates(seats=seats, surplus_percent=20) == least


@pytest.mark.parametrize("full", range(0, 12))
@pytest.mark.parametrize("seats", range(1, 10))
def test_committee_size_at_every_edge(full, seats):
    error = rules.committee_size_error(full_members=full, seats=seats, threshold=reg.COMMITTEE_FROM_FULL,
                                       smallest=reg.COMMITTEE_MIN, largest=reg.COMMITTEE_MAX)
    if full >= reg.COMMITTEE_FROM_FULL:
        assert (error == "") == (reg.COMMITTEE_MIN <= seats <= reg.COMMITTEE_MAX), (full, seats)
    else:
        assert (error == "") == (seats <= reg.NO_COMMITTEE_MAX_SEATS), (full, seats)


@pytest.mark.parametrize(("full", "roll", "flag"), [
    (2, 2, "too_few_full"), (3, 3, ""), (3, 50, ""), (3, 51, "too_many"), (2, 60, "too_few_full")])
def test_branch_size_flag(full, roll, flag):
    assert rules.branch_size_flag(full_members=full, roll=roll, smallest=reg.BRANCH_MIN_FULL,
                                  largest=reg.BRANCH_MAX) == flag


def test_branch_flags_count_full_members_only(db):
    rule = CommitteeRule.current()
    # Seven on the roll, six of them full: no committee is required yet.
    assert committee_flag("branch", 6, 0, 7, roll=7, rule=rule) == ""
    assert committee_flag("branch", 7, 0, 7, roll=7, rule=rule) == "needs_committee"
    # A joint branch exists for fewer than three full members: not flagged for it.
    assert committee_flag("joint_branch", 2, 0, 7, roll=2, rule=rule) == ""
    assert committee_flag("branch", 2, 0, 7, roll=2, rule=rule) == "too_few_full"


def _term(org, seats, **extra):
    args = {"org": org, "start": D(2024, 6, 1), "elected_on": D(2024, 6, 1), "method": "competitive",
            "eligible_voters": 5, "voters_present": 5, "seats": seats}
    args.update(extra)
    return args


@pytest.fixture
def five(tree):
    return [MemberFactory(org=tree["branch_a"]) for _ in range(5)]


def test_probationary_member_is_not_elected_and_not_counted(tree, secretary_a, five):
    trainee = MemberFactory(org=tree["branch_a"], category="probationary", full_member_on=None)
    # 5 full members and 1 probationary: 6 entitled is refused, 5 is accepted.
    with pytest.raises(ValidationError) as exc:
        services.term_record(by=secretary_a, **_term(tree["branch_a"], [{"member": five[0], "position": "secretary"}],
                                                     eligible_voters=6, voters_present=6, candidates=2))
    assert "预备党员" in exc.value.message_dict["eligible_voters"][0]
    with pytest.raises(ValidationError) as exc:
        services.term_record(by=secretary_a, **_term(tree["branch_a"], [{"member": trainee, "position": "secretary"}],
                                                     candidates=2))
    assert "预备党员" in exc.value.message_dict["seats"][0]
    assert not Term.objects.exists()
    services.term_record(by=secretary_a, **_term(tree["branch_a"], [{"member": five[0], "position": "secretary"}],
                                                 candidates=2))


@pytest.fixture
def seven(tree):
    return [MemberFactory(org=tree["branch_a"]) for _ in range(7)]


def _committee(members, n):
    return [{"member": m, "position": "secretary" if i == 0 else "member"} for i, m in enumerate(members[:n])]


@pytest.mark.parametrize(("seats", "candidates", "ok"), [(3, 3, False), (3, 4, True), (5, 5, False), (5, 6, True),
                                                         (6, 7, False), (6, 8, True), (7, 8, False)])
def test_competitive_election_needs_twenty_percent_more_rounded_up(tree, secretary_a, tree_members, seats,
                                                                   candidates, ok):
    args = _term(tree["branch_a"], _committee(tree_members, seats), candidates=candidates, eligible_voters=8,
                 voters_present=8)
    if ok:
        assert services.term_record(by=secretary_a, **args).candidates == candidates
    else:
        with pytest.raises(ValidationError) as exc:
            services.term_record(by=secretary_a, **args)
        assert "candidates" in exc.value.message_dict
        assert not Term.objects.exists()


@pytest.fixture
def tree_members(tree):
    return [MemberFactory(org=tree["branch_a"]) for _ in range(9)]


def test_equal_election_refused_for_a_committee_allowed_for_a_secretary(tree, secretary_a, officer, tree_members):
    with pytest.raises(ValidationError) as exc:
        services.term_record(by=secretary_a, **_term(tree["branch_a"], _committee(tree_members, 3), method="equal",
                                                     candidates=3, eligible_voters=9, voters_present=9))
    assert "method" in exc.value.message_dict
    # Two seats (below the committee): 等额 stands.
    small = make_org(parent=tree["community"], kind="branch")
    people = [MemberFactory(org=small) for _ in range(4)]
    services.term_record(by=officer, **_term(
        small, _committee(people, 2), method="equal", candidates=2, eligible_voters=4, voters_present=4))


def test_competitive_election_needs_the_candidate_count(tree, secretary_a, five):
    with pytest.raises(ValidationError) as exc:
        services.term_record(by=secretary_a, **_term(tree["branch_a"], [{"member": five[0], "position": "secretary"}]))
    assert "candidates" in exc.value.message_dict


@pytest.mark.parametrize(("n_seats", "ok"), [(2, False), (3, True), (7, True), (8, False)])
def test_committee_of_a_branch_with_seven_full_members(tree, secretary_a, n_seats, ok):
    people = [MemberFactory(org=tree["branch_a"]) for _ in range(9)]
    args = _term(tree["branch_a"], _committee(people, n_seats), eligible_voters=9, voters_present=9,
                 candidates=n_seats + 2)
    if ok:
        services.term_record(by=secretary_a, **args)
    else:
        with pytest.raises(ValidationError) as exc:
            services.term_record(by=secretary_a, **args)
        assert "seats" in exc.value.message_dict


@pytest.mark.parametrize(("full", "n_seats", "ok"), [(6, 2, True), (6, 3, False), (7, 3, True)])
def test_probationary_members_do_not_make_a_committee(tree, secretary_a, full, n_seats, ok):
    people = [MemberFactory(org=tree["branch_a"]) for _ in range(full)]
    MemberFactory(org=tree["branch_a"], category="probationary", full_member_on=None)  # the seventh on the roll
    args = _term(tree["branch_a"], _committee(people, n_seats), eligible_voters=full, voters_present=full,
                 candidates=n_seats + 1)
    if ok:
        services.term_record(by=secretary_a, **args)
    else:
        with pytest.raises(ValidationError, match="副书记"):
            services.term_record(by=secretary_a, **args)


def test_terms_by_the_2018_opinion(tree):
    street_branch = make_org(parent=tree["street"], kind="branch")
    street_general = make_org(parent=tree["street"], kind="general_branch")
    community_general = make_org(parent=tree["community"], kind="general_branch")
    under_general = make_org(parent=community_general, kind="branch")
    grassroots = make_org(parent=tree["street"], kind="grassroots")
    orgs = {"branch": street_branch, "general_branch": street_general, "community": tree["community"],
            "community_branch": tree["branch_a"], "community_general_branch": community_general,
            "grassroots": grassroots}
    for key, org in orgs.items():
        org = Org.objects.get(pk=org.pk)
        assert services.default_end(org, D(2024, 1, 1)) == D(2024 + reg.TERM_YEARS[key], 1, 1), key
    assert services.default_end(Org.objects.get(pk=under_general.pk), D(2024, 1, 1)) == D(2029, 1, 1)
    # The setting off: a community's branches follow their own kind again (3 years).
    CommitteeRule.objects.filter(pk=1).update(community_branches_five_years=False)
    assert services.default_end(Org.objects.get(pk=tree["branch_a"].pk), D(2024, 1, 1)) == D(2027, 1, 1)


def test_org_terms_shows_full_members(tree, secretary_a, five):
    MemberFactory(org=tree["branch_a"], category="probationary", full_member_on=None)
    services.term_record(by=secretary_a, **_term(tree["branch_a"], [{"member": five[0], "position": "secretary"}],
                                                 candidates=2))
    row = next(r for r in org_terms(Org.objects.filter(pk=tree["branch_a"].pk)))
    assert (row.roll_size, row.full_members) == (6, 5)

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.committees import services
from dangjian.committees.models import Seat, Term
from tests.factories import MemberFactory

from .conftest import term_args

D = dt.date


def test_record_term_with_default_length_syncs_org(tree, secretary_a, crew):
    from tests.factories import MemberFactory

    MemberFactory(org=tree["branch_a"]), MemberFactory(org=tree["branch_a"])  # 7 full members: a committee
    seats = [
        {"member": crew[0], "position": "secretary", "duty": "", "votes": 5},
        {"member": crew[1], "position": "deputy", "duty": "", "votes": 4},
        {"member": crew[2], "position": "member", "duty": "organisation", "votes": 3},
    ]
    term = services.term_record(by=secretary_a, **term_args(tree["branch_a"], crew, seats=seats))
    assert term.end == D(2028, 6, 1)  # a community's branch: 5 years (2018 中办意见 一)
    org = tree["branch_a"]
    org.refresh_from_db()
    assert (org.term_start, org.term_end, org.secretary_id) == (D(2023, 6, 1), D(2028, 6, 1), crew[0].pk)
    assert Seat.objects.filter(term=term).count() == 3
    created = AuditEntry.objects.filter(target_type="committees.Term", action="create").get()
    assert created.target_repr == f"{org.name} 换届 2023-06-01 ~ 2028-06-01"
    entry = AuditEntry.objects.filter(target_type="orgs.Org", action="update").get()
    assert entry.changes["term_end"] == [None, "2028-06-01"]


def test_community_term_is_five_years(tree, officer):
    from tests.factories import MemberFactory

    m = MemberFactory(org=tree["community"])
    term = services.term_record(by=officer, org=tree["community"], start=D(2021, 3, 1), elected_on=D(2021, 3, 1),
                                method="equal", eligible_voters=1, voters_present=1,
                                seats=[{"member": m, "position": "secretary"}])
    assert term.end == D(2026, 3, 1)


def test_groups_have_no_terms(tree, secretary_a, crew):
    from tests.factories import make_org

    group = make_org(parent=tree["branch_a"], kind="group")
    with pytest.raises(ValidationError, match="不实行任期制"):
        services.term_record(by=secretary_a, **term_args(group, crew))


def test_new_term_must_follow_the_previous(tree, secretary_a, crew):
    services.term_record(by=secretary_a, **term_args(tree["branch_a"], crew))
    with pytest.raises(ValidationError, match="新一届任期须晚于上一届"):
        services.term_record(by=secretary_a, **term_args(tree["branch_a"], crew))
    services.term_record(by=secretary_a, **term_args(tree["branch_a"], crew, start=D(2023, 6, 2), elected_on=D(2023, 6, 2)))
    tree["branch_a"].refresh_from_db()
    assert tree["branch_a"].term_start == D(2023, 6, 2)


def test_quorum_four_fifths_at_its_boundary(tree, secretary_a, crew):
    # 5 entitled: 4 present is exactly 4/5 (not more) -> invalid; 5 present is valid.
    with pytest.raises(ValidationError, match="五分之四"):
        services.term_record(by=secretary_a, **term_args(tree["branch_a"], crew, voters_present=4,
                             seats=[{"member": crew[0], "position": "secretary", "votes": 4}]))
    MemberFactory(org=tree["branch_a"])  # a sixth full member: 6 entitled, 5 present
    services.term_record(by=secretary_a, **term_args(tree["branch_a"], crew, eligible_voters=6, voters_present=5))
    assert Term.objects.count() == 1


@pytest.mark.parametrize(("eligible", "present", "valid"), [(10, 8, False), (10, 9, True)])
def test_quorum_boundary_through_the_service(tree, officer, crew, eligible, present, valid):
    # The community's committee: its roll (the branches below it) has the ten full members entitled.
    for _ in range(5):
        MemberFactory(org=tree["branch_b"])
    args = term_args(tree["community"], crew, eligible_voters=eligible, voters_present=present,
                     seats=[{"member": crew[0], "position": "secretary", "votes": present}])
    if valid:
        services.term_record(by=officer, **args)
    else:
        with pytest.raises(ValidationError) as exc:
            services.term_record(by=officer, **args)
        assert exc.value.message_dict["voters_present"] == [f"实到 {present} 人，未超过应到 {eligible} 人的五分之四，选举无效"]
    assert Term.objects.exists() is valid


@pytest.mark.parametrize(("votes", "is_elected"), [(3, False), (4, True)])
def test_half_of_six_present_is_not_elected(tree, secretary_a, crew, votes, is_elected):
    MemberFactory(org=tree["branch_a"])  # six full members entitled
    args = term_args(tree["branch_a"], crew, eligible_voters=6, voters_present=6,
                     seats=[{"member": crew[0], "position": "secretary", "votes": votes}])
    if is_elected:
        services.term_record(by=secretary_a, **args)
    else:
        with pytest.raises(ValidationError, match="未超过实到 6 人的半数，不能当选"):
            services.term_record(by=secretary_a, **args)
    assert Term.objects.exists() is is_elected


def test_votes_must_exceed_half_of_those_present(tree, secretary_a, crew):
    seats = [{"member": crew[0], "position": "secretary", "votes": 2}]
    with pytest.raises(ValidationError, match="未超过实到 4 人的半数"):
        services.term_record(by=secretary_a, **term_args(tree["branch_a"], crew, eligible_voters=4, voters_present=4, seats=seats))
    seats = [{"member": crew[0], "position": "secretary", "votes": 3}]
    services.term_record(by=secretary_a, **term_args(tree["branch_a"], crew, eligible_voters=4, voters_present=4, seats=seats))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"voters_present": 6}, "voters_present"),
        ({"eligible_voters": 0, "voters_present": 0}, "eligible_voters"),
        ({"method": "lottery"}, "method"),
        ({"end": D(2023, 6, 1)}, "end"),
        ({"elected_on": D(2023, 6, 2)}, "start"),
        ({"approved_on": D(2023, 5, 31)}, "approved_on"),
        ({"seats": []}, "seats"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(tree, secretary_a, crew, change, field):
    with pytest.raises(ValidationError) as exc:
        services.term_record(by=secretary_a, **term_args(tree["branch_a"], crew, **change))
    assert field in exc.value.message_dict
    assert not Term.objects.exists() and not Seat.objects.exists()
    tree["branch_a"].refresh_from_db()
    assert tree["branch_a"].term_start is None


def test_election_in_the_future_is_refused(tree, secretary_a, crew):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.term_record(by=secretary_a, **term_args(tree["branch_a"], crew, elected_on=tomorrow, start=tomorrow))
    assert "elected_on" in exc.value.message_dict
    today = timezone.localdate()
    services.term_record(by=secretary_a, **term_args(tree["branch_a"], crew, elected_on=today, start=today))


@pytest.mark.parametrize(
    ("seats", "message"),
    [
        ("two_secretaries", "有且只有一名书记"),
        ("no_secretary", "有且只有一名书记"),
        ("twice", "两个职务"),
        ("stranger", "本组织在册党员"),
        ("bad_position", "职务无效"),
        ("too_many_votes", "多于实到人数"),
    ],
)
def test_bad_seats(tree, secretary_a, crew, member_b, seats, message):
    sec = {"member": crew[0], "position": "secretary"}
    cases = {
        "two_secretaries": [sec, {"member": crew[1], "position": "secretary"}],
        "no_secretary": [{"member": crew[1], "position": "deputy"}],
        "twice": [sec, {"member": crew[0], "position": "member"}],
        "stranger": [sec, {"member": member_b, "position": "member"}],
        "bad_position": [sec, {"member": crew[1], "position": "king"}],
        "too_many_votes": [{**sec, "votes": 6}],
    }
    with pytest.raises(ValidationError, match=message):
        services.term_record(by=secretary_a, **term_args(tree["branch_a"], crew, seats=cases[seats]))
    assert not Term.objects.exists()


def test_outsider_cannot_record_a_term(tree, secretary_b, crew):
    with pytest.raises(Http404):
        services.term_record(by=secretary_b, **term_args(tree["branch_a"], crew))
    assert not Term.objects.exists()


def test_rules_superuser_only(secretary_a, db):
    from dangjian.committees.models import CommitteeRule, TermRule
    from tests.factories import UserFactory

    rule = TermRule.objects.get(kind="branch")
    with pytest.raises(Http404):
        services.term_rule_update(by=secretary_a, rule=rule, years=5)
    admin = UserFactory(is_superuser=True)
    services.term_rule_update(by=admin, rule=rule, years=5)
    assert TermRule.objects.get(kind="branch").years == 5
    with pytest.raises(ValidationError):
        services.term_rule_update(by=admin, rule=rule, years=0)
    with pytest.raises(ValidationError):
        services.committee_rule_update(by=admin, committee_threshold=7, first_warning_months=1, second_warning_months=6)
    services.committee_rule_update(by=admin, committee_threshold=7, first_warning_months=3, second_warning_months=1)
    assert CommitteeRule.current().first_warning_months == 3

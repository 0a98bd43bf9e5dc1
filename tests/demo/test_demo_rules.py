"""The demo organisation keeps the regulations (issue 15), each check citing its article."""

import random
from decimal import Decimal

import pytest

from dangjian.committees import demo as committees_demo
from dangjian.committees.models import Seat
from dangjian.core.dates import add_years
from dangjian.dues import demo as dues_demo
from dangjian.dues.models import Due
from dangjian.orgs.models import Category, Member, Org, OrgKind
from tests.demo.conftest import TODAY, run_demo

BRANCH_KINDS = (OrgKind.BRANCH, OrgKind.JOINT_BRANCH)


@pytest.fixture
def seeded_demo(db):
    """The foundation plus the two seeders these rules touch (committees and dues)."""
    run_demo("--scale", "600", "--seed", "11", "--today", TODAY.isoformat(), "--no-features")
    committees_demo.seed(rng=random.Random("11:committees"), today=TODAY, log=lambda *_: None)
    dues_demo.seed(rng=random.Random("11:dues"), today=TODAY, log=lambda *_: None)


def test_nobody_joined_before_about_nineteen(seeded_demo):
    # ARTICLES["roster.join_age"]: 18 at application + a year as activist -> about 19 at joining.
    members = list(Member.objects.all())
    assert members
    assert all(m.joined_on > add_years(m.birth_date, 19) for m in members)
    # The boundary is met, not avoided: some joined within their twentieth year.
    assert any(m.joined_on < add_years(m.birth_date, 20) for m in members)


def test_committee_seats_only_for_full_members_already_full_when_the_term_began(seeded_demo):
    # 2020 《基层组织选举工作条例》 第五条: probationary members have neither 选举权 nor 被选举权.
    seats = list(Seat.objects.select_related("member", "term"))
    assert seats
    for s in seats:
        assert s.member.category == Category.FULL, s.member.name
        assert s.member.full_member_on and s.member.full_member_on <= s.term.start, (s.member.name, s.term.start)
    # Nobody who joined after the term began holds one of its seats.
    assert all(s.member.joined_on <= s.term.start for s in seats)


def test_special_groups_owe_twenty_fen_a_month(seeded_demo):
    # ARTICLES["dues.fixed"] (2008 党费规定 一、第六条): students, 下岗失业, 低保 members pay 0.20 a month.
    special = Due.objects.filter(employment__in=("student", "unemployed", "relief"))
    assert special.exists()
    assert set(special.values_list("amount", flat=True)) == {Decimal("0.20")}
    # The other side: salaried members owe more than the flat amount.
    assert not Due.objects.filter(employment="employed", amount__lte=Decimal("0.20")).exists()


def _full_members_under(org: Org) -> int:
    return Member.objects.filter(org__path__startswith=org.path, category=Category.FULL,
                                 status__in=("active", "lost_contact")).count()


def test_branch_sizes_and_committees_within_the_rule(seeded_demo):
    # ARTICLES["branch.committee"] (支部工作条例 第八条): a branch has 3+ full members and about 50 at most;
    # a committee (more than a secretary) only with 7+ full members.
    branches = list(Org.objects.filter(kind__in=BRANCH_KINDS))
    assert branches
    sizes = {}
    for b in branches:
        total = Member.objects.filter(org__path__startswith=b.path).count()
        full = _full_members_under(b)
        sizes[b.pk] = full
        assert full >= 3, (b.name, full)
        assert total <= 50, (b.name, total)
    seats_by_org: dict[int, int] = {}
    for s in Seat.objects.select_related("term"):
        if s.term.org_id in sizes and s.term.end >= TODAY and s.term.start <= TODAY:
            seats_by_org[s.term.org_id] = seats_by_org.get(s.term.org_id, 0) + 1
    for org_id, n in seats_by_org.items():
        if n > 1:
            assert sizes[org_id] >= 7, (org_id, sizes[org_id], n)
            assert 3 <= n <= 7
    assert any(n > 1 for n in seats_by_org.values())

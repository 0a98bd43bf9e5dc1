"""党章第九条 (core.references.ARTICLES["member.lapsed"]): six consecutive months without organisational
life, or without dues, without good reason; each condition named, both sides of each boundary."""

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.core.dates import add_months, month_start
from dangjian.dues.models import Due, Payment
from dangjian.meetings import lapse
from dangjian.orgs.models import Member
from tests.factories import MemberFactory
from tests.meetings.conftest import held_meeting

TODAY = dt.date(2026, 6, 15)  # mid-month: add_months clamps month ends
pytestmark = pytest.mark.django_db


def _dues(member, *, unpaid_months: int) -> None:
    """Twelve ended months of dues; the last `unpaid_months` of them unpaid."""
    last = add_months(month_start(TODAY), -1)
    for k in range(12):
        month = add_months(last, -k)
        due = Due.objects.create(member=member, org=member.org, month=month, employment="employed",
                                 amount=Decimal("5.00"))
        if k >= unpaid_months:
            Payment.objects.create(due=due, amount=due.amount, paid_on=month)


def _found(tree, excused=frozenset()):
    found = lapse.lapsed_members(Member.objects.filter(org=tree["branch_a"]), today=TODAY, excused=excused)
    return {f.member.name: f.conditions for f in found}


def test_six_months_without_organisational_life_is_named_five_is_not(tree):
    six = MemberFactory(org=tree["branch_a"], name="六个月")
    five = MemberFactory(org=tree["branch_a"], name="五个月")
    held_meeting(tree["branch_a"], add_months(TODAY, -6), present=[six])
    held_meeting(tree["branch_a"], add_months(TODAY, -6) + dt.timedelta(days=1), present=[five])
    for m in (six, five):
        _dues(m, unpaid_months=0)
    assert _found(tree) == {"六个月": (lapse.LIFE,)}


def test_six_months_of_unpaid_dues_is_named_five_is_not(tree):
    six = MemberFactory(org=tree["branch_a"], name="欠六个月")
    five = MemberFactory(org=tree["branch_a"], name="欠五个月")
    held_meeting(tree["branch_a"], TODAY - dt.timedelta(days=10), present=[six, five])
    _dues(six, unpaid_months=6)
    _dues(five, unpaid_months=5)
    assert _found(tree) == {"欠六个月": (lapse.DUES,)}


def test_both_conditions_named_and_a_good_reason_suppresses_them(tree):
    both = MemberFactory(org=tree["branch_a"], name="两项")
    held_meeting(tree["branch_a"], add_months(TODAY, -7), present=[both])
    _dues(both, unpaid_months=7)
    assert _found(tree) == {"两项": (lapse.LIFE, lapse.DUES)}
    assert _found(tree, excused=frozenset({both.pk})) == {}


def test_conditions_rule_boundaries_including_assigned_work():
    kw = {"months_without_life": 0, "months_unpaid": 0, "months_without_work": None, "good_reason": False}
    assert lapse.conditions(**{**kw, "months_without_work": 6}) == (lapse.WORK,)
    assert lapse.conditions(**{**kw, "months_without_work": 5}) == ()
    assert lapse.conditions(**kw) == ()  # assigned work not recorded: never counted against the member
    assert lapse.conditions(**{**kw, "months_unpaid": 6, "good_reason": True}) == ()

"""Issue 15: the 2008 rules' other bases and amounts (一、第三、四、六、七条; tests/regulations.py)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError

from dangjian.dues import rules, services
from dangjian.dues.models import Due, Reduction
from tests import regulations as reg
from tests.dues.conftest import set_base
from tests.factories import MemberFactory


@pytest.mark.parametrize("employment", ["student", "unemployed", "relief"])
def test_special_groups_pay_the_regulations_flat_amount_whatever_is_typed(config, employment):
    assert config.special_amount == reg.DUES_SPECIAL_AMOUNT
    for fixed in (None, Decimal("0.50"), Decimal("1.00")):
        got = rules.assess(config, employment=employment, base=None, fixed=fixed)
        assert got.amount == reg.DUES_SPECIAL_AMOUNT, fixed


def test_rural_members_pay_their_own_amount_within_the_range(config, tree, secretary_a):
    member = MemberFactory(org=tree["branch_a"], employment="farmer")
    low, high, fen = reg.DUES_FARMER_MIN, reg.DUES_FARMER_MAX, Decimal("0.01")
    for amount in (low - fen, high + fen):
        with pytest.raises(ValidationError) as exc:
            services.dues_base_set(by=secretary_a, member=member, monthly_base=None, fixed_amount=amount)
        assert "fixed_amount" in exc.value.message_dict
    for amount in (low, high):
        services.dues_base_set(by=secretary_a, member=member, monthly_base=None, fixed_amount=amount)
        assert rules.assess(config, employment="farmer", base=None, fixed=amount).amount == amount
    assert reg.DUES_FARMER_MIN <= config.fixed_default <= reg.DUES_FARMER_MAX


def test_only_rural_members_have_an_amount_of_their_own(tree, secretary_a, config):
    student = MemberFactory(org=tree["branch_a"], employment="student")
    with pytest.raises(ValidationError) as exc:
        services.dues_base_set(by=secretary_a, member=student, monthly_base=None, fixed_amount=Decimal("0.20"))
    assert "fixed_amount" in exc.value.message_dict


def regulation_rate(base: Decimal) -> Decimal:
    return next(rate for bound, rate in reg.DUES_EMPLOYED if bound is None or base <= bound)


@pytest.mark.parametrize("employment", ["annual_salary", "self_employed"])
@pytest.mark.parametrize("base", [Decimal(v) for v in ("3000.00", "3000.01", "5000.00", "5000.01", "10000.00", "10000.01")])
def test_annual_salary_and_self_employed_follow_the_employed_brackets(config, employment, base):
    rate = regulation_rate(base)
    got = rules.assess(config, employment=employment, base=base)
    assert (got.rate, got.amount) == (rate, (base * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    with pytest.raises(rules.MissingBase):
        rules.assess(config, employment=employment, base=None)


def test_a_reduction_needs_the_branch_proposal_and_the_superiors_approval(tree, secretary_a, officer, config):
    member = MemberFactory(org=tree["branch_a"], employment="retired")
    set_base(member, "3000")  # usually 15.00 a month
    today = dt.date(2026, 12, 7)
    with pytest.raises(ValidationError) as exc:
        services.reduction_propose(by=secretary_a, member=member, amount=Decimal("15.00"), first_month=dt.date(2026, 3, 1),
                                   last_month=dt.date(2026, 5, 1), reason="因病致困", today=today)
    assert "amount" in exc.value.message_dict  # not less than usual
    proposal = services.reduction_propose(by=secretary_a, member=member, amount=Decimal("0"),
                                          first_month=dt.date(2026, 3, 1), last_month=dt.date(2026, 5, 1),
                                          reason="因病致困", on=dt.date(2026, 2, 20), today=today)
    # Proposed only: the ledger still asks for the usual amount.
    services.ledger_generate(by=secretary_a, org=tree["branch_a"], month=dt.date(2026, 3, 1), today=today)
    assert Due.objects.get(member=member, month=dt.date(2026, 3, 1)).amount == Decimal("15.00")
    with pytest.raises(ValidationError):  # the branch does not approve its own proposal
        services.reduction_decide(by=secretary_a, reduction=proposal, approve=True, on=dt.date(2026, 2, 25), today=today)
    with pytest.raises(ValidationError) as exc:
        services.reduction_decide(by=officer, reduction=proposal, approve=True, on=dt.date(2026, 2, 19), today=today)
    assert "on" in exc.value.message_dict
    services.reduction_decide(by=officer, reduction=proposal, approve=True, on=dt.date(2026, 2, 20), today=today)
    assert Reduction.objects.get(pk=proposal.pk).state == Reduction.State.APPROVED
    for month in (dt.date(2026, 2, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1), dt.date(2026, 6, 1)):
        result = services.ledger_generate(by=secretary_a, org=tree["branch_a"], month=month, today=today)
        exempt = dt.date(2026, 3, 1) <= month <= dt.date(2026, 5, 1)
        assert result.exempt == (1 if exempt else 0), month
        assert Due.objects.filter(member=member, month=month).exists() == (not exempt), month


def test_a_partial_reduction_sets_the_amount_owed(tree, secretary_a, officer, config):
    member = MemberFactory(org=tree["branch_a"], employment="employed")
    set_base(member, "6000")  # 90.00
    today = dt.date(2026, 12, 7)
    proposal = services.reduction_propose(by=secretary_a, member=member, amount=Decimal("5.00"),
                                          first_month=dt.date(2026, 7, 1), last_month=dt.date(2026, 7, 1),
                                          reason="家庭变故", today=today)
    services.reduction_decide(by=officer, reduction=proposal, approve=True, today=today)
    services.ledger_generate(by=secretary_a, org=tree["branch_a"], month=dt.date(2026, 7, 1), today=today)
    services.ledger_generate(by=secretary_a, org=tree["branch_a"], month=dt.date(2026, 8, 1), today=today)
    assert Due.objects.get(member=member, month=dt.date(2026, 7, 1)).amount == Decimal("5.00")
    assert Due.objects.get(member=member, month=dt.date(2026, 8, 1)).amount == Decimal("90.00")
    with pytest.raises(ValidationError):  # months overlapping an approved one
        services.reduction_propose(by=secretary_a, member=member, amount=Decimal("1.00"), first_month=dt.date(2026, 7, 1),
                                   last_month=dt.date(2026, 9, 1), reason="再次", today=today)

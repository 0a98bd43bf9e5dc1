"""Bracket edges (upper bound inclusive), rounding to the fen, month arithmetic."""

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.core import dates
from dangjian.dues import rules


@pytest.mark.parametrize(("base", "rate", "amount"), [
    ("3000.00", "0.5", "15.00"),    # upper bound of bracket 1 is inclusive
    ("3000.01", "1", "30.00"),      # one fen above pays the next rate
    ("5000.00", "1", "50.00"),
    ("5000.01", "1.5", "75.00"),
    ("10000.00", "1.5", "150.00"),
    ("10000.01", "2", "200.00"),
    ("0", "0.5", "0.00"),
])
def test_employed_brackets_at_their_edges(config, base, rate, amount):
    got = rules.assess(config, employment="employed", base=Decimal(base))
    assert got.rate == Decimal(rate)
    assert got.amount == Decimal(amount)


@pytest.mark.parametrize(("base", "rate"), [("5000.00", "0.5"), ("5000.01", "1")])
def test_retired_brackets_at_their_edge(config, base, rate):
    assert rules.assess(config, employment="retired", base=Decimal(base)).rate == Decimal(rate)


def test_amount_is_rounded_half_up_to_the_fen(config):
    # 1.00 × 0.5 % = 0.005 → 0.01 (half-up); 3333.33 × 1 % = 33.3333 → 33.33
    assert rules.assess(config, employment="employed", base=Decimal("1.00")).amount == Decimal("0.01")
    assert rules.assess(config, employment="employed", base=Decimal("3333.33")).amount == Decimal("33.33")
    assert rules.assess(config, employment="employed", base=Decimal("3333.50")).amount == Decimal("33.34")


def test_rural_members_pay_the_default_or_their_own_amount(config):
    assert rules.assess(config, employment="farmer", base=None).amount == config.fixed_default
    assert rules.assess(config, employment="farmer", base=Decimal("9999"), fixed=Decimal("0.2")).amount == Decimal("0.2")


def test_salaried_member_without_base_cannot_be_assessed(config):
    with pytest.raises(rules.MissingBase):
        rules.assess(config, employment="employed", base=None)


def test_changed_brackets_apply(config):
    config.employed_limit_1 = Decimal("3500")
    assert rules.assess(config, employment="employed", base=Decimal("3500")).rate == Decimal("0.5")


def test_a_month_falls_into_arrears_the_day_after_it_ends():
    march = dt.date(2025, 3, 1)
    assert not rules.in_arrears(march, dt.date(2025, 3, 31))
    assert rules.in_arrears(march, dt.date(2025, 4, 1))


def test_trailing_unpaid_counts_back_from_last_month():
    today = dt.date(2025, 7, 10)
    unpaid = {dt.date(2025, m, 1) for m in (2, 4, 5, 6)}
    assert rules.trailing_unpaid(unpaid, today) == 3
    assert rules.trailing_unpaid(unpaid | {dt.date(2025, 7, 1)}, today) == 3  # the current month is not yet due
    assert rules.trailing_unpaid({dt.date(2025, 5, 1)}, today) == 0


def test_month_arithmetic_across_years():
    assert dates.add_months(dt.date(2024, 11, 1), 3) == dt.date(2025, 2, 1)
    assert dates.add_months(dt.date(2025, 1, 1), -1) == dt.date(2024, 12, 1)
    assert dates.month_starts(dt.date(2024, 12, 15), dt.date(2025, 2, 1)) == [
        dt.date(2024, 12, 1), dt.date(2025, 1, 1), dt.date(2025, 2, 1)]

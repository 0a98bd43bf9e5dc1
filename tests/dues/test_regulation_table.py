"""Dues rates at every bracket edge of the 2008 rules' own table (tests/regulations.py)."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from dangjian.dues import rules
from tests import regulations as reg

FEN = Decimal("0.01")


def edges(table):
    """(base, rate): each bracket's upper bound (inclusive) and one fen above it, plus a fen and a large base."""
    out, previous = [(Decimal("0.01"), table[0][1])], None
    for bound, rate in table:
        if previous is not None:
            out.append((previous + FEN, rate))
        if bound is not None:
            out.append((bound, rate))
        previous = bound
    out.append((Decimal("123456.78"), table[-1][1]))
    return out


@pytest.mark.parametrize(("base", "rate"), edges(reg.DUES_EMPLOYED), ids=str)
def test_employed_members_pay_the_regulations_rate(db, base, rate):
    got = rules.assess(rules_config(), employment="employed", base=base)
    assert got.rate == rate
    assert got.amount == (base * rate / 100).quantize(FEN, rounding=ROUND_HALF_UP)


@pytest.mark.parametrize(("base", "rate"), edges(reg.DUES_RETIRED), ids=str)
def test_retired_members_pay_the_regulations_rate(db, base, rate):
    assert rules.assess(rules_config(), employment="retired", base=base).rate == rate


def test_fixed_amounts_lie_within_the_regulations_range(db):
    config = rules_config()
    assert (config.fixed_min, config.fixed_max) == (reg.DUES_FIXED_MIN, reg.DUES_FIXED_MAX)
    assert reg.DUES_FIXED_MIN <= config.fixed_default <= reg.DUES_FIXED_MAX


def rules_config():
    from dangjian.dues.services import dues_rules

    return dues_rules()

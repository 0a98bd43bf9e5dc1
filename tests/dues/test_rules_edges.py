"""The dues lapse rule and an assessment at their edges (mutation testing, docs/testing.md), without a database.

党章第九条 (tests/regulations.py LAPSE_MONTHS): six consecutive months without dues, without good
reason, and the member is regarded as having left the Party. Months counted back from last month,
worked by hand.
"""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from dangjian.dues.rules import Assessed, lapsed, trailing_unpaid
from tests import regulations as reg

D = dt.date


@pytest.mark.parametrize("streak", range(0, 13))
def test_lapsed_from_six_consecutive_unpaid_months(streak):
    assert lapsed(streak) is (streak >= reg.LAPSE_MONTHS)


def test_trailing_unpaid_months_counted_back_from_last_month():
    today = D(2025, 2, 10)  # last month is January 2025
    assert trailing_unpaid(set(), today) == 0
    assert trailing_unpaid({D(2025, 2, 1)}, today) == 0  # the current month has not ended
    assert trailing_unpaid({D(2025, 1, 1)}, today) == 1
    # January 2025 back to September 2024: five months, across the year end.
    run = {D(2025, 1, 1), D(2024, 12, 1), D(2024, 11, 1), D(2024, 10, 1), D(2024, 9, 1)}
    assert trailing_unpaid(run, today) == 5
    # A paid month (July 2024) ends the run; earlier unpaid months do not count.
    assert trailing_unpaid(run | {D(2024, 8, 1), D(2024, 6, 1), D(2024, 5, 1)}, today) == 6
    assert trailing_unpaid(run - {D(2025, 1, 1)}, today) == 0


def test_an_assessment_cannot_be_changed_afterwards():
    # 3,000 yuan at 0.5 % (2008 党费规定 一(二)): 15.00 a month.
    assessed = Assessed(Decimal("3000"), Decimal("0.5"), Decimal("15.00"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        assessed.amount = Decimal("0")


def test_the_defaults_the_settings_page_shows_are_a_fresh_installations():
    """Each default beside a field of the dues settings page is the value a fresh installation starts with
    (the brackets themselves are checked against the 2008 rules in test_regulation_table.py)."""
    from dangjian.dues.models import DuesRules
    from dangjian.dues.rules import DEFAULTS

    assert all(DuesRules._meta.get_field(name).default == value for name, value in DEFAULTS.items())

"""Issue 15: the roster's joining and full-membership dates as the regulations give them.

Fixtures from tests/regulations.py (党章第一条、第七条; 细则第五条、第三章、第三十二条), never from orgs.rules.
"""

import datetime as dt

import pytest

from dangjian.orgs.rules import member_consistency_errors
from tests import regulations as reg

BIRTH = dt.date(2000, 3, 15)



def months_after(day: dt.date, n: int) -> dt.date:
    """Typed here on purpose (not core.dates): the same day n months later, clipped to the month."""
    import calendar

    y, m = divmod(day.month - 1 + n, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def errors(**kw):
    from dangjian.orgs.idnumber import make_id_number

    number = make_id_number(area="110105", birth_date=BIRTH, sequence=1, gender="M")
    return member_consistency_errors(id_number=number, birth_date=BIRTH, gender="M", today=dt.date(2026, 12, 7), **kw)


def test_nobody_joins_before_nineteen():
    first = dt.date(BIRTH.year + reg.JOIN_MIN_AGE_YEARS, BIRTH.month, BIRTH.day)
    assert "joined_on" in errors(joined_on=first - dt.timedelta(days=1))
    assert "joined_on" not in errors(joined_on=first)
    assert "joined_on" in errors(joined_on=dt.date(BIRTH.year + 18, 3, 15))  # the old rule's 18


@pytest.mark.parametrize("offset_days", [-1, 0, 1])
def test_full_membership_follows_the_probation_and_its_extension(offset_days):
    joined = dt.date(2020, 1, 10)
    for months in range(0, 30):
        full_on = months_after(joined, months) + dt.timedelta(days=offset_days)
        lawful = offset_days == 0 and months in reg.FULL_MEMBER_MONTHS
        got = errors(joined_on=joined, full_member_on=full_on, category="full")
        assert ("full_member_on" not in got) == lawful, (months, offset_days, got)

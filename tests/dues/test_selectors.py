"""Arrears by member and month; warnings at 3 and 5 consecutive months."""

import datetime as dt

from dangjian.dues import selectors
from tests.dues.conftest import make_due, make_payment, months_ago

TODAY = dt.date(2025, 6, 15)


def _owe(member, n_months, today=TODAY):
    for n in range(1, n_months + 1):
        make_due(member, months_ago(today, n))


def test_two_months_no_warning_three_months_warn(secretary_a, member_a):
    _owe(member_a, 2)
    make_due(member_a, TODAY)  # the current month is not in arrears yet
    [row] = selectors.arrears(secretary_a, today=TODAY)
    assert (row.streak, row.level, len(row.months)) == (2, "", 2)
    make_due(member_a, months_ago(TODAY, 3))
    [row] = selectors.arrears(secretary_a, today=TODAY)
    assert (row.streak, row.level) == (3, "warn")
    assert selectors.arrears_warnings(secretary_a, today=TODAY) == [row]


def test_four_months_warn_five_months_alarm(secretary_a, member_a):
    _owe(member_a, 4)
    assert selectors.arrears(secretary_a, today=TODAY)[0].level == "warn"
    make_due(member_a, months_ago(TODAY, 5))
    assert selectors.arrears(secretary_a, today=TODAY)[0].level == "bad"


def test_the_day_a_month_ends_it_is_not_yet_counted(secretary_a, member_a):
    for n in range(3):
        make_due(member_a, dt.date(2025, 3 + n, 1))  # March, April, May
    assert selectors.arrears(secretary_a, today=dt.date(2025, 5, 31))[0].streak == 2
    assert selectors.arrears(secretary_a, today=dt.date(2025, 6, 1))[0].streak == 3


def test_a_paid_month_breaks_the_streak(secretary_a, member_a):
    _owe(member_a, 5)
    make_payment(member_a.dues.get(month=months_ago(TODAY, 3)))
    [row] = selectors.arrears(secretary_a, today=TODAY)
    assert (row.streak, len(row.months), row.level) == (2, 4, "")


def test_arrears_are_scoped(secretary_b, member_a):
    _owe(member_a, 5)
    assert selectors.arrears(secretary_b, today=TODAY) == []


def test_totals_and_remittance_by_org(tree, officer, member_a, member_b):
    from decimal import Decimal

    from dangjian.dues.models import Remittance

    make_payment(make_due(member_a, dt.date(2025, 3, 1), amount="30.00"))
    make_due(member_a, dt.date(2025, 4, 1), amount="30.00")
    make_payment(make_due(member_b, dt.date(2025, 3, 1), amount="5.00"))
    Remittance.objects.create(org=tree["branch_a"], month=dt.date(2025, 3, 1), amount=Decimal("30.00"),
                              remitted_on=dt.date(2025, 4, 2))
    totals = {t.org.name: t for t in selectors.org_totals(officer, first=dt.date(2025, 1, 1),
                                                          last=dt.date(2025, 12, 1))}
    a = totals["和平社区第一党支部"]
    assert (a.due_count, a.paid_count, a.due_total, a.collected, a.outstanding, a.remitted, a.unremitted) == (
        2, 1, Decimal("60.00"), Decimal("30.00"), Decimal("30.00"), Decimal("30.00"), Decimal("0.00"))
    assert totals["和平社区第二党支部"].unremitted == Decimal("5.00")

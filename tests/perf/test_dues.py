"""Dues: the to-do keeps a fixed number of queries and lines; arrears warnings chosen in SQL match the full rule."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.dues.selectors import arrears, arrears_warnings
from dangjian.dues.services import dues_rules
from dangjian.dues.todo import MAX_ITEMS
from dangjian.dues.todo import todo_items as dues_todo
from tests.dues.conftest import make_due, make_payment, months_ago
from tests.perf.conftest import branches


def _in_arrears(orgs, months: int):
    today = timezone.localdate()
    for org in orgs:
        for member in org.members.all():
            for n in range(1, months + 1):
                make_due(member, months_ago(today, n))


@pytest.mark.parametrize("factor", [1, 3])
def test_dues_todo_queries_and_lines_do_not_grow(factor, tree, officer, django_assert_max_num_queries):
    _in_arrears(branches(tree["community"], 4 * factor, members=2), 4)
    # Counts per org, the shown orgs' exact streaks, the ledger reminders: 9 at 4 branches, 10 at 12; the
    # reductions waiting for the superior's decision add one.
    with django_assert_max_num_queries(11):
        items = dues_todo(officer)
    arrears_lines = [i for i in items if "欠缴" in i.title]
    assert len(arrears_lines) == min(4 * factor, MAX_ITEMS) + (4 * factor > MAX_ITEMS)
    if factor == 3:
        assert "另有 4 个组织共 8 名党员连续欠缴党费" in arrears_lines[-1].title


def test_warnings_in_sql_match_the_rule_at_its_boundary(tree, officer):
    config = dues_rules()
    today = timezone.localdate()
    org, = branches(tree["community"], 1, members=4)
    exact, short, gap, paid_last = org.members.order_by("pk")
    for n in range(1, config.warn_months + 1):
        make_due(exact, months_ago(today, n))  # exactly warn_months in a row: warned
    for n in range(1, config.warn_months):
        make_due(short, months_ago(today, n))  # one month short: not warned
    for n in (1, 2, 4, 5, 6):
        make_due(gap, months_ago(today, n))  # a hole at month 3 breaks the streak
    for n in range(1, config.warn_months + 2):
        due = make_due(paid_last, months_ago(today, n))
        if n == 1:
            make_payment(due)  # last month paid: no streak however long the arrears before
    warned = {a.member.pk for a in arrears_warnings(officer, today=today)}
    assert warned == {a.member.pk for a in arrears(officer, today=today) if a.level} == {exact.pk}


def test_arrears_page_is_paginated(tree, as_officer):
    _in_arrears(branches(tree["community"], 35, members=3), 1)  # 105 members
    assert "1 / 2" in as_officer.get(reverse("dues:arrears")).content.decode()
    assert "2 / 2" in as_officer.get(reverse("dues:arrears") + "?page=2").content.decode()

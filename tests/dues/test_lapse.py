"""Issue 15: six consecutive months without dues put the member before the branch meeting (党章第九条)."""

import datetime as dt

from django.utils import timezone

from dangjian.dues.todo import todo_items
from tests import regulations as reg
from tests.dues.conftest import make_due, months_ago
from tests.factories import MemberFactory


def lapse_items(user):
    return [i for i in todo_items(user) if "连续六个月" in i.title]


def test_the_sixth_unpaid_month_asks_the_branch_meeting_to_decide(tree, secretary_a, config):
    today = timezone.localdate()
    member = MemberFactory(org=tree["branch_a"], joined_on=dt.date(2010, 7, 1), full_member_on=dt.date(2011, 7, 1))
    for n in range(1, reg.LAPSE_MONTHS):  # months 1..5 back: five unpaid months
        make_due(member, months_ago(today, n))
    assert lapse_items(secretary_a) == []
    make_due(member, months_ago(today, reg.LAPSE_MONTHS))
    items = lapse_items(secretary_a)
    assert len(items) == 1 and items[0].severity == "bad" and tree["branch_a"].name in items[0].title

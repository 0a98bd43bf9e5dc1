"""Recruitment and appeals to-dos: a fixed number of queries, and at most MAX items plus one summary line."""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.appeals.todo import todo_items as appeal_todo
from dangjian.recruitment import services as recruitment
from dangjian.recruitment.todo import MAX_ITEMS
from dangjian.recruitment.todo import todo_items as recruitment_todo
from tests.appeals.helpers import submit
from tests.recruitment.conftest import applicant_data


@pytest.mark.parametrize("n", [4, 12])
def test_recruitment_todo_is_capped_with_flat_queries(n, tree, secretary_a, django_assert_max_num_queries):
    today = timezone.localdate()
    for i in range(n):
        # Applied 40 days ago: the talk (within one month) is overdue for every case.
        recruitment.applicant_create(by=secretary_a, data=applicant_data(
            tree["branch_a"], applied_on=today - dt.timedelta(days=40), name=f"申请人{i}"))
    with django_assert_max_num_queries(6):
        items = recruitment_todo(secretary_a)
    assert len(items) == min(n, MAX_ITEMS) + (n > MAX_ITEMS)
    if n > MAX_ITEMS:
        assert items[-1].title == f"另有 {n - MAX_ITEMS} 项发展党员提醒" and items[-1].severity == "bad"


@pytest.mark.parametrize("n", [4, 12])
def test_appeal_todo_is_capped_with_flat_queries(n, tree, officer, django_assert_max_num_queries):
    for i in range(n):
        submit(tree["community"], address=f"和平里{i}号")
    with django_assert_max_num_queries(4):
        items = appeal_todo(officer)
    assert len(items) == min(n, 8) + (n > 8)

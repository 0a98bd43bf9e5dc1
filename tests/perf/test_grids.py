"""Grids: the service-plan to-do counts every plan's shortfall in a fixed number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.grids.models import PlanKind, ServicePlan, Visit
from dangjian.grids.selectors import plan_progress, plan_shortfalls
from dangjian.grids.todo import MAX_ITEMS
from dangjian.grids.todo import todo_items as grid_todo
from dangjian.orgs.models import Tag
from tests.perf.conftest import branches


def _plans(tree, n: int) -> list[ServicePlan]:
    today = timezone.localdate()
    tag, _ = Tag.objects.get_or_create(name="老党员")
    plans = []
    for org in branches(tree["community"], n, members=3, prefix=f"计划支部{ServicePlan.objects.count()}-"):
        first, *_rest = members = list(org.members.all())
        for m in members:
            m.tags.add(tag)
        plan = ServicePlan.objects.create(org=org, kind=PlanKind.ELDERLY_VISIT, starts_on=today - dt.timedelta(days=60),
                                          ends_on=today + dt.timedelta(days=5), visits_per_member=1)
        Visit.objects.create(kind="member", org=org, member=first, plan=plan, visited_on=today, summary="走访")
        plans.append(plan)
    return plans


@pytest.mark.parametrize("n", [3, 9])
def test_grid_todo_queries_do_not_grow(n, tree, officer, django_assert_max_num_queries):
    _plans(tree, n)
    with django_assert_max_num_queries(6):
        items = grid_todo(officer)
    assert len(items) == min(n, MAX_ITEMS) + (n > MAX_ITEMS)


def test_shortfalls_match_each_plans_progress(tree):
    plans = _plans(tree, 3)
    ServicePlan.objects.filter(pk=plans[2].pk).update(ends_on=timezone.localdate() + dt.timedelta(days=15))
    got = dict(plan_shortfalls(ServicePlan.objects.all(), today=timezone.localdate()))
    # Two visits missing per plan ending within 14 days; the plan ending in 15 days is not listed yet.
    assert got == {p: sum(1 for r in plan_progress(p) if not r.complete) for p in plans[:2]} == {plans[0]: 2, plans[1]: 2}

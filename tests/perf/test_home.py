"""The home page: grouped by area with counts, a fixed number of queries however much data there is."""

import pytest
from django.urls import reverse

from dangjian.core.home import home_of
from dangjian.core.todo import TodoGroup, TodoItem, group_by_actor, todo_groups
from tests.perf.test_dues import _in_arrears


def test_groups_put_areas_with_urgent_items_first():
    calm = TodoGroup("党费", [TodoItem("a", "/a", "info"), TodoItem("b", "/b", "info")])
    urgent = TodoGroup("三会一课", [TodoItem("c", "/c", "warn"), TodoItem("d", "/d", "bad")])
    assert sorted([calm, urgent], key=lambda g: g.rank) == [urgent, calm]
    assert (urgent.bad, urgent.warn, urgent.info) == (1, 1, 0)


@pytest.mark.parametrize("factor", [1, 3])
def test_home_queries_do_not_grow(factor, scaled, tree, as_officer, django_assert_max_num_queries):
    orgs = scaled(factor)
    _in_arrears(orgs, 5)
    # 45 queries at 4 branches, 47 at 12 (two summary lines each add a count), never one per record.
    # The home's own panels add one (the officer's open project tasks, counted); the departments' summonses and
    # the transfer letters' deadlines one each (a to-do provider each); still none per record. The weak-and-lax
    # plans, the secretaries' lectures and talks and the dues reductions add a to-do provider each (58 at 4
    # branches, 60 at 12). The meetings to-do's unqualified follow-ups and lapsed members add eleven, grouped
    # (69 at 4 branches, 71 at 12); the removals waiting for the superior's approval one more (70, 72).
    with django_assert_max_num_queries(72):
        page = as_officer.get(reverse("home"))
    text = page.content.decode()
    assert page.status_code == 200 and "项紧急" in text and "党费" in text


def test_home_shows_each_area_once_with_its_items(scaled, tree, officer, as_officer):
    _in_arrears(scaled(3), 5)
    groups = todo_groups(officer)
    areas = [g.area for g in groups]
    assert len(areas) == len(set(areas)) and "党费" in areas
    # The branches' work is the branch secretaries' (core.todo actor): one card for them, each area once in it.
    own, others = group_by_actor([i for g in groups for i in g.items], home_of(officer).acts_as)
    text = as_officer.get(reverse("home")).content.decode()
    assert text.count('class="card todo-group') == len({i.area for i in own}) + len(others)
    assert all(text.count(f'<summary><strong>{g.area}</strong>') == 1 for a in others for g in a.groups)
    assert all(i.title in text for g in groups for i in g.items if "&" not in i.title and "<" not in i.title)


def test_home_for_anonymous_redirects_to_login(as_anonymous):
    assert as_anonymous.get(reverse("home")).status_code == 302


def _member_records(member, user, n):
    """n more of everything the member's home shows: meetings attended, dues (half paid), study, sign-ups,
    linked households and visits, project tasks."""
    import datetime as dt
    import itertools
    from decimal import Decimal

    from django.utils import timezone

    from dangjian.grids.models import Grid, Household, HouseholdLink, Visit
    from dangjian.learning.models import StudyRecord
    from dangjian.projects.models import Project, Task
    from dangjian.volunteering.models import Activity, SignUp
    from tests.dues.conftest import make_due, make_payment
    from tests.perf.conftest import at, held

    today = timezone.localdate()
    seq = _member_records.seq = getattr(_member_records, "seq", itertools.count(1))
    project = Project.objects.create(org=member.org, title=f"项目{next(seq)}", aim="目标", starts_on=today,
                                     ends_on=today + dt.timedelta(days=90), budget=Decimal("1000"))
    for _ in range(n):
        i = next(seq)
        held(member.org, today - dt.timedelta(days=i), [member])
        due = make_due(member, dt.date(2000 + i, 1, 1))
        if i % 2:
            make_payment(due)
        StudyRecord.objects.create(member=member, org=member.org, mode="online", studied_on=today, minutes=30,
                                   note=f"自学{i}")
        activity = Activity.objects.create(org=member.org, title=f"志愿活动{i}", starts_at=at(today + dt.timedelta(days=3)),
                                           ends_at=at(today + dt.timedelta(days=3), 17))
        SignUp.objects.create(activity=activity, member=member, hours=Decimal("2"))
        grid = Grid.objects.create(org=member.org.get_parent(), name=f"网格{i}", code=f"H{i:04d}", keywords=f"楼{i}")
        household = Household.objects.create(grid=grid, address=f"楼{i}号101", head_name="王秀英", size=2)
        HouseholdLink.objects.create(member=member, household=household, since=today)
        Visit.objects.create(kind="household", org=grid.org, grid=grid, household=household, visitor=member,
                             visited_on=today, summary=f"走访{i}")
        Task.objects.create(project=project, title=f"任务{i}", owner=user, due_on=today)


def test_member_home_queries_do_not_grow(tree, member_a, member_user, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import client_for

    client = client_for(member_user)
    counts = []
    for n in (3, 9):
        _member_records(member_a, member_user, n)
        client.get(reverse("home"))  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("home"))
        counts.append(len(ctx))
        text = page.content.decode()
        assert page.status_code == 200 and "我的会议" in text and "我的党费" in text and "我联系的住户" in text
    assert counts[0] == counts[1], counts

"""The home page: grouped by area with counts, a fixed number of queries however much data there is."""

import pytest
from django.urls import reverse

from dangjian.core.todo import TodoGroup, TodoItem, todo_groups
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
    with django_assert_max_num_queries(50):
        page = as_officer.get(reverse("home"))
    text = page.content.decode()
    assert page.status_code == 200 and "项紧急" in text and "党费" in text


def test_home_shows_each_area_once_with_its_items(scaled, tree, officer, as_officer):
    _in_arrears(scaled(3), 5)
    groups = todo_groups(officer)
    areas = [g.area for g in groups]
    assert len(areas) == len(set(areas)) and "党费" in areas
    text = as_officer.get(reverse("home")).content.decode()
    assert text.count('class="card todo-group"') == len(groups)
    assert all(i.title in text for g in groups for i in g.items if "&" not in i.title and "<" not in i.title)


def test_home_for_anonymous_redirects_to_login(as_anonymous):
    assert as_anonymous.get(reverse("home")).status_code == 302

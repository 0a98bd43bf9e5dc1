"""The one scoping selector at its edges (mutation testing, docs/testing.md).

Tree (tests/conftest.py): street > community > branch_a, branch_b; grid1 and grid2 in the
community (tests/grids/fixtures.py), the grid worker posted to grid1 only. What each grant
reaches is read off the tree by hand: a grant covers its node and everything below it, a
narrowed role (grid worker) covers no subtree, only the records of the grids it is posted to.
"""

import pytest
from django.db.models import Q
from django.http import Http404

from dangjian.accounts.roles import EDIT_ORGS, EDIT_WORK, VIEW_ROSTER, VIEW_WORK, Role
from dangjian.core import scoping
from dangjian.grids.models import Grid, Household
from dangjian.orgs.models import Member, Org
from tests.factories import UserFactory, grant
from tests.grids.fixtures import *  # noqa: F401,F403

GRID = {"grid": "grid"}


def user_with(name, *grants, **kw):
    user = UserFactory(username=name, **kw)
    for org, role in grants:
        grant(user, org, role)
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


def test_scope_paths_collapse_nested_grants_and_keep_siblings(tree):
    nested = user_with("nested", (tree["branch_a"], Role.SECRETARY), (tree["community"], Role.SECRETARY))
    assert scoping.scope_paths(nested, VIEW_ROSTER) == [tree["community"].path]
    siblings = user_with("siblings", (tree["branch_b"], Role.SECRETARY), (tree["branch_a"], Role.SECRETARY))
    assert scoping.scope_paths(siblings, VIEW_ROSTER) == sorted([tree["branch_a"].path, tree["branch_b"].path])
    assert scoping.scope_paths(siblings, EDIT_ORGS) == []


def test_the_superuser_reaches_everything_but_not_once_deactivated(tree, superuser):
    assert scoping.is_unrestricted(superuser)
    assert scoping.scope_paths(superuser, VIEW_ROSTER) is None
    assert set(scoping.visible_orgs(superuser, VIEW_ROSTER)) == set(tree.values())
    assert list(scoping.scope_roots(superuser, VIEW_ROSTER)) == [tree["street"]]
    assert scoping.org_in_scope(superuser, EDIT_ORGS, tree["branch_b"])
    assert scoping.has_capability(superuser, EDIT_ORGS) and scoping.has_any_capability(superuser)
    # Always true, and stays true OR-ed with a condition that matches nothing.
    q = scoping.scope_q(superuser, VIEW_ROSTER, path_field="path")
    nothing = Q(pk__in=[])
    for everything in (q, q | nothing, nothing | q):
        assert set(Org.objects.filter(everything)) == set(tree.values())
    gone = UserFactory(username="root_gone", is_superuser=True, is_active=False)
    assert not scoping.is_unrestricted(gone)
    assert scoping.scope_paths(gone, VIEW_ROSTER) == []


def test_a_deactivated_or_anonymous_user_reaches_nothing(tree, member_a):
    from django.contrib.auth.models import AnonymousUser

    gone = user_with("gone", (tree["street"], Role.ORG_OFFICER), is_active=False)
    for user in (gone, AnonymousUser()):
        assert scoping.scope_paths(user, VIEW_ROSTER) == []
        assert not scoping.scoped(Member.objects.all(), user, VIEW_ROSTER).exists()
        assert not scoping.has_capability(user, VIEW_ROSTER)
        assert not scoping.has_any_capability(user)
        assert not scoping.is_unrestricted(user)


def test_a_plain_member_holds_no_capability(tree, member_user):
    assert not scoping.has_any_capability(member_user)
    assert not scoping.has_capability(member_user, VIEW_WORK, through=("grid",))


def test_org_in_scope_is_the_grants_subtree(tree, secretary_a, officer):
    assert scoping.org_in_scope(secretary_a, VIEW_ROSTER, tree["branch_a"])
    assert not scoping.org_in_scope(secretary_a, VIEW_ROSTER, tree["branch_b"])
    assert not scoping.org_in_scope(secretary_a, VIEW_ROSTER, tree["community"])  # above the grant
    assert not scoping.org_in_scope(secretary_a, EDIT_ORGS, tree["branch_a"])     # a capability not held
    assert all(scoping.org_in_scope(officer, EDIT_ORGS, org) for org in tree.values())


def test_the_superior_holds_the_capability_over_the_parent(tree, officer, secretary_a, superuser):
    community_secretary = user_with("sec_c2", (tree["community"], Role.SECRETARY))
    assert scoping.is_superior(community_secretary, tree["branch_a"], VIEW_ROSTER)
    assert not scoping.is_superior(community_secretary, tree["community"], VIEW_ROSTER)  # its own node
    assert not scoping.is_superior(secretary_a, tree["branch_a"], VIEW_ROSTER)
    assert scoping.is_superior(officer, tree["community"], VIEW_ROSTER)
    assert scoping.is_superior(officer, tree["branch_b"], VIEW_ROSTER)
    assert not scoping.is_superior(officer, tree["street"], VIEW_ROSTER)  # the root has no superior
    assert not scoping.is_superior(superuser, tree["street"], VIEW_ROSTER)
    assert scoping.is_superior(superuser, tree["branch_a"], VIEW_ROSTER)


def test_a_grid_worker_reaches_only_the_grids_they_are_posted_to(tree, grid_worker, grid1, grid2, house1, house2):
    assert scoping.scope_paths(grid_worker, VIEW_WORK) == []
    assert scoping.narrowed_ids(grid_worker, VIEW_WORK, "grid") == [grid1.pk]
    assert scoping.narrowed_ids(grid_worker, VIEW_WORK, "department") == []
    assert scoping.narrowed_ids(grid_worker, VIEW_ROSTER, "grid") == []
    assert list(scoping.scoped(Household.objects.all(), grid_worker, VIEW_WORK, path_field="grid__org__path",
                               through=GRID)) == [house1]
    assert not scoping.scoped(Household.objects.all(), grid_worker, VIEW_WORK, path_field="grid__org__path").exists()
    assert list(scoping.scoped(Grid.objects.all(), grid_worker, EDIT_WORK, through={"grid": "pk"})) == [grid1]
    assert not scoping.org_in_scope(grid_worker, VIEW_WORK, tree["community"])  # the grant covers no subtree
    assert not scoping.has_capability(grid_worker, VIEW_WORK)
    assert scoping.has_capability(grid_worker, VIEW_WORK, through=("grid",))
    assert not scoping.has_capability(grid_worker, VIEW_WORK, through=("department",))
    assert not scoping.has_capability(grid_worker, VIEW_ROSTER, through=("grid",))
    assert scoping.has_any_capability(grid_worker)


def test_a_grid_worker_posted_to_two_grids_reaches_both(tree, grid_worker, grid1, grid2):
    from dangjian.grids.models import GridStaff

    GridStaff.objects.create(grid=grid2, user=grid_worker, role=GridStaff.Role.STAFF)
    assert scoping.narrowed_ids(grid_worker, VIEW_WORK, "grid") == sorted([grid1.pk, grid2.pk])


def test_a_grid_worker_and_a_secretary_grant_add_up(tree, grid_worker, grid1, house1, house2):
    grant(grid_worker, tree["branch_a"], Role.SECRETARY)
    grid_worker.refresh_from_db()
    if hasattr(grid_worker, "_scope_cache"):
        del grid_worker._scope_cache
    assert scoping.scope_paths(grid_worker, VIEW_WORK) == [tree["branch_a"].path]
    assert list(scoping.scoped(Household.objects.all(), grid_worker, VIEW_WORK, path_field="grid__org__path",
                               through=GRID)) == [house1]


def test_get_scoped_or_404(tree, secretary_a, member_a, member_b):
    assert scoping.get_scoped_or_404(Member.objects.all(), secretary_a, VIEW_ROSTER, pk=member_a.pk) == member_a
    with pytest.raises(Http404):
        scoping.get_scoped_or_404(Member.objects.all(), secretary_a, VIEW_ROSTER, pk=member_b.pk)
    with pytest.raises(Http404):
        scoping.get_scoped_or_404(Member.objects.all(), secretary_a, VIEW_ROSTER, pk="not-a-number")


def test_scope_roots_are_the_topmost_granted_nodes(tree, officer, secretary_a):
    assert list(scoping.scope_roots(officer, VIEW_ROSTER)) == [tree["street"]]
    both = user_with("both", (tree["branch_b"], Role.SECRETARY), (tree["branch_a"], Role.SECRETARY))
    assert list(scoping.scope_roots(both, VIEW_ROSTER)) == [tree["branch_a"], tree["branch_b"]]
    assert list(scoping.scope_roots(secretary_a, EDIT_ORGS)) == []


def test_a_grant_under_a_later_granted_subtree_adds_no_root(tree):
    from tests.factories import make_org

    group = make_org(parent=tree["branch_b"], kind="group", name="第一党小组", code="G0B1")
    user = user_with("three", (tree["branch_a"], Role.SECRETARY), (tree["branch_b"], Role.SECRETARY),
                     (group, Role.SECRETARY))
    assert scoping.scope_paths(user, VIEW_ROSTER) == [tree["branch_a"].path, tree["branch_b"].path]
    assert list(scoping.scope_roots(user, VIEW_ROSTER)) == [tree["branch_a"], tree["branch_b"]]

from dangjian.accounts import roles
from dangjian.core.scoping import org_in_scope, scoped, visible_orgs
from dangjian.orgs.models import Member


def test_grant_covers_subtree_only(tree, officer, secretary_a, secretary_b):
    assert set(visible_orgs(officer, roles.VIEW_ROSTER)) == set(tree.values())
    assert list(visible_orgs(secretary_a, roles.VIEW_ROSTER)) == [tree["branch_a"]]
    assert not org_in_scope(secretary_b, roles.VIEW_ROSTER, tree["branch_a"])


def test_member_role_sees_no_roster(tree, member_user, member_a):
    assert not scoped(Member.objects.all(), member_user, roles.VIEW_ROSTER).exists()


def test_nested_grants_collapse(tree, secretary_a):
    from dangjian.accounts.roles import Role
    from tests.factories import grant

    grant(secretary_a, tree["community"], Role.SECRETARY)
    assert set(visible_orgs(secretary_a, roles.VIEW_ROSTER)) == {tree["community"], tree["branch_a"], tree["branch_b"]}


def test_prefix_of_sibling_path_is_not_leaked(tree, secretary_a, member_a, member_b):
    qs = scoped(Member.objects.all(), secretary_a, roles.VIEW_ROSTER)
    assert list(qs) == [member_a]

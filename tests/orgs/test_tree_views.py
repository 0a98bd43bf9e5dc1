"""Org tree sidebar and org pages, through the paths a user takes."""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.orgs.models import Org
from tests.factories import MemberFactory, make_org
from tests.orgs.conftest import url

pytestmark = pytest.mark.django_db


def test_index_redirects_to_the_users_top_org(as_officer, as_secretary_a, tree):
    assert as_officer.get(url("org_index"))["Location"] == url("org_detail", tree["street"].pk)
    assert as_secretary_a.get(url("org_index"))["Location"] == url("org_detail", tree["branch_a"].pk)


def test_member_without_roster_role_sees_no_tree(as_member, tree):
    assert as_member.get(url("org_index")).status_code == 404
    assert as_member.get(url("org_detail", tree["branch_a"].pk)).status_code == 404
    assert as_member.get(url("member_list")).status_code == 404


def test_anonymous_is_sent_to_login(as_anonymous, tree):
    for target in (url("org_index"), url("org_detail", tree["branch_a"].pk),
                   url("tree_children", tree["street"].pk), url("org_edit", tree["branch_a"].pk)):
        response = as_anonymous.get(target)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_outsider_gets_404_on_branch_a(as_secretary_b, tree):
    a = tree["branch_a"].pk
    for target in (url("org_detail", a), url("tree_children", a), url("org_edit", a),
                   url("org_create", a), url("org_move", a), url("org_detail", tree["community"].pk)):
        assert as_secretary_b.get(target).status_code == 404, target


def test_org_page_opens_the_tree_down_to_the_current_org(as_officer, tree, member_a):
    response = as_officer.get(url("org_detail", tree["branch_a"].pk))
    assert response.status_code == 200
    html = response.content.decode()
    # Ancestors are rendered open, the current node is marked, the sibling is a leaf link.
    assert 'class="current"' in html and 'aria-current="page"' in html
    assert tree["community"].name in html and tree["branch_b"].name in html
    assert "和平社区第一党支部" in response.context["org"].name
    assert response.context["counts"] == {"subtree": 1, "own": 1}
    assert "张建国" in html
    assert "组织代码" in html and "在册党员" in html  # labels, translated


def test_secretary_tree_starts_at_their_branch(as_secretary_a, tree):
    response = as_secretary_a.get(url("org_detail", tree["branch_a"].pk))
    roots = response.context["tree"]
    assert [n.org.pk for n in roots] == [tree["branch_a"].pk]
    assert tree["branch_b"].name not in response.content.decode()


def test_lazy_children_fragment(as_officer, tree):
    response = as_officer.get(url("tree_children", tree["community"].pk), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert tree["branch_a"].name in html and tree["branch_b"].name in html
    assert "<html" not in html


def test_collapsed_nodes_load_children_lazily(as_officer, tree):
    html = as_officer.get(url("org_detail", tree["street"].pk)).content.decode()
    assert url("tree_children", tree["community"].pk) in html
    assert tree["branch_a"].name not in html.split("<main")[0]


def test_term_badges(as_officer, tree):
    today = timezone.localdate()
    org = tree["branch_a"]
    Org.objects.filter(pk=org.pk).update(term_start=today - dt.timedelta(days=3 * 365), term_end=today - dt.timedelta(days=1))
    assert "换届超期 1 天" in as_officer.get(url("org_detail", org.pk)).content.decode()
    Org.objects.filter(pk=org.pk).update(term_end=today + dt.timedelta(days=30))
    assert "30 天后任期届满" in as_officer.get(url("org_detail", org.pk)).content.decode()


def test_org_page_member_count_covers_subtree(as_officer, tree):
    MemberFactory(org=tree["branch_a"])
    MemberFactory(org=tree["branch_b"])
    MemberFactory(org=tree["branch_b"], status="deceased")
    response = as_officer.get(url("org_detail", tree["community"].pk))
    assert response.context["counts"] == {"subtree": 2, "own": 0}
    # The list shows the whole subtree, including members no longer on the roll.
    assert response.context["page"].paginator.count == 3


def test_org_create_under_parent(as_officer, officer, tree):
    response = as_officer.post(url("org_create", tree["community"].pk), {
        "name": "和平社区第三党支部", "code": "B003", "kind": "branch", "founded_on": "2020-01-01",
        "term_start": "2023-01-01", "term_end": "2026-01-01",
    })
    org = Org.objects.get(code="B003")
    assert response.status_code == 302
    assert Org.objects.get_parent(org).pk == tree["community"].pk
    assert org.path.startswith(tree["community"].path)


def test_org_create_duplicate_code_shows_error_and_writes_nothing(as_officer, tree):
    before = Org.objects.count()
    response = as_officer.post(url("org_create", tree["community"].pk), {
        "name": "重复", "code": "B001", "kind": "branch",
    })
    assert response.status_code == 200
    assert "组织代码 B001 已被使用" in response.content.decode()
    assert Org.objects.count() == before


def test_org_create_term_end_before_start_rejected(as_officer, tree):
    response = as_officer.post(url("org_create", tree["community"].pk), {
        "name": "新支部", "code": "B009", "kind": "branch", "term_start": "2024-01-01", "term_end": "2024-01-01",
    })
    assert "任期届满日期须晚于任期开始日期" in response.content.decode()
    assert not Org.objects.filter(code="B009").exists()


def test_secretary_cannot_create_orgs(as_secretary_a, tree):
    assert as_secretary_a.get(url("org_create", tree["branch_a"].pk)).status_code == 404
    assert as_secretary_a.get(url("org_edit", tree["branch_a"].pk)).status_code == 404


def test_org_edit_sets_secretary_and_term(as_officer, tree, member_a):
    org = tree["branch_a"]
    response = as_officer.post(url("org_edit", org.pk), {
        "name": org.name, "code": org.code, "kind": org.kind, "founded_on": "2001-07-01",
        "term_start": "2024-03-01", "term_end": "2027-03-01", "is_active": "on", "secretary": member_a.pk,
    })
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.secretary_id == member_a.pk and org.term_end == dt.date(2027, 3, 1)
    assert "张建国" in as_officer.get(url("org_detail", org.pk)).content.decode()


def test_org_edit_rejects_secretary_from_another_branch(as_officer, tree, member_b):
    org = tree["branch_a"]
    response = as_officer.post(url("org_edit", org.pk), {
        "name": org.name, "code": org.code, "kind": org.kind, "is_active": "on", "secretary": member_b.pk,
    })
    assert response.status_code == 200  # not a choice: the form refuses it
    org.refresh_from_db()
    assert org.secretary_id is None


def test_move_subtree_rewrites_descendant_paths(as_officer, tree):
    community2 = make_org(parent=tree["street"], name="幸福社区党委", kind="community", code="C002")
    group = make_org(parent=tree["branch_a"], name="第一党小组", kind="group", code="G001")
    member = MemberFactory(org=group)
    response = as_officer.post(url("org_move", tree["branch_a"].pk), {"parent": "C002"})
    assert response.status_code == 302
    branch_a = Org.objects.get(pk=tree["branch_a"].pk)
    group.refresh_from_db()
    community2.refresh_from_db()
    assert Org.objects.get_parent(branch_a).pk == community2.pk
    assert group.path.startswith(branch_a.path) and group.path.startswith(community2.path)
    assert branch_a.path.startswith(community2.path)
    member.refresh_from_db()
    assert Org.objects.filter(path__subtree=community2.path, members=member).exists()
    assert Org.objects.find_problems() == ([], [], [], [], [])


def test_move_into_own_subtree_is_refused(as_officer, tree):
    response = as_officer.post(url("org_move", tree["community"].pk), {"parent": "B001"})
    assert response.status_code == 200
    assert "不能把组织移动到它自己或其下级组织之下" in response.content.decode()
    assert Org.objects.get(pk=tree["community"].pk).path == tree["community"].path


def test_move_to_parent_outside_scope_is_refused(as_officer, tree):
    elsewhere = make_org(name="另一街道党工委", kind="street", code="S999")
    response = as_officer.post(url("org_move", tree["branch_a"].pk), {"parent": elsewhere.code})
    assert response.status_code == 200
    assert "S999" in response.content.decode()
    assert Org.objects.get(pk=tree["branch_a"].pk).path == tree["branch_a"].path


def test_secretary_cannot_move_orgs(as_secretary_a, tree):
    response = as_secretary_a.post(url("org_move", tree["branch_a"].pk), {"parent": "C001"})
    assert response.status_code == 404
    assert Org.objects.get(pk=tree["branch_a"].pk).path == tree["branch_a"].path

"""/api/orgs/: the tree as each persona may see it, and the writes that change it."""

import pytest

from dangjian.api.pagination import Page
from dangjian.audit.models import Action
from dangjian.orgs.models import Org, OrgKind
from tests.api.conftest import audit_entries
from tests.dbstate import unchanged
from tests.factories import make_org


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [o["name"] for o in response.json()["items"]]


def test_officer_sees_the_whole_street_in_tree_order(api_officer, tree):
    response = api_officer.get("/api/orgs/")
    assert names(response) == ["示范街道党工委", "和平社区党委", "和平社区第一党支部", "和平社区第二党支部"]
    assert response.json()["count"] == 4
    street, community = response.json()["items"][:2]
    assert street["parent_id"] is None and street["depth"] == 1
    assert community["parent_id"] == tree["street"].pk
    assert community["children_count"] == 2
    # The label comes from the orgs catalogue (社区党委 once it is translated).
    assert community["kind"] == "community" and community["kind_display"] == str(OrgKind.COMMUNITY_COMMITTEE.label)


def test_secretary_sees_only_her_branch(api_sec_a):
    response = api_sec_a.get("/api/orgs/")
    assert names(response) == ["和平社区第一党支部"]
    # Her branch is the top of her tree: the community above does not exist for her.
    assert response.json()["items"][0]["parent_id"] is None


def test_plain_member_sees_no_org(api_member):
    assert names(api_member.get("/api/orgs/")) == []


def test_filters_parent_kind_and_q(api_officer, tree):
    assert names(api_officer.get("/api/orgs/", {"parent": tree["community"].pk})) == [
        "和平社区第一党支部", "和平社区第二党支部"
    ]
    assert names(api_officer.get("/api/orgs/", {"kind": "community"})) == ["和平社区党委"]
    assert names(api_officer.get("/api/orgs/", {"q": "第二"})) == ["和平社区第二党支部"]
    assert names(api_officer.get("/api/orgs/", {"q": "b001"})) == ["和平社区第一党支部"]


def test_unknown_kind_filter_is_400(api_officer):
    response = api_officer.get("/api/orgs/", {"kind": "club"})
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]


def test_pagination(api_officer, tree):
    for i in range(5):
        make_org(parent=tree["branch_a"], name=f"党小组{i}", kind="group")
    page1 = api_officer.get("/api/orgs/", {"page_size": 4})
    page3 = api_officer.get("/api/orgs/", {"page_size": 4, "page": 3})
    assert page1.json()["count"] == 9
    assert len(page1.json()["items"]) == 4
    # Tree order: the groups come right after their branch A, branch B is last.
    assert names(page3) == ["和平社区第二党支部"]
    assert api_officer.get("/api/orgs/", {"page": 0}).status_code == 400
    assert api_officer.get("/api/orgs/", {"page_size": 0}).status_code == 400
    assert names(api_officer.get("/api/orgs/", {"page": 99})) == []


def test_page_size_defaults_to_50_and_is_capped_at_200():
    assert Page()._get_page_size(None) == 50
    assert Page()._get_page_size(200) == 200
    assert Page()._get_page_size(201) == 200


def test_detail_and_children(api_officer, tree):
    response = api_officer.get(f"/api/orgs/{tree['community'].pk}")
    assert response.status_code == 200
    assert response.json()["code"] == "C001"
    assert names(api_officer.get(f"/api/orgs/{tree['community'].pk}/children")) == [
        "和平社区第一党支部", "和平社区第二党支部"
    ]


@pytest.mark.parametrize("url", ["/api/orgs/{id}", "/api/orgs/{id}/children"])
def test_outsider_gets_404_like_a_missing_org(api_sec_b, tree, url):
    outsider = api_sec_b.get(url.format(id=tree["branch_a"].pk))
    missing = api_sec_b.get(url.format(id=999999))
    assert outsider.status_code == missing.status_code == 404
    assert outsider.json() == missing.json()


def test_outsider_filtering_by_a_foreign_parent_gets_404(api_sec_b, tree):
    assert api_sec_b.get("/api/orgs/", {"parent": tree["branch_a"].pk}).status_code == 404


def test_member_gets_404_on_own_branch(api_member, tree):
    assert api_member.get(f"/api/orgs/{tree['branch_a'].pk}").status_code == 404


# --- writes ---------------------------------------------------------------


def group_payload(parent, **extra):
    return {"parent_id": parent.pk, "name": "第一党小组", "code": "G001", "kind": "group", **extra}


def test_officer_creates_a_child_audited(api_officer, tree, officer):
    response = api_officer.post("/api/orgs/", group_payload(tree["branch_a"], term_start="2024-01-01",
                                                              term_end="2027-01-01"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["parent_id"] == tree["branch_a"].pk and body["depth"] == 4
    org = Org.objects.get(code="G001")
    assert Org.objects.get_parent(org) == tree["branch_a"]
    entry = audit_entries(Action.CREATE, target_type="orgs.Org", target_id=str(org.pk)).get()
    assert entry.actor == officer
    assert entry.changes["code"] == [None, "G001"]


def test_secretary_cannot_create_orgs_even_in_her_branch(api_sec_a, tree):
    # Secretaries keep the roster; changing the tree is the organisation officer's.
    with unchanged():
        assert api_sec_a.post("/api/orgs/", group_payload(tree["branch_a"])).status_code == 404
    assert not Org.objects.filter(code="G001").exists()


def test_outsider_cannot_create_under_a(api_sec_b, tree):
    with unchanged(tree["branch_a"]):
        assert api_sec_b.post("/api/orgs/", group_payload(tree["branch_a"])).status_code == 404


def test_root_only_for_superuser(api_officer):
    response = api_officer.post("/api/orgs/", {"parent_id": None, "name": "新区委", "code": "R9", "kind": "county"})
    assert response.status_code == 404
    assert not Org.objects.filter(code="R9").exists()


def test_duplicate_code_is_400_in_chinese(api_officer, tree):
    response = api_officer.post("/api/orgs/", group_payload(tree["branch_a"], code="B002"))
    assert response.status_code == 400
    assert "B002" in response.json()["errors"]["code"][0]
    assert "已被使用" in response.json()["detail"]


def test_term_end_must_follow_start(api_officer, tree):
    same_day = api_officer.post("/api/orgs/", group_payload(tree["branch_a"], term_start="2024-01-01",
                                                              term_end="2024-01-01"))
    assert same_day.status_code == 400
    assert "任期届满日期须晚于任期开始日期" in same_day.json()["detail"]
    next_day = api_officer.post("/api/orgs/", group_payload(tree["branch_a"], term_start="2024-01-01",
                                                              term_end="2024-01-02"))
    assert next_day.status_code == 201


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"name": ""}, "name", "不能为空"),
        ({"kind": "club"}, "kind", "取值无效"),
        ({"code": "有空格 的代码"}, "code", "格式不正确"),
        ({"founded_on": "2024-13-01"}, "founded_on", "日期格式"),
        ({"colour": "red"}, "colour", "不支持此字段"),
    ],
)
def test_bad_inputs_are_400_with_field_messages(api_officer, tree, payload, field, message):
    response = api_officer.post("/api/orgs/", group_payload(tree["branch_a"], **payload))
    assert response.status_code == 400
    assert message in response.json()["errors"][field][0]
    assert not Org.objects.filter(code="G001").exists()


def test_missing_fields_are_listed(api_officer):
    response = api_officer.post("/api/orgs/", {})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) >= {"parent_id", "name", "code", "kind"}
    assert errors["name"] == ["此项为必填项"]


def test_invalid_json_is_400(api_officer):
    response = api_officer.client.post(
        "/api/orgs/", "{not json", content_type="application/json", **api_officer.headers
    )
    assert response.status_code == 400


def test_patch_changes_only_what_is_sent(api_officer, tree, member_a):
    url = f"/api/orgs/{tree['branch_a'].pk}"
    response = api_officer.patch(url, {"term_start": "2023-06-01", "term_end": "2026-06-01",
                                       "secretary_id": member_a.pk})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["name"] == "和平社区第一党支部"
    assert body["secretary_name"] == "张建国" and body["term_end"] == "2026-06-01"
    assert audit_entries(Action.UPDATE, target_type="orgs.Org", target_id=str(tree["branch_a"].pk)).exists()


def test_patch_secretary_from_another_branch_is_refused(api_officer, tree, member_b):
    response = api_officer.patch(f"/api/orgs/{tree['branch_a'].pk}", {"secretary_id": member_b.pk})
    assert response.status_code == 400
    assert "secretary" in response.json()["errors"]


def test_outsider_cannot_patch(api_sec_b, tree):
    with unchanged():
        assert api_sec_b.patch(f"/api/orgs/{tree['branch_a'].pk}", {"name": "改名"}).status_code == 404
    tree["branch_a"].refresh_from_db()
    assert tree["branch_a"].name == "和平社区第一党支部"


def test_move_subtree_in_one_call_audited(api_officer, tree):
    group = make_org(parent=tree["branch_a"], name="党小组", kind="group")
    response = api_officer.post(f"/api/orgs/{tree['branch_a'].pk}/move", {"parent_id": tree["street"].pk})
    assert response.status_code == 200, response.json()
    assert response.json()["parent_id"] == tree["street"].pk
    group.refresh_from_db()
    assert Org.objects.get_parent(Org.objects.get_parent(group)) == tree["street"]
    assert audit_entries(Action.UPDATE, target_type="orgs.Org", target_id=str(tree["branch_a"].pk)).exists()


def test_move_under_own_descendant_is_400(api_officer, tree):
    response = api_officer.post(f"/api/orgs/{tree['community'].pk}/move", {"parent_id": tree["branch_a"].pk})
    assert response.status_code == 400
    assert "parent" in response.json()["errors"]
    tree["community"].refresh_from_db()
    assert Org.objects.get_parent(tree["community"]) == tree["street"]


def test_move_target_out_of_scope_is_404(api_officer, tree):
    elsewhere = make_org(name="另一街道", kind="street", code="S999")
    with unchanged(tree["branch_a"], elsewhere):
        response = api_officer.post(f"/api/orgs/{tree['branch_a'].pk}/move", {"parent_id": elsewhere.pk})
    assert response.status_code == 404


def test_outsider_cannot_move_a(api_sec_b, tree):
    with unchanged(tree["branch_a"], tree["branch_b"]):
        response = api_sec_b.post(f"/api/orgs/{tree['branch_a'].pk}/move", {"parent_id": tree["branch_b"].pk})
    assert response.status_code == 404


def test_org_list_query_count_does_not_grow_with_rows(api_officer, tree, member_a, django_assert_max_num_queries):
    for i in range(20):
        org = make_org(parent=tree["community"], name=f"支部{i}", kind="branch")
        org.secretary = member_a
        org.save()
    # token, scope grants, count, rows (parent and secretary joined in): not one per row.
    with django_assert_max_num_queries(6):
        assert api_officer.get("/api/orgs/").json()["count"] == 24

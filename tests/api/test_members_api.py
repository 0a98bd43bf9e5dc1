"""/api/members/: the roster through the API, scoped, masked, validated and audited."""

import datetime as dt
import json

import pytest

from dangjian.audit.models import Action
from dangjian.orgs.idnumber import make_id_number
from dangjian.orgs.models import Member, StatusChange
from tests.api.conftest import audit_entries
from tests.dbstate import unchanged
from tests.factories import MemberFactory

NEW_ID = make_id_number(area="110105", birth_date=dt.date(1985, 3, 2), sequence=777, gender="M")


def new_member(org, **extra):
    return {
        "org_id": org.pk, "name": "王立新", "gender": "M", "birth_date": "1985-03-02", "id_number": NEW_ID,
        "phone": "13912345678", "joined_on": "2010-07-01", "full_member_on": "2011-07-01",
        "education": "bachelor", **extra,
    }


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [m["name"] for m in response.json()["items"]]


# --- reads ---------------------------------------------------------------------


def test_scoped_list(api_officer, api_sec_a, api_sec_b, api_member, member_a, member_b):
    assert sorted(names(api_officer.get("/api/members/"))) == sorted(["张建国", "李红梅"])
    assert names(api_sec_a.get("/api/members/")) == ["张建国"]
    assert names(api_sec_b.get("/api/members/")) == ["李红梅"]
    assert names(api_member.get("/api/members/")) == []


def test_output_is_masked_and_never_plaintext(api_sec_a, member_a):
    response = api_sec_a.get(f"/api/members/{member_a.pk}")
    body = response.json()
    assert body["id_number_masked"] == member_a.id_number[:4] + "*" * 10 + member_a.id_number[-4:]
    assert body["phone_masked"] == member_a.phone[:3] + "****" + member_a.phone[-4:]
    assert "id_number" not in body and "phone" not in body
    assert response["Cache-Control"] == "no-store"
    raw = response.content.decode()
    assert member_a.id_number not in raw and member_a.phone not in raw
    assert body["org"] == {"id": member_a.org_id, "name": "和平社区第一党支部", "code": "B001"}


def test_filters(api_officer, tree, member_a, member_b, tags):
    member_b.tags.add(tags["老党员"])
    retired = MemberFactory(org=tree["branch_a"], name="赵老", status="deceased", category="full")
    assert names(api_officer.get("/api/members/", {"org": tree["branch_b"].pk})) == ["李红梅"]
    assert sorted(names(api_officer.get("/api/members/", {"org": tree["community"].pk}))) == sorted(
        ["张建国", "李红梅", "赵老"]
    )
    assert names(api_officer.get("/api/members/", {"status": "deceased"})) == [retired.name]
    assert names(api_officer.get("/api/members/", {"gender": "F"})) == ["李红梅"]
    assert names(api_officer.get("/api/members/", {"tag": "老党员"})) == ["李红梅"]
    assert names(api_officer.get("/api/members/", {"tag": "没有这个标签"})) == []
    assert names(api_officer.get("/api/members/", {"q": "建国"})) == ["张建国"]


def _search(client, body):
    return client.post("/api/members/search", body, content_type="application/json")


def test_exact_lookup_by_id_number_and_phone_through_the_blind_index(api_officer, member_a, member_b):
    # Lower-case x and spaces are normalised the way the index was built.
    assert names(_search(api_officer, {"id_number": member_b.id_number.lower()})) == ["李红梅"]
    assert names(_search(api_officer, {"phone": member_a.phone})) == ["张建国"]
    assert names(_search(api_officer, {"q": member_a.id_number})) == ["张建国"]
    # Exact only: a fragment of a number matches nothing.
    assert names(_search(api_officer, {"id_number": member_a.id_number[:10]})) == []


def test_identifiers_are_refused_in_urls(api_officer, member_a):
    """Issue 16 #10: an ID number in a query string would sit in every access log."""
    for params in ({"id_number": member_a.id_number}, {"phone": member_a.phone}, {"q": member_a.id_number}):
        r = api_officer.get("/api/members/", params)
        assert r.status_code == 400 and "POST /api/members/search" in r.content.decode()
        assert member_a.id_number not in r.content.decode()


def test_lookup_does_not_cross_scope(api_sec_b, member_a):
    assert names(_search(api_sec_b, {"id_number": member_a.id_number})) == []


def test_list_filtered_by_foreign_org_is_404(api_sec_b, tree):
    assert api_sec_b.get("/api/members/", {"org": tree["branch_a"].pk}).status_code == 404


def test_bad_filter_is_400(api_officer):
    response = api_officer.get("/api/members/", {"status": "retired"})
    assert response.status_code == 400
    assert "取值无效" in response.json()["errors"]["status"][0]


def test_list_query_count_does_not_grow_with_rows(api_officer, tree, tags, django_assert_max_num_queries):
    for _ in range(30):
        MemberFactory(org=tree["branch_a"]).tags.add(tags["流动党员"])
    # auth, scope, count, rows, tags prefetch: independent of the page size.
    with django_assert_max_num_queries(8):
        assert len(api_officer.get("/api/members/").json()["items"]) == 30


def test_history_lists_status_changes_and_transfers(api_sec_a, member_a, secretary_a, tree):
    api_sec_a.post(f"/api/members/{member_a.pk}/status", {"status": "lost_contact", "reason": "联系不上"})
    api_sec_a.post(f"/api/members/{member_a.pk}/transfers", {"kind": "out", "external_org_name": "外省某支部"})
    response = api_sec_a.get(f"/api/members/{member_a.pk}/history")
    assert response.status_code == 200
    body = response.json()
    assert [c["to_status"] for c in body["status_changes"]] == ["lost_contact"]
    assert body["status_changes"][0]["by"] == "一支部书记"
    # The transfer was refused (not on the roll): history shows none.
    assert body["transfers"] == []


# --- outsiders -------------------------------------------------------------------

OUTSIDER_CALLS = [
    ("get", "/api/members/{id}", None),
    ("get", "/api/members/{id}/history", None),
    ("patch", "/api/members/{id}", {"job": "教师"}),
    ("post", "/api/members/{id}/reveal", {"field": "id_number"}),
    ("post", "/api/members/{id}/status", {"status": "deceased", "reason": "x"}),
    ("post", "/api/members/{id}/transfers", {"kind": "out", "external_org_name": "外省"}),
]


@pytest.mark.parametrize(("method", "url", "body"), OUTSIDER_CALLS)
def test_outsider_gets_the_same_404_as_for_a_missing_member(api_sec_b, member_a, method, url, body):
    before = audit_entries().count()
    outsider = api_sec_b.call(method, url.format(id=member_a.pk), body)
    missing = api_sec_b.call(method, url.format(id=999999), body)
    assert outsider.status_code == missing.status_code == 404
    assert outsider.json() == missing.json() == {"detail": "未找到该记录"}
    assert audit_entries().count() == before
    member_a.refresh_from_db()
    assert member_a.status == "active" and member_a.job == ""


@pytest.mark.parametrize(("method", "url", "body"), OUTSIDER_CALLS)
def test_plain_member_gets_404_even_on_herself(api_member, member_a, method, url, body):
    with unchanged(member_a):
        assert api_member.call(method, url.format(id=member_a.pk), body).status_code == 404


def test_outsider_cannot_create_in_a(api_sec_b, tree):
    with unchanged():
        assert api_sec_b.post("/api/members/", new_member(tree["branch_a"])).status_code == 404
    assert not Member.objects.filter(name="王立新").exists()


# --- create --------------------------------------------------------------------------


def test_create_audited_without_plaintext(api_sec_a, tree, secretary_a, tags):
    response = api_sec_a.post("/api/members/", new_member(tree["branch_a"], tags=["流动党员"]))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id_number_masked"] == NEW_ID[:4] + "*" * 10 + NEW_ID[-4:]
    assert body["tags"] == ["流动党员"]
    member = Member.objects.get(pk=body["id"])
    assert member.id_number == NEW_ID and member.org == tree["branch_a"]
    entry = audit_entries(Action.CREATE, target_type="orgs.Member", target_id=str(member.pk)).get()
    assert entry.actor == secretary_a
    assert NEW_ID not in json.dumps(entry.changes, ensure_ascii=False)
    assert "13912345678" not in json.dumps(entry.changes, ensure_ascii=False)


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"id_number": NEW_ID[:17] + ("0" if NEW_ID[17] != "0" else "1")}, "id_number", "校验位"),
        ({"id_number": "1101051985"}, "id_number", "18位"),
        ({"birth_date": "1985-03-03"}, "birth_date", "不一致"),
        ({"gender": "F"}, "gender", "不一致"),
        ({"joined_on": "2004-03-01", "full_member_on": "2005-03-01"}, "joined_on", "不满19周岁"),
        ({"full_member_on": "2011-08-01"}, "full_member_on", "预备期满"),
        ({"full_member_on": "2009-07-01"}, "full_member_on", "不能早于入党日期"),
        ({"phone": "abc"}, "phone", "格式不正确"),
        ({"gender": "男"}, "gender", "取值无效"),
        ({"birth_date": "02/03/1985"}, "birth_date", "日期格式"),
        ({"tags": ["没有这个标签"]}, "tags", "未知标签"),
        ({"name": ""}, "name", "不能为空"),
    ],
)
def test_bad_inputs_are_400_and_write_nothing(api_sec_a, tree, extra, field, message):
    before = audit_entries().count()
    response = api_sec_a.post("/api/members/", new_member(tree["branch_a"], **extra))
    assert response.status_code == 400, response.json()
    body = response.json()
    assert any(message in m for m in body["errors"][field]), body
    assert body["detail"]
    assert not Member.objects.filter(name="王立新").exists()
    assert audit_entries().count() == before


def test_joined_on_nineteenth_birthday_is_accepted(api_sec_a, tree):
    response = api_sec_a.post("/api/members/", new_member(tree["branch_a"], joined_on="2004-03-02",
                                                          full_member_on="2005-03-02"))
    assert response.status_code == 201, response.json()


def test_joined_the_day_before_eighteenth_birthday_is_refused(api_sec_a, tree):
    response = api_sec_a.post("/api/members/", new_member(tree["branch_a"], joined_on="2003-03-01"))
    assert response.status_code == 400
    assert "joined_on" in response.json()["errors"]


def test_member_goes_into_a_branch_only(api_officer, tree):
    response = api_officer.post("/api/members/", new_member(tree["community"]))
    assert response.status_code == 400
    assert "党支部" in response.json()["errors"]["org_id"][0]
    assert not Member.objects.filter(name="王立新").exists()


def test_duplicate_id_number_is_400_even_across_scopes(api_sec_a, tree, member_b):
    dup = new_member(tree["branch_a"], id_number=member_b.id_number, birth_date=str(member_b.birth_date),
                     gender=member_b.gender)
    response = api_sec_a.post("/api/members/", dup)
    assert response.status_code == 400
    assert "已在系统中登记" in response.json()["errors"]["id_number"][0]


def test_missing_fields_listed_together(api_sec_a, tree):
    response = api_sec_a.post("/api/members/", {"org_id": tree["branch_a"].pk})
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"name", "gender", "birth_date", "id_number", "joined_on"}


def test_reviewer_may_read_but_not_write(api_reviewer_a, tree, member_a):
    assert api_reviewer_a.get(f"/api/members/{member_a.pk}").status_code == 200
    with unchanged(member_a):
        assert api_reviewer_a.post("/api/members/", new_member(tree["branch_a"])).status_code == 404
        with unchanged():
            assert api_reviewer_a.patch(f"/api/members/{member_a.pk}", {"job": "x"}).status_code == 404


# --- update ------------------------------------------------------------------------------


def test_patch_changes_only_what_is_sent_audited(api_sec_a, member_a, tags):
    response = api_sec_a.patch(f"/api/members/{member_a.pk}", {"job": "社区医生", "tags": ["老党员"]})
    assert response.status_code == 200, response.json()
    assert response.json()["job"] == "社区医生" and response.json()["tags"] == ["老党员"]
    member_a.refresh_from_db()
    assert member_a.name == "张建国" and member_a.job == "社区医生"
    entry = audit_entries(Action.UPDATE, target_id=str(member_a.pk)).get()
    assert entry.changes["job"] == ["", "社区医生"]
    assert entry.changes["tags"] == [[], ["老党员"]]


def test_patch_rejects_org_and_status(api_sec_a, member_a, tree):
    response = api_sec_a.patch(f"/api/members/{member_a.pk}", {"org_id": tree["branch_b"].pk, "status": "deceased"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"org_id", "status"}


def test_patch_to_inconsistent_birth_date_is_400(api_sec_a, member_a):
    response = api_sec_a.patch(f"/api/members/{member_a.pk}", {"birth_date": "1980-05-18"})
    assert response.status_code == 400
    assert "birth_date" in response.json()["errors"]
    member_a.refresh_from_db()
    assert member_a.birth_date == dt.date(1980, 5, 17)


def test_patch_null_for_required_field_is_400(api_sec_a, member_a):
    assert api_sec_a.patch(f"/api/members/{member_a.pk}", {"name": None}).status_code == 400


def test_patch_changing_id_number_audits_redacted(api_sec_a, member_a):
    other = make_id_number(area="440524", birth_date=member_a.birth_date, sequence=5, gender="M")
    response = api_sec_a.patch(f"/api/members/{member_a.pk}", {"id_number": other})
    assert response.status_code == 200
    assert response.json()["id_number_masked"].startswith("4405")
    entry = audit_entries(Action.UPDATE, target_id=str(member_a.pk)).get()
    assert entry.changes["id_number"] == ["••••", "••••"]


# --- reveal -------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["id_number", "phone"])
def test_reveal_returns_the_value_and_is_audited(api_sec_a, secretary_a, member_a, field):
    response = api_sec_a.post(f"/api/members/{member_a.pk}/reveal", {"field": field})
    assert response.status_code == 200
    assert response.json() == {"field": field, "value": getattr(member_a, field)}
    assert response["Cache-Control"] == "no-store"
    entry = audit_entries(Action.REVEAL, target_id=str(member_a.pk)).get()
    assert entry.actor == secretary_a and entry.changes == {"field": field}


def test_reveal_needs_the_reveal_capability(api_reviewer_a, member_a):
    response = api_reviewer_a.post(f"/api/members/{member_a.pk}/reveal", {"field": "id_number"})
    assert response.status_code == 404
    assert not audit_entries(Action.REVEAL).exists()


def test_reveal_of_another_field_is_400(api_sec_a, member_a):
    response = api_sec_a.post(f"/api/members/{member_a.pk}/reveal", {"field": "address"})
    assert response.status_code == 400
    assert not audit_entries(Action.REVEAL).exists()


# --- status ------------------------------------------------------------------------------


def test_status_change_recorded_and_audited(api_sec_a, member_a):
    response = api_sec_a.post(
        f"/api/members/{member_a.pk}/status", {"status": "lost_contact", "reason": "半年未联系", "on": "2025-01-31"}
    )
    assert response.status_code == 200
    change = StatusChange.objects.get(member=member_a, to_status="lost_contact")
    assert change.changed_on == dt.date(2025, 1, 31) and change.reason == "半年未联系"
    assert audit_entries(Action.TRANSITION, target_id=str(member_a.pk)).exists()


def test_status_change_needs_a_reason(api_sec_a, member_a):
    for reason in ("", "   "):
        response = api_sec_a.post(f"/api/members/{member_a.pk}/status", {"status": "deceased", "reason": reason})
        assert response.status_code == 400
        assert "reason" in response.json()["errors"]
    member_a.refresh_from_db()
    assert member_a.status == "active"

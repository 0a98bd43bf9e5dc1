"""Transfers of membership through the API: requested by the sending side,
decided by the receiving one; a member is never in two branches at once."""

import datetime as dt

import pytest

from dangjian.audit.models import Action
from dangjian.orgs.models import Member, Transfer
from tests.api.conftest import api_for, audit_entries
from tests.dbstate import unchanged
from tests.factories import UserFactory, grant, make_org


def request_internal(api, member, to_code="B002", **extra):
    return api.post(f"/api/members/{member.pk}/transfers", {"kind": "internal", "to_org_code": to_code, **extra})


def test_internal_transfer_from_a_to_b(api_sec_a, api_sec_b, member_a, tree, secretary_b):
    response = request_internal(api_sec_a, member_a, letter_number="2025-017", on="2025-03-01")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "pending" and body["to_org"]["code"] == "B002"
    assert body["requested_on"] == "2025-03-01" and body["member_name"] == "张建国"
    assert audit_entries(Action.CREATE, target_type="orgs.Transfer", target_id=str(body["id"])).exists()

    # The receiving secretary sees it waiting for her, though the member is not hers yet.
    waiting = api_sec_b.get("/api/transfers/", {"awaiting_me": "true"}).json()["items"]
    assert [t["id"] for t in waiting] == [body["id"]]
    assert api_sec_b.get(f"/api/members/{member_a.pk}").status_code == 404

    assert body["valid_until"] == "2025-04-01"  # a month's letter: the member reports by then
    late = api_sec_b.post(f"/api/transfers/{body['id']}/decide", {"accept": True, "on": "2025-04-02"})
    assert late.status_code == 400 and "late_reason" in late.json()["errors"]
    decided = api_sec_b.post(f"/api/transfers/{body['id']}/decide", {"accept": True, "on": "2025-04-01"})
    assert decided.status_code == 200, decided.json()
    assert decided.json()["state"] == "completed"
    member_a.refresh_from_db()
    assert member_a.org == tree["branch_b"]
    assert Member.objects.filter(pk=member_a.pk).count() == 1
    # Now hers, no longer A's.
    assert api_sec_b.get(f"/api/members/{member_a.pk}").status_code == 200
    assert api_sec_a.get(f"/api/members/{member_a.pk}").status_code == 404
    assert audit_entries(Action.TRANSITION, target_type="orgs.Transfer", target_id=str(body["id"])).exists()
    history = api_sec_b.get(f"/api/members/{member_a.pk}/history").json()
    assert [t["state"] for t in history["transfers"]] == ["completed"]


def test_sending_side_cannot_decide_an_internal_transfer(api_sec_a, member_a):
    transfer_id = request_internal(api_sec_a, member_a).json()["id"]
    response = api_sec_a.post(f"/api/transfers/{transfer_id}/decide", {"accept": True})
    assert response.status_code == 400
    assert "接收方" in response.json()["detail"]
    assert Transfer.objects.get(pk=transfer_id).state == "pending"


def test_rejected_transfer_leaves_the_member(api_sec_a, api_sec_b, member_a, tree):
    transfer_id = request_internal(api_sec_a, member_a).json()["id"]
    response = api_sec_b.post(f"/api/transfers/{transfer_id}/decide", {"accept": False})
    assert response.json()["state"] == "rejected"
    member_a.refresh_from_db()
    assert member_a.org == tree["branch_a"]


def test_decided_twice_is_400(api_sec_a, api_sec_b, member_a):
    transfer_id = request_internal(api_sec_a, member_a).json()["id"]
    api_sec_b.post(f"/api/transfers/{transfer_id}/decide", {"accept": False})
    response = api_sec_b.post(f"/api/transfers/{transfer_id}/decide", {"accept": True})
    assert response.status_code == 400
    assert "已办结" in response.json()["detail"]


def test_transfer_out_of_the_platform(api_sec_a, member_a):
    response = api_sec_a.post(f"/api/members/{member_a.pk}/transfers", {"kind": "out", "external_org_name": "外省某支部"})
    assert response.status_code == 201
    decided = api_sec_a.post(f"/api/transfers/{response.json()['id']}/decide", {"accept": True, "on": "2025-04-01"})
    assert decided.status_code == 200
    member_a.refresh_from_db()
    assert member_a.status == "transferred_out"


def test_one_open_transfer_at_a_time(api_sec_a, member_a):
    assert request_internal(api_sec_a, member_a).status_code == 201
    response = request_internal(api_sec_a, member_a)
    assert response.status_code == 400
    assert "未办结" in response.json()["errors"]["member"][0]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "internal", "to_org_code": "NOPE"}, "to_org_code"),
        ({"kind": "internal"}, "to_org"),
        ({"kind": "internal", "to_org_code": "B001"}, "to_org"),
        ({"kind": "internal", "to_org_code": "C001"}, "to_org"),
        ({"kind": "out"}, "external_org_name"),
        ({"kind": "sideways"}, "kind"),
    ],
)
def test_bad_transfer_requests_are_400(api_sec_a, member_a, body, field):
    response = api_sec_a.post(f"/api/members/{member_a.pk}/transfers", body)
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not Transfer.objects.exists()


def test_outsider_cannot_see_or_decide_transfers_between_others(api_sec_a, api_officer, member_a, tree):
    elsewhere = make_org(name="另一街道", kind="street", code="S999")
    stranger = UserFactory(username="stranger")
    grant(stranger, elsewhere, "secretary")
    api_stranger = api_for(stranger)
    transfer_id = request_internal(api_sec_a, member_a).json()["id"]
    for call in (
        lambda: api_stranger.get(f"/api/transfers/{transfer_id}"),
        lambda: api_stranger.post(f"/api/transfers/{transfer_id}/decide", {"accept": True}),
    ):
        assert call().status_code == 404
    assert api_stranger.get("/api/transfers/").json()["count"] == 0
    # The street officer above both sides sees it and may decide for the receiving side.
    assert api_officer.get(f"/api/transfers/{transfer_id}").status_code == 200


def test_missing_transfer_is_404(api_sec_a):
    assert api_sec_a.get("/api/transfers/999999").status_code == 404
    with unchanged():
        assert api_sec_a.post("/api/transfers/999999/decide", {"accept": True}).status_code == 404


def test_list_filter_by_state(api_sec_a, api_sec_b, member_a):
    transfer_id = request_internal(api_sec_a, member_a).json()["id"]
    assert api_sec_a.get("/api/transfers/", {"state": "pending"}).json()["count"] == 1
    api_sec_b.post(f"/api/transfers/{transfer_id}/decide", {"accept": False, "on": str(dt.date(2025, 5, 5))})
    assert api_sec_a.get("/api/transfers/", {"state": "pending"}).json()["count"] == 0
    assert api_sec_a.get("/api/transfers/", {"state": "rejected"}).json()["items"][0]["decided_on"] == "2025-05-05"

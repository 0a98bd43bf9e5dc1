"""Transfers of membership (组织关系转接) through the web interface, and the to-do item."""

import pytest

from dangjian.core import todo
from dangjian.orgs.models import Member, Transfer
from dangjian.orgs.todo import todo_items as transfer_todos
from tests.factories import make_org
from tests.orgs.conftest import url

pytestmark = pytest.mark.django_db


def request_internal(client, member, code="B002", **extra):
    return client.post(url("transfer_request", member.pk), {"kind": "internal", "to_org": code, "reason": "搬家", **extra})


def test_secretary_requests_transfer_to_a_branch_outside_their_scope(as_secretary_a, member_a, tree):
    response = request_internal(as_secretary_a, member_a)
    assert response.status_code == 302
    transfer = Transfer.objects.get(member=member_a)
    assert (transfer.state, transfer.to_org_id, transfer.from_org_id) == ("pending", tree["branch_b"].pk, tree["branch_a"].pk)
    # Until accepted, the member stays where they were.
    assert Member.objects.get(pk=member_a.pk).org_id == tree["branch_a"].pk


def test_branch_picker_finds_any_branch_by_code_or_name(as_secretary_a, tree):
    html = as_secretary_a.get(url("branch_options"), {"to_org": "第二"}).content.decode()
    assert '<option value="B002">和平社区第二党支部</option>' in html
    assert "B001" not in as_secretary_a.get(url("branch_options"), {"q": "B002"}).content.decode()
    assert "和平社区党委" not in as_secretary_a.get(url("branch_options"), {"q": "和平"}).content.decode()


def test_branch_picker_needs_transfer_capability(as_member, tree):
    assert as_member.get(url("branch_options"), {"q": "B0"}).status_code == 404


@pytest.mark.parametrize("data, message", [
    ({"kind": "internal", "to_org": ""}, "请选择转入的党组织"),
    ({"kind": "internal", "to_org": "B001"}, "转入组织与当前所在组织相同"),
    ({"kind": "internal", "to_org": "C001"}, "组织关系只能转入党支部"),
    ({"kind": "internal", "to_org": "NOPE"}, "没有组织代码为 NOPE 的党组织"),
    ({"kind": "out", "external_org_name": ""}, "请填写转往的党组织名称"),
])
def test_bad_transfer_requests(as_secretary_a, member_a, data, message):
    response = as_secretary_a.post(url("transfer_request", member_a.pk), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Transfer.objects.exists()


def test_second_pending_transfer_refused(as_secretary_a, member_a):
    request_internal(as_secretary_a, member_a)
    response = request_internal(as_secretary_a, member_a)
    assert "该党员已有一项未办结的组织关系转接" in response.content.decode()
    assert Transfer.objects.count() == 1


def test_receiving_secretary_sees_it_in_inbox_and_todo(as_secretary_a, as_secretary_b, secretary_b, secretary_a, member_a):
    request_internal(as_secretary_a, member_a)
    inbox = as_secretary_b.get(url("transfer_inbox"))
    assert [t.member_id for t in inbox.context["awaiting"]] == [member_a.pk]
    assert transfer_todos in todo._providers  # registered by the app
    items = transfer_todos(secretary_b)
    assert any("张建国" in i.title and i.url.startswith(url("transfer_inbox")) for i in items)
    # The requesting side waits; it has nothing to decide.
    sender = as_secretary_a.get(url("transfer_inbox"))
    assert list(sender.context["awaiting"]) == [] and [t.member_id for t in sender.context["sent"]] == [member_a.pk]
    assert not any("张建国" in i.title for i in transfer_todos(secretary_a))


def test_accept_moves_member_atomically(as_secretary_a, as_secretary_b, member_a, tree):
    request_internal(as_secretary_a, member_a)
    transfer = Transfer.objects.get()
    response = as_secretary_b.post(url("transfer_decide", transfer.pk), {"decision": "accept"})
    assert response.status_code == 302
    transfer.refresh_from_db()
    member = Member.objects.get(pk=member_a.pk)
    assert transfer.state == "completed" and member.org_id == tree["branch_b"].pk
    # In exactly one branch: gone from A's roster, present in B's.
    assert as_secretary_a.get(url("member_detail", member.pk)).status_code == 404
    assert as_secretary_b.get(url("member_detail", member.pk)).status_code == 200
    assert Member.objects.filter(pk=member.pk).count() == 1


def test_decline_leaves_member_in_place(as_secretary_a, as_secretary_b, member_a, tree):
    request_internal(as_secretary_a, member_a)
    transfer = Transfer.objects.get()
    as_secretary_b.post(url("transfer_decide", transfer.pk), {"decision": "reject"})
    transfer.refresh_from_db()
    assert transfer.state == "rejected"
    assert Member.objects.get(pk=member_a.pk).org_id == tree["branch_a"].pk


def test_sender_cannot_decide_own_internal_transfer(as_secretary_a, member_a, tree):
    request_internal(as_secretary_a, member_a)
    transfer = Transfer.objects.get()
    assert as_secretary_a.post(url("transfer_decide", transfer.pk), {"decision": "accept"}).status_code == 404
    assert Transfer.objects.get().state == "pending"


def test_deciding_twice_is_refused(as_secretary_a, as_secretary_b, member_a):
    request_internal(as_secretary_a, member_a)
    transfer = Transfer.objects.get()
    as_secretary_b.post(url("transfer_decide", transfer.pk), {"decision": "accept"})
    # Once completed it is no longer awaiting anyone: missing.
    assert as_secretary_b.post(url("transfer_decide", transfer.pk), {"decision": "reject"}).status_code == 404
    assert Transfer.objects.get().state == "completed"


def test_transfer_out_of_platform_decided_by_sending_side(as_secretary_a, member_a):
    as_secretary_a.post(url("transfer_request", member_a.pk), {"kind": "out", "external_org_name": "外省某党支部"})
    transfer = Transfer.objects.get()
    assert as_secretary_a.post(url("transfer_decide", transfer.pk), {"decision": "accept"}).status_code == 302
    member = Member.objects.get(pk=member_a.pk)
    assert member.status == "transferred_out"
    assert member.status_changes.first().to_status == "transferred_out"


def test_outsider_cannot_request_or_see(as_secretary_b, member_a):
    assert request_internal(as_secretary_b, member_a, code="B002").status_code == 404
    assert not Transfer.objects.exists()


def test_officer_decides_within_the_whole_street(as_officer, as_secretary_a, member_a, tree):
    other = make_org(parent=tree["community"], name="和平社区第三党支部", kind="branch", code="B003")
    request_internal(as_secretary_a, member_a, code=other.code)
    transfer = Transfer.objects.get()
    assert [t.pk for t in as_officer.get(url("transfer_inbox")).context["awaiting"]] == [transfer.pk]
    as_officer.post(url("transfer_decide", transfer.pk), {"decision": "accept"})
    assert Member.objects.get(pk=member_a.pk).org_id == other.pk

"""少交/免交 through the pages, the API and the to-do list (2008 党费规定 一、第七条; core.references.ARTICLES).

The branch proposes from the member's line, the superior committee approves or refuses; an approval
rewrites the unpaid dues of the months it covers, never a paid one; outsiders get 404.
"""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.core.dates import add_months, month_start
from dangjian.core.todo import todo_for
from dangjian.dues.models import Due, Reduction
from tests.dbstate import unchanged
from tests.dues.conftest import make_due, make_payment, set_base
from tests.factories import MemberFactory


@pytest.fixture
def retired_a(tree):
    member = MemberFactory(org=tree["branch_a"], employment="retired", name="王秀英")
    set_base(member, "3000")  # 15.00 a month
    return member


def _months(n_back: int) -> list[dt.date]:
    this = month_start(timezone.localdate())
    return [add_months(this, -k) for k in range(n_back, 0, -1)]


def _propose(client, member, first, last, amount="0"):
    return client.post(f"/dues/reductions/new/{member.pk}/", {
        "amount": amount, "first_month": f"{first:%Y-%m}", "last_month": f"{last:%Y-%m}", "reason": "因病致困",
        "on": f"{timezone.localdate():%Y-%m-%d}"})


def test_branch_proposes_superior_approves_and_unpaid_months_follow(as_secretary_a, as_officer, retired_a):
    m1, m2, m3 = _months(3)
    paid = make_due(retired_a, m1, "15.00")
    make_payment(paid)
    make_due(retired_a, m2, "15.00")
    make_due(retired_a, m3, "15.00")
    response = _propose(as_secretary_a, retired_a, m1, m2, amount="5.00")
    assert response.status_code == 302
    reduction = Reduction.objects.get(member=retired_a)
    assert reduction.state == Reduction.State.PROPOSED
    # Proposed only: the ledger still asks for the usual amount.
    assert Due.objects.get(member=retired_a, month=m2).amount == Decimal("15.00")
    # The branch cannot approve its own proposal: the page offers no buttons, a forged post changes nothing.
    assert f"/dues/reductions/{reduction.pk}/decide/" not in as_secretary_a.get("/dues/reductions/").content.decode()
    with unchanged():
        as_secretary_a.post(f"/dues/reductions/{reduction.pk}/decide/",
                            {"decision": "approve", "on": f"{timezone.localdate():%Y-%m-%d}"})
    page = as_officer.get("/dues/reductions/?state=proposed").content.decode()
    assert f"/dues/reductions/{reduction.pk}/decide/" in page and "王秀英" in page
    as_officer.post(f"/dues/reductions/{reduction.pk}/decide/",
                    {"decision": "approve", "on": f"{timezone.localdate():%Y-%m-%d}"})
    assert Reduction.objects.get(pk=reduction.pk).state == Reduction.State.APPROVED
    amounts = dict(Due.objects.filter(member=retired_a).values_list("month", "amount"))
    # m1 paid: kept as paid; m2 unpaid and covered: reduced; m3 not covered: usual.
    assert amounts == {m1: Decimal("15.00"), m2: Decimal("5.00"), m3: Decimal("15.00")}
    entry = AuditEntry.objects.filter(target_type="dues.Reduction", target_id=str(reduction.pk)).order_by("-pk").first()
    assert "dues_rewritten" in entry.changes


def test_an_exemption_takes_unpaid_months_off_the_arrears(as_secretary_a, as_officer, retired_a):
    months = _months(6)
    for m in months:
        make_due(retired_a, m, "15.00")
    assert [a["member_id"] for a in as_officer.get("/api/dues/arrears").json()] == [retired_a.pk]
    _propose(as_secretary_a, retired_a, months[0], months[-1])
    reduction = Reduction.objects.get(member=retired_a)
    response = as_officer.post(f"/api/dues/reductions/{reduction.pk}/decide", json.dumps({"approve": True}),
                               content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "approved"
    assert not Due.objects.filter(member=retired_a).exists()
    assert as_officer.get("/api/dues/arrears").json() == []


def test_a_refusal_leaves_the_ledger_as_it_was(as_secretary_a, as_officer, retired_a):
    (m1,) = _months(1)
    make_due(retired_a, m1, "15.00")
    _propose(as_secretary_a, retired_a, m1, m1)
    reduction = Reduction.objects.get(member=retired_a)
    as_officer.post(f"/dues/reductions/{reduction.pk}/decide/",
                    {"decision": "refuse", "on": f"{timezone.localdate():%Y-%m-%d}"})
    assert Reduction.objects.get(pk=reduction.pk).state == Reduction.State.REFUSED
    assert Due.objects.get(member=retired_a, month=m1).amount == Decimal("15.00")


def test_bad_input_is_shown_on_the_form_and_nothing_is_written(as_secretary_a, retired_a):
    m1, m2 = _months(2)
    with unchanged():
        response = _propose(as_secretary_a, retired_a, m2, m1)  # last before first
    assert response.status_code == 200
    assert "最后" in response.content.decode() or "errorlist" in response.content.decode()
    with unchanged():
        response = _propose(as_secretary_a, retired_a, m1, m2, amount="15.00")  # not less than usual
    assert response.status_code == 200


def test_outsiders_get_404(tree, as_secretary_b, as_member, retired_a, secretary_a):
    from dangjian.dues import services

    reduction = services.reduction_propose(by=secretary_a, member=retired_a, amount=Decimal("0"),
                                           first_month=_months(1)[0], last_month=_months(1)[0], reason="困难")
    assert as_secretary_b.get(f"/dues/reductions/new/{retired_a.pk}/").status_code == 404
    with unchanged():
        assert as_secretary_b.post(f"/dues/reductions/{reduction.pk}/decide/",
                                   {"decision": "approve"}).status_code == 404
        assert as_secretary_b.post(f"/api/dues/reductions/{reduction.pk}/decide", json.dumps({"approve": True}),
                                   content_type="application/json").status_code == 404
        assert as_secretary_b.post("/api/dues/reductions", json.dumps({
            "member": retired_a.pk, "amount": "0", "first_month": "2026-01", "last_month": "2026-02",
            "reason": "x"}), content_type="application/json").status_code == 404
    assert "王秀英" not in as_secretary_b.get("/dues/reductions/").content.decode()
    assert as_secretary_b.get("/api/dues/reductions").json()["count"] == 0
    assert as_member.get("/dues/reductions/").status_code == 404


def test_api_proposes_and_the_branch_cannot_decide(as_secretary_a, retired_a):
    body = {"member": retired_a.pk, "amount": "0", "first_month": "2026-01", "last_month": "2026-03",
            "reason": "因病致困", "on": "2026-01-02"}
    response = as_secretary_a.post("/api/dues/reductions", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    with unchanged():
        refused = as_secretary_a.post(f"/api/dues/reductions/{pk}/decide", json.dumps({"approve": True}),
                                      content_type="application/json")
    assert refused.status_code == 400


def test_the_superior_has_a_to_do_until_deciding(secretary_a, officer, retired_a):
    from dangjian.dues import services

    reduction = services.reduction_propose(by=secretary_a, member=retired_a, amount=Decimal("0"),
                                           first_month=_months(1)[0], last_month=_months(1)[0], reason="困难")

    def asked(user):
        return [i.title for i in todo_for(user) if "/dues/reductions/" in i.url]

    assert any("王秀英" in t for t in asked(officer))
    assert asked(secretary_a) == []  # the branch does not approve its own proposal
    services.reduction_decide(by=officer, reduction=reduction, approve=False)
    assert asked(officer) == []


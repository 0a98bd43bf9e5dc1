"""Correcting dues mistakes: void or correct a payment, void a remittance; nothing is lost."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from dangjian.audit.models import AuditEntry
from dangjian.dues import services
from dangjian.dues.models import Payment, Remittance, VoidedPayment, VoidedRemittance
from tests.dbstate import unchanged
from tests.dues.conftest import make_due, make_payment

MARCH = dt.date(2025, 3, 1)


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def paid(member_a):
    due = make_due(member_a, MARCH)
    return make_payment(due, paid_on=dt.date(2025, 3, 5))


def test_void_makes_the_due_unpaid_and_keeps_the_payment(secretary_a, paid):
    due = paid.due
    voided = services.payment_void(by=secretary_a, payment=paid, reason="录错了人")
    assert not Payment.objects.filter(due=due).exists()
    assert voided.original_id == paid.pk and voided.amount == Decimal("10.00") and voided.reason == "录错了人"
    entry = AuditEntry.objects.filter(target_type="dues.Due", target_id=str(due.pk)).first()
    assert entry.action == "delete" and entry.changes["reason"] == [None, "录错了人"]
    assert entry.changes["amount"] == ["10.00", None]
    # The month can be paid again.
    services.payment_record(by=secretary_a, due=due, amount=Decimal("10.00"), paid_on=dt.date(2025, 3, 6),
                            today=dt.date(2025, 4, 1))
    assert Payment.objects.get(due=due).paid_on == dt.date(2025, 3, 6)


def test_void_needs_a_reason(secretary_a, paid):
    with pytest.raises(ValidationError) as exc:
        services.payment_void(by=secretary_a, payment=paid, reason="  ")
    assert exc.value.message_dict["reason"] == ["请填写更正或作废的原因"]
    assert Payment.objects.filter(pk=paid.pk).exists() and not VoidedPayment.objects.exists()


def test_outsider_cannot_void(secretary_b, paid):
    with pytest.raises(Http404):
        services.payment_void(by=secretary_b, payment=paid, reason="x")
    assert Payment.objects.filter(pk=paid.pk).exists()


def test_correct_voids_and_records_again(secretary_a, paid, member_a, tree):
    from tests.factories import MemberFactory

    payer = MemberFactory(org=tree["branch_a"], name="王代缴")
    new = services.payment_correct(by=secretary_a, payment=paid, amount=Decimal("12.00"),
                                   paid_on=dt.date(2025, 3, 7), payer=payer, note="补足差额", reason="金额录错",
                                   today=dt.date(2025, 4, 1))
    assert new.pk != paid.pk and new.amount == Decimal("12.00") and new.payer == payer
    old = VoidedPayment.objects.get(original_id=paid.pk)
    assert old.replaced_by == new.pk and old.amount == Decimal("10.00")
    entry = AuditEntry.objects.filter(target_type="dues.Payment", target_id=str(new.pk)).first()
    assert entry.changes["amount"] == ["10.00", "12.00"] and entry.changes["reason"] == [None, "金额录错"]


def test_correct_rechecks_the_payment_rules_and_writes_nothing_on_error(secretary_a, paid):
    today = dt.date(2025, 4, 1)
    with pytest.raises(ValidationError) as exc:
        services.payment_correct(by=secretary_a, payment=paid, amount=Decimal("10.00"),
                                 paid_on=today + dt.timedelta(days=1), reason="日期", today=today)
    assert "paid_on" in exc.value.message_dict
    assert Payment.objects.filter(pk=paid.pk).exists() and not VoidedPayment.objects.exists()
    # Today itself is accepted (boundary).
    services.payment_correct(by=secretary_a, payment=paid, amount=Decimal("10.00"), paid_on=today,
                             reason="日期", today=today)


def test_correct_without_change_is_refused(secretary_a, paid):
    with pytest.raises(ValidationError):
        services.payment_correct(by=secretary_a, payment=paid, amount=paid.amount, paid_on=paid.paid_on,
                                 reason="无", today=dt.date(2025, 4, 1))


def test_due_page_shows_the_voided_payment_struck_through(as_secretary_a, paid):
    url = f"/dues/due/{paid.due_id}/"
    response = as_secretary_a.post(url, {"action": "void", "void-reason": "重复录入"})
    assert response.status_code == 302
    page = as_secretary_a.get(url).content.decode()
    assert "<s>10.00</s>" in page and "重复录入" in page and "未缴" in page


def test_due_page_void_without_reason_shows_the_error_inline(as_secretary_a, paid):
    response = as_secretary_a.post(f"/dues/due/{paid.due_id}/", {"action": "void", "void-reason": ""})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert Payment.objects.filter(pk=paid.pk).exists()


def test_due_page_correct(as_secretary_a, paid):
    response = as_secretary_a.post(f"/dues/due/{paid.due_id}/", {
        "action": "correct", "fix-amount": "11.00", "fix-paid_on": "2025-03-05", "fix-note": "补交",
        "fix-reason": "金额录错"})
    assert response.status_code == 302
    assert Payment.objects.get(due=paid.due).amount == Decimal("11.00")


def test_due_page_outsider_404_anonymous_redirected(as_secretary_b, as_anonymous, paid):
    url = f"/dues/due/{paid.due_id}/"
    assert as_secretary_b.get(url).status_code == 404
    with unchanged():
        assert as_secretary_b.post(url, {"action": "void", "void-reason": "x"}).status_code == 404
    assert as_anonymous.get(url).status_code == 302
    assert Payment.objects.filter(pk=paid.pk).exists()


def test_member_cannot_void(as_member, paid):
    with unchanged(paid, paid.due):
        assert as_member.post(f"/dues/due/{paid.due_id}/", {"action": "void", "void-reason": "x"}).status_code == 404


def test_api_void_and_correct(as_secretary_a, as_secretary_b, as_anonymous, paid):
    due_id = paid.due_id
    assert _post(as_anonymous, f"/api/dues/dues/{due_id}/payment/void", {"reason": "x"}).status_code == 401
    assert _post(as_secretary_b, f"/api/dues/dues/{due_id}/payment/void", {"reason": "x"}).status_code == 404
    missing = _post(as_secretary_a, f"/api/dues/dues/{due_id}/payment/correct",
                    {"amount": "9.00", "paid_on": "2025-03-05", "reason": ""})
    assert missing.status_code == 400 and missing.json()["detail"] == "请填写更正或作废的原因"
    fixed = _post(as_secretary_a, f"/api/dues/dues/{due_id}/payment/correct",
                  {"amount": "9.00", "paid_on": "2025-03-05", "note": "减免", "reason": "金额录错"})
    assert fixed.status_code == 200 and fixed.json()["paid_amount"] == "9.00"
    voided = _post(as_secretary_a, f"/api/dues/dues/{due_id}/payment/void", {"reason": "全部作废"})
    assert voided.status_code == 200 and voided.json()["paid"] is False
    history = as_secretary_a.get(f"/api/dues/dues/{due_id}/voided").json()
    assert [h["reason"] for h in history] == ["全部作废", "金额录错"]
    assert as_secretary_b.get(f"/api/dues/dues/{due_id}/voided").status_code == 404
    again = _post(as_secretary_a, f"/api/dues/dues/{due_id}/payment/void", {"reason": "x"})
    assert again.status_code == 400


@pytest.fixture
def remittance(tree, member_a, secretary_a):
    make_payment(make_due(member_a, MARCH), paid_on=dt.date(2025, 3, 5))
    return services.remittance_record(by=secretary_a, org=tree["branch_a"], month=MARCH, amount=Decimal("10.00"),
                                      remitted_on=dt.date(2025, 3, 31), today=dt.date(2025, 4, 1))


def test_void_remittance_allows_remitting_again(secretary_a, remittance, tree):
    voided = services.remittance_void(by=secretary_a, remittance=remittance, reason="金额有误")
    assert not Remittance.objects.exists() and voided.amount == Decimal("10.00")
    again = services.remittance_record(by=secretary_a, org=tree["branch_a"], month=MARCH, amount=Decimal("8.00"),
                                       remitted_on=dt.date(2025, 3, 31), today=dt.date(2025, 4, 1))
    assert again.amount == Decimal("8.00")


def test_remittance_void_page_and_api(as_secretary_a, as_secretary_b, as_anonymous, remittance):
    url = f"/dues/remittance/{remittance.pk}/void/"
    assert as_anonymous.post(url, {"reason": "x"}).status_code == 302
    with unchanged():
        assert as_secretary_b.post(url, {"reason": "x"}).status_code == 404
    assert _post(as_secretary_b, f"/api/dues/remittances/{remittance.pk}/void", {"reason": "x"}).status_code == 404
    assert as_secretary_a.post(url, {"reason": ""}).status_code == 302
    assert Remittance.objects.filter(pk=remittance.pk).exists()
    assert as_secretary_a.post(url, {"reason": "上缴录错"}).status_code == 302
    assert VoidedRemittance.objects.get().reason == "上缴录错"
    page = as_secretary_a.get("/dues/summary/?year=2025").content.decode()
    assert "<s>10.00</s>" in page and "上缴录错" in page


def test_remittance_void_api(as_secretary_a, remittance):
    response = _post(as_secretary_a, f"/api/dues/remittances/{remittance.pk}/void", {"reason": "重复登记"})
    assert response.status_code == 200 and not Remittance.objects.exists()

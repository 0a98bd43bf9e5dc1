"""Ledger generation, payments and remittances through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from dangjian.audit.models import AuditEntry
from dangjian.dues import services
from dangjian.dues.models import Due, Payment
from tests.dues.conftest import make_due, make_payment, set_base
from tests.factories import MemberFactory

TODAY = dt.date(2025, 6, 15)
MARCH = dt.date(2025, 3, 1)


def test_generate_one_due_per_active_member_with_bracket_amount(tree, secretary_a, member_a, config):
    set_base(member_a, "4000")
    retired = MemberFactory(org=tree["branch_a"], employment="retired")
    set_base(retired, "6000")
    student = MemberFactory(org=tree["branch_a"], employment="student")
    MemberFactory(org=tree["branch_a"], status="deceased")
    result = services.ledger_generate(by=secretary_a, org=tree["branch_a"], month=MARCH, today=TODAY)
    assert result.created == 3
    amounts = {d.member_id: (d.rate, d.amount) for d in Due.objects.filter(month=MARCH)}
    assert amounts[member_a.pk] == (Decimal("1.00"), Decimal("40.00"))
    assert amounts[retired.pk] == (Decimal("1.00"), Decimal("60.00"))
    assert amounts[student.pk] == (None, Decimal("0.20"))  # 2008 党费规定 一、第六条
    assert AuditEntry.objects.filter(action="create", target_type="orgs.Org").exists()


def test_generate_is_idempotent_and_reports_missing_bases(tree, secretary_a, member_a, config):
    no_base = MemberFactory(org=tree["branch_a"], employment="employed")
    set_base(member_a, "2000")
    first = services.ledger_generate(by=secretary_a, org=tree["branch_a"], month=MARCH, today=TODAY)
    again = services.ledger_generate(by=secretary_a, org=tree["branch_a"], month=MARCH, today=TODAY)
    assert (first.created, again.created, again.existing) == (1, 0, 1)
    assert first.missing_base == [no_base]


def test_probationary_member_owes_from_the_month_accepted(tree, secretary_a, config):
    last_day = MemberFactory(org=tree["branch_a"], employment="student", category="probationary",
                             joined_on=dt.date(2025, 3, 31), full_member_on=None)
    MemberFactory(org=tree["branch_a"], employment="student", category="probationary",
                             joined_on=dt.date(2025, 4, 1), full_member_on=None)
    services.ledger_generate(by=secretary_a, org=tree["branch_a"], month=MARCH, today=TODAY)
    assert set(Due.objects.values_list("member_id", flat=True)) == {last_day.pk}


def test_future_month_is_refused(tree, secretary_a, config):
    services.ledger_generate(by=secretary_a, org=tree["branch_a"], month=dt.date(2025, 6, 1), today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.ledger_generate(by=secretary_a, org=tree["branch_a"], month=dt.date(2025, 7, 1), today=TODAY)
    assert "未来月份" in str(exc.value)


def test_outsider_cannot_generate_or_pay(tree, secretary_b, member_a, config):
    with pytest.raises(Http404):
        services.ledger_generate(by=secretary_b, org=tree["branch_a"], month=MARCH, today=TODAY)
    due = make_due(member_a, MARCH)
    with pytest.raises(Http404):
        services.payment_record(by=secretary_b, due=due, amount=due.amount, paid_on=TODAY, today=TODAY)
    assert not Payment.objects.exists()


def _pay(by, due, **kw):
    args = {"amount": due.amount, "paid_on": dt.date(2025, 3, 10), "today": TODAY, **kw}
    return services.payment_record(by=by, due=due, **args)


def test_payment_recorded_and_audited(secretary_a, member_a):
    due = make_due(member_a, MARCH)
    payment = _pay(secretary_a, due)
    assert payment.amount == Decimal("10.00") and payment.payer is None
    assert AuditEntry.objects.filter(target_type="dues.Payment", target_id=str(payment.pk)).exists()


def test_second_payment_for_same_member_and_month_is_refused(secretary_a, member_a):
    due = make_due(member_a, MARCH)
    _pay(secretary_a, due)
    with pytest.raises(ValidationError) as exc:
        _pay(secretary_a, due)
    assert "不能重复缴纳" in exc.value.message_dict["due"][0]
    assert Payment.objects.count() == 1


@pytest.mark.parametrize("amount", ["-10.00", "0", "0.00"])
def test_negative_or_zero_amount_is_refused(secretary_a, member_a, amount):
    due = make_due(member_a, MARCH)
    with pytest.raises(ValidationError) as exc:
        _pay(secretary_a, due, amount=Decimal(amount), note="x")
    assert exc.value.message_dict["amount"] == ["缴纳金额须大于零"]


def test_amount_other_than_due_needs_a_note(secretary_a, member_a):
    due = make_due(member_a, MARCH)
    with pytest.raises(ValidationError) as exc:
        _pay(secretary_a, due, amount=Decimal("20.00"))
    assert "请在备注中说明原因" in exc.value.message_dict["note"][0]
    payment = _pay(secretary_a, due, amount=Decimal("20.00"), note="自愿多交")
    assert payment.note == "自愿多交"


def test_payment_date_today_is_accepted_tomorrow_refused(secretary_a, member_a):
    due = make_due(member_a, MARCH)
    with pytest.raises(ValidationError) as exc:
        _pay(secretary_a, due, paid_on=TODAY + dt.timedelta(days=1))
    assert "paid_on" in exc.value.message_dict
    assert _pay(secretary_a, due, paid_on=TODAY).paid_on == TODAY


def test_payment_on_another_members_behalf(tree, secretary_a, member_a):
    spouse = MemberFactory(org=tree["branch_a"], name="王秀英", gender="F")
    payment = _pay(secretary_a, make_due(member_a, MARCH), payer=spouse)
    assert payment.payer == spouse


def test_payer_outside_scope_is_refused(secretary_a, member_a, member_b):
    with pytest.raises(ValidationError) as exc:
        _pay(secretary_a, make_due(member_a, MARCH), payer=member_b)
    assert exc.value.message_dict["payer"] == ["未找到该代缴党员"]


def test_batch_is_all_or_nothing(tree, secretary_a, member_a):
    other = MemberFactory(org=tree["branch_a"])
    good, bad = make_due(member_a, MARCH), make_due(other, MARCH)
    rows = [
        {"row": 2, "due": good, "amount": Decimal("10.00"), "paid_on": MARCH, "note": ""},
        {"row": 3, "due": bad, "amount": Decimal("-1"), "paid_on": MARCH, "note": ""},
    ]
    with pytest.raises(services.BatchError) as exc:
        services.payments_record_batch(by=secretary_a, rows=rows, today=TODAY)
    assert list(exc.value.row_errors) == [3]
    assert "第 3 行" in exc.value.messages[0]
    assert not Payment.objects.exists()
    rows[1]["amount"] = Decimal("10.00")
    assert len(services.payments_record_batch(by=secretary_a, rows=rows, today=TODAY)) == 2


def test_batch_refuses_the_same_due_twice(secretary_a, member_a):
    due = make_due(member_a, MARCH)
    row = {"due": due, "amount": Decimal("10.00"), "paid_on": MARCH, "note": ""}
    with pytest.raises(services.BatchError) as exc:
        services.payments_record_batch(by=secretary_a, rows=[{**row, "row": 1}, {**row, "row": 2}], today=TODAY)
    assert "重复出现" in exc.value.row_errors[2]["due"]


def test_remittance_once_per_month_and_not_above_collected(tree, officer, secretary_a, member_a):
    make_payment(make_due(member_a, MARCH, amount="40.00"))
    with pytest.raises(ValidationError) as exc:
        services.remittance_record(by=secretary_a, org=tree["branch_a"], month=MARCH, amount=Decimal("40.01"),
                                   remitted_on=TODAY, today=TODAY)
    assert "超过该月实收党费" in exc.value.message_dict["amount"][0]
    services.remittance_record(by=secretary_a, org=tree["branch_a"], month=MARCH, amount=Decimal("40.00"),
                               remitted_on=TODAY, today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.remittance_record(by=officer, org=tree["branch_a"], month=MARCH, amount=Decimal("1"),
                                   remitted_on=TODAY, today=TODAY)
    assert "不能重复登记" in exc.value.message_dict["month"][0]


def test_base_rules(tree, secretary_a, secretary_b, member_a, config):
    with pytest.raises(ValidationError):
        services.dues_base_set(by=secretary_a, member=member_a, monthly_base=Decimal("-1"))
    with pytest.raises(ValidationError):
        services.dues_base_set(by=secretary_a, member=member_a, monthly_base=None)
    farmer = MemberFactory(org=tree["branch_a"], employment="farmer")
    with pytest.raises(ValidationError) as exc:
        services.dues_base_set(by=secretary_a, member=farmer, monthly_base=None, fixed_amount=Decimal("1.01"))
    assert "0.20" in exc.value.message_dict["fixed_amount"][0]
    services.dues_base_set(by=secretary_a, member=farmer, monthly_base=None, fixed_amount=Decimal("1.00"))
    with pytest.raises(Http404):
        services.dues_base_set(by=secretary_b, member=member_a, monthly_base=Decimal("5000"))
    base = services.dues_base_set(by=secretary_a, member=member_a, monthly_base=Decimal("5000"))
    entry = AuditEntry.objects.filter(target_type="dues.DuesBase", target_id=str(base.pk)).first()
    assert entry.changes["monthly_base"] == [None, "••••"]  # the salary never reaches the log

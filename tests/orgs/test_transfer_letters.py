"""Issue 15: the introduction letter's validity, the month dues are paid to, and the report deadline.

core.references.ARTICLES["transfer.letter"]: valid a month as a rule, three months at most; the letter
states 党费交到…月; the member reports to the receiving organisation within its validity.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.dues.models import Due, Payment
from dangjian.orgs import services
from dangjian.orgs.models import Transfer
from dangjian.orgs.todo import todo_items

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 3, 31)


def request(by, member, tree, **kw):
    return services.transfer_request(by=by, member=member, kind="internal", to_org=tree["branch_b"], on=ON, **kw)


def test_a_letter_is_valid_a_month_by_default_and_three_at_most(secretary_a, member_a, tree):
    with pytest.raises(ValidationError) as exc:
        request(secretary_a, member_a, tree, valid_until=dt.date(2026, 7, 1))  # 3 months and a day
    assert "valid_until" in exc.value.message_dict
    with pytest.raises(ValidationError):
        request(secretary_a, member_a, tree, valid_until=ON - dt.timedelta(days=1))
    assert request(secretary_a, member_a, tree, valid_until=dt.date(2026, 6, 30)).valid_until == dt.date(2026, 6, 30)
    Transfer.objects.all().delete()
    assert request(secretary_a, member_a, tree).valid_until == dt.date(2026, 4, 30)  # 31 March + 1 month


def test_the_letter_states_the_month_dues_are_paid_to_from_the_ledger(secretary_a, member_a, tree):
    for month in (1, 2, 3):
        due = Due.objects.create(member=member_a, org=member_a.org, month=dt.date(2026, month, 1),
                                 employment="employed", amount="10.00")
        if month < 3:
            Payment.objects.create(due=due, amount=due.amount, paid_on=due.month)
    assert request(secretary_a, member_a, tree).dues_paid_to == dt.date(2026, 2, 1)
    Transfer.objects.all().delete()
    assert request(secretary_a, member_a, tree, dues_paid_to=dt.date(2026, 3, 1)).dues_paid_to == dt.date(2026, 3, 1)


def test_reporting_after_the_letter_expired_needs_a_reason(secretary_a, secretary_b, member_a, tree):
    transfer = request(secretary_a, member_a, tree)
    with pytest.raises(ValidationError) as exc:
        services.transfer_decide(by=secretary_b, transfer=transfer, accept=True, on=dt.date(2026, 5, 1))
    assert "late_reason" in exc.value.message_dict
    services.transfer_decide(by=secretary_b, transfer=transfer, accept=True, on=dt.date(2026, 4, 30))
    assert Transfer.objects.get(pk=transfer.pk).state == "completed"


def test_an_expired_letter_may_be_received_with_the_reason(secretary_a, secretary_b, member_a, tree):
    transfer = request(secretary_a, member_a, tree)
    services.transfer_decide(by=secretary_b, transfer=transfer, accept=True, on=dt.date(2026, 5, 1),
                             late_reason="外出务工，返乡后报到")
    assert Transfer.objects.get(pk=transfer.pk).late_reason == "外出务工，返乡后报到"


def test_the_sender_is_reminded_a_week_before_the_report_deadline(secretary_a, member_a, tree):
    today = timezone.localdate()
    transfer = services.transfer_request(by=secretary_a, member=member_a, kind="internal", to_org=tree["branch_b"],
                                         on=today - dt.timedelta(days=20), valid_until=today + dt.timedelta(days=8))
    assert not [i for i in todo_items(secretary_a) if "尚未" in i.title]
    Transfer.objects.filter(pk=transfer.pk).update(valid_until=today + dt.timedelta(days=7))
    items = [i for i in todo_items(secretary_a) if "尚未" in i.title]
    assert len(items) == 1 and items[0].severity == "warn"
    Transfer.objects.filter(pk=transfer.pk).update(valid_until=today - dt.timedelta(days=1))
    assert [i.severity for i in todo_items(secretary_a) if "尚未" in i.title] == ["bad"]

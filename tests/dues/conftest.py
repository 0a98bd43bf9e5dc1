import datetime as dt
from decimal import Decimal

import pytest

from dangjian.core.dates import add_months, month_start
from dangjian.dues.models import Due, DuesBase, Payment
from dangjian.dues.services import dues_rules


@pytest.fixture
def config(db):
    return dues_rules()


def make_due(member, month: dt.date, amount="10.00", org=None) -> Due:
    return Due.objects.create(member=member, org=org or member.org, month=month_start(month),
                              employment=member.employment, amount=Decimal(amount))


def make_payment(due: Due, **extra) -> Payment:
    return Payment.objects.create(due=due, amount=extra.pop("amount", due.amount),
                                  paid_on=extra.pop("paid_on", due.month), **extra)


def set_base(member, base):
    return DuesBase.objects.update_or_create(member=member, defaults={"monthly_base": Decimal(base)})[0]


def months_ago(today: dt.date, n: int) -> dt.date:
    return add_months(month_start(today), -n)

"""Warning over the dues ledger: members in arrears, by the dues app's own streak and levels."""

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import rules as registry
from dangjian.core.rules import Finding
from dangjian.dues.models import Due
from dangjian.dues.rules import add_months, arrears_level, month_start, trailing_unpaid
from dangjian.dues.services import dues_rules


def dues_arrears(*, period_start: dt.date, as_of: dt.date, config) -> dict[int, Finding]:
    """Members whose unpaid months, counted back from last month, reached the dues warning level (as of `as_of`)."""
    rules = dues_rules()
    this_month = month_start(as_of)
    window = add_months(this_month, -max(rules.alarm_months, rules.warn_months))
    unpaid: dict[tuple[int, int], set[dt.date]] = defaultdict(set)
    qs = Due.objects.filter(month__gte=window, month__lt=this_month, amount__gt=0).filter(
        Q(payment__isnull=True) | Q(payment__paid_on__gt=as_of))
    for oid, mid, month in qs.values_list("org_id", "member_id", "month").iterator(chunk_size=5000):
        unpaid[(oid, mid)].add(month)
    per_org: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (oid, _mid), months in unpaid.items():
        level = arrears_level(trailing_unpaid(months, as_of), rules)
        if level:
            per_org[oid][0] += 1
            per_org[oid][1] += level == "bad"
    return {oid: Finding("bad" if alarm else "warn", n,
                         _("%(n)d members have not paid dues for %(m)d months or more") % {"n": n, "m": rules.warn_months})
            for oid, (n, alarm) in per_org.items()}


def register_all() -> None:
    registry.register(registry.Rule("dues_arrears", gettext_lazy("Dues in arrears"), dues_arrears, "dues:arrears", app="dues"))

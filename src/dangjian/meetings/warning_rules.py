"""Warnings over organisational life: required meetings not held, members near the six-month rule."""

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import rules
from dangjian.core.rules import Finding
from dangjian.meetings.metrics import meeting_slots
from dangjian.meetings.models import LifeRule
from dangjian.meetings.selectors import without_life_since
from dangjian.orgs.models import Member, Status


def meetings_overdue(*, period_start: dt.date, as_of: dt.date, config) -> dict[int, Finding]:
    """Required meeting slots of the period that ended before `as_of` without a held meeting."""
    out = {}
    # The slots up to as_of are those the indicator counted (shared within a computation).
    for oid, rows in meeting_slots(period_start, as_of).items():
        missing = sum(1 for _t, _s, end, held in rows if end < as_of and held is None)
        if missing > 0:
            out[oid] = Finding(rules.severity(missing, 2), missing,
                               _("%(n)d required meetings were not held on time") % {"n": missing})
    return out


def six_month_near(*, period_start: dt.date, as_of: dt.date, config) -> dict[int, Finding]:
    """Members near (second warning) or at the six-month rule, by the meetings app's own life rule, as of `as_of`."""
    rule = LifeRule.current()
    active = Member.objects.filter(status=Status.ACTIVE)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    near = active.filter(without_life_since(as_of, rule.second_warning_months, whole_tree=True, until=as_of))
    for oid in near.values_list("org_id", flat=True).iterator(chunk_size=20000):
        counts[oid][0] += 1
    at_limit = active.filter(without_life_since(as_of, rule.limit_months, whole_tree=True, until=as_of))
    for oid in at_limit.values_list("org_id", flat=True).iterator(chunk_size=20000):
        counts[oid][1] += 1
    return {oid: Finding("bad" if limit else "warn", n,
                         _("%(n)d members have had no organisational life for %(m)d months or more") % {
                             "n": n, "m": rule.second_warning_months})
            for oid, (n, limit) in counts.items()}


def register_all() -> None:
    rules.register(rules.Rule("meetings_overdue", gettext_lazy("Meetings overdue"), meetings_overdue, "meetings:compliance", app="meetings"))
    rules.register(rules.Rule("six_month_near", gettext_lazy("Members near the six-month rule"), six_month_near, "meetings:life",
                              app="meetings"))

"""Warnings over residents' appeals: past their deadline, and low satisfaction (the satisfaction metric's own figures)."""

import datetime as dt

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.appeals.models import Appeal
from dangjian.appeals.selectors import overdue_as_of_q
from dangjian.core import metrics, rules
from dangjian.core.rules import Finding


def appeals_overdue(*, period_start: dt.date, as_of: dt.date, config) -> dict[int, Finding]:
    """Appeals past their resolve-by time and not resolved by the end of `as_of`."""
    _lo, hi = metrics.day_bounds(as_of, as_of)
    rows = Appeal.objects.filter(overdue_as_of_q(hi)).order_by().values_list("org_id").annotate(n=Count("id"))
    return {oid: Finding(rules.severity(n, config.serious_count), n, _("%(n)d appeals are past their deadline") % {"n": n})
            for oid, n in rows.values_list("org_id", "n")}


def low_satisfaction(*, period_start: dt.date, as_of: dt.date, config) -> dict[int, Finding]:
    out = {}
    for oid, (ok, rated) in metrics.get("appeal_satisfaction_rate").compute(start=period_start, end=as_of).items():
        if rated >= config.satisfaction_min_rated and ok / rated < config.satisfaction_below:
            rate = ok / rated
            sev = "bad" if rate < round(config.satisfaction_below - 0.2, 6) else "warn"
            out[oid] = Finding(sev, int(rated), _("residents' satisfaction is %(rate).0f%% over %(n)d ratings") % {
                "rate": 100 * rate, "n": rated})
    return out


def register_all() -> None:
    rules.register(rules.Rule("appeals_overdue", gettext_lazy("Appeals overdue"), appeals_overdue, "appeals:list", app="appeals"))
    rules.register(rules.Rule("low_satisfaction", gettext_lazy("Low satisfaction"), low_satisfaction, "appeals:metrics", app="appeals"))

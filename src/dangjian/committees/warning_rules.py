"""Warning over committees: the latest term ended or ends soon, by the committees app's own term states."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.committees.models import CommitteeRule, Term
from dangjian.committees.selectors import term_state
from dangjian.core import rules
from dangjian.core.rules import Finding


def term_expiring(*, period_start: dt.date, as_of: dt.date, config) -> dict[int, Finding]:
    rule = CommitteeRule.current()
    latest: dict[int, dt.date] = {}
    for oid, end in Term.objects.filter(start__lte=as_of, org__is_active=True).order_by(
            "org_id", "start", "id").values_list("org_id", "end"):
        latest[oid] = end
    out = {}
    for oid, end in latest.items():
        state = term_state(end, as_of, rule)
        if state == "overdue":
            out[oid] = Finding("bad", 1, _("the committee term ended on %(end)s; the election is overdue") % {"end": end})
        elif state:
            out[oid] = Finding("bad" if state == "second" else "warn", 1,
                               _("the committee term ends on %(end)s; prepare the election") % {"end": end})
    return out


def register_all() -> None:
    rules.register(rules.Rule("term_expiring", gettext_lazy("Term expiring or overdue"), term_expiring, "committees:list", app="committees"))

"""Metrics over committees: in place and renewed on time (an org without a current term is the missing item)."""

import datetime as dt

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from dangjian.committees.models import Term, TermRule
from dangjian.core import metrics as m
from dangjian.orgs.models import Org


def _latest_terms(end: dt.date, within) -> tuple[list[tuple[int, str]], dict[int, Term]]:
    """Orgs that elect a committee, and the latest term of each begun by `end`."""
    kinds = list(TermRule.objects.values_list("kind", flat=True))
    orgs = list(m.within(Org.objects.filter(kind__in=kinds, is_active=True), within, "")
                .order_by("path").values_list("id", "name"))
    latest: dict[int, Term] = {}
    for term in m.within(Term.objects.filter(start__lte=end), within, "org").order_by("org_id", "start", "id"):
        latest[term.org_id] = term
    return orgs, latest


def committee_term_ok(*, start, end, within=None) -> m.Pairs:
    """Orgs that elect a committee whose latest term (begun by the period end) runs to the period end."""
    orgs, latest = _latest_terms(end, within)
    return {oid: (1.0 if oid in latest and latest[oid].end >= end else 0.0, 1.0) for oid, _name in orgs}


def committee_term_records(*, org, start, end):
    orgs, latest = _latest_terms(end, org)
    for oid, name in orgs:
        term = latest.get(oid)
        if term is not None and term.end >= end:
            yield m.Record(id=term.pk, model="committees.term", label=f"{name} · {term}", date=term.start,
                           numerator=1.0, denominator=1.0, url=m.url("committees:org", oid), org_id=oid)
        else:
            label = (_t("%(org)s · the term ended on %(end)s, no new term") % {"org": name, "end": term.end}
                     if term is not None else _t("%(org)s · no committee term recorded") % {"org": name})
            yield m.Record(id=f"{oid}:{end.isoformat()}", model="committees.slot", label=label,
                           date=term.end if term is not None else None, numerator=0.0, denominator=1.0,
                           url=m.url("committees:org", oid), org_id=oid, missing=True)


def register_all() -> None:
    m.register(m.Metric(
        code="committee_term_ok_rate", name=_("Committees in place and renewed on time"), unit="%", kind=m.RATE,
        app="committees",
        description=_("Share of the organisations that need a committee that have one within its term (renewed on "
                      "time) at the end of the period."),
        compute=committee_term_ok, records=committee_term_records))

"""The metric registry over the API: what can be measured, and every record behind one org's figure.

`GET /api/metrics/` lists the registered metrics; `GET /api/metrics/{code}/breakdown`
gives one org's figure over [start, end] with the records behind it and the expected
items missing, each paged (`limit` up to 10,000; `offset`, `missing_offset`) and
counted by the database, not loaded whole. The records' numerator and denominator contributions
add up exactly to the figure, which is the one a period snapshot stores for the
same org and dates. Out of scope (or an unknown metric): 404.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from ninja import Query, Router, Schema
from pydantic import Field

from dangjian.accounts import roles
from dangjian.core import metrics
from dangjian.core.scoping import org_in_scope
from dangjian.orgs.models import Org

router = Router(tags=[pgettext_lazy("api tag", "Metrics")])
MAX_LIMIT = 10_000


class MetricOut(Schema):
    code: str
    name: str
    unit: str
    kind: str
    app: str
    higher_is_better: bool


class MetricRecordOut(Schema):
    id: int | str
    model: str
    label: str
    date: dt.date | None
    numerator: float
    denominator: float
    url: str


class MetricMissingOut(Schema):
    label: str
    date: dt.date | None
    url: str


class BreakdownOut(Schema):
    code: str
    org: int
    start: dt.date
    end: dt.date
    value: float | None
    numerator: float
    denominator: float
    count: int
    records: list[MetricRecordOut]
    missing_count: int
    missing: list[MetricMissingOut]


class BreakdownQuery(Schema):
    org: int
    start: dt.date
    end: dt.date
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)
    missing_offset: int = Field(0, ge=0)


@router.get("/", response=list[MetricOut], summary=pgettext_lazy("api", "Registered metrics"))
def metric_list(request):
    return [{"code": m.code, "name": str(m.name), "unit": str(m.unit), "kind": m.kind, "app": m.app,
             "higher_is_better": m.higher_is_better} for m in metrics.all_metrics()]


@router.get("/{code}/breakdown", response=BreakdownOut, summary=pgettext_lazy("api", "Records behind a figure"))
def metric_breakdown(request, code: str, q: Query[BreakdownQuery]):
    try:
        metrics.get(code)
    except KeyError as exc:
        raise Http404 from exc
    org = Org.objects.filter(pk=q.org).first()
    if org is None or not org_in_scope(request.auth, roles.VIEW_WORK, org):
        raise Http404
    if q.end < q.start:
        raise ValidationError({"end": _("The end date cannot be before the start date")})
    bd = metrics.breakdown_page(code, org=org, start=q.start, end=q.end, offset=q.offset, limit=q.limit,
                                missing_offset=q.missing_offset)
    return {
        "code": code, "org": org.pk, "start": q.start, "end": q.end, "value": bd.value,
        "numerator": bd.numerator, "denominator": bd.denominator, "count": bd.count,
        "records": [{"id": r.id, "model": r.model, "label": r.label, "date": r.date, "numerator": r.numerator,
                     "denominator": r.denominator, "url": r.url} for r in bd.records],
        "missing_count": bd.missing_count,
        "missing": [{"label": r.label, "date": r.date, "url": r.url} for r in bd.missing],
    }

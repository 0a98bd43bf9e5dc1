"""JSON API of the evaluation: indicators, periods, values, indices, efficiency, grades, warnings, rectifications.

Figures are read through the scoping selectors (VIEW_WORK); an org outside the
caller's scope answers 404, and lists never include its rows.
"""

import datetime as dt

from django.utils.translation import gettext_lazy, pgettext_lazy
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Created

from dangjian.api.pagination import Page
from dangjian.core.xlsx import XLSX
from dangjian.evaluation import selectors, services, xlsx
from dangjian.evaluation.grading import grade_label
from dangjian.evaluation.models import Alert, Indicator

router = Router(tags=[pgettext_lazy("api tag", "Evaluation")])


class IndicatorOut(Schema):
    code: str
    name: str
    dimension: str
    metric_code: str
    direction: str
    unit: str
    explanation: str
    is_active: bool


class PeriodOut(Schema):
    id: int
    kind: str
    start: dt.date
    end: dt.date
    label: str
    as_of: dt.date | None
    computed_at: dt.datetime | None
    version: int
    weighting: str
    aggregation: str
    weights: dict


class ValueOut(Schema):
    org_id: int
    org_name: str
    indicator: str
    numerator: float
    denominator: float
    value: float | None

    @staticmethod
    def resolve_org_name(obj):
        return obj.org.name

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator.code


class ScoreOut(Schema):
    org_id: int
    org_name: str
    dimension: str
    score: float
    rank: int | None
    peers: int

    @staticmethod
    def resolve_org_name(obj):
        return obj.org.name


class EfficiencyOut(Schema):
    org_id: int
    org_name: str
    score: float
    efficient: bool
    inputs: dict
    outputs: dict
    targets: dict
    peers: dict
    malmquist: float | None
    efficiency_change: float | None
    technical_change: float | None
    advice: str

    @staticmethod
    def resolve_org_name(obj):
        return obj.org.name

    @staticmethod
    def resolve_advice(obj):
        return selectors.efficiency_advice(obj)


class GradeOut(Schema):
    org_id: int
    org_name: str
    grade: str
    label: str
    score: float
    previous: str
    movement: int | None
    demoted_by_quota: bool
    weak_lax: bool
    weak_reasons: list

    @staticmethod
    def resolve_org_name(obj):
        return obj.org.name

    @staticmethod
    def resolve_label(obj):
        return grade_label(obj.grade)


class AlertOut(Schema):
    id: int
    period_id: int
    org_id: int
    org_name: str
    rule: str
    severity: str
    count: int
    detail: str
    cleared: bool

    @staticmethod
    def resolve_org_name(obj):
        return obj.org.name


class RectOut(Schema):
    id: int
    alert_id: int | None
    org_id: int
    title: str
    requirement: str
    deadline: dt.date
    owner_id: int | None
    state: str
    evidence: str
    submitted_on: dt.date | None
    review_comment: str
    accepted_on: dt.date | None


class RectIn(Schema):
    alert_id: int
    title: str
    requirement: str
    deadline: dt.date


class EvidenceIn(Schema):
    evidence: str


class ReviewIn(Schema):
    accept: bool
    comment: str = ""


@router.get("/indicators", response=list[IndicatorOut])
def indicator_list(request):
    return list(Indicator.objects.all())


@router.get("/periods", response=list[PeriodOut])
def period_list(request, kind: str | None = None):
    return list(selectors.periods(kind)[:200])


def _org_filter(request, org_id: int | None):
    return selectors.org_get(request.user, org_id) if org_id is not None else None


@router.get("/periods/{int:period_id}/values", response=list[ValueOut])
@paginate(Page)
def value_list(request, period_id: int, org_id: int | None = None, indicator: str | None = None):
    period = selectors.period_get(period_id)
    qs = selectors.indicator_values(request.user, period, orgs=_org_filter(request, org_id),
                                    indicators=[indicator] if indicator else None)
    return qs.order_by("org__path", "indicator__order")


@router.get("/periods/{int:period_id}/indices", response=list[ScoreOut])
@paginate(Page)
def index_list(request, period_id: int, dimension: str | None = None, org_id: int | None = None):
    period = selectors.period_get(period_id)
    return selectors.index_scores(request.user, period, dimension, orgs=_org_filter(request, org_id)).order_by("org__path", "dimension")


@router.get("/periods/{int:period_id}/efficiency", response=list[EfficiencyOut])
@paginate(Page)
def efficiency_list(request, period_id: int, org_id: int | None = None):
    period = selectors.period_get(period_id)
    return selectors.efficiency_results(request.user, period, orgs=_org_filter(request, org_id)).order_by("org__path")


@router.get("/periods/{int:period_id}/grades", response=list[GradeOut])
@paginate(Page)
def grade_list(request, period_id: int, org_id: int | None = None):
    period = selectors.period_get(period_id)
    return selectors.grades(request.user, period, orgs=_org_filter(request, org_id)).order_by("org__path")


@router.get("/warnings", response=list[AlertOut])
@paginate(Page)
def alert_list(request, period_id: int | None = None, org_id: int | None = None, severity: str = "", rule: str = ""):
    period = selectors.period_get(period_id) if period_id is not None else None
    return selectors.warnings_for(request.user, period, _org_filter(request, org_id), severity=severity,
                                  rule=rule).order_by("-period__start", "org__path", "rule")


@router.get("/rectifications", response=list[RectOut])
@paginate(Page)
def rect_list(request, state: str = "", org_id: int | None = None):
    return selectors.rectifications_for(request.user, state=state, org=_org_filter(request, org_id)).order_by("deadline", "id")


# xlsx downloads of the same lists (Chinese headers, audited as exports); the file is the response body.
XLSX_DOC = {"responses": {200: {"description": gettext_lazy("xlsx file"), "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}}}


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


@router.get("/periods/{int:period_id}/results.xlsx", openapi_extra=XLSX_DOC,
            summary="Results of a period as xlsx: indicators, indices, efficiency, grade per organisation")
def results_xlsx(request, period_id: int, org_id: int | None = None):
    period = selectors.period_get(period_id)
    return _no_store(xlsx.results_export(by=request.user, period=period, org=_org_filter(request, org_id)))


@router.get("/warnings.xlsx", openapi_extra=XLSX_DOC, summary="Warnings of a period as xlsx")
def alert_xlsx(request, period_id: int, org_id: int | None = None, severity: str = "", rule: str = ""):
    period = selectors.period_get(period_id)
    return _no_store(xlsx.warnings_export(by=request.user, period=period, org=_org_filter(request, org_id),
                                          severity=severity, rule=rule))


@router.get("/rectifications.xlsx", openapi_extra=XLSX_DOC, summary="Rectification tasks as xlsx")
def rect_xlsx(request, state: str = "", org_id: int | None = None):
    return _no_store(xlsx.rectifications_export(by=request.user, state=state, org=_org_filter(request, org_id)))


@router.get("/rectifications/{int:rect_id}", response=RectOut)
def rect_get(request, rect_id: int):
    return selectors.rectification_get(request.user, rect_id)


@router.post("/rectifications", response={201: RectOut})
def rect_create(request, payload: RectIn):
    alert: Alert = selectors.alert_get(request.user, payload.alert_id)
    return Created(201, services.rectification_create(by=request.user, alert=alert, org=alert.org, title=payload.title,
                                                      requirement=payload.requirement, deadline=payload.deadline))


@router.post("/rectifications/{int:rect_id}/submit", response=RectOut)
def rect_submit(request, rect_id: int, payload: EvidenceIn):
    rect = selectors.rectification_get(request.user, rect_id)
    return services.rectification_submit(by=request.user, rect=rect, evidence=payload.evidence)


@router.post("/rectifications/{int:rect_id}/review", response=RectOut)
def rect_review(request, rect_id: int, payload: ReviewIn):
    rect = selectors.rectification_get(request.user, rect_id)
    return services.rectification_review(by=request.user, rect=rect, accept=payload.accept, comment=payload.comment)

"""JSON API of the evaluation: indicators, periods, values, indices, efficiency, grades, warnings, rectifications.

Figures are read through the scoping selectors (VIEW_WORK); an org outside the
caller's scope answers 404, and lists never include its rows.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Created

from dangjian.accounts import roles
from dangjian.api.pagination import Page
from dangjian.api.params import Year
from dangjian.core.scoping import scope_roots
from dangjian.core.xlsx import XLSX
from dangjian.evaluation import selectors, services, xlsx
from dangjian.evaluation import weaklax_selectors as wsel
from dangjian.evaluation import weaklax_services as wsvc
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
    weak_lax: bool  # as the superior committee decided (weak-decisions)
    weak_reasons: list  # the decision's situations
    weak_candidate: list  # the automatic signals: a suggestion, not a decision

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


# ------------------------------------------------------------ 软弱涣散 (docs/evaluation.md, weak and lax)


class WeakNoteOut(Schema):
    on: dt.date
    text: str
    by_id: int | None


class WeakPlanOut(Schema):
    leader_id: int | None
    deadline: dt.date
    measures: str
    state: str
    summary: str
    submitted_on: dt.date | None
    accepted_on: dt.date | None
    accepted_by_id: int | None
    acceptance_comment: str
    concluded_on: dt.date | None
    conclusion: str
    notes: list[WeakNoteOut]

    @staticmethod
    def resolve_notes(obj):
        return list(obj.notes.all())


class WeakDecisionOut(Schema):
    id: int
    org_id: int
    org_name: str
    year: int
    situations: list[str]
    committee_id: int
    decided_on: dt.date
    basis: str
    over_share: bool
    override_reason: str
    candidate_reasons: list
    plan: WeakPlanOut

    @staticmethod
    def resolve_org_name(obj):
        return obj.org.name


class WeakDecisionIn(Schema):
    org_id: int
    year: int
    situations: list[str]
    committee_id: int
    decided_on: dt.date
    basis: str
    leader_id: int
    deadline: dt.date
    measures: str
    override_reason: str = ""


class WeakNoteIn(Schema):
    text: str
    on: dt.date | None = None


class WeakSubmitIn(Schema):
    summary: str


class WeakReviewIn(Schema):
    passed: bool
    comment: str = ""


class WeakConcludeIn(Schema):
    lifted: bool
    comment: str = ""
    on: dt.date | None = None


class WeakCandidateOut(Schema):
    org_id: int
    org_name: str
    reasons: list[str]
    situations: list[str]


class WeakYearOut(Schema):
    year: int
    orgs: int
    identified: int
    lifted: int
    identified_share: float | None
    lifted_share: float | None


@router.get("/weak-decisions", response=list[WeakDecisionOut])
@paginate(Page)
def weak_list(request, year: Year | None = None, state: str = "", org_id: int | None = None):
    return wsel.decisions_for(request.user, year=year, state=state, org=_org_filter(request, org_id))


@router.get("/weak-decisions/{int:decision_id}", response=WeakDecisionOut)
def weak_get(request, decision_id: int):
    return wsel.decision_get(request.user, decision_id)


@router.post("/weak-decisions", response={201: WeakDecisionOut})
def weak_create(request, payload: WeakDecisionIn):
    """The superior committee's decision; beyond the share only with `override_reason`."""
    org = selectors.org_get(request.user, payload.org_id)
    committee = wsel.committees_for(request.user).filter(pk=payload.committee_id).first()
    if committee is None:
        raise Http404
    leader = wsel.leaders_for(request.user).filter(pk=payload.leader_id).first()
    if leader is None:
        raise ValidationError({"leader": _("Name the leader in charge of the rectification")})
    data = payload.dict(exclude={"org_id", "committee_id", "leader_id"})
    return Created(201, wsvc.weak_decide(by=request.user, org=org, committee=committee, leader=leader, **data))


def _plan(request, decision_id: int):
    return wsel.decision_get(request.user, decision_id).plan


@router.post("/weak-decisions/{int:decision_id}/notes", response=WeakDecisionOut)
def weak_note(request, decision_id: int, payload: WeakNoteIn):
    plan = _plan(request, decision_id)
    wsvc.weak_note_add(by=request.user, plan=plan, text=payload.text, on=payload.on)
    return weak_get(request, decision_id)


@router.post("/weak-decisions/{int:decision_id}/submit", response=WeakDecisionOut)
def weak_submit(request, decision_id: int, payload: WeakSubmitIn):
    wsvc.weak_submit(by=request.user, plan=_plan(request, decision_id), summary=payload.summary)
    return weak_get(request, decision_id)


@router.post("/weak-decisions/{int:decision_id}/review", response=WeakDecisionOut)
def weak_review(request, decision_id: int, payload: WeakReviewIn):
    wsvc.weak_review(by=request.user, plan=_plan(request, decision_id), passed=payload.passed, comment=payload.comment)
    return weak_get(request, decision_id)


@router.post("/weak-decisions/{int:decision_id}/conclude", response=WeakDecisionOut)
def weak_conclude(request, decision_id: int, payload: WeakConcludeIn):
    wsvc.weak_conclude(by=request.user, plan=_plan(request, decision_id), lifted=payload.lifted,
                       comment=payload.comment, on=payload.on)
    return weak_get(request, decision_id)


@router.get("/weak-candidates", response=list[WeakCandidateOut])
def weak_candidates(request, year: Year):
    """Suggestions from the automatic signals for the organisations the caller is the superior of; none decides."""
    _period, found = wsel.candidates(request.user, year)
    return [{"org_id": c.org.pk, "org_name": c.org.name, "reasons": c.reasons, "situations": c.situations}
            for c in found]


@router.get("/weak-summary", response=list[WeakYearOut])
def weak_summary(request, org_id: int | None = None):
    """Per year: organisations below the org (default: the caller's first scope root), identified, transformed."""

    org = _org_filter(request, org_id) or scope_roots(request.user, roles.VIEW_WORK).first()
    if org is None:
        return []
    return [{"year": y.year, "orgs": y.orgs, "identified": y.identified, "lifted": y.lifted,
             "identified_share": y.identified_share, "lifted_share": y.lifted_share}
            for y in wsel.yearly(request.user, org, [timezone.localdate().year])]

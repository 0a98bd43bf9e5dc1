"""JSON API for assessment: schemes, an organisation's assessment with its breakdown, score appeals."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import pgettext_lazy
from ninja import Router, Schema
from ninja.responses import Status as Created

from dangjian.accounts import roles
from dangjian.assessment import selectors, services
from dangjian.assessment.models import Assessment, Scheme, SchemeItem, ScoreAppeal, State
from dangjian.core.scoping import get_scoped_or_404, is_superior

router = Router(tags=[pgettext_lazy("api tag", "Assessment")])


class SchemeOut(Schema):
    id: int
    org_id: int
    title: str
    year: int
    state: str
    thresholds: list[int]
    five_star_cap: int
    weights: dict[str, int]

    @staticmethod
    def resolve_weights(obj):
        return services.weights_of(obj)


class AssessmentOut(Schema):
    id: int
    scheme_id: int
    org_id: int
    state: str
    final_score: Decimal | None
    stars: int | None
    breakdown: dict


class ScoreIn(Schema):
    item_id: int
    score: Decimal
    reason: str


class AppealIn(Schema):
    text: str


class AppealOut(Schema):
    id: int
    text: str
    status: str
    answer: str


@router.get("/schemes", response=list[SchemeOut])
def list_schemes(request):
    return list(selectors.schemes_for(request.user).prefetch_related("components")[:200])


def _hide(a: Assessment, user) -> Assessment:
    if a.state != State.PUBLISHED and not is_superior(user, a.org, roles.ASSESS):
        a.breakdown, a.final_score, a.stars = {}, None, None
    return a


@router.get("/assessments", response=list[AssessmentOut])
def list_assessments(request):
    qs = selectors.assessments_for(request.user)[:500]
    return [_hide(a, request.user) for a in qs]


@router.get("/assessments/{int:assessment_id}", response=AssessmentOut)
def get_assessment(request, assessment_id: int):
    a = get_scoped_or_404(Assessment.objects.select_related("org"), request.user, roles.VIEW_WORK, pk=assessment_id)
    return _hide(a, request.user)


@router.post("/assessments/{int:assessment_id}/scores", response=AssessmentOut)
def score_item(request, assessment_id: int, payload: ScoreIn):
    a = get_scoped_or_404(Assessment.objects.select_related("org"), request.user, roles.VIEW_WORK, pk=assessment_id)
    item = get_object_or_404(SchemeItem, scheme=a.scheme_id, pk=payload.item_id)
    services.assessment_score_item(by=request.user, assessment=a, item=item, score=payload.score, reason=payload.reason)
    return _hide(a, request.user)


@router.post("/assessments/{int:assessment_id}/appeals", response={201: AppealOut})
def file_appeal(request, assessment_id: int, payload: AppealIn):
    a = get_scoped_or_404(Assessment.objects.select_related("org"), request.user, roles.VIEW_WORK, pk=assessment_id)
    return Created(201, services.appeal_file(by=request.user, assessment=a, text=payload.text))


class SelfReportIn(Schema):
    self_report: str


class AnswerIn(Schema):
    answer: str


def _assessment(request, assessment_id: int) -> Assessment:
    return get_scoped_or_404(Assessment.objects.select_related("org", "scheme"), request.user, roles.VIEW_WORK,
                             pk=assessment_id)


@router.post("/assessments/{int:assessment_id}/self-report", response=AssessmentOut)
def submit_self_report(request, assessment_id: int, payload: SelfReportIn):
    a = services.assessment_submit(by=request.user, assessment=_assessment(request, assessment_id),
                                   self_report=payload.self_report)
    return _hide(a, request.user)


@router.post("/assessments/{int:assessment_id}/compute", response=AssessmentOut)
def compute(request, assessment_id: int):
    return services.assessment_compute(by=request.user, assessment=_assessment(request, assessment_id))


@router.post("/schemes/{int:scheme_id}/start", response=SchemeOut)
def start_scheme(request, scheme_id: int):
    scheme = get_scoped_or_404(Scheme.objects.all(), request.user, roles.ASSESS, pk=scheme_id)
    services.scheme_start(by=request.user, scheme=scheme)
    return Scheme.objects.get(pk=scheme_id)


@router.post("/schemes/{int:scheme_id}/publish", response=SchemeOut)
def publish_scheme(request, scheme_id: int):
    scheme = get_scoped_or_404(Scheme.objects.all(), request.user, roles.ASSESS, pk=scheme_id)
    return services.scheme_publish(by=request.user, scheme=scheme)


@router.post("/appeals/{int:appeal_id}/answer", response=AppealOut)
def answer_appeal(request, appeal_id: int, payload: AnswerIn):
    appeal = get_scoped_or_404(ScoreAppeal.objects.select_related("assessment__org"), request.user, roles.VIEW_WORK,
                               path_field="assessment__org__path", pk=appeal_id)
    return services.appeal_answer(by=request.user, appeal=appeal, answer=payload.answer)

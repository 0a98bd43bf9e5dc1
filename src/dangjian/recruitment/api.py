"""JSON API for recruitment: the step catalogue, cases (masked identifiers), steps, extension."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from dangjian.accounts import roles
from dangjian.api.pagination import Page
from dangjian.core.http import require_capability
from dangjian.core.scoping import get_scoped_or_404
from dangjian.orgs.models import Member, Org
from dangjian.recruitment import selectors, services
from dangjian.recruitment.models import Applicant
from dangjian.recruitment.steps import STEPS

router = Router(tags=[pgettext_lazy("api tag", "Recruitment")])
WRITE = {400: dict, 401: dict, 404: dict}


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class StepDefOut(Schema):
    number: int
    code: str
    stage: int
    name: str
    after: list[str]
    materials: list[str]
    rule: str


class StepOut(Schema):
    code: str
    on: dt.date
    passed: bool
    late: str
    materials: list[str]
    votes_eligible: int | None
    votes_present: int | None
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    votes_written: int | None
    training_days: int | None
    training_hours: int | None
    note: str


class ApplicantOut(Schema):
    id: int
    org_id: int
    name: str
    gender: str
    birth_date: dt.date
    id_number_masked: str
    applied_on: dt.date
    stage: str
    extension_months: int
    extension_approved_on: dt.date | None
    member_id: int | None
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())


class ActivistMentorOut(Schema):
    id: int
    member_id: int
    name: str
    appointed_on: dt.date
    ended_on: dt.date | None
    end_reason: str

    @staticmethod
    def resolve_name(obj):
        return obj.member.name


class ActivistMentorEndIn(Strict):
    mentor_id: int
    on: dt.date
    reason: str


class ActivistReviewOut(Schema):
    on: dt.date
    mentor_id: int | None
    content: str


class ActivistOut(Schema):
    """细则第三章: the activist's mentors, the half-yearly reviews and when the next one is due."""

    mentors: list[ActivistMentorOut]
    reviews: list[ActivistReviewOut]
    review_due: dt.date | None


class ActivistMentorIn(Strict):
    member_id: int
    appointed_on: dt.date


class ActivistReviewIn(Strict):
    on: dt.date
    content: str
    mentor_id: int | None = None


class ApplicantIn(Strict):
    org: int
    name: str
    gender: str
    ethnicity: str = "汉族"
    birth_date: dt.date
    id_number: str
    phone: str = ""
    education: str = ""
    employment: str = "employed"
    job: str = ""
    address: str = ""
    applied_on: dt.date


class StepCounts(Strict):
    """The branch meeting's votes and the training time: only steps of that kind record them."""

    votes_eligible: int | None = None
    votes_present: int | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    votes_written: int | None = None
    training_days: int | None = None
    training_hours: int | None = None


class RecruitmentStepIn(StepCounts):
    code: str
    on: dt.date
    materials: list[str] = []
    passed: bool = True
    note: str = ""


class ExtendIn(Strict):
    """党章第七条: the branch meeting's vote when probation ends, the superior's approval."""

    months: int
    on: dt.date
    approved_on: dt.date
    votes_eligible: int
    votes_present: int
    votes_for: int
    votes_against: int | None = None
    votes_abstain: int | None = None
    votes_written: int | None = None
    reason: str


def _case(request, pk: int, capability=roles.VIEW_WORK) -> Applicant:
    return get_scoped_or_404(selectors.applicants_for(request.user, capability=capability), request.user,
                             capability, pk=pk)


@router.get("/steps", response=list[StepDefOut], summary=_("The 25 recruitment steps and their rules"))
def steps(request):
    return [{**s.__dict__, "name": str(s.name), "rule": str(s.rule), "after": list(s.after),
             "materials": list(s.materials)} for s in STEPS]


@router.get("/applicants", response=list[ApplicantOut], summary=_("Recruitment cases"))
@paginate(Page)
def applicants(request, org: int | None = None, stage: str = ""):
    require_capability(request.user, roles.VIEW_WORK)
    scope_org = None
    if org is not None:
        scope_org = get_scoped_or_404(Org.objects.all(), request.user, roles.VIEW_WORK, path_field="path", pk=org)
    return selectors.applicants_for(request.user, org=scope_org, stage=stage)


@router.get("/applicants/{int:pk}", response={200: ApplicantOut, 401: dict, 404: dict}, summary=_("A recruitment case"))
def applicant(request, pk: int):
    return _case(request, pk)


@router.post("/applicants", response={201: ApplicantOut, **WRITE}, summary=_("Receive an application to join (opens a case)"))
def create(request, payload: ApplicantIn):
    org = get_scoped_or_404(Org.objects.all(), request.user, roles.EDIT_WORK, path_field="path", pk=payload.org)
    created = services.applicant_create(by=request.user, data={**payload.dict(), "org": org})
    return Status(201, _case(request, created.pk))


@router.post("/applicants/{int:pk}/steps", response={201: ApplicantOut, **WRITE}, summary=_("Record one step"))
def record_step(request, pk: int, payload: RecruitmentStepIn):
    case = _case(request, pk, roles.EDIT_WORK)
    data = {k: v for k, v in payload.dict().items() if v is not None}
    services.step_record(by=request.user, applicant=case, **data)
    return Status(201, _case(request, pk))


@router.post("/applicants/{int:pk}/extension", response={200: ApplicantOut, **WRITE}, summary=_("Extend the probation (once only)"))
def extend(request, pk: int, payload: ExtendIn):
    case = _case(request, pk, roles.EDIT_WORK)
    services.probation_extend(by=request.user, applicant=case, **payload.dict())
    return _case(request, pk)


class StepCorrectIn(StepCounts):
    """Only the values sent change; the others stay as recorded."""

    reason: str
    on: dt.date | None = None
    note: str | None = None
    materials: list[str] | None = None
    passed: bool | None = None


class RecruitmentReasonIn(Strict):
    reason: str


class RecruitmentCorrectionOut(Schema):
    code: str
    kind: str
    before: dict
    after: dict
    reason: str
    at: dt.datetime


@router.post("/applicants/{int:pk}/steps/{code}/correct", response={200: ApplicantOut, **WRITE},
             summary=_("Correct a recorded step (date, opinion, materials, votes, training time, approval outcome)"))
def correct_step(request, pk: int, code: str, payload: StepCorrectIn):
    case = _case(request, pk, roles.EDIT_WORK)
    changes = {k: getattr(payload, k) for k in payload.model_fields_set if k != "reason"}
    services.step_correct(by=request.user, applicant=case, code=code, reason=payload.reason, **changes)
    return _case(request, pk)


@router.post("/applicants/{int:pk}/steps/{code}/withdraw", response={200: ApplicantOut, **WRITE},
             summary=_("Withdraw a step recorded by mistake (the later steps resting on it first)"))
def withdraw_step(request, pk: int, code: str, payload: RecruitmentReasonIn):
    case = _case(request, pk, roles.EDIT_WORK)
    services.step_withdraw(by=request.user, applicant=case, code=code, reason=payload.reason)
    return _case(request, pk)


@router.get("/applicants/{int:pk}/corrections", response={200: list[RecruitmentCorrectionOut], 401: dict, 404: dict},
            summary=_("The corrections and withdrawals of a case's steps (earlier records)"))
def corrections(request, pk: int):
    return list(_case(request, pk).corrections.all())


def _activist(case: Applicant) -> dict:
    return {"mentors": list(case.mentors.all()), "reviews": list(case.reviews.all()),
            "review_due": selectors.review_due(case)}


def _case_member(case: Applicant, member_id: int | None, field: str):
    """A roster member of the case's branch by id; anyone else (unknown or out of scope) is a 400 on the field."""
    if member_id is None:
        return None
    member = Member.objects.filter(pk=member_id, org__path__subtree=case.org.path).first()
    if member is None:
        raise ValidationError({field: gettext("A mentor must be a full member on the roll of the applicant's branch")})
    return member


@router.get("/applicants/{int:pk}/activist", response={200: ActivistOut, 401: dict, 404: dict},
            summary=_("An activist's mentors and half-yearly reviews"))
def activist(request, pk: int):
    return _activist(_case(request, pk))


@router.post("/applicants/{int:pk}/mentors", response={201: ActivistOut, **WRITE},
             summary=_("Appoint a mentor (a full member of the branch; one or two per activist)"))
def appoint_mentor(request, pk: int, payload: ActivistMentorIn):
    case = _case(request, pk, roles.EDIT_WORK)
    services.mentor_appoint(by=request.user, applicant=case, member=_case_member(case, payload.member_id, "member"),
                            appointed_on=payload.appointed_on)
    return Status(201, _activist(_case(request, pk)))


@router.post("/applicants/{int:pk}/mentors/end", response={201: ActivistOut, **WRITE},
             summary=_("Record that a mentor stopped (the row is kept with the date and the reason)"))
def end_mentor(request, pk: int, payload: ActivistMentorEndIn):
    case = _case(request, pk, roles.EDIT_WORK)
    mentor = case.mentors.filter(pk=payload.mentor_id).first()
    if mentor is None:
        raise ValidationError({"mentor": gettext("Choose one of the activist's current mentors")})
    services.mentor_end(by=request.user, applicant=case, mentor=mentor, on=payload.on, reason=payload.reason)
    return Status(201, _activist(_case(request, pk)))


@router.post("/applicants/{int:pk}/reviews", response={201: ActivistOut, **WRITE},
             summary=_("Record the branch's half-yearly review of an activist"))
def record_review(request, pk: int, payload: ActivistReviewIn):
    case = _case(request, pk, roles.EDIT_WORK)
    services.activist_review_record(by=request.user, applicant=case, on=payload.on, content=payload.content,
                                    mentor=_case_member(case, payload.mentor_id, "mentor"))
    return Status(201, _activist(_case(request, pk)))

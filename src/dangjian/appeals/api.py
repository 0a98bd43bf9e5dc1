"""Appeals in the JSON API: list, detail, intake (token auth) and workflow steps."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema

from dangjian.accounts import roles
from dangjian.api.params import Day, Limit, Offset
from dangjian.appeals import selectors, services
from dangjian.appeals.models import Appeal, Channel
from dangjian.core.dates import day_bounds
from dangjian.grids.models import Grid
from dangjian.orgs.models import Org

router = Router(tags=[pgettext_lazy("api tag", "Appeals")])


class AppealOut(Schema):
    # The case's id names it in every API path; the tracking code (the resident's secret) only in bodies.
    id: int
    tracking_code: str
    state: str
    channel: str
    org_id: int
    grid_id: int | None
    text: str
    address: str
    category: str
    # The name the appeal was categorised under (a later rename of the category does not change it).
    category_name: str
    suggested_category: str
    is_complex: bool
    received_at: dt.datetime
    accept_due_at: dt.datetime
    resolve_due_at: dt.datetime
    resolved_at: dt.datetime | None
    rating: str
    reopen_count: int
    escalation_level: int
    phone_masked: str
    callback_resolved: bool | None
    merged_into_code: str | None = Field(None, description=_("The case this duplicate was merged into"))

    @staticmethod
    def resolve_merged_into_code(obj) -> str | None:
        return obj.merged_into.tracking_code if obj.merged_into_id else None
    decline_approved_at: dt.datetime | None


class AppealIn(Schema):
    org_id: int
    text: str
    address: str = ""
    resident_name: str = ""
    phone: str = ""
    category: str | None = None
    is_complex: bool = False
    channel: str = Channel.API
    nonce: str = Field("", description=_("Client key: a retry with the same nonce stores nothing twice."))


class StepIn(Schema):
    step: str
    note: str = ""
    is_complex: bool | None = None
    assignee_kind: str = ""
    grid_id: int | None = None
    assignee_name: str = ""
    resolution: str = ""


class RatesOut(Schema):
    received: int
    resolved: int
    handled: int
    rated: int
    not_called_back: int
    declined: int
    declined_pending: int
    merged: int
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    on_time_rate: float | None
    reopen_rate: float | None
    avg_handling_hours: float | None
    composite: float | None


@router.get("/", response=list[AppealOut])
def list_appeals(request, state: str = "", grid_id: int | None = None, limit: Limit = 100, offset: Offset = 0):
    qs = selectors.appeals_for(request.user).order_by("-received_at", "-id")
    if state:
        qs = qs.filter(state=state)
    if grid_id is not None:
        qs = qs.filter(grid_id=grid_id)
    return list(qs[offset:offset + limit])


@router.get("/metrics", response=RatesOut)
def appeal_metrics(request, start: Day, end: Day, grid_id: int | None = None):
    lo, hi = day_bounds(start, end)
    qs = selectors.appeals_for(request.user).filter(received_at__gte=lo, received_at__lt=hi)
    if grid_id is not None:
        qs = qs.filter(grid_id=grid_id)
    return selectors.appeal_rates(qs).as_dict()


class LookupIn(Schema):
    code: str = Field(..., description=_("The tracking code the resident was given"))


@router.post("/lookup", response=AppealOut, summary=_(
    "Find an appeal in scope by its tracking code, sent in the body (never in a URL); then use its id"))
def lookup_appeal(request, payload: LookupIn):
    return selectors.appeal_get(request.user, payload.code)


@router.get("/{int:appeal_id}", response=AppealOut)
def get_appeal(request, appeal_id: int):
    return selectors.appeal_by_id(request.user, appeal_id)


@router.post("/", response={201: AppealOut, 200: AppealOut})
def create_appeal(request, payload: AppealIn):
    if payload.channel not in Channel.values:
        raise ValidationError({"channel": gettext("Unknown intake channel")})
    org = Org.objects.filter(pk=payload.org_id).first()
    if org is None:
        raise Http404
    try:
        appeal, created = services.appeal_submit(
            channel=payload.channel, text=payload.text, org=org, address=payload.address,
            resident_name=payload.resident_name, phone=payload.phone, category=payload.category,
            is_complex=payload.is_complex, nonce=payload.nonce, by=request.user,
        )
    except Org.DoesNotExist as exc:
        raise Http404 from exc
    return (201 if created else 200), appeal


def _grid(pk: int | None) -> Grid | None:
    if pk is None:
        return None
    grid = Grid.objects.filter(pk=pk).first()
    if grid is None:
        raise ValidationError({"grid": gettext("No such grid")})
    return grid


@router.post("/{int:appeal_id}/steps", response=AppealOut)
def take_step(request, appeal_id: int, payload: StepIn):
    appeal = selectors.appeal_by_id(request.user, appeal_id)
    grid = _grid(payload.grid_id)
    data = payload.dict()
    data["grid"] = grid
    try:
        return services.appeal_transition(appeal=appeal, step=payload.step, by=request.user, data=data)
    except Appeal.DoesNotExist as exc:
        raise Http404 from exc


class AppealCorrectIn(Schema):
    reason: str
    category: str | None = None
    grid_id: int | None = None
    address: str | None = None


@router.post("/{int:appeal_id}/correct", response=AppealOut, summary=_(
    "Correct an appeal's category, grid or address (before it is closed, with a reason)"))
def correct_appeal(request, appeal_id: int, payload: AppealCorrectIn):
    appeal = selectors.appeal_by_id(request.user, appeal_id)
    grid = _grid(payload.grid_id)
    try:
        return services.appeal_correct(by=request.user, appeal=appeal, reason=payload.reason,
                                       category=payload.category, grid=grid, address=payload.address)
    except Appeal.DoesNotExist as exc:
        raise Http404 from exc


class MergeIn(Schema):
    into: str = Field(..., description=_("Tracking code of the case of the same problem"))


class CandidateOut(Schema):
    id: int
    tracking_code: str
    received_at: dt.datetime
    score: float


@router.get("/{int:appeal_id}/duplicates", response=list[CandidateOut], summary=_(
    "Open appeals of the same community that read like the same problem (merge candidates)"))
def duplicate_candidates(request, appeal_id: int):
    appeal = selectors.appeal_by_id(request.user, appeal_id)
    return [{"id": a.pk, "tracking_code": a.tracking_code, "received_at": a.received_at, "score": s}
            for a, s in selectors.duplicate_candidates(request.user, appeal)]


@router.post("/{int:appeal_id}/merge", response=AppealOut, summary=_(
    "Merge this appeal into the case of the same problem: its tracking code then follows that case"))
def merge_appeal(request, appeal_id: int, payload: MergeIn):
    appeal = selectors.appeal_by_id(request.user, appeal_id, roles.EDIT_WORK)
    into = selectors.appeals_for(request.user, roles.EDIT_WORK).filter(
        tracking_code=services.normalise_code(payload.into)).first()
    if into is None:
        raise Http404
    try:
        return services.appeal_merge(by=request.user, appeal=appeal, into=into)
    except Appeal.DoesNotExist as exc:
        raise Http404 from exc


class CallbackIn(Schema):
    resolved: bool = Field(..., description=_("The resident's answer: was the problem resolved?"))
    rating: str = Field(..., description=_("satisfied, basic or dissatisfied"))
    note: str = ""


@router.post("/{int:appeal_id}/callback", response=AppealOut, summary=_(
    "Record the call-back: the resident's answer, by whoever called back (never the handling unit)"))
def callback_appeal(request, appeal_id: int, payload: CallbackIn):
    appeal = selectors.appeal_by_id(request.user, appeal_id)
    try:
        return services.appeal_callback(by=request.user, appeal=appeal, resolved=payload.resolved,
                                        rating=payload.rating, note=payload.note)
    except Appeal.DoesNotExist as exc:
        raise Http404 from exc


@router.post("/{int:appeal_id}/approve-decline", response=AppealOut, summary=_(
    "Approve a decline (the superior): only then does the appeal leave the rates' denominators"))
def approve_decline(request, appeal_id: int):
    appeal = selectors.appeal_by_id(request.user, appeal_id)
    try:
        return services.appeal_decline_approve(by=request.user, appeal=appeal)
    except Appeal.DoesNotExist as exc:
        raise Http404 from exc


@router.get("/declines/", response=list[AppealOut], summary=_("Declined appeals in scope (pending=true: awaiting "
                                                             "the superior's approval)"))
def list_declines(request, pending: bool = True, limit: Limit = 100, offset: Offset = 0):
    qs = selectors.appeals_for(request.user).filter(state="rejected").order_by("-closed_at", "-id")
    if pending:
        qs = qs.filter(decline_approved_at__isnull=True)
    return list(qs[offset:offset + limit])


# Before issue 16 (finding 10) appeals were named by tracking code in the path, which put the resident's
# secret in access logs. Those paths answer 410 (for anything that is not an id) with where to go instead;
# nothing is looked up, and the code is neither logged nor echoed.
def _moved() -> JsonResponse:
    return JsonResponse({"detail": gettext(
        "Tracking codes are no longer part of API addresses: POST the code to /api/appeals/lookup, "
        "then use the appeal's id (/api/appeals/{id}/…)")}, status=410)


@router.get("/{code}", include_in_schema=False)
def moved_appeal(request, code: str):
    return _moved()


@router.api_operation(["GET", "POST"], "/{code}/{action}", include_in_schema=False)
def moved_appeal_action(request, code: str, action: str):
    return _moved()


__all__ = ["router", "roles"]

"""Departments in the JSON API: the departments, summoning (the street) and answering (the department's login)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema

from dangjian.accounts import roles
from dangjian.api.params import Day, Limit, Offset
from dangjian.core.scoping import org_in_scope
from dangjian.departments import selectors, services
from dangjian.departments.models import Department, Summons

router = Router(tags=[pgettext_lazy("api tag", "Departments")])


class DepartmentOut(Schema):
    id: int
    org_id: int
    name: str
    code: str
    duties: str
    is_active: bool


class SummonsOut(Schema):
    id: int
    department_id: int
    tracking_code: str = Field(..., alias="appeal.tracking_code")
    request: str
    summoned_at: dt.datetime
    due_at: dt.datetime
    answered_at: dt.datetime | None
    answer: str
    escalation_level: int


class SummonsIn(Schema):
    tracking_code: str
    department_id: int
    due_at: dt.datetime
    request: str


class AnswerIn(Schema):
    answer: str


class UnitRates(Schema):
    name: str
    kind: str
    received: int
    response_rate: float | None
    answer_hours: float | None = None  # a department's average hours to answer; none for a community
    resolution_rate: float | None
    satisfaction_rate: float | None
    composite: float | None
    not_called_back: int | None = None


@router.get("/", response=list[DepartmentOut])
def list_departments(request, limit: Limit = 100, offset: Offset = 0):
    return list(selectors.departments_for(request.user).order_by("code", "id")[offset:offset + limit])


@router.get("/summonses", response=list[SummonsOut])
def list_summonses(request, open: bool = False, limit: Limit = 100, offset: Offset = 0):  # noqa: A002
    qs = selectors.summonses_for(request.user).order_by("-summoned_at", "-id")
    if open:
        qs = qs.filter(answered_at__isnull=True)
    return list(qs[offset:offset + limit])


@router.post("/summonses", response={201: SummonsOut}, summary=_("Summon a department to a case"))
def create_summons(request, payload: SummonsIn):
    appeal = selectors.appeal_by_code(payload.tracking_code)
    if appeal is None or not org_in_scope(request.user, roles.VIEW_WORK, appeal.org):
        raise Http404
    dept = selectors.departments_for(request.user, roles.EDIT_WORK).filter(pk=payload.department_id).first()
    if dept is None:
        raise Http404
    try:
        return 201, services.summons_create(by=request.user, appeal=appeal, department=dept, due_at=payload.due_at,
                                            request=payload.request)
    except Department.DoesNotExist as exc:
        raise Http404 from exc


@router.post("/summonses/{summons_id}/answer", response=SummonsOut, summary=_(
    "Answer a summons: the summoned department's own contacts only"))
def answer_summons(request, summons_id: int, payload: AnswerIn):
    summons = selectors.summonses_for(request.user).filter(pk=summons_id).first()
    if summons is None:
        raise Http404
    try:
        return services.summons_answer(by=request.user, summons=summons, answer=payload.answer)
    except Summons.DoesNotExist as exc:
        raise Http404 from exc


@router.get("/metrics", response=list[UnitRates], summary=_(
    "Departments and communities side by side, by the same three rates"))
def unit_metrics(request, start: Day, end: Day):
    if end < start:
        raise ValidationError({"end": gettext("The end date cannot be before the start date")})
    data = selectors.side_by_side(request.user, start, end)
    keys = ("received", "response_rate", "answer_hours", "resolution_rate", "satisfaction_rate", "composite",
            "not_called_back")
    return ([{"name": n, "kind": "department", **{k: r.get(k) for k in keys}} for n, r in data["departments"]]
            + [{"name": n, "kind": "community", **{k: r.get(k) for k in keys}} for n, r in data["communities"]])

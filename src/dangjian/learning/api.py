"""Case library, study records and reflections in the JSON API."""

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.accounts import roles
from dangjian.api.pagination import Page
from dangjian.api.schemas import StrictInput
from dangjian.core.scoping import get_scoped_or_404
from dangjian.learning import selectors, services
from dangjian.learning.models import Dimension, Material
from dangjian.orgs.models import Member, Org

router = Router(tags=[pgettext_lazy("api tag", "Study and experience")])


class CaseOut(Schema):
    id: int
    org_id: int
    title: str
    kind: str
    dimension: str
    practice: str
    results: str
    lessons: str
    tags: str
    link_type: str
    link_id: int | None
    recommended_at: dt.datetime | None


class CaseIn(StrictInput):
    org_id: int
    title: str
    practice: str
    kind: str = "practice"
    results: str = ""
    lessons: str = ""
    tags: str = ""
    dimension: str = Dimension.OTHER
    link_type: str = ""
    link_id: int | None = None


class RecordIn(StrictInput):
    member_id: int
    mode: str
    studied_on: dt.date
    minutes: int
    material_id: int | None = None
    note: str = ""


class RecordOut(Schema):
    id: int
    member_id: int
    material_id: int | None
    mode: str
    studied_on: dt.date
    minutes: int


class ReflectionIn(StrictInput):
    member_id: int
    title: str
    body: str
    material_id: int | None = None


class MatchOut(Schema):
    kind: str
    other_id: int
    query_containment: float
    doc_containment: float
    passages: list[dict]


class ReflectionOut(Schema):
    id: int
    member_id: int
    org_id: int
    title: str
    verdict: str
    score: float
    created_at: dt.datetime


class ReflectionDetailOut(ReflectionOut):
    body: str
    matches: list[MatchOut]

    @staticmethod
    def resolve_matches(obj) -> list:
        return list(obj.matches.all())


def _member(request, member_id: int) -> Member:
    own = getattr(request.user, "member", None)
    if own is not None and own.pk == member_id:
        return own
    return get_scoped_or_404(Member.objects.select_related("org"), request.user, roles.EDIT_WORK, pk=member_id)


def _material(request, material_id: int | None) -> Material | None:
    if material_id is None:
        return None
    material = selectors.materials_for(request.user).filter(pk=material_id).first()
    if material is None:
        raise Http404
    return material


@router.get("/cases", response=list[CaseOut], summary=_("Experience and lessons (q: full-text search in Chinese)"))
@paginate(Page)
def case_list(request, q: str = "", tag: str = "", recommended: bool = False):
    return selectors.case_search(request.user, q, tag=tag, recommended=recommended)


@router.post("/cases", response={201: CaseOut}, summary=_("Write a case"))
def case_create(request, payload: CaseIn):
    data = payload.dict()
    org = get_scoped_or_404(Org.objects.all(), request.user, roles.EDIT_WORK, path_field="path", pk=data.pop("org_id"))
    return Status(201, services.case_create(by=request.user, org=org, **data))


@router.post("/study-records", response={201: RecordOut}, summary=_("Record a study session"))
def record_create(request, payload: RecordIn):
    return Status(201, services.study_record(
        by=request.user, member=_member(request, payload.member_id), material=_material(request, payload.material_id),
        mode=payload.mode, studied_on=payload.studied_on, minutes=payload.minutes, note=payload.note,
    ))


@router.get("/reflections", response=list[ReflectionOut], summary=_("Study reflections"))
@paginate(Page)
def reflection_list(request, verdict: str = ""):
    qs = selectors.reflections_for(request.user).order_by("-id")
    return qs.filter(verdict=verdict) if verdict else qs


@router.get("/reflections/{int:pk}", response=ReflectionDetailOut, summary=_("A study reflection (with the matching passages side by side)"))
def reflection_detail(request, pk: int):
    reflection = selectors.reflections_for(request.user).filter(pk=pk).first()
    if reflection is None:
        raise Http404
    return reflection


@router.post("/reflections", response={201: ReflectionDetailOut}, summary=_("Submit a study reflection (checked for copying)"))
def reflection_create(request, payload: ReflectionIn):
    return Status(201, services.reflection_submit(
        by=request.user, member=_member(request, payload.member_id), title=payload.title, body=payload.body,
        material=_material(request, payload.material_id),
    ))

"""The three lists in the JSON API: scoped reads, audited writes (a service each)."""

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
from dangjian.appeals.selectors import appeal_by_id
from dangjian.core.scoping import get_scoped_or_404
from dangjian.orgs.models import Org
from dangjian.resources import selectors, services
from dangjian.resources.models import Need

router = Router(tags=[pgettext_lazy("api tag", "Resource list")])


class ResourceOut(Schema):
    id: int
    org_id: int
    partner_id: int | None
    title: str
    category: str
    place: str
    capacity: int | None
    bookable: bool
    available_from: dt.date | None
    available_until: dt.date | None


class NeedOut(Schema):
    id: int
    org_id: int
    title: str
    category: str
    source: str
    place: str
    needed_on: dt.date | None
    people: int | None
    state: str
    appeal_id: int | None


class NeedIn(StrictInput):
    org_id: int
    title: str
    category: str
    source: str = Need.Source.ORG
    place: str = ""
    needed_on: dt.date | None = None
    people: int | None = None
    description: str = ""


class SuggestionOut(Schema):
    resource: ResourceOut
    score: int
    reasons: list[str]


class BookingIn(StrictInput):
    resource_id: int
    org_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    purpose: str


class BookingOut(Schema):
    id: int
    resource_id: int
    org_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    purpose: str
    cancelled: bool


class PartnerOut(Schema):
    id: int
    org_id: int
    name: str
    kind: str
    is_active: bool


def _org(request, org_id: int, capability=roles.EDIT_WORK) -> Org:
    return get_scoped_or_404(Org.objects.all(), request.user, capability, path_field="path", pk=org_id)


@router.get("/", response=list[ResourceOut], summary=_("Resource list"))
@paginate(Page)
def resource_list(request, category: str = ""):
    qs = selectors.resources_for(request.user).order_by("id")
    return qs.filter(category=category) if category else qs


@router.get("/needs", response=list[NeedOut], summary=_("Needs list"))
@paginate(Page)
def need_list(request, state: str = ""):
    qs = selectors.needs_for(request.user).order_by("id")
    return qs.filter(state=state) if state else qs


@router.post("/needs", response={201: NeedOut}, summary=_("Raise a need"))
def need_create(request, payload: NeedIn):
    data = payload.dict()
    org = _org(request, data.pop("org_id"))
    return Status(201, services.need_create(by=request.user, org=org, **data))


# The appeal by its id: tracking codes stay out of URLs (issue 16 #10).
@router.post("/needs/from-appeal/{int:appeal_id}", response={201: NeedOut}, summary=_("Turn a residents' appeal into a need"))
def need_from_appeal(request, appeal_id: int):
    appeal = appeal_by_id(request.user, appeal_id, roles.EDIT_WORK)
    return Status(201, services.need_from_appeal(by=request.user, appeal=appeal))


@router.get("/needs/{int:need_id}/suggestions", response=list[SuggestionOut], summary=_("Suggest resources for a need"))
def need_suggestions(request, need_id: int):
    need = get_scoped_or_404(Need.objects.select_related("org"), request.user, roles.VIEW_WORK, pk=need_id)
    return [{"resource": s.resource, "score": s.score, "reasons": s.reasons} for s in selectors.suggest_resources(need)]


@router.get("/bookings", response=list[BookingOut], summary=pgettext_lazy("api", "Bookings"))
@paginate(Page)
def booking_list(request, resource_id: int | None = None):
    qs = selectors.bookings_for(request.user).filter(cancelled=False).order_by("starts_at", "id")
    return qs.filter(resource_id=resource_id) if resource_id else qs


@router.post("/bookings", response={201: BookingOut}, summary=_("Book a venue or time (no overlaps)"))
def booking_create(request, payload: BookingIn):
    resource = selectors.resources_for(request.user).filter(pk=payload.resource_id).first()
    if resource is None:
        raise Http404
    org = _org(request, payload.org_id)
    booking = services.booking_create(by=request.user, resource=resource, org=org, starts_at=payload.starts_at,
                                      ends_at=payload.ends_at, purpose=payload.purpose)
    return Status(201, booking)


@router.get("/partners", response=list[PartnerOut], summary=pgettext_lazy("api", "Partner units"))
@paginate(Page)
def partner_list(request):
    return selectors.partners_for(request.user).order_by("id")

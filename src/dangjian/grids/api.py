"""Grids, households and member-household links in the JSON API."""

import datetime as dt

from django.http import Http404
from ninja import Router, Schema

from dangjian.accounts import roles
from dangjian.grids import selectors, services
from dangjian.grids.models import Grid
from dangjian.orgs.models import Member, Org

router = Router(tags=["grids"])


class GridOut(Schema):
    id: int
    org_id: int
    name: str
    code: str
    keywords: str


class HouseholdOut(Schema):
    id: int
    grid_id: int
    address: str
    head_name_masked: str
    phone_masked: str
    size: int


class HouseholdIn(Schema):
    address: str
    head_name: str
    phone: str = ""
    size: int = 1
    note: str = ""


class LinkOut(Schema):
    id: int
    member_id: int
    household_id: int
    since: dt.date
    ended_on: dt.date | None


class LinkIn(Schema):
    member_id: int
    household_id: int
    since: dt.date | None = None


@router.get("/", response=list[GridOut])
def list_grids(request):
    return list(selectors.grids_for(request.user))


@router.get("/links", response=list[LinkOut])
def list_links(request, grid_id: int | None = None, open_only: bool = True):
    qs = selectors.links_for(request.user).order_by("id")
    if grid_id is not None:
        qs = qs.filter(household__grid_id=grid_id)
    if open_only:
        qs = qs.filter(ended_on__isnull=True)
    return list(qs[:2000])


@router.post("/links", response={201: LinkOut})
def create_link(request, payload: LinkIn):
    household = selectors.household_get(request.user, payload.household_id, roles.EDIT_WORK)
    member = Member.objects.filter(pk=payload.member_id).first()
    if member is None:
        raise Http404
    try:
        link = services.household_link(by=request.user, member=member, household=household, since=payload.since)
    except (Grid.DoesNotExist, Org.DoesNotExist) as exc:
        raise Http404 from exc
    return 201, link


@router.get("/{grid_id}", response=GridOut)
def get_grid(request, grid_id: int):
    return selectors.grid_get(request.user, grid_id)


@router.get("/{grid_id}/households", response=list[HouseholdOut])
def list_households(request, grid_id: int):
    grid = selectors.grid_get(request.user, grid_id)
    return list(selectors.households_for(request.user).filter(grid=grid).order_by("address"))


@router.post("/{grid_id}/households", response={201: HouseholdOut})
def create_household(request, grid_id: int, payload: HouseholdIn):
    grid = selectors.grid_get(request.user, grid_id, roles.EDIT_WORK)
    try:
        household = services.household_create(by=request.user, grid=grid, **payload.dict())
    except Grid.DoesNotExist as exc:
        raise Http404 from exc
    return 201, household

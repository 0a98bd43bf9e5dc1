"""Grids, households and member-household links in the JSON API."""

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from ninja import Field, Router, Schema
from ninja.responses import Status

from dangjian.accounts import roles
from dangjian.api.schemas import WRITE_ERRORS, StrictInput
from dangjian.grids import selectors, services
from dangjian.grids.models import Grid, GridStaff, Resident
from dangjian.orgs.models import Member, Org

router = Router(tags=[pgettext_lazy("api tag", "Grids")])


class GridOut(Schema):
    id: int
    org_id: int
    name: str
    code: str
    keywords: str
    is_active: bool


class HouseholdEntryOut(Schema):
    grid_id: int
    address: str
    head_name_masked: str
    phone_masked: str
    size: int
    note: str


class HouseholdOut(HouseholdEntryOut):
    id: int
    entered_in_error_at: dt.datetime | None


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
    end_reason: str


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
    # A member outside the grid's community answers like a missing one: the answer
    # must not tell whether a member id exists elsewhere.
    member = Member.objects.filter(pk=payload.member_id, org__path__subtree=household.grid.org.path).first()
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


# --- Corrections (docs/corrections.md) -------------------------------------------------

REASON = Field("", max_length=200, description=_("Reason (required)"))


class ReasonIn(StrictInput):
    reason: str = REASON


class HouseholdCorrectIn(StrictInput):
    address: str | None = None
    head_name: str | None = None
    phone: str | None = Field(None, description=_("An empty string removes the phone; left out, it stays"))
    size: int | None = None
    note: str | None = None
    reason: str = REASON


class HouseholdMoveIn(StrictInput):
    grid_id: int
    reason: str = REASON


class HouseholdVersionOut(HouseholdEntryOut):
    kind: str
    changed: list[str]
    reason: str
    at: dt.datetime


class StaffOut(Schema):
    id: int
    user_id: int
    username: str = Field(alias="user.username")
    role: str


class GridChangeOut(Schema):
    kind: str
    before: dict
    after: dict
    reason: str
    at: dt.datetime


class GridCorrectIn(StrictInput):
    name: str | None = None
    code: str | None = None
    keywords: str | None = None
    reason: str = REASON


class ResidentOut(Schema):
    id: int
    name_masked: str
    phone_masked: str
    is_head: bool = False


class ResidentIn(StrictInput):
    name: str
    phone: str = ""


class ResidentCorrectIn(StrictInput):
    name: str | None = None
    phone: str | None = Field(None, description=_("An empty string removes the phone; left out, it stays"))
    reason: str = REASON


class ResidentVersionOut(Schema):
    original_id: int
    kind: str
    name_masked: str
    phone_masked: str
    changed: list[str]
    reason: str
    at: dt.datetime


def _editable_household(request, household_id: int):
    return selectors.household_get(request.user, household_id, roles.EDIT_WORK)


@router.get("/households/{int:household_id}", response=HouseholdOut,
            summary=_("A household (one entered in error only for auditors)"))
def get_household(request, household_id: int):
    return selectors.household_page_get(request.user, household_id)


@router.get("/households/{int:household_id}/versions", response=list[HouseholdVersionOut],
            summary=_("A household's corrections, moves and marking as entered in error (the earlier contents)"))
def household_versions(request, household_id: int):
    return list(selectors.household_page_get(request.user, household_id).versions.all())


@router.post("/households/{int:household_id}/correct", response={200: HouseholdOut, **WRITE_ERRORS},
             summary=_("Correct a household (address, head, phone, size, note); the earlier version is kept"))
def correct_household(request, household_id: int, payload: HouseholdCorrectIn):
    fields = payload.dict(exclude={"reason"})
    return services.household_correct(by=request.user, household=_editable_household(request, household_id),
                                      reason=payload.reason, **fields)


@router.post("/households/{int:household_id}/move", response={200: HouseholdOut, **WRITE_ERRORS},
             summary=_("Move a household to another grid of the same community"))
def move_household(request, household_id: int, payload: HouseholdMoveIn):
    household = _editable_household(request, household_id)
    grid = selectors.grid_get(request.user, payload.grid_id, roles.EDIT_WORK)
    return services.household_move(by=request.user, household=household, grid=grid, reason=payload.reason)


@router.post("/households/{int:household_id}/entered-in-error", response={200: HouseholdOut, **WRITE_ERRORS},
             summary=_("Mark as entered in error (within 30 days of entry, not referred to by links, visits or the like)"),
             description=_("A household entered in error leaves every list and count but is kept for the auditors."))
def household_entered_in_error(request, household_id: int, payload: ReasonIn):
    return services.household_mark_entered_in_error(
        by=request.user, household=_editable_household(request, household_id), reason=payload.reason)


@router.get("/{int:grid_id}/staff", response=list[StaffOut], summary=_("Grid staff"))
def list_staff(request, grid_id: int):
    grid = selectors.grid_get(request.user, grid_id)
    return list(grid.staff.select_related("user").order_by("pk"))


@router.post("/{int:grid_id}/staff/{int:post_id}/remove", response={204: None, **WRITE_ERRORS},
             summary=_("Take a worker off a grid (with a reason)"))
def remove_staff(request, grid_id: int, post_id: int, payload: ReasonIn):
    grid = selectors.grid_get(request.user, grid_id, roles.EDIT_WORK)
    post = GridStaff.objects.filter(grid=grid, pk=post_id).first()
    if post is None:
        raise Http404
    services.grid_staff_remove(by=request.user, post=post, reason=payload.reason)
    return Status(204, None)


@router.post("/{int:grid_id}/deactivate", response={200: GridOut, **WRITE_ERRORS},
             summary=_("Deactivate a grid (first move the households out, take the staff off, resolve or reassign the appeals)"))
def deactivate_grid(request, grid_id: int, payload: ReasonIn):
    grid = selectors.grid_get(request.user, grid_id, roles.EDIT_WORK)
    return services.grid_deactivate(by=request.user, grid=grid, reason=payload.reason)


@router.post("/{int:grid_id}/reactivate", response={200: GridOut, **WRITE_ERRORS}, summary=_("Reactivate a grid deactivated by mistake"))
def reactivate_grid(request, grid_id: int, payload: ReasonIn):
    grid = selectors.grid_get(request.user, grid_id, roles.EDIT_WORK)
    return services.grid_reactivate(by=request.user, grid=grid, reason=payload.reason)


@router.get("/{int:grid_id}/changes", response=list[GridChangeOut], summary=_("A grid's deactivations, reactivations and staff removals"))
def grid_changes(request, grid_id: int):
    return list(selectors.grid_get(request.user, grid_id).changes.all())


@router.post("/{int:grid_id}/correct", response={200: GridOut, **WRITE_ERRORS},
             summary=_("Correct a grid's name, code or keywords (earlier values kept)"),
             description=_("Appeals already routed keep their grid and timeline; the keywords route new appeals only."))
def correct_grid(request, grid_id: int, payload: GridCorrectIn):
    grid = selectors.grid_get(request.user, grid_id, roles.EDIT_WORK)
    return services.grid_correct(by=request.user, grid=grid, **payload.dict())


# --- Residents: the head's row follows the household; the others one by one ---------------


def _resident(request, household_id: int, resident_id: int) -> Resident:
    resident = _editable_household(request, household_id).residents.filter(pk=resident_id).first()
    if resident is None:
        raise Http404
    return resident


@router.get("/households/{int:household_id}/residents", response=list[ResidentOut],
            summary=_("A household's residents (masked)"))
def list_residents(request, household_id: int):
    return selectors.household_residents(selectors.household_page_get(request.user, household_id))


@router.post("/households/{int:household_id}/residents", response={201: ResidentOut, **WRITE_ERRORS},
             summary=_("Add a resident to a household"))
def create_resident(request, household_id: int, payload: ResidentIn):
    resident = services.resident_create(by=request.user, household=_editable_household(request, household_id),
                                        **payload.dict())
    return Status(201, resident)


@router.get("/households/{int:household_id}/residents/versions", response=list[ResidentVersionOut],
            summary=_("Residents corrected or removed as entered in error (the values before)"))
def resident_versions(request, household_id: int):
    return list(selectors.household_page_get(request.user, household_id).resident_versions.all())


@router.post("/households/{int:household_id}/residents/{int:resident_id}/correct",
             response={200: ResidentOut, **WRITE_ERRORS},
             summary=_("Correct a resident other than the head (name, phone), keeping the earlier version"))
def correct_resident(request, household_id: int, resident_id: int, payload: ResidentCorrectIn):
    fields = payload.dict(exclude={"reason"})
    return services.resident_correct(by=request.user, resident=_resident(request, household_id, resident_id),
                                     reason=payload.reason, **fields)


@router.post("/households/{int:household_id}/residents/{int:resident_id}/entered-in-error",
             response={204: None, **WRITE_ERRORS},
             summary=_("Remove a resident other than the head as entered in error (a copy is kept)"))
def resident_entered_in_error(request, household_id: int, resident_id: int, payload: ReasonIn):
    services.resident_mark_entered_in_error(by=request.user, resident=_resident(request, household_id, resident_id),
                                            reason=payload.reason)
    return Status(204, None)


class LinkEndIn(StrictInput):
    ended_on: dt.date | None = Field(None, description=_("Left out: today"))
    reason: str = REASON


@router.post("/links/{int:link_id}/end", response={200: LinkOut, **WRITE_ERRORS},
             summary=_("End a member-household link (with a reason; the link is kept)"))
def end_link(request, link_id: int, payload: LinkEndIn):
    link = selectors.links_for(request.user, roles.EDIT_WORK).filter(pk=link_id).first()
    if link is None:
        raise Http404
    return services.household_unlink(by=request.user, link=link, on=payload.ended_on, reason=payload.reason)

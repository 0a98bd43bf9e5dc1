"""Volunteer activities and hours in the JSON API."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.accounts import roles
from dangjian.api.pagination import Page
from dangjian.api.params import Day
from dangjian.api.schemas import StrictInput
from dangjian.core.scoping import get_scoped_or_404
from dangjian.orgs.models import Member, Org
from dangjian.volunteering import selectors, services
from dangjian.volunteering.models import Activity

router = Router(tags=[pgettext_lazy("api tag", "Volunteering")])


class ActivityOut(Schema):
    id: int
    org_id: int
    title: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int | None
    state: str


class ActivityIn(StrictInput):
    org_id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str = ""
    capacity: int | None = None
    description: str = ""


class SignUpIn(StrictInput):
    member_id: int


class SignUpOut(Schema):
    id: int
    member_id: int
    attended: bool | None
    hours: Decimal | None


class AttendanceItem(StrictInput):
    signup_id: int
    attended: bool
    hours: Decimal | None = None


class VolunteerAttendanceIn(StrictInput):
    entries: list[AttendanceItem]


class HoursOut(Schema):
    org_id: int
    start: dt.date
    end: dt.date
    hours: Decimal


def _activity(request, pk, capability=roles.VIEW_WORK) -> Activity:
    return get_scoped_or_404(Activity.objects.select_related("org"), request.user, capability, pk=pk)


@router.get("/activities", response=list[ActivityOut], summary=_("Volunteer activities"))
@paginate(Page)
def activity_list(request):
    return selectors.activities_for(request.user).order_by("-starts_at", "id")


@router.post("/activities", response={201: ActivityOut}, summary=_("Create a volunteer activity"))
def activity_create(request, payload: ActivityIn):
    data = payload.dict()
    org = get_scoped_or_404(Org.objects.all(), request.user, roles.EDIT_WORK, path_field="path", pk=data.pop("org_id"))
    return Status(201, services.activity_create(by=request.user, org=org, **data))


@router.get("/activities/{int:pk}/signups", response=list[SignUpOut], summary=_("Sign-ups and hours"))
def signup_list(request, pk: int):
    return list(_activity(request, pk).signups.all())


@router.post("/activities/{int:pk}/signups", response={201: SignUpOut}, summary=pgettext_lazy("volunteering", "Sign up"))
def signup_create(request, pk: int, payload: SignUpIn):
    activity = _activity(request, pk)
    member = get_scoped_or_404(Member.objects.select_related("org"), request.user, roles.EDIT_WORK, pk=payload.member_id)
    return Status(201, services.signup_create(by=request.user, activity=activity, member=member))


@router.post("/activities/{int:pk}/attendance", response=list[SignUpOut], summary=_("Record attendance and hours (once only)"))
def attendance(request, pk: int, payload: VolunteerAttendanceIn):
    activity = _activity(request, pk, roles.EDIT_WORK)
    entries = {e.signup_id: (e.attended, e.hours) for e in payload.entries}
    services.attendance_record(by=request.user, activity=activity, entries=entries)
    return list(activity.signups.all())


@router.get("/hours", response=HoursOut, summary=_("Total volunteer hours"))
def hours(request, org_id: int, start: Day, end: Day):
    org = get_scoped_or_404(Org.objects.all(), request.user, roles.VIEW_WORK, path_field="path", pk=org_id)
    return {"org_id": org.pk, "start": start, "end": end, "hours": selectors.volunteer_hours(org, start, end)}

"""JSON API for meetings, the six-month rule and appraisals (read and write)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from ninja import Router, Schema
from ninja.responses import Status as Created

from dangjian.accounts import roles
from dangjian.api.params import Limit, Offset, Year
from dangjian.core.http import require_capability
from dangjian.core.scoping import get_scoped_or_404, visible_orgs
from dangjian.meetings import lapse, selectors, services
from dangjian.meetings.models import Attendance, Meeting
from dangjian.meetings.selectors import appraisals_for, compliance, life_warnings, meetings_for
from dangjian.orgs.models import Member, Org, OrgKind

router = Router(tags=[pgettext_lazy("api tag", "Meetings")])


class MeetingOut(Schema):
    id: int
    org_id: int
    org_name: str
    meeting_type: str
    state: str
    starts_at: dt.datetime
    place: str
    topic: str
    host_id: int | None
    lecturer_id: int | None
    minutes: str

    @staticmethod
    def resolve_org_name(obj):
        return obj.org.name


class MeetingAttendanceIn(Schema):
    member_id: int
    status: str
    reason: str = ""


class AttendanceOut(Schema):
    member_id: int
    member_name: str
    status: str
    reason: str
    expected: bool  # False: kept from an old whole-branch committee record, counted in no figure

    @staticmethod
    def resolve_member_name(obj):
        return obj.member.name


class MeetingIn(Schema):
    org_id: int
    meeting_type: str
    starts_at: dt.datetime
    place: str
    topic: str
    host_id: int | None = None
    # A 党课's lecturer: a member on the roll of the org or of one above it (ARTICLES["secretary.duties"]).
    lecturer_id: int | None = None
    # With minutes and attendance the meeting is recorded as held; without, planned.
    minutes: str | None = None
    attendance: list[MeetingAttendanceIn] | None = None


class HoldIn(Schema):
    minutes: str
    attendance: list[MeetingAttendanceIn]
    starts_at: dt.datetime | None = None


class SlotOut(Schema):
    period: str
    start: dt.date
    end: dt.date
    state: str
    held_on: list[dt.date]


class TypeOut(Schema):
    meeting_type: str
    every_months: int
    required: int
    held: int
    due: int
    overdue: int
    slots: list[SlotOut]


class ComplianceOut(Schema):
    org_id: int
    org_name: str
    roll_size: int
    types: list[TypeOut]


class LifeOut(Schema):
    member_id: int
    member_name: str
    org_id: int
    last_on: dt.date | None
    since: dt.date
    months: int
    level: str


class AppraisalIn(Schema):
    member_id: int
    year: int
    outcome: str
    reason: str = ""


class AppraisalOut(Schema):
    id: int
    member_id: int
    member_name: str
    org_id: int
    year: int
    outcome: str
    reason: str

    @staticmethod
    def resolve_member_name(obj):
        return obj.member.name


def _attendance(items: list[MeetingAttendanceIn]) -> dict[int, tuple[str, str]]:
    return {a.member_id: (a.status, a.reason) for a in items}


def _aware(value: dt.datetime) -> dt.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)


@router.get("", response=list[MeetingOut])
def list_meetings(request, org_id: int | None = None, state: str | None = None, year: Year | None = None,
                  limit: Limit = 100, offset: Offset = 0):
    qs = meetings_for(request.user)
    if org_id is not None:
        org = get_scoped_or_404(Org.objects.all(), request.user, roles.VIEW_WORK, path_field="path", pk=org_id)
        qs = qs.filter(org__path__subtree=org.path)
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(starts_at__year=year)
    return list(qs[offset: offset + limit])


@router.get("/{int:meeting_id}", response=MeetingOut)
def get_meeting(request, meeting_id: int):
    return get_scoped_or_404(Meeting.objects.select_related("org"), request.user, roles.VIEW_WORK, pk=meeting_id)


@router.get("/{int:meeting_id}/attendance", response=list[AttendanceOut])
def get_attendance(request, meeting_id: int):
    meeting = get_scoped_or_404(Meeting.objects.all(), request.user, roles.VIEW_WORK, pk=meeting_id)
    return list(Attendance.objects.filter(meeting=meeting).select_related("member").order_by("member__name"))


def _lecturer(pk: int | None) -> Member | None:
    """The service checks the lecturer is on the roll of the org or above (one answer for any id outside it)."""
    if pk is None:
        return None
    found = Member.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({"lecturer": _("The lecturer must be a member on the roll of this organisation or of one above it")})
    return found


@router.post("", response={201: MeetingOut})
def create_meeting(request, payload: MeetingIn):
    org = get_scoped_or_404(Org.objects.all(), request.user, roles.EDIT_WORK, path_field="path", pk=payload.org_id)
    host = None
    if payload.host_id is not None:
        host = get_scoped_or_404(Member.objects.all(), request.user, roles.EDIT_WORK, pk=payload.host_id)
    data = {
        "org": org, "meeting_type": payload.meeting_type, "starts_at": _aware(payload.starts_at),
        "place": payload.place, "topic": payload.topic, "host": host, "lecturer": _lecturer(payload.lecturer_id),
    }
    if payload.attendance is not None or payload.minutes is not None:
        meeting = services.meeting_record(
            by=request.user, data=data, attendance=_attendance(payload.attendance or []), minutes=payload.minutes or "",
        )
    else:
        meeting = services.meeting_plan(by=request.user, data=data)
    return Created(201, meeting)


@router.post("/{int:meeting_id}/hold", response=MeetingOut)
def hold_meeting(request, meeting_id: int, payload: HoldIn):
    meeting = get_scoped_or_404(Meeting.objects.all(), request.user, roles.EDIT_WORK, pk=meeting_id)
    return services.meeting_hold(
        by=request.user, meeting=meeting, attendance=_attendance(payload.attendance), minutes=payload.minutes,
        starts_at=_aware(payload.starts_at) if payload.starts_at else None,
    )


class PlanEditIn(Schema):
    starts_at: dt.datetime | None = None
    place: str | None = None
    topic: str | None = None
    host_id: int | None = None
    lecturer_id: int | None = None
    reason: str


class MeetingReasonIn(Schema):
    reason: str


class MeetingCorrectIn(HoldIn):
    reason: str


class MeetingCorrectionOut(Schema):
    kind: str
    before: dict
    after: dict
    reason: str
    at: dt.datetime


def _editable(request, meeting_id: int) -> Meeting:
    return get_scoped_or_404(Meeting.objects.select_related("org"), request.user, roles.EDIT_WORK, pk=meeting_id)


@router.patch("/{int:meeting_id}", response=MeetingOut, summary=_("Edit a planned meeting (time, place, topic, chair)"))
def edit_meeting(request, meeting_id: int, payload: PlanEditIn):
    meeting = _editable(request, meeting_id)
    data = {k: v for k, v in (("starts_at", payload.starts_at and _aware(payload.starts_at)),
                              ("place", payload.place), ("topic", payload.topic)) if v is not None}
    if "host_id" in payload.model_fields_set:
        data["host"] = (get_scoped_or_404(Member.objects.all(), request.user, roles.EDIT_WORK, pk=payload.host_id)
                        if payload.host_id is not None else None)
    if "lecturer_id" in payload.model_fields_set:
        data["lecturer"] = _lecturer(payload.lecturer_id)
    return services.meeting_update_plan(by=request.user, meeting=meeting, data=data, reason=payload.reason)


@router.post("/{int:meeting_id}/cancel", response=MeetingOut, summary=_("Cancel a planned meeting (the record is kept)"))
def cancel_meeting(request, meeting_id: int, payload: MeetingReasonIn):
    return services.meeting_cancel(by=request.user, meeting=_editable(request, meeting_id), reason=payload.reason)


@router.post("/{int:meeting_id}/correct", response=MeetingOut, summary=_("Correct the record of a meeting already held (minutes, attendance, date)"))
def correct_meeting(request, meeting_id: int, payload: MeetingCorrectIn):
    return services.meeting_correct_record(
        by=request.user, meeting=_editable(request, meeting_id), minutes=payload.minutes,
        attendance=_attendance(payload.attendance), reason=payload.reason,
        starts_at=_aware(payload.starts_at) if payload.starts_at else None,
    )


@router.get("/{int:meeting_id}/corrections", response=list[MeetingCorrectionOut], summary=_("A meeting's edits and corrections"))
def meeting_corrections(request, meeting_id: int):
    meeting = get_scoped_or_404(Meeting.objects.all(), request.user, roles.VIEW_WORK, pk=meeting_id)
    return list(meeting.corrections.all())


@router.get("/compliance", response=list[ComplianceOut])
def get_compliance(request, year: Year | None = None, org_id: int | None = None):
    today = timezone.localdate()
    orgs = visible_orgs(request.user, roles.VIEW_WORK)
    if org_id is not None:
        org = get_object_or_404(orgs, pk=org_id)
        orgs = orgs.filter(path__subtree=org.path)
    return [
        {
            "org_id": oc.org.pk, "org_name": oc.org.name, "roll_size": oc.roll_size,
            "types": [
                {
                    "meeting_type": t.meeting_type, "every_months": t.every_months, "required": t.required,
                    "held": t.held, "due": t.due, "overdue": t.overdue,
                    "slots": [{"period": s.period.label, "start": s.period.start, "end": s.period.end,
                               "state": s.state, "held_on": s.held_on} for s in t.slots],
                }
                for t in oc.types
            ],
        }
        for oc in compliance(orgs, year or today.year, today)
    ]


@router.get("/life-warnings", response=list[LifeOut])
def get_life_warnings(request):
    return [
        {"member_id": w.member.pk, "member_name": w.member.name, "org_id": w.member.org_id, "last_on": w.last_on,
         "since": w.since, "months": w.months, "level": w.level}
        for w in life_warnings(request.user)
    ]


@router.get("/appraisals", response=list[AppraisalOut])
def list_appraisals(request, year: Year | None = None, limit: Limit = 100, offset: Offset = 0):
    qs = appraisals_for(request.user)
    if year:
        qs = qs.filter(year=year)
    return list(qs[offset: offset + limit])


@router.post("/appraisals", response={201: AppraisalOut})
def create_appraisal(request, payload: AppraisalIn):
    member = get_scoped_or_404(Member.objects.select_related("org"), request.user, roles.EDIT_WORK, pk=payload.member_id)
    appraisal = services.appraisal_record(
        by=request.user, member=member, year=payload.year, outcome=payload.outcome, reason=payload.reason
    )
    return Created(201, appraisal)


class TalkIn(Schema):
    org_id: int
    talker_id: int
    member_id: int
    held_on: dt.date
    note: str


class TalkOut(Schema):
    id: int
    org_id: int
    talker_id: int
    member_id: int
    held_on: dt.date
    note: str


class DutyOut(Schema):
    org_id: int
    org_name: str
    secretary_id: int
    secretary_name: str
    lectures: int
    talks: int


@router.post("/talks", response={201: TalkOut}, summary=pgettext_lazy("api", "Record a heart-to-heart talk"))
def record_talk(request, payload: TalkIn):
    org = get_scoped_or_404(Org.objects.all(), request.user, roles.EDIT_WORK, path_field="path", pk=payload.org_id)
    member = get_scoped_or_404(Member.objects.all(), request.user, roles.EDIT_WORK, pk=payload.member_id)
    talker = Member.objects.filter(pk=payload.talker_id).first()
    if talker is None:
        raise ValidationError({"talker": _("Who talked must be a member on the roll of this organisation or of one above it")})
    talk = services.talk_record(by=request.user, org=org, talker=talker, member=member, held_on=payload.held_on,
                                note=payload.note)
    return Created(201, talk)


@router.get("/secretary-duties", response=list[DutyOut],
            summary=pgettext_lazy("api", "Secretaries' Party lectures and talks of a year"))
def secretary_duties(request, year: Year):
    require_capability(request.user, roles.VIEW_WORK)
    orgs = visible_orgs(request.user, roles.VIEW_WORK).filter(is_active=True).exclude(kind=OrgKind.GROUP)
    return [{"org_id": d.org.pk, "org_name": d.org.name, "secretary_id": d.secretary.pk,
             "secretary_name": d.secretary.name, "lectures": d.lectures, "talks": d.talks}
            for d in selectors.secretary_duties(orgs, year)]


# ------------------------------------ 不合格党员 follow-up (ARTICLES["member.unqualified"])


class FollowUpStepOut(Schema):
    measure: str
    decided_on: dt.date
    deadline: dt.date | None
    result: str
    result_on: dt.date | None
    note: str


class UnqualifiedOut(Schema):
    appraisal_id: int
    member_id: int
    member_name: str
    org_id: int
    year: int
    # undecided | correcting | overdue | persuading | removing | corrected | ended
    state: str
    steps: list[FollowUpStepOut]


class FollowUpIn(Schema):
    # decide | review | refused | end (meetings.services.followup_step)
    action: str
    measure: str = ""
    decided_on: dt.date | None = None
    deadline: dt.date | None = None
    corrected: bool | None = None
    approved_on: dt.date | None = None
    note: str = ""


def _unqualified_out(u: selectors.Unqualified) -> dict:
    a = u.appraisal
    return {"appraisal_id": a.pk, "member_id": a.member_id, "member_name": a.member.name, "org_id": a.org_id,
            "year": a.year, "state": u.state, "steps": u.steps}


@router.get("/unqualified", response=list[UnqualifiedOut],
            summary=pgettext_lazy("api", "Members appraised as unqualified and their follow-up"))
def list_unqualified(request, year: Year | None = None, limit: Limit = 100, offset: Offset = 0):
    require_capability(request.user, roles.VIEW_WORK)
    qs = selectors.unqualified_for(request.user, year=year)[offset: offset + limit]
    return [_unqualified_out(u) for u in selectors.unqualified_rows(qs)]


@router.post("/appraisals/{int:appraisal_id}/followup", response=UnqualifiedOut,
             summary=pgettext_lazy("api", "Record a step of an unqualified member's follow-up"))
def followup_step(request, appraisal_id: int, payload: FollowUpIn):
    appraisal = get_scoped_or_404(selectors.unqualified_for(request.user), request.user, roles.EDIT_WORK,
                                  pk=appraisal_id)
    services.followup_step(by=request.user, appraisal=appraisal, **payload.dict())
    return _unqualified_out(selectors.unqualified_rows(selectors.unqualified_for(request.user).filter(
        pk=appraisal.pk))[0])


# ---------------------------------------- lapsed members (党章第九条, ARTICLES["member.lapsed"])


class LapsedOut(Schema):
    member_id: int
    member_name: str
    org_id: int
    conditions: list[str]  # life | dues | work
    since: dict[str, dt.date | None]


class GoodReasonIn(Schema):
    member_id: int
    reason: str
    starts_on: dt.date
    ends_on: dt.date


class GoodReasonOut(Schema):
    id: int
    member_id: int
    reason: str
    starts_on: dt.date
    ends_on: dt.date


@router.get("/lapsed", response=list[LapsedOut],
            summary=pgettext_lazy("api", "Members who meet a condition of having left the Party (six months)"))
def list_lapsed(request, org_id: int | None = None):
    require_capability(request.user, roles.VIEW_WORK)
    org = get_scoped_or_404(Org.objects.all(), request.user, roles.VIEW_WORK, path_field="path",
                            pk=org_id) if org_id else None
    return [{"member_id": f.member.pk, "member_name": f.member.name, "org_id": f.member.org_id,
             "conditions": list(f.conditions), "since": f.since or {}}
            for f in lapse.lapsed_for(request.user, org=org)]


@router.post("/good-reasons", response={201: GoodReasonOut},
             summary=pgettext_lazy("api", "Record a good reason for a member's absence over a period"))
def record_good_reason(request, payload: GoodReasonIn):
    member = get_scoped_or_404(Member.objects.select_related("org"), request.user, roles.EDIT_WORK,
                               pk=payload.member_id)
    return Created(201, services.good_reason_record(by=request.user, member=member, reason=payload.reason,
                                                    starts_on=payload.starts_on, ends_on=payload.ends_on))

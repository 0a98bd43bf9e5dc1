"""Writes for meetings and appraisals: each one atomic and audited."""

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core.corrections import json_values, reason_given, user_or_none
from dangjian.core.dates import add_months
from dangjian.core.http import require_in_scope, require_superuser
from dangjian.core.scoping import is_unrestricted, scope_paths
from dangjian.meetings import life_dates
from dangjian.meetings.models import (
    Appraisal,
    Attachment,
    Attendance,
    FollowUp,
    Frequency,
    GoodReason,
    LifeRule,
    Measure,
    Meeting,
    MeetingCorrection,
    MeetingRule,
    MeetingType,
    Outcome,
    Talk,
)
from dangjian.meetings.selectors import expected_attendees
from dangjian.orgs import services as org_services
from dangjian.orgs.models import Member, Org, OrgKind, Status
from dangjian.orgs.selectors import roster

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Extension -> (content type, leading bytes the file must start with).
ATTACHMENT_TYPES = {
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "pdf": ("application/pdf", b"%PDF-"),
}
# Outcomes that must be explained. 合格 is the ordinary outcome and may stand
# without a reason; every other outcome singles a member out and must say why.
REASON_REQUIRED = (Outcome.EXCELLENT, Outcome.BASIC, Outcome.UNQUALIFIED)
MEETING_FIELDS = ("org", "meeting_type", "starts_at", "place", "topic", "host", "lecturer")


def _snapshot(meeting: Meeting) -> dict[str, Any]:
    return {
        "org": meeting.org_id, "meeting_type": meeting.meeting_type, "state": meeting.state,
        "starts_at": meeting.starts_at, "place": meeting.place, "topic": meeting.topic,
        "host": meeting.host_id, "lecturer": meeting.lecturer_id, "minutes": meeting.minutes,
    }


def _check_meeting(meeting: Meeting) -> None:
    errors: dict[str, str] = {}
    org = meeting.org
    if meeting.meeting_type == MeetingType.GROUP and org.kind != OrgKind.GROUP:
        errors["meeting_type"] = _("Only a Party group holds a group meeting")
    elif meeting.meeting_type != MeetingType.GROUP and org.kind == OrgKind.GROUP:
        errors["meeting_type"] = _("A Party group holds only group meetings")
    if not (meeting.place or "").strip():
        errors["place"] = _("Enter the meeting's place")
    if not (meeting.topic or "").strip():
        errors["topic"] = _("Enter the meeting's topic")
    if meeting.host_id and not roster(org).filter(pk=meeting.host_id).exists():
        errors["host"] = _("The chair must be a member on this organisation's roll")
    # ARTICLES["secretary.duties"]: the lecturer of a 党课 (the secretary's yearly lecture is counted from it);
    # a superior committee's secretary may lecture a branch, so any member on the roll of the org or above it.
    if meeting.lecturer_id and meeting.meeting_type != MeetingType.LECTURE:
        errors["lecturer"] = _("Only a Party lecture has a lecturer")
    elif meeting.lecturer_id and not Member.objects.filter(
            pk=meeting.lecturer_id, status=Status.ACTIVE, org__path__in=_paths_up(org)).exists():
        errors["lecturer"] = _("The lecturer must be a member on the roll of this organisation or of one above it")
    if errors:
        raise ValidationError(errors)


def _paths_up(org: Org) -> list[str]:
    step = type(org).steplen
    return [org.path[:i] for i in range(step, len(org.path) + 1, step)]


def _check_attendance(
    meeting: Meeting, attendance: dict[int, tuple[str, str]], *, members: set[int] | None = None
) -> dict[int, tuple[str, str]]:
    """Every member expected at the meeting (or of `members`, a record's own list) gets a status; the unlisted are absent."""
    if members is None:
        expected = expected_attendees(meeting.org, meeting.meeting_type, timezone.localdate(meeting.starts_at))
        members = set(expected.members.values_list("pk", flat=True))
        if expected.basis == "committee":
            stranger_error = _("Only the members of the committee on the meeting date attend a committee meeting")
        else:
            stranger_error = _("Attendees must be members on this organisation's roll")
    else:
        stranger_error = _("Attendees must be members on this organisation's roll")
    strangers = set(attendance) - members
    if strangers:
        raise ValidationError({"attendance": stranger_error})
    full: dict[int, tuple[str, str]] = {}
    for member_id in members:
        status, reason = attendance.get(member_id, (Attendance.Status.ABSENT, ""))
        if status not in Attendance.Status.values:
            raise ValidationError({"attendance": _("Invalid attendance status")})
        reason = (reason or "").strip()
        if status == Attendance.Status.LEAVE and not reason:
            raise ValidationError({"attendance": _("Give the reason for each member on leave")})
        full[member_id] = (status, reason if status == Attendance.Status.LEAVE else "")
    if not any(s == Attendance.Status.PRESENT for s, _ in full.values()):
        raise ValidationError({"attendance": _("The minutes need at least one member present")})
    return full


def _write_attendance(meeting: Meeting, full: dict[int, tuple[str, str]]) -> None:
    # A row kept as not expected (an old committee meeting recorded for the whole branch) stays so when the
    # record is corrected: a correction does not make it count again.
    old = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "expected"))
    outside = {mid for mid, expected in old.items() if not expected}
    Attendance.objects.filter(meeting=meeting).delete()
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member_id=mid, status=s, reason=r, expected=mid not in outside)
        for mid, (s, r) in full.items()
    )
    life_dates.refresh({*old, *full})  # the six-month rule's stored dates follow the record


def _attendance_summary(full: dict[int, tuple[str, str]]) -> dict[str, int]:
    counts = {s: 0 for s in Attendance.Status.values}
    for status, _note in full.values():
        counts[status] += 1
    return counts


@transaction.atomic
def meeting_plan(*, by, data: dict[str, Any]) -> Meeting:
    meeting = Meeting(**{k: v for k, v in data.items() if k in MEETING_FIELDS})
    require_in_scope(by, roles.EDIT_WORK, meeting.org)
    _check_meeting(meeting)
    if timezone.localdate(meeting.starts_at) < timezone.localdate():
        raise ValidationError({"starts_at": _("A planned meeting cannot be earlier than today; for a meeting already held, record its minutes")})
    meeting.state = Meeting.State.PLANNED
    meeting.planned_by = by
    meeting.save()
    audit_record(actor=by, action=Action.CREATE, target=meeting, org=meeting.org, changes=diff(None, _snapshot(meeting)))
    return meeting


def _check_held_time(starts_at: dt.datetime) -> None:
    if timezone.localdate(starts_at) > timezone.localdate():
        raise ValidationError({"starts_at": _("The meeting has not been held yet: its minutes cannot be recorded (the date is after today)")})


def _write_record(
    *, by, meeting: Meeting, attendance: dict[int, tuple[str, str]], minutes: str, before: dict | None
) -> Meeting:
    """Minutes and attendance make a meeting held; a new record is a create, a plan's a transition."""
    _check_held_time(meeting.starts_at)
    full = _check_attendance(meeting, attendance)
    meeting.state = Meeting.State.HELD
    meeting.minutes = minutes.strip()
    meeting.recorded_by = by
    meeting.save()
    _write_attendance(meeting, full)
    changes = diff(before, _snapshot(meeting))
    changes["attendance"] = [None, _attendance_summary(full)]
    action = Action.CREATE if before is None else Action.TRANSITION
    audit_record(actor=by, action=action, target=meeting, org=meeting.org, changes=changes)
    return meeting


@transaction.atomic
def meeting_record(
    *, by, data: dict[str, Any], attendance: dict[int, tuple[str, str]], minutes: str
) -> Meeting:
    """Record a meeting that was held without a plan in the system."""
    meeting = Meeting(**{k: v for k, v in data.items() if k in MEETING_FIELDS})
    require_in_scope(by, roles.EDIT_WORK, meeting.org)
    _check_meeting(meeting)
    return _write_record(by=by, meeting=meeting, attendance=attendance, minutes=minutes, before=None)


@transaction.atomic
def meeting_hold(
    *, by, meeting: Meeting, attendance: dict[int, tuple[str, str]], minutes: str,
    starts_at: dt.datetime | None = None,
) -> Meeting:
    """The one action that turns a planned meeting into its record."""
    meeting = Meeting.objects.select_for_update().select_related("org").get(pk=meeting.pk)
    require_in_scope(by, roles.EDIT_WORK, meeting.org)
    if meeting.state != Meeting.State.PLANNED:
        raise ValidationError({"state": _("This meeting's minutes are already recorded and cannot be recorded twice")})
    before = _snapshot(meeting)
    if starts_at is not None:
        meeting.starts_at = starts_at
    return _write_record(by=by, meeting=meeting, attendance=attendance, minutes=minutes, before=before)


def _sniff(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return head


@transaction.atomic
def attachment_add(*, by, meeting: Meeting, upload: UploadedFile) -> Attachment:
    require_in_scope(by, roles.EDIT_WORK, meeting.org)
    name = (upload.name or "").rsplit("/", 1)[-1][:200]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise ValidationError({"file": _("Attachments can only be JPG or PNG pictures or PDF files")})
    content_type, magic = ATTACHMENT_TYPES[ext]
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("Attachments can be at most 10 MB")})
    if upload.size == 0 or not _sniff(upload).startswith(magic):
        raise ValidationError({"file": _("The file's content does not match its extension: only real JPG, PNG or PDF files are accepted")})
    # The stored name is random: the original name is metadata, never a path.
    upload.name = f"{uuid.uuid4().hex}.{ext}"
    attachment = Attachment.objects.create(
        meeting=meeting, file=upload, original_name=name, content_type=content_type,
        size=upload.size, uploaded_by=by,
    )
    audit_record(
        actor=by, action=Action.CREATE, target=attachment, org=meeting.org,
        changes={"meeting": [None, meeting.pk], "file": [None, name], "size": [None, attachment.size]},
    )
    return attachment


@transaction.atomic
def appraisal_record(*, by, member: Member, year: int, outcome: str, reason: str) -> Appraisal:
    require_in_scope(by, roles.EDIT_WORK, member.org)
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    today = timezone.localdate()
    if outcome not in Outcome.values:
        errors["outcome"] = _("Invalid appraisal outcome")
    elif outcome in REASON_REQUIRED and not reason:
        errors["reason"] = _("An outcome of “%(outcome)s” needs a reason") % {"outcome": Outcome(outcome).label}
    if year > today.year:
        errors["year"] = _("A year that has not started cannot be appraised")
    elif year < member.joined_on.year:
        errors["year"] = _("The appraisal year is before the member joined the Party")
    if member.status != Status.ACTIVE:
        errors["member"] = _("Only members on the roll can be appraised")
    if Appraisal.objects.filter(member=member, year=year).exists():
        errors["year"] = _("%(name)s already has an appraisal for %(year)s; each member is appraised once a year") % {
            "name": member.name, "year": year}
    if errors:
        raise ValidationError(errors)
    appraisal = Appraisal.objects.create(
        member=member, org=member.org, year=year, outcome=outcome, reason=reason, recorded_by=by
    )
    audit_record(
        actor=by, action=Action.CREATE, target=appraisal, org=member.org,
        target_repr=_("%(name)s democratic appraisal %(year)s") % {"name": member.name, "year": year},
        changes={"year": [None, year], "outcome": [None, outcome], "reason": [None, reason]},
    )
    return appraisal


@transaction.atomic
def meeting_rule_update(*, by, rule: MeetingRule, every_months: int) -> MeetingRule:
    require_superuser(by)
    if every_months not in Frequency.values:
        raise ValidationError({"every_months": _("Invalid frequency")})
    old = rule.every_months
    rule.every_months = every_months
    rule.save(update_fields=["every_months"])
    audit_record(actor=by, action=Action.UPDATE, target=rule, changes=diff({"every_months": old}, {"every_months": every_months}))
    return rule


@transaction.atomic
def life_rule_update(*, by, first_warning_months: int, second_warning_months: int, limit_months: int) -> LifeRule:
    require_superuser(by)
    if not 0 < first_warning_months < second_warning_months < limit_months:
        raise ValidationError({"first_warning_months": _("Must satisfy: first reminder < second reminder < deadline (months)")})
    rule = LifeRule.current()
    before = {f: getattr(rule, f) for f in ("first_warning_months", "second_warning_months", "limit_months")}
    rule.first_warning_months = first_warning_months
    rule.second_warning_months = second_warning_months
    rule.limit_months = limit_months
    rule.save()
    after = {f: getattr(rule, f) for f in before}
    audit_record(actor=by, action=Action.UPDATE, target=rule, target_repr=_("Organisational life rules"), changes=diff(before, after))
    return rule


# --- Corrections -----------------------------------------------------------------------
# A planned meeting may be edited or cancelled; a held meeting's record corrected
# within a window, later only by an officer of a superior organisation. Every
# change keeps what was there before (MeetingCorrection) and is audited.

PLAN_FIELDS = ("starts_at", "place", "topic", "host", "lecturer")
_ID_FIELDS = {"host": "host_id", "lecturer": "lecturer_id"}


def correction_days() -> int:
    return getattr(settings, "DANGJIAN_MEETING_CORRECTION_DAYS", 30)


def _reason(reason: str | None) -> str:
    return reason_given(reason, _("Give the reason for the change or correction"))


def _attendance_of(meeting: Meeting) -> dict[int, tuple[str, str]]:
    return {m: (s, r) for m, s, r in meeting.attendance.values_list("member_id", "status", "reason")}


def officer_above(by, org: Org) -> bool:
    """An organisation officer (ASSESS or EDIT_ORGS) on a superior organisation of `org`."""
    if is_unrestricted(by):
        return True
    return any(
        org.path.startswith(p) and org.path != p
        for cap in (roles.ASSESS, roles.EDIT_ORGS) for p in (scope_paths(by, cap) or [])
    )


def record_correctable(by, meeting: Meeting, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    within = (today - timezone.localdate(meeting.starts_at)).days <= correction_days()
    return within or officer_above(by, meeting.org)


def _locked(by, meeting: Meeting, state: str, message: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("org").get(pk=meeting.pk)
    require_in_scope(by, roles.EDIT_WORK, meeting.org)
    if meeting.state != state:
        raise ValidationError({"state": message})
    return meeting


def _correction(*, by, meeting: Meeting, kind: str, before: dict, after: dict, reason: str, action=Action.UPDATE):
    MeetingCorrection.objects.create(meeting=meeting, kind=kind, before=json_values(before), after=json_values(after),
                                     reason=reason, by=user_or_none(by))
    audit_record(actor=by, action=action, target=meeting, org=meeting.org,
                 changes={**diff(before, after), "reason": [None, reason]})


@transaction.atomic
def meeting_update_plan(*, by, meeting: Meeting, data: dict[str, Any], reason: str) -> Meeting:
    """Change the time, place, topic or host of a meeting still planned."""
    meeting = _locked(by, meeting, Meeting.State.PLANNED, _("Only a planned meeting can be edited; for a meeting already held, correct its minutes"))
    reason = _reason(reason)
    before = {f: getattr(meeting, _ID_FIELDS.get(f, f)) for f in PLAN_FIELDS}
    for f in PLAN_FIELDS:
        if f in data:
            setattr(meeting, f, data[f])
    _check_meeting(meeting)
    if timezone.localdate(meeting.starts_at) < timezone.localdate():
        raise ValidationError({"starts_at": _("A planned meeting cannot be earlier than today; for a meeting already held, record its minutes")})
    after = {f: getattr(meeting, _ID_FIELDS.get(f, f)) for f in PLAN_FIELDS}
    if not diff(before, after):
        raise ValidationError({"__all__": _("Nothing changed")})
    meeting.save()
    _correction(by=by, meeting=meeting, kind=MeetingCorrection.Kind.PLAN, before=before, after=after, reason=reason)
    return meeting


@transaction.atomic
def meeting_cancel(*, by, meeting: Meeting, reason: str) -> Meeting:
    """A planned meeting that will not take place: kept as cancelled with the reason."""
    meeting = _locked(by, meeting, Meeting.State.PLANNED, _("Only a planned meeting can be cancelled"))
    reason = _reason(reason)
    meeting.state = Meeting.State.CANCELLED
    meeting.cancel_reason, meeting.cancelled_at = reason, timezone.now()
    meeting.cancelled_by = by if getattr(by, "pk", None) else None
    meeting.save()
    life_dates.refresh_meeting(meeting)  # a planned meeting has no life to count; kept in step whatever it holds
    _correction(by=by, meeting=meeting, kind=MeetingCorrection.Kind.CANCEL, before={"state": Meeting.State.PLANNED},
                after={"state": Meeting.State.CANCELLED}, reason=reason, action=Action.TRANSITION)
    return meeting


@transaction.atomic
def meeting_correct_record(
    *, by, meeting: Meeting, minutes: str, attendance: dict[int, tuple[str, str]], reason: str,
    starts_at: dt.datetime | None = None, today: dt.date | None = None,
) -> Meeting:
    """Correct a held meeting's minutes, attendance or date; compliance follows the corrected record."""
    meeting = _locked(by, meeting, Meeting.State.HELD, _("Only the minutes of a meeting already held can be corrected"))
    reason = _reason(reason)
    days = correction_days()
    if not record_correctable(by, meeting, today):
        raise ValidationError({"__all__": (
            ngettext(
                "The meeting was held more than %(days)d day ago: its record is corrected by an officer of a superior "
                "organisation (with assessment or organisation management rights)",
                "The meeting was held more than %(days)d days ago: its record is corrected by an officer of a superior "
                "organisation (with assessment or organisation management rights)", days) % {"days": days})})
    old_attendance = _attendance_of(meeting)
    full = _check_attendance(meeting, attendance, members=set(old_attendance) or None)
    before = {"starts_at": meeting.starts_at, "minutes": meeting.minutes}
    if starts_at is not None:
        _check_held_time(starts_at)
        meeting.starts_at = starts_at
    if not minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes")})
    meeting.minutes = minutes.strip()
    after = {"starts_at": meeting.starts_at, "minutes": meeting.minutes}
    changed_attendance = full != old_attendance
    if not diff(before, after) and not changed_attendance:
        raise ValidationError({"__all__": _("Nothing changed")})
    meeting.save()
    if changed_attendance:
        _write_attendance(meeting, full)
        before["attendance"] = {str(k): list(v) for k, v in sorted(old_attendance.items())}
        after["attendance"] = {str(k): list(v) for k, v in sorted(full.items())}
    else:
        life_dates.refresh_meeting(meeting)  # a new date can move a member's last organisational life
    _correction(by=by, meeting=meeting, kind=MeetingCorrection.Kind.RECORD, before=before, after=after,
                reason=reason)
    return meeting


@transaction.atomic
def talk_record(*, by, org: Org, talker: Member, member: Member, held_on: dt.date, note: str) -> Talk:
    """A heart-to-heart talk (谈心谈话, 支部工作条例 第二十一条; ARTICLES["secretary.duties"])."""
    require_in_scope(by, roles.EDIT_WORK, org)
    errors = {}
    on_roll = roster(org).values_list("pk", flat=True)
    if member.pk not in set(on_roll):
        errors["member"] = _("The member talked with must be on this organisation's roll")
    if talker.pk == member.pk:
        errors["member"] = _("A talk is between two people")
    if not Member.objects.filter(pk=talker.pk, status=Status.ACTIVE, org__path__in=_paths_up(org)).exists():
        errors["talker"] = _("Who talked must be a member on the roll of this organisation or of one above it")
    if held_on is None:
        errors["held_on"] = _("Enter the date")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("The date cannot be in the future.")
    if not (note or "").strip():
        errors["note"] = _("Say briefly what was talked about")
    if errors:
        raise ValidationError(errors)
    talk = Talk.objects.create(org=org, talker=talker, member=member, held_on=held_on, note=note.strip()[:200],
                               recorded_by=user_or_none(by))
    audit_record(actor=by, action=Action.CREATE, target=talk, org=org,
                 target_repr=_("Talk of %(talker)s with %(member)s") % {"talker": talker.name, "member": member.name},
                 changes={"held_on": [None, held_on.isoformat()], "talker": [None, talker.pk],
                          "member": [None, member.pk]})
    return talk


# ------------------------------------------------ 不合格党员: the branch's decision and what follows
# ARTICLES["member.unqualified"]: 限期改正 (一般为半年至一年), 劝其退党 or 除名 (党章第九条).
CORRECT_MIN_MONTHS, CORRECT_MAX_MONTHS = 6, 12


def _followup_repr(appraisal: Appraisal) -> str:
    return _("%(name)s unqualified in %(year)s: follow-up") % {"name": appraisal.member.name, "year": appraisal.year}


def _check_branch_date(errors: dict, field: str, day: dt.date | None, after: dt.date, today: dt.date) -> None:
    if day is None:
        errors[field] = _("Enter the date of the branch meeting's decision")
    elif day > today:
        errors[field] = _("The date cannot be in the future.")
    elif day < after:
        errors[field] = _("The branch meeting cannot decide before %(date)s") % {"date": f"{after:%Y-%m-%d}"}


def correct_deadline_error(decided_on: dt.date, deadline: dt.date | None) -> str:
    """限期改正: the deadline lies six months to a year after the decision (both ends allowed); "" when it does."""
    if deadline is None:
        return _("Correcting within a deadline needs the deadline")
    low, high = add_months(decided_on, CORRECT_MIN_MONTHS), add_months(decided_on, CORRECT_MAX_MONTHS)
    if not low <= deadline <= high:
        return _("The deadline for correcting is generally six months to a year: choose a date from %(low)s to "
                 "%(high)s") % {"low": f"{low:%Y-%m-%d}", "high": f"{high:%Y-%m-%d}"}
    return ""


def _open_step(appraisal: Appraisal) -> FollowUp | None:
    return FollowUp.objects.select_for_update().filter(appraisal=appraisal, result="").first()


def _new_step(*, by, appraisal: Appraisal, measure: str, decided_on: dt.date, deadline: dt.date | None,
              note: str) -> FollowUp:
    step = FollowUp.objects.create(appraisal=appraisal, measure=measure, decided_on=decided_on, deadline=deadline,
                                   note=note, recorded_by=user_or_none(by))
    audit_record(actor=by, action=Action.CREATE, target=step, org=appraisal.org, target_repr=_followup_repr(appraisal),
                 changes={"measure": [None, measure], "decided_on": [None, decided_on.isoformat()],
                          "deadline": [None, deadline.isoformat() if deadline else None], "note": [None, note]})
    return step


def _close_step(*, by, step: FollowUp, result: str, on: dt.date) -> None:
    step.result, step.result_on = result, on
    step.save(update_fields=["result", "result_on"])
    audit_record(actor=by, action=Action.TRANSITION, target=step, org=step.appraisal.org,
                 target_repr=_followup_repr(step.appraisal),
                 changes={"result": ["", result], "result_on": [None, on.isoformat()]})


@transaction.atomic
def followup_step(*, by, appraisal: Appraisal, action: str, measure: str = "", decided_on: dt.date | None = None,
                  deadline: dt.date | None = None, corrected: bool | None = None, approved_on: dt.date | None = None,
                  note: str = "", today: dt.date | None = None) -> FollowUp:
    """One step of the follow-up of an appraisal of 不合格 (ARTICLES["member.unqualified"]).

    action "decide": the branch's first decision (限期改正 with a deadline of six months to a year, 劝退, 除名).
    action "review": 限期改正 reviewed: corrected (closed) or not (then `measure` 劝退 or 除名, decided on
    `decided_on`, not before the deadline). action "refused": the member refuses to leave; the branch
    decides 除名 on `decided_on`. action "end": the superior approved on `approved_on`: the membership
    ends through orgs.services.membership_end (退党 after 劝退, 除名), never by editing the status.
    """
    require_in_scope(by, roles.EDIT_WORK, appraisal.org)
    appraisal = Appraisal.objects.select_related("member", "org").get(pk=appraisal.pk)
    member = appraisal.member
    today = today or timezone.localdate()
    note = (note or "").strip()[:200]
    step = _open_step(appraisal)
    errors: dict[str, str] = {}
    if appraisal.outcome != Outcome.UNQUALIFIED:
        raise ValidationError({"__all__": _("Only a member appraised as unqualified is followed up")})
    if member.status != Status.ACTIVE:
        raise ValidationError({"__all__": _("%(name)s is not on the roll of this organisation") % {"name": member.name}})
    if action == "decide":
        if step is not None or appraisal.followups.exists():
            raise ValidationError({"__all__": _("The branch has already decided on this member; record the next step")})
        if measure not in Measure.values:
            errors["measure"] = _("Choose the decision: correct within a deadline, persuade to leave, or remove")
        _check_branch_date(errors, "decided_on", decided_on, dt.date(appraisal.year, 1, 1), today)
        if measure == Measure.CORRECT and "decided_on" not in errors:
            if message := correct_deadline_error(decided_on, deadline):
                errors["deadline"] = message
        if errors:
            raise ValidationError(errors)
        return _new_step(by=by, appraisal=appraisal, measure=measure, decided_on=decided_on,
                         deadline=deadline if measure == Measure.CORRECT else None, note=note)
    want = {"review": (Measure.CORRECT,), "refused": (Measure.PERSUADE,), "end": (Measure.PERSUADE, Measure.REMOVE)}
    if action not in want:
        raise ValidationError({"__all__": _("Unknown step")})
    if step is None or step.measure not in want[action]:
        raise ValidationError({"__all__": _("This step does not follow the branch's current decision")})
    if action == "review":
        if corrected is None:
            raise ValidationError({"corrected": _("Say whether the member corrected")})
        if corrected:
            on = decided_on or today
            if on > today or on < step.decided_on:
                raise ValidationError({"decided_on": _("The review lies between the decision and today")})
            _close_step(by=by, step=step, result=FollowUp.Result.CORRECTED, on=on)
            return step
        _check_branch_date(errors, "decided_on", decided_on, step.deadline, today)
        if measure not in (Measure.PERSUADE, Measure.REMOVE):
            errors["measure"] = _("Not corrected: choose persuading to leave or removal")
        if errors:
            raise ValidationError(errors)
        _close_step(by=by, step=step, result=FollowUp.Result.NOT_CORRECTED, on=decided_on)
        return _new_step(by=by, appraisal=appraisal, measure=measure, decided_on=decided_on, deadline=None, note=note)
    if action == "refused":
        _check_branch_date(errors, "decided_on", decided_on, step.decided_on, today)
        if errors:
            raise ValidationError(errors)
        _close_step(by=by, step=step, result=FollowUp.Result.REFUSED, on=decided_on)
        return _new_step(by=by, appraisal=appraisal, measure=Measure.REMOVE, decided_on=decided_on, deadline=None,
                         note=note)
    # "end": the branch meeting decided (the step's date, or a later one for 退党), the superior approved.
    decided = decided_on or step.decided_on
    if decided < step.decided_on:
        raise ValidationError({"decided_on": _("The branch meeting cannot decide before %(date)s") % {
            "date": f"{step.decided_on:%Y-%m-%d}"}})
    if approved_on is None:
        raise ValidationError({"approved_on": _("Enter the date the superior Party organisation approved")})
    status = Status.LEFT if step.measure == Measure.PERSUADE else Status.REMOVED
    reason = _("Appraised as unqualified in %(year)s: %(measure)s") % {
        "year": appraisal.year, "measure": step.get_measure_display()}
    org_services.membership_end(by=by, member=member, status=status, decided_on=decided, approved_on=approved_on,
                                reason=reason[:200], today=today)
    _close_step(by=by, step=step, result=FollowUp.Result.ENDED, on=approved_on)
    return step


@transaction.atomic
def good_reason_record(*, by, member: Member, reason: str, starts_on: dt.date | None, ends_on: dt.date | None,
                       today: dt.date | None = None) -> GoodReason:
    """A good reason (正当理由, 党章第九条, ARTICLES["member.lapsed"]) for a period: illness, work away with the
    branch's knowledge and the like. It may reach into the future (a known absence), not start in it."""
    require_in_scope(by, roles.EDIT_WORK, member.org)
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Say what the good reason is")
    if starts_on is None:
        errors["starts_on"] = _("Enter the date")
    elif starts_on > today:
        errors["starts_on"] = _("The date cannot be in the future.")
    if ends_on is None:
        errors["ends_on"] = _("Enter the date")
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The period ends on or after its first day")
    if member.status != Status.ACTIVE:
        errors["__all__"] = _("%(name)s is not on the roll of this organisation") % {"name": member.name}
    if errors:
        raise ValidationError(errors)
    record = GoodReason.objects.create(member=member, reason=reason[:200], starts_on=starts_on, ends_on=ends_on,
                                       recorded_by=user_or_none(by))
    audit_record(actor=by, action=Action.CREATE, target=record, org=member.org,
                 target_repr=_("Good reason of %(name)s") % {"name": member.name},
                 changes={"reason": [None, record.reason], "starts_on": [None, starts_on.isoformat()],
                          "ends_on": [None, ends_on.isoformat()]})
    return record

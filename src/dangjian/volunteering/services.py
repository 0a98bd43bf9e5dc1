"""Volunteer activities: create, sign up, record attendance and hours once."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core.http import require_in_scope
from dangjian.orgs.models import Status
from dangjian.volunteering.models import Activity, SignUp


def parse_hours(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"hours": _("Hours are a number, e.g. 2.5.")}) from exc
    if hours < 0:
        raise ValidationError({"hours": _("Hours cannot be negative.")})
    return hours


@transaction.atomic
def activity_create(*, by, org, title: str, starts_at: dt.datetime, ends_at: dt.datetime, place: str = "",
                    capacity: int | None = None, description: str = "", partner=None) -> Activity:
    require_in_scope(by, roles.EDIT_WORK, org)
    if not (title or "").strip():
        raise ValidationError({"title": _("A title is required.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if capacity is not None and capacity < 1:
        raise ValidationError({"capacity": _("Capacity is at least 1.")})
    activity = Activity.objects.create(org=org, title=title.strip(), starts_at=starts_at, ends_at=ends_at,
                                       place=place, capacity=capacity, description=description, partner=partner)
    audit_record(actor=by, action=Action.CREATE, target=activity, org=org, changes=diff(None, model_to_dict(activity)))
    return activity


@transaction.atomic
def signup_create(*, by, activity: Activity, member) -> SignUp:
    """A member signs up (themself, or a staff member signs them up)."""
    is_self = getattr(by, "member", None) is not None and by.member.pk == member.pk
    if not is_self:
        require_in_scope(by, roles.EDIT_WORK, member.org)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.state != Activity.State.OPEN:
        raise ValidationError({"activity": _("Sign-up is closed for this activity.")})
    if member.status != Status.ACTIVE:
        raise ValidationError({"member": _("Only members on the roll can sign up.")})
    if not member.org.path.startswith(activity.org.path) and not activity.org.path.startswith(member.org.path):
        raise ValidationError({"member": _("This member is not in the organising unit's tree.")})
    if SignUp.objects.filter(activity=activity, member=member).exists():
        raise ValidationError({"member": _("Already signed up.")})
    if activity.capacity is not None and activity.signups.count() >= activity.capacity:
        raise ValidationError({"activity": _("The activity is full.")})
    signup = SignUp.objects.create(activity=activity, member=member)
    audit_record(actor=by, action=Action.CREATE, target=activity, org=activity.org,
                 changes={"signup": [None, member.pk]}, target_repr=f"{activity} · {member}")
    return signup


@transaction.atomic
def attendance_record(*, by, activity: Activity, entries: dict[int, tuple[bool, object]]) -> Activity:
    """Attendance and hours for every sign-up, once: {signup_id: (attended, hours)}.

    Hours default to the activity's length; they cannot be negative nor exceed it.
    """
    require_in_scope(by, roles.EDIT_WORK, activity.org)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.state != Activity.State.OPEN:
        raise ValidationError({"activity": _("Attendance is already recorded for this activity.")})
    if activity.starts_at > timezone.now():
        raise ValidationError({"activity": _("The activity has not started yet.")})
    length = Decimal((activity.ends_at - activity.starts_at).total_seconds() / 3600).quantize(Decimal("0.1"))
    now = timezone.now()
    changes = {}
    for signup in activity.signups.select_for_update():
        attended, raw = entries.get(signup.pk, (False, None))
        hours = parse_hours(raw) if attended else None
        if attended and hours is None:
            hours = length
        if hours is not None and hours > length:
            raise ValidationError({"hours": _("Hours cannot exceed the activity's length (%(h)s).") % {"h": length}})
        signup.attended, signup.hours, signup.recorded_by, signup.recorded_at = bool(attended), hours, by, now
        signup.save(update_fields=["attended", "hours", "recorded_by", "recorded_at"])
        changes[str(signup.member_id)] = [None, str(hours) if attended else "absent"]
    activity.state = Activity.State.DONE
    activity.save(update_fields=["state", "updated_at"])
    audit_record(actor=by, action=Action.UPDATE, target=activity, org=activity.org, changes=changes)
    return activity


@transaction.atomic
def hours_correct(*, by, signup: SignUp, hours, reason: str) -> SignUp:
    """A correction after the fact: audited with its reason, never a second record."""
    require_in_scope(by, roles.EDIT_WORK, signup.activity.org)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    new = parse_hours(hours)
    if new is None:
        raise ValidationError({"hours": _("Hours are a number, e.g. 2.5.")})
    before = signup.hours
    signup.hours, signup.attended = new, True
    signup.save(update_fields=["hours", "attended"])
    audit_record(actor=by, action=Action.UPDATE, target=signup.activity, org=signup.activity.org,
                 changes={"hours": [str(before), str(new)], "reason": [None, reason.strip()]})
    return signup


@transaction.atomic
def activity_cancel(*, by, activity: Activity) -> Activity:
    require_in_scope(by, roles.EDIT_WORK, activity.org)
    if activity.state != Activity.State.OPEN:
        raise ValidationError({"activity": _("Only an open activity can be cancelled.")})
    activity.state = Activity.State.CANCELLED
    activity.save(update_fields=["state", "updated_at"])
    audit_record(actor=by, action=Action.TRANSITION, target=activity, org=activity.org,
                 changes={"state": [Activity.State.OPEN, Activity.State.CANCELLED]})
    return activity

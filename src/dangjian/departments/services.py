"""Writes for departments: atomic, keyword-only, audited. Refusals name the field."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.accounts.models import RoleGrant
from dangjian.accounts.roles import Role
from dangjian.audit.services import Action, audit_record
from dangjian.core import notify, provided
from dangjian.core.scoping import org_in_scope
from dangjian.departments.models import Contact, Department, Summons
from dangjian.departments.selectors import summonses_for

MAX_DAYS = 30
# An unanswered summons climbs again this long after its last escalation.
REESCALATE = dt.timedelta(hours=24)


def _require_org(by, org) -> None:
    if not org_in_scope(by, roles.EDIT_WORK, org):
        raise Department.DoesNotExist


@transaction.atomic
def department_create(*, by, org, name: str, code: str, duties: str = "") -> Department:
    _require_org(by, org)
    name, code = (name or "").strip(), (code or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Enter the department's name")
    if not code:
        errors["code"] = _("Enter the department's code")
    elif Department.objects.filter(org=org, code=code).exists():
        errors["code"] = _("This street already has a department with this code")
    if errors:
        raise ValidationError(errors)
    dept = Department.objects.create(org=org, name=name[:100], code=code[:20], duties=(duties or "").strip()[:300])
    audit_record(actor=by, action=Action.CREATE, target=dept, org=org, changes={"name": [None, dept.name]})
    return dept


@transaction.atomic
def contact_add(*, by, department: Department, name: str, title: str = "", phone: str = "", user=None) -> Contact:
    """A contact of the department; with a login, the user gets the narrowed department role on the street."""
    _require_org(by, department.org)
    name = (name or "").strip()
    phone = "".join((phone or "").split())
    if not name:
        raise ValidationError({"name": _("Enter the contact's name")})
    if phone and (not phone.replace("-", "").isdigit() or not 7 <= len(phone) <= 20):
        raise ValidationError({"phone": _("The phone number is not in a valid format")})
    contact = Contact.objects.create(department=department, name=name[:50], title=(title or "").strip()[:50],
                                     phone=phone, user=user)
    if user is not None:
        RoleGrant.objects.get_or_create(user=user, org=department.org, role=Role.DEPARTMENT)
    audit_record(actor=by, action=Action.CREATE, target=contact, org=department.org,
                 changes={"name": [None, contact.name], "phone": [None, "••••" if phone else ""],
                          "login": [None, getattr(user, "username", None)]})
    return contact


@transaction.atomic
def summons_create(*, by, appeal, department: Department, due_at: dt.datetime, request: str,
                   now: dt.datetime | None = None) -> Summons:
    """吹哨: the street summons a department to a case of its subtree, with a deadline."""
    now = now or timezone.now()
    _require_org(by, department.org)
    if not appeal.org.path.startswith(department.org.path):
        raise ValidationError({"department": _("The department belongs to another street than the case")})
    errors = {}
    if not department.is_active:
        errors["department"] = _("This department is no longer active")
    if appeal.state not in provided.value("appeal_open_states", default=()):
        errors["appeal"] = _("Only an open case can be summoned to")
    if due_at is None or due_at <= now:
        errors["due_at"] = _("The deadline must lie in the future")
    elif due_at > now + dt.timedelta(days=MAX_DAYS):
        errors["due_at"] = _("The deadline can be at most %(n)d days away") % {"n": MAX_DAYS}
    request = (request or "").strip()
    if not request:
        errors["request"] = _("Say what the department is asked to do")
    elif len(request) > 500:
        errors["request"] = _("The request can have at most 500 characters")
    if not errors and Summons.objects.filter(appeal=appeal, department=department, answered_at__isnull=True).exists():
        errors["department"] = _("This department is already summoned to this case and has not answered yet")
    if errors:
        raise ValidationError(errors)
    summons = Summons.objects.create(department=department, appeal=appeal, request=request, summoned_at=now,
                                     summoned_by=by, due_at=due_at)
    audit_record(actor=by, action=Action.CREATE, target=summons, org=appeal.org,
                 changes={"department": [None, department.name], "due_at": [None, due_at.isoformat()]})
    notify.notify_state(code=appeal.tracking_code, state=_("department summoned"),
                        user_ids=list(department.contacts.exclude(user=None).values_list("user_id", flat=True)))
    return summons


@transaction.atomic
def summons_answer(*, by, summons: Summons, answer: str, now: dt.datetime | None = None) -> Summons:
    """报到: the department answers through its own login (a contact of that department), never the street for it."""
    now = now or timezone.now()
    if not summonses_for(by, roles.EDIT_WORK).filter(pk=summons.pk).exists():
        raise Summons.DoesNotExist
    summons = Summons.objects.select_for_update().select_related("department", "appeal").get(pk=summons.pk)
    if not summons.department.contacts.filter(user=by).exists():
        raise ValidationError({"answer": _("Only the summoned department's own contacts can answer")})
    if summons.answered_at is not None:
        raise ValidationError({"answer": _("This summons has already been answered")})
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Describe what the department did")})
    if len(answer) > 2000:
        raise ValidationError({"answer": _("The answer can have at most 2000 characters")})
    summons.answer, summons.answered_at, summons.answered_by = answer, now, by
    summons.save(update_fields=["answer", "answered_at", "answered_by", "updated_at"])
    audit_record(actor=by, action=Action.UPDATE, target=summons, org=summons.appeal.org,
                 changes={"answered_at": [None, now.isoformat()], "on_time": [None, summons.answered_on_time]})
    notify.notify_state(code=summons.appeal.tracking_code, state=_("department answered"),
                        user_ids=[summons.summoned_by_id])
    return summons


def summonses_escalate(*, now: dt.datetime | None = None) -> int:
    """Escalate each unanswered summons past its deadline: once, then again every 24 hours it stays unanswered.
    The street's staff who summoned are told (code and state only); the summons page shows the level."""
    now = now or timezone.now()
    count = 0
    for pk in Summons.objects.filter(answered_at__isnull=True, due_at__lt=now).values_list("pk", flat=True):
        if _escalate_one(pk, now=now):
            count += 1
    return count


@transaction.atomic
def _escalate_one(pk: int, *, now: dt.datetime) -> bool:
    summons = Summons.objects.select_for_update().select_related("appeal__org", "department").get(pk=pk)
    if not summons.is_overdue(now):
        return False
    if summons.escalated_at is not None and now - summons.escalated_at < REESCALATE:
        return False
    summons.escalation_level += 1
    summons.escalated_at = now
    summons.save(update_fields=["escalation_level", "escalated_at", "updated_at"])
    audit_record(actor=_("system"), action=Action.UPDATE, target=summons, org=summons.appeal.org,
                 changes={"escalation_level": [summons.escalation_level - 1, summons.escalation_level]})
    notify.notify_state(code=summons.appeal.tracking_code, state=_("department summons overdue"),
                        user_ids=[summons.summoned_by_id])
    return True

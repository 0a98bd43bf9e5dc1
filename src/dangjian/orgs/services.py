"""Writes to the org tree and the roster. Each is one atomic, audited change."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core import crypto, provided
from dangjian.core.dates import add_months
from dangjian.core.http import require_in_scope, require_superior, require_superuser
from dangjian.core.identifiers import require_reveal_to_change
from dangjian.core.references import references, references_text
from dangjian.orgs.models import (
    MEMBERSHIP_ENDED,
    Category,
    Member,
    Org,
    OrgKind,
    Status,
    StatusChange,
    Transfer,
)
from dangjian.orgs.rules import (
    id_number_taken,
    letter_valid_until,
    letter_validity_error,
    member_consistency_errors,
)

SENSITIVE = ("id_number", "phone")
MEMBER_FIELDS = (
    "org", "name", "gender", "ethnicity", "birth_date", "id_number", "phone", "education",
    "joined_on", "full_member_on", "category", "status", "employment", "job", "address",
)


def _snapshot(member: Member) -> dict[str, Any]:
    data = {f: getattr(member, f if f != "org" else "org_id") for f in MEMBER_FIELDS}
    data["tags"] = sorted(member.tags.values_list("name", flat=True)) if member.pk else []
    return data


def _set_identifiers(member: Member) -> None:
    member.id_number = crypto.normalise(member.id_number)
    member.id_number_index = crypto.blind_index(member.id_number)
    member.phone = (member.phone or "").strip()
    member.phone_index = crypto.blind_index(member.phone) if member.phone else ""


def _check(member: Member) -> None:
    errors = member_consistency_errors(
        id_number=member.id_number, birth_date=member.birth_date, gender=member.gender,
        joined_on=member.joined_on, full_member_on=member.full_member_on, category=member.category,
    )
    if not errors.get("id_number") and id_number_taken(member.id_number, exclude_pk=member.pk):
        errors["id_number"] = _("This resident ID number is already registered and cannot be entered twice")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def member_create(*, by, data: dict[str, Any], tags=()) -> Member:
    member = Member(**{k: v for k, v in data.items() if k in MEMBER_FIELDS})
    require_in_scope(by, roles.EDIT_ROSTER, member.org)
    if member.status == Status.ENTERED_IN_ERROR:
        raise ValidationError({"status": _("A new member cannot have the status “entered in error”")})
    _check(member)
    _set_identifiers(member)
    member.save()
    if tags:
        member.tags.set(tags)
    StatusChange.objects.create(
        member=member, from_status="", to_status=member.status,
        changed_on=timezone.localdate(), reason=_("Record created"), by=by if getattr(by, "pk", None) else None,
    )
    audit_record(
        actor=by, action=Action.CREATE, target=member, org=member.org,
        changes=diff(None, _snapshot(member), sensitive=SENSITIVE),
    )
    return member


@transaction.atomic
def member_update(*, by, member: Member, data: dict[str, Any], tags=None, reason: str = "") -> Member:
    require_in_scope(by, roles.EDIT_ROSTER, member.org)
    require_reveal_to_change(by=by, org=member.org, data=data, fields=SENSITIVE, capability=roles.REVEAL)
    before = _snapshot(member)
    for key, value in data.items():
        if key in MEMBER_FIELDS and key not in ("org", "status"):
            setattr(member, key, value)
    _check(member)
    _set_identifiers(member)
    member.save()
    if tags is not None:
        member.tags.set(tags)
    if data.get("status") and data["status"] != member.status:
        member_set_status(by=by, member=member, status=data["status"], reason=reason)
    audit_record(
        actor=by, action=Action.UPDATE, target=member, org=member.org,
        changes=diff(before, _snapshot(member), sensitive=SENSITIVE),
    )
    return member


@transaction.atomic
def member_set_status(*, by, member: Member, status: str, reason: str, on: dt.date | None = None,
                      decided_on: dt.date | None = None) -> None:
    """A status change; an end of membership (MEMBERSHIP_ENDED) goes to membership_end, `on` being the
    superior's approval and `decided_on` the branch meeting's decision."""
    require_in_scope(by, roles.EDIT_ROSTER, member.org)
    if status == member.status:
        return
    if Status.ENTERED_IN_ERROR in (status, member.status):
        raise ValidationError({"status": _("A record entered in error is not handled by a status change: use “mark as entered in error”")})
    if member.status in MEMBERSHIP_ENDED:
        raise ValidationError({"status": _(
            "This membership has ended by a decision approved by the superior: it does not return by a status "
            "change (a new application starts again)")})
    if status in MEMBERSHIP_ENDED:
        if decided_on is None:
            raise ValidationError({"decided_on": _(
                "Removal, leaving the Party and cancelled probation are decided by the branch meeting and approved "
                "by the superior committee: enter the date of the branch meeting's decision")})
        membership_end(by=by, member=member, status=status, decided_on=decided_on,
                       approved_on=on or timezone.localdate(), reason=reason)
        return
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the status change")})
    StatusChange.objects.create(
        member=member, from_status=member.status, to_status=status,
        changed_on=on or timezone.localdate(), reason=reason.strip(), by=by,
    )
    old = member.status
    member.status = status
    member.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=by, action=Action.TRANSITION, target=member, org=member.org,
        changes={"status": [old, status], "reason": reason.strip()},
    )


@transaction.atomic
def membership_end(
    *, by, member: Member, status: str, decided_on: dt.date, approved_on: dt.date, reason: str,
    today: dt.date | None = None,
) -> Member:
    """除名, 退党 or 取消预备党员资格: the branch meeting decided, the superior committee approved.

    党章第七条、第九条 (core.references.ARTICLES): membership ends on the
    approval; until then the member stays on the roll. Recorded by the superior.
    """
    require_superior(by, member.org, view=roles.VIEW_ROSTER, assess=roles.ASSESS)
    member = Member.objects.select_for_update().get(pk=member.pk)
    today = today or timezone.localdate()
    errors = {}
    if status not in MEMBERSHIP_ENDED:
        errors["status"] = _("Choose how the membership ends: removal, leaving the Party or cancelled probation")
    elif status == Status.PROBATION_CANCELLED and member.category != Category.PROBATIONARY:
        errors["status"] = _("Only a probationary member's probationary membership can be cancelled")
    if member.status in MEMBERSHIP_ENDED or member.status in (Status.ENTERED_IN_ERROR, Status.DECEASED,
                                                              Status.TRANSFERRED_OUT):
        errors["__all__"] = _("%(name)s is not on the roll of this organisation") % {"name": member.name}
    if decided_on > today:
        errors["decided_on"] = _("The date cannot be in the future.")
    elif decided_on < member.joined_on:
        errors["decided_on"] = _("The branch meeting cannot decide before the member joined (%(date)s)") % {
            "date": f"{member.joined_on:%Y-%m-%d}"}
    if approved_on > today:
        errors["approved_on"] = _("The date cannot be in the future.")
    elif approved_on < decided_on:
        errors["approved_on"] = _("The superior approves after the branch meeting decided, not before")
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the status change")
    if errors:
        raise ValidationError(errors)
    StatusChange.objects.create(member=member, from_status=member.status, to_status=status, changed_on=approved_on,
                                decided_on=decided_on, reason=reason.strip(), by=by)
    old = member.status
    member.status = status
    member.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action=Action.TRANSITION, target=member, org=member.org,
                 changes={"status": [old, status], "decided_on": decided_on.isoformat(),
                          "approved_on": approved_on.isoformat(), "reason": reason.strip()})
    return member


def member_reveal(*, by, member: Member, field: str) -> str:
    """Return one sensitive value in full; the reveal itself is audited."""
    if field not in SENSITIVE:
        raise ValueError(field)
    require_in_scope(by, roles.REVEAL, member.org)
    with transaction.atomic():
        audit_record(actor=by, action=Action.REVEAL, target=member, org=member.org, changes={"field": field})
    return getattr(member, field)


@transaction.atomic
def transfer_request(
    *, by, member: Member, kind: str, to_org: Org | None = None, external_org_name: str = "",
    letter_number: str = "", reason: str = "", on: dt.date | None = None, valid_until: dt.date | None = None,
    dues_paid_to: dt.date | None = None,
) -> Transfer:
    """Issue the introduction letter: valid a month unless stated (three at most), with the month dues
    are paid to (from the dues ledger unless stated); the member reports by its expiry."""
    require_in_scope(by, roles.TRANSFER, member.org)
    on = on or timezone.localdate()
    valid_until = valid_until or letter_valid_until(on)
    if dues_paid_to is None:
        paid_to = provided.value("dues_paid_to", default=None)
        dues_paid_to = paid_to(member) if paid_to else None
    errors = {}
    if problem := letter_validity_error(on, valid_until):
        errors["valid_until"] = problem
    if dues_paid_to is not None and dues_paid_to.replace(day=1) > add_months(on.replace(day=1), 12):
        errors["dues_paid_to"] = _("Dues are paid in advance for a year at most: check the month")
    if member.status != Status.ACTIVE:
        errors["member"] = _("Only members on the roll can be transferred out")
    if kind == Transfer.Kind.INTERNAL:
        if to_org is None:
            errors["to_org"] = _("Choose the receiving Party organisation")
        elif to_org.pk == member.org_id:
            errors["to_org"] = _("The receiving organisation is the member's current one")
        elif not to_org.is_branch:
            errors["to_org"] = _("Membership can only be transferred to a branch (or general branch, group)")
    elif kind == Transfer.Kind.OUT and not external_org_name.strip():
        errors["external_org_name"] = _("Enter the name of the receiving Party organisation")
    if Transfer.objects.filter(member=member, state=Transfer.State.PENDING).exists():
        errors["member"] = _("This member already has an open membership transfer")
    if errors:
        raise ValidationError(errors)
    transfer = Transfer.objects.create(
        member=member, kind=kind, from_org=member.org, to_org=to_org,
        external_org_name=external_org_name.strip(), letter_number=letter_number.strip(),
        reason=reason.strip(), requested_on=on, requested_by=by, valid_until=valid_until,
        dues_paid_to=dues_paid_to.replace(day=1) if dues_paid_to else None,
    )
    audit_record(
        actor=by, action=Action.CREATE, target=transfer, org=member.org,
        target_repr=_("%(name)s membership transfer") % {"name": member.name},
        changes={"kind": [None, kind], "to_org": [None, to_org.pk if to_org else external_org_name]},
    )
    return transfer


@transaction.atomic
def transfer_decide(*, by, transfer: Transfer, accept: bool, on: dt.date | None = None,
                    late_reason: str = "") -> Transfer:
    """The receiving side (or, out of the platform, the sending side) decides.

    A member reporting after the letter expired is received with the reason stated.
    """
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    deciding_org = transfer.to_org if transfer.kind == Transfer.Kind.INTERNAL else transfer.from_org
    require_in_scope(by, roles.TRANSFER, deciding_org)
    if transfer.state != Transfer.State.PENDING:
        raise ValidationError({"state": _("This transfer is already decided and cannot be decided again")})
    on = on or timezone.localdate()
    late_reason = (late_reason or "").strip()
    if accept and transfer.valid_until and on > transfer.valid_until and not late_reason:
        raise ValidationError({"late_reason": _(
            "The introduction letter expired on %(date)s: state why the member reports late") % {
            "date": f"{transfer.valid_until:%Y-%m-%d}"}})
    transfer.late_reason = late_reason if accept else ""
    member = Member.objects.select_for_update().get(pk=transfer.member_id)
    transfer.state = Transfer.State.COMPLETED if accept else Transfer.State.REJECTED
    transfer.decided_on = on
    transfer.decided_by = by
    transfer.save()
    if accept:
        old_org = member.org
        if transfer.kind == Transfer.Kind.INTERNAL:
            # One UPDATE: the member leaves the old branch as it joins the new one.
            member.org = transfer.to_org
            member.save(update_fields=["org", "updated_at"])
            audit_record(
                actor=by, action=Action.UPDATE, target=member, org=member.org,
                changes={"org": [old_org.pk, member.org_id]},
            )
        else:
            StatusChange.objects.create(
                member=member, from_status=member.status, to_status=Status.TRANSFERRED_OUT,
                changed_on=transfer.decided_on, reason=_("Transferred to %(org)s") % {"org": transfer.external_org_name}, by=by,
            )
            member.status = Status.TRANSFERRED_OUT
            member.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=by, action=Action.TRANSITION, target=transfer, org=deciding_org,
        target_repr=_("%(name)s membership transfer") % {"name": member.name},
        changes={"state": [Transfer.State.PENDING, transfer.state]},
    )
    return transfer


ORG_FIELDS = ("name", "code", "kind", "founded_on", "term_start", "term_end", "secretary", "is_active")


def _org_snapshot(org: Org) -> dict[str, Any]:
    return {f: getattr(org, f if f != "secretary" else "secretary_id") for f in ORG_FIELDS}


def _check_org(data: dict[str, Any], *, exclude_pk: int | None = None) -> None:
    errors = {}
    code = (data.get("code") or "").strip()
    if code and Org.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        errors["code"] = _("Organisation code %(code)s is already in use") % {"code": code}
    start, end = data.get("term_start"), data.get("term_end")
    if start and end and end <= start:
        errors["term_end"] = _("The term must end after it starts")
    founded = data.get("founded_on")
    if founded and founded > timezone.localdate():
        errors["founded_on"] = _("The founding date cannot be later than today")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def org_create(*, by, parent: Org | None, data: dict[str, Any]) -> Org:
    data = {k: v for k, v in data.items() if k in ORG_FIELDS}
    _check_org(data)
    if parent is None:
        require_superuser(by)
        org = Org.objects.add_root(data)
    else:
        require_in_scope(by, roles.EDIT_ORGS, parent)
        if parent.kind == OrgKind.GROUP:
            raise ValidationError({"kind": _("No organisation can be set up under a Party group")})
        org = Org.objects.add_child(parent, data)
    audit_record(actor=by, action=Action.CREATE, target=org, org=org, changes=diff(None, data))
    return org


@transaction.atomic
def org_update(*, by, org: Org, data: dict[str, Any]) -> Org:
    """Edit an org's own fields; its place in the tree changes only through org_move."""
    require_in_scope(by, roles.EDIT_ORGS, org)
    data = {k: v for k, v in data.items() if k in ORG_FIELDS}
    _check_org({**_org_snapshot(org), **data}, exclude_pk=org.pk)
    secretary = data.get("secretary")
    if secretary is not None and not secretary.org.path.startswith(org.path):
        raise ValidationError({"secretary": _("The secretary must be a member of this organisation or one below it")})
    before = _org_snapshot(org)
    for key, value in data.items():
        setattr(org, key, value)
    org.save()
    audit_record(actor=by, action=Action.UPDATE, target=org, org=org, changes=diff(before, _org_snapshot(org)))
    return org


@transaction.atomic
def org_move(*, by, org: Org, new_parent: Org) -> Org:
    """Move a whole subtree in one operation (paths rewritten by treebeard)."""
    require_in_scope(by, roles.EDIT_ORGS, org)
    require_in_scope(by, roles.EDIT_ORGS, new_parent)
    org.refresh_from_db()
    new_parent.refresh_from_db()
    if new_parent.path.startswith(org.path):
        raise ValidationError({"parent": _("An organisation cannot be moved under itself or one below it")})
    old_parent = Org.objects.get_parent(org)
    if old_parent is not None and old_parent.pk == new_parent.pk:
        raise ValidationError({"parent": _("The organisation is already under the chosen parent")})
    if new_parent.kind == OrgKind.GROUP:
        raise ValidationError({"parent": _("No organisation can be set up under a Party group")})
    Org.objects.move(org, new_parent, pos="last-child")
    org.refresh_from_db()
    audit_record(
        actor=by, action=Action.UPDATE, target=org, org=org,
        changes={"parent": [old_parent.pk if old_parent else None, new_parent.pk]},
    )
    return org


# --- Corrections: a member record created by mistake ---------------------------------

# Relations that belong to the record itself and do not stop marking it entered in error.
_OWNED_RELATIONS = {("orgs.StatusChange", "member"), ("dues.DuesBase", "member")}


def entered_in_error_days() -> int:
    return getattr(settings, "DANGJIAN_ENTERED_IN_ERROR_DAYS", 30)


def member_references(member: Member) -> dict[str, int]:
    """{what refers to the member: how many rows}, across every installed app.

    Unpaid monthly dues the ledger generated by itself do not count (they go
    with the record); a paid or voided one does.
    """
    paid_or_voided = {"dues.Due": lambda qs: qs.filter(Q(payment__isnull=False) | Q(voided_payments__isnull=False))}
    return references(member, owned=_OWNED_RELATIONS, narrow=paid_or_voided)


@transaction.atomic
def member_mark_entered_in_error(*, by, member: Member, reason: str, today: dt.date | None = None) -> Member:
    """Take a mistaken record out of every list, count and metric, keeping it for the auditors.

    Allowed within the window after creation, and only while nothing refers to it.
    """
    require_in_scope(by, roles.EDIT_ROSTER, member.org)
    member = Member.objects.select_for_update().select_related("org").get(pk=member.pk)
    reason = reason.strip()
    today = today or timezone.localdate()
    days = entered_in_error_days()
    if not reason:
        raise ValidationError({"reason": _("Give the reason why the record was entered in error")})
    if member.status == Status.ENTERED_IN_ERROR:
        raise ValidationError({"status": _("This record is already marked as entered in error")})
    created_on = timezone.localdate(member.created_at)
    if (today - created_on).days > days:
        raise ValidationError({"__all__": ngettext(
            "This record was created on %(created_on)s, more than %(days)d day ago, and can no longer be marked as "
            "entered in error: change the member's details or status instead",
            "This record was created on %(created_on)s, more than %(days)d days ago, and can no longer be marked as "
            "entered in error: change the member's details or status instead", days,
        ) % {"created_on": f"{created_on:%Y-%m-%d}", "days": days}})
    refs = member_references(member)
    if refs:
        named = references_text(refs)
        raise ValidationError({"__all__": _(
            "Other records refer to this member, so it cannot be marked as entered in error: %(named)s. Correct "
            "those records first, or change the member's details instead") % {"named": named}})
    # Dues the ledger generated for a record that should not exist go with it.
    generated = list(member.dues.values_list("month", flat=True))
    member.dues.all().delete()
    StatusChange.objects.create(member=member, from_status=member.status, to_status=Status.ENTERED_IN_ERROR,
                                changed_on=today, reason=reason, by=by)
    old = member.status
    member.status = Status.ENTERED_IN_ERROR
    # Free the ID number for the correct record; the encrypted number itself is kept.
    member.id_number_index = f"E{member.pk}:{member.id_number_index}"[:40]
    member.save(update_fields=["status", "id_number_index", "updated_at"])
    audit_record(
        actor=by, action=Action.TRANSITION, target=member, org=member.org,
        changes={"status": [old, Status.ENTERED_IN_ERROR], "reason": reason,
                 "generated_dues_removed": [m.isoformat() for m in generated]},
    )
    return member

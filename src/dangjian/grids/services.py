"""Writes for grids, households, links, plans and visits: atomic and audited."""

import datetime as dt
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core import crypto
from dangjian.core.corrections import json_values, reason_given, user_or_none
from dangjian.core.references import open_records, references, references_text
from dangjian.core.scoping import org_in_scope, scope_q
from dangjian.core.text import join_items
from dangjian.grids.models import (
    PLAN_TAGS,
    Grid,
    GridChange,
    GridConfig,
    GridStaff,
    Household,
    HouseholdLink,
    HouseholdVersion,
    Resident,
    ResidentVersion,
    ServicePlan,
    Visit,
)
from dangjian.grids.selectors import household_head
from dangjian.orgs.models import Member, Org, OrgKind, Status
from dangjian.orgs.services import entered_in_error_days

SENSITIVE = ("head_name", "phone", "name")
GRID_ORG_KINDS = (OrgKind.COMMUNITY_COMMITTEE,)


def _require_org(by, capability: str, org: Org) -> None:
    if not org_in_scope(by, capability, org):
        raise Org.DoesNotExist


def _require_manager(by, org: Org) -> None:
    if not org_in_scope(by, roles.EDIT_WORK, org):
        raise Org.DoesNotExist


def _require_grid(by, capability: str, grid: Grid) -> None:
    q = scope_q(by, capability, path_field="org__path", through={"grid": "pk"})
    if not Grid.objects.filter(q, pk=grid.pk).exists():
        raise Grid.DoesNotExist


def _clean_phone(phone: str) -> str:
    phone = "".join((phone or "").split())
    if phone and (not phone.replace("-", "").isdigit() or not 7 <= len(phone) <= 20):
        raise ValidationError({"phone": _("The phone number is not in a valid format")})
    return phone


def _grid_values(*, name: str, code: str, keywords: str, grid: Grid | None = None) -> dict:
    """The grid's name, code and keywords cleaned, or every rule they break at once; the code is unique."""
    values = {"name": (name or "").strip(), "code": (code or "").strip(), "keywords": (keywords or "").strip()}
    errors = {}
    if not values["name"]:
        errors["name"] = _("Enter the grid's name")
    elif len(values["name"]) > 100:
        errors["name"] = _("The grid's name can have at most 100 characters")
    if not values["code"]:
        errors["code"] = _("Enter the grid's code")
    elif len(values["code"]) > 32:
        errors["code"] = _("The grid's code can have at most 32 characters")
    elif Grid.objects.filter(code=values["code"]).exclude(pk=getattr(grid, "pk", None)).exists():
        errors["code"] = _("This grid code is already in use")
    if len(values["keywords"]) > 300:
        errors["keywords"] = _("The address keywords can have at most 300 characters")
    if errors:
        raise ValidationError(errors)
    return values


def _save_grid(grid: Grid, **kwargs) -> None:
    """The unique code, also when another grid takes it at the same moment."""
    try:
        with transaction.atomic():
            grid.save(**kwargs)
    except IntegrityError as exc:
        raise ValidationError({"code": _("This grid code is already in use")}) from exc


@transaction.atomic
def grid_create(*, by, org: Org, name: str, code: str, keywords: str = "") -> Grid:
    _require_manager(by, org)
    errors = {}
    if org.kind not in GRID_ORG_KINDS:
        errors["org"] = _("A grid belongs to a community Party organisation")
    try:
        values = _grid_values(name=name, code=code, keywords=keywords)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    grid = Grid(org=org, **values)
    _save_grid(grid)
    audit_record(actor=by, action=Action.CREATE, target=grid, org=org, changes=diff(None, values))
    return grid


@transaction.atomic
def grid_staff_set(*, by, grid: Grid, user, role: str) -> GridStaff:
    _require_manager(by, grid.org)
    if role not in GridStaff.Role.values:
        raise ValidationError({"role": _("Unknown grid post")})
    grid = _active_locked(grid)
    post, created = GridStaff.objects.update_or_create(grid=grid, user=user, defaults={"role": role})
    audit_record(actor=by, action=Action.CREATE if created else Action.UPDATE, target=post, org=grid.org,
                 target_repr=f"{grid.name} · {user}", changes={"role": [None, role]})
    return post


def _household_values(*, address: str, head_name: str, phone: str, size, note: str) -> dict:
    """The household's fields cleaned, or every rule they break at once."""
    errors = {}
    if not (address or "").strip():
        errors["address"] = _("Enter the address")
    if not (head_name or "").strip():
        errors["head_name"] = _("Enter the head of household's name")
    try:
        size = int(size or 0)
    except (TypeError, ValueError):
        size = 0
    if not 1 <= size <= 30:
        errors["size"] = _("A household has between 1 and 30 people")
    try:
        phone = _clean_phone(phone)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return {"address": address.strip(), "head_name": head_name.strip(), "phone": phone, "size": size,
            "note": (note or "").strip()}


def _active_locked(grid: Grid) -> Grid:
    """The grid's row, locked: a deactivation running at the same time waits, then sees what was added."""
    grid = Grid.objects.select_for_update().select_related("org").get(pk=grid.pk)
    if not grid.is_active:
        raise ValidationError({"__all__": _("Grid “%(grid)s” is deactivated; if that was a mistake, reactivate it first") % {
            "grid": grid.name}})
    return grid


def _household_locked(household: Household) -> Household:
    """Locked, so marking it entered in error and linking or visiting it cannot cross."""
    return Household.objects.select_for_update().select_related("grid__org").get(pk=household.pk)


@transaction.atomic
def household_create(
    *, by, grid: Grid, address: str, head_name: str, phone: str = "", size: int = 1, note: str = ""
) -> Household:
    _require_grid(by, roles.EDIT_WORK, grid)
    grid = _active_locked(grid)
    values = _household_values(address=address, head_name=head_name, phone=phone, size=size, note=note)
    phone = values["phone"]
    household = Household.objects.create(grid=grid, phone_index=crypto.blind_index(phone) if phone else "", **values)
    Resident.objects.create(household=household, name=household.head_name, phone=phone,
                            phone_index=household.phone_index)
    audit_record(actor=by, action=Action.CREATE, target=household, org=grid.org,
                 changes=diff(None, {"address": household.address, "head_name": household.head_name,
                                     "phone": phone, "size": household.size}, sensitive=SENSITIVE))
    return household


def _resident_values(*, name: str, phone: str) -> dict:
    """A resident's name and phone cleaned, or every rule they break at once."""
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Enter the resident's name")
    elif len(name) > 50:
        errors["name"] = _("The name can have at most 50 characters")
    try:
        phone = _clean_phone(phone)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return {"name": name, "phone": phone}


def _resident_repr(household: Household) -> str:
    return _("Resident of %(address)s") % {"address": household.address}


@transaction.atomic
def resident_create(*, by, household: Household, name: str, phone: str = "") -> Resident:
    household = _locked_household(by, household)
    values = _resident_values(name=name, phone=phone)
    resident = Resident.objects.create(household=household, **values,
                                       phone_index=crypto.blind_index(values["phone"]) if values["phone"] else "")
    audit_record(actor=by, action=Action.CREATE, target=resident, org=household.grid.org,
                 target_repr=_resident_repr(household), changes=diff(None, values, sensitive=SENSITIVE))
    return resident


def household_reveal(*, by, household: Household, field: str) -> str:
    """One personal value in full; the reveal itself is audited."""
    if field not in ("head_name", "phone"):
        raise ValueError(field)
    _require_org(by, roles.REVEAL, household.grid.org)
    with transaction.atomic():
        audit_record(actor=by, action=Action.REVEAL, target=household, org=household.grid.org,
                     changes={"field": field})
    return getattr(household, field)


def _link_repr(member: Member, household: Household) -> str:
    return _("%(member)s looks after %(address)s") % {"member": member.name, "address": household.address}


@transaction.atomic
def household_link(*, by, member: Member, household: Household, since: dt.date | None = None) -> HouseholdLink:
    """党员联户, within the installation's cap of households per member."""
    household = _household_locked(household)
    grid = household.grid
    _require_grid(by, roles.EDIT_WORK, grid)
    # Lock the member row: two links at once must not both slip under the cap.
    member = Member.objects.select_for_update().get(pk=member.pk)
    cap = GridConfig.current().households_per_member
    errors = {}
    if household.entered_in_error_at is not None:
        errors["household"] = _("This household is marked as entered in error and cannot be linked")
    elif not member.org.path.startswith(grid.org.path):
        errors["member"] = _("Only members of this community can be linked")
    elif member.status != Status.ACTIVE:
        errors["member"] = _("Only members on the roll can be linked to households")
    elif HouseholdLink.objects.filter(member=member, household=household, ended_on__isnull=True).exists():
        errors["member"] = _("This member is already linked to this household")
    elif HouseholdLink.objects.filter(member=member, ended_on__isnull=True).count() >= cap:
        errors["member"] = ngettext(
            "A member links at most %(cap)d household; %(name)s has reached the limit",
            "A member links at most %(cap)d households; %(name)s has reached the limit", cap,
        ) % {"cap": cap, "name": member.name}
    if errors:
        raise ValidationError(errors)
    link = HouseholdLink.objects.create(member=member, household=household, since=since or timezone.localdate())
    audit_record(actor=by, action=Action.CREATE, target=link, org=grid.org,
                 target_repr=_link_repr(member, household),
                 changes={"member": [None, member.pk], "household": [None, household.pk]})
    return link


@transaction.atomic
def household_unlink(*, by, link: HouseholdLink, reason: str, on: dt.date | None = None) -> HouseholdLink:
    """End a member-household link (the member moved, or it was made by mistake): kept, with why and by whom."""
    link = HouseholdLink.objects.select_for_update().select_related("household__grid__org", "member").get(pk=link.pk)
    _require_grid(by, roles.EDIT_WORK, link.household.grid)
    if link.ended_on is not None:
        raise ValidationError({"link": _("This link has already ended")})
    errors = {}
    try:
        reason = reason_given(reason, _("Give the reason for ending the link"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    today = timezone.localdate()
    on = on or today
    if on < link.since:
        errors["ended_on"] = _("The end date cannot be earlier than the start date")
    elif on > today:
        errors["ended_on"] = _("The end date cannot be later than today")
    if errors:
        raise ValidationError(errors)
    link.ended_on, link.end_reason, link.ended_by = on, reason, user_or_none(by)
    link.save(update_fields=["ended_on", "end_reason", "ended_by"])
    audit_record(actor=by, action=Action.UPDATE, target=link, org=link.household.grid.org,
                 target_repr=_link_repr(link.member, link.household),
                 changes={"ended_on": [None, link.ended_on.isoformat()], "reason": [None, reason]})
    return link


@transaction.atomic
def service_plan_create(
    *, by, org: Org, kind: str, starts_on: dt.date, ends_on: dt.date, visits_per_member: int = 1
) -> ServicePlan:
    _require_org(by, roles.EDIT_WORK, org)
    errors = {}
    if kind not in PLAN_TAGS:
        errors["kind"] = _("Unknown kind of service plan")
    if ends_on < starts_on:
        errors["ends_on"] = _("The end date cannot be earlier than the start date")
    if not 1 <= visits_per_member <= 52:
        errors["visits_per_member"] = _("Visits per member are between 1 and 52")
    if not errors and ServicePlan.objects.filter(org=org, kind=kind, starts_on=starts_on).exists():
        errors["starts_on"] = _("This organisation already has a plan of this kind for the period")
    if errors:
        raise ValidationError(errors)
    plan = ServicePlan.objects.create(org=org, kind=kind, starts_on=starts_on, ends_on=ends_on,
                                      visits_per_member=visits_per_member, created_by=by)
    audit_record(actor=by, action=Action.CREATE, target=plan, org=org,
                 changes=diff(None, {"kind": kind, "starts_on": starts_on, "ends_on": ends_on,
                                     "visits_per_member": visits_per_member}))
    return plan


@transaction.atomic
def visit_record(
    *, by, visited_on: dt.date, summary: str, household: Household | None = None,
    member: Member | None = None, plan: ServicePlan | None = None, visitor: Member | None = None,
) -> Visit:
    """Record one visit, to a household (grid work) or to a member (service plan)."""
    errors = {}
    if (household is None) == (member is None):
        raise ValidationError({"household": _("Choose the household or the member visited (one of the two)")})
    if not summary.strip():
        errors["summary"] = _("Describe the visit")
    elif len(summary) > 500:
        errors["summary"] = _("The description of a visit can have at most 500 characters")
    if visited_on > timezone.localdate():
        errors["visited_on"] = _("The visit date cannot be later than today")
    if household is not None:
        household = _household_locked(household)
        _require_grid(by, roles.EDIT_WORK, household.grid)
        if household.entered_in_error_at is not None:
            errors["household"] = _("This household is marked as entered in error: no visit can be recorded")
        visit = Visit(kind=Visit.Kind.HOUSEHOLD, org=household.grid.org, grid=household.grid, household=household)
        exists = Visit.objects.filter(household=household, visited_on=visited_on, visitor=visitor)
    else:
        _require_org(by, roles.EDIT_WORK, member.org)
        visit = Visit(kind=Visit.Kind.MEMBER, org=member.org, member=member, plan=plan)
        if plan is not None:
            if not member.org.path.startswith(plan.org.path):
                errors["plan"] = _("This member is outside the organisations of this service plan")
            elif not member.tags.filter(name=plan.tag_name).exists():
                errors["plan"] = _("This member has no “%(tag)s” tag and is not in this service plan") % {"tag": plan.tag_name}
            elif not plan.starts_on <= visited_on <= plan.ends_on:
                errors["visited_on"] = _("The visit date is outside the service plan's period")
        exists = Visit.objects.filter(member=member, visited_on=visited_on, plan=plan)
    if not errors and exists.exists():
        errors["visited_on"] = _("This visit is already recorded and cannot be recorded twice")
    if errors:
        raise ValidationError(errors)
    visit.visited_on = visited_on
    visit.summary = summary.strip()
    visit.visitor = visitor
    visit.recorded_by = user_or_none(by)
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError as exc:
        raise ValidationError({"visited_on": _("This visit is already recorded and cannot be recorded twice")}) from exc
    audit_record(actor=by, action=Action.CREATE, target=visit, org=visit.org,
                 target_repr=_("Visit to %(visited)s") % {"visited": household or member},
                 changes={"visited_on": [None, visited_on.isoformat()], "kind": [None, visit.kind]})
    return visit


# --- Corrections -------------------------------------------------------------------
# A household's entry is corrected, moved to another grid of its community, or
# marked entered in error; a grid is deactivated only once it is empty, and a
# grid deactivated by mistake is reactivated. Each keeps what was there before
# (HouseholdVersion, GridChange), needs a reason and is audited.

HOUSEHOLD_FIELDS = ("address", "head_name", "phone", "size", "note")
# A household's own parts and history do not stop marking it entered in error.
_OWNED_RELATIONS = {("grids.Resident", "household"), ("grids.HouseholdVersion", "household"),
                    ("grids.ResidentVersion", "household")}


def _corrected(*, record, reason: str, given: dict, clean, reason_message: str = "") -> tuple[str, dict, list[str]]:
    """A correction's checks, every error at once: (the reason, the values cleaned, the fields that change).

    given: {field: new value, or None to keep it}; clean(**values) returns them cleaned or raises.
    """
    errors = {}
    try:
        reason = reason_given(reason, reason_message or _("Give the reason for the correction"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        values = clean(**{f: getattr(record, f) if v is None else v for f, v in given.items()})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    changed = [f for f in given if values[f] != getattr(record, f)]
    if not changed:
        raise ValidationError({"__all__": _("Nothing changed")})
    return reason, values, changed


def _locked_household(by, household: Household) -> Household:
    household = _household_locked(household)
    _require_grid(by, roles.EDIT_WORK, household.grid)
    # Entered in error: read-only, as if it were gone.
    if household.entered_in_error_at is not None:
        raise Household.DoesNotExist
    return household


def _keep_version(*, by, household: Household, kind: str, changed: list[str], reason: str) -> HouseholdVersion:
    """Called before the household changes: the row holds its values as they were."""
    return HouseholdVersion.objects.create(
        household=household, kind=kind, grid_id=household.grid_id, changed=changed, reason=reason, by=user_or_none(by),
        **{f: getattr(household, f) for f in HOUSEHOLD_FIELDS},
    )


@transaction.atomic
def household_correct(
    *, by, household: Household, reason: str, address: str | None = None, head_name: str | None = None,
    phone: str | None = None, size: int | None = None, note: str | None = None,
) -> Household:
    """Correct what was entered for a household; None leaves a field as it is. The earlier version is kept."""
    household = _locked_household(by, household)
    reason, values, changed = _corrected(
        record=household, reason=reason, clean=_household_values,
        given={"address": address, "head_name": head_name, "phone": phone, "size": size, "note": note})
    before = {f: getattr(household, f) for f in HOUSEHOLD_FIELDS}
    _keep_version(by=by, household=household, kind=HouseholdVersion.Kind.CORRECT, changed=changed, reason=reason)
    # The head's own resident row, written with the household, follows the correction.
    head = household_head(household)
    for f in changed:
        setattr(household, f, values[f])
    household.phone_index = crypto.blind_index(household.phone) if household.phone else ""
    household.save()
    if head is not None and ({"head_name", "phone"} & set(changed)):
        head.name, head.phone, head.phone_index = household.head_name, household.phone, household.phone_index
        head.save(update_fields=["name", "phone", "phone_index", "updated_at"])
    audit_record(actor=by, action=Action.UPDATE, target=household, org=household.grid.org,
                 changes={**diff(before, values, sensitive=SENSITIVE), "reason": [None, reason]})
    return household


@transaction.atomic
def household_move(*, by, household: Household, grid: Grid, reason: str) -> Household:
    """A household that moved to another grid of the same community: one step, not delete and re-enter.

    Its residents and links go with it; visits stay counted for the grid they were made in.
    """
    household = _locked_household(by, household)
    _require_grid(by, roles.EDIT_WORK, grid)
    grid = Grid.objects.select_for_update().get(pk=grid.pk)
    errors = {}
    try:
        reason = reason_given(reason, _("Give the reason for the move"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if grid.pk == household.grid_id:
        errors["grid"] = _("The household is already in this grid")
    elif grid.org_id != household.grid.org_id:
        errors["grid"] = _("A household moves only to another grid of the same community; enter households of another community there")
    elif not grid.is_active:
        errors["grid"] = _("Grid “%(grid)s” is deactivated: nothing can move in") % {"grid": grid.name}
    if errors:
        raise ValidationError(errors)
    old = household.grid
    _keep_version(by=by, household=household, kind=HouseholdVersion.Kind.MOVE, changed=["grid"], reason=reason)
    household.grid = grid
    household.save(update_fields=["grid", "updated_at"])
    audit_record(actor=by, action=Action.UPDATE, target=household, org=grid.org,
                 changes={"grid": [old.pk, grid.pk], "reason": [None, reason]})
    return household


def household_references(household: Household) -> dict[str, int]:
    """{what refers to the household: how many rows} (links, visits, anything added later)."""
    return references(household, owned=_OWNED_RELATIONS)


def household_error_window_open(household: Household, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (today - timezone.localdate(household.created_at)).days <= entered_in_error_days()


@transaction.atomic
def household_mark_entered_in_error(*, by, household: Household, reason: str, today: dt.date | None = None) -> Household:
    """A household entered by mistake (a duplicate, the wrong grid): out of every list and count, kept for auditors.

    Allowed within the window after it was entered, and only while nothing refers to it.
    """
    household = _locked_household(by, household)
    reason = reason_given(reason, _("Give the reason it was entered in error"))
    days = entered_in_error_days()
    if not household_error_window_open(household, today):
        raise ValidationError({"__all__": ngettext(
            "This household was entered on %(date)s, more than %(days)d day ago: it can no longer be marked as "
            "entered in error; correct its details or move it to the right grid",
            "This household was entered on %(date)s, more than %(days)d days ago: it can no longer be marked as "
            "entered in error; correct its details or move it to the right grid", days,
        ) % {"date": f"{timezone.localdate(household.created_at):%Y-%m-%d}", "days": days}})
    refs = household_references(household)
    if refs:
        raise ValidationError({"__all__": _(
            "Other records refer to this household, so it cannot be marked as entered in error: %(named)s. "
            "Move a household entered in the wrong grid to the right one; correct wrong details instead"
        ) % {"named": references_text(refs)}})
    _keep_version(by=by, household=household, kind=HouseholdVersion.Kind.ENTERED_IN_ERROR, changed=[], reason=reason)
    household.entered_in_error_at = timezone.now()
    household.save(update_fields=["entered_in_error_at", "updated_at"])
    audit_record(actor=by, action=Action.TRANSITION, target=household, org=household.grid.org,
                 changes={"entered_in_error": [False, True], "reason": [None, reason]})
    return household


def _grid_change(*, by, grid: Grid, kind: str, reason: str, before: dict | None = None,
                 after: dict | None = None) -> GridChange:
    return GridChange.objects.create(grid=grid, kind=kind, reason=reason, before=json_values(before or {}),
                                     after=json_values(after or {}), by=user_or_none(by))


def grid_blockers(grid: Grid) -> dict[str, int]:
    """{what still lives in the grid: how many}: households, staff posts, and what other apps keep open (appeals)."""
    counts = {
        "households": grid.households.in_use().count(),
        "staff": grid.staff.count(),
        **{name: qs.count() for name, qs in open_records(grid).items()},
    }
    return {k: n for k, n in counts.items() if n}


def _locked_grid(by, grid: Grid) -> Grid:
    grid = Grid.objects.select_for_update().select_related("org").get(pk=grid.pk)
    _require_manager(by, grid.org)
    return grid


def _refuse_if_in_use(grid: Grid) -> None:
    blockers = grid_blockers(grid)
    if not blockers:
        return
    parts, steps = [], []
    if "households" in blockers:
        n = blockers["households"]
        parts.append(npgettext("grid in use", "%(n)d household", "%(n)d households", n) % {"n": n})
        steps.append(_("move the households to other grids of the community"))
    if "staff" in blockers:
        n = blockers["staff"]
        parts.append(npgettext("grid in use", "%(n)d grid worker", "%(n)d grid workers", n) % {"n": n})
        steps.append(_("take the grid staff off it"))
    if "appeals" in blockers:
        n = blockers["appeals"]
        parts.append(npgettext("grid in use", "%(n)d open appeal", "%(n)d open appeals", n) % {"n": n})
        steps.append(_("resolve the appeals or reassign them to another grid"))
    raise ValidationError({"__all__": _(
        "Grid “%(grid)s” still has %(what)s and cannot be deactivated. First %(steps)s."
    ) % {"grid": grid.name, "what": join_items(parts), "steps": join_items(steps)}})


def _grid_switch(*, by, grid: Grid, reason: str, active: bool) -> Grid:
    grid = _locked_grid(by, grid)
    reason = reason_given(reason, _("Give the reason for reactivating it") if active else _("Give the reason for deactivating it"))
    if grid.is_active == active:
        raise ValidationError({"__all__": _("This grid is in use: there is nothing to reactivate") if active
                               else _("This grid is already deactivated")})
    if not active:
        _refuse_if_in_use(grid)
    grid.is_active = active
    grid.save(update_fields=["is_active", "updated_at"])
    _grid_change(by=by, grid=grid, kind=GridChange.Kind.REACTIVATE if active else GridChange.Kind.DEACTIVATE,
                 reason=reason)
    audit_record(actor=by, action=Action.TRANSITION, target=grid, org=grid.org,
                 changes={"is_active": [not active, active], "reason": [None, reason]})
    return grid


@transaction.atomic
def grid_deactivate(*, by, grid: Grid, reason: str) -> Grid:
    """Stop using a grid. Refused while households, staff or open appeals are still in it."""
    return _grid_switch(by=by, grid=grid, reason=reason, active=False)


@transaction.atomic
def grid_reactivate(*, by, grid: Grid, reason: str) -> Grid:
    """A grid deactivated by mistake: in use again (appeals route to it, households can be entered)."""
    return _grid_switch(by=by, grid=grid, reason=reason, active=True)


@transaction.atomic
def grid_staff_remove(*, by, post: GridStaff, reason: str) -> None:
    """Take a worker off a grid (posted by mistake, or leaving it); the post is kept in the grid's changes."""
    post = GridStaff.objects.select_for_update().select_related("grid__org", "user").get(pk=post.pk)
    grid = post.grid
    _require_manager(by, grid.org)
    reason = reason_given(reason, _("Give the reason for taking them off"))
    before = {"user": post.user.username, "name": post.user.display_name or "", "role": post.role}
    audit_record(actor=by, action=Action.DELETE, target=post, org=grid.org, target_repr=f"{grid.name} · {post.user}",
                 changes={"role": [post.role, None], "reason": [None, reason]})
    post.delete()
    _grid_change(by=by, grid=grid, kind=GridChange.Kind.STAFF_REMOVED, reason=reason, before=before)


@transaction.atomic
def grid_correct(
    *, by, grid: Grid, reason: str, name: str | None = None, code: str | None = None, keywords: str | None = None,
) -> Grid:
    """Correct a grid's name, code or keywords; None leaves a field as it is. The earlier values are kept.

    Appeals already routed keep their grid and their timeline: the keywords route new appeals only.
    """
    grid = _locked_grid(by, grid)
    reason, values, changed = _corrected(
        record=grid, reason=reason, clean=partial(_grid_values, grid=grid),
        given={"name": name, "code": code, "keywords": keywords})
    before = {f: getattr(grid, f) for f in changed}
    after = {f: values[f] for f in changed}
    for f, v in after.items():
        setattr(grid, f, v)
    _save_grid(grid, update_fields=[*after, "updated_at"])
    _grid_change(by=by, grid=grid, kind=GridChange.Kind.CORRECT, reason=reason, before=before, after=after)
    audit_record(actor=by, action=Action.UPDATE, target=grid, org=grid.org,
                 changes={**diff(before, after), "reason": [None, reason]})
    return grid


# A resident other than the head is corrected, or removed when entered by mistake; the head's
# row follows the household's own corrections (household_correct).

RESIDENT_FIELDS = ("name", "phone")


def _resident_locked(by, resident: Resident, head_message: str) -> Resident:
    household = _locked_household(by, resident.household)
    resident = Resident.objects.select_for_update().get(pk=resident.pk, household=household)
    resident.household = household
    head = household_head(household)
    if head is not None and head.pk == resident.pk:
        raise ValidationError({"resident": head_message})
    return resident


def _keep_resident_version(*, by, resident: Resident, kind: str, changed: list[str], reason: str) -> ResidentVersion:
    """Called before the resident changes or goes: the row holds its values as they were."""
    return ResidentVersion.objects.create(
        household=resident.household, original_id=resident.pk, kind=kind, changed=changed, reason=reason,
        by=user_or_none(by), **{f: getattr(resident, f) for f in RESIDENT_FIELDS},
    )


@transaction.atomic
def resident_correct(*, by, resident: Resident, reason: str, name: str | None = None,
                     phone: str | None = None) -> Resident:
    """Correct a resident's name or phone; None leaves a field as it is. The earlier version is kept."""
    resident = _resident_locked(by, resident, _(
        "This is the head of household: correct the head's name and phone with the household's correction"))
    reason, values, changed = _corrected(record=resident, reason=reason, clean=_resident_values,
                                         given={"name": name, "phone": phone})
    before = {f: getattr(resident, f) for f in RESIDENT_FIELDS}
    _keep_resident_version(by=by, resident=resident, kind=ResidentVersion.Kind.CORRECT, changed=changed,
                           reason=reason)
    resident.name, resident.phone = values["name"], values["phone"]
    resident.phone_index = crypto.blind_index(resident.phone) if resident.phone else ""
    resident.save(update_fields=["name", "phone", "phone_index", "updated_at"])
    audit_record(actor=by, action=Action.UPDATE, target=resident, org=resident.household.grid.org,
                 target_repr=_resident_repr(resident.household),
                 changes={**diff(before, values, sensitive=SENSITIVE), "reason": [None, reason]})
    return resident


@transaction.atomic
def resident_mark_entered_in_error(*, by, resident: Resident, reason: str) -> ResidentVersion:
    """A resident entered by mistake (a duplicate, the wrong household) leaves the household.

    Nothing refers to a resident, so there is no window: the full copy is kept as a ResidentVersion.
    """
    resident = _resident_locked(by, resident, _(
        "The head of household cannot be removed alone: if the whole household was entered by mistake, "
        "mark the household as entered in error; if the head changed, correct the household"))
    reason = reason_given(reason, _("Give the reason it was entered in error"))
    version = _keep_resident_version(by=by, resident=resident, kind=ResidentVersion.Kind.ENTERED_IN_ERROR,
                                     changed=[], reason=reason)
    audit_record(actor=by, action=Action.DELETE, target=resident, org=resident.household.grid.org,
                 target_repr=_resident_repr(resident.household),
                 changes={**diff({f: getattr(resident, f) for f in RESIDENT_FIELDS}, None, sensitive=SENSITIVE),
                          "entered_in_error": [False, True], "reason": [None, reason]})
    resident.delete()
    return version

"""Writes for appeals. Every state change goes through appeal_transition."""

import datetime as dt
import re
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dangjian.accounts import roles
from dangjian.appeals import classifier, workflow
from dangjian.appeals.models import (
    HANDLING_STATES,
    OPEN_STATES,
    Appeal,
    AppealCategory,
    AppealCategoryName,
    AppealConfig,
    AppealEvent,
    AssigneeKind,
    Channel,
    Rating,
    State,
)
from dangjian.appeals.routing import candidate_grids, route_to_grid
from dangjian.appeals.workflow import CALLBACK, RESIDENT, STAFF, SYSTEM, Step
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core import crypto, notify
from dangjian.core.scoping import scope_q
from dangjian.core.text import join_items
from dangjian.grids.models import Grid
from dangjian.orgs.models import Org, OrgKind

# Unambiguous: no 0/O, 1/I/L. 31**13 is about 2**64: not guessable under the
# tracking rate limit. Codes of 8 symbols handed out before stay valid.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 13
MAX_TEXT = 1000
MIN_TEXT = 5
MAX_RESOLUTION = 2000
NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{8,40}$")
PUBLIC_ORG_KINDS = (OrgKind.COMMUNITY_COMMITTEE,)


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join((code or "").replace("-", " ").split()).upper()[:16]


def _bound_nonce(nonce: str, by) -> str:
    """The nonce as stored: keyed to its submitter, so another's nonce finds nothing.

    Staff and API callers are bound by their account; public submissions carry
    no nonce (the form's one-time challenge plays that part).
    """
    if not nonce:
        return ""
    owner = f"user:{by.pk}" if getattr(by, "pk", None) else "public"
    return salted_hmac("dangjian.appeals.nonce", f"{owner}|{nonce}", algorithm="sha256").hexdigest()[:40]


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Describe the appeal")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("The appeal can have at most %(max)d characters (it has %(n)d)") % {"max": MAX_TEXT, "n": len(text)}})
    if len(text) < MIN_TEXT:
        raise ValidationError({"text": _("The appeal is too short: describe the matter in at least %(min)d characters") % {"min": MIN_TEXT}})
    return text


def _check_phone(phone: str) -> str:
    phone = "".join((phone or "").split())
    if phone and (not phone.replace("-", "").isdigit() or not 7 <= len(phone) <= 20):
        raise ValidationError({"phone": _("The phone number is not in a valid format")})
    return phone


def _check_category(category: str | None) -> AppealCategory | None:
    """The category a code names, if it may be chosen now (not retired, nor under a retired one)."""
    if not category:
        return None
    found = AppealCategory.objects.select_related("parent").filter(code=category).first()
    if found is None:
        raise ValidationError({"category": _("Unknown appeal category: %(category)s") % {"category": category}})
    if found.is_retired or (found.parent_id and found.parent.is_retired):
        raise ValidationError({"category": _("The category “%(name)s” is no longer in use: choose another one") % {
            "name": found.name}})
    return found


def _deadlines(category: AppealCategory | None, config: AppealConfig, *, complex_case: bool) -> tuple[dt.timedelta, dt.timedelta]:
    """(accept within, resolve within): the category's own (or its first level's), else the installation's.
    A complex case never gets less than the installation's complex-case period."""
    accept_hours = resolve_days = None
    for node in (category, category.parent if category is not None and category.parent_id else None):
        if node is not None:
            accept_hours = accept_hours or node.accept_hours
            resolve_days = resolve_days or node.resolve_days
    accept = dt.timedelta(hours=accept_hours) if accept_hours else config.accept_delta
    resolve = config.resolve_delta(complex_case=complex_case)
    if resolve_days:
        resolve = max(dt.timedelta(days=resolve_days), resolve) if complex_case else dt.timedelta(days=resolve_days)
    return accept, resolve


def _set_category(appeal: Appeal, category: AppealCategory) -> None:
    appeal.category, appeal.category_name = category.code, category.name


def appeals_in_scope_q(user, capability: str):
    return scope_q(user, capability, path_field="org__path", through={"grid": "grid"})


def _require(by, capability: str, appeal: Appeal) -> None:
    if not Appeal.objects.filter(appeals_in_scope_q(by, capability), pk=appeal.pk).exists():
        raise Appeal.DoesNotExist


@transaction.atomic
def appeal_submit(
    *, channel: str, text: str, org: Org | None, address: str = "", resident_name: str = "",
    phone: str = "", category: str | None = None, is_complex: bool = False, nonce: str = "",
    by=None, now: dt.datetime | None = None, household=None,
) -> tuple[Appeal, bool]:
    """Take in one appeal from any channel. Returns (appeal, created).

    The public form and API callers pass a client nonce: submitting the same
    one again returns the stored appeal instead of a second copy.

    People behind the case (issue 19): staff may name the household the appeal comes from (one of the
    community's, in their scope, checked by the caller); otherwise a phone left by the resident that is
    the phone of exactly one household of the community identifies it. The case is then routed to that
    household's grid and linked to the member serving it (党员联户).
    """
    now = now or timezone.now()
    errors: dict[str, str] = {}
    chosen = None
    for check, _field, value in (
        (_check_text, "text", text), (_check_phone, "phone", phone), (_check_category, "category", category),
    ):
        try:
            found = check(value)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
        else:
            chosen = found if check is _check_category else chosen
    if channel not in Channel.values:
        errors["channel"] = _("Unknown intake channel")
    if nonce and not NONCE_RE.match(nonce):
        errors["nonce"] = _("The submission key is not in a valid format")
    if len(address) > 200:
        errors["address"] = _("The address can have at most 200 characters")
    if len(resident_name) > 50:
        errors["resident_name"] = _("The name can have at most 50 characters")
    if org is None:
        errors["org"] = _("Choose your community")
    elif by is None:
        if org.kind not in PUBLIC_ORG_KINDS or not org.is_active:
            errors["org"] = _("Choose your community")
    elif not _org_writable(by, org):
        raise Org.DoesNotExist
    if household is not None and (org is None or household.grid.org_id != org.pk):
        errors["household"] = _("Only a household of this community can be chosen")
    if errors:
        raise ValidationError(errors)
    nonce = _bound_nonce(nonce, by)
    if nonce:
        existing = Appeal.objects.filter(client_nonce=nonce).first()
        if existing is not None:
            return existing, False
    text = text.strip()
    phone = _check_phone(phone)
    config = AppealConfig.current()
    accept_within, resolve_within = _deadlines(chosen, config, complex_case=is_complex)
    appeal = Appeal(
        channel=channel, org=org, text=text, address=address.strip(), resident_name=resident_name.strip(),
        phone=phone, phone_index=crypto.blind_index(phone) if phone else "",
        suggested_category=classifier.suggest(text),
        category_confirmed=bool(chosen and by is not None), is_complex=is_complex,
        grid=route_to_grid(org, address=address, text=text), client_nonce=nonce,
        received_at=now, accept_due_at=now + accept_within, resolve_due_at=now + resolve_within,
    )
    household = household or _household_by_phone(org, appeal.phone_index)
    if household is not None:
        appeal.household, appeal.grid = household, household.grid
        appeal.household_member = _household_member(household)
    if chosen is not None:
        _set_category(appeal, chosen)
    for _attempt in range(5):
        appeal.tracking_code = new_tracking_code()
        try:
            with transaction.atomic():
                appeal.save()
            break
        except IntegrityError:
            if nonce and Appeal.objects.filter(client_nonce=nonce).exists():
                # The same submission arrived twice at once; the other one won.
                return Appeal.objects.get(client_nonce=nonce), False
            appeal.pk = None
    else:  # pragma: no cover - 31^8 codes
        raise RuntimeError("could not allocate a tracking code")
    AppealEvent.objects.create(
        appeal=appeal, step="submit", to_state=State.RECEIVED, at=now,
        by=by if getattr(by, "pk", None) else None, by_label="" if by else _actor_label(RESIDENT),
        note=appeal.get_channel_display(),
    )
    audit_record(
        actor=by or _actor_label(RESIDENT), action=Action.CREATE, target=appeal, org=org,
        changes={"channel": [None, channel], "grid": [None, appeal.grid_id], "phone": [None, "••••" if phone else ""],
                 **({"household": [None, appeal.household_id], "member": [None, appeal.household_member_id]}
                    if appeal.household_id else {})},
    )
    notify_state_change(appeal, by=by, new=True)
    return appeal, True


def _household_by_phone(org: Org, phone_index: str):
    """The one household of the community whose phone is this one, else None (none, or several)."""
    if not phone_index:
        return None
    from dangjian.grids.models import Household

    found = list(Household.objects.in_use().select_related("grid").filter(grid__org=org, phone_index=phone_index)[:2])
    return found[0] if len(found) == 1 else None


def _household_member(household):
    """The member serving the household today (党员联户), if any: the longest-standing open link."""
    from dangjian.grids.models import HouseholdLink

    link = (HouseholdLink.objects.filter(household=household, ended_on__isnull=True)
            .select_related("member").order_by("since", "pk").first())
    return link.member if link else None


def _org_writable(by, org: Org) -> bool:
    from dangjian.core.scoping import org_in_scope

    if org_in_scope(by, roles.EDIT_WORK, org):
        return True
    # Grid workers take in appeals for the communities of their grids.
    return Grid.objects.filter(scope_q(by, roles.EDIT_WORK, path_field="org__path", through={"grid": "pk"}), org=org).exists()


def _apply_step(appeal: Appeal, step: str, data: dict[str, Any], now: dt.datetime, config: AppealConfig) -> dict:
    """Step-specific checks and fields; returns the changes to audit."""
    changes: dict[str, list] = {}
    if step == Step.ACCEPT:
        if data.get("is_complex") is not None and bool(data["is_complex"]) != appeal.is_complex:
            appeal.is_complex = bool(data["is_complex"])
            changes["is_complex"] = [not appeal.is_complex, appeal.is_complex]
        if "is_complex" in changes or data.get("category_changed"):
            category = AppealCategory.objects.select_related("parent").filter(code=appeal.category).first()
            resolve_within = _deadlines(category, config, complex_case=appeal.is_complex)[1]
            appeal.resolve_due_at = appeal.received_at + resolve_within
    elif step == Step.REJECT:
        if not (data.get("note") or "").strip():
            raise ValidationError({"note": _("Give the reason for not accepting the appeal")})
    elif step == Step.ASSIGN:
        kind = data.get("assignee_kind") or ""
        if kind not in AssigneeKind.values:
            raise ValidationError({"assignee_kind": _("Choose whom to assign to (grid, department or partner unit)")})
        name = (data.get("assignee_name") or "").strip()
        grid = data.get("grid")
        if kind == AssigneeKind.GRID:
            if grid is None:
                raise ValidationError({"grid": _("Choose the grid that handles it")})
            if not candidate_grids(appeal.org).filter(pk=grid.pk).exists():
                raise ValidationError({"grid": _("Appeals can only be assigned to a grid of this community")})
            appeal.grid = grid
            name = grid.name
        elif not name:
            raise ValidationError({"assignee_name": _("Enter the name of the department or partner unit that handles it")})
        elif len(name) > 100:
            raise ValidationError({"assignee_name": _("The name can have at most 100 characters")})
        changes["assignee"] = [appeal.assignee_name, name]
        appeal.assignee_kind, appeal.assignee_name = kind, name
        appeal.assignee_user = data.get("assignee_user")
    elif step == Step.RESOLVE:
        resolution = (data.get("resolution") or "").strip()
        if not resolution:
            raise ValidationError({"resolution": _("Describe how it was handled")})
        if len(resolution) > MAX_RESOLUTION:
            raise ValidationError({"resolution": _("The handling result can have at most %(max)d characters") % {"max": MAX_RESOLUTION}})
        appeal.resolution = resolution
        if now > appeal.resolve_due_at:
            appeal.resolved_late = True
    elif step == Step.MERGE:
        master = data.get("master")
        if master is None:
            raise ValidationError({"into": _("Choose the case this appeal duplicates")})
        appeal.merged_into = master
        changes["merged_into"] = [None, master.tracking_code]
    elif step in (Step.RATE, Step.REOPEN):
        appeal.rating = data["rating"]
        appeal.callback_resolved = data.get("resolved")
        appeal.callback_by = data.get("callback_by")
        changes["callback_resolved"] = [None, appeal.callback_resolved]
        appeal.rating_comment = (data.get("comment") or "").strip()[:500]
        changes["rating"] = [None, appeal.rating]
        if step == Step.RATE:
            appeal.closed_at = now
        else:
            appeal.reopen_count += 1
            appeal.resolve_due_at = now + config.resolve_delta(complex_case=appeal.is_complex)
    return changes


@transaction.atomic
def appeal_transition(
    *, appeal: Appeal, step: str, by=None, actor: str | None = None, data: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Appeal:
    """The one way an appeal changes state: checks the table, stamps time and actor, audits."""
    now = now or timezone.now()
    data = data or {}
    actor = actor or (STAFF if getattr(by, "pk", None) else RESIDENT)
    if step not in workflow.TRANSITIONS:
        raise ValidationError({"step": _("Unknown handling step: %(step)s") % {"step": step}})
    if actor in (STAFF, CALLBACK):
        _require(by, roles.EDIT_WORK, appeal)
    if actor not in workflow.ACTORS[step]:
        raise ValidationError({"step": _("“%(step)s” cannot be done by %(actor)s") % {"step": Step(step).label,
                                                                                    "actor": _actor_label(actor)}})
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if not workflow.allowed(step, appeal.state):
        raise ValidationError({"step": _("The appeal is “%(state)s”: “%(step)s” is not possible") % {
            "state": appeal.get_state_display(), "step": Step(step).label}})
    config = AppealConfig.current()
    before = appeal.state
    changes = _apply_step(appeal, step, data, now, config)
    appeal.state = workflow.TRANSITIONS[step][1]
    setattr(appeal, workflow.STAMPS[step], now)
    appeal.save()
    note = (data.get("note") or data.get("resolution") or data.get("comment") or "").strip()[:500]
    signed_in = actor in (STAFF, CALLBACK)
    AppealEvent.objects.create(
        appeal=appeal, step=step, from_state=before, to_state=appeal.state, at=now,
        by=by if signed_in else None,
        by_label="" if actor == STAFF else _actor_label(actor), note=note,
    )
    audit_record(
        actor=by if signed_in else _actor_label(actor), action=Action.TRANSITION, target=appeal,
        org=appeal.org, changes={"state": [before, appeal.state], "step": step, **changes},
    )
    notify_state_change(appeal, by=by if signed_in else None)
    return appeal


def notify_state_change(appeal: Appeal, *, by=None, new: bool = False) -> None:
    """Tell the resident (if they left a phone) and the staff handling it, code and state only (core.notify).
    Residents whose appeals were merged into this one hear about it under their own codes (a `new` appeal,
    just taken in, has none: not looked up)."""
    staff = set(appeal.grid.staff.values_list("user_id", flat=True)) if appeal.grid_id else set()
    if appeal.assignee_user_id:
        staff.add(appeal.assignee_user_id)
    staff.discard(getattr(by, "pk", None))
    if appeal.merged_into_id:
        notify.notify_state(code=appeal.tracking_code, state=appeal.merged_into.get_state_display(),
                            phones=[appeal.phone])
        return
    state = appeal.get_state_display()
    notify.notify_state(code=appeal.tracking_code, state=state, phones=[appeal.phone], user_ids=sorted(staff))
    if new:
        return
    for dup in appeal.duplicates.exclude(phone_index="").only("tracking_code", "phone"):
        notify.notify_state(code=dup.tracking_code, state=state, phones=[dup.phone])


@transaction.atomic
def appeal_merge(*, by, appeal: Appeal, into: Appeal, now: dt.datetime | None = None) -> Appeal:
    """Merge a duplicate into the case of the same problem (its master): one case, many callers.

    The duplicate closes (step MERGE) and its tracking code follows the master from then on; duplicates merged
    into it before follow the master too. Only open appeals of the same community merge.
    """
    _require(by, roles.EDIT_WORK, appeal)
    _require(by, roles.EDIT_WORK, into)
    into = Appeal.objects.select_for_update().get(pk=into.pk)
    if into.pk == appeal.pk:
        raise ValidationError({"into": _("An appeal cannot be merged into itself")})
    if into.org_id != appeal.org_id:
        raise ValidationError({"into": _("Only appeals of the same community can be merged")})
    if into.merged_into_id is not None:
        raise ValidationError({"into": _("That appeal was itself merged into %(code)s: merge into that one") % {
            "code": into.merged_into.tracking_code}})
    if into.state == State.REJECTED:
        raise ValidationError({"into": _("A declined appeal cannot carry other appeals")})
    merged = appeal_transition(appeal=appeal, step=Step.MERGE, by=by, now=now, data={
        "master": into, "note": _("Merged into %(code)s (the same problem)") % {"code": into.tracking_code}})
    moved = list(Appeal.objects.filter(merged_into=merged).values_list("tracking_code", flat=True))
    if moved:
        Appeal.objects.filter(merged_into=merged).update(merged_into=into)
        audit_record(actor=by, action=Action.UPDATE, target=into, org=into.org,
                     changes={"duplicates": [None, moved]})
    AppealEvent.objects.create(appeal=into, step="merge_in", from_state=into.state, to_state=into.state,
                               at=now or timezone.now(), by=by, note=_("%(code)s merged in") % {
                                   "code": merged.tracking_code})
    return merged


@transaction.atomic
def appeal_link_household(*, by, appeal: Appeal, household) -> Appeal:
    """The case came from a household: link it, route it to the household's grid, and record the member
    serving the household (党员联户) today. The grid's workers and that member then see it on their pages."""
    _require(by, roles.EDIT_WORK, appeal)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if household is None or household.grid.org_id != appeal.org_id:
        raise ValidationError({"household": _("Only a household of this community can be chosen")})
    if appeal.state not in CORRECTABLE_STATES:
        raise ValidationError({"household": _("The appeal is %(state)s and can no longer be corrected") % {
            "state": appeal.get_state_display()}})
    before = {"household": appeal.household_id, "member": appeal.household_member_id, "grid": appeal.grid_id}
    appeal.household, appeal.grid = household, household.grid
    appeal.household_member = _household_member(household)
    appeal.save(update_fields=["household", "household_member", "grid", "updated_at"])
    after = {"household": household.pk, "member": appeal.household_member_id, "grid": appeal.grid_id}
    AppealEvent.objects.create(appeal=appeal, step="correct", from_state=appeal.state, to_state=appeal.state,
                               at=timezone.now(), by=by, note=_("Linked to a household of %(grid)s") % {
                                   "grid": household.grid.name})
    audit_record(actor=by, action=Action.UPDATE, target=appeal, org=appeal.org, changes=diff(before, after))
    return appeal


def _actor_label(actor: str) -> str:
    """Who did it, as the timeline and the audit log name someone without an account."""
    return {STAFF: pgettext("appeal actor", "staff"), RESIDENT: pgettext("appeal actor", "resident"),
            SYSTEM: pgettext("appeal actor", "system"), CALLBACK: pgettext("appeal actor", "call-back")}[actor]


def appeal_by_code(code: str) -> Appeal:
    appeal = Appeal.objects.filter(tracking_code=normalise_code(code)).first()
    if appeal is None:
        raise ValidationError({"tracking_code": _("No appeal has this tracking code: check it and enter it again")})
    return appeal


def _check_answer(rating: str, resolved) -> None:
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose satisfied, fairly satisfied or dissatisfied")})
    if resolved not in (None, True, False):
        raise ValidationError({"resolved": _("Answer whether the problem was resolved: yes or no")})


def handled_by(by, appeal: Appeal) -> bool:
    """The handling unit: the assignee, whoever started or resolved it, or the staff of the grid it was assigned to."""
    if appeal.assignee_user_id and appeal.assignee_user_id == by.pk:
        return True
    if appeal.events.filter(by=by, step__in=(Step.START, Step.RESOLVE)).exists():
        return True
    if appeal.assignee_kind == AssigneeKind.GRID and appeal.grid_id:
        return appeal.grid.staff.filter(user=by).exists()
    return False


@transaction.atomic
def appeal_callback(*, by, appeal: Appeal, resolved: bool, rating: str, note: str = "",
                    now: dt.datetime | None = None) -> Appeal:
    """回访: whoever calls the resident back records the answer (resolved? satisfied?). Never the handling unit,
    so no one grades their own work. A dissatisfied or not-resolved answer reopens the appeal."""
    _require(by, roles.EDIT_WORK, appeal)
    _check_answer(rating, resolved)
    if resolved is None:
        raise ValidationError({"resolved": _("Answer whether the problem was resolved: yes or no")})
    if handled_by(by, appeal):
        raise ValidationError({"rating": _("The handling unit cannot record its own call-back: someone else must "
                                           "call the resident back")})
    if appeal.state != State.RESOLVED:
        raise ValidationError({"rating": _("The appeal is not resolved yet; it can be rated once resolved")})
    step = Step.REOPEN if rating == Rating.DISSATISFIED or not resolved else Step.RATE
    return appeal_transition(appeal=appeal, step=step, by=by, actor=CALLBACK, now=now,
                             data={"rating": rating, "resolved": resolved, "callback_by": by, "comment": note})


@transaction.atomic
def appeal_decline_approve(*, by, appeal: Appeal, now: dt.datetime | None = None) -> Appeal:
    """The superior (EDIT_WORK over the appeal's org's parent) approves a decline: only then does the appeal leave
    the rates' denominators. Whoever declined it cannot approve it."""
    from dangjian.core.scoping import org_in_scope

    now = now or timezone.now()
    appeal = Appeal.objects.select_for_update().select_related("org").get(pk=appeal.pk)
    parent = Org.objects.get_parent(appeal.org)
    if parent is None or not org_in_scope(by, roles.EDIT_WORK, parent):
        raise Appeal.DoesNotExist
    if appeal.state != State.REJECTED:
        raise ValidationError({"step": _("Only a declined appeal can have its decline approved")})
    if appeal.decline_approved_at is not None:
        raise ValidationError({"step": _("This decline has already been approved")})
    if appeal.events.filter(step=Step.REJECT, by=by).exists():
        raise ValidationError({"step": _("Whoever declined the appeal cannot approve the decline")})
    appeal.decline_approved_at, appeal.decline_approved_by = now, by
    appeal.save(update_fields=["decline_approved_at", "decline_approved_by", "updated_at"])
    AppealEvent.objects.create(appeal=appeal, step="approve_decline", at=now, by=by)
    audit_record(actor=by, action=Action.UPDATE, target=appeal, org=appeal.org,
                 changes={"decline_approved_at": [None, now.isoformat()]})
    return appeal


@transaction.atomic
def appeal_rate(*, tracking_code: str, rating: str, comment: str = "", now: dt.datetime | None = None,
                resolved: bool | None = None) -> Appeal:
    """The resident rates the handling (and says whether it was resolved); dissatisfaction reopens the appeal."""
    _check_answer(rating, resolved)
    if len(comment or "") > 500:
        raise ValidationError({"comment": _("The comment can have at most 500 characters")})
    appeal = appeal_by_code(tracking_code)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.state != State.RESOLVED:
        if appeal.rated_at is not None and appeal.state in (State.CLOSED, *HANDLING_STATES):
            raise ValidationError({"rating": _("This handling has already been rated and cannot be rated again")})
        raise ValidationError({"rating": _("The appeal is not resolved yet; it can be rated once resolved")})
    step = Step.REOPEN if rating == Rating.DISSATISFIED or resolved is False else Step.RATE
    return appeal_transition(appeal=appeal, step=step, actor=RESIDENT,
                             data={"rating": rating, "comment": comment, "resolved": resolved}, now=now)


@transaction.atomic
def appeal_categorise(*, by, appeal: Appeal, category: str, grid: Grid | None = None,
                      now: dt.datetime | None = None) -> Appeal:
    """Staff confirm or correct the suggested category (and the routed grid): a confirmed category
    teaches the classifier at its next training."""
    _require(by, roles.EDIT_WORK, appeal)
    chosen = _check_category(category)
    if chosen is None:
        raise ValidationError({"category": _("Choose the category")})
    if grid is not None and not candidate_grids(appeal.org).filter(pk=grid.pk).exists():
        raise ValidationError({"grid": _("Only a grid of this community can be chosen")})
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    changes = {"category": [appeal.category, chosen.code]}
    if grid is not None and grid.pk != appeal.grid_id:
        changes["grid"] = [appeal.grid_id, grid.pk]
        appeal.grid = grid
    _set_category(appeal, chosen)
    appeal.category_confirmed = True
    appeal.save(update_fields=["category", "category_name", "category_confirmed", "grid", "updated_at"])
    AppealEvent.objects.create(appeal=appeal, step="categorise", from_state=appeal.state, to_state=appeal.state,
                               at=now or timezone.now(), by=by, note=appeal.category_name)
    audit_record(actor=by, action=Action.UPDATE, target=appeal, org=appeal.org, changes=changes)
    return appeal


@transaction.atomic
def appeal_accept(
    *, by, appeal: Appeal, category: str, is_complex: bool = False, assignee_kind: str = "",
    grid: Grid | None = None, assignee_name: str = "", assignee_user=None, now: dt.datetime | None = None,
) -> Appeal:
    """受理 in one action: confirm (or correct) the category, accept, and assign when a handler is given.

    Each part is its own event on the timeline; a refusal of any part writes nothing.
    """
    now = now or timezone.now()
    appeal = appeal_categorise(by=by, appeal=appeal, category=category, now=now,
                               grid=grid if assignee_kind == AssigneeKind.GRID else None)
    appeal = appeal_transition(appeal=appeal, step=Step.ACCEPT, by=by, now=now,
                               data={"is_complex": is_complex, "category_changed": True})
    if assignee_kind:
        appeal = appeal_transition(appeal=appeal, step=Step.ASSIGN, by=by, now=now, data={
            "assignee_kind": assignee_kind, "grid": grid, "assignee_name": assignee_name,
            "assignee_user": assignee_user})
    return appeal


@transaction.atomic
def appeal_finish(*, by, appeal: Appeal, resolution: str, now: dt.datetime | None = None) -> Appeal:
    """办结 in one action: an assigned appeal is started and resolved together (both on the timeline)."""
    now = now or timezone.now()
    if appeal.state == State.ASSIGNED:
        if not (resolution or "").strip():
            raise ValidationError({"resolution": _("Describe how it was handled")})
        appeal = appeal_transition(appeal=appeal, step=Step.START, by=by, now=now)
    return appeal_transition(appeal=appeal, step=Step.RESOLVE, by=by, now=now, data={"resolution": resolution})


def appeal_reveal(*, by, appeal: Appeal, field: str) -> str:
    if field not in ("phone", "resident_name"):
        raise ValueError(field)
    from dangjian.core.scoping import org_in_scope

    if not org_in_scope(by, roles.REVEAL, appeal.org):
        raise Appeal.DoesNotExist
    with transaction.atomic():
        audit_record(actor=by, action=Action.REVEAL, target=appeal, org=appeal.org, changes={"field": field})
    return getattr(appeal, field)


def appeals_escalate(*, now: dt.datetime | None = None) -> int:
    """Escalate each overdue open appeal one level up the org tree.

    An appeal climbs again only if it is still overdue a full accept period
    after its last escalation, so running this job often is harmless.
    """
    now = now or timezone.now()
    config = AppealConfig.current()
    count = 0
    overdue = Appeal.objects.filter(state__in=OPEN_STATES).filter(
        _overdue_q(now)
    ).select_related("org", "escalated_to")
    for appeal in overdue.iterator():
        if appeal.escalated_at is not None and now - appeal.escalated_at < config.accept_delta:
            continue
        if _escalate_one(appeal.pk, now=now):
            count += 1
    return count


def _overdue_q(now: dt.datetime):
    from django.db.models import Q

    return Q(state=State.RECEIVED, accept_due_at__lt=now) | Q(resolve_due_at__lt=now)


@transaction.atomic
def _escalate_one(pk: int, *, now: dt.datetime) -> bool:
    appeal = Appeal.objects.select_for_update(of=("self",)).select_related("org", "escalated_to").get(pk=pk)
    if appeal.state not in OPEN_STATES or not appeal.is_overdue(now):
        return False
    current = appeal.escalated_to or appeal.org
    parent = Org.objects.get_parent(current)
    if parent is None:
        return False
    appeal.escalation_level += 1
    appeal.escalated_to = parent
    appeal.escalated_at = now
    appeal.save(update_fields=["escalation_level", "escalated_to", "escalated_at", "updated_at"])
    reason = _("accept deadline passed") if appeal.accept_overdue(now) else _("resolve deadline passed")
    AppealEvent.objects.create(appeal=appeal, step="escalate", from_state=appeal.state, to_state=appeal.state,
                               at=now, by_label=_actor_label(SYSTEM),
                               note=_("%(reason)s; escalated to %(org)s") % {"reason": reason, "org": parent.name})
    audit_record(actor=_actor_label(SYSTEM), action=Action.UPDATE, target=appeal, org=appeal.org,
                 changes={"escalated_to": [current.pk, parent.pk], "escalation_level": [appeal.escalation_level - 1, appeal.escalation_level]})
    return True


def appeals_autoclose(*, now: dt.datetime | None = None) -> int:
    """Close resolved appeals the resident did not rate within the configured days."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=AppealConfig.current().rating_days)
    count = 0
    for appeal in Appeal.objects.filter(state=State.RESOLVED, resolved_at__lt=cutoff).iterator():
        appeal_transition(appeal=appeal, step=Step.CLOSE, actor=SYSTEM,
                          data={"note": _("The resident did not rate in time; closed by the system")}, now=now)
        count += 1
    return count


@transaction.atomic
def appeal_config_update(*, by, accept_hours: int, resolve_days: int, complex_days: int, rating_days: int) -> AppealConfig:
    from dangjian.core.scoping import is_unrestricted, scope_roots

    roots = scope_roots(by, roles.EDIT_ORGS)
    if not is_unrestricted(by) and not any(r.is_root() for r in roots):
        raise AppealConfig.DoesNotExist
    errors = {}
    if not 1 <= accept_hours <= 24 * 7:
        errors["accept_hours"] = _("The accept deadline must be between 1 and 168 hours")
    if not 1 <= resolve_days <= 90:
        errors["resolve_days"] = _("The resolve deadline must be between 1 and 90 days")
    if not resolve_days <= complex_days <= 180:
        errors["complex_days"] = _("The deadline for complex appeals cannot be shorter than the usual one, nor longer than 180 days")
    if not 1 <= rating_days <= 60:
        errors["rating_days"] = _("The rating period must be between 1 and 60 days")
    if errors:
        raise ValidationError(errors)
    AppealConfig.objects.get_or_create(pk=1)
    config = AppealConfig.objects.select_for_update().get(pk=1)
    before = {f: getattr(config, f) for f in ("accept_hours", "resolve_days", "complex_days", "rating_days")}
    after = {"accept_hours": accept_hours, "resolve_days": resolve_days, "complex_days": complex_days, "rating_days": rating_days}
    for k, v in after.items():
        setattr(config, k, v)
    config.save()
    from dangjian.audit.services import diff

    audit_record(actor=by, action=Action.UPDATE, target=config, target_repr=_("Appeal deadlines"),
                 changes=diff(before, after))
    return config


# --- Corrections ---------------------------------------------------------------------
# Staff may correct what was typed (category, grid, address) at any stage before
# the appeal is closed; each correction is an event on its timeline. A resident
# never changes a submitted appeal: they add follow-up notes, one a day.

CORRECTABLE_STATES = (State.RECEIVED, State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS, State.RESOLVED)


@transaction.atomic
def appeal_correct(
    *, by, appeal: Appeal, reason: str, category: str | None = None, grid: Grid | None = None,
    address: str | None = None,
) -> Appeal:
    _require(by, roles.EDIT_WORK, appeal)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction")})
    if appeal.state not in CORRECTABLE_STATES:
        raise ValidationError({"__all__": _("The appeal is %(state)s and can no longer be corrected") % {"state": appeal.get_state_display()}})
    before = {"category": appeal.category, "grid": appeal.grid_id, "address": appeal.address}
    chosen = _check_category(category) if category and category != appeal.category else None
    if chosen is not None:
        _set_category(appeal, chosen)
        appeal.category_confirmed = True
    if grid is not None:
        if not candidate_grids(appeal.org).filter(pk=grid.pk).exists():
            raise ValidationError({"grid": _("Only a grid of this community can be chosen")})
        appeal.grid = grid
    if address is not None:
        if len(address.strip()) > 200:
            raise ValidationError({"address": _("The address can have at most 200 characters")})
        appeal.address = address.strip()
    after = {"category": appeal.category, "grid": appeal.grid_id, "address": appeal.address}
    changes = diff(before, after)
    if not changes:
        raise ValidationError({"__all__": _("Nothing changed")})
    appeal.save(update_fields=["category", "category_name", "category_confirmed", "grid", "address", "updated_at"])
    labels = {"category": pgettext("appeal field", "category"), "grid": pgettext("appeal field", "grid"),
              "address": pgettext("appeal field", "address")}
    what = join_items(labels[k] for k in changes)
    AppealEvent.objects.create(appeal=appeal, step="correct", from_state=appeal.state, to_state=appeal.state,
                               at=timezone.now(), by=by, note=(_("Corrected %(fields)s: %(reason)s") % {"fields": what, "reason": reason})[:500])
    audit_record(actor=by, action=Action.UPDATE, target=appeal, org=appeal.org,
                 changes={**changes, "reason": [None, reason]})
    return appeal


@transaction.atomic
def appeal_add_note(*, tracking_code: str, text: str, now: dt.datetime | None = None) -> AppealEvent:
    """A resident's follow-up on their appeal, by tracking code: one note a day."""
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the follow-up note")})
    if len(text) > 500:
        raise ValidationError({"text": _("The follow-up note can have at most 500 characters")})
    appeal = Appeal.objects.select_for_update().get(pk=appeal_by_code(tracking_code).pk)
    if appeal.state not in CORRECTABLE_STATES:
        raise ValidationError({"text": _("The appeal is closed; no more notes can be added")})
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if appeal.events.filter(step="note", at__gte=day_start, at__lt=day_start + dt.timedelta(days=1)).exists():
        raise ValidationError({"text": _("One note a day per appeal: come back tomorrow")})
    event = AppealEvent.objects.create(appeal=appeal, step="note", from_state=appeal.state, to_state=appeal.state,
                                       at=now, by_label=_actor_label(RESIDENT), note=text)
    audit_record(actor=_actor_label(RESIDENT), action=Action.UPDATE, target=appeal, org=appeal.org,
                 changes={"note": [None, text]})
    return event


# --- Taxonomy ---------------------------------------------------------------------------
# The superuser keeps the categories. Codes never change (appeals store them); a rename keeps the
# earlier name (history, and the appeals categorised under it keep it); a category is retired, never
# deleted, so every old appeal stays readable.

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,19}$")


def _check_taxonomy_fields(*, name: str, default_unit: str, accept_hours: int | None,
                           resolve_days: int | None) -> dict[str, str]:
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Enter the category's name")
    elif len(name.strip()) > 50:
        errors["name"] = _("The name can have at most 50 characters")
    if len((default_unit or "").strip()) > 100:
        errors["default_unit"] = _("The name can have at most 100 characters")
    if accept_hours is not None and not 1 <= accept_hours <= 24 * 7:
        errors["accept_hours"] = _("The accept deadline must be between 1 and 168 hours")
    if resolve_days is not None and not 1 <= resolve_days <= 90:
        errors["resolve_days"] = _("The resolve deadline must be between 1 and 90 days")
    return errors


@transaction.atomic
def category_create(
    *, by, code: str, name: str, parent: AppealCategory | None = None, default_unit: str = "",
    accept_hours: int | None = None, resolve_days: int | None = None, now: dt.datetime | None = None,
) -> AppealCategory:
    from dangjian.core.scoping import is_unrestricted

    if not is_unrestricted(by):
        raise AppealCategory.DoesNotExist
    now = now or timezone.now()
    code = (code or "").strip().lower()
    errors = _check_taxonomy_fields(name=name, default_unit=default_unit, accept_hours=accept_hours,
                                    resolve_days=resolve_days)
    if not CODE_RE.match(code):
        errors["code"] = _("The code is 2 to 20 lower-case letters, digits or underscores, starting with a letter")
    elif AppealCategory.objects.filter(code=code).exists():
        errors["code"] = _("A category with this code exists already (codes are never reused)")
    if parent is not None and (parent.parent_id or parent.is_retired):
        errors["parent"] = _("A second-level category belongs to a first-level category in use")
    if errors:
        raise ValidationError(errors)
    last = AppealCategory.objects.order_by("-position").values_list("position", flat=True).first() or 0
    category = AppealCategory.objects.create(
        code=code, name=name.strip(), parent=parent, default_unit=(default_unit or "").strip(),
        accept_hours=accept_hours, resolve_days=resolve_days, position=last + 10)
    AppealCategoryName.objects.create(category=category, name=category.name, since=now, by=by)
    audit_record(actor=by, action=Action.CREATE, target=category, target_repr=category.name,
                 changes={"code": [None, code], "name": [None, category.name],
                          "parent": [None, parent.code if parent else None]})
    return category


@transaction.atomic
def category_update(
    *, by, category: AppealCategory, name: str, default_unit: str = "", accept_hours: int | None = None,
    resolve_days: int | None = None, retired: bool = False, now: dt.datetime | None = None,
) -> AppealCategory:
    """Rename, change the handling unit or deadlines, retire or bring back a category."""
    from dangjian.core.scoping import is_unrestricted

    if not is_unrestricted(by):
        raise AppealCategory.DoesNotExist
    now = now or timezone.now()
    errors = _check_taxonomy_fields(name=name, default_unit=default_unit, accept_hours=accept_hours,
                                    resolve_days=resolve_days)
    category = AppealCategory.objects.select_for_update().get(pk=category.pk)
    if retired and category.code == "other":
        errors["retired"] = _("“Other” is what the classifier answers when it knows no word: it cannot be retired")
    if errors:
        raise ValidationError(errors)
    fields = ("name", "default_unit", "accept_hours", "resolve_days")
    before = {f: getattr(category, f) for f in fields} | {"retired": category.is_retired}
    after = {"name": name.strip(), "default_unit": (default_unit or "").strip(), "accept_hours": accept_hours,
             "resolve_days": resolve_days, "retired": bool(retired)}
    changes = diff(before, after)
    if not changes:
        return category
    if after["name"] != category.name:
        AppealCategoryName.objects.create(category=category, name=after["name"], since=now, by=by)
    for f in fields:
        setattr(category, f, after[f])
    if retired != category.is_retired:
        category.retired_at = now if retired else None
    category.save()
    audit_record(actor=by, action=Action.UPDATE, target=category, target_repr=category.name, changes=changes)
    return category

"""JSON API for the org tree, the roster and membership transfers.

Thin: validate with a schema, fetch through the scoping selector (404 when out
of scope), call the service, answer. Identifiers leave masked; the full value
only through `reveal`, which the service audits.
"""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Created
from pydantic import ConfigDict, model_validator

from dangjian.accounts import roles
from dangjian.api.pagination import Page
from dangjian.api.schemas import READ_ERRORS, WRITE_ERRORS, CleanInput, StrictInput
from dangjian.core import crypto
from dangjian.core.identifiers import looks_like_identifier
from dangjian.core.scoping import (
    get_scoped_or_404,
    org_in_scope,
    scope_paths,
    scope_q,
    visible_orgs,
)
from dangjian.core.text import join_items
from dangjian.orgs import selectors, services
from dangjian.orgs.models import (
    Category,
    Education,
    Employment,
    Gender,
    Member,
    Org,
    OrgKind,
    Status,
    Tag,
    Transfer,
)

router = Router()
orgs_router = Router(tags=[pgettext_lazy("api tag", "Organisations")])
members_router = Router(tags=[pgettext_lazy("api tag", "Members")])
transfers_router = Router(tags=[pgettext_lazy("api tag", "Membership transfers")])

OrgKindCode = Literal[tuple(OrgKind.values)]
GenderCode = Literal[tuple(Gender.values)]
EducationCode = Literal[tuple(["", *Education.values])]
CategoryCode = Literal[tuple(Category.values)]
StatusCode = Literal[tuple(Status.values)]
EmploymentCode = Literal[tuple(Employment.values)]
PHONE_PATTERN = r"^[0-9+\- ]{0,20}$"


# --- Output schemas --------------------------------------------------------------


class OrgRef(Schema):
    id: int
    name: str
    code: str


class OrgOut(Schema):
    id: int
    name: str
    code: str
    kind: OrgKindCode = Field(description=_("Organisation kind code"))
    kind_display: str = Field(description=_("Organisation kind (in the interface language)"))
    parent_id: int | None = Field(description=_("Parent organisation id (null for the root)"))
    depth: int = Field(description=_("Level; the root is 1"))
    children_count: int = Field(description=_("Number of direct child organisations"))
    founded_on: dt.date | None
    term_start: dt.date | None = Field(description=_("Start of the current committee's term"))
    term_end: dt.date | None = Field(description=_("End of the current committee's term"))
    secretary_id: int | None = Field(description=_("Secretary (member id)"))
    secretary_name: str = ""
    is_active: bool

    @staticmethod
    def resolve_kind_display(obj: Org) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_parent_id(obj: Org, context) -> int | None:
        # Above the caller's own top node the tree does not exist for them.
        paths = scope_paths(context["request"].auth, roles.VIEW_ROSTER)
        return None if paths is not None and obj.path in paths else obj.parent_id

    @staticmethod
    def resolve_children_count(obj: Org) -> int:
        return obj.numchild

    @staticmethod
    def resolve_secretary_name(obj: Org) -> str:
        return obj.secretary.name if obj.secretary_id else ""


class MemberOut(Schema):
    id: int
    org: OrgRef
    name: str
    gender: GenderCode
    ethnicity: str
    birth_date: dt.date
    id_number_masked: str = Field(description=_("Masked resident ID number, e.g. 1101**********002X"))
    phone_masked: str = Field(description=_("Masked phone number"))
    education: str
    joined_on: dt.date = Field(description=_("Date of joining the Party"))
    full_member_on: dt.date | None = Field(description=_("Date of becoming a full member"))
    category: CategoryCode = Field(description=_("full: full member / probationary: probationary member"))
    status: StatusCode = Field(description=_("active: on the roll / lost_contact: out of contact / transferred_out: transferred out / deceased: deceased / removed: removed from the Party / left: left the Party / probation_cancelled: probationary membership cancelled"))
    employment: EmploymentCode
    job: str
    address: str
    tags: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_tags(obj: Member) -> list[str]:
        return [t.name for t in obj.tags.all()]


class RevealOut(Schema):
    field: str
    value: str


class StatusChangeOut(Schema):
    id: int
    from_status: str
    to_status: str
    changed_on: dt.date
    reason: str
    by: str = ""

    @staticmethod
    def resolve_by(obj) -> str:
        return str(obj.by) if obj.by_id else ""


class TransferOut(Schema):
    id: int
    member_id: int
    member_name: str
    kind: Literal[tuple(Transfer.Kind.values)] = Field(description=_("internal: within the platform / out: out of the platform / in: into the platform"))
    state: Literal[tuple(Transfer.State.values)] = Field(description=_("pending: pending / completed: completed / rejected: sent back"))
    from_org: OrgRef | None
    to_org: OrgRef | None
    external_org_name: str
    letter_number: str = Field(description=_("Introduction letter number"))
    reason: str
    requested_on: dt.date
    decided_on: dt.date | None
    valid_until: dt.date | None = Field(description=_("The introduction letter is valid until this day: the member reports by then"))
    dues_paid_to: dt.date | None = Field(description=_("Dues paid up to this month (its first day), as stated on the letter"))
    late_reason: str = Field(description=_("Why the member reported after the letter expired"))

    @staticmethod
    def resolve_member_name(obj: Transfer) -> str:
        return obj.member.name


class HistoryOut(Schema):
    status_changes: list[StatusChangeOut]
    transfers: list[TransferOut]


# --- Input schemas ---------------------------------------------------------------


class OrgFilters(CleanInput):
    parent: int | None = Field(None, description=_("Only the direct children of this organisation"))
    kind: OrgKindCode | None = Field(None, description=_("Organisation kind"))
    q: str = Field("", description=_("Part of the name, or the organisation code"), max_length=100)


class _TermDates(StrictInput):
    @model_validator(mode="after")
    def _term_order(self):
        start, end = getattr(self, "term_start", None), getattr(self, "term_end", None)
        if start and end and end <= start:
            raise ValueError(gettext("The term must end after it starts"))
        return self


class OrgCreate(_TermDates):
    parent_id: int | None = Field(description=_("Parent organisation id; only a superuser may create a root organisation (null)"))
    name: str = Field(min_length=1, max_length=100)
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_\-]+$", description=_("Organisation code, unique on the platform"))
    kind: OrgKindCode
    founded_on: dt.date | None = None
    term_start: dt.date | None = None
    term_end: dt.date | None = None


class OrgPatch(_TermDates):
    name: str = Field(None, min_length=1, max_length=100)
    code: str = Field(None, min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_\-]+$")
    kind: OrgKindCode = None
    founded_on: dt.date | None = None
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    secretary_id: int | None = Field(None, description=_("Secretary (id of a member of this organisation or one below it); null when vacant"))
    is_active: bool = None


class OrgMove(StrictInput):
    parent_id: int = Field(description=_("New parent organisation id (within the caller's organisation management scope)"))


class MemberFilters(CleanInput):
    org: int | None = Field(None, description=_("Organisation id: with every organisation below it"))
    status: StatusCode | None = None
    category: CategoryCode | None = None
    gender: GenderCode | None = None
    education: EducationCode | None = None
    tag: str = Field("", description=_("Tag names"), max_length=20)
    q: str = Field("", description=_("Part of the name; or a whole resident ID number or phone number (exact match)"), max_length=50)
    id_number: str = Field("", description=_("Whole resident ID number, exact lookup"), max_length=30)
    phone: str = Field("", description=_("Whole phone number, exact lookup"), max_length=20)


class MemberCreate(StrictInput):
    org_id: int = Field(description=_("Id of the member's branch (general branch, group)"))
    name: str = Field(min_length=1, max_length=50)
    gender: GenderCode
    ethnicity: str = Field("汉族", max_length=20)
    birth_date: dt.date
    id_number: str = Field(min_length=1, max_length=30, description=_("18-digit resident ID number"))
    phone: str = Field("", pattern=PHONE_PATTERN)
    education: EducationCode = ""
    joined_on: dt.date = Field(description=_("Date of joining the Party"))
    full_member_on: dt.date | None = Field(None, description=_("Date of becoming a full member; blank for probationary members"))
    category: CategoryCode = Category.FULL.value
    status: StatusCode = Status.ACTIVE.value
    employment: EmploymentCode = Employment.EMPLOYED.value
    job: str = Field("", max_length=100)
    address: str = Field("", max_length=200)
    tags: list[str] = Field(default_factory=list, description=_("Tag names"))


class MemberPatch(StrictInput):
    # Only the fields sent change; the branch changes by transfer, the status by /status.
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "description": _("Changes only the fields sent; the organisation changes by a membership transfer, the status through the status endpoint.")
    })

    name: str = Field(None, min_length=1, max_length=50)
    gender: GenderCode = None
    ethnicity: str = Field(None, max_length=20)
    birth_date: dt.date = None
    id_number: str = Field(None, min_length=1, max_length=30)
    phone: str = Field(None, pattern=PHONE_PATTERN)
    education: EducationCode = None
    joined_on: dt.date = None
    full_member_on: dt.date | None = None
    category: CategoryCode = None
    employment: EmploymentCode = None
    job: str = Field(None, max_length=100)
    address: str = Field(None, max_length=200)
    tags: list[str] = None


class RevealIn(StrictInput):
    field: Literal["id_number", "phone"]


class StatusIn(StrictInput):
    status: StatusCode
    reason: str = Field(min_length=1, max_length=200, description=_("Reason for the change (required)"))
    on: dt.date | None = Field(None, description=_("Date of the change; today by default"))
    decided_on: dt.date | None = Field(None, description=_(
        "Required for removed, left and probation_cancelled: the date the branch meeting decided; `on` is then "
        "the superior committee's approval, and the caller must be the superior"))


class TransferIn(StrictInput):
    kind: Literal["internal", "out"] = Field(description=_("internal: to an organisation on the platform / out: out of this platform"))
    to_org_code: str = Field("", max_length=32, description=_("Code of the receiving organisation on the platform (required when kind=internal)"))
    external_org_name: str = Field("", max_length=200, description=_("Name of the receiving organisation outside the platform (required when kind=out)"))
    letter_number: str = Field("", max_length=50, description=_("Introduction letter number"))
    reason: str = Field("", max_length=200)
    on: dt.date | None = Field(None, description=_("Date of the request; today by default"))
    valid_until: dt.date | None = Field(None, description=_("The letter's last valid day; a month after the request by default, three months at most"))
    dues_paid_to: dt.date | None = Field(None, description=_("Dues paid up to this month; from the dues ledger by default"))


class DecideIn(StrictInput):
    accept: bool = Field(description=_("true: accept / false: send back"))
    on: dt.date | None = Field(None, description=_("Date of the decision; today by default"))
    late_reason: str = Field("", max_length=200, description=_("Required to accept after the letter expired: why the member reports late"))


class TransferFilters(CleanInput):
    state: Literal[tuple(Transfer.State.values)] | None = None
    awaiting_me: bool = Field(False, description=_("Only transfers waiting for the caller's decision"))


# --- Reads -----------------------------------------------------------------------


def _orgs(user, capability: str = roles.VIEW_ROSTER) -> QuerySet:
    # parent_id from the materialised path: one subquery instead of a query per row.
    parent = Org.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Org.steplen)
    ).values("pk")[:1]
    return (
        visible_orgs(user, capability)
        .select_related("secretary")
        .annotate(parent_id=Subquery(parent, output_field=IntegerField()))
        .order_by("path")
    )


def _org(request, org_id: int, capability: str = roles.VIEW_ROSTER) -> Org:
    # _orgs is already scoped (visible_orgs): missing and out of scope are one 404.
    return get_object_or_404(_orgs(request.auth, capability), pk=org_id)


def _children(qs: QuerySet, parent: Org) -> QuerySet:
    return qs.filter(path__subtree=parent.path, depth=parent.depth + 1)


def _member(request, member_id: int, capability: str = roles.VIEW_ROSTER) -> Member:
    qs = Member.objects.select_related("org").prefetch_related("tags")
    member = get_scoped_or_404(qs, request.auth, capability, pk=member_id)
    # Entered in error: read-only, and only for auditors.
    if member.status == Status.ENTERED_IN_ERROR and (
        capability != roles.VIEW_ROSTER or not selectors.member_visible_to(request.auth, member)
    ):
        raise Http404
    return member


def _transfers(user) -> QuerySet:
    """Transfers touching the user's scope on either side."""
    q = scope_q(user, roles.VIEW_ROSTER, path_field="from_org__path") | scope_q(
        user, roles.VIEW_ROSTER, path_field="to_org__path"
    )
    return Transfer.objects.filter(q).select_related("member", "from_org", "to_org").order_by("-requested_on", "-id")


def _tags(names: list[str]) -> list[Tag]:
    names = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    found = {t.name: t for t in Tag.objects.filter(name__in=names)}
    unknown = [n for n in names if n not in found]
    if unknown:
        raise ValidationError({"tags": gettext("Unknown tags: %(tags)s") % {"tags": join_items(unknown)}})
    return [found[n] for n in names]


# --- Orgs --------------------------------------------------------------------------


@orgs_router.get("/", response=list[OrgOut], summary=_("Organisation list"), description=_(
    "Organisations within the caller's scope, in tree (preorder) order. `parent` lists only the direct children "
    "of one organisation; `q` matches part of the name or the organisation code."
))
@paginate(Page)
def org_list(request, filters: Query[OrgFilters]):
    qs = _orgs(request.auth)
    if filters.parent is not None:
        qs = _children(qs, _org(request, filters.parent))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    q = filters.q.strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__iexact=q))
    return qs


@orgs_router.get("/{int:org_id}", response={200: OrgOut, **READ_ERRORS}, summary=_("Organisation details"))
def org_detail(request, org_id: int):
    return _org(request, org_id)


@orgs_router.get("/{int:org_id}/children", response=list[OrgOut], summary=_("Direct child organisations"))
@paginate(Page)
def org_children(request, org_id: int):
    return _children(_orgs(request.auth), _org(request, org_id))


@orgs_router.post("/", response={201: OrgOut, **WRITE_ERRORS}, summary=_("Create an organisation"), description=(
    _("Creates an organisation under its parent. Needs organisation management rights (organisation officer) on the parent. The organisation code is unique on the platform.")
))
def org_create(request, payload: OrgCreate):
    parent = None
    if payload.parent_id is not None:
        parent = _org(request, payload.parent_id, roles.EDIT_ORGS)
    data = payload.model_dump(exclude={"parent_id"})
    try:
        org = services.org_create(by=request.auth, parent=parent, data=data)
    except IntegrityError as exc:  # a concurrent create took the code first
        raise ValidationError({"code": gettext("Organisation code %(code)s is already in use")
                               % {"code": payload.code}}) from exc
    return Created(201, _org(request, org.pk))


@orgs_router.patch("/{int:org_id}", response={200: OrgOut, **WRITE_ERRORS}, summary=_("Change an organisation"), description=(
    _("Changes only the fields sent. Use the move endpoint to change the parent.")
))
def org_update(request, org_id: int, payload: OrgPatch):
    org = _org(request, org_id, roles.EDIT_ORGS)
    data = payload.model_dump(exclude_unset=True)
    if "secretary_id" in data:
        secretary_id = data.pop("secretary_id")
        data["secretary"] = (
            get_scoped_or_404(Member.objects.select_related("org"), request.auth, roles.VIEW_ROSTER, pk=secretary_id)
            if secretary_id is not None else None
        )
    services.org_update(by=request.auth, org=org, data=data)
    return _org(request, org.pk)


@orgs_router.post("/{int:org_id}/move", response={200: OrgOut, **WRITE_ERRORS}, summary=_("Move an organisation (with everything below it)"),
                  description=_("Moves the organisation with all organisations and members below it under a new parent in one step. Both ends must be within the caller's organisation management scope."))
def org_move(request, org_id: int, payload: OrgMove):
    org = _org(request, org_id, roles.EDIT_ORGS)
    new_parent = _org(request, payload.parent_id, roles.EDIT_ORGS)
    services.org_move(by=request.auth, org=org, new_parent=new_parent)
    return _org(request, org.pk)


# --- Members -------------------------------------------------------------------------


def _member_search(request, filters: MemberFilters):
    org = _org(request, filters.org) if filters.org is not None else None
    tag = None
    if filters.tag.strip():
        tag = Tag.objects.filter(name=filters.tag.strip()).first()
        if tag is None:
            return Member.objects.none()
    qs = selectors.member_search(
        request.auth, org=org, q=filters.q, status=filters.status or "", category=filters.category or "",
        gender=filters.gender or "", education=filters.education or "", tag=tag,
    )
    if filters.id_number.strip():
        qs = qs.filter(id_number_index__in=crypto.blind_index_variants(filters.id_number))
    if filters.phone.strip():
        qs = qs.filter(phone_index__in=crypto.blind_index_variants(filters.phone))
    return qs


@members_router.get("/", response={200: list[MemberOut], **READ_ERRORS}, summary=_("Member roster"), description=_(
    "Members within the caller's scope. `org` includes every organisation below it; `q` matches part of the name. "
    "A resident ID number or phone number never goes in a URL (access logs keep URLs): "
    "look them up with POST /api/members/search."
))
@paginate(Page)
def member_list(request, filters: Query[MemberFilters]):
    if filters.id_number.strip() or filters.phone.strip() or looks_like_identifier(filters.q):
        raise ValidationError({"q": gettext(
            "ID numbers and phone numbers are not accepted in a URL: send them in the body of POST /api/members/search")})
    return _member_search(request, filters)


@members_router.post("/search", response={200: list[MemberOut], **READ_ERRORS}, summary=_("Search the roster"),
                     description=_(
    "The roster filters in the request body, so that a resident ID number or phone number stays out of URLs and "
    "access logs: `id_number` and `phone` look up exactly through a blind index (no partial matches); `q` matches "
    "part of the name, or a whole ID number or phone number."
))
@paginate(Page)
def member_lookup(request, filters: MemberFilters):
    return _member_search(request, filters)


@members_router.get("/{int:member_id}", response={200: MemberOut, **READ_ERRORS}, summary=_("Member details"))
def member_detail(request, member_id: int):
    return _member(request, member_id)


@members_router.post("/", response={201: MemberOut, **WRITE_ERRORS}, summary=_("Add a member"), description=(
    _("The resident ID number must pass the GB 11643 check, agree with the birth date and gender, and be unique on the platform. Needs roster editing rights on the member's organisation.")
))
def member_create(request, payload: MemberCreate):
    org = _org(request, payload.org_id, roles.EDIT_ROSTER)
    if not (org.is_branch and org.is_active):
        # The web form offers only these; member_create itself does not check (yet).
        raise ValidationError({"org_id": gettext("Members can only be placed in an active branch (or general "
                                                         "branch, group)")})
    data = payload.model_dump(exclude={"org_id", "tags"})
    data["org"] = org
    member = services.member_create(by=request.auth, data=data, tags=_tags(payload.tags))
    return Created(201, _member(request, member.pk))


@members_router.patch("/{int:member_id}", response={200: MemberOut, **WRITE_ERRORS}, summary=_("Change a member"),
                      description=_("Changes only the fields sent. Use a membership transfer to change the organisation and the status endpoint to change the status."))
def member_update(request, member_id: int, payload: MemberPatch):
    member = _member(request, member_id, roles.EDIT_ROSTER)
    data = payload.model_dump(exclude_unset=True)
    tags = _tags(data.pop("tags")) if "tags" in data else None
    services.member_update(by=request.auth, member=member, data=data, tags=tags)
    return _member(request, member.pk)


@members_router.post("/{int:member_id}/reveal", response={200: RevealOut, **WRITE_ERRORS},
                     summary=_("Reveal the whole resident ID number or phone number"), description=_("Needs the right to see sensitive data; every call is written to the audit log."))
def member_reveal(request, member_id: int, payload: RevealIn):
    member = _member(request, member_id)
    value = services.member_reveal(by=request.auth, member=member, field=payload.field)
    return {"field": payload.field, "value": value}


@members_router.post("/{int:member_id}/status", response={200: MemberOut, **WRITE_ERRORS}, summary=_("Change a member's status"),
                     description=_("Such as on the roll, out of contact, deceased; a reason is required and the change is kept in the status history."))
def member_set_status(request, member_id: int, payload: StatusIn):
    member = _member(request, member_id, roles.EDIT_ROSTER)
    services.member_set_status(
        by=request.auth, member=member, status=payload.status, reason=payload.reason, on=payload.on,
        decided_on=payload.decided_on,
    )
    return _member(request, member.pk)


class EnteredInErrorIn(StrictInput):
    reason: str = Field(max_length=200, description=_("Why the record was entered in error (required)"))


@members_router.post("/{int:member_id}/entered-in-error", response={200: dict, **WRITE_ERRORS},
                     summary=_("Mark as entered in error (within 30 days of creation, not referenced by other records)"),
                     description=_("A record entered in error leaves every roster, statistic and indicator, but is kept for the auditors."))
def member_entered_in_error(request, member_id: int, payload: EnteredInErrorIn):
    member = _member(request, member_id, roles.EDIT_ROSTER)
    member = services.member_mark_entered_in_error(by=request.auth, member=member, reason=payload.reason)
    return {"id": member.pk, "status": member.status}


@members_router.post("/{int:member_id}/transfers", response={201: TransferOut, **WRITE_ERRORS},
                     summary=_("Request a membership transfer"), description=_(
                         "A transfer within the platform (internal) names the receiving organisation by its code "
                         "and is decided by the receiving side; a transfer out of the platform (out) names the "
                         "receiving organisation and is decided by the sending side. A member can have only one "
                         "open transfer at a time."
                     ))
def member_transfer(request, member_id: int, payload: TransferIn):
    member = _member(request, member_id, roles.TRANSFER)
    to_org = None
    if payload.kind == "internal" and payload.to_org_code.strip():
        # The receiving branch is usually outside the requester's scope: it is
        # named by its code, as on a paper introduction letter.
        to_org = Org.objects.filter(code=payload.to_org_code.strip(), is_active=True).first()
        if to_org is None:
            raise ValidationError({"to_org_code": gettext("No Party organisation has the code %(code)s")
                                   % {"code": payload.to_org_code.strip()}})
    transfer = services.transfer_request(
        by=request.auth, member=member, kind=payload.kind, to_org=to_org,
        external_org_name=payload.external_org_name, letter_number=payload.letter_number,
        reason=payload.reason, on=payload.on, valid_until=payload.valid_until, dues_paid_to=payload.dues_paid_to,
    )
    return Created(201, get_object_or_404(_transfers(request.auth), pk=transfer.pk))


@members_router.get("/{int:member_id}/history", response={200: HistoryOut, **READ_ERRORS},
                    summary=_("A member's status and membership history"))
def member_history(request, member_id: int):
    return selectors.member_history(_member(request, member_id))


# --- Transfers --------------------------------------------------------------------------


@transfers_router.get("/", response=list[TransferOut], summary=_("Membership transfer list"),
                      description=_("Transfers whose sending or receiving side is within the caller's scope. `awaiting_me=true` lists only those waiting for the caller's decision."))
@paginate(Page)
def transfer_list(request, filters: Query[TransferFilters]):
    qs = selectors.transfers_awaiting(request.auth) if filters.awaiting_me else _transfers(request.auth)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs


@transfers_router.get("/{int:transfer_id}", response={200: TransferOut, **READ_ERRORS}, summary=_("Transfer details"))
def transfer_detail(request, transfer_id: int):
    return get_object_or_404(_transfers(request.auth), pk=transfer_id)


@transfers_router.post("/{int:transfer_id}/decide", response={200: TransferOut, **WRITE_ERRORS},
                       summary=_("Decide a transfer (accept or send back)"), description=_(
                           "A transfer within the platform is decided by the receiving side, one out of the platform "
                           "by the sending side. Once accepted, the member moves to the new organisation (or is "
                           "marked as transferred out)."
                       ))
def transfer_decide(request, transfer_id: int, payload: DecideIn):
    transfer = get_object_or_404(_transfers(request.auth), pk=transfer_id)
    deciding_org = transfer.to_org if transfer.kind == Transfer.Kind.INTERNAL else transfer.from_org
    if not org_in_scope(request.auth, roles.TRANSFER, deciding_org):
        # Visible to the caller (the other side), so saying why is no leak.
        raise ValidationError({"__all__": gettext("The receiving Party organisation decides this transfer")
                               if transfer.kind == Transfer.Kind.INTERNAL
                               else gettext("The sending Party organisation decides this transfer")})
    transfer = services.transfer_decide(by=request.auth, transfer=transfer, accept=payload.accept, on=payload.on,
                                        late_reason=payload.late_reason)
    return get_object_or_404(_transfers(request.auth), pk=transfer.pk)


router.add_router("/orgs/", orgs_router)
router.add_router("/members/", members_router)
router.add_router("/transfers/", transfers_router)

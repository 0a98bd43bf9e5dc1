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
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Created
from pydantic import ConfigDict, model_validator

from dangjian.accounts import roles
from dangjian.api.pagination import Page
from dangjian.api.schemas import READ_ERRORS, WRITE_ERRORS, CleanInput, StrictInput
from dangjian.core import crypto
from dangjian.core.scoping import (
    get_scoped_or_404,
    org_in_scope,
    scope_paths,
    scope_q,
    visible_orgs,
)
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
orgs_router = Router(tags=["组织"])
members_router = Router(tags=["党员"])
transfers_router = Router(tags=["组织关系转接"])

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
    kind: OrgKindCode = Field(description="组织类别代码")
    kind_display: str = Field(description="组织类别（中文）")
    parent_id: int | None = Field(description="上级组织 id（根节点为 null）")
    depth: int = Field(description="层级，根节点为 1")
    children_count: int = Field(description="直接下级组织数")
    founded_on: dt.date | None
    term_start: dt.date | None = Field(description="本届委员会任期开始")
    term_end: dt.date | None = Field(description="本届委员会任期届满")
    secretary_id: int | None = Field(description="书记（党员 id）")
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
    id_number_masked: str = Field(description="脱敏身份证号，如 1101**********002X")
    phone_masked: str = Field(description="脱敏手机号")
    education: str
    joined_on: dt.date = Field(description="入党日期")
    full_member_on: dt.date | None = Field(description="转正日期")
    category: CategoryCode = Field(description="full 正式党员 / probationary 预备党员")
    status: StatusCode = Field(description="active 在册 / lost_contact 失联 / transferred_out 已转出 / deceased 已去世")
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
    kind: Literal[tuple(Transfer.Kind.values)] = Field(description="internal 平台内 / out 转出平台 / in 转入平台")
    state: Literal[tuple(Transfer.State.values)] = Field(description="pending 待办 / completed 已完成 / rejected 已退回")
    from_org: OrgRef | None
    to_org: OrgRef | None
    external_org_name: str
    letter_number: str = Field(description="介绍信编号")
    reason: str
    requested_on: dt.date
    decided_on: dt.date | None

    @staticmethod
    def resolve_member_name(obj: Transfer) -> str:
        return obj.member.name


class HistoryOut(Schema):
    status_changes: list[StatusChangeOut]
    transfers: list[TransferOut]


# --- Input schemas ---------------------------------------------------------------


class OrgFilters(CleanInput):
    parent: int | None = Field(None, description="只列出该组织的直接下级")
    kind: OrgKindCode | None = Field(None, description="组织类别")
    q: str = Field("", description="名称片段或组织代码", max_length=100)


class _TermDates(StrictInput):
    @model_validator(mode="after")
    def _term_order(self):
        start, end = getattr(self, "term_start", None), getattr(self, "term_end", None)
        if start and end and end <= start:
            raise ValueError("任期届满日期须晚于任期开始日期")
        return self


class OrgCreate(_TermDates):
    parent_id: int | None = Field(description="上级组织 id；只有超级管理员可以新建根组织（null）")
    name: str = Field(min_length=1, max_length=100)
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_\-]+$", description="组织代码，全平台唯一")
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
    secretary_id: int | None = Field(None, description="书记（本组织或下级组织的党员 id）；null 表示空缺")
    is_active: bool = None


class OrgMove(StrictInput):
    parent_id: int = Field(description="新的上级组织 id（须在调用者的组织管理范围内）")


class MemberFilters(CleanInput):
    org: int | None = Field(None, description="组织 id：含其全部下级组织")
    status: StatusCode | None = None
    category: CategoryCode | None = None
    gender: GenderCode | None = None
    education: EducationCode | None = None
    tag: str = Field("", description="标签名称", max_length=20)
    q: str = Field("", description="姓名片段；或完整身份证号/手机号（精确匹配）", max_length=50)
    id_number: str = Field("", description="完整身份证号，精确查找", max_length=30)
    phone: str = Field("", description="完整手机号，精确查找", max_length=20)


class MemberCreate(StrictInput):
    org_id: int = Field(description="所在党支部（党总支、党小组）id")
    name: str = Field(min_length=1, max_length=50)
    gender: GenderCode
    ethnicity: str = Field("汉族", max_length=20)
    birth_date: dt.date
    id_number: str = Field(min_length=1, max_length=30, description="18 位居民身份证号")
    phone: str = Field("", pattern=PHONE_PATTERN)
    education: EducationCode = ""
    joined_on: dt.date = Field(description="入党日期")
    full_member_on: dt.date | None = Field(None, description="转正日期；预备党员留空")
    category: CategoryCode = Category.FULL.value
    status: StatusCode = Status.ACTIVE.value
    employment: EmploymentCode = Employment.EMPLOYED.value
    job: str = Field("", max_length=100)
    address: str = Field("", max_length=200)
    tags: list[str] = Field(default_factory=list, description="标签名称")


class MemberPatch(StrictInput):
    # Only the fields sent change; the branch changes by transfer, the status by /status.
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "description": "只修改请求中给出的字段；所在组织通过组织关系转接变更，状态通过 status 接口变更。"
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
    reason: str = Field(min_length=1, max_length=200, description="变更原因（必填）")
    on: dt.date | None = Field(None, description="变更日期，默认今天")


class TransferIn(StrictInput):
    kind: Literal["internal", "out"] = Field(description="internal 转往平台内组织 / out 转出本平台")
    to_org_code: str = Field("", max_length=32, description="平台内接收组织的组织代码（kind=internal 时必填）")
    external_org_name: str = Field("", max_length=200, description="平台外接收组织名称（kind=out 时必填）")
    letter_number: str = Field("", max_length=50, description="介绍信编号")
    reason: str = Field("", max_length=200)
    on: dt.date | None = Field(None, description="申请日期，默认今天")


class DecideIn(StrictInput):
    accept: bool = Field(description="true 接收 / false 退回")
    on: dt.date | None = Field(None, description="办理日期，默认今天")


class TransferFilters(CleanInput):
    state: Literal[tuple(Transfer.State.values)] | None = None
    awaiting_me: bool = Field(False, description="只列出等待我方办理的转接")


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
        raise ValidationError({"tags": f"未知标签：{'、'.join(unknown)}"})
    return [found[n] for n in names]


# --- Orgs --------------------------------------------------------------------------


@orgs_router.get("/", response=list[OrgOut], summary="组织列表", description=(
    "调用者范围内的组织，按树的先序排列。`parent` 只列出某组织的直接下级；`q` 匹配名称片段或组织代码。"
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


@orgs_router.get("/{int:org_id}", response={200: OrgOut, **READ_ERRORS}, summary="组织详情")
def org_detail(request, org_id: int):
    return _org(request, org_id)


@orgs_router.get("/{int:org_id}/children", response=list[OrgOut], summary="直接下级组织")
@paginate(Page)
def org_children(request, org_id: int):
    return _children(_orgs(request.auth), _org(request, org_id))


@orgs_router.post("/", response={201: OrgOut, **WRITE_ERRORS}, summary="新建组织", description=(
    "在上级组织之下新建一个组织。需要对上级组织有组织管理权限（组织委员）。组织代码全平台唯一。"
))
def org_create(request, payload: OrgCreate):
    parent = None
    if payload.parent_id is not None:
        parent = _org(request, payload.parent_id, roles.EDIT_ORGS)
    data = payload.model_dump(exclude={"parent_id"})
    try:
        org = services.org_create(by=request.auth, parent=parent, data=data)
    except IntegrityError as exc:  # a concurrent create took the code first
        raise ValidationError({"code": f"组织代码 {payload.code} 已被使用"}) from exc
    return Created(201, _org(request, org.pk))


@orgs_router.patch("/{int:org_id}", response={200: OrgOut, **WRITE_ERRORS}, summary="修改组织信息", description=(
    "只修改请求中给出的字段。调整上级组织请用 move 接口。"
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


@orgs_router.post("/{int:org_id}/move", response={200: OrgOut, **WRITE_ERRORS}, summary="移动组织（含全部下级）",
                  description="把组织连同其全部下级组织、党员一次性移到新的上级组织之下。两端都须在组织管理范围内。")
def org_move(request, org_id: int, payload: OrgMove):
    org = _org(request, org_id, roles.EDIT_ORGS)
    new_parent = _org(request, payload.parent_id, roles.EDIT_ORGS)
    services.org_move(by=request.auth, org=org, new_parent=new_parent)
    return _org(request, org.pk)


# --- Members -------------------------------------------------------------------------


@members_router.get("/", response=list[MemberOut], summary="党员名册", description=(
    "调用者范围内的党员。`org` 含其全部下级组织；`q` 匹配姓名片段，或完整身份证号/手机号；"
    "`id_number`、`phone` 通过盲索引精确查找（不支持模糊匹配）。"
))
@paginate(Page)
def member_list(request, filters: Query[MemberFilters]):
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
        qs = qs.filter(id_number_index=crypto.blind_index(filters.id_number))
    if filters.phone.strip():
        qs = qs.filter(phone_index=crypto.blind_index(filters.phone))
    return qs


@members_router.get("/{int:member_id}", response={200: MemberOut, **READ_ERRORS}, summary="党员详情")
def member_detail(request, member_id: int):
    return _member(request, member_id)


@members_router.post("/", response={201: MemberOut, **WRITE_ERRORS}, summary="新增党员", description=(
    "身份证号须符合 GB 11643 校验，且与出生日期、性别一致，全平台唯一。需要对所在组织有名册编辑权限。"
))
def member_create(request, payload: MemberCreate):
    org = _org(request, payload.org_id, roles.EDIT_ROSTER)
    if not (org.is_branch and org.is_active):
        # The web form offers only these; member_create itself does not check (yet).
        raise ValidationError({"org_id": "党员只能编入在用的党支部（或党总支、党小组）"})
    data = payload.model_dump(exclude={"org_id", "tags"})
    data["org"] = org
    member = services.member_create(by=request.auth, data=data, tags=_tags(payload.tags))
    return Created(201, _member(request, member.pk))


@members_router.patch("/{int:member_id}", response={200: MemberOut, **WRITE_ERRORS}, summary="修改党员信息",
                      description="只修改请求中给出的字段。转组织请用组织关系转接，变更状态请用 status 接口。")
def member_update(request, member_id: int, payload: MemberPatch):
    member = _member(request, member_id, roles.EDIT_ROSTER)
    data = payload.model_dump(exclude_unset=True)
    tags = _tags(data.pop("tags")) if "tags" in data else None
    services.member_update(by=request.auth, member=member, data=data, tags=tags)
    return _member(request, member.pk)


@members_router.post("/{int:member_id}/reveal", response={200: RevealOut, **WRITE_ERRORS},
                     summary="查看完整身份证号/手机号", description="需要查看敏感信息权限；每次调用都记入审计日志。")
def member_reveal(request, member_id: int, payload: RevealIn):
    member = _member(request, member_id)
    value = services.member_reveal(by=request.auth, member=member, field=payload.field)
    return {"field": payload.field, "value": value}


@members_router.post("/{int:member_id}/status", response={200: MemberOut, **WRITE_ERRORS}, summary="变更党员状态",
                     description="如在册、失联、去世；须填写原因，记入状态变更历史。")
def member_set_status(request, member_id: int, payload: StatusIn):
    member = _member(request, member_id, roles.EDIT_ROSTER)
    services.member_set_status(
        by=request.auth, member=member, status=payload.status, reason=payload.reason, on=payload.on
    )
    return _member(request, member.pk)


class EnteredInErrorIn(StrictInput):
    reason: str = Field(max_length=200, description="误录原因（必填）")


@members_router.post("/{int:member_id}/entered-in-error", response={200: dict, **WRITE_ERRORS},
                     summary="标记为误录（创建 30 天内、未被其他记录引用）",
                     description="误录的记录不再出现在任何名册、统计和指标中，但保留供审计查看。")
def member_entered_in_error(request, member_id: int, payload: EnteredInErrorIn):
    member = _member(request, member_id, roles.EDIT_ROSTER)
    member = services.member_mark_entered_in_error(by=request.auth, member=member, reason=payload.reason)
    return {"id": member.pk, "status": member.status}


@members_router.post("/{int:member_id}/transfers", response={201: TransferOut, **WRITE_ERRORS},
                     summary="申请组织关系转接", description=(
                         "平台内转接（internal）用接收组织的组织代码指定接收方，由接收方办理；"
                         "转出平台（out）填写接收组织名称，由本方办理。一名党员同时只能有一项未办结的转接。"
                     ))
def member_transfer(request, member_id: int, payload: TransferIn):
    member = _member(request, member_id, roles.TRANSFER)
    to_org = None
    if payload.kind == "internal" and payload.to_org_code.strip():
        # The receiving branch is usually outside the requester's scope: it is
        # named by its code, as on a paper introduction letter.
        to_org = Org.objects.filter(code=payload.to_org_code.strip(), is_active=True).first()
        if to_org is None:
            raise ValidationError({"to_org_code": f"未找到组织代码为 {payload.to_org_code.strip()} 的党组织"})
    transfer = services.transfer_request(
        by=request.auth, member=member, kind=payload.kind, to_org=to_org,
        external_org_name=payload.external_org_name, letter_number=payload.letter_number,
        reason=payload.reason, on=payload.on,
    )
    return Created(201, get_object_or_404(_transfers(request.auth), pk=transfer.pk))


@members_router.get("/{int:member_id}/history", response={200: HistoryOut, **READ_ERRORS},
                    summary="党员状态与组织关系历史")
def member_history(request, member_id: int):
    return selectors.member_history(_member(request, member_id))


# --- Transfers --------------------------------------------------------------------------


@transfers_router.get("/", response=list[TransferOut], summary="组织关系转接列表",
                      description="转出方或接收方在调用者范围内的转接。`awaiting_me=true` 只列出等待调用者办理的。")
@paginate(Page)
def transfer_list(request, filters: Query[TransferFilters]):
    qs = selectors.transfers_awaiting(request.auth) if filters.awaiting_me else _transfers(request.auth)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs


@transfers_router.get("/{int:transfer_id}", response={200: TransferOut, **READ_ERRORS}, summary="转接详情")
def transfer_detail(request, transfer_id: int):
    return get_object_or_404(_transfers(request.auth), pk=transfer_id)


@transfers_router.post("/{int:transfer_id}/decide", response={200: TransferOut, **WRITE_ERRORS},
                       summary="办理转接（接收或退回）", description=(
                           "平台内转接由接收方办理，转出平台由转出方办理。接收后党员即转入新组织（或标记为已转出）。"
                       ))
def transfer_decide(request, transfer_id: int, payload: DecideIn):
    transfer = get_object_or_404(_transfers(request.auth), pk=transfer_id)
    deciding_org = transfer.to_org if transfer.kind == Transfer.Kind.INTERNAL else transfer.from_org
    if not org_in_scope(request.auth, roles.TRANSFER, deciding_org):
        # Visible to the caller (the other side), so saying why is no leak.
        raise ValidationError({"__all__": "该转接须由接收方党组织办理" if transfer.kind == Transfer.Kind.INTERNAL
                               else "该转接须由转出方党组织办理"})
    transfer = services.transfer_decide(by=request.auth, transfer=transfer, accept=payload.accept, on=payload.on)
    return get_object_or_404(_transfers(request.auth), pk=transfer.pk)


router.add_router("/orgs/", orgs_router)
router.add_router("/members/", members_router)
router.add_router("/transfers/", transfers_router)

"""Writes for grids, households, links, plans and visits: atomic and audited."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core import crypto
from dangjian.core.scoping import org_in_scope
from dangjian.grids.models import (
    PLAN_TAGS,
    Grid,
    GridConfig,
    GridStaff,
    Household,
    HouseholdLink,
    Resident,
    ServicePlan,
    Visit,
)
from dangjian.grids.scoping import grid_scope_q, manages_org
from dangjian.orgs.models import Member, Org, OrgKind, Status

SENSITIVE = ("head_name", "phone", "name")
GRID_ORG_KINDS = (OrgKind.COMMUNITY_COMMITTEE,)


def _require_org(by, capability: str, org: Org) -> None:
    if not org_in_scope(by, capability, org):
        raise Org.DoesNotExist


def _require_manager(by, org: Org) -> None:
    if not manages_org(by, roles.EDIT_WORK, org):
        raise Org.DoesNotExist


def _require_grid(by, capability: str, grid: Grid) -> None:
    q = grid_scope_q(by, capability, path_field="org__path", grid_field="pk")
    if not Grid.objects.filter(q, pk=grid.pk).exists():
        raise Grid.DoesNotExist


def _clean_phone(phone: str) -> str:
    phone = "".join((phone or "").split())
    if phone and (not phone.replace("-", "").isdigit() or not 7 <= len(phone) <= 20):
        raise ValidationError({"phone": "电话号码格式不正确"})
    return phone


@transaction.atomic
def grid_create(*, by, org: Org, name: str, code: str, keywords: str = "") -> Grid:
    _require_manager(by, org)
    errors = {}
    if org.kind not in GRID_ORG_KINDS:
        errors["org"] = "网格须设在社区党组织之下"
    if not name.strip():
        errors["name"] = "请填写网格名称"
    if not code.strip():
        errors["code"] = "请填写网格编号"
    elif Grid.objects.filter(code=code.strip()).exists():
        errors["code"] = "该网格编号已被使用"
    if errors:
        raise ValidationError(errors)
    grid = Grid.objects.create(org=org, name=name.strip(), code=code.strip(), keywords=keywords.strip())
    audit_record(actor=by, action=Action.CREATE, target=grid, org=org,
                 changes=diff(None, {"name": grid.name, "code": grid.code, "keywords": grid.keywords}))
    return grid


@transaction.atomic
def grid_staff_set(*, by, grid: Grid, user, role: str) -> GridStaff:
    _require_manager(by, grid.org)
    if role not in GridStaff.Role.values:
        raise ValidationError({"role": "未知的网格岗位"})
    post, created = GridStaff.objects.update_or_create(grid=grid, user=user, defaults={"role": role})
    audit_record(actor=by, action=Action.CREATE if created else Action.UPDATE, target=post, org=grid.org,
                 target_repr=f"{grid.name} · {user}", changes={"role": [None, role]})
    return post


@transaction.atomic
def household_create(
    *, by, grid: Grid, address: str, head_name: str, phone: str = "", size: int = 1, note: str = ""
) -> Household:
    _require_grid(by, roles.EDIT_WORK, grid)
    errors = {}
    if not address.strip():
        errors["address"] = "请填写住址"
    if not head_name.strip():
        errors["head_name"] = "请填写户主姓名"
    if not 1 <= int(size or 0) <= 30:
        errors["size"] = "户内人数应在 1 到 30 之间"
    try:
        phone = _clean_phone(phone)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    household = Household.objects.create(
        grid=grid, address=address.strip(), head_name=head_name.strip(), phone=phone,
        phone_index=crypto.blind_index(phone) if phone else "", size=size, note=note.strip(),
    )
    Resident.objects.create(household=household, name=household.head_name, phone=phone,
                            phone_index=household.phone_index)
    audit_record(actor=by, action=Action.CREATE, target=household, org=grid.org,
                 changes=diff(None, {"address": household.address, "head_name": household.head_name,
                                     "phone": phone, "size": size}, sensitive=SENSITIVE))
    return household


@transaction.atomic
def resident_create(*, by, household: Household, name: str, phone: str = "") -> Resident:
    _require_grid(by, roles.EDIT_WORK, household.grid)
    if not name.strip():
        raise ValidationError({"name": "请填写居民姓名"})
    phone = _clean_phone(phone)
    resident = Resident.objects.create(household=household, name=name.strip(), phone=phone,
                                       phone_index=crypto.blind_index(phone) if phone else "")
    audit_record(actor=by, action=Action.CREATE, target=resident, org=household.grid.org,
                 target_repr=f"{household.address} 居民",
                 changes=diff(None, {"name": resident.name, "phone": phone}, sensitive=SENSITIVE))
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


@transaction.atomic
def household_link(*, by, member: Member, household: Household, since: dt.date | None = None) -> HouseholdLink:
    """党员联户, within the installation's cap of households per member."""
    grid = household.grid
    _require_grid(by, roles.EDIT_WORK, grid)
    # Lock the member row: two links at once must not both slip under the cap.
    member = Member.objects.select_for_update().get(pk=member.pk)
    cap = GridConfig.current().households_per_member
    errors = {}
    if not member.org.path.startswith(grid.org.path):
        errors["member"] = "只能联系本社区的党员"
    elif member.status != Status.ACTIVE:
        errors["member"] = "只有在册党员才能联户"
    elif HouseholdLink.objects.filter(member=member, household=household, ended_on__isnull=True).exists():
        errors["member"] = "该党员已联系这一户"
    elif HouseholdLink.objects.filter(member=member, ended_on__isnull=True).count() >= cap:
        errors["member"] = f"每名党员最多联系 {cap} 户，{member.name} 已达上限"
    if errors:
        raise ValidationError(errors)
    link = HouseholdLink.objects.create(member=member, household=household, since=since or timezone.localdate())
    audit_record(actor=by, action=Action.CREATE, target=link, org=grid.org,
                 target_repr=f"{member.name} 联户 {household.address}",
                 changes={"member": [None, member.pk], "household": [None, household.pk]})
    return link


@transaction.atomic
def household_unlink(*, by, link: HouseholdLink, on: dt.date | None = None) -> HouseholdLink:
    _require_grid(by, roles.EDIT_WORK, link.household.grid)
    if link.ended_on is not None:
        raise ValidationError({"link": "该联户关系已经结束"})
    on = on or timezone.localdate()
    if on < link.since:
        raise ValidationError({"ended_on": "结束日期不能早于开始日期"})
    link.ended_on = on
    link.save(update_fields=["ended_on"])
    audit_record(actor=by, action=Action.UPDATE, target=link, org=link.household.grid.org,
                 changes={"ended_on": [None, link.ended_on.isoformat()]})
    return link


@transaction.atomic
def service_plan_create(
    *, by, org: Org, kind: str, starts_on: dt.date, ends_on: dt.date, visits_per_member: int = 1
) -> ServicePlan:
    _require_org(by, roles.EDIT_WORK, org)
    errors = {}
    if kind not in PLAN_TAGS:
        errors["kind"] = "未知的服务计划类型"
    if ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期"
    if not 1 <= visits_per_member <= 52:
        errors["visits_per_member"] = "每人走访次数应在 1 到 52 之间"
    if not errors and ServicePlan.objects.filter(org=org, kind=kind, starts_on=starts_on).exists():
        errors["starts_on"] = "该组织同一周期已有同类服务计划"
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
        raise ValidationError({"household": "请选择走访的住户或党员（二选一）"})
    if not summary.strip():
        errors["summary"] = "请填写走访情况"
    elif len(summary) > 500:
        errors["summary"] = "走访情况不能超过 500 字"
    if visited_on > timezone.localdate():
        errors["visited_on"] = "走访日期不能晚于今天"
    if household is not None:
        _require_grid(by, roles.EDIT_WORK, household.grid)
        visit = Visit(kind=Visit.Kind.HOUSEHOLD, org=household.grid.org, grid=household.grid, household=household)
        exists = Visit.objects.filter(household=household, visited_on=visited_on, visitor=visitor)
    else:
        _require_org(by, roles.EDIT_WORK, member.org)
        visit = Visit(kind=Visit.Kind.MEMBER, org=member.org, member=member, plan=plan)
        if plan is not None:
            if not member.org.path.startswith(plan.org.path):
                errors["plan"] = "该党员不在此服务计划的组织范围内"
            elif not member.tags.filter(name=plan.tag_name).exists():
                errors["plan"] = f"该党员没有“{plan.tag_name}”标记，不在此服务计划内"
            elif not plan.starts_on <= visited_on <= plan.ends_on:
                errors["visited_on"] = "走访日期不在服务计划周期内"
        exists = Visit.objects.filter(member=member, visited_on=visited_on, plan=plan)
    if not errors and exists.exists():
        errors["visited_on"] = "这次走访已经登记过，不能重复登记"
    if errors:
        raise ValidationError(errors)
    visit.visited_on = visited_on
    visit.summary = summary.strip()
    visit.visitor = visitor
    visit.recorded_by = by if getattr(by, "pk", None) else None
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError as exc:
        raise ValidationError({"visited_on": "这次走访已经登记过，不能重复登记"}) from exc
    audit_record(actor=by, action=Action.CREATE, target=visit, org=visit.org,
                 target_repr=f"走访 {household or member}",
                 changes={"visited_on": [None, visited_on.isoformat()], "kind": [None, visit.kind]})
    return visit

"""Writes for appeals. Every state change goes through appeal_transition."""

import datetime as dt
import re
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.accounts import roles
from dangjian.appeals import classifier, workflow
from dangjian.appeals.models import (
    HANDLING_STATES,
    OPEN_STATES,
    Appeal,
    AppealConfig,
    AppealEvent,
    AssigneeKind,
    Category,
    Channel,
    Rating,
    State,
)
from dangjian.appeals.routing import candidate_grids, route_to_grid
from dangjian.appeals.workflow import RESIDENT, STAFF, SYSTEM, Step
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core import crypto
from dangjian.grids.models import Grid
from dangjian.grids.scoping import grid_scope_q
from dangjian.orgs.models import Org, OrgKind

# Unambiguous: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
MAX_TEXT = 1000
MIN_TEXT = 5
MAX_RESOLUTION = 2000
NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{8,40}$")
PUBLIC_ORG_KINDS = (OrgKind.COMMUNITY_COMMITTEE,)
RESIDENT_LABEL = "居民"
SYSTEM_LABEL = "系统"


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).upper()


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写诉求内容"})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": f"诉求内容不能超过 {MAX_TEXT} 字（现有 {len(text)} 字）"})
    if len(text) < MIN_TEXT:
        raise ValidationError({"text": f"诉求内容太短，请至少写 {MIN_TEXT} 个字说明情况"})
    return text


def _check_phone(phone: str) -> str:
    phone = "".join((phone or "").split())
    if phone and (not phone.replace("-", "").isdigit() or not 7 <= len(phone) <= 20):
        raise ValidationError({"phone": "电话号码格式不正确"})
    return phone


def _check_category(category: str | None) -> str:
    if category and category not in Category.values:
        raise ValidationError({"category": f"未知的诉求类别：{category}"})
    return category or ""


def appeals_in_scope_q(user, capability: str):
    return grid_scope_q(user, capability, path_field="org__path", grid_field="grid")


def _require(by, capability: str, appeal: Appeal) -> None:
    if not Appeal.objects.filter(appeals_in_scope_q(by, capability), pk=appeal.pk).exists():
        raise Appeal.DoesNotExist


@transaction.atomic
def appeal_submit(
    *, channel: str, text: str, org: Org | None, address: str = "", resident_name: str = "",
    phone: str = "", category: str | None = None, is_complex: bool = False, nonce: str = "",
    by=None, now: dt.datetime | None = None,
) -> tuple[Appeal, bool]:
    """Take in one appeal from any channel. Returns (appeal, created).

    The public form and API callers pass a client nonce: submitting the same
    one again returns the stored appeal instead of a second copy.
    """
    now = now or timezone.now()
    errors: dict[str, str] = {}
    for check, _field, value in (
        (_check_text, "text", text), (_check_phone, "phone", phone), (_check_category, "category", category),
    ):
        try:
            check(value)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if channel not in Channel.values:
        errors["channel"] = "未知的受理渠道"
    if nonce and not NONCE_RE.match(nonce):
        errors["nonce"] = "提交标识格式不正确"
    if len(address) > 200:
        errors["address"] = "地址不能超过 200 字"
    if len(resident_name) > 50:
        errors["resident_name"] = "姓名不能超过 50 字"
    if org is None:
        errors["org"] = "请选择所在社区"
    elif by is None:
        if org.kind not in PUBLIC_ORG_KINDS or not org.is_active:
            errors["org"] = "请选择所在社区"
    elif not _org_writable(by, org):
        raise Org.DoesNotExist
    if errors:
        raise ValidationError(errors)
    if nonce:
        existing = Appeal.objects.filter(client_nonce=nonce).first()
        if existing is not None:
            return existing, False
    text = text.strip()
    phone = _check_phone(phone)
    config = AppealConfig.current()
    appeal = Appeal(
        channel=channel, org=org, text=text, address=address.strip(), resident_name=resident_name.strip(),
        phone=phone, phone_index=crypto.blind_index(phone) if phone else "",
        suggested_category=classifier.suggest(text), category=category or "",
        category_confirmed=bool(category and by is not None), is_complex=is_complex,
        grid=route_to_grid(org, address=address, text=text), client_nonce=nonce,
        received_at=now, accept_due_at=now + config.accept_delta,
        resolve_due_at=now + config.resolve_delta(complex_case=is_complex),
    )
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
        by=by if getattr(by, "pk", None) else None, by_label="" if by else RESIDENT_LABEL,
        note=appeal.get_channel_display(),
    )
    audit_record(
        actor=by or RESIDENT_LABEL, action=Action.CREATE, target=appeal, org=org,
        changes={"channel": [None, channel], "grid": [None, appeal.grid_id], "phone": [None, "••••" if phone else ""]},
    )
    return appeal, True


def _org_writable(by, org: Org) -> bool:
    from dangjian.core.scoping import org_in_scope

    if org_in_scope(by, roles.EDIT_WORK, org):
        return True
    # Grid workers take in appeals for the communities of their grids.
    return Grid.objects.filter(grid_scope_q(by, roles.EDIT_WORK, path_field="org__path", grid_field="pk"), org=org).exists()


def _apply_step(appeal: Appeal, step: str, data: dict[str, Any], now: dt.datetime, config: AppealConfig) -> dict:
    """Step-specific checks and fields; returns the changes to audit."""
    changes: dict[str, list] = {}
    if step == Step.ACCEPT:
        if data.get("is_complex") is not None and bool(data["is_complex"]) != appeal.is_complex:
            appeal.is_complex = bool(data["is_complex"])
            appeal.resolve_due_at = appeal.received_at + config.resolve_delta(complex_case=appeal.is_complex)
            changes["is_complex"] = [not appeal.is_complex, appeal.is_complex]
    elif step == Step.REJECT:
        if not (data.get("note") or "").strip():
            raise ValidationError({"note": "不予受理须说明理由"})
    elif step == Step.ASSIGN:
        kind = data.get("assignee_kind") or ""
        if kind not in AssigneeKind.values:
            raise ValidationError({"assignee_kind": "请选择交办对象类型（网格、部门或共建单位）"})
        name = (data.get("assignee_name") or "").strip()
        grid = data.get("grid")
        if kind == AssigneeKind.GRID:
            if grid is None:
                raise ValidationError({"grid": "请选择承办网格"})
            if not candidate_grids(appeal.org).filter(pk=grid.pk).exists():
                raise ValidationError({"grid": "只能交办给本社区的网格"})
            appeal.grid = grid
            name = grid.name
        elif not name:
            raise ValidationError({"assignee_name": "请填写承办部门或共建单位名称"})
        elif len(name) > 100:
            raise ValidationError({"assignee_name": "名称不能超过 100 字"})
        changes["assignee"] = [appeal.assignee_name, name]
        appeal.assignee_kind, appeal.assignee_name = kind, name
        appeal.assignee_user = data.get("assignee_user")
    elif step == Step.RESOLVE:
        resolution = (data.get("resolution") or "").strip()
        if not resolution:
            raise ValidationError({"resolution": "请填写办理结果"})
        if len(resolution) > MAX_RESOLUTION:
            raise ValidationError({"resolution": f"办理结果不能超过 {MAX_RESOLUTION} 字"})
        appeal.resolution = resolution
        if now > appeal.resolve_due_at:
            appeal.resolved_late = True
    elif step in (Step.RATE, Step.REOPEN):
        appeal.rating = data["rating"]
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
        raise ValidationError({"step": f"未知的办理步骤：{step}"})
    if actor == STAFF:
        _require(by, roles.EDIT_WORK, appeal)
    if actor not in workflow.ACTORS[step]:
        raise ValidationError({"step": f"“{Step(step).label}”不能由{_actor_label(actor)}执行"})
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if not workflow.allowed(step, appeal.state):
        raise ValidationError({"step": f"诉求当前为“{appeal.get_state_display()}”，不能执行“{Step(step).label}”"})
    config = AppealConfig.current()
    before = appeal.state
    changes = _apply_step(appeal, step, data, now, config)
    appeal.state = workflow.TRANSITIONS[step][1]
    setattr(appeal, workflow.STAMPS[step], now)
    appeal.save()
    note = (data.get("note") or data.get("resolution") or data.get("comment") or "").strip()[:500]
    AppealEvent.objects.create(
        appeal=appeal, step=step, from_state=before, to_state=appeal.state, at=now,
        by=by if actor == STAFF else None,
        by_label={STAFF: "", RESIDENT: RESIDENT_LABEL, SYSTEM: SYSTEM_LABEL}[actor], note=note,
    )
    audit_record(
        actor=by if actor == STAFF else _actor_label(actor), action=Action.TRANSITION, target=appeal,
        org=appeal.org, changes={"state": [before, appeal.state], "step": step, **changes},
    )
    return appeal


def _actor_label(actor: str) -> str:
    return {STAFF: "工作人员", RESIDENT: RESIDENT_LABEL, SYSTEM: SYSTEM_LABEL}[actor]


def appeal_by_code(code: str) -> Appeal:
    appeal = Appeal.objects.filter(tracking_code=normalise_code(code)).first()
    if appeal is None:
        raise ValidationError({"tracking_code": "查询码不存在，请核对后重新输入"})
    return appeal


@transaction.atomic
def appeal_rate(*, tracking_code: str, rating: str, comment: str = "", now: dt.datetime | None = None) -> Appeal:
    """The resident rates the handling; dissatisfaction reopens the appeal."""
    if rating not in Rating.values:
        raise ValidationError({"rating": "请选择满意、基本满意或不满意"})
    if len(comment or "") > 500:
        raise ValidationError({"comment": "评价意见不能超过 500 字"})
    appeal = appeal_by_code(tracking_code)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.state != State.RESOLVED:
        if appeal.rated_at is not None and appeal.state in (State.CLOSED, *HANDLING_STATES):
            raise ValidationError({"rating": "本次办理结果已评价，不能重复评价"})
        raise ValidationError({"rating": "诉求尚未办结，办结后才能评价"})
    step = Step.REOPEN if rating == Rating.DISSATISFIED else Step.RATE
    return appeal_transition(appeal=appeal, step=step, actor=RESIDENT,
                             data={"rating": rating, "comment": comment}, now=now)


@transaction.atomic
def appeal_categorise(*, by, appeal: Appeal, category: str, grid: Grid | None = None) -> Appeal:
    """Staff confirm or correct the suggested category (and the routed grid)."""
    _require(by, roles.EDIT_WORK, appeal)
    if category not in Category.values:
        raise ValidationError({"category": f"未知的诉求类别：{category}"})
    if grid is not None and not candidate_grids(appeal.org).filter(pk=grid.pk).exists():
        raise ValidationError({"grid": "只能选择本社区的网格"})
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    changes = {"category": [appeal.category, category]}
    if grid is not None and grid.pk != appeal.grid_id:
        changes["grid"] = [appeal.grid_id, grid.pk]
        appeal.grid = grid
    appeal.category, appeal.category_confirmed = category, True
    appeal.save(update_fields=["category", "category_confirmed", "grid", "updated_at"])
    AppealEvent.objects.create(appeal=appeal, step="categorise", from_state=appeal.state, to_state=appeal.state,
                               at=timezone.now(), by=by, note=appeal.get_category_display())
    audit_record(actor=by, action=Action.UPDATE, target=appeal, org=appeal.org, changes=changes)
    return appeal


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
    reason = "超过受理时限" if appeal.accept_overdue(now) else "超过办结时限"
    AppealEvent.objects.create(appeal=appeal, step="escalate", from_state=appeal.state, to_state=appeal.state,
                               at=now, by_label=SYSTEM_LABEL, note=f"{reason}，升级至{parent.name}")
    audit_record(actor=SYSTEM_LABEL, action=Action.UPDATE, target=appeal, org=appeal.org,
                 changes={"escalated_to": [current.pk, parent.pk], "escalation_level": [appeal.escalation_level - 1, appeal.escalation_level]})
    return True


def appeals_autoclose(*, now: dt.datetime | None = None) -> int:
    """Close resolved appeals the resident did not rate within the configured days."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=AppealConfig.current().rating_days)
    count = 0
    for appeal in Appeal.objects.filter(state=State.RESOLVED, resolved_at__lt=cutoff).iterator():
        appeal_transition(appeal=appeal, step=Step.CLOSE, actor=SYSTEM,
                          data={"note": "居民逾期未评价，系统自动办结"}, now=now)
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
        errors["accept_hours"] = "受理时限应在 1 到 168 小时之间"
    if not 1 <= resolve_days <= 90:
        errors["resolve_days"] = "办结时限应在 1 到 90 天之间"
    if not resolve_days <= complex_days <= 180:
        errors["complex_days"] = "复杂诉求办结时限不能短于一般时限，且不超过 180 天"
    if not 1 <= rating_days <= 60:
        errors["rating_days"] = "评价期限应在 1 到 60 天之间"
    if errors:
        raise ValidationError(errors)
    config = AppealConfig.objects.select_for_update().get(pk=AppealConfig.current().pk)
    before = {f: getattr(config, f) for f in ("accept_hours", "resolve_days", "complex_days", "rating_days")}
    after = {"accept_hours": accept_hours, "resolve_days": resolve_days, "complex_days": complex_days, "rating_days": rating_days}
    for k, v in after.items():
        setattr(config, k, v)
    config.save()
    from dangjian.audit.services import diff

    audit_record(actor=by, action=Action.UPDATE, target=config, target_repr="诉求办理时限",
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
        raise ValidationError({"reason": "请填写更正原因"})
    if appeal.state not in CORRECTABLE_STATES:
        raise ValidationError({"__all__": f"诉求已{appeal.get_state_display()}，不能再更正"})
    before = {"category": appeal.category, "grid": appeal.grid_id, "address": appeal.address}
    if category is not None:
        appeal.category = _check_category(category) or appeal.category
    if grid is not None:
        if not candidate_grids(appeal.org).filter(pk=grid.pk).exists():
            raise ValidationError({"grid": "只能选择本社区的网格"})
        appeal.grid = grid
    if address is not None:
        if len(address.strip()) > 200:
            raise ValidationError({"address": "地址不能超过 200 字"})
        appeal.address = address.strip()
    after = {"category": appeal.category, "grid": appeal.grid_id, "address": appeal.address}
    changes = diff(before, after)
    if not changes:
        raise ValidationError({"__all__": "没有任何改动"})
    appeal.save(update_fields=["category", "grid", "address", "updated_at"])
    labels = {"category": "类别", "grid": "网格", "address": "地址"}
    what = "、".join(labels[k] for k in changes)
    AppealEvent.objects.create(appeal=appeal, step="correct", from_state=appeal.state, to_state=appeal.state,
                               at=timezone.now(), by=by, note=f"更正{what}：{reason}"[:500])
    audit_record(actor=by, action=Action.UPDATE, target=appeal, org=appeal.org,
                 changes={**changes, "reason": [None, reason]})
    return appeal


@transaction.atomic
def appeal_add_note(*, tracking_code: str, text: str, now: dt.datetime | None = None) -> AppealEvent:
    """A resident's follow-up on their appeal, by tracking code: one note a day."""
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写补充说明"})
    if len(text) > 500:
        raise ValidationError({"text": "补充说明不能超过 500 字"})
    appeal = Appeal.objects.select_for_update().get(pk=appeal_by_code(tracking_code).pk)
    if appeal.state not in CORRECTABLE_STATES:
        raise ValidationError({"text": "诉求已办结关闭，不能再补充说明"})
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if appeal.events.filter(step="note", at__gte=day_start, at__lt=day_start + dt.timedelta(days=1)).exists():
        raise ValidationError({"text": "每件诉求每天只能补充一次说明，请明天再来"})
    event = AppealEvent.objects.create(appeal=appeal, step="note", from_state=appeal.state, to_state=appeal.state,
                                       at=now, by_label=RESIDENT_LABEL, note=text)
    audit_record(actor=RESIDENT_LABEL, action=Action.UPDATE, target=appeal, org=appeal.org,
                 changes={"note": [None, text]})
    return event

"""Writes for responsibility lists and templates: atomic, scoped, audited."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core import metrics
from dangjian.duty.models import DutyItem, DutyList, DutyTemplate, DutyTemplateItem, ItemKind
from dangjian.orgs.models import Org
from dangjian.projects.services import require, require_superior


def _check_item(*, title: str, kind: str, metric_code: str, target_value, points: int) -> None:
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写责任事项"
    if kind not in ItemKind.values:
        errors["kind"] = "事项类型无效"
    elif kind == ItemKind.QUANTITATIVE:
        try:
            metrics.get(metric_code)
        except KeyError:
            errors["metric_code"] = "量化事项须绑定一项业务数据指标"
        if target_value is None or target_value <= 0:
            errors["target_value"] = "量化事项须设定大于 0 的目标值"
    if not points or points <= 0:
        errors["points"] = "分值须大于 0"
    if errors:
        raise ValidationError(errors)


def _item_fields(kind, title, metric_code, target_value, points) -> dict:
    quantitative = kind == ItemKind.QUANTITATIVE
    return {"title": title.strip(), "kind": kind, "metric_code": metric_code if quantitative else "",
            "target_value": target_value if quantitative else None, "points": points}


@transaction.atomic
def template_create(*, by, org: Org, year: int, title: str, org_kind: str) -> DutyTemplate:
    require(by, roles.ASSESS, org)
    if not (title or "").strip():
        raise ValidationError({"title": "请填写模板名称"})
    t = DutyTemplate.objects.create(org=org, year=year, title=title.strip(), org_kind=org_kind)
    audit_record(actor=by, action=Action.CREATE, target=t, org=org,
                 changes=diff(None, {"year": year, "title": t.title, "org_kind": org_kind}))
    return t


@transaction.atomic
def template_item_add(*, by, template: DutyTemplate, title: str, kind: str, metric_code: str = "",
                      target_value: Decimal | None = None, points: int = 10) -> DutyTemplateItem:
    require(by, roles.ASSESS, template.org)
    if DutyTemplate.objects.filter(pk=template.pk, issued_on__isnull=False).exists():
        raise ValidationError({"title": "模板已下发，不能再修改"})
    _check_item(title=title, kind=kind, metric_code=metric_code, target_value=target_value, points=points)
    item = DutyTemplateItem.objects.create(template=template, **_item_fields(kind, title, metric_code, target_value, points))
    audit_record(actor=by, action=Action.CREATE, target=item, org=template.org, target_repr=f"{template} · {item.title}",
                 changes=diff(None, {"title": item.title, "kind": kind, "points": points}))
    return item


@transaction.atomic
def template_issue(*, by, template: DutyTemplate) -> int:
    """One list per organisation of the template's kind below the issuer, each with a copy of the items."""
    require(by, roles.ASSESS, template.org)
    template = DutyTemplate.objects.select_for_update().get(pk=template.pk)
    if template.issued_on:
        raise ValidationError({"__all__": "模板已下发"})
    items = list(template.items.all())
    if not items:
        raise ValidationError({"__all__": "模板没有责任事项，不能下发"})
    orgs = list(Org.objects.filter(path__subtree=template.org.path, kind=template.org_kind).exclude(pk=template.org_id))
    if not orgs:
        raise ValidationError({"__all__": "下级没有该类型的组织"})
    lists = DutyList.objects.bulk_create(
        DutyList(org=o, year=template.year, title=template.title, template=template) for o in orgs)
    DutyItem.objects.bulk_create(
        DutyItem(duty_list=dl, title=i.title, kind=i.kind, metric_code=i.metric_code, target_value=i.target_value,
                 points=i.points) for dl in lists for i in items)
    template.issued_on = timezone.localdate()
    template.save(update_fields=["issued_on"])
    audit_record(actor=by, action=Action.TRANSITION, target=template, org=template.org,
                 changes={"issued_to": [None, len(orgs)]})
    return len(orgs)


@transaction.atomic
def duty_list_create(*, by, org: Org, year: int, title: str, role: str = "") -> DutyList:
    require(by, roles.EDIT_WORK, org)
    if not (title or "").strip():
        raise ValidationError({"title": "请填写清单名称"})
    dl = DutyList.objects.create(org=org, year=year, title=title.strip(), role=role.strip())
    audit_record(actor=by, action=Action.CREATE, target=dl, org=org, changes=diff(None, {"year": year, "title": dl.title}))
    return dl


@transaction.atomic
def duty_item_add(*, by, duty_list: DutyList, title: str, kind: str, metric_code: str = "",
                  target_value: Decimal | None = None, points: int = 10) -> DutyItem:
    require(by, roles.EDIT_WORK, duty_list.org)
    if duty_list.items.filter(rating__isnull=False).exists():
        raise ValidationError({"title": "清单已开始评价，不能再增加事项"})
    _check_item(title=title, kind=kind, metric_code=metric_code, target_value=target_value, points=points)
    item = DutyItem.objects.create(duty_list=duty_list, **_item_fields(kind, title, metric_code, target_value, points))
    audit_record(actor=by, action=Action.CREATE, target=item, org=duty_list.org, target_repr=f"{duty_list} · {item.title}",
                 changes=diff(None, {"title": item.title, "kind": kind, "points": points}))
    return item


@transaction.atomic
def duty_item_rate(*, by, item: DutyItem, rating: Decimal, reason: str, today: dt.date | None = None) -> DutyItem:
    org = item.duty_list.org
    require_superior(by, org)
    if item.kind != ItemKind.QUALITATIVE:
        raise ValidationError({"rating": "量化事项由业务数据自动计分，不能人工评分"})
    if rating is None or rating < 0 or rating > item.points:
        raise ValidationError({"rating": f"评分须在 0 到 {item.points} 之间"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写评价理由"})
    before = {"rating": item.rating, "reason": item.reason}
    item.rating, item.reason = rating, reason.strip()
    item.rated_by, item.rated_on = by, today or timezone.localdate()
    item.save(update_fields=["rating", "reason", "rated_by", "rated_on"])
    audit_record(actor=by, action=Action.UPDATE, target=item, org=org, target_repr=f"{item.duty_list} · {item.title}",
                 changes=diff(before, {"rating": str(rating), "reason": item.reason}))
    return item

"""Writes for responsibility lists and templates: atomic, scoped, audited."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core import metrics
from dangjian.core.http import require_in_scope, require_superior
from dangjian.duty.models import DutyItem, DutyList, DutyTemplate, DutyTemplateItem, ItemKind
from dangjian.orgs.models import Org


def _check_item(*, title: str, kind: str, metric_code: str, target_value, points: int) -> None:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Enter the responsibility item")
    if kind not in ItemKind.values:
        errors["kind"] = _("Invalid kind of item")
    elif kind == ItemKind.QUANTITATIVE:
        try:
            metrics.get(metric_code)
        except KeyError:
            errors["metric_code"] = _("A quantitative item must be bound to a metric of recorded work")
        if target_value is None or target_value <= 0:
            errors["target_value"] = _("A quantitative item needs a target value above 0")
    if not points or points <= 0:
        errors["points"] = _("The points must be more than 0")
    if errors:
        raise ValidationError(errors)


def _item_fields(kind, title, metric_code, target_value, points) -> dict:
    quantitative = kind == ItemKind.QUANTITATIVE
    return {"title": title.strip(), "kind": kind, "metric_code": metric_code if quantitative else "",
            "target_value": target_value if quantitative else None, "points": points}


@transaction.atomic
def template_create(*, by, org: Org, year: int, title: str, org_kind: str) -> DutyTemplate:
    require_in_scope(by, roles.ASSESS, org)
    if not (title or "").strip():
        raise ValidationError({"title": _("Enter the template's title")})
    t = DutyTemplate.objects.create(org=org, year=year, title=title.strip(), org_kind=org_kind)
    audit_record(actor=by, action=Action.CREATE, target=t, org=org,
                 changes=diff(None, {"year": year, "title": t.title, "org_kind": org_kind}))
    return t


@transaction.atomic
def template_item_add(*, by, template: DutyTemplate, title: str, kind: str, metric_code: str = "",
                      target_value: Decimal | None = None, points: int = 10) -> DutyTemplateItem:
    require_in_scope(by, roles.ASSESS, template.org)
    if DutyTemplate.objects.filter(pk=template.pk, issued_on__isnull=False).exists():
        raise ValidationError({"title": _("The template has been issued and can no longer be changed")})
    _check_item(title=title, kind=kind, metric_code=metric_code, target_value=target_value, points=points)
    item = DutyTemplateItem.objects.create(template=template, **_item_fields(kind, title, metric_code, target_value, points))
    audit_record(actor=by, action=Action.CREATE, target=item, org=template.org, target_repr=f"{template} · {item.title}",
                 changes=diff(None, {"title": item.title, "kind": kind, "points": points}))
    return item


@transaction.atomic
def template_issue(*, by, template: DutyTemplate) -> int:
    """One list per organisation of the template's kind below the issuer, each with a copy of the items."""
    require_in_scope(by, roles.ASSESS, template.org)
    template = DutyTemplate.objects.select_for_update().get(pk=template.pk)
    if template.issued_on:
        raise ValidationError({"__all__": _("The template has already been issued")})
    items = list(template.items.all())
    if not items:
        raise ValidationError({"__all__": _("The template has no items and cannot be issued")})
    orgs = list(Org.objects.filter(path__subtree=template.org.path, kind=template.org_kind).exclude(pk=template.org_id))
    if not orgs:
        raise ValidationError({"__all__": _("There is no organisation of this kind below")})
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
    require_in_scope(by, roles.EDIT_WORK, org)
    if not (title or "").strip():
        raise ValidationError({"title": _("Enter the list's title")})
    dl = DutyList.objects.create(org=org, year=year, title=title.strip(), role=role.strip())
    audit_record(actor=by, action=Action.CREATE, target=dl, org=org, changes=diff(None, {"year": year, "title": dl.title}))
    return dl


@transaction.atomic
def duty_item_add(*, by, duty_list: DutyList, title: str, kind: str, metric_code: str = "",
                  target_value: Decimal | None = None, points: int = 10) -> DutyItem:
    require_in_scope(by, roles.EDIT_WORK, duty_list.org)
    if duty_list.items.filter(rating__isnull=False).exists():
        raise ValidationError({"title": _("Rating of this list has started: no more items can be added")})
    _check_item(title=title, kind=kind, metric_code=metric_code, target_value=target_value, points=points)
    item = DutyItem.objects.create(duty_list=duty_list, **_item_fields(kind, title, metric_code, target_value, points))
    audit_record(actor=by, action=Action.CREATE, target=item, org=duty_list.org, target_repr=f"{duty_list} · {item.title}",
                 changes=diff(None, {"title": item.title, "kind": kind, "points": points}))
    return item


@transaction.atomic
def duty_item_rate(*, by, item: DutyItem, rating: Decimal, reason: str, today: dt.date | None = None) -> DutyItem:
    org = item.duty_list.org
    require_superior(by, org, view=roles.VIEW_WORK, assess=roles.ASSESS)
    if item.kind != ItemKind.QUALITATIVE:
        raise ValidationError({"rating": _("A quantitative item is scored from recorded work and cannot be rated by hand")})
    if rating is None or rating < 0 or rating > item.points:
        raise ValidationError({"rating": _("The rating must be between 0 and %(max)s") % {"max": item.points}})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the rating")})
    before = {"rating": item.rating, "reason": item.reason}
    item.rating, item.reason = rating, reason.strip()
    item.rated_by, item.rated_on = by, today or timezone.localdate()
    item.save(update_fields=["rating", "reason", "rated_by", "rated_on"])
    audit_record(actor=by, action=Action.UPDATE, target=item, org=org, target_repr=f"{item.duty_list} · {item.title}",
                 changes=diff(before, {"rating": str(rating), "reason": item.reason}))
    return item

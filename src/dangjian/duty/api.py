"""JSON API for responsibility lists: lists with live item scores, rating a qualitative item."""

from decimal import Decimal

from django.utils.translation import pgettext_lazy
from ninja import Router, Schema
from ninja.pagination import paginate

from dangjian.accounts import roles
from dangjian.api.pagination import Page
from dangjian.api.params import Year
from dangjian.core.scoping import get_scoped_or_404
from dangjian.duty import selectors, services
from dangjian.duty.models import DutyItem, DutyList, DutyTemplate

router = Router(tags=[pgettext_lazy("api tag", "Responsibility lists")])


class ListOut(Schema):
    id: int
    org_id: int
    year: int
    title: str
    role: str


class ItemOut(Schema):
    id: int
    title: str
    kind: str
    metric_code: str
    points: int
    value: float | None
    score: float | None
    source: str


class ListDetail(ListOut):
    items: list[ItemOut]
    total: float | None


class RateIn(Schema):
    rating: Decimal
    reason: str


@router.get("", response=list[ListOut])
@paginate(Page)
def list_lists(request, year: Year | None = None):
    return selectors.lists_for(request.user, year=year)


@router.get("/{int:list_id}", response=ListDetail)
def get_list(request, list_id: int):
    dl = get_scoped_or_404(DutyList.objects.select_related("org"), request.user, roles.VIEW_WORK, pk=list_id)
    scores, total = selectors.list_scores(dl)
    return {**ListOut.from_orm(dl).dict(), "total": total, "items": [
        {"id": s.item.pk, "title": s.item.title, "kind": s.item.kind, "metric_code": s.item.metric_code,
         "points": s.item.points, "value": s.value, "score": s.score, "source": s.source} for s in scores]}


@router.post("/items/{int:item_id}/rate", response=ItemOut)
def rate_item(request, item_id: int, payload: RateIn):
    item = get_scoped_or_404(DutyItem.objects.select_related("duty_list__org"), request.user, roles.VIEW_WORK,
                             path_field="duty_list__org__path", pk=item_id)
    item = services.duty_item_rate(by=request.user, item=item, rating=payload.rating, reason=payload.reason)
    s = selectors.item_score(item, org=item.duty_list.org, year=item.duty_list.year)
    return {"id": item.pk, "title": item.title, "kind": item.kind, "metric_code": item.metric_code,
            "points": item.points, "value": s.value, "score": s.score, "source": s.source}


class IssuedOut(Schema):
    template_id: int
    lists_created: int


@router.post("/templates/{int:template_id}/issue", response=IssuedOut)
def issue_template(request, template_id: int):
    template = get_scoped_or_404(DutyTemplate.objects.select_related("org"), request.user, roles.ASSESS, pk=template_id)
    return {"template_id": template.pk, "lists_created": services.template_issue(by=request.user, template=template)}

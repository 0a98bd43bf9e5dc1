"""The activity funds ledger in the JSON API: list, record, read, correct, and the total behind the metric."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.accounts import roles
from dangjian.api.pagination import Page
from dangjian.api.params import Day
from dangjian.api.schemas import WRITE_ERRORS, StrictInput
from dangjian.core.scoping import get_scoped_or_404, scoped
from dangjian.funds import selectors, services
from dangjian.funds.models import Spending
from dangjian.orgs.models import Org

router = Router(tags=[pgettext_lazy("api tag", "Activity funds")])


class SpendingOut(Schema):
    id: int
    org_id: int
    spent_on: dt.date
    amount: Decimal
    purpose: str
    source: str
    meeting_id: int | None
    project_id: int | None


class SpendingIn(StrictInput):
    org_id: int
    spent_on: Day
    amount: Decimal
    purpose: str
    source: str
    meeting_id: int | None = None
    project_id: int | None = None


class SpendingPatch(StrictInput):
    spent_on: Day | None = None
    amount: Decimal | None = None
    purpose: str | None = None
    source: str | None = None
    meeting_id: int | None = None
    project_id: int | None = None


class TotalOut(Schema):
    org_id: int
    start: dt.date
    end: dt.date
    amount: Decimal
    count: int


def _links(request, data: dict, fields: set[str]) -> dict:
    """Meeting and project ids to records the user may edit (404 otherwise, as everywhere)."""
    out = {}
    for name, model in (("meeting", selectors.meeting_model()), ("project", selectors.project_model())):
        key = f"{name}_id"
        if key in fields:
            pk = data.get(key)
            out[name] = (get_scoped_or_404(model.objects.select_related("org"), request.user, roles.EDIT_WORK, pk=pk)
                         if pk is not None else None)
    return out


@router.get("/spendings", response=list[SpendingOut], summary=_("Activity funds spent"),
            description=_("Newest first; `org_id` narrows to an organisation's subtree, `start`/`end` to dates."))
@paginate(Page)
def spending_list(request, org_id: int | None = None, start: Day | None = None, end: Day | None = None):
    qs = selectors.in_period(selectors.spendings_for(request.user), start, end)
    if org_id is not None:
        org = get_scoped_or_404(Org.objects.all(), request.user, roles.VIEW_WORK, path_field="path", pk=org_id)
        qs = qs.filter(org__path__startswith=org.path)
    return qs.order_by("-spent_on", "-id")


@router.post("/spendings", response={201: SpendingOut, **WRITE_ERRORS}, summary=_("Record a spending"))
def spending_create(request, payload: SpendingIn):
    data = payload.dict()
    org = get_scoped_or_404(Org.objects.all(), request.user, roles.EDIT_WORK, path_field="path", pk=data.pop("org_id"))
    links = _links(request, data, {"meeting_id", "project_id"})
    return Status(201, services.spending_record(
        by=request.user, org=org, spent_on=data["spent_on"], amount=data["amount"], purpose=data["purpose"],
        source=data["source"], **links))


@router.get("/spendings/{int:spending_id}", response=SpendingOut, summary=_("One spending"))
def spending_get(request, spending_id: int):
    return get_scoped_or_404(Spending.objects.all(), request.user, roles.VIEW_WORK, pk=spending_id)


@router.patch("/spendings/{int:spending_id}", response={200: SpendingOut, **WRITE_ERRORS},
              summary=_("Correct a spending"))
def spending_patch(request, spending_id: int, payload: SpendingPatch):
    spending = get_scoped_or_404(Spending.objects.select_related("org"), request.user, roles.EDIT_WORK,
                                 pk=spending_id)
    fields = payload.model_fields_set
    data = payload.dict()
    changes = {k: data[k] for k in ("spent_on", "amount", "purpose", "source") if k in fields}
    changes.update(_links(request, data, fields))
    return services.spending_correct(by=request.user, spending=spending, **changes)


@router.get("/total", response=TotalOut, summary=_("Activity funds spent by an organisation"),
            description=_("The organisation's subtree between two dates: the figure of the metric "
                          "activity_funds_spent."))
def spending_total(request, org_id: int, start: Day, end: Day):
    org = get_scoped_or_404(Org.objects.all(), request.user, roles.VIEW_WORK, path_field="path", pk=org_id)
    qs = selectors.in_period(scoped(Spending.objects.all(), request.user, roles.VIEW_WORK), start, end)
    qs = qs.filter(org__path__startswith=org.path)
    return {"org_id": org.pk, "start": start, "end": end, "amount": selectors.total(qs), "count": qs.count()}

"""JSON API of the dashboards: the same series the charts draw, each with its table.

Every answer is built by `dangjian.dashboards.panels` through the scoping
selectors: an org outside the caller's scope answers 404, and lists and
aggregates only hold in-scope orgs.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from ninja import Router, Schema

from dangjian.core.http import require_capability
from dangjian.dashboards import panels
from dangjian.dashboards import selectors as sel
from dangjian.evaluation.models import Indicator

router = Router(tags=[pgettext_lazy("api tag", "Dashboards")])


class ChartOut(Schema):
    key: str
    title: str
    headers: list[str]
    rows: list[list]
    option: dict


class ChartsOut(Schema):
    page: str
    org_id: int | None = None
    period_id: int | None = None
    period: str = ""
    charts: list[ChartOut]


def _answer(page: str, request, *, org_id: int | None, period_id: int | None, code: str = "", kind: str = "",
            sort: str = "") -> dict:
    user = request.auth
    require_capability(user, sel.CAP)
    period = sel.pick_period(str(period_id) if period_id else None)
    org = None
    if page != "compare":
        org = sel.org_get(user, org_id) if org_id else sel.home_org(user)
    indicator = None
    if page == "drill":
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None or period is None:
            raise Http404
    charts = panels.charts_of(page, user, org=org, period=period, indicator=indicator, kind=kind, sort=sort)
    return {"page": page, "org_id": org.pk if org else None, "period_id": period.pk if period else None,
            "period": period.label if period else "", "charts": [c.as_json() for c in charts]}


@router.get("/overview/", response=ChartsOut, summary=_("An organisation's overview charts"))
def overview(request, org: int | None = None, period: int | None = None):
    return _answer("overview", request, org_id=org, period_id=period)


@router.get("/drill/", response=ChartsOut, summary=_("One indicator across the organisations below"))
def drill(request, code: str, org: int | None = None, period: int | None = None, sort: str = ""):
    return _answer("drill", request, org_id=org, period_id=period, code=code, sort=sort)


@router.get("/compare/", response=ChartsOut, summary=_(
    "Ranking, distribution, efficiency and Malmquist of one kind of organisation"))
def compare(request, period: int | None = None, kind: str = ""):
    return _answer("compare", request, org_id=None, period_id=period, kind=kind)


@router.get("/screen/", response=ChartsOut, summary=_("The big screen's charts"))
def screen(request, org: int | None = None, period: int | None = None):
    return _answer("screen", request, org_id=org, period_id=period)

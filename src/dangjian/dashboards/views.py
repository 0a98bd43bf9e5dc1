"""Dashboard pages: org overview with drill-down, comparison, big screen, per-chart xlsx, period reports."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from dangjian.core.http import require_capability
from dangjian.core.xlsx import export_xlsx
from dangjian.dashboards import panels
from dangjian.dashboards import selectors as sel
from dangjian.evaluation import selectors as ev
from dangjian.evaluation.models import Indicator
from dangjian.orgs.models import OrgKind


def _period(request):
    return sel.pick_period(request.GET.get("period"))


def _indicator(code: str) -> Indicator:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise Http404
    return indicator


def _org(request):
    pk = request.GET.get("org", "")
    return sel.org_get(request.user, pk) if pk else sel.home_org(request.user)


def _org_and_period(request, pk: int):
    """The org (in scope, else 404) and a computed period (404 when there is none)."""
    require_capability(request.user, sel.CAP)
    org = sel.org_get(request.user, pk)
    period = _period(request)
    if period is None:
        raise Http404
    return org, period


def _query(**params) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _common(period, **extra) -> dict:
    return {"period": period, "periods": ev.periods()[:24], **extra}


@login_required
def index(request):
    require_capability(request.user, sel.CAP)
    org = sel.home_org(request.user)
    query = _query(period=request.GET.get("period", ""))
    return redirect(f"{org_path(org)}{'?' + query if query else ''}")


def org_path(org) -> str:
    return reverse("dashboards:org", args=[org.pk])


@login_required
def org_overview(request, pk: int):
    require_capability(request.user, sel.CAP)
    org = sel.org_get(request.user, pk)
    period = _period(request)
    data = panels.overview(request.user, org, period)
    return render(request, "dashboards/overview.html", _common(
        period, d=data, page="overview", export_query=_query(org=org.pk, period=period.pk if period else "")))


@login_required
def drill(request, pk: int, code: str):
    org, period = _org_and_period(request, pk)
    sort = request.GET.get("sort", "")
    data = panels.drill(request.user, org, period, _indicator(code), sort)
    return render(request, "dashboards/drill.html", _common(
        period, d=data, page="drill", export_query=_query(org=org.pk, period=period.pk, code=code, sort=sort)))


@login_required
def compare(request):
    require_capability(request.user, sel.CAP)
    period = _period(request)
    data = panels.compare(request.user, period, request.GET.get("kind", ""))
    return render(request, "dashboards/compare.html", _common(
        period, d=data, page="compare", kind_choices=OrgKind.choices, export_query=_query(period=period.pk if period else "", kind=data["kind"])))


@login_required
def screen(request):
    require_capability(request.user, sel.CAP)
    org = _org(request)
    period = _period(request)
    data = panels.screen(request.user, org, period)
    return render(request, "dashboards/screen.html", {
        "d": data, "period": period, "data_query": _query(org=org.pk, period=period.pk if period else "")})


@never_cache
@login_required
def screen_data(request):
    require_capability(request.user, sel.CAP)
    org = _org(request)
    return JsonResponse(panels.screen_json(panels.screen(request.user, org, _period(request))))


@login_required
def export(request, page: str, key: str):
    """One chart's table as xlsx: the same rows the chart and its table show."""
    require_capability(request.user, sel.CAP)
    if page not in panels.PAGES:
        raise Http404
    period = _period(request)
    org = _org(request) if page != "compare" else None
    code = request.GET.get("code", "")
    indicator = _indicator(code) if page == "drill" else None
    if page == "drill" and period is None:
        raise Http404
    charts = panels.charts_of(page, request.user, org=org, period=period, indicator=indicator,
                              kind=request.GET.get("kind", ""), sort=request.GET.get("sort", ""))
    chart = next((c for c in charts if c.key == key), None)
    if chart is None:
        raise Http404
    where = org.name if org else ""
    what = " · ".join(x for x in (where, period.label if period else "", chart.title) if x)
    return export_xlsx(by=request.user, what=what, filename=f"dashboard-{page}-{key}", headers=chart.headers,
                       rows=chart.rows, org=org)


@login_required
def report(request, pk: int, fmt: str):
    """The period report is written by the queue's worker, not in the request: this leads to the
    page that starts its job (operations' period_report), whose page shows progress and the file."""
    org, period = _org_and_period(request, pk)
    return redirect(reverse("operations:job_start", args=["period_report"]) + "?"
                    + _query(org=org.pk, period=period.pk, fmt=fmt))

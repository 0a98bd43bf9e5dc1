"""Links from a figure to the list pages of the records behind it, filtered to the org and period.

Each feature app's list view takes its own query parameters (read from its
views): meetings `org`, `year`; dues `org`, `month`; appeals metrics `start`,
`end`; committees `org`; volunteering hours `org`, `start`, `end`. A list that
has no org filter is linked unfiltered and says so.
"""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from dangjian.evaluation.models import Period
from dangjian.orgs.models import Org


def _url(name: str, **params) -> str:
    try:
        base = reverse(name)
    except NoReverseMatch:
        return ""
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{base}?{urlencode(params)}" if params else base


def _months(period: Period) -> list[str]:
    out, y, m = [], period.start.year, period.start.month
    end = period.end
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def record_links(metric_code: str, indicator_code: str, org: Org, period: Period) -> list[tuple[str, str]]:
    """[(label, url)] of the lists that hold the records a metric counts."""
    o, year = org.pk, period.start.year
    start, end = period.start.isoformat(), period.end.isoformat()
    links: list[tuple[str, str]] = []
    if metric_code.startswith("meeting"):
        links = [(_("Meetings held in %(year)d") % {"year": year}, _url("meetings:list", org=o, year=year, state="held")),
                 (_("Meeting compliance in %(year)d") % {"year": year}, _url("meetings:compliance", org=o, year=year))]
    elif metric_code.startswith("dues"):
        links = [(_("Dues ledger, %(month)s") % {"month": m}, _url("dues:ledger", org=o, month=m)) for m in _months(period)]
        links.append((_("Dues arrears"), _url("dues:arrears", org=o)))
    elif metric_code.startswith("appeal"):
        links = [(_("Appeal rates in the period (all organisations in your scope)"), _url("appeals:metrics", start=start, end=end)),
                 (_("Overdue appeals (all organisations in your scope)"), _url("appeals:list", overdue=1))]
    elif metric_code.startswith("appraisal"):
        links = [(_("Democratic evaluation of members, %(year)d") % {"year": year}, _url("meetings:appraisals", org=o, year=year))]
    elif metric_code.startswith("visit"):
        links = [(_("Grids and visits"), _url("grids:list"))]
    elif metric_code.startswith("volunteer"):
        links = [(_("Volunteer hours in the period"), _url("volunteering:hours", org=o, start=start, end=end))]
    elif metric_code.startswith("committee"):
        links = [(_("Committees and terms"), _url("committees:list", org=o))]
    elif metric_code.startswith("project"):
        links = [(_("Projects (all organisations in your scope)"), _url("projects:list"))]
    elif metric_code.startswith("duty"):
        links = [(_("Responsibility lists"), _url("duty:list"))]
    elif metric_code.startswith("recruitment"):
        links = [(_("Recruitment"), _url("recruitment:list"))]
    elif metric_code.startswith("rectification"):
        links = [(_("Rectifications"), _url("evaluation:rect_list"))]
    # The snapshot's own drill-down in the evaluation pages lists the records as they are now.
    links.append((_("Records behind the figure"), _url_args("evaluation:drill", period.pk, org.pk, indicator_code)))
    return [(label, url) for label, url in links if url]


def _url_args(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""

"""xlsx exports of a period's results, the warnings and the rectification tasks (see dangjian.core.xlsx).

The pages and the API call the same functions: rows are read through the
scoping selector (VIEW_WORK), so an organisation outside the user's subtrees
never appears; the page's filters apply; every download is one audited EXPORT
with its row count and filters.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import pgettext

from dangjian.core.scoping import visible_orgs
from dangjian.core.text import join_messages
from dangjian.core.xlsx import PERCENT, Col, export_xlsx
from dangjian.evaluation import selectors
from dangjian.evaluation.grading import grade_label
from dangjian.evaluation.models import (
    OVERALL,
    Dimension,
    Indicator,
    IndicatorValue,
    Period,
    RectState,
)
from dangjian.evaluation.rules import rule_label
from dangjian.orgs.models import Org, OrgKind

CHUNK = 2000  # organisations read per round of queries
SCORE, RATIO = "0.0", "0.000"


def _(text: str) -> str:
    # A context of its own: "State", "Period", "Deadline" … mean other things in other apps' catalogues.
    return pgettext("evaluation export", text)


def _yes(flag: bool) -> str:
    return _("yes") if flag else _("no")


def _movement(value: int | None) -> str:
    return {1: _("up"), 0: _("unchanged"), -1: _("down")}.get(value, "")


def _export(*, by, what: str, filename: str, headers, rows, org: Org | None, filters: dict) -> HttpResponse:
    return export_xlsx(by=by, what=what, filename=filename, headers=headers, rows=rows, org=org,
                       changes={"filters": {k: v for k, v in filters.items() if v not in (None, "")}})


# ------------------------------------------------------------------ results


def _result_indicators(period: Period) -> list[Indicator]:
    """The indicators with values in the period, in catalogue order (retired ones included if they have values)."""
    used = IndicatorValue.objects.filter(period=period).values("indicator_id").distinct()
    return list(Indicator.objects.filter(pk__in=used))


def results_headers(indicators: list[Indicator]) -> list:
    ratio = [_("Efficiency score"), _("Malmquist index"), _("Efficiency change"), _("Technical change")]
    return [
        Col(_("Organisation"), width=28), _("Organisation code"), _("Organisation kind"), Col(_("Parent organisation"), width=24),
        *(Col(i.name, fmt=PERCENT) if i.unit == "%" else Col(_("%(name)s (%(unit)s)") % {"name": i.name, "unit": i.unit} if i.unit else i.name,
                                                                fmt="0.00")
          for i in indicators),
        Col(_("Overall index"), fmt=SCORE),
        *(Col(_("%(dimension)s index") % {"dimension": label}, fmt=SCORE) for _d, label in Dimension.choices),
        _("Overall rank"), _("Organisations of the same kind"),
        Col(ratio[0], fmt=RATIO), _("On the efficiency frontier"), *(Col(h, fmt=RATIO) for h in ratio[1:]),
        _("Grade"), _("Previous grade"), _("Movement"), _("Lowered by the quota"), _("Weak and lax"),
        Col(_("Weak and lax: reasons"), width=40),
    ]


def results_rows(user, period: Period, org: Org | None, indicators: list[Indicator]) -> Iterator[list]:
    """One row per organisation in scope (org's subtree if given) with any figure in the period, in tree order."""
    orgs = visible_orgs(user, selectors.CAP)
    if org is not None:
        orgs = orgs.filter(path__subtree=org.path)
    kinds = dict(OrgKind.choices)
    names: dict[str, str] = {}  # path -> name of the orgs written so far: parents come first in path order
    last = ""
    while True:
        chunk = list(orgs.filter(path__gt=last).order_by("path").values_list("id", "path", "name", "code", "kind")[:CHUNK])
        if not chunk:
            return
        last = chunk[-1][1]
        ids = [c[0] for c in chunk]
        values: dict[int, dict[int, float | None]] = defaultdict(dict)
        for oid, iid, v in selectors.indicator_values(user, period, orgs=ids).values_list("org_id", "indicator_id", "value"):
            values[oid][iid] = v
        scores: dict[int, dict[str, tuple]] = defaultdict(dict)
        for oid, dim, score, rank, peers in selectors.index_scores(user, period, orgs=ids).values_list(
                "org_id", "dimension", "score", "rank", "peers"):
            scores[oid][dim] = (score, rank, peers)
        eff = {e[0]: e[1:] for e in selectors.efficiency_results(user, period, orgs=ids).values_list(
            "org_id", "score", "efficient", "malmquist", "efficiency_change", "technical_change")}
        grades = {g[0]: g[1:] for g in selectors.grades(user, period, orgs=ids).values_list(
            "org_id", "grade", "previous", "movement", "demoted_by_quota", "weak_lax", "weak_reasons")}
        for oid, path, name, code, kind in chunk:
            names[path] = name
            if not (oid in values or oid in scores or oid in eff or oid in grades):
                continue
            own = scores.get(oid, {})
            overall = own.get(OVERALL, (None, None, None))
            e = eff.get(oid)
            g = grades.get(oid)
            yield [
                name, code, str(kinds.get(kind, kind)), names.get(path[:-Org.steplen], ""),
                *(values.get(oid, {}).get(i.pk) for i in indicators),
                overall[0], *(own.get(d, (None,))[0] for d in Dimension.values), overall[1], overall[2],
                *((e[0], _yes(e[1]), e[2], e[3], e[4]) if e else (None,) * 5),
                *((grade_label(g[0]), grade_label(g[1]) if g[1] else "", _movement(g[2]), _yes(g[3]), _yes(g[4]),
                   join_messages(g[5] or [])) if g else (None,) * 6),
            ]


def results_export(*, by, period: Period, org: Org | None) -> HttpResponse:
    indicators = _result_indicators(period)
    title = _("Evaluation results")
    return _export(by=by, what=f"{title} {period.label}", filename=f"{title}-{period.label}",
                   headers=results_headers(indicators), rows=results_rows(by, period, org, indicators), org=org,
                   filters={"period": period.pk, "org": org.pk if org else None})


# ------------------------------------------------------------------ warnings


def warnings_export(*, by, period: Period | None, org: Org | None, severity: str, rule: str) -> HttpResponse:
    """The warnings list as the page shows it (same filters and order)."""
    alerts = selectors.warnings_for(by, period, org, severity=severity, rule=rule).order_by(
        "-period__start", selectors.SERIOUS_FIRST, "org__path", "rule")
    headers = [_("Period"), _("Data as of"), Col(_("Organisation"), width=28), _("Organisation code"), _("Severity"),
               Col(_("Rule"), width=18), _("Number of records"), Col(_("Detail"), width=50), _("Open rectifications")]
    rows = ([a.period.label, a.period.as_of or a.period.end, a.org.name, a.org.code, a.get_severity_display(),
             rule_label(a.rule), a.count, a.detail, a.open_rects] for a in alerts.iterator(chunk_size=CHUNK))
    title = _("Warnings")
    return _export(by=by, what=f"{title} {period.label}" if period else title,
                   filename=f"{title}-{period.label}" if period else title, headers=headers, rows=rows, org=org,
                   filters={"period": period.pk if period else None, "org": org.pk if org else None,
                            "severity": severity, "rule": rule})


# ------------------------------------------------------------ rectifications


def days_overdue(rect, today: dt.date) -> int | None:
    """Days past the deadline: until submission, or until today while nothing was submitted."""
    done = rect.submitted_on if rect.state in (RectState.SUBMITTED, RectState.ACCEPTED) else None
    late = ((done or today) - rect.deadline).days
    return late if late > 0 else None


def rectifications_export(*, by, state: str, org: Org | None, today: dt.date | None = None) -> HttpResponse:
    today = today or timezone.localdate()
    rects = selectors.rectifications_for(by, state=state, org=org).select_related("alert__period")
    headers = [Col(_("Organisation"), width=28), _("Organisation code"), Col(_("Title"), width=30),
               Col(_("What must be done"), width=40), Col(_("Warning"), width=30), _("Issued on"), _("Deadline"),
               _("State"), _("Responsible"), _("Submitted on"), _("Days overdue"), _("Accepted on"),
               Col(_("Evidence"), width=40), Col(_("Review comment"), width=30)]

    def row(r) -> list:
        source = _("%(rule)s (%(period)s)") % {"rule": rule_label(r.alert.rule), "period": r.alert.period.label} if r.alert else ""
        owner = (r.owner.display_name or r.owner.username) if r.owner else ""
        return [r.org.name, r.org.code, r.title, r.requirement, source, timezone.localdate(r.created_at), r.deadline,
                r.get_state_display(), owner, r.submitted_on, days_overdue(r, today), r.accepted_on, r.evidence,
                r.review_comment]

    title = _("Rectifications")
    return _export(by=by, what=title, filename=title, headers=headers,
                   rows=(row(r) for r in rects.iterator(chunk_size=CHUNK)), org=org,
                   filters={"state": state, "org": org.pk if org else None})


# ------------------------------------------------------------ records behind a figure


def records_export(*, by, drill, rows: list, which: str, q: str) -> HttpResponse:
    """The records behind one figure, as the drill-down page lists them (same filters)."""
    headers = [Col(_("Record"), width=60), _("Date"), _("Numerator"), _("Denominator"),
               _("Missing"), Col(_("Link"), width=40)]
    data = ([r.label, r.date, r.numerator, r.denominator, _yes(r.missing), r.url] for r in rows)
    title = f"{drill.indicator.name} {drill.org.name} {drill.period.label}"
    return _export(by=by, what=title, filename=title, headers=headers, rows=data, org=drill.org,
                   filters={"period": drill.period.pk, "indicator": drill.indicator.code, "which": which, "q": q})

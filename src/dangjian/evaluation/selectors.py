"""Reads for the evaluation pages, the dashboards and the API. Everything is scoped.

Figures are read with VIEW_WORK: a user sees the rows of orgs inside their
granted subtrees only, so a committee's aggregate is visible only to users
whose scope covers that committee. Out of scope is 404 (`Http404`).

Main entry points (for `dangjian.dashboards`):

- `periods(kind=None)`                       computed periods, newest first
- `period_overview(user, org, period)`       one org's figures in one period (dict, see docstring)
- `indicator_values(user, period, orgs=None, indicators=None)`   IndicatorValue queryset
- `index_scores(user, period, dimension=None, orgs=None)`        IndexScore queryset
- `grades(user, period, orgs=None)`          Grade queryset (+ `grade_label(code)`)
- `efficiency_results(user, period, orgs=None)` Efficiency queryset (+ `efficiency_advice(row)` in words)
- `warnings_for(user, period=None, org=None, ...)` Alert queryset
- `rectifications_for(user, ...)`            Rectification queryset
- `drilldown(user, org, period, indicator)`  the children's values and the records behind a figure
- `trend(user, org, kind, dimension=..., indicator=...)` the series over computed periods
- `mobilisation(user, alert)`                people and resources an org with a warning could draw on
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dangjian.accounts import roles
from dangjian.core import metrics as registry
from dangjian.core import provided
from dangjian.core.http import require_in_scope
from dangjian.core.scoping import get_scoped_or_404, org_in_scope, scoped, visible_orgs
from dangjian.core.text import join_clauses, join_items
from dangjian.evaluation.grading import badge, grade_label
from dangjian.evaluation.models import (
    OVERALL,
    Alert,
    Dimension,
    Efficiency,
    Grade,
    IndexScore,
    Indicator,
    IndicatorValue,
    Period,
    Rectification,
)
from dangjian.orgs.models import Member, Org, Status

CAP = roles.VIEW_WORK
# Serious warnings first (the codes do not sort that way: "warn" > "info" > "bad").
SERIOUS_FIRST = Case(When(severity="bad", then=Value(0)), When(severity="warn", then=Value(1)), default=Value(2),
                     output_field=IntegerField())

__all__ = [
    "periods", "period_get", "period_overview", "indicator_values", "index_scores", "grades", "grade_label",
    "efficiency_results", "efficiency_advice", "warnings_for", "rectifications_for", "drilldown", "trend",
    "mobilisation", "org_get",
]


def periods(kind: str | None = None) -> QuerySet:
    """Computed periods, newest first (periods themselves hold no org's figures)."""
    qs = Period.objects.filter(computed_at__isnull=False).order_by("-start", "kind")
    return qs.filter(kind=kind) if kind else qs


def period_get(pk) -> Period:
    try:
        return Period.objects.get(pk=pk)
    except (Period.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def org_get(user, pk, capability: str = CAP) -> Org:
    return get_scoped_or_404(Org.objects.all(), user, capability, path_field="path", pk=pk)


def _orgs(qs: QuerySet, orgs) -> QuerySet:
    if orgs is None:
        return qs
    if isinstance(orgs, Org):
        return qs.filter(org__path__subtree=orgs.path)
    return qs.filter(org__in=orgs)


def indicator_values(user, period: Period, orgs=None, indicators=None) -> QuerySet:
    """IndicatorValue rows in scope; `orgs` an Org (its subtree), a queryset or ids; `indicators` codes."""
    qs = scoped(IndicatorValue.objects.filter(period=period).select_related("org", "indicator"), user, CAP)
    if indicators is not None:
        qs = qs.filter(indicator__code__in=indicators)
    return _orgs(qs, orgs)


def index_scores(user, period: Period, dimension: str | None = None, orgs=None) -> QuerySet:
    """IndexScore rows in scope (0-100; `rank` among the orgs of the same kind across the whole tree)."""
    qs = scoped(IndexScore.objects.filter(period=period).select_related("org"), user, CAP)
    if dimension:
        qs = qs.filter(dimension=dimension)
    return _orgs(qs, orgs)


def grades(user, period: Period, orgs=None) -> QuerySet:
    return _orgs(scoped(Grade.objects.filter(period=period).select_related("org"), user, CAP), orgs)


def efficiency_results(user, period: Period, orgs=None) -> QuerySet:
    return _orgs(scoped(Efficiency.objects.filter(period=period).select_related("org"), user, CAP), orgs)


def warnings_for(user, period: Period | None = None, org: Org | None = None, *, severity: str = "", rule: str = "",
                 include_cleared: bool = False) -> QuerySet:
    """Warnings in scope; without a period, those of the latest computed period of each kind present."""
    qs = scoped(Alert.objects.select_related("org", "period"), user, CAP)
    if period is not None:
        qs = qs.filter(period=period)
    if org is not None:
        qs = qs.filter(org__path__subtree=org.path)
    if severity:
        qs = qs.filter(severity=severity)
    if rule:
        qs = qs.filter(rule=rule)
    if not include_cleared:
        qs = qs.filter(cleared=False)
    return qs.annotate(open_rects=Count("rectifications", filter=~Q(rectifications__state="accepted")))


def rectifications_for(user, *, state: str = "", org: Org | None = None) -> QuerySet:
    qs = scoped(Rectification.objects.select_related("org", "owner", "alert"), user, CAP)
    if state:
        qs = qs.filter(state=state)
    if org is not None:
        qs = qs.filter(org__path__subtree=org.path)
    return qs


def rectification_get(user, pk) -> Rectification:
    return get_scoped_or_404(Rectification.objects.select_related("org", "owner", "alert", "alert__period"), user, CAP, pk=pk)


def alert_get(user, pk) -> Alert:
    return get_scoped_or_404(Alert.objects.select_related("org", "period"), user, CAP, pk=pk)


def _check(user, org: Org) -> None:
    require_in_scope(user, CAP, org)


def period_overview(user, org: Org, period: Period) -> dict:
    """One org in one period: {"org", "period", "values": [{indicator, value, numerator, denominator}],
    "scores": {dimension: IndexScore}, "grade": Grade|None, "grade_label", "efficiency": Efficiency|None,
    "advice": str, "warnings": [Alert]}. A fixed number of queries."""
    _check(user, org)
    values = {v.indicator_id: v for v in IndicatorValue.objects.filter(period=period, org=org)}
    rows = [{"indicator": ind, "value": values[ind.pk].value if ind.pk in values else None,
             "numerator": values[ind.pk].numerator if ind.pk in values else None,
             "denominator": values[ind.pk].denominator if ind.pk in values else None}
            for ind in Indicator.objects.filter(Q(is_active=True) | Q(pk__in=values.keys()))]
    scores = {s.dimension: s for s in IndexScore.objects.filter(period=period, org=org)}
    grade = Grade.objects.filter(period=period, org=org).first()
    eff = Efficiency.objects.filter(period=period, org=org).first()
    return {
        "org": org, "period": period, "values": rows, "scores": scores,
        "dimensions": [(d, scores.get(d)) for d in Dimension.values], "overall": scores.get(OVERALL),
        "grade": grade, "grade_label": grade_label(grade.grade) if grade else "",
        "grade_badge": badge(grade.grade, grade.weak_lax) if grade else "",
        "efficiency": eff, "advice": efficiency_advice(eff) if eff else "",
        "warnings": list(Alert.objects.filter(period=period, org__path__subtree=org.path, cleared=False)
                         .select_related("org").order_by(SERIOUS_FIRST, "org__path")[:50]),
    }


def _fmt(v: float) -> str:
    return f"{v:.0f}" if abs(v - round(v)) < 0.05 else f"{v:.1f}"


def efficiency_advice(eff: Efficiency) -> str:
    """The DEA result in words a secretary understands (output orientation: same inputs, more outputs)."""
    if eff.efficient:
        return _("On the efficiency frontier among organisations of its kind: with the same inputs, its outputs are "
                 "already the best.")
    if not eff.outputs or not any(eff.outputs.values()):
        return _("No outputs (such as meetings or visits) recorded this period: efficiency cannot be computed.")
    names = dict(Org.objects.filter(pk__in=[int(p) for p in eff.peers]).values_list("pk", "name"))
    peers = join_items(names[int(p)] for p, _w in sorted(eff.peers.items(), key=lambda kv: -kv[1]) if int(p) in names)
    gaps = []
    for code, target in eff.targets.items():
        now = eff.outputs.get(code, 0)
        if target > now + 0.05:
            metric = _metric(code)
            gaps.append(_("%(metric)s should reach %(target)s%(unit)s (now %(now)s%(unit)s)") % {
                "metric": metric.name, "target": _fmt(target), "now": _fmt(now), "unit": metric.unit})
    text = _("Efficiency score %(score)s.") % {"score": f"{eff.score:.2f}"}
    if peers and gaps:
        text += _("Compared with %(peers)s, with the same inputs: %(gaps)s.") % {"peers": peers, "gaps": join_clauses(gaps)}
    elif gaps:
        text += _("With the same inputs: %(gaps)s.") % {"gaps": join_clauses(gaps)}
    return text


def efficiency_measures(period: Period, eff: Efficiency | None = None) -> list[dict]:
    """The efficiency model's inputs and outputs in words: each measure's name, unit and what it counts, and
    the organisation's value when it was a unit of the analysis (a measure left out this period has none)."""
    rows = []
    for role, codes, values in ((pgettext("efficiency", "Input"), period.eff_inputs, eff.inputs if eff else {}),
                                (pgettext("efficiency", "Output"), period.eff_outputs, eff.outputs if eff else {})):
        for code in codes:
            metric = _metric(code)
            rows.append({"role": role, "code": code, "name": metric.name, "unit": metric.unit,
                         "description": metric.description, "value": values.get(code)})
    return rows


def _metric(code: str):
    try:
        return registry.get(code)
    except KeyError:
        return registry.Metric(code=code, name=code, unit="", description="", compute=lambda **k: {})


# ------------------------------------------------------------------- drill-down


@dataclass
class Drill:
    org: Org
    period: Period
    indicator: Indicator
    value: IndicatorValue | None
    children: list = field(default_factory=list)  # [(Org, IndicatorValue | None)]
    ancestors: list = field(default_factory=list)  # breadcrumb within the user's scope
    breakdown: registry.Breakdown | None = None  # the records behind the figure, as they are now


def drilldown(user, org: Org, period: Period, indicator: Indicator) -> Drill:
    """Why is this 62? The org's value, its children's values, and every record behind it (the metric's own
    `records`: numerator and denominator contributions, and the expected items missing)."""
    _check(user, org)
    own = IndicatorValue.objects.filter(period=period, org=org, indicator=indicator).first()
    children = list(Org.objects.get_children(org).filter(is_active=True).order_by("path"))
    vals = {v.org_id: v for v in IndicatorValue.objects.filter(period=period, indicator=indicator, org__in=children)}
    ancestors = [a for a in Org.objects.get_ancestors(org) if org_in_scope(user, CAP, a)]
    try:
        registry.get(indicator.metric_code)
    except KeyError:
        bd = None
    else:
        bd = registry.breakdown(indicator.metric_code, org=org, start=period.start, end=period.as_of or period.end)
    return Drill(org, period, indicator, own, [(c, vals.get(c.pk)) for c in children], ancestors, bd)


RECORD_FILTERS = ("numerator", "denominator", "missing")


def drill_records(bd: registry.Breakdown | None, *, which: str = "", q: str = "") -> list:
    """The breakdown's records narrowed to the numerator's, the denominator's or the missing items, and to a text."""
    if bd is None:
        return []
    rows = {"numerator": [r for r in bd.records if r.numerator],
            "denominator": [r for r in bd.records if r.denominator],
            "missing": bd.missing}.get(which, bd.records)
    q = q.strip()
    return [r for r in rows if q in r.label] if q else rows


def trend(user, org: Org, kind: str, *, dimension: str = OVERALL, indicator: Indicator | None = None,
          limit: int = 8) -> list[tuple[Period, float | None]]:
    """[(period, value)] oldest first over the last `limit` computed periods of a kind (two queries)."""
    _check(user, org)
    ps = list(periods(kind)[:limit])[::-1]
    if indicator is not None:
        vals = dict(IndicatorValue.objects.filter(period__in=ps, org=org, indicator=indicator).values_list("period_id", "value"))
    else:
        vals = dict(IndexScore.objects.filter(period__in=ps, org=org, dimension=dimension).values_list("period_id", "score"))
    return [(p, vals.get(p.pk)) for p in ps]


# ---------------------------------------------------------------- mobilisation

# What kind of help each warning calls for: member tags and resource categories that match.
NEEDS = {
    "appeals_overdue": (["志愿者", "退役军人", "法律", "调解", "维修", "医护"], ["skill", "volunteer_time", "service", "venue"]),
    "low_satisfaction": (["志愿者", "调解", "法律", "心理"], ["skill", "volunteer_time", "service"]),
    "meetings_overdue": (["党务", "宣讲", "老党员"], ["venue"]),
    "six_month_near": (["党务", "老党员", "宣讲"], ["venue"]),
    "dues_arrears": (["党务", "财务"], []),
    "term_expiring": (["党务"], []),
    "project_overdue": (["志愿者", "专业", "技术"], ["funds", "skill", "venue", "volunteer_time"]),
}


@dataclass
class Mobilisation:
    alert: Alert
    members: list  # [(Member, [matching tag names], "nearby" org name)]
    resources: list  # resources app rows, if installed
    area: Org


def mobilisation(user, alert: Alert, *, limit: int = 20) -> Mobilisation:
    """People and resources nearby: members of the same community (the parent's subtree) with matching tags,
    linked to households in its grids first, and the community's resources in matching categories."""
    _check(user, alert.org)
    area = Org.objects.get_parent(alert.org) or alert.org
    if not org_in_scope(user, roles.VIEW_ROSTER, area):
        area = alert.org
    tags, categories = NEEDS.get(alert.rule, ([], []))
    members = Member.objects.filter(org__path__subtree=area.path, status=Status.ACTIVE).exclude(org=alert.org)
    members = scoped(members, user, roles.VIEW_ROSTER)
    tag_q = Q()
    for t in tags:
        tag_q |= Q(tags__name__icontains=t)
    picked = members.filter(tag_q).distinct() if tags else members.none()
    if apps.is_installed("dangjian.grids"):
        picked = picked.annotate(links=Count("household_links", filter=Q(household_links__ended_on__isnull=True)))
        order = ("-links", "org__path", "name")
    else:
        order = ("org__path", "name")
    rows = []
    for m in picked.select_related("org").prefetch_related("tags").order_by(*order)[:limit]:
        matching = [t.name for t in m.tags.all() if any(k in t.name for k in tags)]
        rows.append((m, matching, m.org.name))
    resources = provided.value("resources_near", user, area, categories, limit=limit, default=[]) if categories else []
    return Mobilisation(alert, rows, resources, area)


def visible_children(user, org: Org) -> QuerySet:
    return visible_orgs(user, CAP).filter(path__subtree=org.path, depth=org.depth + 1).order_by("path")

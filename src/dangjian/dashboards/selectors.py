"""Reads for the dashboards, on top of `dangjian.evaluation.selectors`.

Everything is scoped with VIEW_WORK through `dangjian.core.scoping`: an org
outside the user's subtrees answers 404, and lists, counters and aggregates
never include its rows. Every function runs a fixed number of queries,
whatever the size of the tree.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dangjian.accounts import roles
from dangjian.core import provided
from dangjian.core.http import require_in_scope
from dangjian.core.scoping import scope_roots, scoped, visible_orgs
from dangjian.evaluation import selectors as ev
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
    RectState,
)
from dangjian.evaluation.periods import previous_start
from dangjian.orgs.models import Org

CAP = roles.VIEW_WORK
DIMENSIONS = [OVERALL, *Dimension.values]
# The 三率 composite of appeals (DOMAIN.md): response 30%, resolution 35%, satisfaction 35%.
APPEAL_RATES = {"appeal_response_rate": 0.30, "appeal_resolution_rate": 0.35, "appeal_satisfaction_rate": 0.35}
# Key figures on the overview, in order: (indicator code, which part of the snapshot is the figure).
KEY_FIGURES = [
    ("visits_per_member", "denominator"),  # members in the subtree
    ("meeting_compliance_rate", "value"),
    ("meeting_attendance_rate", "value"),
    ("dues_on_time_rate", "value"),
    ("appeals", "composite"),
    ("visits_per_member", "numerator"),  # visits recorded
    ("project_target_rate", "value"),
]


def org_get(user, pk) -> Org:
    return ev.org_get(user, pk)


def home_org(user) -> Org:
    """Where a user's dashboard starts: the topmost node of their scope."""
    root = scope_roots(user, CAP).first()
    if root is None:
        raise Http404
    return root


def pick_period(pk: str | None = None) -> Period | None:
    """A computed period by id (404 if not computed), else the latest computed: the freshest data date, then the
    shortest period (a quarter before the year that holds it)."""
    qs = ev.periods()
    if pk:
        period = qs.filter(pk=pk).first() if str(pk).isdigit() else None
        if period is None:
            raise Http404
        return period
    return qs.order_by("-as_of", "-start", "kind").first()


def previous_period(period: Period) -> Period | None:
    return ev.periods(period.kind).filter(start=previous_start(period.kind, period.start)).first()


def recent_periods(period: Period, limit: int = 8) -> list[Period]:
    """The last `limit` computed periods of the same kind up to `period`, oldest first."""
    return list(ev.periods(period.kind).filter(start__lte=period.start)[:limit])[::-1]


# ------------------------------------------------------------------ one org


def values_by_code(user, org: Org, period: Period | None) -> dict[str, IndicatorValue]:
    require_in_scope(user, CAP, org)
    if period is None:
        return {}
    return {v.indicator.code: v for v in IndicatorValue.objects.filter(period=period, org=org).select_related("indicator")}


def appeals_composite(values: dict[str, IndicatorValue]) -> float | None:
    """三率 composite from the three rates; None unless all three are known."""
    parts = [(values.get(code), w) for code, w in APPEAL_RATES.items()]
    if any(v is None or v.value is None for v, _w in parts):
        return None
    return sum(v.value * w for v, w in parts)


@dataclass
class Figure:
    code: str  # indicator code (drill-down target) or "appeals"
    label: str
    value: float | None
    unit: str
    previous: float | None = None
    drill: str = ""  # indicator code to drill into

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def _figure_value(values: dict, code: str, part: str) -> float | None:
    if part == "composite":
        return appeals_composite(values)
    v = values.get(code)
    if v is None:
        return None
    return getattr(v, part)


def key_figures(values: dict, before: dict, indicators: dict[str, Indicator]) -> list[Figure]:
    """The overview's counters from this and the previous period's snapshots (no query)."""
    labels = {
        ("visits_per_member", "denominator"): (pgettext("dashboard", "Members"), pgettext("unit", "people")),
        ("visits_per_member", "numerator"): (_("Visits recorded"), _("times")),
        ("appeals", "composite"): (_("Appeals: three rates"), "%"),
    }
    out = []
    for code, part in KEY_FIGURES:
        if (code, part) in labels:
            label, unit = labels[(code, part)]
        elif code in indicators:
            label, unit = indicators[code].name, indicators[code].unit
        else:
            continue
        drill = "appeal_resolution_rate" if code == "appeals" else code
        out.append(Figure(code, str(label), _figure_value(values, code, part), str(unit),
                          _figure_value(before, code, part), drill if drill in indicators else ""))
    return out


def score_series(user, org: Org, periods: list[Period]) -> dict[str, list[float | None]]:
    """{dimension or "overall": [score per period]} in one query."""
    require_in_scope(user, CAP, org)
    got = defaultdict(dict)
    for pid, dim, score in IndexScore.objects.filter(period__in=periods, org=org).values_list("period_id", "dimension", "score"):
        got[dim][pid] = score
    return {d: [got[d].get(p.pk) for p in periods] for d in DIMENSIONS}


def children_scores(user, org: Org, period: Period, dimension: str = OVERALL) -> list[tuple[Org, IndexScore | None]]:
    """The visible children of org with their index score (two queries)."""
    children = list(ev.visible_children(user, org))
    scores = {s.org_id: s for s in IndexScore.objects.filter(period=period, dimension=dimension, org__in=children)}
    return [(c, scores.get(c.pk)) for c in children]


def children_values(user, org: Org, period: Period, indicator: Indicator, sort: str = "") -> list[tuple[Org, IndicatorValue | None]]:
    """The visible children of org with their value of one indicator, sorted by value or by name."""
    children = list(ev.visible_children(user, org))
    vals = {v.org_id: v for v in IndicatorValue.objects.filter(period=period, indicator=indicator, org__in=children)}
    rows = [(c, vals.get(c.pk)) for c in children]
    if sort in ("value", "-value"):
        missing = [r for r in rows if r[1] is None or r[1].value is None]
        known = sorted((r for r in rows if r not in missing), key=lambda r: r[1].value, reverse=sort == "-value")
        rows = known + missing
    elif sort == "name":
        rows.sort(key=lambda r: r[0].name)
    return rows


def open_rectifications(user, org: Org, limit: int = 20) -> list[Rectification]:
    require_in_scope(user, CAP, org)
    return list(ev.rectifications_for(user, org=org).exclude(state=RectState.ACCEPTED).order_by("deadline", "id")[:limit])


# --------------------------------------------------------------- comparison


def kinds_in_scope(user, period: Period) -> list[str]:
    """Org kinds that have an overall score in the period, among the orgs in scope."""
    qs = scoped(IndexScore.objects.filter(period=period, dimension=OVERALL), user, CAP)
    return sorted(set(qs.values_list("org__kind", flat=True)))


@dataclass
class Row:
    org: Org
    scores: dict = field(default_factory=dict)  # dimension -> score
    grade: Grade | None = None
    rank: int | None = None  # among the orgs in scope of the same kind


def comparison_rows(user, period: Period, kind: str) -> list[Row]:
    """Every in-scope org of a kind with its scores and grade, ranked within the scope (two queries)."""
    rows: dict[int, Row] = {}
    qs = scoped(IndexScore.objects.filter(period=period, org__kind=kind), user, CAP).select_related("org")
    for s in qs:
        rows.setdefault(s.org_id, Row(s.org)).scores[s.dimension] = s.score
    for g in scoped(Grade.objects.filter(period=period, org__kind=kind), user, CAP):
        if g.org_id in rows:
            rows[g.org_id].grade = g
    ordered = sorted(rows.values(), key=lambda r: (-(r.scores.get(OVERALL) or 0), r.org.path))
    rank, last = 0, None
    for i, r in enumerate(ordered, start=1):
        score = r.scores.get(OVERALL)
        if score != last:
            rank, last = i, score
        r.rank = rank if score is not None else None
    return ordered


def efficiency_rows(user, period: Period, kind: str | None = None) -> list[Efficiency]:
    qs = ev.efficiency_results(user, period)
    if kind:
        qs = qs.filter(org__kind=kind)
    return list(qs.order_by("-score", "org__path"))


# ---------------------------------------------------------------- big screen


@dataclass
class Node:
    org: Org
    score: float | None
    grade: str
    size: float
    children: list = field(default_factory=list)


def tree_nodes(user, org: Org, period: Period, *, depth: int = 2, limit: int = 400) -> Node:
    """org and its visible descendants `depth` levels down (at most `limit`), with overall score and grade."""
    require_in_scope(user, CAP, org)
    orgs = list(visible_orgs(user, CAP).filter(path__subtree=org.path, depth__lte=org.depth + depth, is_active=True)
                .order_by("depth", "path")[:limit])
    ids = [o.pk for o in orgs]
    scores = dict(IndexScore.objects.filter(period=period, dimension=OVERALL, org__in=ids).values_list("org_id", "score"))
    grades = dict(Grade.objects.filter(period=period, org__in=ids).values_list("org_id", "grade"))
    # Size: members in the subtree (the denominator of visits per member), at least 1.
    sizes = dict(IndicatorValue.objects.filter(period=period, org__in=ids, indicator__code="visits_per_member")
                 .values_list("org_id", "denominator"))
    nodes = {o.path: Node(o, scores.get(o.pk), grades.get(o.pk, ""), max(1.0, sizes.get(o.pk) or 1.0)) for o in orgs}
    root = nodes[org.path]
    for o in orgs[1:]:
        parent = nodes.get(o.path[: -Org.steplen])
        if parent is not None:
            parent.children.append(nodes[o.path])
    return root


def counters(user, org: Org, period: Period | None) -> dict:
    """Live counters for the big screen: orgs, open warnings, open rectifications, weak-and-lax orgs."""
    require_in_scope(user, CAP, org)
    orgs = visible_orgs(user, CAP).filter(path__subtree=org.path, is_active=True).count()
    out = {"orgs": orgs, "warnings": 0, "serious": 0, "weak": 0,
           "rectifications": ev.rectifications_for(user, org=org).exclude(state=RectState.ACCEPTED).count()}
    if period is not None:
        alerts = scoped(Alert.objects.filter(period=period, cleared=False, org__path__subtree=org.path), user, CAP)
        out["warnings"] = alerts.count()
        out["serious"] = alerts.filter(severity="bad").count()
        out["weak"] = scoped(Grade.objects.filter(period=period, weak_lax=True, org__path__subtree=org.path), user, CAP).count()
    return out


def latest_warnings(user, org: Org, period: Period | None, limit: int = 30) -> list[Alert]:
    if period is None:
        return []
    return list(ev.warnings_for(user, period=period, org=org).order_by(ev.SERIOUS_FIRST, "org__path", "rule")[:limit])


def appeals_today(user, org: Org, today: dt.date | None = None) -> dict:
    """Appeals received and resolved today in org's subtree (live records, not a snapshot): the appeals app's own."""
    require_in_scope(user, CAP, org)
    return provided.value("appeals_today", user, org, today,
                          default={"received": 0, "resolved": 0, "open": 0, "latest": []})

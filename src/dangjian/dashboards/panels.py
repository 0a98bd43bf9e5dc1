"""What each dashboard shows: its figures and its charts (each chart with its table).

One function per page builds everything from the scoped selectors; the page,
the per-chart xlsx download and the JSON API call the same function, so they
can never disagree.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dangjian.core.scoping import org_in_scope
from dangjian.dashboards import charts as ch
from dangjian.dashboards import selectors as sel
from dangjian.dashboards.charts import Chart
from dangjian.evaluation import selectors as ev
from dangjian.evaluation import weaklax_selectors as wsel
from dangjian.evaluation.grading import grade_label
from dangjian.evaluation.models import OVERALL, Dimension, Indicator, Period
from dangjian.orgs.models import Org

MAX_BARS = 30  # bars drawn in one chart; the table and the xlsx hold every row


def dimension_names() -> dict[str, str]:
    return {OVERALL: _("Overall index"), **{k: str(v) for k, v in Dimension.choices}}


def rankings_enabled() -> bool:
    return bool(settings.DANGJIAN.get("RANKINGS_ENABLED"))


def _pct(v):
    return ch.num(v, "%")


# ------------------------------------------------------------------ overview


def overview(user, org: Org, period: Period | None) -> dict:
    """Key figures, trends, radar, grade and movement, warnings and rectifications, children's scores."""
    names = dimension_names()
    if period is None:
        return {"org": org, "period": None, "charts": [], "figures": []}
    o = ev.period_overview(user, org, period)
    previous = sel.previous_period(period)
    values = {r["indicator"].code: r for r in o["values"]}
    now = sel.values_by_code(user, org, period)
    before = sel.values_by_code(user, org, previous)
    indicators = {code: r["indicator"] for code, r in values.items()}
    figures = sel.key_figures(now, before, indicators)

    periods = sel.recent_periods(period)
    series = sel.score_series(user, org, periods)
    labels = [p.label for p in periods]
    trend = Chart("trend", _("Index over the last periods"), [pgettext("dashboard", "Period"), *names.values()],
                  [[label, *(_round(series[d][i]) for d in names)] for i, label in enumerate(labels)],
                  ch.line(labels, {names[d]: [_round(v) for v in series[d]] for d in names}))

    dims = Dimension.values
    radar_series = {period.label: [_round(series[d][-1]) if series[d] else None for d in dims]}
    if len(periods) > 1:
        radar_series[periods[-2].label] = [_round(series[d][-2]) for d in dims]
    radar = Chart("dimensions", _("The three dimensions"), [pgettext("dashboard", "Period"), *(names[d] for d in dims)],
                  [[k, *v] for k, v in radar_series.items()], ch.radar([names[d] for d in dims], radar_series))

    indicator_rows, indicator_view = [], []
    for code, r in values.items():
        ind, b = r["indicator"], before.get(code)
        cur, prev = ch.num(r["value"], ind.unit), ch.num(b.value if b else None, ind.unit)
        indicator_view.append({"indicator": ind, "now": cur, "before": prev, "numerator": r["numerator"],
                               "denominator": r["denominator"]})
        indicator_rows.append([ind.name, str(ind.get_dimension_display()), cur, prev,
                               None if cur is None or prev is None else round(cur - prev, 2), ind.unit,
                               r["numerator"], r["denominator"]])
    table = Chart("indicators", _("Indicators"), [
        _("Indicator"), _("Dimension"), _("This period"), _("Last period"), _("Change"), _("Unit"),
        _("Numerator"), _("Denominator")], indicator_rows)

    kids = sel.children_scores(user, org, period)
    kid_rows = [[c.name, _round(s.score) if s else None] for c, s in kids]
    shown = sorted((r for r in kid_rows if r[1] is not None), key=lambda r: -r[1])[:MAX_BARS]
    children = Chart("children", _("Organisations below: overall index"), [pgettext("dashboard", "Organisation"), _("Overall index")],
                     kid_rows, ch.bar([r[0] for r in shown], {names[OVERALL]: [r[1] for r in shown]},
                                      horizontal=True, y_max=100), tall=len(shown) > 10)
    chart_list = [trend, radar, table] + ([children] if kids else [])
    return {
        "org": org, "period": period, "previous": previous, "o": o, "figures": figures, "charts": chart_list,
        "children": kids, "indicators": indicator_view, "rectifications": sel.open_rectifications(user, org),
        "ancestors": [a for a in Org.objects.get_ancestors(org) if org_in_scope(user, sel.CAP, a)],
        "dimension_names": names,
        # 软弱涣散 per year as the committees decided (evaluation.weaklax): identified and transformed, with
        # links to the decisions behind each number.
        "weak_years": wsel.yearly(user, org, [period.end.year])[:5] if kids else [],
    }


def _round(v):
    return None if v is None else round(v, 1)


# ---------------------------------------------------------------- drill-down


def drill(user, org: Org, period: Period, indicator: Indicator, sort: str = "") -> dict:
    """Why is this 62? Definition, numerator/denominator, children's values (sortable), links to the records."""
    from dangjian.dashboards.records import record_links

    own = sel.values_by_code(user, org, period).get(indicator.code)
    rows = sel.children_values(user, org, period, indicator, sort)
    unit = indicator.unit
    data = [[c.name, ch.num(v.value, unit) if v else None, v.numerator if v else None, v.denominator if v else None]
            for c, v in rows]
    plotted = [r for r in data if r[1] is not None][:MAX_BARS]
    chart = Chart("children", _("%(indicator)s of the organisations below") % {"indicator": indicator.name},
                  [pgettext("dashboard", "Organisation"), _("%(name)s (%(unit)s)") % {"name": indicator.name, "unit": unit} if unit else indicator.name, _("Numerator"), _("Denominator")],
                  data, ch.bar([r[0] for r in plotted], {indicator.name: [r[1] for r in plotted]}, horizontal=True,
                               y_max=100 if unit == "%" else None), tall=len(plotted) > 10)
    periods = sel.recent_periods(period)
    trend = ev.trend(user, org, period.kind, indicator=indicator, limit=len(periods) or 1)
    trend_chart = Chart("trend", _("Over the last periods"), [pgettext("dashboard", "Period"), indicator.name],
                        [[p.label, ch.num(v, unit)] for p, v in trend],
                        ch.line([p.label for p, _v in trend], {indicator.name: [ch.num(v, unit) for _p, v in trend]},
                                y_max=100 if unit == "%" else None))
    return {
        "org": org, "period": period, "indicator": indicator, "own": own, "rows": rows, "sort": sort,
        "charts": [chart, trend_chart] if rows else [trend_chart],
        "links": record_links(indicator.metric_code, indicator.code, org, period),
        "ancestors": [a for a in Org.objects.get_ancestors(org) if org_in_scope(user, sel.CAP, a)],
    }


# ---------------------------------------------------------------- comparison


def compare(user, period: Period | None, kind: str = "") -> dict:
    names = dimension_names()
    if period is None:
        return {"period": None, "charts": [], "kinds": [], "kind": "", "rows": []}
    kinds = sel.kinds_in_scope(user, period)
    if kind not in kinds:
        kind = "branch" if "branch" in kinds else (kinds[-1] if kinds else "")
    rows = sel.comparison_rows(user, period, kind) if kind else []
    ranked = rankings_enabled()
    charts_: list[Chart] = []
    overall = [r.scores[OVERALL] for r in rows if r.scores.get(OVERALL) is not None]
    if ranked and rows:
        top = [r for r in rows if r.scores.get(OVERALL) is not None][:MAX_BARS]
        charts_.append(Chart(
            "ranking", _("Ranking by overall index"), [_("Rank"), pgettext("dashboard", "Organisation"), *names.values(), pgettext("dashboard", "Grade")],
            [[r.rank, r.org.name, *(_round(r.scores.get(d)) for d in names), grade_label(r.grade.grade) if r.grade else ""]
             for r in rows],
            ch.bar([r.org.name for r in top], {names[OVERALL]: [_round(r.scores[OVERALL]) for r in top]},
                   horizontal=True, y_max=100), tall=len(top) > 10))
    if overall:
        opt, table = ch.histogram(overall, name=pgettext("dashboard", "Organisations"))
        charts_.append(Chart("distribution", _("Distribution of the overall index"), [_("Band"), pgettext("dashboard", "Organisations")], table, opt))
        stats, dim_names = [], []
        for d in names:
            vals = [r.scores[d] for r in rows if r.scores.get(d) is not None]
            if vals:
                stats.append(ch.five_numbers(vals))
                dim_names.append(names[d])
        charts_.append(Chart("spread", _("Spread per dimension"),
                             [_("Dimension"), _("Minimum"), _("Lower quartile"), _("Median"), _("Upper quartile"), _("Maximum")],
                             [[n, *s] for n, s in zip(dim_names, stats, strict=True)], ch.boxplot(dim_names, stats)))
    if not ranked and rows:
        # Without rankings: the scores in the order of the tree, no rank column.
        charts_.append(Chart("scores", _("Scores of the organisations"), [pgettext("dashboard", "Organisation"), *names.values(), pgettext("dashboard", "Grade")],
                             [[r.org.name, *(_round(r.scores.get(d)) for d in names),
                               grade_label(r.grade.grade) if r.grade else ""] for r in sorted(rows, key=lambda r: r.org.path)]))
    charts_ += efficiency_charts(user, period, kind)
    return {"period": period, "kinds": kinds, "kind": kind, "rows": rows, "charts": charts_, "ranked": ranked,
            "count": len(rows)}


def _metric_name(code: str) -> str:
    # A plain str: the JSON API's schema refuses a lazy translation (500 on /api/dashboards/compare/).
    return str(ev._metric(code).name)


def efficiency_charts(user, period: Period, kind: str) -> list[Chart]:
    effs = sel.efficiency_rows(user, period, kind or None)
    if not effs:
        return []
    ins, outs = period.eff_inputs or sorted(effs[0].inputs), period.eff_outputs or sorted(effs[0].outputs)
    # Two axes of a many-input, many-output model: the first input, and the output with the largest total
    # (an output nobody recorded would flatten every point on zero).
    x_code = (ins or [""])[0]
    y_code = max(outs, key=lambda c: sum(e.outputs.get(c, 0) or 0 for e in effs)) if outs else ""
    points = [{"name": e.org.name, "x": round(e.inputs.get(x_code, 0), 2), "y": round(e.outputs.get(y_code, 0), 2),
               "score": round(e.score, 3), "efficient": e.efficient} for e in effs]
    headers = [pgettext("dashboard", "Organisation"), _("DEA score"), _("On the frontier"),
               *(_metric_name(c) for c in ins), *(_metric_name(c) for c in outs)]
    scatter = Chart("efficiency", _("Efficiency: inputs and outputs, with the frontier"), headers,
                    [[e.org.name, round(e.score, 3), _("yes") if e.efficient else _("no"),
                      *(e.inputs.get(c) for c in ins), *(e.outputs.get(c) for c in outs)] for e in effs],
                    ch.scatter_frontier(points, x_name=_metric_name(x_code), y_name=_metric_name(y_code),
                                        labels=(_("efficient"), _("others"), _("frontier"))))
    result = [scatter]
    moved = [e for e in effs if e.malmquist is not None]
    if moved:
        labels = (_("Efficiency change"), _("Technical change"), _("Malmquist index"))
        shown = sorted(moved, key=lambda e: -e.malmquist)[:MAX_BARS]
        result.append(Chart(
            "malmquist", _("Change since the last period (Malmquist)"), [pgettext("dashboard", "Organisation"), *labels],
            [[e.org.name, _r3(e.efficiency_change), _r3(e.technical_change), _r3(e.malmquist)] for e in moved],
            ch.malmquist_bars([e.org.name for e in shown], [_r3(e.efficiency_change) for e in shown],
                              [_r3(e.technical_change) for e in shown], [_r3(e.malmquist) for e in shown], labels),
            tall=True, hint=_("The Malmquist productivity index compares this period with the last: above 1 the "
                              "organisation did better, below 1 worse. It is the efficiency change (catching up "
                              "with the best) times the technical change (the best doing better).")))
    return result


def _r3(v):
    return None if v is None else round(v, 3)


# ---------------------------------------------------------------- big screen


def _tree_dict(node: sel.Node) -> dict:
    return {"name": node.org.name, "value": node.size, "score": node.score, "grade": node.grade,
            "children": [_tree_dict(c) for c in node.children]}


def _flatten(node: sel.Node, depth: int = 0):
    yield depth, node
    for c in node.children:
        yield from _flatten(c, depth + 1)


def screen(user, org: Org, period: Period | None) -> dict:
    names = dimension_names()
    counters = sel.counters(user, org, period)
    today = sel.appeals_today(user, org)
    charts_: list[Chart] = []
    overall = None
    if period is not None:
        tree = sel.tree_nodes(user, org, period)
        overall = tree.score
        charts_.append(Chart(
            "tree", _("Organisations by overall index"), [_("Level"), pgettext("dashboard", "Organisation"), _("Overall index"), pgettext("dashboard", "Grade"), pgettext("dashboard", "Members")],
            [[d, "　" * d + n.org.name, _round(n.score), grade_label(n.grade) if n.grade else "", int(n.size)]
             for d, n in _flatten(tree)], ch.treemap(_tree_dict(tree)), tall=True))
        periods = sel.recent_periods(period)
        series = sel.score_series(user, org, periods)
        labels = [p.label for p in periods]
        charts_.append(Chart("trend", _("Index over the last periods"), [pgettext("dashboard", "Period"), *names.values()],
                             [[label, *(_round(series[d][i]) for d in names)] for i, label in enumerate(labels)],
                             ch.line(labels, {names[d]: [_round(v) for v in series[d]] for d in names}, dark=True)))
        dims = Dimension.values
        charts_.append(Chart("dimensions", _("The three dimensions"), [_("Dimension"), period.label],
                             [[names[d], _round(series[d][-1]) if series[d] else None] for d in dims],
                             ch.radar([names[d] for d in dims], {period.label: [_round(series[d][-1]) for d in dims]}, dark=True)))
    charts_.append(Chart("overall", _("Overall index"), [_("Overall index")], [[_round(overall)]],
                         ch.gauge(overall, _("Overall index"))))
    warnings = sel.latest_warnings(user, org, period)
    return {"org": org, "period": period, "counters": counters, "appeals": today, "charts": charts_,
            "warnings": warnings}


def screen_json(data: dict) -> dict:
    """What the big screen fetches every minute."""
    from django.utils import timezone

    return {
        "org": data["org"].name, "period": data["period"].label if data["period"] else "",
        "generated_at": timezone.localtime().strftime("%H:%M"),
        "counters": data["counters"],
        "appeals": {k: v for k, v in data["appeals"].items() if k != "latest"} | {
            "latest": [{"at": at.strftime("%H:%M"), "category": c, "state": s} for at, c, s in data["appeals"]["latest"]]},
        "warnings": [{"org": a.org.name, "severity": a.severity, "detail": a.detail} for a in data["warnings"]],
        "charts": {c.key: c.option for c in data["charts"]},
    }


# ---------------------------------------------------------------- lookup


PAGES = ("overview", "drill", "compare", "screen")


def charts_of(page: str, user, *, org: Org | None, period: Period | None, indicator: Indicator | None = None,
              kind: str = "", sort: str = "") -> list[Chart]:
    if page == "overview":
        return overview(user, org, period)["charts"]
    if page == "drill":
        return drill(user, org, period, indicator, sort)["charts"]
    if page == "compare":
        return compare(user, period, kind)["charts"]
    if page == "screen":
        return screen(user, org, period)["charts"]
    return []

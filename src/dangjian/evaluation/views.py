"""Pages: periods and their computation, an org's figures and drill-down, the indicator catalogue,
index configuration with the AHP form, grading schemes, warnings and the rectification workflow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts import roles
from dangjian.accounts.models import User
from dangjian.analytics import AnalyticsInputError, ahp
from dangjian.analytics.ahp import parse_judgement
from dangjian.core import rules as rules_registry
from dangjian.core.forms import apply_errors
from dangjian.core.http import require_capability
from dangjian.core.jobs import job_start
from dangjian.core.scoping import org_in_scope, scope_roots
from dangjian.evaluation import indices, selectors, services, xlsx
from dangjian.evaluation.forms import (
    ComputeForm,
    ConfigForm,
    EvidenceForm,
    IndicatorForm,
    RectificationForm,
    ReviewForm,
    SchemeForm,
)
from dangjian.evaluation.grading import badge, grade_label
from dangjian.evaluation.models import (
    OVERALL,
    Dimension,
    GradingScheme,
    Indicator,
    Period,
    RectState,
    Severity,
)
from dangjian.evaluation.rules import rule_codes, rule_label
from dangjian.orgs.models import Org

# ------------------------------------------------------------------ periods


@login_required
def period_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    can = services.can_compute(request.user)
    form = ComputeForm(request.POST or None) if can else None
    if request.method == "POST":
        if not can:
            raise Http404
        if form.is_valid():
            # Computing takes minutes for a county: the queue's worker does it, the job page shows progress.
            job = job_start(by=request.user, kind="period_compute", params={
                "kind": form.cleaned_data["kind"], "start": form.cleaned_data["start"].isoformat(),
                "recompute": form.cleaned_data["recompute"]})
            return redirect("operations:job_detail", job.pk)
    return render(request, "evaluation/periods.html", {
        "periods": Period.objects.select_related("computed_by", "scheme").order_by("-start", "kind")[:100],
        "form": form, "can_compute": can,
    })


def _chosen_org(request):
    org_id = request.GET.get("org", "")
    if org_id.isdigit():
        return selectors.org_get(request.user, int(org_id))
    root = scope_roots(request.user, roles.VIEW_WORK).first()
    if root is None:
        raise Http404
    return root


@login_required
def period_detail(request, pk: int):
    require_capability(request.user, roles.VIEW_WORK)
    period = selectors.period_get(pk)
    if request.GET.get("export") == "xlsx":
        # Without ?org= every organisation in scope; the page's link passes the org it shows.
        org = selectors.org_get(request.user, request.GET["org"]) if request.GET.get("org") else None
        return xlsx.results_export(by=request.user, period=period, org=org)
    org = _chosen_org(request)
    overview = selectors.period_overview(request.user, org, period)
    children = list(selectors.visible_children(request.user, org))
    scores = {(s.org_id, s.dimension): s for s in selectors.index_scores(request.user, period, orgs=[c.pk for c in children])}
    child_grades = {g.org_id: g for g in selectors.grades(request.user, period, orgs=[c.pk for c in children])}
    rows = []
    for c in children:
        g = child_grades.get(c.pk)
        label = (grade_label(g.grade), badge(g.grade, g.weak_lax)) if g else None
        rows.append((c, [scores.get((c.pk, d)) for d in [OVERALL, *Dimension.values]], label))
    return render(request, "evaluation/period.html", {
        "period": period, "o": overview, "children": rows, "dimensions": Dimension.choices,
        "ancestors": [a for a in Org.objects.get_ancestors(org) if org_in_scope(request.user, roles.VIEW_WORK, a)],
        "can_compute": services.can_compute(request.user),
        "weights": _weight_rows(period),
        "measures": selectors.efficiency_measures(period, overview.get("efficiency")),
    })


def _weight_rows(period: Period) -> list[tuple[Indicator, float]]:
    weights = (period.weights or {}).get("indicators", {})
    return [(i, weights[i.code]) for i in Indicator.objects.filter(code__in=weights.keys())]


@login_required
def drill(request, pk: int, org_id: int, code: str):
    require_capability(request.user, roles.VIEW_WORK)
    period = selectors.period_get(pk)
    org = selectors.org_get(request.user, org_id)
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise Http404
    d = selectors.drilldown(request.user, org, period, indicator)
    which = request.GET.get("which", "")
    which = which if which in selectors.RECORD_FILTERS else ""
    q = request.GET.get("q", "")[:100]
    rows = selectors.drill_records(d.breakdown, which=which, q=q)
    if request.GET.get("export") == "xlsx":
        return xlsx.records_export(by=request.user, drill=d, rows=rows, which=which, q=q)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "evaluation/drill.html", {
        "d": d, "period": period, "page": page, "which": which, "q": q, "query": _query(which=which, q=q),
        "filters": [("", _("All records")), ("numerator", _("Numerator")), ("denominator", _("Denominator")),
                    ("missing", _("Missing"))]})


# ------------------------------------------------------------ configuration


def _matrix_keys() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """[(key, title, [(code, label)])]: the dimension level, then each dimension's indicators."""
    codes = services.active_indicator_codes()
    names = dict(Indicator.objects.values_list("code", "name"))
    out = [("dimensions", _("The three dimensions"), [(d, str(label)) for d, label in Dimension.choices])]
    for d, label in Dimension.choices:
        if len(codes[d]) > 1:
            out.append((d, str(label), [(c, names[c]) for c in codes[d]]))
    return out


def _matrix_from(data, key: str, n: int, strict: bool = True) -> list[list[float]]:
    """Upper-triangle inputs j-<key>-<i>-<j> to a reciprocal matrix; a blank cell is 1 (equal)."""
    m = [[1.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            raw = (data.get(f"j-{key}-{i}-{j}") or "").strip()
            try:
                v = parse_judgement(raw) if raw else 1.0
            except (ValueError, ZeroDivisionError):
                if strict:
                    raise ValidationError({"judgements": _("Judgement not understood: %(value)s") % {"value": raw}}) from None
                v = 1.0
            if v <= 0:
                raise ValidationError({"judgements": _("Judgements must be positive: %(value)s") % {"value": raw}})
            m[i][j], m[j][i] = v, 1.0 / v
    return m


def _cells(period: Period, key: str, codes: list[str]) -> dict[str, str]:
    """The stored judgements as the form's cells, matched by code: a pair with an item added since stays blank."""
    entry = (period.judgements or {}).get(key)
    order, m = (entry.get("order") or [], entry.get("matrix") or []) if isinstance(entry, dict) else ([], [])
    if len(order) != len(m):
        return {}
    pos = {c: k for k, c in enumerate(order)}
    out = {}
    for i, a in enumerate(codes):
        for j in range(i + 1, len(codes)):
            if a not in pos or codes[j] not in pos:
                continue
            v = m[pos[a]][pos[codes[j]]]
            out[f"{i}-{j}"] = (f"1/{round(1 / v):g}" if v < 1 else f"{v:g}") if v != 1 else ""
    return out


def _judgement_notes(period: Period, keys) -> list[str]:
    """Saved matrices the current catalogue no longer matches (added, retired or reordered indicators)."""
    if period.weighting not in ("ahp", "combined"):
        return []
    labels = services.judgement_labels()
    notes = []
    for key, title, items in keys:
        _m, note = indices.matrix_for((period.judgements or {}).get(key), [c for c, _l in items], labels)
        if note:
            notes.append(_("%(level)s: %(note)s") % {"level": title, "note": note})
    return notes


@login_required
def period_config(request, pk: int):
    if not services.can_compute(request.user):
        raise Http404
    period = selectors.period_get(pk)
    keys = _matrix_keys()
    initial = {"weighting": period.weighting, "aggregation": period.aggregation, "eff_inputs": period.eff_inputs,
               "eff_outputs": period.eff_outputs, "eff_rts": period.eff_rts, "scheme": period.scheme}
    form = ConfigForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            judgements = {key: indices.judgement([c for c, _l in items], _matrix_from(request.POST, key, len(items)))
                          for key, _t, items in keys}
            services.period_configure(by=request.user, period=period, judgements=judgements, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Configuration saved; it takes effect when the period is (re)computed."))
            return redirect("evaluation:period", period.pk)
    matrices = []
    for key, title, items in keys:
        cells = _cells(period, key, [c for c, _l in items])
        pairs = [(i, j, items[i][1], items[j][1], cells.get(f"{i}-{j}", "")) for i in range(len(items))
                 for j in range(i + 1, len(items))]
        matrices.append({"key": key, "title": title, "pairs": pairs})
    return render(request, "evaluation/config.html", {"period": period, "form": form, "matrices": matrices,
                                                      "notes": _judgement_notes(period, keys)})


@login_required
@require_POST
def ahp_check(request):
    """HTMX: consistency of one (possibly partly filled) judgement matrix as the user types."""
    if not services.can_compute(request.user):
        raise Http404
    key = request.GET.get("key", "")  # the page's form holds every matrix: the URL says which one
    items = next((items for k, _t, items in _matrix_keys() if k == key), None)
    if items is None:
        raise Http404
    try:
        result = ahp(matrix=_matrix_from(request.POST, key, len(items), strict=False), names=[c for c, _l in items])
    except AnalyticsInputError as exc:
        return HttpResponse(format_html('<span class="badge bad">{}</span>', services.analytics_message(exc)))
    except ValidationError as exc:
        return HttpResponse(format_html('<span class="badge bad">{}</span>', " ".join(exc.messages)))
    weights = [(label, w) for (_c, label), w in zip(items, result.weights, strict=True)]
    return render(request, "evaluation/_ahp_result.html", {"r": result, "weights": weights})


@login_required
def indicator_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    can = services.can_administer(request.user)
    form = IndicatorForm(request.POST or None) if can else None
    if request.method == "POST":
        if not can:
            raise Http404
        action, target = request.POST.get("action", ""), request.POST.get("indicator", "")
        try:
            if action in ("retire", "restore") and target.isdigit():
                ind = Indicator.objects.filter(pk=int(target)).first()
                if ind is None:
                    raise Http404
                (services.indicator_retire if action == "retire" else services.indicator_restore)(by=request.user, indicator=ind)
                return redirect("evaluation:indicators")
            if form.is_valid():
                services.indicator_add(by=request.user, **form.cleaned_data)
                messages.success(request, _("Indicator added."))
                return redirect("evaluation:indicators")
        except ValidationError as exc:
            apply_errors(form, exc)
    return render(request, "evaluation/indicators.html", {
        "indicators": Indicator.objects.all(), "form": form, "can": can, "dimensions": dict(Dimension.choices)})


@login_required
def scheme_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    return render(request, "evaluation/schemes.html", {
        "schemes": GradingScheme.objects.all(), "can": services.can_administer(request.user), "label": grade_label})


@login_required
def scheme_edit(request, pk: int):
    if not services.can_administer(request.user):
        raise Http404
    scheme = GradingScheme.objects.filter(pk=pk).first()
    if scheme is None:
        raise Http404
    initial = {"name": scheme.name, "mode": scheme.mode, "cap_rounding": scheme.cap_rounding, "weak_score_below": scheme.weak_score_below,
               "weak_bad_warnings": scheme.weak_bad_warnings, "weak_lowest_twice": scheme.weak_lowest_twice,
               "thresholds": "\n".join(f"{low:g} {code}" for low, code in scheme.thresholds),
               "caps": "\n".join(f"{code} {share:g}" for code, share in (scheme.caps or {}).items())}
    form = SchemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.scheme_update(by=request.user, scheme=scheme, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Grading scheme saved."))
            return redirect("evaluation:schemes")
    return render(request, "evaluation/scheme_form.html", {"form": form, "scheme": scheme})


# ------------------------------------------------------------------ warnings

def records_link(alert) -> str:
    """The owning app's list of the records behind a warning, filtered to its org."""
    try:
        return reverse(rules_registry.get(alert.rule).list_url) + f"?org={alert.org_id}"
    except (KeyError, NoReverseMatch):
        return ""


def _org_filter(request) -> Org | None:
    """?org= narrows a list to that organisation's subtree; out of scope is 404."""
    org_id = request.GET.get("org", "")
    return selectors.org_get(request.user, org_id) if org_id else None


def _query(**params) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


@login_required
def alert_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    period_id = request.GET.get("period", "")
    period = selectors.period_get(int(period_id)) if period_id.isdigit() else selectors.periods().first()
    severity, rule = request.GET.get("severity", ""), request.GET.get("rule", "")
    org = _org_filter(request)
    if request.GET.get("export") == "xlsx" and period is not None:
        return xlsx.warnings_export(by=request.user, period=period, org=org, severity=severity, rule=rule)
    alerts = (selectors.warnings_for(request.user, period, org, severity=severity, rule=rule)
              .order_by(selectors.SERIOUS_FIRST, "org__path", "rule") if period else [])
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    for a in page:
        a.rule_label = rule_label(a.rule)
    return render(request, "evaluation/alerts.html", {
        "page": page, "period": period, "periods": selectors.periods()[:24], "severity": severity, "rule": rule,
        "rules": [(c, rule_label(c)) for c in rule_codes()], "severities": Severity.choices, "org": org,
        "query": _query(period=period.pk if period else None, severity=severity, rule=rule, org=org.pk if org else None),
    })


@login_required
def alert_detail(request, pk: int):
    alert = selectors.alert_get(request.user, pk)
    may_rectify = services._superior_may_accept(request.user, alert.org)
    owners = User.objects.filter(grants__org=alert.org, is_active=True).distinct().order_by("username")
    form = RectificationForm(request.POST or None, owners=owners) if may_rectify else None
    if request.method == "POST":
        if not may_rectify:
            raise Http404
        if form.is_valid():
            try:
                rect = services.rectification_create(by=request.user, alert=alert, org=alert.org, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Rectification task created."))
                return redirect("evaluation:rect_detail", rect.pk)
    return render(request, "evaluation/alert.html", {
        "alert": alert, "rule": rule_label(alert.rule), "records": records_link(alert), "form": form,
        "mob": selectors.mobilisation(request.user, alert), "rects": alert.rectifications.select_related("owner"),
    })


# ------------------------------------------------------------ rectification


@login_required
def rect_list(request):
    require_capability(request.user, roles.VIEW_WORK)
    state = request.GET.get("state", "")
    state = state if state in RectState.values else ""
    org = _org_filter(request)
    if request.GET.get("export") == "xlsx":
        return xlsx.rectifications_export(by=request.user, state=state, org=org)
    rects = selectors.rectifications_for(request.user, state=state, org=org)
    return render(request, "evaluation/rects.html", {
        "page": Paginator(rects, 50).get_page(request.GET.get("page")), "state": state, "states": RectState.choices,
        "org": org, "query": _query(state=state, org=org.pk if org else None), "today": timezone.localdate()})


@login_required
def rect_detail(request, pk: int):
    rect = selectors.rectification_get(request.user, pk)
    can_submit = rect.state in (RectState.OPEN, RectState.RETURNED) and org_in_scope(request.user, roles.EDIT_WORK, rect.org)
    can_review = rect.state == RectState.SUBMITTED and services._superior_may_accept(request.user, rect.org)
    evidence = EvidenceForm(request.POST if request.POST.get("action") == "submit" else None)
    review = ReviewForm(request.POST if request.POST.get("action") == "review" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if (action == "submit" and not can_submit) or (action == "review" and not can_review) or action not in ("submit", "review"):
            raise Http404
        form = evidence if action == "submit" else review
        if form.is_valid():
            try:
                if action == "submit":
                    services.rectification_submit(by=request.user, rect=rect, evidence=form.cleaned_data["evidence"])
                else:
                    services.rectification_review(by=request.user, rect=rect, accept=form.cleaned_data["decision"] == "accept",
                                                  comment=form.cleaned_data["comment"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("evaluation:rect_detail", rect.pk)
    return render(request, "evaluation/rect.html", {
        "rect": rect, "can_submit": can_submit, "can_review": can_review, "evidence_form": evidence, "review_form": review,
        "rule": rule_label(rect.alert.rule) if rect.alert else ""})

"""Writes: the period computation, its configuration, the indicator catalogue, grading schemes, rectifications.

`period_compute` turns recorded work into a dated snapshot for every active
org: indicator values (grouped queries + tree rollup), composite indices,
efficiency (DEA, Malmquist against the previous period), grades and
warnings. A computed period is never rewritten by new data; only an explicit
recompute (audited) replaces it.
"""

import datetime as dt
import itertools
import time
from collections import defaultdict
from collections.abc import Callable, Iterable

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangjian.analytics import AnalyticsInputError, AnalyticsWarning, ahp, dea, malmquist
from dangjian.audit.models import Action
from dangjian.audit.services import audit_record, diff
from dangjian.core import metrics as registry
from dangjian.core.bulkload import load_rows
from dangjian.core.scoping import is_unrestricted, org_in_scope, scope_paths
from dangjian.core.text import join_items
from dangjian.evaluation import grading, indices, rules
from dangjian.evaluation.models import (
    OVERALL,
    Alert,
    Dimension,
    Efficiency,
    Grade,
    GradingScheme,
    IndexScore,
    Indicator,
    IndicatorValue,
    Period,
    Rectification,
    RectState,
    WarningConfig,
)
from dangjian.evaluation.periods import period_end, previous_start
from dangjian.orgs.models import Org, OrgKind

DIMENSIONS = [Dimension.COHESION, Dimension.INFLUENCE, Dimension.CAPACITY]
# Decision-making units of the efficiency analysis: the organisations that do the work.
DMU_KINDS = (OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.GENERAL_BRANCH)
# Default efficiency model (docs/evaluation.md): what a branch puts in (people, their time, money: project
# spending and the activity funds of its ledger) against the
# work recorded. An input with no value for any unit in a period is left out of that period's model (noted).
DEFAULT_INPUTS = ["members_on_roll", "volunteer_hours", "project_spending", "activity_funds_spent"]
DEFAULT_OUTPUTS = ["meetings_held", "visits_made"]
# Above this many DMUs the DEA skips the slack phase (one LP per unit): radial targets only.
SLACKS_UP_TO = 2000
BATCH = 5000


def _batched(items: Iterable, size: int = BATCH):
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _fast_insert(model, fields: list[str], rows: Iterable[tuple]) -> int:
    """COPY on PostgreSQL, plain executemany elsewhere (core.bulkload), for the snapshot tables (hundreds of
    thousands of rows of plain numbers and text): bulk_create spends most of its time preparing fields.
    Values must already be DB-ready."""
    columns = [model._meta.get_field(f).column for f in fields]
    return load_rows(model._meta.db_table, columns, rows)


def can_compute(user) -> bool:
    """Computing covers the whole tree: a superuser or an ASSESS grant on a root organisation."""
    from dangjian.accounts.roles import ASSESS

    if is_unrestricted(user):
        return True
    paths = scope_paths(user, ASSESS) or []
    return any(len(p) == Org.steplen for p in paths)


def can_administer(user) -> bool:
    """The indicator catalogue, grading schemes and warning thresholds: installation-wide settings."""
    return can_compute(user)


def _deny_unless(allowed: bool) -> None:
    from django.http import Http404

    if not allowed:
        raise Http404


# ------------------------------------------------------------------ periods


def _defaults_from(previous: Period | None) -> dict:
    available = {m.code for m in registry.all_metrics()}
    if previous is not None:
        return {f: getattr(previous, f) for f in (
            "weighting", "aggregation", "judgements", "eff_inputs", "eff_outputs", "eff_rts", "scheme")}
    return {
        "eff_inputs": [c for c in DEFAULT_INPUTS if c in available],
        "eff_outputs": [c for c in DEFAULT_OUTPUTS if c in available],
        "scheme": GradingScheme.objects.filter(is_default=True).first(),
    }


def period_for(*, kind: str, start: dt.date) -> Period:
    """The period row (created with the latest earlier period's configuration if new)."""
    try:
        end = period_end(kind, start)
    except ValueError as exc:
        raise ValidationError({"start": _("The start must be the first day of such a period (of a month, quarter or year)")}) from exc
    period = Period.objects.filter(kind=kind, start=start).first()
    if period is None:
        previous = Period.objects.filter(kind=kind, start__lt=start).order_by("-start").first()
        period = Period.objects.create(kind=kind, start=start, end=end, **_defaults_from(previous))
    return period


def _check_judgements(judgements: dict, indicator_codes: dict[str, list[str]]) -> None:
    """Each matrix is stored with the codes of its rows (`indices.judgement`) and covers the items in use."""
    for key, entry in (judgements or {}).items():
        names = DIMENSIONS if key == "dimensions" else indicator_codes.get(key)
        if names is None:
            raise ValidationError({"judgements": _("Unknown judgement matrix: %(key)s") % {"key": key}})
        order, matrix = (entry.get("order"), entry.get("matrix")) if isinstance(entry, dict) else (None, None)
        if not order or not matrix or sorted(order) != sorted(str(n) for n in names) or len(matrix) != len(order):
            raise ValidationError({"judgements": _("Judgement matrix %(key)s does not match the current indicators: fill it in again") % {"key": key}})
        try:
            result = ahp(matrix=matrix, names=order)
        except AnalyticsInputError as exc:
            raise ValidationError({"judgements": analytics_message(exc)}) from exc
        if not result.consistent:
            raise ValidationError({"judgements": _(
                "The judgement matrix is not consistent enough (CR = %(cr)s, must be below 0.1): adjust the judgements"
            ) % {"cr": f"{result.cr:.3f}"}})


def analytics_message(item: AnalyticsInputError | AnalyticsWarning | str) -> str:
    """An analytics error or warning in the interface language: the package words both, Chinese and English."""
    if not isinstance(item, AnalyticsInputError | AnalyticsWarning):
        return str(item)
    return item.message_zh if (translation.get_language() or "zh").startswith("zh") else item.message_en


def _note(period: Period, text: str) -> None:
    """A note on the period page (beside the weighting notes): why a result is missing or to be read with care."""
    weights = period.weights or {}
    period.weights = {**weights, "notes": [*weights.get("notes", []), text]}


def judgement_labels() -> dict[str, str]:
    """Names for the codes in judgement notes: indicators, dimensions and the dimension level."""
    labels = {str(d): str(label) for d, label in Dimension.choices}
    labels["dimensions"] = _("dimension level")
    labels.update(Indicator.objects.values_list("code", "name"))
    return labels


def active_indicator_codes() -> dict[str, list[str]]:
    """{dimension: [indicator codes in catalogue order]} of the indicators in use."""
    out: dict[str, list[str]] = {d: [] for d in DIMENSIONS}
    for code, dim in Indicator.objects.filter(is_active=True).values_list("code", "dimension"):
        out[dim].append(code)
    return out


@transaction.atomic
def period_configure(*, by, period: Period, weighting: str, aggregation: str, judgements: dict,
                     eff_inputs: list[str], eff_outputs: list[str], eff_rts: str,
                     scheme: GradingScheme | None) -> Period:
    """Index, efficiency and grading configuration of one period (takes effect on the next computation)."""
    _deny_unless(can_compute(by))
    available = {m.code for m in registry.all_metrics()}
    if not eff_inputs or not eff_outputs:
        raise ValidationError({"eff_inputs": _("Efficiency analysis needs at least one input and one output")})
    unknown = [c for c in [*eff_inputs, *eff_outputs] if c not in available]
    if unknown:
        raise ValidationError({"eff_inputs": _("Unregistered measures: %(codes)s") % {"codes": join_items(unknown)}})
    if set(eff_inputs) & set(eff_outputs):
        raise ValidationError({"eff_outputs": _("A measure cannot be both an input and an output")})
    if weighting in ("ahp", "combined"):
        _check_judgements(judgements, active_indicator_codes())
    fields = ("weighting", "aggregation", "judgements", "eff_inputs", "eff_outputs", "eff_rts", "scheme")
    before = {f: getattr(period, f) for f in fields}
    period.weighting, period.aggregation, period.judgements = weighting, aggregation, judgements
    period.eff_inputs, period.eff_outputs, period.eff_rts, period.scheme = eff_inputs, eff_outputs, eff_rts, scheme
    period.save()
    audit_record(actor=by, action=Action.UPDATE, target=period,
                 changes=diff(before, {f: getattr(period, f) for f in fields}))
    return period


def _quiet(_msg: str) -> None:
    pass


@transaction.atomic
def period_compute(*, by, kind: str, start: dt.date, recompute: bool = False, today: dt.date | None = None,
                   log: Callable[[str], None] = _quiet) -> Period:
    """Compute (or, explicitly, recompute) one period for every active org. Audited."""
    if by is not None and getattr(by, "pk", None):
        _deny_unless(can_compute(by))
    today = today or timezone.localdate()
    period = period_for(kind=kind, start=start)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.start > today:
        raise ValidationError({"start": _("The period has not started yet and cannot be computed")})
    if period.is_computed and not recompute:
        raise ValidationError({"start": _(
            "%(period)s was computed and archived on %(at)s; to compute it again from the latest data, choose "
            "“recompute”") % {"period": period.label, "at": f"{timezone.localtime(period.computed_at):%Y-%m-%d %H:%M}"}})
    began = time.perf_counter()
    as_of = min(period.end, today)
    before = {"version": period.version, "computed_at": period.computed_at, "as_of": period.as_of}
    with translation.override("zh-hans"), registry.memo():
        if period.is_computed:
            _clear(period)
        period.weights = {}  # weights and notes of this computation only
        orgs = list(Org.objects.filter(is_active=True).values_list("id", "path", "kind").order_by("path"))
        paths = {oid: path for oid, path, _k in orgs}
        log(f"{len(orgs)} organisations")
        values = _compute_values(period, as_of, paths, log)
        alerts = _compute_alerts(period, as_of, paths, log)
        _compute_indices(period, orgs, values, log)
        _compute_efficiency(period, orgs, paths, as_of, log)
        _compute_grades(period, orgs, alerts, log)
    period.as_of = as_of
    period.computed_at = timezone.now()
    period.computed_by = by if getattr(by, "pk", None) else None
    period.version += 1
    period.seconds = round(time.perf_counter() - began, 2)
    period.save()
    audit_record(actor=by or "system", action=Action.UPDATE if before["version"] else Action.CREATE, target=period,
                 changes=diff(before, {"version": period.version, "computed_at": period.computed_at, "as_of": as_of}))
    return period


def _clear(period: Period) -> None:
    for model in (IndicatorValue, IndexScore, Efficiency, Grade):
        model.objects.filter(period=period).delete()
    # Warnings a rectification refers to stay (marked cleared unless they recur); the rest go, in one
    # statement: the ORM's delete would load every row to check the protected rectifications.
    from django.db import connection

    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {q(Alert._meta.db_table)} WHERE {q('period_id')} = %s AND {q('id')} NOT IN "
            f"(SELECT {q('alert_id')} FROM {q(Rectification._meta.db_table)} WHERE {q('alert_id')} IS NOT NULL)",
            [period.pk])
    period.alerts.update(cleared=True)


def _metric_pairs(code: str, start: dt.date, end: dt.date, paths: dict[int, str]) -> dict[int, tuple[float, float]]:
    """Each active org's pair over its whole subtree. Records of a deactivated org below still count for its
    ancestors, as they do in the metric's own breakdown of an ancestor (one figure, one set of records)."""
    metric = registry.get(code)
    every = cached_paths()
    pairs = registry.rollup(metric.compute(start=start, end=end, within=None), every)
    return {oid: pair for oid, pair in pairs.items() if oid in paths}


def cached_paths() -> dict[int, str]:
    return registry.cached("all_org_paths", lambda: dict(Org.objects.values_list("id", "path")))


def _compute_values(period, as_of, paths, log) -> dict[str, dict[int, float]]:
    """Store IndicatorValue rows; return {indicator code: {org id: value}} (no data: absent)."""
    out: dict[str, dict[int, float]] = {}
    available = {m.code for m in registry.all_metrics()}
    for ind in Indicator.objects.filter(is_active=True):
        if ind.metric_code not in available:
            log(f"  skipped {ind.code}: metric {ind.metric_code} is not registered")
            continue
        t = time.perf_counter()
        metric = registry.get(ind.metric_code)
        pairs = _metric_pairs(ind.metric_code, period.start, as_of, paths)
        vals: dict[int, float] = {}
        rows = []
        for oid, (num, den) in pairs.items():
            if num == 0 and den == 0:
                continue
            v = registry.value(metric, (num, den))
            if v is not None:
                vals[oid] = v
            rows.append((period.pk, oid, ind.pk, float(num), float(den), None if v is None else float(v)))
        n = _fast_insert(IndicatorValue, ["period", "org", "indicator", "numerator", "denominator", "value"], rows)
        out[ind.code] = vals
        log(f"  {ind.code}: {n} values in {time.perf_counter() - t:.1f}s")
    return out


def _compute_indices(period, orgs, values, log) -> None:
    t = time.perf_counter()
    inds = [i for i in Indicator.objects.filter(is_active=True) if i.code in values]
    if not inds:
        return
    metric_of = {m.code: m for m in registry.all_metrics()}
    columns = [indices.Column(i.code, i.dimension, metric_of[i.metric_code].unit == "%", i.direction == "higher")
               for i in inds]
    ids = np.array([oid for oid, _p, _k in orgs])
    kinds = np.array([k for _o, _p, k in orgs])
    raw = np.full((len(ids), len(inds)), np.nan)
    pos = {oid: r for r, oid in enumerate(ids)}
    for j, ind in enumerate(inds):
        counts = metric_of[ind.metric_code].kind == "count"
        if counts:
            raw[:, j] = 0.0
        for oid, v in values[ind.code].items():
            if oid in pos:
                raw[pos[oid], j] = v
    groups = {k: np.flatnonzero(kinds == k) for k in set(kinds.tolist())}
    normed = np.full(raw.shape, np.nan)
    for rows in groups.values():
        normed[rows] = indices.normalise(raw[rows], columns)
    pooled, _has = indices.fill_missing(normed)
    notes: list[str] = []
    weights = indices.final_weights(period.weighting, columns, DIMENSIONS, period.judgements or {}, pooled,
                                    notes, judgement_labels())
    period.weights = {
        "indicators": weights,
        "dimensions": {d: sum(w for c, w in weights.items() if next(x for x in columns if x.code == c).dimension == d)
                       for d in DIMENSIONS},
        "notes": notes,  # why a judgement matrix was not used, or used in part
    }
    targets = [(OVERALL, np.array([weights[c.code] for c in columns]))]
    for d in DIMENSIONS:
        w = np.array([weights[c.code] if c.dimension == d else 0.0 for c in columns])
        if w.sum() > 0:
            targets.append((d, w))
    method = period.aggregation
    rows_out = []
    for rows in groups.values():
        filled, has = indices.fill_missing(normed[rows])
        keep = ~np.isnan(normed[rows]).all(axis=1)  # an org with no data at all gets no score
        for dim, w in targets:
            dim_has = has & (w > 0)
            if not dim_has.any():
                continue
            sel = keep & ~np.isnan(normed[rows][:, dim_has]).all(axis=1)
            if not sel.any():
                continue
            s = indices.score(filled[sel], has, w, method)
            r = indices.ranks(s)
            peers = int(sel.sum())
            rows_out.extend((period.pk, int(oid), dim, round(float(sc), 2), int(rk), peers)
                            for oid, sc, rk in zip(ids[rows][sel], s, r, strict=True))
    _fast_insert(IndexScore, ["period", "org", "dimension", "score", "rank", "peers"], rows_out)
    log(f"  indices: {len(rows_out)} scores in {time.perf_counter() - t:.1f}s")


def _compute_efficiency(period, orgs, paths, as_of, log) -> None:
    t = time.perf_counter()
    available = {m.code for m in registry.all_metrics()}
    ins = [c for c in period.eff_inputs if c in available]
    outs = [c for c in period.eff_outputs if c in available]
    if not ins or not outs:
        return
    dmus = [oid for oid, _p, k in orgs if k in DMU_KINDS]
    if len(dmus) < 2:
        return

    def matrix(codes):
        m = np.zeros((len(dmus), len(codes)))
        for j, code in enumerate(codes):
            metric = registry.get(code)
            pairs = _metric_pairs(code, period.start, as_of, paths)
            for i, oid in enumerate(dmus):
                v = registry.value(metric, pairs.get(oid, (0.0, 0.0)))
                m[i, j] = v or 0.0
        return m

    x, y = matrix(ins), matrix(outs)
    ok = (x > 0).any(axis=1) & (y > 0).any(axis=1)
    # A measure nobody recorded this period cannot tell units apart: leave it out, and say so.
    keep_in = (x[ok] > 0).any(axis=0) if ok.any() else np.zeros(len(ins), bool)
    keep_out = (y[ok] > 0).any(axis=0) if ok.any() else np.zeros(len(outs), bool)
    for code, kept in [*zip(ins, keep_in, strict=True), *zip(outs, keep_out, strict=True)]:
        if not kept:
            _note(period, _("Efficiency analysis: %(measure)s has no recorded value for any unit in this period and "
                            "was left out") % {"measure": registry.get(code).name})
    if keep_in.any() and keep_out.any() and not (keep_in.all() and keep_out.all()):
        ins = [c for c, k in zip(ins, keep_in, strict=True) if k]
        outs = [c for c, k in zip(outs, keep_out, strict=True) if k]
        x, y = x[:, keep_in], y[:, keep_out]
        ok = (x > 0).any(axis=1) & (y > 0).any(axis=1)
    rows = []
    idx = np.flatnonzero(ok)
    result = None
    if len(idx) >= max(2, len(ins) + len(outs)) and (x[idx] > 0).any(axis=0).all() and (y[idx] > 0).any(axis=0).all():
        try:
            result = dea(inputs=x[idx], outputs=y[idx], names=[str(dmus[i]) for i in idx], input_names=ins,
                         output_names=outs, rts=period.eff_rts, orientation="output",
                         slacks=len(idx) <= SLACKS_UP_TO)
        except AnalyticsInputError as exc:  # refused, or no complete result: say so on the period page
            _note(period, _("Efficiency analysis: %(message)s") % {"message": analytics_message(exc)})
        else:
            for warning in result.warnings:
                _note(period, _("Efficiency analysis: %(message)s") % {"message": analytics_message(warning)})
    scored = {}
    if result is not None:
        targets = result.output_targets if result.output_targets is not None else result.scores[:, None] * y[idx]
        for k, i in enumerate(idx):
            scored[i] = (float(result.efficiency[k]), bool(result.efficient[k]),
                         {c: round(float(v), 2) for c, v in zip(outs, targets[k], strict=True)},
                         {p: round(w, 4) for p, w in result.peers[k].items() if p != str(dmus[i])})
    for i, oid in enumerate(dmus):
        if not ok[i] and not x[i].any():
            continue  # no inputs recorded: not a unit of this analysis
        score, efficient, tgt, peers = scored.get(i, (0.0, False, {}, {}))
        rows.append(Efficiency(period=period, org_id=oid, score=round(score, 4), efficient=efficient,
                               inputs=dict(zip(ins, map(float, x[i]), strict=True)),
                               outputs=dict(zip(outs, map(float, y[i]), strict=True)), targets=tgt, peers=peers))
    _malmquist(period, rows, ins, outs)
    for chunk in _batched(rows):
        Efficiency.objects.bulk_create(chunk)
    log(f"  efficiency: {len(rows)} units in {time.perf_counter() - t:.1f}s")


def _malmquist(period, rows: list[Efficiency], ins, outs) -> None:
    """Malmquist change from the previous period of the same kind, for units present in both with outputs."""
    prev = Period.objects.filter(kind=period.kind, start=previous_start(period.kind, period.start)).first()
    if prev is None:
        return
    before = {e.org_id: e for e in prev.efficiency.filter(score__gt=0)}
    now = [e for e in rows if e.score > 0 and e.org_id in before
           and set(before[e.org_id].inputs) == set(ins) and set(before[e.org_id].outputs) == set(outs)]
    if len(now) < max(2, len(ins) + len(outs)):
        return
    data = [(before[e.org_id], prev.start) for e in now] + [(e, period.start) for e in now]
    try:
        result = malmquist(inputs=[[d.inputs[c] for c in ins] for d, _p in data],
                           outputs=[[d.outputs[c] for c in outs] for d, _p in data],
                           ids=[str(d.org_id) for d, _p in data], periods=[p for _d, p in data],
                           input_names=ins, output_names=outs, orientation="output")
    except AnalyticsInputError as exc:
        _note(period, _("Productivity change (Malmquist): %(message)s") % {"message": analytics_message(exc)})
        return
    for warning in result.warnings:
        if getattr(warning, "code", "") != "few_dmus":  # the efficiency analysis has said so for this period
            _note(period, _("Productivity change (Malmquist): %(message)s") % {"message": analytics_message(warning)})
    by_org = {e.org_id: e for e in now}
    for row in result.rows:
        e = by_org[int(row.id)]
        e.malmquist = _finite(row.malmquist)
        e.efficiency_change = _finite(row.efficiency_change)
        e.technical_change = _finite(row.technical_change)


def _finite(v: float) -> float | None:
    return round(float(v), 4) if np.isfinite(v) else None


def _compute_alerts(period, as_of, paths, log) -> dict[int, int]:
    """Store the warnings; return {org id: number of serious warnings}."""
    t = time.perf_counter()
    found = rules.evaluate(period_start=period.start, as_of=as_of, config=WarningConfig.current())
    kept = {(a.org_id, a.rule): a for a in period.alerts.all()}
    from django.db import connection

    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    new, serious = [], defaultdict(int)
    for code, by_org in found.items():
        for oid, f in by_org.items():
            if oid not in paths:
                continue
            serious[oid] += f.severity == "bad"
            old = kept.get((oid, code))
            if old is not None:
                old.severity, old.count, old.detail, old.cleared = f.severity, f.count, f.detail[:300], False
                old.save(update_fields=["severity", "count", "detail", "cleared", "updated_at"])
            else:
                new.append((period.pk, oid, code, f.severity, f.count, f.detail[:300], False, stamp, stamp))
    _fast_insert(Alert, ["period", "org", "rule", "severity", "count", "detail", "cleared", "created_at", "updated_at"], new)
    log(f"  warnings: {sum(len(v) for v in found.values())} in {time.perf_counter() - t:.1f}s")
    return serious


def _compute_grades(period, orgs, serious, log) -> None:
    t = time.perf_counter()
    scheme = period.scheme or GradingScheme.objects.filter(is_default=True).first()
    if scheme is None:
        return
    overall = dict(period.scores.filter(dimension=OVERALL).values_list("org_id", "score"))
    prev = Period.objects.filter(kind=period.kind, start=previous_start(period.kind, period.start)).first()
    previous = dict(prev.grades.values_list("org_id", "grade")) if prev else {}
    kind_of = {oid: k for oid, _p, k in orgs}
    groups: dict[str, dict[int, float]] = defaultdict(dict)
    for oid, s in overall.items():
        # Party groups are part of their branch: the branch is graded, not the group.
        if kind_of.get(oid) != OrgKind.GROUP:
            groups[kind_of.get(oid, "")][oid] = s
    rule = grading.WeakRule(scheme.weak_score_below, scheme.weak_bad_warnings, scheme.weak_lowest_twice)
    # Weak and lax is the committee's decision (core.references.ARTICLES["weak.decision"]); the automatic
    # signals are kept as candidates for it.
    from dangjian.evaluation.models import WeakDecision
    from dangjian.evaluation.weaklax_services import weak_flags

    decided = defaultdict(list)
    for d in WeakDecision.objects.filter(decided_on__lte=period.end).select_related("plan"):
        decided[d.org_id].append(d)
    weak = weak_flags(decided, period.start, period.end)
    rows = []
    for scores in groups.values():
        for oid, (code, demoted) in grading.assign(scores, scheme.thresholds, scheme.caps or {},
                                                   scheme.cap_rounding).items():
            before = previous.get(oid, "")
            reasons = grading.weak_reasons(score=scores[oid], bad_warnings=serious.get(oid, 0), grade=code,
                                           previous=before, thresholds=scheme.thresholds, rule=rule)
            rows.append(Grade(period=period, org_id=oid, grade=code, score=scores[oid], demoted_by_quota=demoted,
                              previous=before, movement=grading.movement(code, before, scheme.thresholds),
                              weak_lax=oid in weak, weak_reasons=weak.get(oid, []), weak_candidate=reasons))
    for chunk in _batched(rows):
        Grade.objects.bulk_create(chunk)
    log(f"  grades: {len(rows)} in {time.perf_counter() - t:.1f}s")


# ------------------------------------------------------------ catalogue


@transaction.atomic
def indicator_add(*, by, code: str, name: str, dimension: str, metric_code: str, direction: str, unit: str,
                  explanation: str) -> Indicator:
    _deny_unless(can_administer(by))
    code, name, explanation = code.strip(), name.strip(), explanation.strip()
    if metric_code not in {m.code for m in registry.all_metrics()}:
        raise ValidationError({"metric_code": _("Choose a registered measure")})
    if Indicator.objects.filter(code=code).exists():
        raise ValidationError({"code": _("This indicator code already exists")})
    if not explanation:
        raise ValidationError({"explanation": _("Explain this indicator in plain words")})
    ind = Indicator.objects.create(code=code, name=name, dimension=dimension, metric_code=metric_code,
                                   direction=direction, unit=unit, explanation=explanation,
                                   order=(Indicator.objects.order_by("-order").values_list("order", flat=True).first() or 0) + 10)
    audit_record(actor=by, action=Action.CREATE, target=ind,
                 changes=diff(None, {"code": code, "name": name, "dimension": dimension, "metric_code": metric_code}))
    return ind


@transaction.atomic
def indicator_retire(*, by, indicator: Indicator, today: dt.date | None = None) -> Indicator:
    """Retired indicators leave later computations; past periods keep their values."""
    _deny_unless(can_administer(by))
    if not indicator.is_active:
        raise ValidationError({"indicator": _("This indicator is already retired")})
    indicator.is_active = False
    indicator.retired_on = today or timezone.localdate()
    indicator.save(update_fields=["is_active", "retired_on", "updated_at"])
    audit_record(actor=by, action=Action.UPDATE, target=indicator, changes=diff({"is_active": True}, {"is_active": False}))
    return indicator


@transaction.atomic
def indicator_restore(*, by, indicator: Indicator) -> Indicator:
    _deny_unless(can_administer(by))
    indicator.is_active, indicator.retired_on = True, None
    indicator.save(update_fields=["is_active", "retired_on", "updated_at"])
    audit_record(actor=by, action=Action.UPDATE, target=indicator, changes=diff({"is_active": False}, {"is_active": True}))
    return indicator


def check_thresholds(thresholds: list, caps: dict) -> None:
    """Thresholds strictly descending within 0..100 and ending at 0; caps shares in (0, 1] of known grades."""
    try:
        lows = [float(low) for low, _code in thresholds]
    except (TypeError, ValueError) as exc:
        raise ValidationError({"thresholds": _("Thresholds must be numbers")}) from exc
    if any(b >= a for a, b in itertools.pairwise(lows)) or not lows or lows[-1] != 0 or lows[0] > 100:
        raise ValidationError({"thresholds": _("Thresholds run from high to low between 0 and 100, and the lowest grade starts at 0")})
    codes = {code for _low, code in thresholds}
    for code, share in (caps or {}).items():
        if code not in codes or not 0 < float(share) <= 1:
            raise ValidationError({"caps": _("Quota shares must be between 0 and 1 and belong to an existing grade")})


@transaction.atomic
def scheme_update(*, by, scheme: GradingScheme, data: dict) -> GradingScheme:
    _deny_unless(can_administer(by))
    check_thresholds(data["thresholds"], data.get("caps") or {})
    if "cap_rounding" in data and data["cap_rounding"] not in grading.CAP_ROUNDINGS:
        raise ValidationError({"cap_rounding": _("Choose how a quota is rounded")})
    fields = ("name", "mode", "thresholds", "caps", "cap_rounding", "weak_score_below", "weak_bad_warnings",
              "weak_lowest_twice")
    before = {f: getattr(scheme, f) for f in fields}
    for f in fields:
        if f in data:
            setattr(scheme, f, data[f])
    scheme.save()
    audit_record(actor=by, action=Action.UPDATE, target=scheme, changes=diff(before, {f: getattr(scheme, f) for f in fields}))
    return scheme


# ----------------------------------------------------------- rectification


def _superior_may_accept(user, org: Org) -> bool:
    """Acceptance is the superior's: ASSESS over the org's parent (or over a root org itself)."""
    from dangjian.accounts.roles import ASSESS

    parent = Org.objects.get_parent(org)
    return org_in_scope(user, ASSESS, parent or org)


@transaction.atomic
def rectification_create(*, by, alert: Alert | None, org: Org, title: str, requirement: str, deadline: dt.date,
                         owner=None, today: dt.date | None = None) -> Rectification:
    """The superior turns a warning (or its own finding) into a task with a deadline."""
    _deny_unless(_superior_may_accept(by, org))
    today = today or timezone.localdate()
    if alert is not None and alert.org_id != org.pk:
        raise ValidationError({"alert": _("The warning and the rectification are about different organisations")})
    if deadline < today:
        raise ValidationError({"deadline": _("The rectification deadline cannot be earlier than today")})
    if not title.strip() or not requirement.strip():
        raise ValidationError({"requirement": _("Give the rectification a title and requirements")})
    if alert is not None and alert.rectifications.exclude(state=RectState.ACCEPTED).exists():
        raise ValidationError({"alert": _("This warning already has an unfinished rectification task")})
    rect = Rectification.objects.create(alert=alert, org=org, title=title.strip(), requirement=requirement.strip(),
                                        deadline=deadline, owner=owner, created_by=by)
    audit_record(actor=by, action=Action.CREATE, target=rect, org=org,
                 changes=diff(None, {"title": rect.title, "deadline": deadline, "owner": owner, "alert": alert}))
    return rect


def _transition(rect: Rectification, by, to: str, **fields) -> Rectification:
    before = {"state": rect.state, **{k: getattr(rect, k) for k in fields}}
    rect.state = to
    for k, v in fields.items():
        setattr(rect, k, v)
    rect.save()
    audit_record(actor=by, action=Action.TRANSITION, target=rect, org=rect.org,
                 changes=diff(before, {"state": to, **fields}))
    return rect


@transaction.atomic
def rectification_submit(*, by, rect: Rectification, evidence: str, today: dt.date | None = None) -> Rectification:
    """The org reports what it did, with evidence (e.g. the meeting held, the appeals closed)."""
    from dangjian.accounts.roles import EDIT_WORK

    rect = Rectification.objects.select_for_update().get(pk=rect.pk)
    _deny_unless(org_in_scope(by, EDIT_WORK, rect.org))
    if rect.state not in (RectState.OPEN, RectState.RETURNED):
        raise ValidationError({"evidence": _("Only a rectification in progress or returned can be submitted")})
    if len(evidence.strip()) < 10:
        raise ValidationError({"evidence": _("Describe what was rectified and the evidence (at least 10 characters)")})
    return _transition(rect, by, RectState.SUBMITTED, evidence=evidence.strip(),
                       submitted_on=today or timezone.localdate())


@transaction.atomic
def rectification_review(*, by, rect: Rectification, accept: bool, comment: str = "",
                         today: dt.date | None = None) -> Rectification:
    """The superior accepts the rectification, or returns it with a comment."""
    rect = Rectification.objects.select_for_update().select_related("org").get(pk=rect.pk)
    _deny_unless(_superior_may_accept(by, rect.org))
    if rect.state != RectState.SUBMITTED:
        raise ValidationError({"comment": _("Only a submitted rectification can be accepted")})
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("When returning it, say what still needs doing")})
    if accept:
        return _transition(rect, by, RectState.ACCEPTED, accepted_on=today or timezone.localdate(), accepted_by=by,
                           review_comment=comment.strip())
    return _transition(rect, by, RectState.RETURNED, review_comment=comment.strip())

"""Writes for assessment: scheme set-up, self-report, scoring, grading, score appeals."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from dangjian.accounts import roles
from dangjian.assessment import scoring
from dangjian.assessment.models import (
    DEFAULT_THRESHOLDS,
    DEFAULT_WEIGHTS,
    Assessment,
    Component,
    ComponentKind,
    Deduction,
    ItemScore,
    Scheme,
    SchemeItem,
    SchemeState,
    ScoreAppeal,
    State,
)
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core.http import require_in_scope, require_superior
from dangjian.core.text import join_items, join_messages
from dangjian.core.uploads import check_evidence
from dangjian.duty.models import DutyList
from dangjian.duty.selectors import list_scores
from dangjian.orgs.models import Org
from dangjian.surveys.models import Round, Subject
from dangjian.surveys.selectors import round_score


def _frozen(scheme: Scheme) -> None:
    # Read from the table: a stale object in hand must not let an edit through.
    if Scheme.objects.filter(pk=scheme.pk).values_list("state", flat=True).first() != SchemeState.DRAFT:
        raise ValidationError({"__all__": _("Scoring of this assessment scheme has started: it can no longer be changed")})


@transaction.atomic
def scheme_create(*, by, org: Org, title: str, year: int, starts_on: dt.date, ends_on: dt.date, org_kind: str,
                  weights: dict[str, int] | None = None, thresholds: list[int] | None = None,
                  five_star_cap: int = 30) -> Scheme:
    require_in_scope(by, roles.ASSESS, org)
    weights = dict(weights or DEFAULT_WEIGHTS)
    thresholds = list(thresholds or DEFAULT_THRESHOLDS)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Enter the scheme's title")
    if ends_on < starts_on:
        errors["ends_on"] = _("The assessment period cannot end before it starts")
    if not 0 <= five_star_cap <= 100:
        errors["five_star_cap"] = _("The five-star cap must be between 0 and 100")
    if errors:
        raise ValidationError(errors)
    scoring.check_weights(weights)
    scoring.check_thresholds(thresholds)
    scheme = Scheme.objects.create(org=org, title=title.strip(), year=year, starts_on=starts_on, ends_on=ends_on,
                                   org_kind=org_kind, thresholds=thresholds, five_star_cap=five_star_cap)
    Component.objects.bulk_create(Component(scheme=scheme, kind=k, weight=weights.get(k, 0)) for k in ComponentKind.values)
    audit_record(actor=by, action=Action.CREATE, target=scheme, org=org, changes=diff(None, {
        "title": scheme.title, "year": year, "org_kind": org_kind, "weights": weights, "thresholds": thresholds,
        "five_star_cap": five_star_cap}))
    return scheme


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def scheme_copy(*, by, source: Scheme, year: int) -> Scheme:
    """A new draft scheme for `year` from an earlier one: weights, grades, cap and every item carried over.

    The period moves by the years between; a title naming the source's year names the new one.
    Nothing of the source's assessments is copied.
    """
    require_in_scope(by, roles.ASSESS, source.org)
    if year <= source.year:
        raise ValidationError({"year": _("A scheme is copied into a later year")})
    if Scheme.objects.filter(org=source.org, org_kind=source.org_kind, year=year).exists():
        raise ValidationError({"year": _("This organisation already has a scheme for %(year)s for these organisations")
                               % {"year": year}})
    shift = year - source.year
    title = source.title.replace(str(source.year), str(year))
    if title == source.title:
        title = f"{year} {source.title}"
    scheme = scheme_create(by=by, org=source.org, title=title, year=year,
                           starts_on=_shift_year(source.starts_on, shift), ends_on=_shift_year(source.ends_on, shift),
                           org_kind=source.org_kind, weights=weights_of(source), thresholds=list(source.thresholds),
                           five_star_cap=source.five_star_cap)
    for item in source.items.order_by("id"):
        scheme_item_add(by=by, scheme=scheme, title=item.title, max_points=item.max_points, guidance=item.guidance)
    return scheme


def weights_of(scheme: Scheme) -> dict[str, int]:
    return {c.kind: c.weight for c in scheme.components.all()}


@transaction.atomic
def scheme_configure(*, by, scheme: Scheme, weights: dict[str, int], thresholds: list[int], five_star_cap: int) -> Scheme:
    require_in_scope(by, roles.ASSESS, scheme.org)
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    _frozen(scheme)
    scoring.check_weights(weights)
    scoring.check_thresholds(thresholds)
    if not 0 <= five_star_cap <= 100:
        raise ValidationError({"five_star_cap": _("The five-star cap must be between 0 and 100")})
    before = {"weights": weights_of(scheme), "thresholds": scheme.thresholds, "five_star_cap": scheme.five_star_cap}
    for c in scheme.components.all():
        c.weight = weights.get(c.kind, 0)
        c.save(update_fields=["weight"])
    scheme.thresholds, scheme.five_star_cap = list(thresholds), five_star_cap
    scheme.save(update_fields=["thresholds", "five_star_cap", "updated_at"])
    audit_record(actor=by, action=Action.UPDATE, target=scheme, org=scheme.org, changes=diff(before, {
        "weights": weights_of(scheme), "thresholds": scheme.thresholds, "five_star_cap": five_star_cap}))
    return scheme


@transaction.atomic
def scheme_item_add(*, by, scheme: Scheme, title: str, max_points: int, guidance: str = "") -> SchemeItem:
    require_in_scope(by, roles.ASSESS, scheme.org)
    _frozen(scheme)
    if not (title or "").strip():
        raise ValidationError({"title": _("Enter the assessment item")})
    if not max_points or max_points <= 0:
        raise ValidationError({"max_points": _("The points must be more than 0")})
    item = SchemeItem.objects.create(scheme=scheme, title=title.strip(), max_points=max_points, guidance=guidance.strip())
    audit_record(actor=by, action=Action.CREATE, target=item, org=scheme.org, target_repr=f"{scheme} · {item.title}",
                 changes=diff(None, {"title": item.title, "max_points": max_points}))
    return item


def _link_sources(a: Assessment, scheme: Scheme) -> None:
    """The org's responsibility list of the year and its evaluation rounds closed within the period.

    Linked when scoring starts and again when the score is computed, so a round
    that closes after the start still counts.
    """
    if a.duty_list_id is None:
        a.duty_list = DutyList.objects.filter(org=a.org, year=scheme.year).order_by("id").first()
        if a.duty_list is not None:
            a.save(update_fields=["duty_list"])
    a.rounds.set(Round.objects.filter(org=a.org, subject__in=(Subject.ORG, Subject.SECRETARY),
                                      closes_at__date__gte=scheme.starts_on, closes_at__date__lte=scheme.ends_on))


@transaction.atomic
def scheme_start(*, by, scheme: Scheme) -> int:
    """Freeze the scheme and open one assessment per organisation of its kind below the superior."""
    require_in_scope(by, roles.ASSESS, scheme.org)
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    _frozen(scheme)
    weights = weights_of(scheme)
    scoring.check_weights(weights)
    if weights.get(ComponentKind.SUPERIOR) and not scheme.items.exists():
        raise ValidationError({"__all__": _("Set up the superior assessment items first")})
    orgs = list(Org.objects.filter(path__subtree=scheme.org.path, kind=scheme.org_kind).exclude(pk=scheme.org_id))
    if not orgs:
        raise ValidationError({"__all__": _("There is no organisation of this kind below")})
    created = Assessment.objects.bulk_create(Assessment(scheme=scheme, org=o) for o in orgs)
    for a in Assessment.objects.filter(scheme=scheme).select_related("org"):
        _link_sources(a, scheme)
    scheme.state = SchemeState.SCORING
    scheme.save(update_fields=["state", "updated_at"])
    audit_record(actor=by, action=Action.TRANSITION, target=scheme, org=scheme.org,
                 changes={"state": [SchemeState.DRAFT, SchemeState.SCORING], "assessments": [None, len(created)]})
    return len(created)


def _transition(by, a: Assessment, to: str, **extra) -> None:
    before = a.state
    a.state = to
    a.save()
    audit_record(actor=by, action=Action.TRANSITION, target=a, org=a.org, changes={"state": [before, to], **extra})


@transaction.atomic
def assessment_submit(*, by, assessment: Assessment, self_report: str, evidence=None) -> Assessment:
    require_in_scope(by, roles.EDIT_WORK, assessment.org)
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if a.state not in (State.PENDING, State.SUBMITTED) or a.scores.exists():
        raise ValidationError({"self_report": _("The superior has started scoring: the self-report can no longer be changed")})
    if not (self_report or "").strip():
        raise ValidationError({"self_report": _("Write the self-report")})
    check_evidence(evidence, field="evidence")
    a.self_report = self_report.strip()
    if evidence:
        a.evidence = evidence
    a.submitted_on = timezone.localdate()
    _transition(by, a, State.SUBMITTED, self_report=[None, "…"])
    return a


def _scorable(a: Assessment) -> None:
    state = Assessment.objects.filter(pk=a.pk).values_list("state", flat=True).get()
    if state == State.PENDING:
        raise ValidationError({"__all__": _("This organisation has not submitted its self-report yet: it cannot be scored")})
    if state == State.PUBLISHED:
        raise ValidationError({"__all__": _("The results are published: scores can no longer be changed")})


@transaction.atomic
def assessment_score_item(*, by, assessment: Assessment, item: SchemeItem, score: Decimal, reason: str) -> ItemScore:
    require_superior(by, assessment.org, view=roles.VIEW_WORK, assess=roles.ASSESS)
    _scorable(assessment)
    if item.scheme_id != assessment.scheme_id:
        raise ValidationError({"item": _("The item does not belong to this scheme")})
    if score is None or not 0 <= score <= item.max_points:
        raise ValidationError({"score": _("The score must be between 0 and %(max)s") % {"max": item.max_points}})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the score")})
    old = ItemScore.objects.filter(assessment=assessment, item=item).first()
    before = {"score": str(old.score), "reason": old.reason} if old else None
    row, _created = ItemScore.objects.update_or_create(assessment=assessment, item=item,
                                                defaults={"score": score, "reason": reason.strip(), "by": by})
    audit_record(actor=by, action=Action.UPDATE if old else Action.CREATE, target=row, org=assessment.org,
                 target_repr=f"{assessment} · {item.title}", changes=diff(before, {"score": str(score), "reason": row.reason}))
    return row


@transaction.atomic
def assessment_score_items(*, by, assessment: Assessment, scores: list[tuple[SchemeItem, Decimal | None, str]]) -> int:
    """Score several items at once, all or none: every row is checked before any is saved.

    `scores` holds (item, score, reason) for the rows the scorer filled in; a
    row with neither is left out by the caller. Refusals name the row
    (`item_<id>`), so the page shows each next to its item. Returns how many
    scores changed (an unchanged row is not written or audited again).
    """
    require_superior(by, assessment.org, view=roles.VIEW_WORK, assess=roles.ASSESS)
    _scorable(assessment)
    errors: dict[str, str] = {}
    for item, score, reason in scores:
        key = f"item_{item.pk}"
        if item.scheme_id != assessment.scheme_id:
            errors[key] = _("The item does not belong to this scheme")
        elif score is None or not 0 <= score <= item.max_points:
            errors[key] = _("The score must be between 0 and %(max)s") % {"max": item.max_points}
        elif not (reason or "").strip():
            errors[key] = _("Give the reason for the score")
    if errors:
        raise ValidationError(errors)
    saved = {s.item_id: (s.score, s.reason) for s in ItemScore.objects.filter(assessment=assessment)}
    changed = 0
    for item, score, reason in scores:
        if saved.get(item.pk) == (score, reason.strip()):
            continue
        assessment_score_item(by=by, assessment=assessment, item=item, score=score, reason=reason)
        changed += 1
    return changed


@transaction.atomic
def assessment_deduct(*, by, assessment: Assessment, points: Decimal, reason: str) -> Deduction:
    require_superior(by, assessment.org, view=roles.VIEW_WORK, assess=roles.ASSESS)
    _scorable(assessment)
    if points is None or points <= 0:
        raise ValidationError({"points": _("A deduction must be more than 0")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the deduction")})
    d = Deduction.objects.create(assessment=assessment, points=points, reason=reason.strip(), by=by)
    audit_record(actor=by, action=Action.CREATE, target=d, org=assessment.org, target_repr=f"{assessment} · {pgettext('assessment', 'Deduction')}",
                 changes=diff(None, {"points": str(points), "reason": d.reason}))
    return d


def compute_breakdown(a: Assessment, *, today: dt.date | None = None) -> dict:
    """Every point traced to an item with its reason, a deduction, a duty item or an evaluation round."""
    weights = weights_of(a.scheme)
    components, missing = [], []
    items = list(a.scheme.items.all())
    scores = {s.item_id: s for s in a.scores.all()}
    if weights.get(ComponentKind.SUPERIOR):
        if any(i.pk not in scores for i in items):
            missing.append(_("Not every superior assessment item is scored yet"))
        else:
            deductions = list(a.deductions.all())
            lines = [{"label": i.title, "points": float(scores[i.pk].score), "max": i.max_points,
                      "source": scores[i.pk].reason} for i in items]
            lines += [{"label": pgettext("assessment", "Deduction"), "points": -float(d.points), "max": None, "source": d.reason} for d in deductions]
            score = scoring.superior_score([float(scores[i.pk].score) for i in items],
                                           [float(d.points) for d in deductions], [i.max_points for i in items])
            components.append({"kind": ComponentKind.SUPERIOR, "score": score, "lines": lines})
    if weights.get(ComponentKind.DUTY):
        if a.duty_list is None:
            missing.append(_("There is no responsibility list for this year"))
        else:
            item_scores, total = list_scores(a.duty_list, today=today)
            if total is None:
                missing.append(_("Some items of the responsibility list are not rated yet"))
            else:
                components.append({"kind": ComponentKind.DUTY, "score": total, "lines": [
                    {"label": s.item.title, "points": s.score, "max": s.item.points, "source": s.source} for s in item_scores]})
    if weights.get(ComponentKind.DEMOCRATIC):
        lines = []
        for r in a.rounds.all():
            rs = round_score(r)
            if rs is not None:
                answers = r.responses.count()
                lines.append({"label": r.title, "points": rs, "max": 100,
                              "source": ngettext("%(n)d valid answer, mean rating × 20",
                                                 "%(n)d valid answers, mean rating × 20", answers) % {"n": answers}})
        if not lines:
            missing.append(_("No democratic evaluation has reached the number of answers needed to publish"))
        else:
            components.append({"kind": ComponentKind.DEMOCRATIC,
                               "score": round(sum(line["points"] for line in lines) / len(lines), 2), "lines": lines})
    if missing:
        raise ValidationError({"__all__": join_messages(missing)})
    for c in components:
        c["weight"] = weights[c["kind"]]
        c["weighted"] = round(c["weight"] * c["score"] / 100, 2)
    final = scoring.final_score({c["kind"]: (c["weight"], c["score"]) for c in components})
    return {"components": components, "final": final}


@transaction.atomic
def assessment_compute(*, by, assessment: Assessment) -> Assessment:
    require_superior(by, assessment.org, view=roles.VIEW_WORK, assess=roles.ASSESS)
    a = Assessment.objects.select_for_update().select_related("scheme", "org").get(pk=assessment.pk)
    _scorable(a)
    _link_sources(a, a.scheme)
    breakdown = compute_breakdown(a)
    a.breakdown, a.final_score = breakdown, Decimal(str(breakdown["final"]))
    _transition(by, a, State.SCORED, final_score=[None, breakdown["final"]])
    return a


@transaction.atomic
def scheme_publish(*, by, scheme: Scheme) -> Scheme:
    require_in_scope(by, roles.ASSESS, scheme.org)
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.state != SchemeState.SCORING:
        raise ValidationError({"__all__": _("Results can only be published for a scheme being scored")})
    assessments = list(scheme.assessments.select_related("org"))
    waiting = [a.org.name for a in assessments if a.state != State.SCORED]
    if waiting:
        raise ValidationError({"__all__": _("These organisations are not fully scored yet: %(orgs)s")
                               % {"orgs": join_items(waiting[:10])}})
    stars = scoring.grade_all({a.pk: float(a.final_score) for a in assessments}, scheme.thresholds, scheme.five_star_cap)
    for a in assessments:
        a.stars = stars[a.pk]
        a.state = State.PUBLISHED
        a.save(update_fields=["stars", "state", "updated_at"])
    scheme.state = SchemeState.PUBLISHED
    scheme.save(update_fields=["state", "updated_at"])
    audit_record(actor=by, action=Action.TRANSITION, target=scheme, org=scheme.org,
                 changes={"state": [SchemeState.SCORING, SchemeState.PUBLISHED]})
    return scheme


@transaction.atomic
def appeal_file(*, by, assessment: Assessment, text: str) -> ScoreAppeal:
    require_in_scope(by, roles.EDIT_WORK, assessment.org)
    if assessment.state != State.PUBLISHED:
        raise ValidationError({"text": _("An appeal can only be filed once the results are published")})
    if not (text or "").strip():
        raise ValidationError({"text": _("Give the reason for the appeal")})
    ap = ScoreAppeal.objects.create(assessment=assessment, text=text.strip(), filed_by=by)
    audit_record(actor=by, action=Action.CREATE, target=ap, org=assessment.org, changes=diff(None, {"text": ap.text}))
    return ap


@transaction.atomic
def appeal_answer(*, by, appeal: ScoreAppeal, answer: str) -> ScoreAppeal:
    require_superior(by, appeal.assessment.org, view=roles.VIEW_WORK, assess=roles.ASSESS)
    appeal = ScoreAppeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != ScoreAppeal.Status.OPEN:
        raise ValidationError({"answer": _("This appeal is already answered")})
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write the answer")})
    appeal.answer, appeal.answered_by, appeal.status = answer.strip(), by, ScoreAppeal.Status.ANSWERED
    appeal.save()
    audit_record(actor=by, action=Action.TRANSITION, target=appeal, org=appeal.assessment.org,
                 changes={"status": ["open", "answered"], "answer": [None, appeal.answer]})
    return appeal

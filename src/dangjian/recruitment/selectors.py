"""Recruitment reads: scoped cases, each case's deadlines and violations, the to-do items."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dangjian.accounts import roles
from dangjian.core.scoping import scoped
from dangjian.core.text import join_items
from dangjian.orgs.models import Org
from dangjian.recruitment import rules
from dangjian.recruitment.models import (
    ActivistReview,
    Applicant,
    Mentor,
    Stage,
    Step,
    StepCorrection,
)
from dangjian.recruitment.services import correctable_fields, recruit_rules
from dangjian.recruitment.steps import BY_CODE, StepDef

OPEN_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY)


def applicants_for(user, *, capability: str = roles.VIEW_WORK, org: Org | None = None, stage: str = "") -> QuerySet:
    qs = scoped(Applicant.objects.select_related("org", "member"), user, capability)
    if org is not None:
        qs = qs.filter(org__path__subtree=org.path)
    if stage:
        qs = qs.filter(stage=stage)
    return qs.prefetch_related(Prefetch("steps", queryset=Step.objects.order_by("on", "id")),
                               Prefetch("reviews", queryset=ActivistReview.objects.select_related("mentor")),
                               Prefetch("mentors", queryset=Mentor.objects.select_related("member")))


def recorded(applicant: Applicant) -> dict[str, rules.Recorded]:
    return {s.code: rules.Recorded(on=s.on, passed=s.passed) for s in applicant.steps.all()}


def review_due(applicant: Applicant) -> dt.date | None:
    """The activist's next half-yearly review (core.references.ARTICLES["recruit.activist"])."""
    reviews = [r.on for r in applicant.reviews.all()]
    return rules.review_due(recorded=recorded(applicant), last_review=max(reviews) if reviews else None)


@dataclass(frozen=True)
class Alert:
    applicant: Applicant
    title: str
    due: dt.date | None
    severity: str  # info | warn | bad


def _titled(applicant: Applicant, title: str) -> str:
    return pgettext("recruitment alert", "%(name)s: %(title)s") % {"name": applicant.name, "title": title}


def alerts_for(applicant: Applicant, *, config, today: dt.date) -> list[Alert]:
    """Deadlines coming up (warn), passed (bad), reached (info for milestones), and time limits missed."""
    if applicant.stage not in OPEN_STAGES:
        return []
    out = []
    for d in rules.open_deadlines(applied_on=applicant.applied_on, recorded=recorded(applicant), config=config,
                                  extension_months=applicant.extension_months):
        days = (d.due - today).days
        if d.step == "candidate":  # a minimum duration: reaching it is an opportunity, not a breach
            if days <= 0:
                out.append(Alert(applicant, _titled(applicant, d.title), d.due, "info"))
        elif days < 0:
            out.append(Alert(applicant, _titled(applicant, pgettext("recruitment alert", "%(deadline)s overdue") % {"deadline": d.title}), d.due, "bad"))
        elif days <= config.remind_days:
            out.append(Alert(applicant, _titled(applicant, d.title), d.due, "warn"))
    due = review_due(applicant)
    if due is not None:
        days = (due - today).days
        if days < 0:
            out.append(Alert(applicant, _titled(applicant, _("half-yearly activist review overdue")), due, "bad"))
        elif days <= config.remind_days:
            out.append(Alert(applicant, _titled(applicant, _("half-yearly activist review due")), due, "warn"))
    for step in applicant.steps.all():
        if step.late:
            out.append(Alert(applicant, _titled(applicant, step.late), step.on, "warn"))
    return out


def recruitment_alerts(user, *, today: dt.date | None = None) -> list[Alert]:
    today = today or timezone.localdate()
    config = recruit_rules()
    out = []
    for applicant in applicants_for(user, capability=roles.EDIT_WORK).filter(stage__in=OPEN_STAGES):
        out.extend(alerts_for(applicant, config=config, today=today))
    return out


@dataclass(frozen=True)
class CorrectionRow:
    """One earlier version of a step, ready to show: (label, before, after) for each value."""

    correction: StepCorrection
    step: StepDef
    changes: list[tuple[str, str, str]]


def _shown(field: str, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if field == "passed":
        return _("passed") if value else _("not passed")
    if isinstance(value, list):
        return join_items(value)
    return str(value)


def _label(field: str) -> str:
    return str(Step._meta.get_field(field).verbose_name)


def correction_rows(applicant: Applicant, code: str | None = None) -> list[CorrectionRow]:
    """The case's corrections and withdrawals, newest first (one step's when `code` is given).

    A correction shows what changed; a withdrawal, what the step held.
    """
    corrections = applicant.corrections.select_related("by")
    if code:
        corrections = corrections.filter(code=code)
    rows = []
    for c in corrections:
        if c.kind == StepCorrection.Kind.WITHDRAW:
            changes = [(_label(f), _shown(f, c.before[f]), "") for f in correctable_fields(BY_CODE[c.code])
                       if c.before.get(f) not in (None, "", [])]
        else:
            changes = [(_label(f), _shown(f, old), _shown(f, c.after.get(f)))
                       for f, old in c.before.items() if old != c.after.get(f)]
        rows.append(CorrectionRow(c, BY_CODE[c.code], changes))
    return rows

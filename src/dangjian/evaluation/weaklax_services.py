"""Writes of the weak-and-lax workflow (rules in `weaklax`): the committee's decision, its plan and the plan's
transitions, the share setting. Each is atomic and audited; who may act is checked here, so the page, the API
and the demo all pass through the same door."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import ASSESS, EDIT_WORK
from dangjian.audit.models import Action
from dangjian.audit.services import audit_record, diff
from dangjian.core.scoping import org_in_scope
from dangjian.evaluation import weaklax
from dangjian.evaluation.models import (
    Grade,
    WeakDecision,
    WeakLaxRule,
    WeakNote,
    WeakPlan,
    WeakSituation,
    WeakState,
)
from dangjian.evaluation.services import _deny_unless, can_administer
from dangjian.orgs.models import Org, OrgKind


def is_committee_side(user, decision: WeakDecision) -> bool:
    """The deciding committee's people: ASSESS over the committee that decided."""
    return org_in_scope(user, ASSESS, decision.committee)


def is_org_side(user, decision: WeakDecision) -> bool:
    return org_in_scope(user, EDIT_WORK, decision.org)


def share_base(committee: Org) -> int:
    """The organisations a committee's share counts: active ones below it, Party groups left out (they are part
    of their branch)."""
    return (Org.objects.filter(path__startswith=committee.path, depth__gt=committee.depth, is_active=True)
            .exclude(kind=OrgKind.GROUP).count())


def share_used(committee: Org, year: int) -> int:
    return WeakDecision.objects.filter(year=year, org__path__startswith=committee.path).count()


def weak_rule() -> WeakLaxRule:
    """The rule as stored, or its defaults: reading it writes nothing (a refused request leaves no row behind)."""
    return WeakLaxRule.objects.filter(pk=1).first() or WeakLaxRule(pk=1)


def share_status(committee: Org, year: int) -> dict:
    rule = weak_rule()
    base = share_base(committee)
    return {"base": base, "used": share_used(committee, year), "share": rule.share_max,
            "limit": weaklax.share_limit(rule.share_max, base)}


@transaction.atomic
def weak_decide(*, by, org: Org, year: int, situations: list[str], committee: Org, decided_on: dt.date, basis: str,
                leader, deadline: dt.date, measures: str, override_reason: str = "",
                candidate_reasons: list[str] | None = None, today: dt.date | None = None) -> WeakDecision:
    """The committee names an organisation weak and lax for a year and opens its rectification plan."""
    today = today or timezone.localdate()
    _deny_unless(org_in_scope(by, ASSESS, committee))
    committee = Org.objects.select_for_update().get(pk=committee.pk)  # one decision at a time per committee
    errors = {}
    if not (org.path.startswith(committee.path) and org.depth > committee.depth):
        errors["committee"] = _("The deciding committee must be a superior of the organisation")
    if org.kind == OrgKind.GROUP:
        errors["org"] = _("A Party group is part of its branch: name the branch")
    codes = [c for c in dict.fromkeys(situations or [])]
    if not codes:
        errors["situations"] = _("Choose at least one of the organisation department's situations")
    elif any(c not in WeakSituation.values for c in codes):
        errors["situations"] = _("Unknown situation")
    if decided_on > today:
        errors["decided_on"] = _("The decision date cannot be later than today")
    elif decided_on.year not in (year - 1, year):
        errors["decided_on"] = _("A decision for %(year)d is taken at the end of the year before or during the year") % {"year": year}
    if len((basis or "").strip()) < 10:
        errors["basis"] = _("State the basis: the committee meeting and what the check found (at least 10 characters)")
    if leader is None:
        errors["leader"] = _("Name the leader in charge of the rectification")
    if deadline <= decided_on:
        errors["deadline"] = _("The rectification deadline must come after the decision")
    if not (measures or "").strip():
        errors["measures"] = _("List the rectification measures")
    if WeakDecision.objects.filter(org=org, year=year).exists():
        errors["org"] = _("%(org)s is already named weak and lax for %(year)d") % {"org": org.name, "year": year}
    if errors:
        raise ValidationError(errors)
    status = share_status(committee, year)
    over = status["used"] + 1 > status["limit"]
    if over and not (override_reason or "").strip():
        raise ValidationError({"override_reason": _(
            "%(committee)s has already named %(used)d of %(base)d organisations weak and lax for %(year)d; the share "
            "is at most %(share)s (%(limit)d). To name another all the same, give the reason for exceeding the share."
        ) % {"committee": committee.name, "used": status["used"], "base": status["base"], "year": year,
             "share": f"{status['share']:.0%}", "limit": status["limit"]}})
    decision = WeakDecision.objects.create(
        org=org, year=year, situations=codes, committee=committee, decided_on=decided_on, basis=basis.strip(),
        candidate_reasons=candidate_reasons or [], over_share=over,
        override_reason=override_reason.strip() if over else "", recorded_by=by)
    plan = WeakPlan.objects.create(decision=decision, leader=leader, deadline=deadline, measures=measures.strip())
    audit_record(actor=by, action=Action.CREATE, target=decision, org=org, changes=diff(None, {
        "year": year, "situations": codes, "committee": committee.name, "decided_on": decided_on,
        "over_share": over, "override_reason": decision.override_reason}))
    audit_record(actor=by, action=Action.CREATE, target=plan, org=org, changes=diff(None, {
        "leader": leader, "deadline": deadline, "measures": plan.measures}))
    grades_follow(decision.org)
    return decision


def _locked(plan: WeakPlan) -> WeakPlan:
    return WeakPlan.objects.select_for_update().select_related("decision__org", "decision__committee").get(pk=plan.pk)


def _move(plan: WeakPlan, by, action: str, **fields) -> WeakPlan:
    if not weaklax.allowed(action, plan.state):
        raise ValidationError({"state": str(weaklax.REFUSALS[action])})
    to = weaklax.TRANSITIONS[action][1]
    before = {"state": plan.state, **{k: getattr(plan, k) for k in fields}}
    plan.state = to
    for k, v in fields.items():
        setattr(plan, k, v)
    plan.save()
    audit_record(actor=by, action=Action.TRANSITION, target=plan, org=plan.decision.org,
                 changes=diff(before, {"state": to, **fields}))
    return plan


@transaction.atomic
def weak_note_add(*, by, plan: WeakPlan, text: str, on: dt.date | None = None,
                  today: dt.date | None = None) -> WeakNote:
    """A progress note, by the organisation, its superior or the leader in charge."""
    plan = _locked(plan)
    d = plan.decision
    _deny_unless(is_org_side(by, d) or is_committee_side(by, d) or plan.leader_id == getattr(by, "pk", None))
    today = today or timezone.localdate()
    on = on or today
    if plan.state not in weaklax.NOTE_STATES:
        raise ValidationError({"text": _("Progress is noted while the plan is being rectified")})
    if len((text or "").strip()) < 5:
        raise ValidationError({"text": _("Describe the progress (at least 5 characters)")})
    if on > today or on < d.decided_on:
        raise ValidationError({"on": _("The date lies between the decision and today")})
    note = WeakNote.objects.create(plan=plan, on=on, text=text.strip(), by=by)
    audit_record(actor=by, action=Action.CREATE, target=note, org=d.org, changes=diff(None, {"on": on, "text": note.text}))
    return note


@transaction.atomic
def weak_submit(*, by, plan: WeakPlan, summary: str, today: dt.date | None = None) -> WeakPlan:
    """The organisation reports the rectification done and asks its superior for acceptance."""
    plan = _locked(plan)
    _deny_unless(is_org_side(by, plan.decision))
    if weaklax.allowed("submit", plan.state) and len((summary or "").strip()) < 10:
        raise ValidationError({"summary": _("Report what was rectified, with evidence (at least 10 characters)")})
    return _move(plan, by, "submit", summary=(summary or "").strip(), submitted_on=today or timezone.localdate())


@transaction.atomic
def weak_review(*, by, plan: WeakPlan, passed: bool, comment: str = "", today: dt.date | None = None) -> WeakPlan:
    """验收: the superior accepts the rectification or fails it (back to rectifying, with what remains)."""
    plan = _locked(plan)
    _deny_unless(is_committee_side(by, plan.decision))
    today = today or timezone.localdate()
    comment = (comment or "").strip()
    if passed:
        return _move(plan, by, "accept", accepted_on=today, accepted_by=by, acceptance_comment=comment)
    if weaklax.allowed("fail", plan.state) and not comment:
        raise ValidationError({"comment": _("When acceptance fails, say what still needs doing")})
    plan = _move(plan, by, "fail", acceptance_comment=comment)
    WeakNote.objects.create(plan=plan, on=today, text=_("Acceptance failed: %(c)s") % {"c": comment}, by=by)
    return plan


@transaction.atomic
def weak_conclude(*, by, plan: WeakPlan, lifted: bool, comment: str = "", on: dt.date | None = None,
                  today: dt.date | None = None) -> WeakPlan:
    """转化: after acceptance the committee lifts the label (摘帽) or keeps it on the list for the next year."""
    plan = _locked(plan)
    _deny_unless(is_committee_side(by, plan.decision))
    today = today or timezone.localdate()
    on = on or today
    comment = (comment or "").strip()
    action = "lift" if lifted else "keep"
    if weaklax.allowed(action, plan.state):
        if on > today or (plan.accepted_on and on < plan.accepted_on):
            raise ValidationError({"on": _("The transformation is decided after the acceptance and no later than today")})
        if not lifted and not comment:
            raise ValidationError({"comment": _("Say why it stays on the list")})
    plan = _move(plan, by, action, concluded_on=on, concluded_by=by, conclusion=comment)
    grades_follow(plan.decision.org)
    return plan


def weak_in_period(org_id: int, start: dt.date, end: dt.date) -> WeakDecision | None:
    """The decision that makes the org weak and lax at some time in [start, end]: decided by the end, not lifted
    before the start (a label stands until it is lifted, across years)."""
    for d in WeakDecision.objects.filter(org_id=org_id, decided_on__lte=end).select_related("plan").order_by("-decided_on"):
        plan = getattr(d, "plan", None)
        lifted_on = plan.concluded_on if plan and plan.state == WeakState.LIFTED else None
        if lifted_on is None or lifted_on >= start:
            return d
    return None


def weak_flags(decisions_by_org: dict[int, list], start: dt.date, end: dt.date) -> dict[int, list[str]]:
    """{org id: situations in words} of the orgs weak and lax in [start, end], from prefetched decisions."""
    out = {}
    for oid, decisions in decisions_by_org.items():
        for d in sorted(decisions, key=lambda d: d.decided_on, reverse=True):
            plan = getattr(d, "plan", None)
            lifted_on = plan.concluded_on if plan and plan.state == WeakState.LIFTED else None
            if d.decided_on <= end and (lifted_on is None or lifted_on >= start):
                out[oid] = weaklax.situation_labels(d.situations)
                break
    return out


def grades_follow(org: Org) -> int:
    """Computed grades of the org take the committee's decisions (weak_lax and its situations); returns rows changed.

    The decision is a record of its own, not a figure of the snapshot: a period computed before the decision
    shows it from the moment it is taken, as a recompute would."""
    decisions = list(WeakDecision.objects.filter(org=org).select_related("plan"))
    changed = 0
    for g in Grade.objects.filter(org=org).select_related("period"):
        reasons = weak_flags({org.pk: decisions}, g.period.start, g.period.end).get(org.pk)
        weak = reasons is not None
        if g.weak_lax != weak or (g.weak_reasons or []) != (reasons or []):
            g.weak_lax, g.weak_reasons = weak, reasons or []
            g.save(update_fields=["weak_lax", "weak_reasons"])
            changed += 1
    return changed


@transaction.atomic
def weak_rule_update(*, by, share_max: float) -> WeakLaxRule:
    _deny_unless(can_administer(by))
    if not 0 < share_max <= 0.5:
        raise ValidationError({"share_max": _("The share lies above 0 and at most 50%")})
    rule = WeakLaxRule.current()
    before = {"share_max": rule.share_max}
    rule.share_max = share_max
    rule.save()
    audit_record(actor=by, action=Action.UPDATE, target=rule, changes=diff(before, {"share_max": share_max}))
    return rule

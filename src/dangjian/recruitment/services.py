"""Recruitment writes: open a case, record a dated step, extend probation, close a case.

Reaching probationary membership (the superior committee's approval) creates
the roster record from the case's own data; the full-membership vote turns
it into a full member. Each write is atomic and audited.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core import crypto
from dangjian.core.corrections import json_values, reason_given, user_or_none
from dangjian.core.http import require_in_scope
from dangjian.core.identifiers import require_reveal_to_change
from dangjian.core.scoping import org_in_scope
from dangjian.core.text import join_items, join_messages
from dangjian.orgs import services as org_services
from dangjian.orgs.models import Category, Member, Status
from dangjian.orgs.rules import id_number_taken, member_consistency_errors
from dangjian.recruitment import rules
from dangjian.recruitment.models import (
    ActivistReview,
    Applicant,
    Mentor,
    RecruitRules,
    Stage,
    Step,
    StepCorrection,
)
from dangjian.recruitment.steps import BY_CODE

SENSITIVE = ("id_number", "phone")
APPLICANT_FIELDS = ("org", "name", "gender", "ethnicity", "birth_date", "id_number", "phone", "education",
                    "employment", "job", "address", "applied_on")
STEP_FIELDS = ("note", "passed", "votes_eligible", "votes_present", "votes_for", "votes_against",
               "votes_abstain", "votes_written", "training_days", "training_hours")


def recruit_rules() -> RecruitRules:
    obj, _ = RecruitRules.objects.get_or_create(pk=1)
    return obj


@transaction.atomic
def recruit_rules_update(*, by, data: dict[str, Any]) -> RecruitRules:
    if not getattr(by, "is_superuser", False):
        raise Http404
    obj = RecruitRules.objects.select_for_update().get(pk=recruit_rules().pk)
    before = {f: getattr(obj, f) for f in rules.DEFAULTS}
    for key in rules.DEFAULTS:
        if key in data:
            setattr(obj, key, data[key])
    if not 0 < obj.extension_min_months <= obj.extension_max_months:
        raise ValidationError({"extension_max_months": _(
            "The longest extension of probation cannot be shorter than the shortest")})
    obj.save()
    audit_record(actor=by, action=Action.UPDATE, target=obj, target_repr=_("Recruitment time limits"),
                 changes=diff(before, {f: getattr(obj, f) for f in rules.DEFAULTS}))
    return obj


def _snapshot(applicant: Applicant) -> dict[str, Any]:
    return {f: getattr(applicant, f if f != "org" else "org_id") for f in APPLICANT_FIELDS}


def _too_young(birth_date: dt.date, min_age: int) -> str:
    return npgettext(
        "recruitment", "An applicant must be at least %(age)d year old when applying (from %(date)s)",
        "An applicant must be at least %(age)d years old when applying (from %(date)s)", min_age,
    ) % {"age": min_age, "date": f"{rules.adult_from(birth_date, min_age):%Y-%m-%d}"}


def _unknown_materials(definition, unknown) -> str:
    return _("“%(step)s” keeps no such materials: %(materials)s") % {
        "step": definition.name, "materials": join_items(sorted(unknown))}


def _check(applicant: Applicant, *, today: dt.date) -> None:
    """The typed data: ID number consistent and unique, applicant old enough on the application day."""
    config = recruit_rules()
    errors = member_consistency_errors(id_number=applicant.id_number, birth_date=applicant.birth_date,
                                       gender=applicant.gender, today=today)
    if not applicant.org.is_branch:
        errors["org"] = _("An application to join is received by a branch (or a general branch, or a Party group)")
    if applicant.applied_on > today:
        errors["applied_on"] = _("The application date cannot be later than today")
    elif applicant.birth_date and applicant.applied_on < rules.adult_from(applicant.birth_date, config.min_age):
        errors["applied_on"] = _too_young(applicant.birth_date, config.min_age)
    if not errors.get("id_number"):
        applicant.id_number = crypto.normalise(applicant.id_number)
        applicant.id_number_index = crypto.blind_index(applicant.id_number)
        if Applicant.objects.filter(id_number_index=applicant.id_number_index).exclude(pk=applicant.pk).exists():
            errors["id_number"] = _("This ID number already has a recruitment case")
        elif id_number_taken(applicant.id_number):
            errors["id_number"] = _("This ID number belongs to a Party member already: there is nobody to recruit")
    if errors:
        raise ValidationError(errors)
    applicant.phone = (applicant.phone or "").strip()


@transaction.atomic
def applicant_create(*, by, data: dict[str, Any], today: dt.date | None = None) -> Applicant:
    """Open a case from the application (step 1 is recorded with it)."""
    today = today or timezone.localdate()
    applicant = Applicant(**{k: v for k, v in data.items() if k in APPLICANT_FIELDS}, created_by=user_or_none(by))
    require_in_scope(by, roles.EDIT_WORK, applicant.org)
    _check(applicant, today=today)
    applicant.save()
    Step.objects.create(applicant=applicant, code="application", on=applicant.applied_on,
                        materials=list(BY_CODE["application"].materials), recorded_by=user_or_none(by))
    audit_record(actor=by, action=Action.CREATE, target=applicant, org=applicant.org,
                 changes=diff(None, _snapshot(applicant), sensitive=SENSITIVE))
    return applicant


EDITABLE = ("name", "gender", "ethnicity", "birth_date", "id_number", "phone", "education", "employment", "job",
            "address")


@transaction.atomic
def applicant_update(*, by, applicant: Applicant, data: dict[str, Any], today: dt.date | None = None) -> Applicant:
    """Correct the typed data; once the roster record exists it is corrected in the roster instead."""
    require_in_scope(by, roles.EDIT_WORK, applicant.org)
    applicant = Applicant.objects.select_for_update().select_related("org").get(pk=applicant.pk)
    if applicant.member_id:
        raise ValidationError({"__all__": _("The roster record has been created: correct it in the roster")})
    require_reveal_to_change(by=by, org=applicant.org, data=data, fields=SENSITIVE, capability=roles.REVEAL)
    before = _snapshot(applicant)
    for key in EDITABLE:
        if key in data:
            setattr(applicant, key, data[key])
    _check(applicant, today=today or timezone.localdate())
    applicant.save()
    audit_record(actor=by, action=Action.UPDATE, target=applicant, org=applicant.org,
                 changes=diff(before, _snapshot(applicant), sensitive=SENSITIVE))
    return applicant


def recorded_steps(applicant: Applicant) -> dict[str, rules.Recorded]:
    return {s.code: _recorded_from(s) for s in applicant.steps.all()}


def _become_probationary(*, by, applicant: Applicant, joined_on: dt.date) -> None:
    member = org_services.member_create(by=by, data={
        "org": applicant.org, "name": applicant.name, "gender": applicant.gender,
        "ethnicity": applicant.ethnicity, "birth_date": applicant.birth_date, "id_number": applicant.id_number,
        "phone": applicant.phone, "education": applicant.education, "employment": applicant.employment,
        "job": applicant.job, "address": applicant.address, "joined_on": joined_on,
        "category": Category.PROBATIONARY,
    })
    applicant.member = member


# The steps the roster record follows: created by the approval, joined on the branch vote's date,
# a full member after the full-membership vote.
MEMBER_STEPS = ("branch_vote", "approval", "full_vote")


def _retire_member(*, by, applicant: Applicant, reason: str) -> None:
    """The approval that created the roster record no longer stands: the record was entered in error.

    The roster's own rules decide (window since creation, nothing else refers
    to it); their refusal refuses the whole change.
    """
    member, applicant.member = applicant.member, None
    applicant.save(update_fields=["member", "updated_at"])
    try:
        org_services.member_mark_entered_in_error(
            by=by, member=member, reason=(_(
                "Recruitment: the superior committee's approval withdrawn or corrected: %(reason)s"
            ) % {"reason": reason})[:200])
    except ValidationError as exc:
        raise ValidationError({"__all__": _(
            "The superior committee's approval created a roster record from this (%(name)s), which cannot be marked "
            "as entered in error: %(reasons)s") % {"name": member.name, "reasons": join_messages(exc.messages)}}) from exc


def _sync_member(*, by, applicant: Applicant, recorded: dict[str, rules.Recorded], config, reason: str) -> None:
    """Bring the roster record in line with MEMBER_STEPS (full from the end of probation)."""

    def ok(code):
        return code in recorded and recorded[code].passed

    if not ok("approval"):
        if applicant.member is not None:
            _retire_member(by=by, applicant=applicant, reason=reason)
        return
    joined_on = recorded["branch_vote"].on
    if applicant.member is None:
        _become_probationary(by=by, applicant=applicant, joined_on=joined_on)
    member = applicant.member
    full = ok("full_vote")
    wanted = {
        "joined_on": joined_on, "category": Category.FULL if full else Category.PROBATIONARY,
        "full_member_on": rules.probation_end(joined_on, config, applicant.extension_months) if full else None,
    }
    if all(getattr(member, k) == v for k, v in wanted.items()):
        return
    if not org_in_scope(by, roles.EDIT_ROSTER, member.org):
        raise ValidationError({"__all__": _(
            "The roster record (%(name)s) is no longer in an organisation you manage: its own organisation corrects it"
        ) % {"name": member.name}})
    org_services.member_update(by=by, member=member, data=wanted)


@transaction.atomic
def step_record(
    *, by, applicant: Applicant, code: str, on: dt.date, materials=(), today: dt.date | None = None,
    **details: Any,
) -> Step:
    """Record one dated step; refused when out of order or too early, flagged when late."""
    require_in_scope(by, roles.EDIT_WORK, applicant.org)
    applicant = Applicant.objects.select_for_update(of=("self",)).select_related("org", "member").get(pk=applicant.pk)
    today = today or timezone.localdate()
    if code not in BY_CODE:
        raise ValidationError({"code": _("Unknown recruitment step")})
    if applicant.stage == Stage.CLOSED:
        raise ValidationError({"code": _("This recruitment case is closed")})
    definition = BY_CODE[code]
    config = recruit_rules()
    recorded = recorded_steps(applicant)
    errors, late = rules.step_check(
        definition, on=on, recorded=recorded, config=config, today=today, applied_on=applicant.applied_on,
        extension_months=applicant.extension_months,
        training_days=details.get("training_days"), training_hours=details.get("training_hours"),
    )
    # Only approvals are decided by the user; votes are decided by their count; other steps pass.
    passed = bool(details.get("passed", True)) if definition.kind == "approval" else True
    if not errors and definition.kind == "vote":
        errors = rules.vote_errors(
            eligible=details.get("votes_eligible"), present=details.get("votes_present"),
            votes_for=details.get("votes_for"), against=details.get("votes_against"),
            abstain=details.get("votes_abstain"), written=details.get("votes_written"),
        )
        if not errors:
            passed = rules.vote_passes(eligible=details["votes_eligible"], votes_for=details["votes_for"])
    unknown = set(materials) - set(definition.materials)
    if unknown:
        errors["materials"] = _unknown_materials(definition, unknown)
    if errors:
        raise ValidationError(errors)
    step = Step.objects.create(
        applicant=applicant, code=code, on=on, materials=[m for m in definition.materials if m in materials],
        late=late, recorded_by=user_or_none(by), **{k: v for k, v in details.items() if k in STEP_FIELDS and k != "passed"},
        passed=passed,
    )
    old_stage = applicant.stage
    recorded[code] = rules.Recorded(on=on, passed=passed)
    if code in MEMBER_STEPS:
        _sync_member(by=by, applicant=applicant, recorded=recorded, config=config, reason="")
    applicant.stage = rules.stage_of(recorded)
    applicant.save()
    audit_record(
        actor=by, action=Action.CREATE, target=step, org=applicant.org,
        target_repr=f"{applicant.name} {definition.number}.{definition.name}",
        changes={"on": [None, on.isoformat()], "passed": [None, passed], "late": [None, late],
                 "stage": [old_stage, applicant.stage]},
    )
    return step


EXTENSION_VOTE = ("votes_eligible", "votes_present", "votes_for", "votes_against", "votes_abstain", "votes_written")


@transaction.atomic
def probation_extend(*, by, applicant: Applicant, months: int, on: dt.date, reason: str,
                     approved_on: dt.date | None = None, today: dt.date | None = None, **vote: Any) -> Applicant:
    """Extend probation once, by extension_min..extension_max months (default 6–12).

    core.references.ARTICLES["recruit.probation"]: decided when probation ends
    (not before) by the branch meeting's vote, and approved by the superior
    committee (`approved_on`, not before the vote).
    """
    require_in_scope(by, roles.EDIT_WORK, applicant.org)
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    today = today or timezone.localdate()
    config = recruit_rules()
    recorded = recorded_steps(applicant)
    errors = {}
    if applicant.stage != Stage.PROBATIONARY:
        errors["months"] = _("Only a probationary member's probation can be extended")
    elif applicant.extension_months:
        errors["months"] = _("Probation can be extended only once")
    elif not config.extension_min_months <= months <= config.extension_max_months:
        errors["months"] = _("Probation is extended by at least %(min)s and at most %(max)s") % {
            "min": rules.months(config.extension_min_months), "max": rules.months(config.extension_max_months)}
    if on > today:
        errors["on"] = _("The date cannot be in the future.")
    elif "approval" in recorded and on < recorded["approval"].on:
        errors["on"] = _("The extension cannot be decided before the superior committee approved the probationary membership")
    elif "branch_vote" in recorded and on < (end := rules.probation_end(recorded["branch_vote"].on, config)):
        errors["on"] = _("Too early: the branch meeting decides on an extension when the probation ends (%(date)s)") % {
            "date": f"{end:%Y-%m-%d}"}
    if approved_on is None:
        errors["approved_on"] = _("Enter the date the superior committee approved the extension")
    elif approved_on > today:
        errors["approved_on"] = _("The date cannot be in the future.")
    elif approved_on < on:
        errors["approved_on"] = _("The superior approves after the branch meeting decided, not before")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the extension")
    vote = {k: vote.get(k) for k in EXTENSION_VOTE}
    vote_problems = rules.vote_errors(
        eligible=vote["votes_eligible"], present=vote["votes_present"], votes_for=vote["votes_for"],
        against=vote["votes_against"], abstain=vote["votes_abstain"], written=vote["votes_written"])
    if not vote_problems and not rules.vote_passes(eligible=vote["votes_eligible"], votes_for=vote["votes_for"]):
        vote_problems = {"votes_for": _(
            "The extension did not pass: the votes for must be more than half of the full members entitled to vote")}
    errors.update({k: v for k, v in vote_problems.items() if k not in errors})
    if errors:
        raise ValidationError(errors)
    applicant.extension_months, applicant.extension_on, applicant.extension_reason = months, on, reason.strip()
    applicant.extension_approved_on, applicant.extension_vote = approved_on, vote
    applicant.save()
    audit_record(actor=by, action=Action.UPDATE, target=applicant, org=applicant.org,
                 changes={"extension_months": [0, months], "extension_on": [None, on.isoformat()],
                          "extension_approved_on": [None, approved_on.isoformat()], "extension_vote": [None, vote]})
    return applicant


@transaction.atomic
def applicant_close(*, by, applicant: Applicant, on: dt.date, reason: str, approved_on: dt.date | None = None,
                    today: dt.date | None = None) -> Applicant:
    """End a case that will not go on (withdrawn, not admitted, moved away).

    For a probationary member this is 取消预备党员资格 (core.references.ARTICLES
    ["recruit.cancel"]): `on` is the branch meeting's decision, `approved_on` the
    superior committee's approval, recorded by the superior; the roster record
    leaves the roll on the approval.
    """
    require_in_scope(by, roles.EDIT_WORK, applicant.org)
    applicant = Applicant.objects.select_for_update(of=("self",)).select_related("org", "member").get(pk=applicant.pk)
    if applicant.stage in (Stage.FULL, Stage.CLOSED):
        raise ValidationError({"reason": _("This case has ended and cannot be closed again")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for closing the case")})
    today = today or timezone.localdate()
    if on > today:
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if applicant.stage == Stage.PROBATIONARY and applicant.member is not None:
        if approved_on is None:
            raise ValidationError({"approved_on": _(
                "Cancelling a probationary membership needs the superior committee's approval: enter its date")})
        org_services.membership_end(by=by, member=applicant.member, status=Status.PROBATION_CANCELLED,
                                    decided_on=on, approved_on=approved_on, reason=reason, today=today)
    old = applicant.stage
    applicant.stage, applicant.closed_on, applicant.closed_reason = Stage.CLOSED, on, reason.strip()
    applicant.save()
    audit_record(actor=by, action=Action.TRANSITION, target=applicant, org=applicant.org,
                 changes={"stage": [old, Stage.CLOSED], "reason": reason.strip()})
    return applicant


# --- Corrections -----------------------------------------------------------------------
# A recorded step may be corrected (date, note, materials, votes, training, an
# approval's outcome) or withdrawn when it was recorded by mistake. The order and
# durations are checked again, for the step and for the steps that read it; a
# step others rest on is withdrawn only after them. The earlier version is kept
# (StepCorrection) and every change is audited with its reason.

VOTE_FIELDS = ("votes_eligible", "votes_present", "votes_for", "votes_against", "votes_abstain", "votes_written")
TRAINING_FIELDS = ("training_days", "training_hours")


def correctable_fields(definition) -> tuple[str, ...]:
    """What a step of this kind records and can therefore be corrected."""
    extra = {"vote": VOTE_FIELDS, "training": TRAINING_FIELDS, "approval": ("passed",)}.get(definition.kind, ())
    return ("on", "note", "materials", *extra)


def _case_and_step(by, applicant: Applicant, code: str) -> tuple[Applicant, Step]:
    require_in_scope(by, roles.EDIT_WORK, applicant.org)
    applicant = Applicant.objects.select_for_update(of=("self",)).select_related("org", "member").get(pk=applicant.pk)
    if applicant.stage == Stage.CLOSED:
        raise ValidationError({"__all__": _("This recruitment case is closed and cannot be corrected")})
    if code not in BY_CODE:
        raise ValidationError({"code": _("Unknown recruitment step")})
    step = applicant.steps.filter(code=code).first()
    if step is None:
        definition = BY_CODE[code]
        raise ValidationError({"code": _("%(step)s is not recorded yet") % {"step": rules.step_named(definition)}})
    return applicant, step


def _recorded_from(step: Step) -> rules.Recorded:
    return rules.Recorded(on=step.on, passed=step.passed, training_days=step.training_days,
                          training_hours=step.training_hours)


def _repr(applicant: Applicant, code: str) -> str:
    definition = BY_CODE[code]
    return f"{applicant.name} {definition.number}.{definition.name}"


def _apply(step: Step, definition, changes: dict[str, Any]) -> tuple[dict, dict, dict[str, str]]:
    """Set the corrected values on the step: (before, after, errors of the values themselves)."""
    fields = correctable_fields(definition)
    # Null for these means "not sent"; for counts it clears the value.
    changes = {k: v for k, v in changes.items() if v is not None or k not in ("on", "note", "materials", "passed")}
    errors = {f: _("“%(step)s” does not record this") % {"step": definition.name} for f, v in changes.items()
              if f not in fields and v not in (None, "", [])}
    if errors:
        return {}, {}, errors
    before = {f: getattr(step, f) for f in fields}
    for f in fields:
        if f in changes:
            setattr(step, f, changes[f])
    step.note = (step.note or "").strip()
    unknown = set(step.materials or ()) - set(definition.materials)
    if unknown:
        errors["materials"] = _unknown_materials(definition, unknown)
    step.materials = [m for m in definition.materials if m in (step.materials or ())]
    if definition.kind == "vote":
        errors.update(rules.vote_errors(
            eligible=step.votes_eligible, present=step.votes_present, votes_for=step.votes_for,
            against=step.votes_against, abstain=step.votes_abstain, written=step.votes_written))
        if not errors:
            step.passed = rules.vote_passes(eligible=step.votes_eligible, votes_for=step.votes_for)
    else:
        step.passed = bool(step.passed) if definition.kind == "approval" else True
    return before, {f: getattr(step, f) for f in fields}, errors


@transaction.atomic
def step_correct(*, by, applicant: Applicant, code: str, reason: str, today: dt.date | None = None,
                 **changes: Any) -> Step:
    """Correct what a recorded step holds; the rules on order and durations run again."""
    applicant, step = _case_and_step(by, applicant, code)
    reason = reason_given(reason, _("Give the reason for the correction or withdrawal"))
    today = today or timezone.localdate()
    definition = BY_CODE[code]
    old_passed = step.passed
    before, after, errors = _apply(step, definition, changes)
    if not errors and not diff(before, after):
        raise ValidationError({"__all__": _("Nothing changed")})
    config = recruit_rules()
    applied_on = applicant.applied_on
    if code == "application":
        applied_on = step.on
        adult = rules.adult_from(applicant.birth_date, config.min_age)
        if step.on < adult:
            errors["on"] = _too_young(applicant.birth_date, config.min_age)
    if code == "approval" and applicant.extension_on and step.on > applicant.extension_on:
        errors["on"] = _("The approval cannot be dated after the extension was decided (%(date)s)") % {
            "date": f"{applicant.extension_on:%Y-%m-%d}"}
    recorded = recorded_steps(applicant)
    recorded[code] = _recorded_from(step)
    if not errors:
        errors, late = rules.recheck(code, recorded=recorded, config=config, today=today, applied_on=applied_on,
                                     extension_months=applicant.extension_months)
    if errors:
        raise ValidationError(errors)
    step.late = late[code]
    step.save()
    # The time limits of the steps that read this one are flagged again (the audit entry lists them).
    relabelled = {}
    for other in applicant.steps.filter(code__in=[c for c in late if c != code]):
        if other.late != late[other.code]:
            Step.objects.filter(pk=other.pk).update(late=late[other.code])
            relabelled[f"late:{other.code}"] = [other.late, late[other.code]]
    old_stage = applicant.stage
    applicant.applied_on = applied_on
    if code in MEMBER_STEPS:
        _sync_member(by=by, applicant=applicant, recorded=recorded, config=config, reason=reason)
    applicant.stage = rules.stage_of(recorded)
    applicant.save()
    if old_passed != step.passed:
        before["passed"], after["passed"] = old_passed, step.passed
    StepCorrection.objects.create(applicant=applicant, code=code, kind=StepCorrection.Kind.CORRECT,
                                  original_id=step.pk, before=json_values(before), after=json_values(after), reason=reason,
                                  by=user_or_none(by))
    audit_record(actor=by, action=Action.UPDATE, target=step, org=applicant.org, target_repr=_repr(applicant, code),
                 changes={**diff(before, after), **relabelled, "stage": [old_stage, applicant.stage],
                          "reason": [None, reason]})
    return step


STEP_COPY = ("code", "on", "note", "materials", "passed", *VOTE_FIELDS, *TRAINING_FIELDS, "late", "recorded_by_id",
             "recorded_at")


@transaction.atomic
def step_withdraw(*, by, applicant: Applicant, code: str, reason: str) -> StepCorrection:
    """Take back a step recorded by mistake; refused while later recorded steps rest on it."""
    applicant, step = _case_and_step(by, applicant, code)
    reason = reason_given(reason, _("Give the reason for the correction or withdrawal"))
    definition = BY_CODE[code]
    if code == "application":
        raise ValidationError({"__all__": _(
            "“%(step)s” starts the case and cannot be withdrawn: if the whole case was recorded by mistake, close it; "
            "if the application date is wrong, correct this step") % {"step": definition.name}})
    recorded = recorded_steps(applicant)
    later = rules.dependents(code, recorded)
    if later:
        raise ValidationError({"__all__": _(
            "After %(step)s, %(later)s are recorded and rest on it: withdraw them first (from the last one)"
        ) % {"step": rules.step_named(definition), "later": rules.names(later)}})
    copy = json_values({f: getattr(step, f) for f in STEP_COPY})
    del recorded[code]
    old_stage = applicant.stage
    if code in MEMBER_STEPS:
        _sync_member(by=by, applicant=applicant, recorded=recorded, config=recruit_rules(), reason=reason)
    applicant.stage = rules.stage_of(recorded)
    applicant.save()
    withdrawn = StepCorrection.objects.create(applicant=applicant, code=code, kind=StepCorrection.Kind.WITHDRAW,
                                              original_id=step.pk, before=copy, reason=reason, by=user_or_none(by))
    audit_record(actor=by, action=Action.DELETE, target=step, org=applicant.org, target_repr=_repr(applicant, code),
                 changes={"on": [copy["on"], None], "passed": [copy["passed"], None],
                          "stage": [old_stage, applicant.stage], "reason": [None, reason]})
    step.delete()
    return withdrawn


# --- Activists: mentors (培养联系人) and the half-yearly review ------------------------------------
# core.references.ARTICLES["recruit.activist"] (细则第三章): one or two full members appointed as each
# activist's mentors; the branch reviews the activist every half year (rules.review_due).
ACTIVIST_STAGES = (Stage.ACTIVIST, Stage.CANDIDATE)


def mentor_choices(applicant: Applicant):
    """The members who may be appointed: full members on the roll of the applicant's branch."""
    return Member.objects.filter(org__path__subtree=applicant.org.path, category=Category.FULL,
                                 status=Status.ACTIVE).order_by("name", "pk")


def _activist_since(applicant: Applicant, field: str, on: dt.date, today: dt.date) -> dict[str, str]:
    errors = {}
    recorded = recorded_steps(applicant)
    if applicant.stage not in ACTIVIST_STAGES or "activist" not in recorded:
        errors[field] = _("Only an activist (or development candidate) has mentors and half-yearly reviews")
    elif on > today:
        errors[field] = _("The date cannot be in the future.")
    elif on < recorded["activist"].on:
        errors[field] = _("The date cannot be before the applicant became an activist (%(date)s)") % {
            "date": f"{recorded['activist'].on:%Y-%m-%d}"}
    return errors


@transaction.atomic
def mentor_appoint(*, by, applicant: Applicant, member: Member, appointed_on: dt.date,
                   today: dt.date | None = None) -> Mentor:
    """Appoint a full member of the branch as the activist's mentor (at most two)."""
    require_in_scope(by, roles.EDIT_WORK, applicant.org)
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    today = today or timezone.localdate()
    errors = _activist_since(applicant, "appointed_on", appointed_on, today)
    current = applicant.mentors.filter(ended_on__isnull=True)
    if not mentor_choices(applicant).filter(pk=member.pk).exists():
        errors["member"] = _("A mentor must be a full member on the roll of the applicant's branch")
    elif current.filter(member=member).exists():
        errors["member"] = _("%(name)s is already a mentor of this activist") % {"name": member.name}
    elif current.count() >= rules.MAX_MENTORS:
        errors["member"] = _("An activist has one or two mentors, not more")
    if errors:
        raise ValidationError(errors)
    mentor = Mentor.objects.create(applicant=applicant, member=member, appointed_on=appointed_on,
                                   recorded_by=user_or_none(by))
    audit_record(actor=by, action=Action.CREATE, target=mentor, org=applicant.org,
                 target_repr=_("%(name)s: mentor %(mentor)s") % {"name": applicant.name, "mentor": member.name},
                 changes={"member": [None, member.pk], "appointed_on": [None, appointed_on.isoformat()]})
    return mentor


@transaction.atomic
def mentor_end(*, by, applicant: Applicant, mentor: Mentor, on: dt.date, reason: str,
               today: dt.date | None = None) -> Mentor:
    """A mentor stops (moved away, ill, left the branch): the row is kept with the end date and the reason, for
    the reviews they reported; the branch then appoints another (one or two current mentors, 细则第三章)."""
    require_in_scope(by, roles.EDIT_WORK, applicant.org)
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    today = today or timezone.localdate()
    errors = {}
    mentor = applicant.mentors.filter(pk=mentor.pk, ended_on__isnull=True).select_related("member").first()
    if mentor is None:
        errors["mentor"] = _("Choose one of the activist's current mentors")
    elif on > today:
        errors["on"] = _("The date cannot be in the future.")
    elif on < mentor.appointed_on:
        errors["on"] = _("The date cannot be before the mentor was appointed (%(date)s)") % {
            "date": f"{mentor.appointed_on:%Y-%m-%d}"}
    if not reason.strip():
        errors["reason"] = _("Say why the mentor is changed")
    if errors:
        raise ValidationError(errors)
    mentor.ended_on, mentor.end_reason = on, reason.strip()
    mentor.save(update_fields=["ended_on", "end_reason"])
    audit_record(actor=by, action=Action.UPDATE, target=mentor, org=applicant.org,
                 target_repr=_("%(name)s: mentor %(mentor)s") % {"name": applicant.name, "mentor": mentor.member.name},
                 changes={"ended_on": [None, on.isoformat()], "end_reason": ["", mentor.end_reason]})
    return mentor


@transaction.atomic
def activist_review_record(*, by, applicant: Applicant, on: dt.date, content: str, mentor: Member | None = None,
                           today: dt.date | None = None) -> ActivistReview:
    """Record the branch's half-yearly review of an activist, on the mentor's report."""
    require_in_scope(by, roles.EDIT_WORK, applicant.org)
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    today = today or timezone.localdate()
    errors = _activist_since(applicant, "on", on, today)
    if mentor is not None and not applicant.mentors.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on), member=mentor).exists():
        errors["mentor"] = _("The reporting mentor must be one of the activist's mentors")
    if not content.strip():
        errors["content"] = _("Write what the review found")
    if errors:
        raise ValidationError(errors)
    review = ActivistReview.objects.create(applicant=applicant, on=on, mentor=mentor, content=content.strip(),
                                           recorded_by=user_or_none(by))
    audit_record(actor=by, action=Action.CREATE, target=review, org=applicant.org,
                 target_repr=_("%(name)s: half-yearly review") % {"name": applicant.name},
                 changes={"on": [None, on.isoformat()], "mentor": [None, mentor.pk if mentor else None],
                          "content": [None, review.content]})
    return review

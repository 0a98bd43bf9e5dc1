"""Pure recruitment rules: order, minimum durations, deadlines, votes.

Conventions (stated once, tested at their edges):
- "within N months of D": on or before D shifted by N months (end-of-month clamped).
- "at least N months after D": on or after D shifted by N months (满 N 个月).
- Probation ends on the branch-vote date shifted by the probation plus any
  extension; the full-membership vote may be held from that day on, and the
  member is a full member from that day.
A step dated before a step it depends on, or before a minimum duration has
passed, is refused. A step dated after a time limit (talk within a month,
approval within three months) is recorded with the missed rule flagged.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from dangjian.core.text import join_items
from dangjian.recruitment.steps import BY_CODE, STEPS, StepDef

DEFAULTS = {
    "min_age": 18, "talk_within_months": 1, "activist_min_months": 12, "training_min_days": 3,
    "training_min_hours": 24, "approval_within_months": 3, "probation_months": 12,
    "extension_min_months": 6, "extension_max_months": 12, "remind_days": 14,
}


def shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def adult_from(birth_date: dt.date, min_age: int) -> dt.date:
    return shift_months(birth_date, 12 * min_age)


def probation_end(joined_on: dt.date, config, extension_months: int = 0) -> dt.date:
    return shift_months(joined_on, config.probation_months + extension_months)


@dataclass(frozen=True)
class Recorded:
    """What the rules need to know of a step already recorded."""

    on: dt.date
    passed: bool = True
    training_days: int | None = None
    training_hours: int | None = None


def _fmt(day: dt.date) -> str:
    return f"{day:%Y-%m-%d}"


def months(n: int) -> str:
    """"6个月": a duration in the rules' messages."""
    return npgettext("recruitment", "%(n)d month", "%(n)d months", n) % {"n": n}


def step_named(step: StepDef) -> str:
    """"第7步“确定发展对象”"."""
    return _("step %(number)s “%(name)s”") % {"number": step.number, "name": step.name}


def vote_errors(*, eligible, present, votes_for, against, abstain, written=None) -> dict[str, str]:
    """The branch meeting's tally (core.references.ARTICLES["recruit.vote"]).

    More than half of the full members entitled to vote must be present; the
    written opinions of absent full members with voting rights count in the
    tally (not in the quorum), so votes may exceed those present, never
    those present plus the written opinions.
    """
    if None in (eligible, present, votes_for):
        return {"votes_for": _("Enter how many full members are entitled to vote and present, and the votes for")}
    written = written or 0
    errors = {}
    if present > eligible:
        errors["votes_present"] = _("More members cannot be present than are entitled to attend")
    elif present * 2 <= eligible:
        errors["votes_present"] = _("No more than half of the members entitled to vote are present: the meeting cannot vote")
    elif present + written > eligible:
        errors["votes_written"] = _(
            "Written opinions come from absent members entitled to vote: at most %(n)d are absent") % {
            "n": eligible - present}
    if votes_for + (against or 0) + (abstain or 0) > present + written:
        errors["votes_for"] = _(
            "The votes for, against and abstaining together cannot exceed the members present and the written "
            "opinions of those absent")
    return errors


def vote_passes(*, eligible: int, votes_for: int) -> bool:
    """赞成人数超过应到会有表决权的正式党员的半数 (written opinions for included in votes_for)."""
    return votes_for * 2 > eligible


def step_check(
    step: StepDef, *, on: dt.date, recorded: dict[str, Recorded], config, today: dt.date,
    applied_on: dt.date, extension_months: int = 0, training_days=None, training_hours=None,
) -> tuple[dict[str, str], str]:
    """({field: message} refusing the step, late: the time limit missed or "")."""
    errors: dict[str, str] = {}
    late = ""
    if step.code in recorded:
        return {"code": _("“%(step)s” is already recorded and cannot be recorded twice") % {"step": step.name}}, ""
    if on > today:
        errors["on"] = _("The date cannot be in the future.")
    for code in step.after:
        dep = BY_CODE[code]
        if code not in recorded:
            errors["code"] = _("Complete %(step)s first") % {"step": step_named(dep)}
            return errors, ""
        if not recorded[code].passed:
            errors["code"] = _("%(step)s did not pass: “%(next)s” cannot follow") % {
                "step": step_named(dep), "next": step.name}
            return errors, ""
        if on < recorded[code].on:
            errors["on"] = _(
                "The date is before %(step)s (%(date)s) it rests on: “%(first)s” comes before “%(next)s”"
            ) % {"step": step_named(dep), "date": _fmt(recorded[code].on), "first": dep.name, "next": step.name}
    if errors:
        return errors, ""
    if step.code == "talk":
        deadline = shift_months(applied_on, config.talk_within_months)
        if on > deadline:
            late = _("Talk after the time limit: due within %(months)s of receiving the application (by %(date)s)") % {
                "months": months(config.talk_within_months), "date": _fmt(deadline)}
    elif step.code == "candidate":
        earliest = shift_months(recorded["activist"].on, config.activist_min_months)
        if on < earliest:
            errors["on"] = _(
                "Too early: an activist becomes a development candidate after at least %(months)s of education "
                "and observation, on %(date)s at the earliest"
            ) % {"months": months(config.activist_min_months), "date": _fmt(earliest)}
    elif step.code == "training":
        if (training_days or 0) < config.training_min_days and (training_hours or 0) < config.training_min_hours:
            errors["training_days"] = _("Not enough training: at least %(days)s or %(hours)s") % {
                "days": npgettext("recruitment", "%(n)d day", "%(n)d days", config.training_min_days) % {
                    "n": config.training_min_days},
                "hours": npgettext("recruitment", "%(n)d class hour", "%(n)d class hours", config.training_min_hours) % {
                    "n": config.training_min_hours},
            }
    elif step.code in ("approval", "full_approval"):
        vote = "branch_vote" if step.code == "approval" else "full_vote"
        deadline = shift_months(recorded[vote].on, config.approval_within_months)
        if on > deadline:
            late = _(
                "Approval after the time limit: due within %(months)s of the branch general meeting's resolution "
                "(by %(date)s)"
            ) % {"months": months(config.approval_within_months), "date": _fmt(deadline)}
    elif step.code == "full_vote":
        end = probation_end(recorded["branch_vote"].on, config, extension_months)
        if on < end:
            errors["on"] = _(
                "Too early: the probation ends on %(date)s; full membership is discussed once it has ended"
            ) % {"date": _fmt(end)}
    return errors, late


@dataclass(frozen=True)
class Deadline:
    title: str
    due: dt.date
    step: str


def open_deadlines(*, applied_on: dt.date, recorded: dict[str, Recorded], config,
                   extension_months: int = 0) -> list[Deadline]:
    """What is due next for a case: the dates the responsible secretary must watch."""
    out = []
    if "talk" not in recorded:
        out.append(Deadline(_("Talk with the applicant"), shift_months(applied_on, config.talk_within_months), "talk"))
    if "activist" in recorded and "candidate" not in recorded:
        out.append(Deadline(_("May become a development candidate"),
                            shift_months(recorded["activist"].on, config.activist_min_months), "candidate"))
    for vote, approval in (("branch_vote", "approval"), ("full_vote", "full_approval")):
        if vote in recorded and recorded[vote].passed and approval not in recorded:
            out.append(Deadline(BY_CODE[approval].name,
                                shift_months(recorded[vote].on, config.approval_within_months), approval))
    if "approval" in recorded and recorded["approval"].passed and "full_vote" not in recorded:
        out.append(Deadline(_("Probation ends: discuss full membership"),
                            probation_end(recorded["branch_vote"].on, config, extension_months), "full_vote"))
    return out


# core.references.ARTICLES["recruit.activist"] (细则第三章): the branch reviews each activist every half year.
REVIEW_EVERY_MONTHS = 6
MAX_MENTORS = 2  # "一至两名正式党员"


def review_due(*, recorded: dict[str, Recorded], last_review: dt.date | None) -> dt.date | None:
    """When the activist's next half-yearly review is due: six months after becoming an activist or after
    the last review ("more than six months" is overdue from the day after); None once the activist is
    chosen as a development candidate (or before becoming one)."""
    if "activist" not in recorded or "candidate" in recorded:
        return None
    since = max(recorded["activist"].on, last_review) if last_review else recorded["activist"].on
    return shift_months(since, REVIEW_EVERY_MONTHS)


def next_steps(recorded: dict[str, Recorded]) -> list[StepDef]:
    """Steps not yet recorded whose dependencies are all recorded and passed."""
    return [
        s for s in STEPS
        if s.code not in recorded and all(c in recorded and recorded[c].passed for c in s.after)
    ]


def stage_of(recorded: dict[str, Recorded]) -> str:
    def ok(code):
        return code in recorded and recorded[code].passed

    if ok("full_vote"):
        return "full"
    if ok("approval"):
        return "probationary"
    if ok("candidate"):
        return "candidate"
    if ok("activist"):
        return "activist"
    return "applicant"


# --- Corrections ----------------------------------------------------------------------
# A step's own checks read the steps it follows (`after`) and, for these, a step
# a time limit or a minimum duration is counted from.
COUNTED_FROM = {
    "application": ("talk",),                   # talk within a month of the application
    "activist": ("candidate",),                 # activist for 12 months before candidate
    "branch_vote": ("approval", "full_vote"),   # approval within 3 months; probation from the vote
    "full_vote": ("full_approval",),            # approval within 3 months
}


def reading(code: str, recorded: dict[str, Recorded]) -> list[StepDef]:
    """Recorded steps whose checks read `code`: those that follow it and those counted from it."""
    return [s for s in STEPS if s.code in recorded and s.code != code
            and (code in s.after or s.code in COUNTED_FROM.get(code, ()))]


def dependents(code: str, recorded: dict[str, Recorded]) -> list[StepDef]:
    """Recorded steps resting on `code`, directly or through others: to be withdrawn before it."""
    found, frontier = set(), [code]
    while frontier:
        current = frontier.pop()
        for s in STEPS:
            if current in s.after and s.code in recorded and s.code not in found:
                found.add(s.code)
                frontier.append(s.code)
    return [s for s in STEPS if s.code in found]


def names(steps: list[StepDef]) -> str:
    return join_items(step_named(s) for s in steps)


def recheck(
    code: str, *, recorded: dict[str, Recorded], config, today: dt.date, applied_on: dt.date,
    extension_months: int = 0,
) -> tuple[dict[str, str], dict[str, str]]:
    """A corrected step against the others, and the others that read it against the correction.

    `recorded` holds the case's steps with the correction applied. Returns
    ({field: message} refusing the correction, {code: time limit missed} for
    the corrected step and the steps that read it). A step that reads the
    corrected one is refused for its order and dates only: its own details
    were checked when it was recorded.
    """
    errors: dict[str, str] = {}
    late: dict[str, str] = {}
    for step in [BY_CODE[code], *reading(code, recorded)]:
        own = recorded[step.code]
        found, late[step.code] = step_check(
            step, on=own.on, recorded={k: v for k, v in recorded.items() if k != step.code}, config=config,
            today=today, applied_on=applied_on, extension_months=extension_months,
            training_days=own.training_days, training_hours=own.training_hours,
        )
        if step.code == code:
            errors.update(found)
            continue
        # A date conflict is shown on the date; an outcome a later step needs, on the whole form.
        for field, target in (("on", "on"), ("code", "__all__")):
            if field in found:
                errors.setdefault(target, _(
                    "After the correction, the recorded %(step)s (%(date)s) no longer meets the rules: %(problem)s"
                ) % {"step": step_named(step), "date": _fmt(own.on), "problem": found[field]})
    return errors, late

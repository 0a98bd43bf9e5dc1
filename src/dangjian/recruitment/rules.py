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


def vote_errors(*, eligible, present, votes_for, against, abstain) -> dict[str, str]:
    if None in (eligible, present, votes_for):
        return {"votes_for": "请填写应到会、实到会有表决权的正式党员人数和赞成票数"}
    errors = {}
    if present > eligible:
        errors["votes_present"] = "实到会人数不能多于应到会人数"
    elif present * 2 <= eligible:
        errors["votes_present"] = "有表决权的到会人数未超过应到会有表决权人数的半数，会议不能进行表决"
    if votes_for + (against or 0) + (abstain or 0) > present:
        errors["votes_for"] = "赞成、反对、弃权票数之和不能多于到会人数"
    return errors


def vote_passes(*, eligible: int, votes_for: int) -> bool:
    """赞成人数超过应到会有表决权的正式党员的半数."""
    return votes_for * 2 > eligible


def step_check(
    step: StepDef, *, on: dt.date, recorded: dict[str, Recorded], config, today: dt.date,
    applied_on: dt.date, extension_months: int = 0, training_days=None, training_hours=None,
) -> tuple[dict[str, str], str]:
    """({field: message} refusing the step, late: the time limit missed or "")."""
    errors: dict[str, str] = {}
    late = ""
    if step.code in recorded:
        return {"code": f"“{step.name}”已登记，不能重复登记"}, ""
    if on > today:
        errors["on"] = "日期不能晚于今天"
    for code in step.after:
        dep = BY_CODE[code]
        if code not in recorded:
            errors["code"] = f"须先完成第{dep.number}步“{dep.name}”"
            return errors, ""
        if not recorded[code].passed:
            errors["code"] = f"第{dep.number}步“{dep.name}”未通过，不能进行“{step.name}”"
            return errors, ""
        if on < recorded[code].on:
            errors["on"] = (
                f"日期早于其所依据的第{dep.number}步“{dep.name}”（{_fmt(recorded[code].on)}）："
                f"须按程序先“{dep.name}”后“{step.name}”"
            )
    if errors:
        return errors, ""
    if step.code == "talk":
        deadline = shift_months(applied_on, config.talk_within_months)
        if on > deadline:
            late = f"谈话超过规定期限：应在收到入党申请书后{config.talk_within_months}个月内（{_fmt(deadline)}前）谈话"
    elif step.code == "candidate":
        earliest = shift_months(recorded["activist"].on, config.activist_min_months)
        if on < earliest:
            errors["on"] = (
                f"过早：入党积极分子须经{config.activist_min_months}个月以上培养教育和考察方可列为发展对象，"
                f"最早 {_fmt(earliest)}"
            )
    elif step.code == "training":
        if (training_days or 0) < config.training_min_days and (training_hours or 0) < config.training_min_hours:
            errors["training_days"] = (
                f"集中培训时间不足：须不少于{config.training_min_days}天或{config.training_min_hours}个学时"
            )
    elif step.code in ("approval", "full_approval"):
        vote = "branch_vote" if step.code == "approval" else "full_vote"
        deadline = shift_months(recorded[vote].on, config.approval_within_months)
        if on > deadline:
            late = f"审批超过规定期限：应在支部大会通过决议后{config.approval_within_months}个月内（{_fmt(deadline)}前）审批"
    elif step.code == "full_vote":
        end = probation_end(recorded["branch_vote"].on, config, extension_months)
        if on < end:
            errors["on"] = f"过早：预备期至 {_fmt(end)} 才满，预备期满后方可讨论转正"
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
        out.append(Deadline("同入党申请人谈话", shift_months(applied_on, config.talk_within_months), "talk"))
    if "activist" in recorded and "candidate" not in recorded:
        out.append(Deadline("可确定为发展对象",
                            shift_months(recorded["activist"].on, config.activist_min_months), "candidate"))
    for vote, approval in (("branch_vote", "approval"), ("full_vote", "full_approval")):
        if vote in recorded and recorded[vote].passed and approval not in recorded:
            out.append(Deadline(BY_CODE[approval].name,
                                shift_months(recorded[vote].on, config.approval_within_months), approval))
    if "approval" in recorded and recorded["approval"].passed and "full_vote" not in recorded:
        out.append(Deadline("预备期满，讨论转正",
                            probation_end(recorded["branch_vote"].on, config, extension_months), "full_vote"))
    return out


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
    return "、".join(f"第{s.number}步“{s.name}”" for s in steps)


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
                errors.setdefault(target, f"更正后，已登记的第{step.number}步“{step.name}”"
                                          f"（{_fmt(own.on)}）不再符合规定：{found[field]}")
    return errors, late

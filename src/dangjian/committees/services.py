"""Recording a new term of office; each write atomic and audited."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.committees.models import CommitteeRule, ElectionMethod, Position, Seat, Term, TermRule
from dangjian.meetings.periods import add_years
from dangjian.meetings.selectors import roster
from dangjian.meetings.services import require, require_superuser
from dangjian.orgs.models import Org


def default_end(org: Org, start: dt.date) -> dt.date:
    rule = TermRule.objects.filter(kind=org.kind).first()
    if rule is None:
        raise ValidationError({"org": "该类型的党组织不实行任期制（未配置任期年限）"})
    return add_years(start, rule.years)


def _check_votes(*, eligible: int, present: int, elected_on: dt.date, approved_on: dt.date | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if eligible <= 0:
        errors["eligible_voters"] = "应到会有选举权的人数须大于零"
    elif present > eligible:
        errors["voters_present"] = "实到人数不能多于应到人数"
    elif present * 5 <= eligible * 4:
        # 中国共产党基层组织选举工作条例：有选举权的到会人数超过应到会人数的五分之四，会议有效。
        errors["voters_present"] = f"实到 {present} 人，未超过应到 {eligible} 人的五分之四，选举无效"
    if elected_on > timezone.localdate():
        errors["elected_on"] = "选举日期不能晚于今天"
    if approved_on and approved_on < elected_on:
        errors["approved_on"] = "上级批复日期不能早于选举日期"
    return errors


def _check_seats(org: Org, seats: list[dict[str, Any]], present: int) -> dict[str, str]:
    members = set(roster(org).values_list("pk", flat=True))
    ids = [s["member"].pk for s in seats]
    positions = [s["position"] for s in seats]
    if not seats:
        return {"seats": "请填写当选的书记及委员"}
    if any(p not in Position.values for p in positions):
        return {"seats": "职务无效"}
    if positions.count(Position.SECRETARY) != 1:
        return {"seats": "每届须有且只有一名书记"}
    if len(set(ids)) != len(ids):
        return {"seats": "同一党员不能担任两个职务"}
    if not set(ids) <= members:
        return {"seats": "委员须为本组织在册党员"}
    for s in seats:
        votes = s.get("votes")
        if votes is None:
            continue
        if votes > present:
            return {"seats": f"{s['member'].name} 的得票数多于实到人数"}
        if votes * 2 <= present:
            # 被选举人获得的赞成票超过实到会有选举权的人数的一半，始得当选。
            return {"seats": f"{s['member'].name} 得票 {votes}，未超过实到 {present} 人的半数，不能当选"}
    return {}


@transaction.atomic
def term_record(
    *, by, org: Org, start: dt.date, elected_on: dt.date, method: str, eligible_voters: int,
    voters_present: int, seats: list[dict[str, Any]], end: dt.date | None = None,
    approved_on: dt.date | None = None, approval_document: str = "", notes: str = "",
) -> Term:
    """A new term (换届) opens with its election; the org's term dates and secretary follow it."""
    org = Org.objects.select_for_update().get(pk=org.pk)
    require(by, roles.EDIT_WORK, org)
    end = end or default_end(org, start)
    errors = _check_votes(eligible=eligible_voters, present=voters_present, elected_on=elected_on, approved_on=approved_on)
    if method not in ElectionMethod.values:
        errors["method"] = "选举方式无效"
    if end <= start:
        errors["end"] = "任期结束日期须晚于开始日期"
    if elected_on > start:
        errors["start"] = "任期不能早于选举日期开始"
    previous = Term.objects.filter(org=org).order_by("-start").first()
    if previous and start <= previous.start:
        errors["start"] = f"新一届任期须晚于上一届（{previous.start:%Y-%m-%d} 开始）"
    errors.update(_check_seats(org, seats, voters_present))
    if errors:
        raise ValidationError(errors)
    term = Term.objects.create(
        org=org, start=start, end=end, elected_on=elected_on, method=method, eligible_voters=eligible_voters,
        voters_present=voters_present, approved_on=approved_on, approval_document=approval_document.strip(),
        notes=notes.strip(), recorded_by=by,
    )
    Seat.objects.bulk_create(
        Seat(term=term, member=s["member"], position=s["position"], duty=s.get("duty") or "", votes=s.get("votes"))
        for s in seats
    )
    secretary = next(s["member"] for s in seats if s["position"] == Position.SECRETARY)
    audit_record(
        actor=by, action=Action.CREATE, target=term, org=org, target_repr=f"{org.name} 换届 {term}",
        changes=diff(None, {
            "start": start, "end": end, "elected_on": elected_on, "voters": [voters_present, eligible_voters],
            "seats": [[s["member"].pk, s["position"], s.get("duty") or ""] for s in seats],
        }),
    )
    # Org.term_start/term_end/secretary mirror the latest term (one UPDATE, audited).
    before = {"term_start": org.term_start, "term_end": org.term_end, "secretary": org.secretary_id}
    after = {"term_start": start, "term_end": end, "secretary": secretary.pk}
    Org.objects.filter(pk=org.pk).update(term_start=start, term_end=end, secretary=secretary)
    audit_record(actor=by, action=Action.UPDATE, target=org, org=org, changes=diff(before, after))
    return term


@transaction.atomic
def term_rule_update(*, by, rule: TermRule, years: int) -> TermRule:
    require_superuser(by)
    if not 1 <= years <= 10:
        raise ValidationError({"years": "任期年限须在 1 至 10 年之间"})
    old = rule.years
    rule.years = years
    rule.save(update_fields=["years"])
    audit_record(actor=by, action=Action.UPDATE, target=rule, changes=diff({"years": old}, {"years": years}))
    return rule


@transaction.atomic
def committee_rule_update(
    *, by, committee_threshold: int, first_warning_months: int, second_warning_months: int
) -> CommitteeRule:
    require_superuser(by)
    if not 0 < second_warning_months < first_warning_months:
        raise ValidationError({"second_warning_months": "第二次提醒须晚于第一次提醒（月数更小且大于零）"})
    if committee_threshold < 3:
        raise ValidationError({"committee_threshold": "人数须不少于 3"})
    rule = CommitteeRule.current()
    fields = ("committee_threshold", "first_warning_months", "second_warning_months")
    before = {f: getattr(rule, f) for f in fields}
    rule.committee_threshold = committee_threshold
    rule.first_warning_months = first_warning_months
    rule.second_warning_months = second_warning_months
    rule.save()
    audit_record(actor=by, action=Action.UPDATE, target=rule, target_repr="换届规则",
                 changes=diff(before, {f: getattr(rule, f) for f in fields}))
    return rule

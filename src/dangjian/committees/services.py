"""Recording a new term of office and correcting one; each write atomic and audited."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.committees import rules
from dangjian.committees.models import (
    CommitteeRule,
    ElectionMethod,
    Position,
    Seat,
    Term,
    TermCorrection,
    TermRule,
)
from dangjian.core.corrections import json_values, reason_given, user_or_none
from dangjian.core.dates import add_years
from dangjian.core.http import require_in_scope, require_superuser
from dangjian.core.text import join_items
from dangjian.orgs.models import Category, Org, OrgKind
from dangjian.orgs.selectors import roster

# Kinds whose committee serves the village/community term when it sits under a
# community Party committee (2018 中办《关于党的基层组织任期的意见》一).
COMMUNITY_KINDS = (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH, OrgKind.JOINT_BRANCH)


def _ancestor_paths(path: str) -> list[str]:
    return [path[:i] for i in range(Org.steplen, len(path), Org.steplen)]


def term_years(org: Org, rule: CommitteeRule | None = None) -> int | None:
    """Years of a term of the org's committee; None for a kind without terms."""
    years = dict(TermRule.objects.values_list("kind", "years"))
    rule = rule or CommitteeRule.current()
    if (rule.community_branches_five_years and org.kind in COMMUNITY_KINDS and OrgKind.COMMUNITY_COMMITTEE in years
            and Org.objects.filter(kind=OrgKind.COMMUNITY_COMMITTEE, path__in=_ancestor_paths(org.path)).exists()):
        return years[OrgKind.COMMUNITY_COMMITTEE]
    return years.get(org.kind)


def default_end(org: Org, start: dt.date) -> dt.date:
    years = term_years(org)
    if years is None:
        raise ValidationError({"org": _("Organisations of this kind have no terms of office (no term length is set)")})
    return add_years(start, years)


def _term_repr(org: Org, term: Term) -> str:
    return _("%(org)s new term %(term)s") % {"org": org.name, "term": term}


def _check_votes(*, eligible: int, present: int, elected_on: dt.date, approved_on: dt.date | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if eligible <= 0:
        errors["eligible_voters"] = _("The number of members entitled to vote must be greater than zero")
    elif present > eligible:
        errors["voters_present"] = _("More voters cannot be present than are entitled to attend")
    elif not rules.quorum_met(eligible=eligible, present=present):
        # 《中国共产党基层组织选举工作条例》（2020）：有选举权的到会人数超过应到会人数的五分之四，会议有效。
        errors["voters_present"] = _(
            "%(present)d present, not more than four fifths of the %(eligible)d entitled to attend: the election is void"
        ) % {"present": present, "eligible": eligible}
    if elected_on > timezone.localdate():
        errors["elected_on"] = _("The election date cannot be later than today")
    if approved_on and approved_on < elected_on:
        errors["approved_on"] = _("The superior's approval cannot be dated before the election")
    return errors


def _check_electors(org: Org, *, eligible: int, seats: list[dict[str, Any]], seated=frozenset(),
                    new: bool = True) -> dict[str, str]:
    """Only full members vote and may be elected (选举工作条例 第五条: 预备党员没有表决权、选举权和被选举权).

    The count entitled to vote is checked against today's roll for a new term only: a
    corrected term's roll was the one of its election day, which the roll no longer shows.
    """
    errors: dict[str, str] = {}
    full = roster(org).filter(category=Category.FULL)
    full_count = full.count()
    if new and eligible > full_count:
        errors["eligible_voters"] = _(
            "%(eligible)d entitled to vote, but the roll has only %(full)d full members: probationary members "
            "have no vote") % {"eligible": eligible, "full": full_count}
    full_ids = set(full.values_list("pk", flat=True))
    probationary = [s["member"].name for s in seats
                    if s["member"].pk not in full_ids and s["member"].pk not in seated
                    and s["member"].category != Category.FULL]
    if probationary:
        errors["seats"] = _("%(names)s: probationary members cannot be elected") % {"names": join_items(probationary)}
    return errors


def _check_competition(org: Org, *, method: str, candidates: int | None, seats: int, full_members: int,
                       rule: CommitteeRule, new: bool = True) -> dict[str, str]:
    """差额选举 and the committee's size (选举工作条例; 支部工作条例 第八条)."""
    from dangjian.committees.selectors import SMALL_KINDS

    errors: dict[str, str] = {}
    if org.kind in SMALL_KINDS:
        problem = rules.committee_size_error(full_members=full_members, seats=seats, threshold=rule.committee_threshold,
                                             smallest=rule.committee_min, largest=rule.committee_max)
        if problem == "no_committee":
            errors["seats"] = _(
                "With %(full)d full members (fewer than %(n)d) a branch has a secretary and at most one deputy, "
                "not a committee") % {"full": full_members, "n": rule.committee_threshold}
        elif problem:
            errors["seats"] = _("A branch committee has %(min)d to %(max)d members, not %(seats)d") % {
                "min": rule.committee_min, "max": rule.committee_max, "seats": seats}
    required = seats >= rule.competitive_from_seats
    if method == ElectionMethod.EQUAL and required:
        errors["method"] = _("A committee of %(seats)d is elected with more candidates than seats") % {"seats": seats}
    if candidates is None:
        # A term recorded before the count was kept may be corrected without it.
        if method == ElectionMethod.COMPETITIVE and new:
            errors["candidates"] = _("Enter the number of candidates")
        return errors
    if candidates < seats:
        errors["candidates"] = _("Fewer candidates than members elected")
    elif method == ElectionMethod.EQUAL and candidates != seats:
        errors["candidates"] = _("An election with as many candidates as seats has %(seats)d candidates") % {
            "seats": seats}
    elif method == ElectionMethod.COMPETITIVE:
        least = rules.min_candidates(seats=seats, surplus_percent=rule.surplus_percent)
        if candidates < least:
            errors["candidates"] = _(
                "%(seats)d seats need at least %(least)d candidates (%(pct)d%% more, rounded up), not %(n)d") % {
                "seats": seats, "least": least, "pct": rule.surplus_percent, "n": candidates}
    return errors


def _check_seats(org: Org, seats: list[dict[str, Any]], present: int, seated=frozenset()) -> dict[str, str]:
    """`seated`: members already on the term being corrected, who may have left the roll since."""
    members = set(roster(org).values_list("pk", flat=True)) | set(seated)
    ids = [s["member"].pk for s in seats]
    positions = [s["position"] for s in seats]
    if not seats:
        return {"seats": _("Enter the secretary and the members elected")}
    if any(p not in Position.values for p in positions):
        return {"seats": _("Invalid position")}
    if positions.count(Position.SECRETARY) != 1:
        return {"seats": _("Each term has exactly one secretary")}
    if len(set(ids)) != len(ids):
        return {"seats": _("A member cannot hold two positions")}
    if not set(ids) <= members:
        return {"seats": _("Committee members must be on this organisation's roll")}
    for s in seats:
        votes = s.get("votes")
        if votes is None:
            continue
        if votes > present:
            return {"seats": _("%(name)s has more votes than voters present") % {"name": s["member"].name}}
        if not rules.elected(votes=votes, present=present):
            # 《中国共产党基层组织选举工作条例》（2020）：被选举人获得的赞成票超过实到会有选举权的人数的一半，始得当选。
            return {"seats": ngettext(
                "%(name)s has %(votes)d vote, not more than half of the %(present)d present: not elected",
                "%(name)s has %(votes)d votes, not more than half of the %(present)d present: not elected", votes,
            ) % {"name": s["member"].name, "votes": votes, "present": present}}
    return {}


@transaction.atomic
def term_record(
    *, by, org: Org, start: dt.date, elected_on: dt.date, method: str, eligible_voters: int,
    voters_present: int, seats: list[dict[str, Any]], end: dt.date | None = None, candidates: int | None = None,
    approved_on: dt.date | None = None, approval_document: str = "", notes: str = "",
) -> Term:
    """A new term (换届) opens with its election; the org's term dates and secretary follow it."""
    org = Org.objects.select_for_update().get(pk=org.pk)
    require_in_scope(by, roles.EDIT_WORK, org)
    end = end or default_end(org, start)
    errors = _check_term(org, start=start, end=end, elected_on=elected_on, method=method, eligible=eligible_voters,
                         present=voters_present, approved_on=approved_on, seats=seats, candidates=candidates)
    previous = Term.objects.filter(org=org).order_by("-start").first()
    if previous and start <= previous.start:
        errors["start"] = _("A new term must start after the previous one (which started on %(date)s)") % {
            "date": f"{previous.start:%Y-%m-%d}"}
    if errors:
        raise ValidationError(errors)
    term = Term.objects.create(
        org=org, start=start, end=end, elected_on=elected_on, method=method, eligible_voters=eligible_voters,
        voters_present=voters_present, candidates=candidates, approved_on=approved_on, approval_document=approval_document.strip(),
        notes=notes.strip(), recorded_by=by,
    )
    Seat.objects.bulk_create(
        Seat(term=term, member=s["member"], position=s["position"], duty=s.get("duty") or "", votes=s.get("votes"))
        for s in seats
    )
    secretary = next(s["member"] for s in seats if s["position"] == Position.SECRETARY)
    audit_record(
        actor=by, action=Action.CREATE, target=term, org=org, target_repr=_term_repr(org, term),
        changes=diff(None, {
            "start": start, "end": end, "elected_on": elected_on, "voters": [voters_present, eligible_voters],
            "candidates": candidates,
            "seats": [[s["member"].pk, s["position"], s.get("duty") or ""] for s in seats],
        }),
    )
    _sync_org(by=by, org=org, term=term, secretary=secretary)
    return term


def _check_term(org: Org, *, start, end, elected_on, method, eligible, present, approved_on, seats, candidates,
                seated=frozenset(), new: bool = True) -> dict[str, str]:
    """The election and the term's dates, as the regulations and the term rules require."""
    errors = _check_votes(eligible=eligible, present=present, elected_on=elected_on, approved_on=approved_on)
    if method not in ElectionMethod.values:
        errors["method"] = _("Invalid election method")
    if end <= start:
        errors["end"] = _("A term must end after it starts")
    if elected_on > start:
        errors["start"] = _("The term cannot start before the election")
    errors.update(_check_seats(org, seats, present, seated))
    if "seats" not in errors and "eligible_voters" not in errors:
        errors.update(_check_electors(org, eligible=eligible, seats=seats, seated=seated, new=new))
    if "seats" not in errors and method in ElectionMethod.values:
        full = roster(org).filter(category=Category.FULL).count()
        errors.update(_check_competition(org, method=method, candidates=candidates, seats=len(seats),
                                         full_members=full, rule=CommitteeRule.current(), new=new))
    return errors


def _sync_org(*, by, org: Org, term: Term, secretary) -> None:
    """Org.term_start/term_end/secretary mirror the latest term (one UPDATE, audited)."""
    before = {"term_start": org.term_start, "term_end": org.term_end, "secretary": org.secretary_id}
    after = {"term_start": term.start, "term_end": term.end, "secretary": secretary.pk}
    if not diff(before, after):
        return
    Org.objects.filter(pk=org.pk).update(term_start=term.start, term_end=term.end, secretary=secretary)
    audit_record(actor=by, action=Action.UPDATE, target=org, org=org, changes=diff(before, after))


@transaction.atomic
def term_rule_update(*, by, rule: TermRule, years: int) -> TermRule:
    require_superuser(by)
    if not 1 <= years <= 10:
        raise ValidationError({"years": _("A term lasts between 1 and 10 years")})
    old = rule.years
    rule.years = years
    rule.save(update_fields=["years"])
    audit_record(actor=by, action=Action.UPDATE, target=rule, changes=diff({"years": old}, {"years": years}))
    return rule


RULE_FIELDS = ("committee_threshold", "first_warning_months", "second_warning_months", "surplus_percent",
               "competitive_from_seats", "committee_min", "committee_max", "branch_min_full", "branch_max",
               "community_branches_five_years")


@transaction.atomic
def committee_rule_update(*, by, **values: Any) -> CommitteeRule:
    """The installation's committee settings; a field not given keeps its value."""
    require_superuser(by)
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError({f: _("This cannot be changed") for f in sorted(unknown)})
    rule = CommitteeRule.current()
    before = {f: getattr(rule, f) for f in RULE_FIELDS}
    v = {**before, **values}
    errors: dict[str, str] = {}
    if not 0 < v["second_warning_months"] < v["first_warning_months"]:
        errors["second_warning_months"] = _(
            "The second reminder comes after the first (fewer months before the end, and more than zero)")
    if v["committee_threshold"] < 3:
        errors["committee_threshold"] = _("The number must be at least 3")
    if not 1 <= v["surplus_percent"] <= 100:
        errors["surplus_percent"] = _("Enter a share between 1 and 100")
    if v["competitive_from_seats"] < 1:
        errors["competitive_from_seats"] = _("The number must be at least 1")
    if not 3 <= v["committee_min"] <= v["committee_max"]:
        errors["committee_max"] = _("A committee has at least 3 members, and the largest is not below the smallest")
    if not 1 <= v["branch_min_full"] < v["branch_max"]:
        errors["branch_max"] = _("The largest branch must be larger than the smallest")
    if errors:
        raise ValidationError(errors)
    for f in RULE_FIELDS:
        setattr(rule, f, v[f])
    rule.save()
    audit_record(actor=by, action=Action.UPDATE, target=rule, target_repr=_("committee rule"),
                 changes=diff(before, {f: getattr(rule, f) for f in RULE_FIELDS}))
    return rule


# --- Corrections -----------------------------------------------------------------------
# A term entered with wrong dates, counts or members is corrected with a reason.
# Every rule of a new term runs again, the term keeps its place between the
# terms before and after it, the latest term's dates and secretary stay
# mirrored on the org, and the earlier version is kept (TermCorrection).

TERM_FIELDS = ("start", "end", "elected_on", "method", "eligible_voters", "voters_present", "candidates",
               "approved_on", "approval_document", "notes")


def _seat_rows(seats) -> list[dict[str, Any]]:
    return [{"member": s["member"].pk, "position": s["position"], "duty": s.get("duty") or "", "votes": s.get("votes")}
            for s in seats]


def _snapshot(term: Term, seats) -> dict[str, Any]:
    return {**json_values({f: getattr(term, f) for f in TERM_FIELDS}), "seats": _seat_rows(seats)}


@transaction.atomic
def term_correct(*, by, term: Term, reason: str, seats: list[dict[str, Any]] | None = None, **data: Any) -> Term:
    """Correct a recorded term: dates, election counts, approval, members and their seats."""
    term = Term.objects.select_for_update().select_related("org").get(pk=term.pk)
    org = term.org
    require_in_scope(by, roles.EDIT_WORK, org)
    reason = reason_given(reason)
    unknown = set(data) - set(TERM_FIELDS)
    if unknown:
        raise ValidationError({f: _("This cannot be corrected") for f in sorted(unknown)})
    current = [{"member": s.member, "position": s.position, "duty": s.duty, "votes": s.votes}
               for s in term.seats.select_related("member").order_by("id")]
    before = _snapshot(term, current)
    old_start = term.start
    seats = current if seats is None else seats
    for key, value in data.items():
        setattr(term, key, value.strip() if isinstance(value, str) else value)
    if term.end is None:
        term.end = default_end(org, term.start)
    errors = _check_term(org, start=term.start, end=term.end, elected_on=term.elected_on, method=term.method,
                         eligible=term.eligible_voters, present=term.voters_present, approved_on=term.approved_on,
                         seats=seats, candidates=term.candidates, seated={s["member"].pk for s in current},
                         new=False)
    # The term keeps its place: terms follow one another by their start dates.
    others = Term.objects.filter(org=org).exclude(pk=term.pk)
    previous = others.filter(start__lt=old_start).order_by("-start").first()
    following = others.filter(start__gt=old_start).order_by("start").first()
    if previous and term.start <= previous.start:
        errors["start"] = _("The term must start after the previous one (which started on %(date)s)") % {
            "date": f"{previous.start:%Y-%m-%d}"}
    elif following and term.start >= following.start:
        errors["start"] = _("The term must start before the next one (which starts on %(date)s)") % {
            "date": f"{following.start:%Y-%m-%d}"}
    if errors:
        raise ValidationError(errors)
    after = _snapshot(term, seats)
    if not diff(before, after):
        raise ValidationError({"__all__": _("Nothing changed")})
    term.save()
    if after["seats"] != before["seats"]:
        term.seats.all().delete()
        Seat.objects.bulk_create(
            Seat(term=term, member=s["member"], position=s["position"], duty=s.get("duty") or "", votes=s.get("votes"))
            for s in seats
        )
    TermCorrection.objects.create(term=term, before=before, after=after, reason=reason, by=user_or_none(by))
    audit_record(actor=by, action=Action.UPDATE, target=term, org=org, target_repr=_term_repr(org, term),
                 changes={**diff(before, after), "reason": [None, reason]})
    if following is None:
        secretary = next(s["member"] for s in seats if s["position"] == Position.SECRETARY)
        _sync_org(by=by, org=Org.objects.get(pk=org.pk), term=term, secretary=secretary)
    return term

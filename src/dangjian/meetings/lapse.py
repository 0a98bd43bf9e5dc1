"""Lapsed members (党章第九条, core.references.ARTICLES["member.lapsed"]): which of the three conditions holds.

党员如果没有正当理由, 连续六个月不参加党的组织生活, 或不交纳党费, 或不做党所分配的工作,
就被认为是自行脱党; the branch meeting then decides on 除名, approved by the superior.

Organisational life is this app's (meetings.selectors.without_life_since); dues and assigned
work belong to other apps and are asked through core.provided: "dues_lapsed_ids" and
"dues_unpaid_since" (dues), "work_lapsed_ids" (projects: a task assigned to the member left undone
six months past its deadline; a member with no assigned work never meets that condition).
A good reason (正当理由, meetings.models.GoodReason) covering any day of the six months that end
today suppresses all three: the six months are not "consecutive without good reason".
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from dangjian.accounts import roles
from dangjian.core import provided
from dangjian.core.dates import latest_start
from dangjian.core.scoping import visible_orgs
from dangjian.meetings.life_dates import stored as stored_last_life
from dangjian.meetings.models import GoodReason
from dangjian.meetings.selectors import without_life_since
from dangjian.orgs.models import Member, Status

LAPSE_MONTHS = 6  # 党章第九条: 连续六个月
LIFE, DUES, WORK = "life", "dues", "work"


def conditions(*, months_without_life: int, months_unpaid: int, months_without_work: int | None,
               good_reason: bool) -> tuple[str, ...]:
    """The conditions of 党章第九条 that hold: six or more consecutive months, each counted on its own."""
    if good_reason:
        return ()
    held = []
    if months_without_life >= LAPSE_MONTHS:
        held.append(LIFE)
    if months_unpaid >= LAPSE_MONTHS:
        held.append(DUES)
    if months_without_work is not None and months_without_work >= LAPSE_MONTHS:
        held.append(WORK)
    return tuple(held)


@dataclass(frozen=True)
class Lapse:
    member: Member
    conditions: tuple[str, ...]
    # {condition: the date it runs from}: last organisational life (or joining), first unpaid month,
    # deadline of the assigned work left undone. None where the owning app does not say.
    since: dict | None = None


def window_start(today: dt.date) -> dt.date:
    """The first day of the six months that end `today` (a good reason covering any day from here on counts)."""
    return latest_start(today, LAPSE_MONTHS)


def excused_ids(member_ids, *, today: dt.date) -> frozenset[int]:
    """Members with a good reason (正当理由) recorded for some day of the six months that end today."""
    return frozenset(GoodReason.objects.filter(
        member_id__in=list(member_ids), starts_on__lte=today, ends_on__gte=window_start(today),
    ).values_list("member_id", flat=True))


def lapsed_members(members: QuerySet, *, today: dt.date, excused: frozenset[int] | None = None) -> list[Lapse]:
    """Active members of `members` (already scoped by the caller) for whom a condition holds; `excused`
    are the ids with a good reason, by default those recorded for the six months (excused_ids)."""
    members = members.filter(status=Status.ACTIVE)
    ids = set(members.values_list("pk", flat=True))
    if excused is None:
        excused = excused_ids(ids, today=today)
    without_life = set(members.filter(without_life_since(today, LAPSE_MONTHS)).values_list("pk", flat=True))
    unpaid = set(provided.value("dues_lapsed_ids", ids, today=today, months=LAPSE_MONTHS, default=set()))
    no_work = provided.value("work_lapsed_ids", ids, today=today, months=LAPSE_MONTHS, default={})
    found = []
    for member in members.select_related("org").order_by("org__path", "name", "pk"):
        held = conditions(
            months_without_life=LAPSE_MONTHS if member.pk in without_life else 0,
            months_unpaid=LAPSE_MONTHS if member.pk in unpaid else 0,
            months_without_work=LAPSE_MONTHS if member.pk in no_work else None,
            good_reason=member.pk in excused,
        )
        if held:
            found.append(Lapse(member=member, conditions=held))
    return _with_since(found, today, no_work)


def _with_since(found: list[Lapse], today: dt.date, no_work) -> list[Lapse]:
    ids = [f.member.pk for f in found]
    if not ids:
        return found
    last = stored_last_life(ids)
    unpaid = provided.value("dues_unpaid_since", ids, today=today, default={})
    out = []
    for f in found:
        since = {}
        if LIFE in f.conditions:
            at = last.get(f.member.pk)
            since[LIFE] = max(timezone.localdate(at), f.member.joined_on) if at else f.member.joined_on
        if DUES in f.conditions:
            since[DUES] = unpaid.get(f.member.pk)
        if WORK in f.conditions:
            since[WORK] = no_work.get(f.member.pk) if isinstance(no_work, dict) else None
        out.append(Lapse(member=f.member, conditions=f.conditions, since=since))
    return out


def lapsed_for(user, *, org=None, today: dt.date | None = None) -> list[Lapse]:
    """The lapsed members of the organisations the user sees (VIEW_WORK), or of `org` among them."""
    orgs = visible_orgs(user, roles.VIEW_WORK)
    if org is not None:
        orgs = orgs.filter(path__subtree=org.path)
    members = Member.objects.filter(org__in=orgs.values("pk"))
    return lapsed_members(members, today=today or timezone.localdate())

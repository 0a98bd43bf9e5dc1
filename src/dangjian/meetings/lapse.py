"""Lapsed members (党章第九条, core.references.ARTICLES["member.lapsed"]): which of the three conditions holds.

党员如果没有正当理由, 连续六个月不参加党的组织生活, 或不交纳党费, 或不做党所分配的工作,
就被认为是自行脱党; the branch meeting then decides on 除名, approved by the superior.

Organisational life is this app's (meetings.selectors.without_life_since); dues and assigned
work belong to other apps and are asked through core.provided: "dues_lapsed_ids" (dues) and
"work_lapsed_ids" (any app that records assigned work; none does yet, so that condition is
never reported as holding). A good reason (正当理由) recorded for a member suppresses all three.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from dangjian.core import provided
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


def lapsed_members(members: QuerySet, *, today: dt.date, excused: frozenset[int] = frozenset()) -> list[Lapse]:
    """Active members of `members` (already scoped by the caller) for whom a condition holds; `excused`
    are the ids with a good reason recorded."""
    members = members.filter(status=Status.ACTIVE)
    ids = set(members.values_list("pk", flat=True))
    without_life = set(members.filter(without_life_since(today, LAPSE_MONTHS)).values_list("pk", flat=True))
    unpaid = set(provided.value("dues_lapsed_ids", ids, today=today, months=LAPSE_MONTHS, default=set()))
    no_work = set(provided.value("work_lapsed_ids", ids, today=today, months=LAPSE_MONTHS, default=set()))
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
    return found

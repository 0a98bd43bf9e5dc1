"""Demo terms: a committee for every org with a term rule; a few ending soon, one overdue.

Deterministic from rng; bulk writes (demo data is not audited as user writes are).
Org.term_start/term_end/secretary are brought in line with the latest term.
"""

import datetime as dt
from collections import defaultdict

from dangjian.committees import rules
from dangjian.committees.models import Duty, ElectionMethod, Position, Seat, Term, TermRule
from dangjian.committees.selectors import SMALL_KINDS
from dangjian.committees.services import COMMUNITY_KINDS
from dangjian.core.dates import add_months, add_years
from dangjian.orgs.models import Category, Member, Org, OrgKind, Status

DUTIES = [Duty.ORGANISATION, Duty.PROPAGANDA, Duty.DISCIPLINE, Duty.YOUTH, Duty.WOMEN]


def seed(*, rng, today: dt.date, log) -> None:
    if Term.objects.exists():
        log("committees: already present, skipped")
        return
    years = dict(TermRule.objects.values_list("kind", "years"))
    orgs = list(Org.objects.filter(kind__in=list(years), is_active=True).order_by("path"))
    # Village/community branches serve the community's 5 years (2018 中办意见 一).
    communities = [o.path for o in orgs if o.kind == OrgKind.COMMUNITY_COMMITTEE]
    members = list(Member.objects.filter(status=Status.ACTIVE).select_related("org").order_by("id"))
    roll: dict[int, list[Member]] = defaultdict(list)
    for org in orgs:
        roll[org.pk] = [m for m in members if m.org.path.startswith(org.path)]
    orgs = [o for o in orgs if roll[o.pk]]
    # Which orgs get which deliberate state: index into the shuffled list.
    order = list(range(len(orgs)))
    rng.shuffle(order)
    special = {}
    for i, state in zip(order, ["overdue", "month", "month", "six", "six", "six", "needs"], strict=False):
        special[i] = state
    terms, seat_plan, latest = [], [], {}
    for i, org in enumerate(orgs):
        length = years[org.kind]
        if org.kind in COMMUNITY_KINDS and any(org.path.startswith(p) and org.path != p for p in communities):
            length = years.get(OrgKind.COMMUNITY_COMMITTEE, length)
        state = special.get(i, "")
        end = {
            "overdue": today - dt.timedelta(days=rng.randrange(20, 90)),
            "month": today + dt.timedelta(days=rng.randrange(3, 28)),
            "six": add_months(today, rng.choice((2, 3, 4, 5))),
        }.get(state) or add_months(today, rng.randrange(7, length * 12 - 1))
        start = add_years(end, -length)
        # Only full members vote and sit (选举工作条例 第五条); sizes by 支部工作条例 第八条.
        people = [m for m in roll[org.pk] if m.category == Category.FULL] or roll[org.pk][:1]
        small = org.kind in SMALL_KINDS and len(people) < 7
        size = 1 if small or state == "needs" else min(len(people), rng.choice((3, 5, 5, 7)))
        # Nobody sits on a committee elected before they were a full member.
        seasoned = [m for m in people if m.full_member_on and m.full_member_on <= start] or people
        size = min(size, len(seasoned))
        chosen = rng.sample(seasoned, size)
        eligible = len(people)
        method = ElectionMethod.COMPETITIVE if size >= 3 else rng.choice(ElectionMethod.values)
        candidates = rules.min_candidates(seats=size, surplus_percent=20) + rng.choice((0, 0, 1)) \
            if method == ElectionMethod.COMPETITIVE else size
        present = max(1, eligible - rng.randrange(0, max(1, eligible // 6)))
        if not rules.quorum_met(eligible=eligible, present=present):
            present = eligible
        approved = start + dt.timedelta(days=rng.randrange(5, 25))
        for s, term_start in ((start, True), (add_years(start, -length), False)):
            if not term_start and (rng.random() < 0.5 or any(
                    not m.full_member_on or m.full_member_on > s for m in chosen)):
                continue
            t = Term(org=org, start=s, end=add_years(s, length), elected_on=s, method=method,
                     eligible_voters=eligible, voters_present=present, candidates=candidates,
                     approved_on=approved if term_start else s + dt.timedelta(days=10),
                     approval_document=f"{s.year}〔{rng.randrange(1, 60)}〕号", notes="")
            terms.append(t)
            seat_plan.append((t, chosen, present))
            if term_start:
                latest[org.pk] = (t, chosen[0])
    Term.objects.bulk_create(terms, batch_size=1000)
    seats = []
    for t, chosen, present in seat_plan:
        for k, m in enumerate(chosen):
            position = Position.SECRETARY if k == 0 else Position.DEPUTY if k == 1 and len(chosen) > 3 else Position.MEMBER
            duty = DUTIES[(k - 1) % len(DUTIES)] if position == Position.MEMBER else ""
            votes = present - rng.randrange(0, max(1, present // 3))
            seats.append(Seat(term=t, member=m, position=position, duty=duty, votes=max(votes, present // 2 + 1)))
    Seat.objects.bulk_create(seats, batch_size=2000)
    for org_id, (t, secretary) in latest.items():
        Org.objects.filter(pk=org_id).update(term_start=t.start, term_end=t.end, secretary=secretary)
    log(f"committees: {len(terms)} terms, {len(seats)} seats; deliberate: {sorted(set(special.values()))}")

"""The compliance slot walk at a province's size (rows, bisect over held times) gives exactly what the
plain per-org walk gave: the same slots, the same held meeting per slot, on random small trees."""

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.db.models import Count
from django.utils import timezone

from dangjian.core import metrics as m
from dangjian.meetings.metrics import _slots_in, meeting_compliance, meeting_slots
from dangjian.meetings.models import Meeting, MeetingRule, MeetingType
from dangjian.meetings.selectors import MEETING_KINDS, committee_threshold, required_types
from dangjian.orgs.models import Category, Member, Org, Status
from tests.factories import MemberFactory, make_org

D = dt.date


def reference_slots(start, end, within):
    """The per-org walk as it was before (model instances, every meeting's local date), kept as the oracle."""
    orgs = list(m.within(Org.objects.filter(kind__in=MEETING_KINDS, is_active=True), within, "")
                .order_by("path").only("id", "path", "kind"))
    if not orgs:
        return {}
    full = m.within(Member.objects.filter(status=Status.ACTIVE, category=Category.FULL, joined_on__lte=end),
                    within, "org")
    direct = dict(full.order_by().values_list("org_id").annotate(n=Count("id")).values_list("org_id", "n"))
    by_path = {o.path: o.pk for o in orgs}
    sizes = {o.pk: 0 for o in orgs}
    for o in reversed(orgs):
        sizes[o.pk] += direct.get(o.pk, 0)
        parent = by_path.get(o.path[:-Org.steplen])
        if parent is not None:
            sizes[parent] += sizes[o.pk]
    rules = dict(MeetingRule.objects.values_list("meeting_type", "every_months"))
    threshold = committee_threshold()
    slots = {every: _slots_in(start, end, every) for every in set(rules.values()) if every}
    first = min((s for spans in slots.values() for s, _e in spans), default=start)
    lo, hi = m.day_bounds(min(first, start), end)
    held = defaultdict(list)
    meetings = m.within(Meeting.objects.filter(state=Meeting.State.HELD, starts_at__gte=lo, starts_at__lt=hi), within, "org")
    for pk, oid, mtype, at in meetings.order_by("starts_at", "id").values_list("id", "org_id", "meeting_type", "starts_at"):
        held[(oid, mtype)].append((timezone.localdate(at), pk))
    out = {}
    for o in orgs:
        rows = []
        for mtype, every in required_types(o, sizes[o.pk], rules, threshold).items():
            days = held.get((o.pk, mtype), ())
            for s, e in slots.get(every, ()):
                rows.append((mtype, s, e, next((pk for d, pk in days if s <= d <= e), None)))
        if rows:
            out[o.pk] = rows
    return out


def _random_tree(rng: random.Random) -> list[Org]:
    street = make_org(kind="street")
    orgs = [street]
    for _c in range(rng.randint(1, 2)):
        community = make_org(parent=street, kind="community")
        for _b in range(rng.randint(1, 3)):
            kind = rng.choice(["branch", "branch", "general_branch"])
            branch = make_org(parent=community, kind=kind)
            orgs.append(branch)
            if rng.random() < 0.5:
                orgs.append(make_org(parent=branch, kind="group"))
    for org in orgs:
        org.refresh_from_db()
        if org.kind in ("street",):
            continue
        for _ in range(rng.choice([0, 2, 5, 6, 7, 9])):  # around the committee threshold (seven full members)
            MemberFactory(org=org, category=rng.choice(["full", "full", "full", "probationary"]),
                          status=rng.choice([Status.ACTIVE] * 5 + [Status.LOST_CONTACT]),
                          joined_on=rng.choice([D(2005, 7, 1), D(2024, 5, 1)]))
    tz = timezone.get_current_timezone()
    types = list(MeetingType.values)
    meetings = []
    for org in orgs:
        for _ in range(rng.randint(0, 30)):
            day = D(2023, 11, 1) + dt.timedelta(days=rng.randrange(0, 500))
            # Times at the edges of a local day: a slot's bounds are local midnights.
            hour, minute = rng.choice([(0, 0), (0, 1), (23, 59), (10, 0), (7, 30)])
            if rng.random() < 0.4:  # on a slot's edge: the first minute of a month, the last of the day before
                day = D(rng.choice([2024, 2024, 2025]), rng.randint(1, 12), 1)
                if rng.random() < 0.5:
                    day, hour, minute = day - dt.timedelta(days=1), 23, 59
                else:
                    hour, minute = 0, 0
            meetings.append(Meeting(
                org=org, meeting_type=rng.choice([*types, "theme_day", "theme_day"]), starts_at=dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz),
                state=rng.choice([Meeting.State.HELD] * 4 + [Meeting.State.PLANNED]), place="活动室", topic="学习"))
    Meeting.objects.bulk_create(meetings)
    return orgs


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_slot_walk_equals_the_per_org_walk(seed):
    rng = random.Random(seed)
    orgs = _random_tree(rng)
    if seed == 2:  # a quarterly rule for theme days, a yearly one off: other slot lengths
        MeetingRule.objects.filter(meeting_type="theme_day").update(every_months=3)
    periods = [(D(2024, 1, 1), D(2024, 3, 31)), (D(2024, 7, 1), D(2024, 9, 30)), (D(2024, 1, 1), D(2024, 12, 31)),
               (D(2024, 4, 1), D(2024, 6, 30)), (D(2024, 2, 1), D(2024, 2, 15))]
    checked = 0
    for start, end in periods:
        for within in (None, orgs[0], orgs[-1]):
            with m.memo():
                expected = reference_slots(start, end, within)
                assert meeting_slots(start, end, within) == expected
                if within is None:
                    pairs = meeting_compliance(start=start, end=end)
                    assert pairs == {oid: (float(sum(pk is not None for *_x, pk in rows)), float(len(rows)))
                                     for oid, rows in expected.items()}
            checked += sum(len(rows) for rows in expected.values())
    assert checked > 0

"""The faster forms of the home page's counts give what the plain definitions give, on small random data.

The six-month rule for the whole tree (NOT IN over the period's attendance on
SQLite) and the arrears counts per organisation (members owing last month first)
were rewritten for speed (docs/performance.md); each is checked here against
the rule written out in Python over every record.
"""

import datetime as dt
import random

import pytest
from django.utils import timezone

from dangjian.core.dates import latest_start, month_start, months_between
from dangjian.dues import rules
from dangjian.dues.selectors import arrears_by_org
from dangjian.dues.services import dues_rules
from dangjian.meetings import life_dates
from dangjian.meetings.models import Attendance, LifeRule, Meeting
from dangjian.meetings.selectors import life_warning_count, life_warnings
from dangjian.orgs.models import Member, Status
from tests.dues.conftest import make_due, make_payment, months_ago
from tests.factories import MemberFactory, UserFactory
from tests.perf.conftest import branches

pytestmark = pytest.mark.django_db

SEEDS = [1, 2, 3]


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _life_by_definition(members, today: dt.date, months: int) -> set[int]:
    """Members whose count from the later of their last held meeting (attended or excused) and joining reaches `months`."""
    out = set()
    for m in members:
        attended = [
            timezone.localdate(a.meeting.starts_at)
            for a in Attendance.objects.filter(member=m).select_related("meeting")
            if a.meeting.state == Meeting.State.HELD and a.status in ("present", "leave")
        ]
        since = max([m.joined_on, *attended])
        if months_between(since, today) >= months:
            out.add(m.pk)
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_six_month_rule_for_the_whole_tree_and_a_subtree_matches_the_definition(seed, tree, officer, secretary_a):
    rng = random.Random(seed)
    today = timezone.localdate()
    months = LifeRule.current().first_warning_months
    cutoff = latest_start(today, months)
    orgs = branches(tree["community"], 3, members=0) + [tree["branch_a"]]
    for org in orgs:
        for _ in range(5):
            MemberFactory(org=org, joined_on=cutoff + dt.timedelta(days=rng.choice([-4000, -30, 0, 1, 20])),
                          full_member_on=None, status=rng.choice([Status.ACTIVE] * 4 + [Status.LOST_CONTACT]))
    members = list(Member.objects.filter(org__in=orgs))
    # Meetings on both sides of the cutoff, near local midnight too, in every state and attendance.
    days = [cutoff - dt.timedelta(days=200), cutoff - dt.timedelta(days=1), cutoff, cutoff + dt.timedelta(days=1), today]
    for _ in range(25):
        day = rng.choice(days)
        meeting = Meeting.objects.create(
            org=rng.choice(orgs), meeting_type="theme_day", state=rng.choice(["held", "held", "planned", "cancelled"]),
            starts_at=_local(day, *rng.choice([(0, 10), (14, 0), (23, 50)])), place="活动室", topic="主题党日",
        )
        Attendance.objects.bulk_create([
            Attendance(meeting=meeting, member=m, status=rng.choice(["present", "leave", "absent"]))
            for m in rng.sample(members, 6)
        ])
    life_dates.refresh(m.pk for m in members)  # what the services do after writing attendance

    active = [m for m in members if m.status == Status.ACTIVE]
    expected = _life_by_definition(active, today, months)
    admin = UserFactory(is_superuser=True)
    assert life_warning_count(admin, today) == len(expected)  # the whole tree's form
    assert {w.member.pk for w in life_warnings(admin, today)} == expected
    assert life_warning_count(officer, today) == len(expected)  # the subtree's form
    in_a = {m.pk for m in active if m.org_id == tree["branch_a"].pk}
    assert life_warning_count(secretary_a, today) == len(expected & in_a)


def _arrears_by_definition(today: dt.date) -> list[tuple[int, int, int]]:
    config = dues_rules()
    unpaid: dict[int, set[dt.date]] = {}
    for member in Member.objects.all():
        months = {d.month for d in member.dues.all() if d.month < month_start(today) and not hasattr(d, "payment")}
        if months:
            unpaid[member.pk] = months
    per_org: dict[int, list[int]] = {}
    for member in Member.objects.filter(pk__in=unpaid):
        streak = rules.trailing_unpaid(unpaid[member.pk], today)
        if streak >= config.warn_months:
            counts = per_org.setdefault(member.org_id, [0, 0])
            counts[0] += 1
            counts[1] += streak >= config.alarm_months
    return sorted((org_id, n, bad) for org_id, (n, bad) in per_org.items())


@pytest.mark.parametrize("seed", SEEDS)
def test_arrears_counts_per_organisation_match_the_definition(seed, tree, officer):
    rng = random.Random(seed)
    today = timezone.localdate()
    orgs = branches(tree["community"], 3, members=6)
    members = list(Member.objects.filter(org__in=orgs))
    for member in members:
        for n in range(0, 8):  # this month (not yet owed) and seven ended months
            if rng.random() < 0.85:
                # Some dues stayed with the branch the member has left since.
                due = make_due(member, months_ago(today, n), org=rng.choice([member.org] * 3 + orgs))
                if rng.random() < 0.35:
                    make_payment(due)
    admin = UserFactory(is_superuser=True)
    expected = _arrears_by_definition(today)
    assert expected  # the random data does reach the warning
    assert sorted(arrears_by_org(admin, today=today)) == expected
    # The street officer sees the same organisations' dues here.
    assert sorted(arrears_by_org(officer, today=today)) == expected

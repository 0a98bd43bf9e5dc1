"""Metrics registered over other apps' records: one grouped query, subtree restriction, day boundaries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.appeals.models import Appeal
from dangjian.core import metrics
from dangjian.grids.models import Visit
from tests.dues.conftest import make_due, make_payment
from tests.meetings.conftest import at, held_meeting

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 15)


def _appeal(org, code, resolved_on):
    received = at(resolved_on - dt.timedelta(days=3))
    return Appeal.objects.create(tracking_code=code, channel="phone", org=org, text="路灯不亮", state="resolved",
                                 received_at=received, accept_due_at=received, resolve_due_at=received,
                                 resolved_at=at(resolved_on, 23) if resolved_on else None)


def test_all_four_registered():
    codes = {m.code for m in metrics.all_metrics()}
    assert {"meetings_held", "appeals_resolved", "visits_made", "dues_collected", "members_on_roll"} <= codes


def test_meetings_held_grouped_and_within(tree):
    held_meeting(tree["branch_a"], DAY)
    held_meeting(tree["branch_a"], DAY + dt.timedelta(days=1))  # the day after the window
    held_meeting(tree["branch_b"], DAY)
    with CaptureQueriesContext(connection) as ctx:
        pairs = metrics.get("meetings_held").compute(start=DAY - dt.timedelta(days=30), end=DAY, within=None)
    assert len(ctx.captured_queries) == 1
    assert pairs == {tree["branch_a"].pk: (1.0, 0.0), tree["branch_b"].pk: (1.0, 0.0)}
    assert metrics.metric_value("meetings_held", org=tree["community"], start=DAY, end=DAY) == 2
    assert metrics.metric_value("meetings_held", org=tree["branch_b"], start=DAY, end=DAY + dt.timedelta(days=1)) == 1


def test_appeals_resolved_counts_by_local_day(tree):
    _appeal(tree["community"], "A0000001", DAY)  # 23:00 Shanghai time on DAY
    _appeal(tree["community"], "A0000002", DAY + dt.timedelta(days=1))
    assert metrics.metric_value("appeals_resolved", org=tree["street"], start=DAY, end=DAY) == 1
    assert metrics.metric_value("appeals_resolved", org=tree["branch_a"], start=DAY, end=DAY) == 0


def test_visits_made(tree, member_a):
    for day in (DAY - dt.timedelta(days=1), DAY, DAY):
        Visit.objects.create(kind="member", org=tree["branch_a"], member=member_a, visited_on=day, summary="走访")
    assert metrics.metric_value("visits_made", org=tree["branch_a"], start=DAY, end=DAY) == 2


def test_dues_collected_sums_amounts(tree, member_a, member_b):
    make_payment(make_due(member_a, DAY.replace(day=1), amount="12.50"), paid_on=DAY)
    make_payment(make_due(member_b, DAY.replace(day=1), amount="8.00"), paid_on=DAY + dt.timedelta(days=1))
    assert metrics.metric_value("dues_collected", org=tree["community"], start=DAY, end=DAY) == 12.5
    assert metrics.metric_value("dues_collected", org=tree["community"], start=DAY, end=DAY + dt.timedelta(days=1)) == 20.5


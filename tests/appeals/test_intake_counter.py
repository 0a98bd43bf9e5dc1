"""The intake's rate-limit counter: one statement per request, exact under the limit, per key and per hour."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.appeals import guard
from dangjian.appeals.models import IntakeCounter

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(dt.datetime(2026, 7, 1, 10, 5))


def test_counts_each_request_per_key_and_hour():
    assert [guard.hit("submit:10.0.0.1", now=T0 + dt.timedelta(minutes=i)) for i in range(3)] == [1, 2, 3]
    assert guard.hit("submit:10.0.0.2", now=T0) == 1  # another address: its own count
    assert guard.hit("track:10.0.0.1", now=T0) == 1  # another budget: its own count
    assert guard.hit("submit:10.0.0.1", now=T0 + dt.timedelta(minutes=55)) == 1  # 11:00: a new window
    assert guard.hit("submit:10.0.0.1", now=T0 + dt.timedelta(minutes=54)) == 4  # still 10:00's window
    rows = dict(IntakeCounter.objects.filter(key="submit:10.0.0.1").values_list("window", "count"))
    assert rows == {T0.replace(minute=0): 4, T0.replace(hour=11, minute=0): 1}


def test_over_limit_from_the_request_after_the_limit(settings):
    settings.APPEALS_RATE_LIMIT = 3
    assert [guard.over_limit("submit", "10.0.0.1", now=T0) for _ in range(5)] == [False, False, False, True, True]


def test_a_counted_request_costs_one_statement_once_the_window_exists():
    guard.hit("submit:10.0.0.1", now=T0)
    with CaptureQueriesContext(connection) as ctx:
        assert guard.hit("submit:10.0.0.1", now=T0) == 2
    statements = [q["sql"] for q in ctx.captured_queries if "intakecounter" in q["sql"].lower()]
    assert len(statements) == 1 and statements[0].startswith("UPDATE")

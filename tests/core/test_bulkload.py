"""core.bulkload: generated rows go in unchanged (COPY on PostgreSQL, executemany elsewhere), from a generator."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from dangjian.core.bulkload import load_rows
from dangjian.orgs.models import StatusChange
from tests.factories import MemberFactory, make_org

# Text COPY's own escapes and separators must arrive as written.
AWKWARD = ["tab\there", "line\nbreak", "back\\slash", "引号'\"", "\\N", "", "a,b|c"]


@pytest.mark.django_db
def test_rows_from_a_generator_arrive_as_written_text_dates_and_nulls_included():
    member = MemberFactory(org=make_org(kind="branch"))
    now = timezone.now()
    ops = connection.ops

    def rows():
        for i, reason in enumerate(AWKWARD):
            yield (member.pk, "active", "lost_contact", ops.adapt_datefield_value(dt.date(2024, 1, 1 + i)), reason,
                   None if i % 2 else ops.adapt_datefield_value(dt.date(2023, 12, 1)), ops.adapt_datetimefield_value(now))

    n = load_rows(StatusChange._meta.db_table,
                  ["member_id", "from_status", "to_status", "changed_on", "reason", "decided_on", "recorded_at"],
                  rows(), batch=3)
    assert n == len(AWKWARD)
    got = list(StatusChange.objects.filter(member=member).order_by("changed_on")
               .values_list("reason", "changed_on", "decided_on", "recorded_at"))
    assert [r[0] for r in got] == AWKWARD
    assert [r[1] for r in got] == [dt.date(2024, 1, 1 + i) for i in range(len(AWKWARD))]
    assert [r[2] for r in got] == [None if i % 2 else dt.date(2023, 12, 1) for i in range(len(AWKWARD))]
    assert {r[3] for r in got} == {now}


@pytest.mark.django_db
def test_nothing_to_write_writes_nothing():
    assert load_rows(StatusChange._meta.db_table, ["member_id"], iter(())) == 0
    assert not StatusChange.objects.exists()

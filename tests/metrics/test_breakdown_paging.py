"""breakdown_page: the database counts and pages what `breakdown` lists, for every metric, one page at a time."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core import metrics
from dangjian.orgs.models import Org
from tests.evaluation.conftest import Q3, appeal
from tests.metrics.test_breakdown_property import TOL, demo_db  # noqa: F401  (the module's demo fixture)

END = dt.date(2026, 9, 30)


def _pages(code, org, start, end, *, pages):
    """Every record and missing item, walked in about `pages` pages (at least 7 a page)."""
    whole = metrics.breakdown_page(code, org=org, start=start, end=end, offset=0, limit=10_000)
    limit = max(7, -(-max(whole.count, whole.missing_count) // pages))
    first = metrics.breakdown_page(code, org=org, start=start, end=end, offset=0, limit=limit)
    records, missing = [], []
    for offset in range(0, max(first.count, 1), limit):
        records += metrics.breakdown_page(code, org=org, start=start, end=end, offset=offset, limit=limit).records
    for offset in range(0, max(first.missing_count, 1), limit):
        missing += metrics.breakdown_page(code, org=org, start=start, end=end, offset=0, limit=limit,
                                          missing_offset=offset).missing
    return first, records, missing


@pytest.mark.django_db
def test_pages_put_together_are_the_whole_breakdown_for_every_metric(demo_db):  # noqa: F811
    root = Org.objects.get(depth=1)
    branch = Org.objects.filter(kind="branch", is_active=True).order_by("path").first()
    start, end = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
    paged_in_db = 0
    for code in [m.code for m in metrics.all_metrics()]:
        paged_in_db += metrics.get(code).records_from_sources
        for org in (root, branch):
            whole = metrics.breakdown(code, org=org, start=start, end=end)
            first, records, missing = _pages(code, org, start, end, pages=4)
            assert first.count == len(whole.records) and first.missing_count == len(whole.missing), code
            assert abs(first.numerator - whole.numerator) < TOL and abs(first.denominator - whole.denominator) < TOL
            assert first.value == whole.value or abs(first.value - whole.value) < TOL, code
            assert records == whole.records, code
            assert missing == whole.missing, code
    assert paged_in_db >= 15  # most metrics are sources: the database pages them


@pytest.mark.django_db
def test_a_page_costs_the_same_queries_however_many_records(tree):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            page = metrics.breakdown_page("appeal_resolution_rate", org=tree["street"], start=Q3, end=END,
                                          offset=1, limit=2, missing_offset=1)
        return len(ctx.captured_queries), page

    for i in range(4):
        appeal(tree["community"], dt.date(2026, 7, 3 + i), confirmed=i < 2)
    small, page = queries()
    assert (page.count, page.numerator, page.missing_count) == (4, 2, 2)
    assert len(page.records) == 2 and len(page.missing) == 1
    for i in range(40):
        appeal(tree["community"], dt.date(2026, 8, 1 + i % 28), confirmed=i < 10)
    large, page = queries()
    assert (page.count, page.numerator, page.missing_count) == (44, 12, 32)
    assert len(page.records) == 2 and len(page.missing) == 2
    assert large == small

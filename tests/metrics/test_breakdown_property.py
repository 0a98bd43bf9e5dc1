"""Every registered metric's records() reproduce its figure exactly, and `missing` lists the expected items not done.

Two kinds of data: the demo organisation (every feature seeder, one fixed seed) and
Hypothesis-generated records on a small tree. The expected missing items of the
generated data are worked out here from the generated facts themselves (which
months were paid by their month's end, which monthly slots had a meeting), not
from the code under test.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.core import metrics
from dangjian.orgs.models import Org
from tests.evaluation.conftest import at
from tests.factories import MemberFactory

TOL = 1e-6


def _pair_for(metric, org, start, end, paths):
    """The snapshot's figure for one org: the bulk compute over the whole tree, rolled up."""
    pairs = metrics.rollup(metric.compute(start=start, end=end, within=None), paths)
    return pairs.get(org.pk, (0.0, 0.0))


def assert_reproduces(code, org, start, end, paths):
    metric = metrics.get(code)
    num, den = _pair_for(metric, org, start, end, paths)
    bd = metrics.breakdown(code, org=org, start=start, end=end)
    assert abs(bd.numerator - num) < TOL, (code, org.name, start, bd.numerator, num)
    assert abs(bd.denominator - den) < TOL, (code, org.name, start, bd.denominator, den)
    # A missing item is an expected record not done: numerator short of its denominator, or (an answer not
    # collected) counted in neither.
    assert all(r.numerator < r.denominator or r.numerator == r.denominator == 0 for r in bd.missing), code
    compliance = any(s.compliance for s in metric.sources) or any(r.model.endswith(".slot") for r in bd.records)
    if compliance:
        assert [r for r in bd.records if r.numerator < r.denominator] == bd.missing, code
    assert len({(r.model, r.id) for r in bd.records}) == len(bd.records), f"{code}: a record counted twice"
    return bd


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            call_command("demo_org", "--scale", "300", "--seed", "7", "--today", "2026-06-30",
                         stdout=io.StringIO(), stderr=io.StringIO())
            yield
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_metric_reproduces_its_figure_on_the_demo(demo_db):
    paths = dict(Org.objects.values_list("id", "path"))
    orgs = list(Org.objects.filter(is_active=True).order_by("path"))
    codes = [m.code for m in metrics.all_metrics()]
    assert len(codes) >= 21
    seen_missing = set()
    for start, end in ((dt.date(2026, 1, 1), dt.date(2026, 3, 31)), (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
                       (dt.date(2025, 1, 1), dt.date(2025, 12, 31))):
        for code in codes:
            for org in orgs:
                bd = assert_reproduces(code, org, start, end, paths)
                if bd.missing:
                    seen_missing.add(code)
    # The demo leaves some of each kind of expected item undone.
    assert {"meeting_compliance_rate", "dues_on_time_rate"} <= seen_missing


# ---------------------------------------------------------------- generated records

MONTHS = [dt.date(2026, m, 1) for m in range(1, 7)]
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


def _month_end(month: dt.date) -> dt.date:
    nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


dues_plan = st.lists(  # per due: (member index, month index, paid after how many days of the month, or never)
    st.tuples(st.integers(0, 5), st.integers(0, 5), st.one_of(st.none(), st.integers(0, 45))),
    max_size=20, unique_by=lambda t: (t[0], t[1]))
meetings_plan = st.lists(  # per meeting: (branch index, day of 2026 H1, type index, state index)
    st.tuples(st.integers(0, 1), st.integers(0, 180), st.integers(0, 3), st.integers(0, 2)), max_size=12)
attendance_plan = st.lists(st.tuples(st.integers(0, 5), st.booleans()), max_size=6, unique_by=lambda t: t[0])


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dues=dues_plan, meetings=meetings_plan, attendance=attendance_plan)
def test_generated_records_reproduce_figures_and_missing_items(tree, dues, meetings, attendance):
    from dangjian.dues.models import Due, Payment
    from dangjian.meetings.models import Attendance, Meeting, MeetingRule

    types = ["branch_general", "branch_committee", "group", "lecture"]
    states = ["held", "planned", "cancelled"]
    with transaction.atomic():
        branches = [tree["branch_a"], tree["branch_b"]]
        people = [MemberFactory(org=branches[i % 2], joined_on=dt.date(2020, 1, 1)) for i in range(6)]
        # A monthly rule for the branch general meeting only, so the expected slots are plain months.
        MeetingRule.objects.update(every_months=0)
        MeetingRule.objects.update_or_create(meeting_type="branch_general", defaults={"every_months": 1})
        expected_unpaid = set()
        for who, month_i, paid_after in dues:
            member, month = people[who], MONTHS[month_i]
            d = Due.objects.create(member=member, org=member.org, month=month, employment="employed", amount="10.00")
            if paid_after is not None:
                Payment.objects.create(due=d, amount="10.00", paid_on=month + dt.timedelta(days=paid_after))
            if paid_after is None or month + dt.timedelta(days=paid_after) > _month_end(month):
                expected_unpaid.add(d.pk)
        held_months = {0: set(), 1: set()}
        first = None
        for b, day, t, s in meetings:
            when = START + dt.timedelta(days=day)
            mt = Meeting.objects.create(org=branches[b], meeting_type=types[t], state=states[s], starts_at=at(when),
                                        place="会议室", topic="学习")
            first = first or mt
            if types[t] == "branch_general" and states[s] == "held":
                held_months[b].add(when.month)
        if first is not None:
            for who, present in attendance:
                Attendance.objects.create(meeting=first, member=people[who], status="present" if present else "absent")

        paths = dict(Org.objects.values_list("id", "path"))
        for code in [m.code for m in metrics.all_metrics()]:
            for org in tree.values():
                assert_reproduces(code, org, START, END, paths)

        # Dues: exactly the months not paid by their month's end are missing.
        bd = metrics.breakdown("dues_on_time_rate", org=tree["street"], start=START, end=END)
        assert {r.id for r in bd.missing} == expected_unpaid
        # Meetings: each branch misses exactly the months without a held general meeting.
        bd = metrics.breakdown("meeting_compliance_rate", org=tree["street"], start=START, end=END)
        for b, branch in enumerate(branches):
            missed = sorted(r.date.month for r in bd.missing if r.org_id == branch.pk)
            assert missed == [mo for mo in range(1, 7) if mo not in held_months[b]]
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_appeals_page_and_indicators_agree_for_every_demo_org(demo_db):
    from dangjian.appeals.models import Appeal
    from dangjian.appeals.selectors import appeal_rates

    start, end = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
    lo, hi = metrics.day_bounds(start, end)
    seen = 0
    for org in Org.objects.filter(is_active=True):
        page = appeal_rates(Appeal.objects.filter(org__path__subtree=org.path, received_at__gte=lo, received_at__lt=hi))
        for code, rate in (("appeal_response_rate", page.response_rate), ("appeal_resolution_rate", page.resolution_rate),
                           ("appeal_satisfaction_rate", page.satisfaction_rate), ("appeal_on_time_rate", page.on_time_rate)):
            value = metrics.metric_value(code, org=org, start=start, end=end)
            assert (None if value is None else round(value, 4)) == rate, (code, org.name)
        bd = metrics.breakdown("appeal_satisfaction_rate", org=org, start=start, end=end)
        assert len(bd.missing) == page.not_called_back
        seen += page.received > 0
    assert seen and Appeal.objects.filter(decline_approved_at__isnull=False).exists()

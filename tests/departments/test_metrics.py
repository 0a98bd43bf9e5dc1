"""吹哨报到 figures are registered metrics (issue 12): the registry, the API breakdown and the departments page
give the same numbers, and the records behind each add up to it."""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.appeals import services as appeal_services
from dangjian.appeals.models import Appeal
from dangjian.core import metrics
from dangjian.departments import services
from tests.appeals.helpers import submit, walk
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
PIPE = "和平里3号楼楼下水管爆了，水流了一地"


@pytest.fixture
def scene(officer, community_secretary, water, water_user, tree):
    """Four cases summoned one hour after reception with a day to answer: answered after 2, 4 and 39 hours, one
    never; the residents confirm one resolved (satisfied) and one not (basically satisfied). A fifth case, never
    summoned, confirmed resolved, counts for the community but not for the departments."""
    org = tree["community"]
    t0 = timezone.now() - dt.timedelta(days=5)
    cases = [submit(org, f"{PIPE}{i}", now=t0) for i in range(5)]
    summonses = [services.summons_create(by=officer, appeal=a, department=water, request="请派员抢修",
                                         due_at=t0 + dt.timedelta(hours=25), now=t0 + dt.timedelta(hours=1))
                 for a in cases[:4]]
    for s, hours in zip(summonses[:3], (3, 5, 40), strict=True):
        services.summons_answer(by=water_user, summons=s, answer="已处置", now=t0 + dt.timedelta(hours=hours))
    for a in (*cases[:3], cases[4]):
        walk(a, community_secretary, until="resolve", now=t0 + dt.timedelta(hours=6))
    appeal_services.appeal_callback(by=officer, appeal=Appeal.objects.get(pk=cases[0].pk), resolved=True,
                                    rating="satisfied")
    appeal_services.appeal_rate(tracking_code=cases[1].tracking_code, resolved=False, rating="basic")
    appeal_services.appeal_callback(by=officer, appeal=Appeal.objects.get(pk=cases[4].pk), resolved=True,
                                    rating="satisfied")
    return {"org": org, "start": (t0 - dt.timedelta(days=1)).date(), "end": timezone.localdate(),
            "summonses": summonses}


def test_the_figures_are_registered_by_departments():
    codes = {m.code: m for m in metrics.all_metrics() if m.app == "departments"}
    assert set(codes) == {"summonses_received", "summons_response_rate", "summons_answer_hours",
                          "summoned_case_resolution_rate", "summoned_case_satisfaction_rate"}
    assert codes["summons_answer_hours"].higher_is_better is False


def test_values_match_the_page_and_the_records_add_up(scene, officer, tree):
    org, start, end = scene["org"], scene["start"], scene["end"]
    for where in (org, tree["street"]):  # counted where the case is, rolled up to the street
        def value(code, where=where):
            return metrics.metric_value(code, org=where, start=start, end=end)

        assert value("summonses_received") == 4
        assert value("summons_response_rate") == 0.5  # 2 of 4 answered within the day
        assert value("summons_answer_hours") == pytest.approx((2 + 4 + 39) / 3, abs=1e-3)
        assert value("summoned_case_resolution_rate") == 0.25  # the fifth case was never summoned
        assert value("summoned_case_satisfaction_rate") == 1.0
    # The community's own resolution rate counts the fifth case too: a different figure, a different name.
    assert metrics.metric_value("appeal_resolution_rate", org=org, start=start, end=end) == 0.4
    api = client_for(officer)
    (dept,) = [r for r in api.get(f"/api/departments/metrics?start={start}&end={end}").json()
               if r["kind"] == "department"]
    assert dept["response_rate"] == 0.5 and dept["answer_hours"] == 15.0
    assert dept["resolution_rate"] == 0.25 and dept["satisfaction_rate"] == 1.0
    assert "15.0" in api.get(f"/departments/metrics/?start={start}&end={end}").content.decode()
    bd = api.get(f"/api/metrics/summons_response_rate/breakdown?org={org.pk}&start={start}&end={end}").json()
    assert (bd["numerator"], bd["denominator"], bd["count"]) == (2, 4, 4)
    late, never = scene["summonses"][2:]
    assert sorted(r["url"] for r in bd["missing"]) == sorted(f"/departments/summonses/{s.pk}/" for s in (late, never))
    hours = metrics.breakdown("summons_answer_hours", org=org, start=start, end=end)
    assert sorted(round(r.numerator, 3) for r in hours.records) == [2.0, 4.0, 39.0]  # the unanswered one adds to neither term
    assert hours.denominator == 3


def test_outside_the_period_nothing(scene):
    later = scene["end"] + dt.timedelta(days=1)
    assert metrics.metric_value("summonses_received", org=scene["org"], start=later, end=later) == 0
    assert metrics.metric_value("summons_response_rate", org=scene["org"], start=later, end=later) is None

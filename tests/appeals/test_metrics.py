import datetime as dt

import pytest
from django.utils import timezone

from dangjian.appeals import services
from dangjian.appeals.models import Appeal
from dangjian.appeals.selectors import appeal_rates, rankings, rates_by
from dangjian.appeals.todo import todo_items as appeal_todo
from tests.appeals.helpers import submit, walk

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC)


def _scenario(by, org):
    """4 appeals: on time + satisfied; late + dissatisfied then basic; accepted late, open; declined."""
    a = walk(submit(org, now=T0), by, until="resolve", now=T0 + dt.timedelta(hours=10))
    services.appeal_rate(tracking_code=a.tracking_code, rating="satisfied")
    b = walk(submit(org, now=T0), by, until="resolve", now=T0 + dt.timedelta(days=8))
    services.appeal_rate(tracking_code=b.tracking_code, rating="dissatisfied")
    b = services.appeal_transition(appeal=b, step="resolve", by=by, data={"resolution": "再次处理"}, now=T0 + dt.timedelta(days=9))
    services.appeal_rate(tracking_code=b.tracking_code, rating="basic")
    walk(submit(org, now=T0), by, until="accept", now=T0 + dt.timedelta(hours=25))
    d = submit(org, now=T0)
    services.appeal_transition(appeal=d, step="reject", by=by, data={"note": "重复反映"}, now=T0 + dt.timedelta(hours=1))


def test_three_rates_and_composite(community_secretary, tree):
    _scenario(community_secretary, tree["community"])
    r = appeal_rates(Appeal.objects.all())
    assert r.received == 3  # declined ones are not counted
    # Only a was accepted within 24 h; three ratings were given (b's dissatisfied one reopened it).
    assert (r.responded, r.resolved, r.rated, r.satisfied) == (1, 2, 3, 2)
    assert r.response_rate == round(1 / 3, 4) and r.resolution_rate == round(2 / 3, 4)
    assert r.satisfaction_rate == round(2 / 3, 4) and r.on_time_rate == 0.5 and r.reopen_rate == 0.5
    assert r.avg_hours == round((10 + 9 * 24) / 2, 1)
    assert r.composite == round(100 * (0.30 * 1 / 3 + 0.35 * 2 / 3 + 0.35 * 2 / 3), 1)


def test_rates_by_grid_and_rankings_switch(community_secretary, tree, grid1, grid2, settings):
    for _ in range(5):
        walk(submit(tree["community"], address="和平里", now=T0), community_secretary, until="resolve", now=T0)
        submit(tree["community"], address="幸福苑", now=T0)
    grouped = dict(rates_by(Appeal.objects.all(), "grid"))
    assert grouped[grid1.pk].resolution_rate == 1.0 and grouped[grid2.pk].resolution_rate == 0.0
    settings.DANGJIAN = {**settings.DANGJIAN, "RANKINGS_ENABLED": False}
    assert rankings(list(grouped.items()), size=1) is None
    settings.DANGJIAN = {**settings.DANGJIAN, "RANKINGS_ENABLED": True}
    lists = rankings(list(grouped.items()), size=1)
    assert lists["red"][0][0] == grid1.pk and lists["black"][0][0] == grid2.pk


def test_metrics_page_and_api(as_community, as_secretary_b, as_anonymous, community_secretary, tree, settings):
    _scenario(community_secretary, tree["community"])
    page = as_community.get("/appeals/metrics/?start=2026-05-01&end=2026-05-31")
    assert page.status_code == 200 and "和平社区党委" in page.content.decode()
    assert "红榜" not in page.content.decode()
    empty = as_secretary_b.get("/appeals/metrics/?start=2026-05-01&end=2026-05-31").content.decode()
    assert "和平社区党委" not in empty
    assert as_anonymous.get("/appeals/metrics/").status_code == 302
    r = as_community.get("/api/appeals/metrics?start=2026-05-01&end=2026-05-31").json()
    assert r["received"] == 3 and r["on_time_rate"] == 0.5
    assert as_community.get("/api/appeals/metrics?start=2026-06-01&end=2026-06-30").json()["received"] == 0


def test_todo_lists_waiting_and_overdue(community_secretary, grid_worker, secretary_b, tree, grid1, grid2):
    old = submit(tree["community"], address="和平里", now=timezone.now() - dt.timedelta(days=2))
    fresh = submit(tree["community"], address="幸福苑")
    items = {i.url: i for i in appeal_todo(community_secretary)}
    assert items[f"/appeals/case/{old.tracking_code}/"].severity == "bad"
    assert items[f"/appeals/case/{fresh.tracking_code}/"].severity == "warn"
    assert [i.url for i in appeal_todo(grid_worker)] == [f"/appeals/case/{old.tracking_code}/"]
    assert appeal_todo(secretary_b) == []


def test_home_shows_appeal_todo(as_community, tree):
    appeal = submit(tree["community"])
    assert appeal.tracking_code in as_community.get("/").content.decode()


def test_config_page(as_officer, as_community, tree):
    assert as_officer.get("/appeals/settings/").status_code == 200
    r = as_officer.post("/appeals/settings/", {"accept_hours": 12, "resolve_days": 10, "complex_days": 5, "rating_days": 7})
    assert r.status_code == 400 and "不能短于一般时限" in r.content.decode()
    r = as_officer.post("/appeals/settings/", {"accept_hours": 12, "resolve_days": 5, "complex_days": 10, "rating_days": 7})
    assert r.status_code == 302
    # Only officers of the top of the tree change installation-wide deadlines.
    assert as_community.post("/appeals/settings/", {"accept_hours": 1, "resolve_days": 1, "complex_days": 1,
                                                    "rating_days": 1}).status_code == 404
    from dangjian.appeals.models import AppealConfig

    assert AppealConfig.current().accept_hours == 12

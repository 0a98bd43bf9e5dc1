import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.appeals import services
from dangjian.appeals.models import Appeal
from dangjian.appeals.selectors import appeal_rates, rankings, rates_by
from dangjian.appeals.todo import todo_items as appeal_todo
from tests.appeals.helpers import submit, walk

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC)


def _scenario(by, org):
    """4 appeals: on time, confirmed resolved and satisfied; late, not resolved and dissatisfied at the first
    call-back then resolved and basically satisfied; accepted late, open; declined (no approval yet)."""
    a = walk(submit(org, now=T0), by, until="resolve", now=T0 + dt.timedelta(hours=10))
    services.appeal_rate(tracking_code=a.tracking_code, rating="satisfied", resolved=True)
    b = walk(submit(org, now=T0), by, until="resolve", now=T0 + dt.timedelta(days=8))
    services.appeal_rate(tracking_code=b.tracking_code, rating="dissatisfied", resolved=False)
    b = services.appeal_transition(appeal=b, step="resolve", by=by, data={"resolution": "再次处理"}, now=T0 + dt.timedelta(days=9))
    services.appeal_rate(tracking_code=b.tracking_code, rating="basic", resolved=True)
    walk(submit(org, now=T0), by, until="accept", now=T0 + dt.timedelta(hours=25))
    d = submit(org, now=T0)
    services.appeal_transition(appeal=d, step="reject", by=by, data={"note": "重复反映"}, now=T0 + dt.timedelta(hours=1))
    return d


def test_three_rates_and_composite(community_secretary, officer, tree):
    d = _scenario(community_secretary, tree["community"])
    r = appeal_rates(Appeal.objects.all())
    # The decline awaits the superior's approval: it still counts (and was not accepted in time).
    assert (r.received, r.declined, r.declined_pending) == (4, 0, 1)
    # Only a was accepted within 24 h; both handled appeals were confirmed resolved by the resident;
    # one answer per appeal (b's latest): satisfied and basically satisfied.
    assert (r.responded, r.resolved, r.handled, r.rated, r.satisfied) == (1, 2, 2, 2, 2)
    assert r.response_rate == 0.25 and r.resolution_rate == 0.5
    assert r.satisfaction_rate == 1.0 and r.on_time_rate == 0.5 and r.reopen_rate == 0.5
    assert r.avg_hours == round((10 + 9 * 24) / 2, 1)
    assert r.composite == round(100 * (0.30 * 0.25 + 0.35 * 0.5 + 0.35 * 1.0), 1)
    services.appeal_decline_approve(by=officer, appeal=d)
    r = appeal_rates(Appeal.objects.all())
    assert (r.received, r.declined, r.declined_pending, r.responded) == (3, 1, 0, 1)


def test_declining_needs_the_superior_not_the_one_who_declined(community_secretary, officer, tree):
    d = _scenario(community_secretary, tree["community"])
    with pytest.raises(Appeal.DoesNotExist):  # the community's own secretary is not its superior
        services.appeal_decline_approve(by=community_secretary, appeal=d)
    assert Appeal.objects.get(pk=d.pk).decline_approved_at is None


def test_the_handling_unit_cannot_record_its_own_call_back(community_secretary, officer, tree):
    a = walk(submit(tree["community"], now=T0), community_secretary, until="resolve", now=T0 + dt.timedelta(hours=3))
    with pytest.raises(ValidationError):
        services.appeal_callback(by=community_secretary, appeal=a, resolved=True, rating="satisfied")
    a = services.appeal_callback(by=officer, appeal=a, resolved=True, rating="basic")
    assert (a.state, a.callback_resolved, a.callback_by, a.rating) == ("closed", True, officer, "basic")


def test_no_answers_no_satisfaction_and_not_called_back_apart(community_secretary, tree):
    for _ in range(3):
        walk(submit(tree["community"], now=T0), community_secretary, until="resolve", now=T0 + dt.timedelta(hours=3))
    r = appeal_rates(Appeal.objects.all())
    assert r.satisfaction_rate is None and r.not_called_back == 3 and r.resolution_rate == 0.0
    # The composite leaves the missing rate out instead of giving it full marks.
    assert r.composite == round(100 * (0.30 * 1.0 + 0.35 * 0.0) / 0.65, 1)


def test_rates_by_grid_and_rankings_switch(community_secretary, tree, grid1, grid2, settings):
    for _ in range(5):
        a = walk(submit(tree["community"], address="和平里", now=T0), community_secretary, until="resolve", now=T0)
        services.appeal_rate(tracking_code=a.tracking_code, rating="satisfied", resolved=True)
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
    assert r["received"] == 4 and r["on_time_rate"] == 0.5 and r["declined_pending"] == 1
    assert as_community.get("/api/appeals/metrics?start=2026-06-01&end=2026-06-30").json()["received"] == 0


def test_todo_lists_waiting_and_overdue(community_secretary, grid_worker, secretary_b, tree, grid1, grid2):
    old = submit(tree["community"], address="和平里", now=timezone.now() - dt.timedelta(days=2))
    fresh = submit(tree["community"], address="幸福苑")
    items = {i.url: i for i in appeal_todo(community_secretary)}
    assert items[f"/appeals/case/{old.pk}/"].severity == "bad"
    assert items[f"/appeals/case/{fresh.pk}/"].severity == "warn"
    assert [i.url for i in appeal_todo(grid_worker)] == [f"/appeals/case/{old.pk}/"]
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

"""Bounded query counts whatever the tree size, and the JSON API (same series as the charts, scoped)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.conftest import client_for
from tests.dashboards.report_job import report_file
from tests.factories import UserFactory, grant

from dangjian.accounts.roles import Role


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _officer_of(street):
    user = UserFactory()
    grant(user, street, Role.ORG_OFFICER)
    return client_for(user)


def _urls(street, community, period):
    return [
        reverse("dashboards:org", args=[street.pk]) + f"?period={period.pk}",
        reverse("dashboards:org", args=[community.pk]) + f"?period={period.pk}",
        reverse("dashboards:drill", args=[community.pk, "visits_per_member"]) + f"?period={period.pk}&sort=-value",
        reverse("dashboards:compare") + f"?period={period.pk}&kind=branch",
        reverse("dashboards:screen") + f"?period={period.pk}",
        reverse("dashboards:screen_data") + f"?period={period.pk}",
        reverse("dashboards:export", args=["compare", "efficiency"]) + f"?period={period.pk}&kind=branch",
        # The report link opens the job's start page; the report itself is counted below, through its job.
        reverse("operations:job_start", args=["period_report"]) + f"?org={community.pk}&period={period.pk}&fmt=xlsx",
        f"/api/dashboards/compare/?period={period.pk}&kind=branch",
        f"/api/dashboards/overview/?org={community.pk}&period={period.pk}",
    ]


@pytest.mark.parametrize("rankings", [True, False])
def test_every_page_runs_the_same_number_of_queries_for_n_and_2n_orgs(wide_tree, settings, rankings):
    from dangjian.orgs.models import Org

    settings.DANGJIAN = {**settings.DANGJIAN, "RANKINGS_ENABLED": rankings}
    small, period = wide_tree(4, code="A")
    large, _ = wide_tree(8, code="B")
    counts = {}
    for street in (small, large):
        community = Org.objects.get_children(street).get()
        client = _officer_of(street)
        urls = _urls(street, community, period)
        for url in urls:  # warm-up: the audit chain's head row is created by the first export
            _count(client, url)
        counts[street.code] = [_count(client, url) for url in urls]
        with CaptureQueriesContext(connection) as ctx:
            report_file(client, community, period, "xlsx")  # link, start page, job (inline in tests), download
        counts[street.code].append(len(ctx.captured_queries))
    assert counts["AS"] == counts["BS"], counts


# ---------------------------------------------------------------- API


def test_api_compare_returns_the_chart_series(as_officer, tree, snapshots):
    r = as_officer.get(f"/api/dashboards/compare/?period={snapshots['q3'].pk}&kind=branch")
    assert r.status_code == 200
    charts = {c["key"]: c for c in r.json()["charts"]}
    assert {"distribution", "spread", "efficiency", "malmquist"} <= set(charts)
    eff = charts["efficiency"]
    assert eff["option"]["series"][0]["data"][0]["name"] == "和平社区第二党支部"
    assert [row[0] for row in eff["rows"]] == ["和平社区第二党支部", "和平社区第一党支部"]


def test_api_overview_and_drill(as_officer, tree, snapshots):
    r = as_officer.get(f"/api/dashboards/overview/?org={tree['branch_a'].pk}&period={snapshots['q3'].pk}")
    trend = next(c for c in r.json()["charts"] if c["key"] == "trend")
    assert [row[1] for row in trend["rows"]] == [58.0, 62.0]
    r = as_officer.get(f"/api/dashboards/drill/?code=dues_on_time_rate&org={tree['community'].pk}"
                       f"&period={snapshots['q3'].pk}&sort=value")
    children = next(c for c in r.json()["charts"] if c["key"] == "children")
    assert children["rows"] == [["和平社区第一党支部", 62.0, 6.2, 10.0], ["和平社区第二党支部", 90.0, 9.0, 10.0]]
    assert as_officer.get("/api/dashboards/drill/?code=nope").status_code == 404


def test_api_scope(as_secretary_b, tree, snapshots):
    q = f"period={snapshots['q3'].pk}"
    assert as_secretary_b.get(f"/api/dashboards/overview/?org={tree['branch_a'].pk}&{q}").status_code == 404
    assert as_secretary_b.get(f"/api/dashboards/screen/?org={tree['community'].pk}&{q}").status_code == 404
    r = as_secretary_b.get(f"/api/dashboards/compare/?{q}")
    names = {row[0] for c in r.json()["charts"] for row in c["rows"] if isinstance(row[0], str)}
    assert "和平社区第一党支部" not in str(r.json()) and "和平社区第二党支部" in str(r.json())
    assert names  # the branch's own rows are there
    screen = as_secretary_b.get(f"/api/dashboards/screen/?{q}").json()
    assert "和平社区第一党支部" not in str(screen)


def test_api_needs_authentication(as_anonymous):
    assert as_anonymous.get("/api/dashboards/compare/").status_code == 401
    assert as_anonymous.get("/api/dashboards/screen/").status_code == 401

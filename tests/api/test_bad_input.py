"""Bad query parameters answer 400 with a Chinese message, never a 500 (issue 16, finding 11).

The values are the ones the security test sent: a year 0, -1 or 99999, a
negative limit and offset, a page number past 64 bits.
"""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.evaluation.models import Efficiency, Period
from tests.api.conftest import ApiClient


def _refused(response, field: str) -> str:
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert field in body["errors"], body
    message = body["errors"][field][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    return message


@pytest.mark.parametrize(("url", "field"), [
    ("/api/dues/summary?year=0", "year"),
    ("/api/dues/summary?year=99999", "year"),
    ("/api/meetings?year=-1", "year"),
    ("/api/meetings/compliance?year=99999", "year"),
    ("/api/meetings/appraisals?year=0", "year"),
    ("/api/duty?year=-1", "year"),
    ("/api/committees/terms?limit=-5&offset=-3", "limit"),
    ("/api/committees/terms?limit=5&offset=-3", "offset"),
    ("/api/meetings?limit=0", "limit"),
    ("/api/appeals/?offset=-1", "offset"),
    ("/api/appeals/metrics?start=0001-01-01&end=9999-12-31", "start"),
])
def test_years_limits_and_offsets_out_of_range_are_400(api_officer, url, field):
    _refused(api_officer.get(url), field)


@pytest.mark.parametrize("url", ["/api/members/", "/api/orgs/", "/api/transfers/", "/api/dues/ledger"])
def test_a_page_number_past_64_bits_is_400(api_officer, member_a, url):
    message = _refused(api_officer.get(url, {"page": "99999999999999999999"}), "page")
    assert "1000000" in message


def test_a_page_past_the_end_is_an_empty_page(api_officer, member_a):
    body = api_officer.get("/api/members/", {"page": "1000000"}).json()
    assert body["items"] == [] and body["count"] >= 1


def test_an_id_past_64_bits_is_answered_not_crashed(api_officer, member_a):
    # SQLite cannot bind it (OverflowError); PostgreSQL compares it and finds nothing.
    response = api_officer.get("/api/members/99999999999999999999")
    assert response.status_code in (400, 404)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


def test_valid_values_still_work(api_officer, member_a):
    year = timezone.localdate().year
    assert api_officer.get(f"/api/dues/summary?year={year}").status_code == 200
    assert api_officer.get(f"/api/meetings/compliance?year={year}").status_code == 200
    assert api_officer.get("/api/committees/terms?limit=5&offset=0").status_code == 200
    assert api_officer.get("/api/meetings?year=2025&limit=500").status_code == 200


def test_compare_answers_with_registered_metric_names(api_officer, tree):
    """The comparison's efficiency chart names its inputs and outputs from the metric registry
    (lazy translations): the API answer must still validate (it was a 500 whenever a period had DEA)."""
    period = Period.objects.create(
        kind="quarter", start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30), as_of=dt.date(2026, 9, 30),
        computed_at=timezone.now(), version=1, eff_inputs=["dues_collected"], eff_outputs=["appeals_resolved"])
    for org, score in ((tree["branch_a"], 0.5), (tree["branch_b"], 1.0)):
        Efficiency.objects.create(period=period, org=org, score=score, efficient=score >= 0.999,
                                  inputs={"dues_collected": 100.0}, outputs={"appeals_resolved": 10 * score},
                                  targets={}, peers={})
    response = api_officer.get(f"/api/dashboards/compare/?period={period.pk}&kind=branch")
    assert response.status_code == 200, response.content[:300]
    efficiency = next(c for c in response.json()["charts"] if c["key"] == "efficiency")
    assert "党费收缴金额" in efficiency["headers"]


def test_anonymous_still_401(db):
    assert ApiClient().get("/api/dues/summary?year=0").status_code == 401

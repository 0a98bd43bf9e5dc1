"""Fair 三率 (issue 12): the call-back page and API, the resident's own answer, the superior's approval of declines."""

import datetime as dt

import pytest
from django.test import Client

from dangjian.appeals import services
from dangjian.appeals.models import Appeal
from dangjian.appeals.selectors import appeal_rates
from tests.appeals.helpers import submit, walk
from tests.dbstate import unchanged

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC)


def _resolved(by, org):
    return walk(submit(org, now=T0), by, until="resolve", now=T0 + dt.timedelta(hours=3))


def test_callback_page_refuses_the_handling_unit(as_community, community_secretary, tree):
    a = _resolved(community_secretary, tree["community"])
    page = as_community.get(f"/appeals/case/{a.pk}/").content.decode()
    assert "/callback/" not in page  # no form for the one who handled it
    with unchanged(a):
        r = as_community.post(f"/appeals/case/{a.pk}/callback/", {"resolved": "yes", "rating": "satisfied"})
    assert r.status_code == 400 and "回访" in r.content.decode()
    assert Appeal.objects.get(pk=a.pk).state == "resolved"


def test_callback_page_by_someone_else_closes_or_reopens(as_officer, as_secretary_b, community_secretary, officer,
                                                         tree):
    a = _resolved(community_secretary, tree["community"])
    assert "/callback/" in as_officer.get(f"/appeals/case/{a.pk}/").content.decode()
    assert as_secretary_b.post(f"/appeals/case/{a.pk}/callback/",
                               {"resolved": "yes", "rating": "satisfied"}).status_code == 404
    r = as_officer.post(f"/appeals/case/{a.pk}/callback/", {"resolved": "", "rating": "satisfied"})
    assert r.status_code == 400  # "resolved?" must be answered
    r = as_officer.post(f"/appeals/case/{a.pk}/callback/", {"resolved": "no", "rating": "basic"})
    assert r.status_code == 302
    a.refresh_from_db()
    # Not resolved in the resident's words: reopened, whatever the rating.
    assert (a.state, a.callback_resolved, a.callback_by, a.reopen_count) == ("in_progress", False, officer, 1)


def test_callback_api(community_secretary, officer, tree):
    from tests.conftest import client_for

    a = _resolved(community_secretary, tree["community"])
    url = f"/api/appeals/{a.pk}/callback"
    own = client_for(community_secretary).post(url, {"resolved": True, "rating": "satisfied"},
                                                content_type="application/json")
    assert own.status_code == 400
    r = client_for(officer).post(url, {"resolved": True, "rating": "satisfied"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "closed" and r.json()["callback_resolved"] is True


def test_resident_answers_resolved_on_the_tracking_page(community_secretary, tree):
    a = _resolved(community_secretary, tree["community"])
    c = Client()
    c.post("/appeals/track/", {"code": a.tracking_code})
    page = c.get("/appeals/track/").content.decode()
    assert 'name="resolved"' in page
    assert c.post("/appeals/track/rate/", {"code": a.tracking_code, "rating": "satisfied", "resolved": "yes"}).status_code == 302
    a.refresh_from_db()
    assert (a.state, a.callback_resolved, a.rating, a.callback_by) == ("closed", True, "satisfied", None)
    assert appeal_rates(Appeal.objects.all()).resolved == 1


def test_declines_page_counts_and_the_superior_approves(as_community, as_officer, community_secretary, officer, tree):
    org = tree["community"]
    d = submit(org, now=T0)
    services.appeal_transition(appeal=d, step="reject", by=community_secretary, data={"note": "不属于受理范围"})
    submit(org, now=T0)
    page = as_community.get("/appeals/declines/").content.decode()
    assert d.tracking_code in page and "不属于受理范围" in page
    assert "approve-decline" not in page  # the community is not its own superior
    # Declined without approval: still in the denominator.
    assert appeal_rates(Appeal.objects.all()).received == 2
    with unchanged(d):
        assert as_community.post(f"/appeals/case/{d.pk}/approve-decline/").status_code == 404
    assert "approve-decline" in as_officer.get("/appeals/declines/").content.decode()
    r = as_officer.post(f"/appeals/case/{d.pk}/approve-decline/", {"next": "declines"})
    assert r.status_code == 302 and r["Location"] == "/appeals/declines/"
    d.refresh_from_db()
    assert d.decline_approved_by == officer
    rates = appeal_rates(Appeal.objects.all())
    assert (rates.received, rates.declined, rates.declined_pending) == (1, 1, 0)
    assert as_officer.post(f"/appeals/case/{d.pk}/approve-decline/").status_code == 400  # once


def test_decline_api(community_secretary, officer, tree):
    from tests.conftest import client_for

    d = submit(tree["community"], now=T0)
    services.appeal_transition(appeal=d, step="reject", by=community_secretary, data={"note": "重复"})
    listed = client_for(officer).get("/api/appeals/declines/").json()
    assert [x["tracking_code"] for x in listed] == [d.tracking_code]
    assert client_for(community_secretary).post(f"/api/appeals/{d.pk}/approve-decline").status_code == 404
    r = client_for(officer).post(f"/api/appeals/{d.pk}/approve-decline")
    assert r.status_code == 200 and r.json()["decline_approved_at"]
    assert client_for(officer).get("/api/appeals/declines/").json() == []
    assert len(client_for(officer).get("/api/appeals/declines/?pending=false").json()) == 1

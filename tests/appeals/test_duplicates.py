"""One problem, many callers (issue 19): duplicates found, merged, every tracking code kept informed, counted once."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from dangjian.appeals import duplicates, selectors, services
from dangjian.appeals.models import Appeal
from dangjian.appeals.selectors import appeal_rates
from tests.appeals.helpers import submit, walk
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC)
PIPE_1 = "和平里3号楼楼下水管爆了，水流了一地，请尽快派人维修"
PIPE_2 = "和平里3号楼下面的水管爆裂了，一直在流水，麻烦尽快来修"
OTHER = "幸福苑广场晚上跳广场舞音响太吵，影响休息"


def test_similarity_scores_the_same_problem_above_a_different_one():
    same = duplicates.similarity(duplicates.Case(PIPE_1, "和平里3号楼"), duplicates.Case(PIPE_2, "和平里3号楼"))
    other = duplicates.similarity(duplicates.Case(PIPE_1, "和平里3号楼"), duplicates.Case(OTHER, "幸福苑广场"))
    assert same >= duplicates.DEFAULTS["threshold"] > other
    assert duplicates.similarity(duplicates.Case("ab"), duplicates.Case("ab")) == 1.0
    assert duplicates.jaccard(set(), {"ab"}) == 0.0


def test_candidates_are_open_same_community_within_the_window(community_secretary, tree):
    first = submit(tree["community"], PIPE_1, address="和平里3号楼", now=T0)
    second = submit(tree["community"], PIPE_2, address="和平里3号楼", phone="13800138000",
                    now=T0 + dt.timedelta(hours=2))
    submit(tree["community"], OTHER, address="幸福苑广场", now=T0)
    submit(tree["community"], PIPE_1, address="和平里3号楼", now=T0 - dt.timedelta(days=30))  # outside the window
    found = selectors.duplicate_candidates(community_secretary, second)
    assert [a.pk for a, _s in found] == [first.pk]


def test_two_residents_one_case_after_merge(community_secretary, officer, tree, as_community):
    org = tree["community"]
    first = submit(org, PIPE_1, address="和平里3号楼", phone="13800138000", now=T0)
    second = submit(org, PIPE_2, address="和平里3号楼", phone="13900139000", now=T0 + dt.timedelta(hours=1))
    page = as_community.get(f"/appeals/case/{second.pk}/").content.decode()
    assert first.tracking_code in page and "/merge/" in page
    before = appeal_rates(Appeal.objects.all())
    assert before.received == 2
    r = as_community.post(f"/appeals/case/{second.pk}/merge/", {"into": first.pk})
    assert r.status_code == 302 and r["Location"] == f"/appeals/case/{first.pk}/"
    second.refresh_from_db()
    assert second.merged_into == first and second.state == "closed"
    master_page = as_community.get(f"/appeals/case/{first.pk}/").content.decode()
    assert second.tracking_code in master_page  # the merged count and codes show on the case
    # Counted once: one problem, many callers.
    rates = appeal_rates(Appeal.objects.all())
    assert (rates.received, rates.merged) == (1, 1)
    # Handle the master to the end; both residents' tracking pages show its outcome.
    first = walk(first, community_secretary, until="resolve")
    for code in (first.tracking_code, second.tracking_code):
        c = Client()
        c.post("/appeals/track/", {"code": code})
        text = c.get("/appeals/track/").content.decode()
        assert code in text and "已安排清运" in text
    services.appeal_callback(by=officer, appeal=first, resolved=True, rating="satisfied")
    rates = appeal_rates(Appeal.objects.all())
    assert (rates.received, rates.resolved, rates.rated, rates.satisfied) == (1, 1, 1, 1)
    assert selectors.public_view(Appeal.objects.get(pk=second.pk))["state"] == "closed"


def test_merge_refusals(community_secretary, secretary_b, tree):
    org = tree["community"]
    a = submit(org, PIPE_1, now=T0)
    b = submit(org, PIPE_2, now=T0)
    with pytest.raises(ValidationError):
        services.appeal_merge(by=community_secretary, appeal=a, into=a)
    with pytest.raises(Appeal.DoesNotExist):
        services.appeal_merge(by=secretary_b, appeal=b, into=a)
    services.appeal_merge(by=community_secretary, appeal=b, into=a)
    c = submit(org, PIPE_1, now=T0)
    with pytest.raises(ValidationError):  # b is itself merged: merge into its master
        services.appeal_merge(by=community_secretary, appeal=c, into=Appeal.objects.get(pk=b.pk))
    with pytest.raises(ValidationError):  # a closed duplicate cannot be merged again
        services.appeal_merge(by=community_secretary, appeal=Appeal.objects.get(pk=b.pk), into=c)
    # Merging a master moves its duplicates along.
    services.appeal_merge(by=community_secretary, appeal=a, into=c)
    assert set(Appeal.objects.filter(merged_into=c).values_list("pk", flat=True)) == {a.pk, b.pk}


def test_merge_api(community_secretary, secretary_b, tree):
    org = tree["community"]
    a = submit(org, PIPE_1, address="和平里3号楼", now=T0)
    b = submit(org, PIPE_2, address="和平里3号楼", now=T0)
    api = client_for(community_secretary)
    found = api.get(f"/api/appeals/{b.pk}/duplicates").json()
    assert [x["tracking_code"] for x in found] == [a.tracking_code]
    assert client_for(secretary_b).post(f"/api/appeals/{b.pk}/merge", {"into": a.tracking_code},
                                        content_type="application/json").status_code == 404
    r = api.post(f"/api/appeals/{b.pk}/merge", {"into": a.tracking_code}, content_type="application/json")
    assert r.status_code == 200 and r.json()["merged_into_code"] == a.tracking_code
    assert api.get("/api/appeals/metrics?start=2026-05-01&end=2026-05-31").json()["merged"] == 1

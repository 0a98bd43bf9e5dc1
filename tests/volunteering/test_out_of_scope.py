"""Another branch's org, or an org id in nobody's scope, does not exist for the user: 404 and nothing written."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.volunteering import services
from dangjian.volunteering.models import Activity, SignUp

NOBODYS = 987654321


def _times():
    start = timezone.localtime() + dt.timedelta(days=3)
    return start.strftime("%Y-%m-%dT%H:%M"), (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("org", ["branch_b", NOBODYS])
def test_pages_404(as_secretary_a, tree, org):
    org_id = tree[org].pk if isinstance(org, str) else org
    audits = AuditEntry.objects.count()
    starts_at, ends_at = _times()
    body = {"org": org_id, "title": "义务植树", "starts_at": starts_at, "ends_at": ends_at}
    assert as_secretary_a.post("/volunteering/new/", body).status_code == 404
    assert as_secretary_a.get(f"/volunteering/hours/?org={org_id}").status_code == 404
    assert not Activity.objects.exists() and AuditEntry.objects.count() == audits


def test_own_org_and_missing_org(as_secretary_a, tree):
    starts_at, ends_at = _times()
    body = {"title": "义务植树", "starts_at": starts_at, "ends_at": ends_at}
    assert as_secretary_a.post("/volunteering/new/", body).status_code == 200  # form error: org required
    assert not Activity.objects.exists()
    assert as_secretary_a.post("/volunteering/new/", {**body, "org": tree["branch_a"].pk}).status_code == 302
    assert Activity.objects.get().org == tree["branch_a"]
    assert as_secretary_a.get(f"/volunteering/hours/?org={tree['branch_a'].pk}").status_code == 200
    assert as_secretary_a.get("/volunteering/hours/?org=abc").status_code == 404


def test_api_404(as_secretary_a, tree):
    start = timezone.now() + dt.timedelta(days=3)
    body = {"org_id": tree["branch_b"].pk, "title": "义务植树", "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=2)).isoformat()}
    assert as_secretary_a.post("/api/volunteering/activities", body, content_type="application/json").status_code == 404
    day = timezone.localdate().isoformat()
    hours = f"/api/volunteering/hours?org_id={tree['branch_b'].pk}&start={day}&end={day}"
    assert as_secretary_a.get(hours).status_code == 404
    assert not Activity.objects.exists()


def test_services_refuse_with_404(secretary_a, officer, tree, member_b):
    start = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(Http404):
        services.activity_create(by=secretary_a, org=tree["branch_b"], title="义务植树", starts_at=start,
                                 ends_at=start + dt.timedelta(hours=2))
    activity = services.activity_create(by=officer, org=tree["community"], title="社区义诊", starts_at=start,
                                        ends_at=start + dt.timedelta(hours=2))
    with pytest.raises(Http404):
        services.signup_create(by=secretary_a, activity=activity, member=member_b)
    assert Activity.objects.count() == 1 and not SignUp.objects.exists()

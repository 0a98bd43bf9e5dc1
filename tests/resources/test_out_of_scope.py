"""Another branch's org, or an org id in nobody's scope, does not exist for the user: 404 and nothing written."""

import pytest
from django.http import Http404

from dangjian.accounts.roles import Role
from dangjian.audit.models import AuditEntry
from dangjian.resources import services
from dangjian.resources.models import Booking, Category, Evaluation, Need, PartnerUnit
from tests.conftest import client_for
from tests.factories import grant
from tests.resources.conftest import at

NOBODYS = 987654321


@pytest.mark.parametrize("org", ["branch_b", NOBODYS])
def test_create_pages_404(as_secretary_a, tree, venue, org):
    org_id = tree[org].pk if isinstance(org, str) else org
    audits = AuditEntry.objects.count()
    need = {"org": org_id, "title": "助老需求", "category": Category.SKILL, "source": Need.Source.ORG}
    assert as_secretary_a.post("/resources/needs/new/", need).status_code == 404
    assert as_secretary_a.post("/resources/partners/new/", {"org": org_id, "name": "共建单位", "kind": "unit"}).status_code == 404
    booking = {"org": org_id, "starts_at": at(1, 9).strftime("%Y-%m-%dT%H:%M"),
               "ends_at": at(1, 11).strftime("%Y-%m-%dT%H:%M"), "purpose": "支部会议"}
    assert as_secretary_a.post(f"/resources/{venue.pk}/", booking).status_code == 404
    assert not Need.objects.exists() and not PartnerUnit.objects.exists() and not Booking.objects.exists()
    assert AuditEntry.objects.count() == audits


def test_own_org_booking_and_missing_org(as_secretary_a, tree, venue):
    booking = {"starts_at": at(1, 9).strftime("%Y-%m-%dT%H:%M"),
               "ends_at": at(1, 11).strftime("%Y-%m-%dT%H:%M"), "purpose": "支部会议"}
    assert as_secretary_a.post(f"/resources/{venue.pk}/", booking).status_code == 200  # form error: org required
    assert not Booking.objects.exists()
    assert as_secretary_a.post(f"/resources/{venue.pk}/", {**booking, "org": tree["branch_a"].pk}).status_code == 302
    assert Booking.objects.get().org == tree["branch_a"]


def test_booking_api_404(as_secretary_a, tree, venue):
    body = {"resource_id": venue.pk, "org_id": tree["branch_b"].pk, "starts_at": at(1, 9).isoformat(),
            "ends_at": at(1, 11).isoformat(), "purpose": "支部会议"}
    assert as_secretary_a.post("/api/resources/bookings", body, content_type="application/json").status_code == 404
    assert not Booking.objects.exists()


def test_services_refuse_with_404(secretary_a, tree, venue):
    with pytest.raises(Http404):
        services.need_create(by=secretary_a, org=tree["branch_b"], title="需求", category=Category.SKILL)
    with pytest.raises(Http404):
        services.booking_create(by=secretary_a, resource=venue, org=tree["branch_b"], starts_at=at(1, 9),
                                ends_at=at(1, 11), purpose="支部会议")
    assert not Need.objects.exists() and not Booking.objects.exists()



def test_partner_seen_but_not_editable_has_no_evaluation_form(secretary_a, tree, officer):
    """Auditor over the community, secretary of branch A: sees the community's partner, may not rate it."""
    grant(secretary_a, tree["community"], Role.AUDITOR)
    client = client_for(secretary_a)
    partner = services.partner_create(by=officer, org=tree["community"], name="区供电公司")
    page = client.get(f"/resources/partners/{partner.pk}/")
    assert page.status_code == 200 and 'name="score"' not in page.content.decode()
    assert client.post(f"/resources/partners/{partner.pk}/", {"year": 2025, "score": 90}).status_code == 200
    assert not Evaluation.objects.exists()
    own = services.partner_create(by=officer, org=tree["branch_a"], name="一支部共建单位")
    assert 'name="score"' in client.get(f"/resources/partners/{own.pk}/").content.decode()

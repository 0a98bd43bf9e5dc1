"""The roster's and tree's services refuse an out-of-scope target with 404 (core.http), never a 500."""

import pytest
from django.http import Http404

from dangjian.audit.models import AuditEntry
from dangjian.orgs import services
from dangjian.orgs.models import Org
from tests.factories import make_org


def test_only_a_superuser_creates_a_root(as_officer, officer):
    before = Org.objects.count()
    body = {"parent_id": None, "name": "另一街道党工委", "kind": "street", "code": "S998"}
    assert as_officer.post("/api/orgs/", body, content_type="application/json").status_code == 404
    with pytest.raises(Http404):
        services.org_create(by=officer, parent=None, data={"name": "另一街道党工委", "kind": "street", "code": "S998"})
    assert Org.objects.count() == before


def test_services_refuse_out_of_scope_with_404(officer, secretary_b, tree, member_a):
    elsewhere = make_org(name="另一街道党工委", kind="street", code="S999")
    audits = AuditEntry.objects.count()
    with pytest.raises(Http404):
        services.org_move(by=officer, org=tree["branch_a"], new_parent=elsewhere)
    with pytest.raises(Http404):
        services.member_reveal(by=secretary_b, member=member_a, field="id_number")
    assert Org.objects.get(pk=tree["branch_a"].pk).path == tree["branch_a"].path
    assert AuditEntry.objects.count() == audits

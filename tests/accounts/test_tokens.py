from django.urls import reverse

from dangjian.accounts.models import ApiToken
from dangjian.accounts.services import api_token_user
from tests.dbstate import unchanged


def test_token_created_once_and_stored_hashed(as_officer, officer):
    response = as_officer.post(reverse("accounts:token_create"), {"name": "报表脚本", "days": 90, "password": "correct-horse-battery"})
    assert response.status_code == 200
    raw = response.context["raw"]
    token = ApiToken.objects.get(user=officer)
    assert token.digest != raw and raw not in token.digest
    assert api_token_user(raw) == officer
    # The security page never shows the full token again.
    assert raw not in as_officer.get(reverse("accounts:security")).content.decode()


def test_revoked_token_no_longer_works(as_officer, officer):
    raw = as_officer.post(reverse("accounts:token_create"), {"name": "x", "days": 90, "password": "correct-horse-battery"}).context["raw"]
    token = ApiToken.objects.get(user=officer)
    as_officer.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert api_token_user(raw) is None


def test_cannot_revoke_someone_elses_token(as_secretary_b, as_officer, officer):
    as_officer.post(reverse("accounts:token_create"), {"name": "x", "days": 90, "password": "correct-horse-battery"})
    token = ApiToken.objects.get(user=officer)
    with unchanged():
        assert as_secretary_b.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None

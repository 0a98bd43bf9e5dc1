"""Who may call the API: bearer tokens, the browser session with CSRF, nobody else."""

import pytest
from django.test import Client

from dangjian.accounts.models import ApiToken
from dangjian.accounts.services import api_token_create, api_token_revoke
from tests.api.conftest import ApiClient
from tests.conftest import client_for

# One read and one write per router, with ids filled in by the test.
ENDPOINTS = [
    ("get", "/api/orgs/"),
    ("get", "/api/orgs/{org}"),
    ("get", "/api/orgs/{org}/children"),
    ("post", "/api/orgs/"),
    ("patch", "/api/orgs/{org}"),
    ("post", "/api/orgs/{org}/move"),
    ("get", "/api/members/"),
    ("get", "/api/members/{member}"),
    ("post", "/api/members/"),
    ("patch", "/api/members/{member}"),
    ("post", "/api/members/{member}/reveal"),
    ("post", "/api/members/{member}/status"),
    ("post", "/api/members/{member}/transfers"),
    ("get", "/api/members/{member}/history"),
    ("get", "/api/transfers/"),
    ("get", "/api/transfers/1"),
    ("post", "/api/transfers/1/decide"),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_gets_401_everywhere(api_anon, tree, member_a, method, url):
    url = url.format(org=tree["branch_a"].pk, member=member_a.pk)
    response = api_anon.call(method, url, {} if method != "get" else None)
    assert response.status_code == 401
    assert "未认证" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_authenticates_and_records_use(secretary_a, member_a):
    token, raw = api_token_create(user=secretary_a, name="script")
    assert token.last_used_at is None
    response = ApiClient(raw).get(f"/api/members/{member_a.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "张建国"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_is_refused(secretary_a, member_a):
    token, raw = api_token_create(user=secretary_a, name="script")
    api_token_revoke(user=secretary_a, token=token)
    response = ApiClient(raw).get(f"/api/members/{member_a.pk}")
    assert response.status_code == 401
    assert "撤销" in response.json()["detail"]


def test_token_of_inactive_user_is_refused(secretary_a, member_a):
    _, raw = api_token_create(user=secretary_a, name="script")
    secretary_a.is_active = False
    secretary_a.save()
    assert ApiClient(raw).get(f"/api/members/{member_a.pk}").status_code == 401


def test_wrong_token_is_refused_even_with_a_session(secretary_a, member_a):
    # A bad header must not fall back to whoever is signed in in the browser.
    api = ApiClient("dj_not-a-real-token", client=client_for(secretary_a))
    assert api.get(f"/api/members/{member_a.pk}").status_code == 401


def test_non_bearer_authorization_header_is_refused(as_secretary_a, member_a):
    response = as_secretary_a.get(f"/api/members/{member_a.pk}", HTTP_AUTHORIZATION="Basic Zm9vOmJhcg==")
    assert response.status_code == 401


def test_only_the_digest_is_stored(secretary_a):
    token, raw = api_token_create(user=secretary_a, name="script")
    assert raw not in {token.digest, token.prefix}
    assert ApiToken.objects.filter(digest=ApiToken.digest_of(raw)).count() == 1


def test_session_reads_without_csrf(as_secretary_a, member_a):
    assert as_secretary_a.get(f"/api/members/{member_a.pk}").status_code == 200


@pytest.fixture
def csrf_client(secretary_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary_a)
    client.get("/accounts/security/")  # sets the csrftoken cookie
    return client


def test_session_write_without_csrf_token_is_refused(csrf_client, member_a):
    response = csrf_client.post(
        f"/api/members/{member_a.pk}/status", {"status": "lost_contact", "reason": "长期联系不上"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    member_a.refresh_from_db()
    assert member_a.status == "active"


def test_session_write_with_csrf_token_succeeds(csrf_client, member_a):
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(
        f"/api/members/{member_a.pk}/status", {"status": "lost_contact", "reason": "长期联系不上"},
        content_type="application/json", HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "lost_contact"


def test_token_write_needs_no_csrf(secretary_a, member_a):
    _, raw = api_token_create(user=secretary_a, name="script")
    api = ApiClient(raw, client=Client(enforce_csrf_checks=True))
    response = api.post(f"/api/members/{member_a.pk}/status", {"status": "lost_contact", "reason": "失联"})
    assert response.status_code == 200

"""API clients for the personas: each calls with its own bearer token."""

import json

import pytest
from django.test import Client

from dangjian.accounts.roles import Role
from dangjian.accounts.services import api_token_create
from dangjian.audit.models import AuditEntry
from dangjian.orgs.models import Tag
from tests.factories import UserFactory, grant


class ApiClient:
    """JSON in, JSON out; `token=None` calls without credentials."""

    def __init__(self, token: str | None = None, client: Client | None = None):
        self.client = client or Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def call(self, method: str, url: str, body=None, **extra):
        kwargs = {**self.headers, **extra}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method.lower())(url, **kwargs)

    def get(self, url, params=None, **extra):
        return self.client.get(url, params or {}, **{**self.headers, **extra})

    def post(self, url, body=None, **extra):
        return self.call("post", url, body if body is not None else {}, **extra)

    def patch(self, url, body=None, **extra):
        return self.call("patch", url, body if body is not None else {}, **extra)


def api_for(user) -> ApiClient:
    _, raw = api_token_create(user=user, name="pytest")
    return ApiClient(raw)


def _api_as(persona: str):
    @pytest.fixture
    def fixture(request):
        return api_for(request.getfixturevalue(persona))

    return fixture


api_officer = _api_as("officer")
api_sec_a = _api_as("secretary_a")
api_sec_b = _api_as("secretary_b")
api_member = _api_as("member_user")
api_reviewer_a = _api_as("reviewer_a")


@pytest.fixture
def api_anon(db):
    return ApiClient()


@pytest.fixture
def reviewer_a(tree):
    """Sees A's roster but may not reveal identifiers nor write."""
    user = UserFactory(username="reviewer_a")
    grant(user, tree["branch_a"], Role.REVIEWER)
    return user


@pytest.fixture
def tags(db):
    return {name: Tag.objects.get_or_create(name=name)[0] for name in ("流动党员", "老党员")}


def audit_entries(action: str | None = None, **filters):
    qs = AuditEntry.objects.all()
    if action:
        qs = qs.filter(action=action)
    return qs.filter(**filters)

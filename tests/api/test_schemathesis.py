"""Every operation of the published schema, fuzzed from the schema itself (schemathesis).

Two personas call each generated request: the street organisation officer
(reads and writes the whole tree) and branch secretary A (one branch), each
with an API token. Whatever is sent, the API answers without a server error
and with a body that matches what the schema documents for that status
(issue 16). The test is generic over the schema: an endpoint added later is
covered without touching this file.

Bounded for CI: a few examples per operation, derandomized (the same requests
on every run, so a failure reproduces).
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from dangjian.accounts.services import api_token_create

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

CHECKS = [not_a_server_error, response_schema_conformance]
EXAMPLES = 6


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go straight into the WSGI app, not through Django's test client, so the
    request signals would close the test's database connection (CONN_MAX_AGE=0): on
    PostgreSQL every later query then fails. Detach them as the test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(officer, secretary_a, member_a, member_b):
    return [api_token_create(user=user, name="schemathesis")[1] for user in (officer, secretary_a)]


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_api_conforms(case, tokens):
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

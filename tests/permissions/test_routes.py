"""Every route, every persona: the answer each gets is declared in tests/permissions/table.py.

One test item per route and method; the fixture organisation (the small demo,
tests/permissions/world.py) is built once per module and process, and each
request runs in a savepoint rolled back afterwards, so an allowed write never
changes what the next persona sees. A refused write must leave the database as
it was: every table's row count, and the rows of the objects named in the URL.
"""

import json
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings

from tests.dbstate import changes, snapshot
from tests.permissions import table
from tests.permissions.requests import api_url, minimal_body, page_url, query_params
from tests.permissions.routes import api_operations, url_patterns
from tests.permissions.world import PERSONAS, World, build_world

pytestmark = pytest.mark.django_db

REFUSALS = {"L", "403", "404", "405"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per module in an outer transaction that is rolled back at the end."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(
        MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            built.schema = Client().get("/api/openapi.json").json()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def outcome(response, *, api: bool) -> str:
    code = response.status_code
    if api and code == 401:
        return "L"
    if not api and code in (301, 302, 303) and response["Location"].startswith(resolve_url(settings.LOGIN_URL)):
        return "L"
    if 200 <= code < 400:
        return "ok"
    return str(code)


def _request(w: World, row: table.Row, persona: str):
    """The answer one persona gets for one row (see table.py for the codes)."""
    if row.api:
        op = w.schema["paths"][row.route][row.method.lower()]
        url = api_url(w, row.route, table.api_params(row.route))
        query = query_params(w, w.schema, op)
        if query:
            url += "?" + urlencode(query)
        special = table.BODIES.get((row.method, row.route))
        body = special(w) if special else minimal_body(w, w.schema, op)
        extra = {**w.api_headers(persona)}
        if body is not None:
            extra.update(data=json.dumps(body), content_type="application/json")
        response = getattr(Client(), row.method.lower())(url, **extra)
        return outcome(response, api=True)
    url = page_url(w, row.route, table.PAGE_KW.get(row.route, {}))
    response = getattr(w.client(persona), row.method.lower())(url, table.FORMS.get(row.route, {}))
    return outcome(response, api=False)


def _objects(w: World, row: table.Row) -> list:
    specs = table.api_params(row.route) if row.api else table.PAGE_KW.get(row.route, {})
    found = [w.obj(what) for what in specs.values() if not what.startswith("=")]
    return [o for o in found if not isinstance(o, str)]


def check(w: World, row: table.Row, persona: str) -> str | None:
    """None when the persona got the declared answer, else what went wrong."""
    expected = row.expect[persona]
    write = row.method != "GET"
    sid = transaction.savepoint()
    try:
        objects = _objects(w, row)
        refused = expected in REFUSALS and (row.method, row.route) not in table.REFUSED_BUT_RECORDED
        before = snapshot(objects) if write and refused else None
        got = _request(w, row, persona)
        if got != expected:
            return f"{persona}: expected {expected}, got {got}"
        if before is not None:
            diff = changes(before, snapshot(objects))
            if diff:
                return f"{persona}: refused ({got}) but the database changed: {'; '.join(diff)}"
    finally:
        transaction.savepoint_rollback(sid)
    return None


def test_every_route_and_operation_has_an_entry(world):
    served = {(method, name) for name, _ in url_patterns() if not table.is_api_pattern(name)
              for method in ("GET", "POST")}
    served |= set(api_operations(world.schema))
    declared = {(r.method, r.route) for r in table.ROWS}
    missing = sorted(f"{m} {r}" for m, r in served - declared)
    stale = sorted(f"{m} {r}" for m, r in declared - served)
    assert not missing, "routes without an entry in tests/permissions/table.py: " + ", ".join(missing)
    assert not stale, "entries in tests/permissions/table.py for routes that no longer exist: " + ", ".join(stale)


@pytest.mark.parametrize("row", table.ROWS, ids=lambda r: f"{r.method} {r.route}")
def test_route(world, row):
    problems = [p for persona in PERSONAS if (p := check(world, row, persona))]
    assert not problems, f"{row.method} {row.route}:\n  " + "\n  ".join(problems)

"""The published schema and the interactive docs beside it."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

PATHS = {
    "/api/orgs/": {"get", "post"},
    "/api/orgs/{org_id}": {"get", "patch"},
    "/api/orgs/{org_id}/children": {"get"},
    "/api/orgs/{org_id}/move": {"post"},
    "/api/members/": {"get", "post"},
    "/api/members/{member_id}": {"get", "patch"},
    "/api/members/{member_id}/reveal": {"post"},
    "/api/members/{member_id}/status": {"post"},
    "/api/members/{member_id}/transfers": {"post"},
    "/api/members/{member_id}/history": {"get"},
    "/api/transfers/": {"get"},
    "/api/transfers/{transfer_id}": {"get"},
    "/api/transfers/{transfer_id}/decide": {"post"},
}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def schema(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_public_and_lists_every_operation(schema):
    assert schema["openapi"].startswith("3.")
    for path, methods in PATHS.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), path


def test_operations_have_chinese_summaries_and_tags(schema):
    for path in PATHS:
        for method, op in schema["paths"][path].items():
            assert CJK.search(op["summary"]), (method, path)
            assert op["tags"] and all(CJK.search(t) for t in op["tags"]), (method, path)
    assert CJK.search(schema["info"]["description"])


def test_schema_declares_bearer_and_session_auth(schema):
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["TokenAuth"].items()
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_member_schema_exposes_no_plain_identifier(schema):
    props = schema["components"]["schemas"]["MemberOut"]["properties"]
    assert "id_number_masked" in props and "phone_masked" in props
    assert "id_number" not in props and "phone" not in props


def test_schema_refs_resolve(schema):
    """Every $ref points at a component that exists (a cheap well-formedness check)."""
    text = str(schema)
    for ref in set(re.findall(r"#/components/schemas/([A-Za-z0-9_.\-]+)", text)):
        assert ref in schema["components"]["schemas"], ref


def test_docs_page_uses_bundled_assets_not_a_cdn(db):
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        assert f"/static/{asset}" in html
        assert finders.find(asset), asset
    assert "党建工作平台 API" in html


def test_error_answers_are_documented(schema):
    reveal = schema["paths"]["/api/members/{member_id}/reveal"]["post"]["responses"]
    assert {"200", "400", "401", "403", "404"} <= set(reveal)
    assert reveal["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert CJK.search(schema["components"]["schemas"]["ErrorOut"]["description"])


def test_every_operation_requires_a_token_or_a_session(schema):
    for path in PATHS:
        for method, op in schema["paths"][path].items():
            assert {"TokenAuth": []} in op["security"] and {"SessionAuth": []} in op["security"], (method, path)

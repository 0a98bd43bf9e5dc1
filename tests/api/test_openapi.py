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


# --- Component names (issue 16, finding 12) -------------------------------------------------


def _api_schema_classes() -> dict[str, set[type]]:
    """Every pydantic model defined in a router module of the API, by class name."""
    import importlib
    import inspect

    from pydantic import BaseModel

    from dangjian.api.root import ROUTERS

    found: dict[str, set[type]] = {}
    for _prefix, dotted in ROUTERS:
        module = importlib.import_module(dotted.rsplit(".", 1)[0])
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseModel) and cls.__module__ == module.__name__:
                found.setdefault(cls.__name__, set()).add(cls)
    return found


def _shape(cls) -> tuple:
    schema = cls.model_json_schema(ref_template="#/components/schemas/{model}", by_alias=False)
    return tuple(sorted(schema.get("properties", {}))), tuple(sorted(schema.get("required", [])))


def test_every_component_name_maps_to_one_shape(schema):
    """Two apps' schemas of one name (AppealIn in appeals and assessment) documented one operation with
    the other's fields: each published component must be the one class of its name."""
    components = schema["components"]["schemas"]
    for name, classes in _api_schema_classes().items():
        if name not in components:
            continue
        shapes = {_shape(cls) for cls in classes}
        assert len(shapes) == 1, f"{name} names {len(shapes)} shapes: {sorted(c.__module__ for c in classes)}"
        fields, _required = shapes.pop()
        assert tuple(sorted(components[name].get("properties", {}))) == fields, name


def test_a_name_clash_fails_the_schema(db):
    from ninja import Router, Schema

    from dangjian.api.root import DangjianAPI, SchemaNameClash

    first, second = Router(), Router()

    def make(fields):
        return type("ThingOut", (Schema,), {"__annotations__": fields})

    @first.get("/a", response=make({"name": str}))
    def a(request):
        return {"name": "a"}

    @second.get("/b", response=make({"count": int}))
    def b(request):
        return {"count": 1}

    api = DangjianAPI(urls_namespace="clash-test")
    api.add_router("/first", first)
    api.add_router("/second", second)
    with pytest.raises(SchemaNameClash, match="ThingOut"):
        api.get_openapi_schema(path_prefix="/x/")


def test_appeal_list_matches_its_documented_schema(tree):
    """GET /api/appeals/ once answered fields its documented component (assessment's AppealOut) did not have."""
    from dangjian.accounts.roles import Role
    from dangjian.accounts.services import api_token_create
    from tests.factories import UserFactory, grant

    community_secretary = UserFactory(username="sec_community")
    grant(community_secretary, tree["community"], Role.SECRETARY)

    _t, raw = api_token_create(user=community_secretary, name="schema")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    created = client.post("/api/appeals/", {"org_id": tree["community"].pk, "text": "路灯不亮了"},
                          content_type="application/json")
    assert created.status_code == 201
    published = client.get("/api/openapi.json").json()
    op = published["paths"]["/api/appeals/"]["get"]
    ref = op["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"]
    component = published["components"]["schemas"][ref.rsplit("/", 1)[1]]
    item = client.get("/api/appeals/").json()[0]
    assert set(item) == set(component["properties"])
    assert set(component.get("required", [])) <= set(item)

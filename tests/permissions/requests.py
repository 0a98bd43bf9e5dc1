"""Turning a table row into requests: URLs filled from the world, minimal API bodies.

An API write needs a body that passes its schema, or django-ninja answers 422
before the view (and its scoping) runs, whoever asks. `minimal_body` builds one
from the published OpenAPI schema: every required field, ids taken from the
world (branch A's objects), other values the plainest of their type.
"""

import datetime as dt

from django.urls import reverse

from tests.permissions.world import TODAY, World

# A body field named like this takes that world object's id.
ID_FIELDS = {
    "org_id": "branch_a", "org": "branch_a", "member_id": "member", "member": "member", "to_org_id": "branch_a",
    "grid_id": "grid", "grid": "grid", "household_id": "household", "parent_id": "community", "new_parent_id": "community",
    "need_id": "need", "resource_id": "resource", "round_id": "round", "questionnaire_id": "questionnaire",
    "alert_id": "alert", "period_id": "period", "activity_id": "activity", "partner_id": "partner",
    "meeting_id": "meeting", "project_id": "project", "scheme_id": "scheme", "template_id": "duty_template",
    "item_id": "duty_item", "applicant_id": "applicant", "host_id": "member", "owner_id": "member",
    "due": "due",
}


STRING_FIELDS = {"code": "PT01", "phone": "13800138000", "id_number": "11010519491231002X", "email": "a@example.com"}


def fill(w: World, spec: dict[str, str]) -> dict:
    """URL kwargs: "=literal" as is, else the named world object (its pk, or itself when it is a string)."""
    out = {}
    for key, what in spec.items():
        if what.startswith("="):
            out[key] = what[1:]
        else:
            obj = w.obj(what)
            out[key] = obj if isinstance(obj, str) else obj.pk
    return out


def page_url(w: World, name: str, spec: dict[str, str]) -> str:
    return reverse(name, kwargs=fill(w, spec))


def api_url(w: World, path: str, params: dict[str, str]) -> str:
    values = fill(w, params)
    for key, value in values.items():
        path = path.replace("{" + key + "}", str(value))
    return path


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    if "allOf" in node and len(node["allOf"]) == 1:
        return _resolve(schema, node["allOf"][0])
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        return _resolve(schema, options[0]) if options else {"type": "null"}
    return node


def _value(w: World, schema: dict, name: str, node: dict):
    node = _resolve(schema, node)
    if name in ID_FIELDS and node.get("type") in ("integer", None):
        return w.obj(ID_FIELDS[name]).pk
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object":
        # Every field, optional ones too: a service may require what the schema leaves optional.
        return {key: _value(w, schema, key, sub) for key, sub in node.get("properties", {}).items()}
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, node.get("minimum", 1))
    if kind == "number":
        return max(1, node.get("minimum", 1))
    if kind == "boolean":
        return False
    if node.get("format") == "date":
        # An end after its start, whatever the pair is called.
        later = any(word in name for word in ("end", "until", "due", "deadline", "expires"))
        return (TODAY + dt.timedelta(days=365) if later else TODAY).isoformat()
    if node.get("format") == "date-time":
        return dt.datetime.combine(TODAY, dt.time(9)).isoformat() + "+08:00"
    if node.get("format") == "time":
        return "09:00:00"
    if name in STRING_FIELDS:
        return STRING_FIELDS[name]
    return "权限测试"[: node.get("maxLength", 10)]


def minimal_body(w: World, schema: dict, operation: dict):
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return _value(w, schema, "", content["application/json"]["schema"])


def query_params(w: World, schema: dict, operation: dict) -> dict:
    """The operation's query parameters, each with a plain value (required ones would 400 without)."""
    out = {}
    for param in operation.get("parameters", ()):
        if param.get("in") == "query" and param.get("required"):
            out[param["name"]] = _value(w, schema, param["name"], param.get("schema", {}))
    return out

"""The JSON API: one NinjaAPI; each feature app adds its router in ROUTERS.

Every operation authenticates by bearer token or session, and reads through
the scoping selector: what is out of the caller's scope answers 404.
Errors share one shape (dangjian.api.errors); the user guide is docs/api.md.
"""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Swagger
from ninja.openapi.schema import OpenAPISchema

from dangjian.api.auth import token_or_session
from dangjian.api.errors import install_error_handlers

DESCRIPTION = _("""The JSON API of the Party-building platform.

**Authentication**: create an API token on the account security page (/accounts/security/) and send the header
`Authorization: Bearer <token>`; a session signed in in the browser works too, and writes then need the `X-CSRFToken` header.

**Scope**: each role sees and changes only the data of its own organisation and the organisations below it; a record out of scope answers 404, like one that does not exist.

**Paging**: lists take `page` (from 1) and `page_size` (default 50, at most 200) and answer `{"items": [...], "count": total}`.

**Errors**: 400 answers `{"detail": "first error", "errors": {"field": ["message", ...]}}`; 401 not authenticated; 404 not found.

**Sensitive data**: resident ID numbers and phone numbers are returned masked only; the whole number needs a call to the `reveal` endpoint, and every call is written to the audit log.
""")

class SchemaNameClash(Exception):
    pass


class UniqueNamesSchema(OpenAPISchema):
    """The published schema, refusing two different shapes under one component name.

    django-ninja names a component after its class and keeps the last one it
    meets: two apps' `ReasonIn` would both point at one of them and the other
    operation would be documented wrongly. Name schemas for their app
    (`MeetingReasonIn`); a clash fails the schema, and so the test suite.
    """

    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            if name in self.schemas and self.schemas[name] != definition:
                raise SchemaNameClash(f"two API schemas are both named {name!r}: rename one after its app")
        super().add_schema_definitions(definitions)


class DangjianAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return UniqueNamesSchema(self, path_prefix)

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        # Answers carry personal data: never kept by a browser or a shared cache.
        response.setdefault("Cache-Control", "no-store")
        return response


api = DangjianAPI(
    title=_("Party-building platform API"),
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Bundled Swagger UI assets ("ninja" in INSTALLED_APPS); no online validator badge.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": True}),
    auth=token_or_session,
)
install_error_handlers(api)


# (prefix, dotted path of a ninja Router). One line per feature app.
ROUTERS = [
    ("/", "dangjian.orgs.api.router"),
    ("/dues", "dangjian.dues.api.router"),
    ("/recruitment", "dangjian.recruitment.api.router"),
    ("/meetings", "dangjian.meetings.api.router"),
    ("/committees", "dangjian.committees.api.router"),
    ("/grids", "dangjian.grids.api.router"),
    ("/appeals", "dangjian.appeals.api.router"),
    ("/departments", "dangjian.departments.api.router"),
    ("/projects", "dangjian.projects.api.router"),
    ("/duty", "dangjian.duty.api.router"),
    ("/surveys", "dangjian.surveys.api.router"),
    ("/assessment", "dangjian.assessment.api.router"),
    ("/resources", "dangjian.resources.api.router"),
    ("/volunteering", "dangjian.volunteering.api.router"),
    ("/funds", "dangjian.funds.api.router"),
    ("/learning", "dangjian.learning.api.router"),
    ("/evaluation", "dangjian.evaluation.api.router"),
    ("/dashboards", "dangjian.dashboards.api.router"),
    ("/metrics", "dangjian.evaluation.metrics_api.router"),
]

for prefix, router in ROUTERS:
    api.add_router(prefix, router)

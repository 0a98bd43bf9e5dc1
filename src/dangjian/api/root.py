"""The JSON API: one NinjaAPI; each feature app adds its router in ROUTERS.

Every operation authenticates by bearer token or session, and reads through
the scoping selector: what is out of the caller's scope answers 404.
"""

from django.core.exceptions import ValidationError
from ninja import NinjaAPI

from dangjian.api.auth import token_or_session

api = NinjaAPI(
    title="党建工作平台 API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=token_or_session,
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    first = next(iter(errors.values()))[0] if errors else ""
    return api.create_response(request, {"detail": first, "errors": errors}, status=400)


# (prefix, dotted path of a ninja Router). One line per feature app.
ROUTERS = [
]

for prefix, router in ROUTERS:
    api.add_router(prefix, router)

"""One error shape for the whole API, in Chinese for the people calling it.

    {"detail": "<first message>", "errors": {"<field>": ["<message>", ...]}}

400: the input breaks a rule (pydantic schema or a service's ValidationError);
401: no valid credentials; 404: missing *or* out of the caller's scope (the
same body for both, so a 404 never tells that a record exists).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaValidationError

NOT_FOUND = gettext_lazy("No such record")
OUT_OF_RANGE = gettext_lazy("A number or date in the request is out of range")
UNSTORABLE = gettext_lazy("The request holds a value the database cannot store (such as a NUL character)")
UNAUTHORIZED = gettext_lazy(
    "Not authenticated: send an API token in the Authorization header (Bearer), or sign in first"
)

# Where a value came from, and body parameter names: not field names.
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file", "payload", "filters"}


def _field(loc) -> str:
    names = [str(p) for p in loc if isinstance(p, str) and p not in _LOCATIONS]
    return names[-1] if names else "__all__"


def _message(err: dict) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return _("This field is required")
    if kind == "json_invalid":
        return _("The request body is not valid JSON")
    if kind == "extra_forbidden":
        return _("This field is not accepted")
    if kind in ("literal_error", "enum"):
        return _("Invalid value; allowed: %(expected)s") % {"expected": ctx.get("expected", "")}
    if kind.startswith("date"):
        return _("Dates are written YYYY-MM-DD")
    if kind.startswith("int"):
        return _("A whole number is expected")
    if kind.startswith("bool"):
        return _("true or false is expected")
    if kind == "string_too_long":
        return _("At most %(n)s characters") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return _("This field may not be empty")
        return _("At least %(n)s characters") % {"n": ctx.get("min_length")}
    if kind == "string_pattern_mismatch":
        return _("The format is not valid")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Must be at least %(n)s") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Must be at most %(n)s") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind.startswith("string") or kind.startswith("list") or kind == "model_attributes_type":
        return _("Wrong type")
    if kind == "value_error":
        # Our own validators raise ValueError with a Chinese message.
        return str(ctx.get("error", err.get("msg", "")))
    return err.get("msg") or _("Invalid value")


def schema_errors(errors: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for err in errors:
        out.setdefault(_field(err.get("loc", ())), []).append(_message(err))
    return out


def _body(errors: dict[str, list[str]]) -> dict:
    first = next(iter(errors.values()))[0] if errors else ""
    return {"detail": first, "errors": errors}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DjangoValidationError)
    def rule_broken(request, exc: DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return api.create_response(request, _body(errors), status=400)

    @api.exception_handler(SchemaValidationError)
    def schema_invalid(request, exc: SchemaValidationError):
        return api.create_response(request, _body(schema_errors(exc.errors)), status=400)

    def not_found(request, exc):
        # Services report an out-of-scope target as DoesNotExist: same answer as missing.
        return api.create_response(request, {"detail": str(NOT_FOUND)}, status=404)

    @api.exception_handler(OverflowError)
    def out_of_range(request, exc: OverflowError):
        # An id or number past what the database adapter can bind (SQLite: 64 bits), or date arithmetic
        # past year 9999: the input is wrong, whatever the parameter.
        message = str(OUT_OF_RANGE)
        return api.create_response(request, _body({"__all__": [message]}), status=400)

    @api.exception_handler(DataError)
    def unstorable(request, exc: DataError):
        # PostgreSQL refuses what SQLite takes (a NUL byte in a text parameter, say): still the input's fault.
        return api.create_response(request, _body({"__all__": [str(UNSTORABLE)]}), status=400)

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc: AuthenticationError):
        detail = str(exc.message if exc.message != "Unauthorized" else UNAUTHORIZED)
        response = api.create_response(request, {"detail": detail}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

"""Keeps the current request's client address and id where the audit log and the logs can read them."""

import contextvars
import re
import uuid

_client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)
_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
# What we accept from nginx's X-Request-ID: a short token, nothing that could forge a log line.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_client_ip() -> str | None:
    return _client_ip.get()


def current_request_id() -> str | None:
    return _request_id.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        token = _client_ip.set(request.META.get("REMOTE_ADDR"))
        rid = _request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _client_ip.reset(token)
            _request_id.reset(rid)
        response["X-Request-ID"] = request.request_id
        return response

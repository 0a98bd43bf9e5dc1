"""API authentication: a per-user bearer token, or the browser session (with CSRF).

A request that sends an `Authorization: Bearer` header is judged by that token
alone: a wrong or revoked token is refused even if a session cookie came along,
so a script never silently acts as whoever is signed in in the same browser.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from dangjian.accounts.services import api_token_user

CSRF_FAILED = gettext_lazy(
    "CSRF check failed: a signed-in browser must send the X-CSRFToken header with every write"
)


class TokenAuth(HttpBearer):
    def __call__(self, request):
        header = request.headers.get(self.header)
        if header and not header.lower().startswith("bearer "):
            raise AuthenticationError(message=_("The Authorization header must read: Bearer <token>"))
        return super().__call__(request)

    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is None:
            raise AuthenticationError(message=_("The API token is not valid or has been revoked"))
        # Views and the scoping selector read request.user, as for the web pages.
        request.user = user
        request.api_token_auth = True
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser; unsafe methods must carry the CSRF token.

    Unlike ninja's stock session auth, an anonymous request is answered 401
    (not a CSRF 403): there is no session to protect.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, str(CSRF_FAILED))
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


token_or_session = [TokenAuth(), SessionAuth()]

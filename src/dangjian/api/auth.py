"""API authentication: a per-user bearer token, or the browser session (with CSRF)."""

from ninja.security import HttpBearer, django_auth

from dangjian.accounts.services import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            # Views and the scoping selector read request.user, as for the web pages.
            request.user = user
        return user


token_or_session = [TokenAuth(), django_auth]

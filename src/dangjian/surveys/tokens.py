"""One-time tokens: random secrets handed out once, stored only as an HMAC under a key of their own."""

import hashlib
import hmac
import secrets

from django.conf import settings


def _key() -> bytes:
    # Derived from the installation's secret: a database dump alone cannot test guesses.
    return hashlib.sha256(b"dangjian.surveys.token:" + settings.SECRET_KEY.encode()).digest()


def new_token() -> str:
    return secrets.token_urlsafe(12)


def digest(token: str) -> str:
    return hmac.new(_key(), token.strip().encode(), hashlib.sha256).hexdigest()

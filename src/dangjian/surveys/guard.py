"""Refusing automated submissions: a honeypot field and a signed render time.

A form must be rendered by us (signed stamp for this round), not too quickly
filled in (a person takes seconds; a script takes none) and not stale.
"""

import time

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HONEYPOT = "website"
_SALT = "dangjian.surveys.form"


def min_seconds() -> int:
    return getattr(settings, "SURVEY_MIN_SECONDS", 3)


def max_age() -> int:
    return getattr(settings, "SURVEY_FORM_MAX_AGE", 6 * 3600)


def stamp(round_id: int, *, now: float | None = None) -> str:
    return signing.dumps({"r": round_id, "t": int(now if now is not None else time.time())}, salt=_SALT)


def check(*, data, round_id: int, now: float | None = None) -> None:
    """Raise ValidationError when the submission looks automated or replayed from elsewhere."""
    now = now if now is not None else time.time()
    if data.get(HONEYPOT):
        raise ValidationError({"__all__": _("Submission refused: it was filled in automatically.")})
    try:
        payload = signing.loads(data.get("stamp", ""), salt=_SALT)
    except signing.BadSignature as exc:
        raise ValidationError({"__all__": _("The form is no longer valid: open the link again and fill it in.")}) from exc
    if payload.get("r") != round_id:
        raise ValidationError({"__all__": _("The form is no longer valid: open the link again and fill it in.")})
    elapsed = now - payload.get("t", 0)
    if elapsed < min_seconds():
        raise ValidationError({"__all__": _("Submitted too quickly: check your answers and submit again.")})
    if elapsed > max_age():
        raise ValidationError({"__all__": _("The form was open too long and is no longer valid: open the link again and fill it in.")})

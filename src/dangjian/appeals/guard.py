"""Protection of the public intake: per-address rate limit, honeypot, signed
form timestamp and a small arithmetic question with the numbers in words.

The rate limit counts in the database, so it holds across all server worker
processes (gunicorn runs several).
"""

import datetime as dt
import os
import random

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dangjian.appeals.models import IntakeCounter

_SALT = "dangjian.appeals.intake"
HONEYPOT = "website"


def rate_limit() -> int:
    """Submissions per address per hour; 0 switches the limit off.

    Settings APPEALS_RATE_LIMIT, else the DANGJIAN_APPEALS_RATE_LIMIT
    environment variable (the load test raises it), else 10.
    """
    value = getattr(settings, "APPEALS_RATE_LIMIT", None)
    if value is None:
        value = os.environ.get("DANGJIAN_APPEALS_RATE_LIMIT", 10)
    return int(value)


def min_form_seconds() -> int:
    """A form filled in faster than this is a script."""
    value = getattr(settings, "APPEALS_MIN_FORM_SECONDS", None)
    return int(value if value is not None else 3)


MAX_FORM_AGE = dt.timedelta(hours=2)


def hit(key: str, *, now: dt.datetime | None = None) -> int:
    """Count one request for key in the current hour; return the count so far."""
    now = now or timezone.now()
    window = now.replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        updated = IntakeCounter.objects.filter(key=key, window=window).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    IntakeCounter.objects.create(key=key, window=window, count=1)
            except IntegrityError:
                IntakeCounter.objects.filter(key=key, window=window).update(count=F("count") + 1)
        return IntakeCounter.objects.get(key=key, window=window).count


def over_limit(kind: str, ip: str | None, *, now: dt.datetime | None = None) -> bool:
    limit = rate_limit()
    if limit <= 0:
        return False
    return hit(f"{kind}:{ip or '-'}", now=now) > limit


def purge_counters(*, before: dt.datetime) -> int:
    return IntakeCounter.objects.filter(window__lt=before).delete()[0]


def _number_word(n: int) -> str:
    """0..10 in words ("三"): a script reading the page must understand the language."""
    return pgettext("number words from zero to ten", "zero one two three four five six seven eight nine ten").split()[n]


def new_challenge(rng: random.Random | None = None) -> tuple[str, str]:
    """(question in words, signed token carrying the answer and the time)."""
    rng = rng or random.SystemRandom()
    a, b = rng.randint(1, 9), rng.randint(1, 9)
    question = _("What is %(a)s plus %(b)s?") % {"a": _number_word(a), "b": _number_word(b)}
    token = signing.TimestampSigner(salt=_SALT).sign_object({"a": a + b})
    return question, token


def check_form(data, *, now: dt.datetime | None = None) -> dict[str, str]:
    """Errors ({field: message}) for a public submission's anti-spam fields."""
    if data.get(HONEYPOT):
        return {"__all__": _("The submission was not accepted: reload the page and try again")}
    token = data.get("token", "")
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        payload = signer.unsign_object(token)
        signed_at = signing.b62_decode(token.split(signing.Signer().sep)[-2])
    except (signing.BadSignature, ValueError):
        return {"__all__": _("The submission was not accepted: reload the page and try again")}
    elapsed = (now or timezone.now()).timestamp() - signed_at
    if elapsed > MAX_FORM_AGE.total_seconds():
        return {"__all__": _("The page has expired: reload it and fill it in again")}
    if elapsed < min_form_seconds():
        return {"__all__": _("Submitted too quickly: check what you wrote and submit again")}
    answer = str(data.get("answer", "")).strip()
    if not answer.isdigit() or int(answer) != payload["a"]:
        return {"answer": _("Wrong answer to the check question: write it in digits")}
    return {}

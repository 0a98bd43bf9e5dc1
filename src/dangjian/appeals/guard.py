"""Protection of the public intake: per-address rate limits (submissions, and
every tracking-code lookup together), a honeypot, and a small arithmetic
question with the numbers in words, kept on the server and answered once.

The rate limit counts in the database, so it holds across all server worker
processes (gunicorn runs several).
"""

import datetime as dt
import os
import random
import secrets
import unicodedata
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext

from dangjian.appeals.models import IntakeChallenge, IntakeCounter

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
    """Count one request for key in the current hour; return the count so far.

    One statement on the hot path: the increment returns the new count (UPDATE ... RETURNING,
    PostgreSQL and SQLite 3.35+), so a busy intake spends no savepoint and no second read.
    """
    now = now or timezone.now()
    window = now.replace(minute=0, second=0, microsecond=0)
    table = connection.ops.quote_name(IntakeCounter._meta.db_table)
    increment = (f'UPDATE {table} SET "count" = "count" + 1 WHERE "key" = %s AND "window" = %s '
                 'RETURNING "count"')
    params = [key, connection.ops.adapt_datetimefield_value(window)]
    with connection.cursor() as cursor:  # one statement: atomic by itself, no savepoint needed
        cursor.execute(increment, params)
        row = cursor.fetchone()
        if row is not None:
            return row[0]
        try:
            with transaction.atomic():
                IntakeCounter.objects.create(key=key, window=window, count=1)
                return 1
        except IntegrityError:  # another worker created this window's row first
            cursor.execute(increment, params)
            return cursor.fetchone()[0]


def over_limit(kind: str, ip: str | None, *, now: dt.datetime | None = None) -> bool:
    limit = rate_limit()
    if limit <= 0:
        return False
    return hit(f"{kind}:{ip or '-'}", now=now) > limit


def tracking_limit() -> int:
    """Tracking-code requests (look up, note, rating: one budget) per address per hour; 0 is off."""
    value = getattr(settings, "APPEALS_TRACK_RATE_LIMIT", None)
    if value is None:
        value = os.environ.get("DANGJIAN_APPEALS_TRACK_RATE_LIMIT", 30)
    return int(value)


def tracking_over_limit(ip: str | None, *, now: dt.datetime | None = None) -> bool:
    """Count one request that names a tracking code. Call it before any lookup, on every such path."""
    limit = tracking_limit()
    return limit > 0 and hit(f"track:{ip or '-'}", now=now) > limit


def purge_counters(*, before: dt.datetime) -> int:
    return IntakeCounter.objects.filter(window__lt=before).delete()[0]


def _number_word(n: int) -> str:
    """0..10 in words ("三"): a script reading the page must understand the language."""
    return pgettext("number words from zero to ten", "zero one two three four five six seven eight nine ten").split()[n]


def new_challenge(rng: random.Random | None = None, *, now: dt.datetime | None = None) -> tuple[str, str]:
    """(question in words, random token). The answer stays on the server."""
    rng = rng or random.SystemRandom()
    now = now or timezone.now()
    a, b = rng.randint(1, 9), rng.randint(1, 9)
    question = _("What is %(a)s plus %(b)s?") % {"a": _number_word(a), "b": _number_word(b)}
    token = secrets.token_urlsafe(32)
    IntakeChallenge.objects.filter(issued_at__lt=now - MAX_FORM_AGE).delete()
    IntakeChallenge.objects.create(token=token, answer=a + b, issued_at=now)
    return question, token


_REFUSED = _lazy("The submission was not accepted: reload the page and try again")


def check_form(data, *, now: dt.datetime | None = None) -> tuple[IntakeChallenge | None, dict[str, str]]:
    """(the challenge, errors as {field: message}) for a public submission's anti-spam fields.

    Checking uses the challenge up, right or wrong: each question is answered
    once. Call inside a transaction (the challenge row is locked), and when the
    challenge already brought in an appeal, show that one: the same form was
    sent twice.
    """
    if data.get(HONEYPOT):
        return None, {"__all__": str(_REFUSED)}
    now = now or timezone.now()
    challenge = IntakeChallenge.objects.select_for_update().filter(token=str(data.get("token", ""))[:64]).first()
    if challenge is None:
        return None, {"__all__": str(_REFUSED)}
    if challenge.used_at is not None:
        if challenge.appeal_id:
            return challenge, {}
        return None, {"__all__": _("This form was already sent: answer the new check question")}
    IntakeChallenge.objects.filter(pk=challenge.pk).update(used_at=now)
    challenge.used_at = now
    elapsed = (now - challenge.issued_at).total_seconds()
    if elapsed > MAX_FORM_AGE.total_seconds():
        return None, {"__all__": _("The page has expired: reload it and fill it in again")}
    if elapsed < min_form_seconds():
        return None, {"__all__": _("Submitted too quickly: check what you wrote and submit again")}
    if parse_answer(str(data.get("answer", ""))) != challenge.answer:
        return None, {"answer": _("Wrong answer to the check question: write the number, in digits or in words")}
    return challenge, {}


NUMERALS_FILE = Path(__file__).resolve().parent / "data" / "numerals.tsv"


def _load_numerals(path: Path = NUMERALS_FILE) -> dict[str, int]:
    """The Chinese numerals of the answer (data/numerals.tsv): numeral -> value."""
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#"))
    return {numeral: int(value) for numeral, value in rows}


_NUMERALS = _load_numerals()
_DIGITS = {ch: value for ch, value in _NUMERALS.items() if value < 10}
_TEN = next(ch for ch, value in _NUMERALS.items() if value == 10)


def parse_answer(text: str) -> int | None:
    """The resident's answer as a number: Arabic digits (half or full width) or Chinese numerals up to
    ninety-nine (data/numerals.tsv), as the question is asked in words; a closing full stop is ignored.
    None when it is neither."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    while text and unicodedata.category(text[-1]).startswith("P"):
        text = text[:-1]
    if text.isdigit() and len(text) <= 3:
        return int(text)
    if not text or len(text) > 3 or any(ch not in _DIGITS and ch != _TEN for ch in text):
        return None
    if _TEN not in text:
        return _DIGITS[text] if len(text) == 1 else None
    tens, _sep, units = text.partition(_TEN)
    if len(tens) > 1 or len(units) > 1 or _TEN in units:
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


def challenge_brought_in(challenge: IntakeChallenge, appeal) -> None:
    IntakeChallenge.objects.filter(pk=challenge.pk).update(appeal=appeal)

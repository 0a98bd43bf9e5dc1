"""How lists, joined messages and months read in the interface language."""

import datetime as dt
from collections.abc import Iterable

from django.utils.formats import date_format
from django.utils.translation import pgettext


def join_items(items: Iterable) -> str:
    """Names in a row: "甲、乙、丙"."""
    return pgettext("list separator", ", ").join(str(i) for i in items)


def join_clauses(clauses: Iterable) -> str:
    """Parts of one sentence: "甲，乙"."""
    return pgettext("clause separator", ", ").join(str(c) for c in clauses)


def join_messages(messages: Iterable) -> str:
    """Several error messages in one line: "甲；乙"."""
    return pgettext("message separator", "; ").join(str(m) for m in messages)


def month_label(month: dt.date) -> str:
    """"2025年3月" (the locale's year-month format)."""
    return date_format(month, "YEAR_MONTH_FORMAT")


def shown(value):
    """A value as people read it: 是/否 for booleans, dates as 2026-06-30, nothing for None; else unchanged."""
    from django.utils import timezone
    from django.utils.translation import gettext

    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return value

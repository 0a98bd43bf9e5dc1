"""Calendar periods of the evaluation: month, quarter, year (pure functions)."""

import datetime as dt

from dangjian.core.dates import add_months

MONTHS = {"month": 1, "quarter": 3, "year": 12}


def period_end(kind: str, start: dt.date) -> dt.date:
    """The last day of the period that begins on `start`; ValueError if `start` is not a period start."""
    months = MONTHS.get(kind)
    if months is None:
        raise ValueError(f"unknown period kind {kind!r}")
    if start.day != 1 or (start.month - 1) % months:
        raise ValueError(f"{start} does not begin a {kind}")
    return add_months(start, months) - dt.timedelta(days=1)


def previous_start(kind: str, start: dt.date) -> dt.date:
    return add_months(start, -MONTHS[kind])


def period_containing(kind: str, day: dt.date) -> dt.date:
    months = MONTHS[kind]
    return dt.date(day.year, (day.month - 1) // months * months + 1, 1)

"""Calendar arithmetic with one meaning for every app.

Months are counted the way the regulations count them: the same day `n`
months later, clipped to the month's last day (31 Jan + 1 month = 28/29 Feb).
A month is stored as its first day. Periods of days become half-open
[start 00:00, day after end 00:00) ranges in the installation's time zone.
"""

import calendar
import datetime as dt

from django.utils import timezone


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` later (or earlier); clipped to the month's last day (31 Jan + 1 = 28/29 Feb).

    A month start stays a month start, so dues months (stored as their first
    day) step with the same function.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    """29 February + 1 year = 28 February."""
    return add_months(day, 12 * years)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    """The month's last day."""
    return add_months(month_start(month), 1) - dt.timedelta(days=1)


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of the months from first's month to last, inclusive."""
    out, m = [], month_start(first)
    while m <= last:
        out.append(m)
        m = add_months(m, 1)
    return out


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from start to end (0 if end is before start + 1 month)."""
    if end < start:
        return 0
    n = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, n) > end:
        n -= 1
    return max(n, 0)


def latest_start(end: dt.date, months: int) -> dt.date:
    """The last start date with months_between(start, end) >= months (for filtering in SQL).

    months_between(start, end) >= k exactly when add_months(start, k) <= end, and
    add_months never decreases as start grows, so the starts that qualify are all
    the days up to one cutoff.
    """
    day = add_months(end, -months) + dt.timedelta(days=4)
    while add_months(day, months) > end:
        day -= dt.timedelta(days=1)
    return day


def parse_month(value: str | None) -> dt.date | None:
    """"2025-03" (what <input type=month> sends) → 2025-03-01; None if blank or malformed."""
    try:
        year, month = (value or "").split("-")[:2]
        return dt.date(int(year), int(month), 1)
    except ValueError:
        return None


def day_bounds(start: dt.date, end: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, day after end 00:00) in the installation's time zone; one day when end is omitted."""
    tz = timezone.get_current_timezone()
    end = start if end is None else end
    return (timezone.make_aware(dt.datetime.combine(start, dt.time.min), tz),
            timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min), tz))

"""Calendar arithmetic for rules counted in months and for periodic meetings.

Pure functions, no Django: the rule boundaries are tested on their own.
"""

import calendar
import datetime as dt
from dataclasses import dataclass


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` later (or earlier); clipped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


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


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        if self.start.month == 1 and self.end.month == 12:
            return f"{self.start.year}"
        if self.start.month == self.end.month:
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.year}-{self.start.month:02d}~{self.end.month:02d}"


def periods_of_year(year: int, every_months: int) -> list[Period]:
    """Calendar periods of `every_months` months (1, 3, 6 or 12) that tile the year."""
    if every_months <= 0:
        return []
    out = []
    for first in range(1, 13, every_months):
        last = first + every_months - 1
        out.append(Period(dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])))
    return out


def month_grid(year: int, month: int) -> list[list[dt.date | None]]:
    """Weeks (Monday first) of the month; days outside it are None."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[d if d.month == month else None for d in week] for week in weeks]

"""Meeting periods: the calendar tiles a periodic meeting is due in, and the month view.

Month arithmetic itself (add_months, months_between, ...) is `dangjian.core.dates`.
"""

import calendar
import datetime as dt
from dataclasses import dataclass


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

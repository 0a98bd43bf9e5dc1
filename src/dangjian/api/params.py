"""Shared types for query and path parameters: bounded, so bad input answers 400, never 500.

A year or date outside what the records can hold, a negative offset or a page
past any list would otherwise reach `datetime` or the database and crash there.
Use these instead of a bare `int` or `date`:

    def list_things(request, year: Year | None = None, limit: Limit = 100, offset: Offset = 0): ...
"""

import datetime as dt
from typing import Annotated

from pydantic import Field

# The oldest records are members who joined in the 1920s; nothing is planned past 2100.
MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_LIMIT = 500
MAX_OFFSET = 100_000_000  # far past any table, far below what SQLite's 64-bit OFFSET can hold

Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Day = Annotated[dt.date, Field(ge=dt.date(MIN_YEAR, 1, 1), le=dt.date(MAX_YEAR, 12, 31))]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]

import datetime as dt

from dangjian.core.dates import add_months, months_between
from dangjian.meetings.periods import month_grid, periods_of_year

D = dt.date


def test_add_months_clips_to_month_end():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert add_months(D(2024, 11, 15), 3) == D(2025, 2, 15)
    assert add_months(D(2024, 3, 15), -3) == D(2023, 12, 15)


def test_months_between_counts_whole_months_only():
    assert months_between(D(2024, 1, 15), D(2024, 4, 14)) == 2
    assert months_between(D(2024, 1, 15), D(2024, 4, 15)) == 3
    assert months_between(D(2024, 1, 31), D(2024, 2, 29)) == 1
    assert months_between(D(2024, 5, 1), D(2024, 4, 1)) == 0


def test_periods_tile_the_year():
    quarters = periods_of_year(2024, 3)
    assert [(p.start, p.end) for p in quarters][0] == (D(2024, 1, 1), D(2024, 3, 31))
    assert quarters[-1].end == D(2024, 12, 31)
    assert len(periods_of_year(2024, 1)) == 12
    assert periods_of_year(2024, 0) == []
    assert periods_of_year(2024, 12)[0].label == "2024"
    assert quarters[1].label == "2024-04~06"


def test_month_grid_starts_on_monday():
    weeks = month_grid(2024, 5)  # 1 May 2024 is a Wednesday
    assert weeks[0][:2] == [None, None] and weeks[0][2] == D(2024, 5, 1)
    assert all(len(w) == 7 for w in weeks)

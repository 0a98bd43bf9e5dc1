"""Meeting periods at their edges (mutation testing, docs/testing.md): every tiling, every label, both ends.

The expected periods and labels are typed from the calendar (2024 is a leap
year: February has 29 days), not computed with the code under test.
"""

import dataclasses
import datetime as dt

import pytest

from dangjian.meetings.periods import Period, month_grid, periods_of_year

D = dt.date

TILINGS = {
    12: [("2024-01-01", "2024-12-31", "2024")],
    6: [("2024-01-01", "2024-06-30", "2024-01~06"), ("2024-07-01", "2024-12-31", "2024-07~12")],
    3: [("2024-01-01", "2024-03-31", "2024-01~03"), ("2024-04-01", "2024-06-30", "2024-04~06"),
        ("2024-07-01", "2024-09-30", "2024-07~09"), ("2024-10-01", "2024-12-31", "2024-10~12")],
    1: [("2024-01-01", "2024-01-31", "2024-01"), ("2024-02-01", "2024-02-29", "2024-02"),
        ("2024-03-01", "2024-03-31", "2024-03"), ("2024-04-01", "2024-04-30", "2024-04"),
        ("2024-05-01", "2024-05-31", "2024-05"), ("2024-06-01", "2024-06-30", "2024-06"),
        ("2024-07-01", "2024-07-31", "2024-07"), ("2024-08-01", "2024-08-31", "2024-08"),
        ("2024-09-01", "2024-09-30", "2024-09"), ("2024-10-01", "2024-10-31", "2024-10"),
        ("2024-11-01", "2024-11-30", "2024-11"), ("2024-12-01", "2024-12-31", "2024-12")],
}


@pytest.mark.parametrize("every", sorted(TILINGS))
def test_every_tiling_of_the_year_with_its_labels(every):
    got = [(f"{p.start}", f"{p.end}", p.label) for p in periods_of_year(2024, every)]
    assert got == TILINGS[every]


def test_labels_of_periods_that_do_not_start_in_january_or_end_in_december():
    # Only January-to-December is labelled by the year alone; a period ending in December
    # that starts later, or one starting in January that ends earlier, names its months.
    assert Period(D(2024, 7, 1), D(2024, 12, 31)).label == "2024-07~12"
    assert Period(D(2024, 1, 1), D(2024, 11, 30)).label == "2024-01~11"
    assert Period(D(2024, 12, 1), D(2024, 12, 31)).label == "2024-12"


@pytest.mark.parametrize("every", [1, 3, 6, 12])
def test_a_period_contains_its_first_and_last_day_and_nothing_outside(every):
    for p in periods_of_year(2024, every):
        assert p.contains(p.start) and p.contains(p.end)
        assert p.contains(p.start + dt.timedelta(days=1))
        assert not p.contains(p.start - dt.timedelta(days=1))
        assert not p.contains(p.end + dt.timedelta(days=1))


def test_a_day_falls_in_exactly_one_quarter():
    quarters = periods_of_year(2024, 3)
    day = D(2024, 1, 1)
    while day.year == 2024:
        assert sum(q.contains(day) for q in quarters) == 1, day
        day += dt.timedelta(days=1)


def test_no_periods_without_a_positive_length_and_a_period_cannot_be_changed():
    assert periods_of_year(2024, 0) == [] and periods_of_year(2024, -3) == []
    with pytest.raises(dataclasses.FrozenInstanceError):
        periods_of_year(2024, 12)[0].end = D(2025, 1, 1)


def test_the_month_view_of_may_2024_by_hand():
    # 1 May 2024 is a Wednesday, 31 May a Friday: five weeks, Monday first; April and June days are blank.
    may = [[None, None, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11, 12], [13, 14, 15, 16, 17, 18, 19],
           [20, 21, 22, 23, 24, 25, 26], [27, 28, 29, 30, 31, None, None]]
    assert month_grid(2024, 5) == [[D(2024, 5, d) if d else None for d in week] for week in may]


def test_the_month_view_of_december_leaves_january_out():
    # 31 December 2024 is a Tuesday.
    assert month_grid(2024, 12)[-1] == [D(2024, 12, 30), D(2024, 12, 31), None, None, None, None, None]

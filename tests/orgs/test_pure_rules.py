"""Pure rules behind the org page: the committee term badge."""

import datetime as dt

from dangjian.orgs.selectors import TERM_WARNING_DAYS, term_state

TODAY = dt.date(2025, 6, 30)


def test_no_term_recorded():
    assert term_state(None, TODAY).key == "none"


def test_term_ending_yesterday_is_overdue_by_one_day():
    state = term_state(TODAY - dt.timedelta(days=1), TODAY)
    assert (state.key, state.severity, state.days_overdue) == ("overdue", "bad", 1)


def test_term_ending_today_is_expiring_not_overdue():
    state = term_state(TODAY, TODAY)
    assert (state.key, state.days_left, state.days_overdue) == ("expiring", 0, 0)


def test_warning_window_boundary():
    assert term_state(TODAY + dt.timedelta(days=TERM_WARNING_DAYS), TODAY).key == "expiring"
    assert term_state(TODAY + dt.timedelta(days=TERM_WARNING_DAYS + 1), TODAY).key == "ok"

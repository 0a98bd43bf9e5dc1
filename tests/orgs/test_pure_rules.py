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


def test_member_rules_use_the_platform_day(monkeypatch):
    """Just after midnight in Shanghai the host (UTC) is still on the previous day."""
    from django.utils import timezone

    from dangjian.orgs.rules import member_consistency_errors

    shanghai_day = dt.date(2025, 7, 1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: shanghai_day)
    errors = member_consistency_errors(
        id_number="11010519491231002X", birth_date=dt.date(1949, 12, 31), gender="F",
        joined_on=shanghai_day,
    )
    assert "joined_on" not in errors
    errors = member_consistency_errors(
        id_number="11010519491231002X", birth_date=dt.date(1949, 12, 31), gender="F",
        joined_on=shanghai_day + dt.timedelta(days=1),
    )
    assert errors["joined_on"] == "入党日期不能晚于今天"

"""A computed period is a snapshot: new data does not change it; recompute does, and is audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from dangjian.audit.models import AuditEntry
from dangjian.evaluation.models import IndicatorValue, Period
from tests.evaluation.conftest import AFTER_Q3, Q3, meeting, members


def attendance(period, org):
    return IndicatorValue.objects.get(period=period, org=org, indicator__code="meeting_attendance_rate").value


def test_new_data_does_not_change_a_computed_period_recompute_does_and_is_audited(tree, compute, officer):
    a = members(tree["branch_a"], 2)
    meeting(tree["branch_a"], dt.date(2026, 7, 10), present=a)
    period = compute()
    assert attendance(period, tree["branch_a"]) == 1.0
    # A late-recorded meeting in the same quarter with an absence.
    meeting(tree["branch_a"], dt.date(2026, 9, 1), present=a[:1], absent=a[1:])
    assert attendance(period, tree["branch_a"]) == 1.0
    with pytest.raises(ValidationError) as exc:
        compute()
    assert "已" in exc.value.message_dict["start"][0]
    assert attendance(period, tree["branch_a"]) == 1.0
    before = AuditEntry.objects.filter(target_type="evaluation.Period", target_id=str(period.pk)).count()
    period = compute(recompute=True)
    assert attendance(period, tree["branch_a"]) == pytest.approx(3 / 4)
    assert period.version == 2
    entries = AuditEntry.objects.filter(target_type="evaluation.Period", target_id=str(period.pk)).order_by("id")
    assert entries.count() == before + 1
    last = entries.last()
    assert last.action == "update" and last.actor == officer and last.changes["version"] == [1, 2]


def test_a_period_must_start_on_its_first_day_and_not_in_the_future(tree, compute):
    with pytest.raises(ValidationError):
        compute(start=dt.date(2026, 8, 1))  # not a quarter start
    with pytest.raises(ValidationError):
        compute(start=dt.date(2026, 10, 1), today=dt.date(2026, 9, 30))
    period = compute(start=dt.date(2026, 10, 1), today=dt.date(2026, 10, 1))
    assert period.as_of == dt.date(2026, 10, 1)  # a running period: data as of today


def test_management_command_computes_and_recomputes(tree):
    members(tree["branch_a"], 1)
    call_command("evaluate_period", "--kind", "month", "--start", "2026-07-01", "--today", AFTER_Q3.isoformat())
    p = Period.objects.get(kind="month", start=dt.date(2026, 7, 1))
    assert p.version == 1 and p.end == dt.date(2026, 7, 31)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("evaluate_period", "--kind", "month", "--start", "2026-07-01", "--today", AFTER_Q3.isoformat())
    call_command("evaluate_period", "--kind", "month", "--start", "2026-07-01", "--recompute", "--today", AFTER_Q3.isoformat())
    p.refresh_from_db()
    assert p.version == 2
    assert AuditEntry.objects.filter(target_type="evaluation.Period", target_id=str(p.pk), actor_name="system").count() == 2


def test_retired_indicator_keeps_past_values_and_leaves_later_periods(tree, compute, officer):
    from dangjian.evaluation.models import Indicator
    from dangjian.evaluation.services import indicator_retire

    a = members(tree["branch_a"], 2)
    meeting(tree["branch_a"], dt.date(2026, 7, 10), present=a)
    q3 = compute()
    ind = Indicator.objects.get(code="meeting_attendance_rate")
    indicator_retire(by=officer, indicator=ind)
    meeting(tree["branch_a"], dt.date(2026, 10, 10), present=a)
    q4 = compute(start=dt.date(2026, 10, 1), today=dt.date(2027, 1, 5))
    assert IndicatorValue.objects.filter(period=q3, indicator=ind).exists()
    assert not IndicatorValue.objects.filter(period=q4, indicator=ind).exists()
    assert Q3 == q3.start

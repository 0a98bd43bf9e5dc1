"""The timers with a frozen clock: each fires when due, the next run moves on, a missed
monthly run (the machine was off for months) runs once and catches the missed months up."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import Schedule, Task
from django_q.scheduler import scheduler

from dangjian.dues.models import Due
from dangjian.operations.models import WorkerBeat
from dangjian.operations.schedules import TIMERS, schedules_sync
from tests.dues.conftest import set_base

BEIJING = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BEIJING)


@pytest.fixture
def timers(db, monkeypatch):
    """The timetable as a fresh install plans it on 31 March 2026 at 20:00; tasks run in this process."""
    monkeypatch.setattr(Conf, "SYNC", True)
    Schedule.objects.all().delete()
    with time_machine.travel(at(2026, 3, 31, 20, 0), tick=False):
        schedules_sync()
    return {s.name: s for s in Schedule.objects.all()}


def _tick(when: dt.datetime) -> None:
    with time_machine.travel(when, tick=False):
        scheduler(broker=get_broker())


def _runs(name: str) -> list[Task]:
    return list(Task.objects.filter(group=name).order_by("started"))


def test_every_timer_is_planned_after_migrate(timers):
    assert set(timers) == {t.name for t in TIMERS}
    assert timers["dues_generate"].next_run == at(2026, 4, 1, 8, 0)
    assert timers["purge_import_files"].next_run == at(2026, 4, 1, 3, 15)
    assert timers["appeals_escalate"].next_run == at(2026, 3, 31, 20, 1)


def test_timers_fire_when_due_and_plan_their_next_run(timers, member_a):
    set_base(member_a, "3000")
    _tick(at(2026, 3, 31, 20, 5))
    assert [t.success for t in _runs("appeals_escalate")] == [True]
    assert WorkerBeat.objects.exists()
    assert not _runs("dues_generate") and not Due.objects.exists()
    assert Schedule.objects.get(name="appeals_escalate").next_run == at(2026, 3, 31, 20, 16)

    _tick(at(2026, 4, 1, 8, 0, 30))
    assert [t.success for t in _runs("dues_generate")] == [True]
    assert list(Due.objects.values_list("month", flat=True)) == [dt.date(2026, 4, 1)]
    assert [t.success for t in _runs("purge_import_files")] == [True]
    assert Schedule.objects.get(name="dues_generate").next_run == at(2026, 5, 1, 8, 0)
    assert Schedule.objects.get(name="purge_import_files").next_run == at(2026, 4, 2, 3, 15)
    # The quarter-hourly timer missed the night's slots: it ran once at 08:00, planned for 08:01 ...
    assert len(_runs("appeals_escalate")) == 2
    assert Schedule.objects.get(name="appeals_escalate").next_run == at(2026, 4, 1, 8, 1)
    # ... and a quarter of an hour later only the frequent timers run again.
    _tick(at(2026, 4, 1, 8, 16))
    assert len(_runs("dues_generate")) == 1 and len(_runs("appeals_escalate")) == 3


def test_a_missed_monthly_run_catches_up_once(timers, member_a):
    set_base(member_a, "3000")
    _tick(at(2026, 4, 1, 8, 1))
    # The machine is off from April to mid-July: the May, June and July runs are missed.
    _tick(at(2026, 7, 15, 10, 0))
    runs = _runs("dues_generate")
    assert len(runs) == 2  # April's, and one run for the three missed months
    assert sorted(Due.objects.values_list("month", flat=True)) == [
        dt.date(2026, 4, 1), dt.date(2026, 5, 1), dt.date(2026, 6, 1), dt.date(2026, 7, 1)]
    assert Schedule.objects.get(name="dues_generate").next_run == at(2026, 8, 1, 8, 0)
    assert len(_runs("purge_import_files")) == 2  # daily: once for April 1st, once on return
    _tick(at(2026, 7, 15, 10, 1))
    assert len(_runs("dues_generate")) == 2

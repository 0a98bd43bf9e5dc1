"""The platform's timers, kept as django-q schedules inside the database.

The list below is the truth: after every `migrate` each entry is created or
brought up to date (its next run is kept when it is already planned). The
worker's scheduler (`qcluster`) starts each one when due; a run missed while
the machine was off runs once when it is back (Q_CLUSTER catch_up=False), and
the next run then moves to the first slot in the future.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Timer:
    name: str
    func: str
    kind: str  # django_q Schedule.schedule_type
    minutes: int | None = None
    # First run: local time of day (and day of month for monthly timers).
    at: dt.time | None = None
    label: str = ""
    intended_date_kwarg: str | None = None


TASKS = "dangjian.operations.tasks"
TIMERS = [
    Timer("worker_heartbeat", f"{TASKS}.worker_heartbeat", "I", minutes=1, label=_("Worker heartbeat")),
    Timer("jobs_reap", f"{TASKS}.jobs_reap", "I", minutes=2, label=_("Fail jobs whose worker died")),
    Timer("appeals_escalate", f"{TASKS}.appeals_escalate", "I", minutes=15,
          label=_("Escalate overdue appeals and close unrated resolved ones")),
    # 08:00 in Beijing is midnight UTC: the monthly step stays on the 1st.
    Timer("dues_generate", f"{TASKS}.dues_generate", "M", at=dt.time(8, 0), label=_("Monthly dues ledger"),
          intended_date_kwarg="intended"),
    Timer("todos_refresh", f"{TASKS}.todos_refresh", "D", at=dt.time(2, 0),
          label=_("Refresh this month's warnings and term reminders")),
    Timer("appeals_classifier_train", f"{TASKS}.appeals_classifier_train", "D", at=dt.time(3, 45),
          label=_("Retrain the appeal category suggestion on the categories staff confirmed")),
    Timer("purge_import_files", f"{TASKS}.purge_import_files", "D", at=dt.time(3, 15),
          label=_("Delete expired files that hold identifiers")),
]
BY_NAME = {t.name: t for t in TIMERS}


def first_run(timer: Timer, now: dt.datetime | None = None) -> dt.datetime:
    """The first slot after `now` for a timer (local time of day; the 1st of the month for monthly)."""
    now = timezone.localtime(now or timezone.now())
    if timer.kind == "I":
        return (now + dt.timedelta(minutes=1)).replace(second=0, microsecond=0)
    at = timer.at or dt.time(0, 0)
    if timer.kind == "M":
        candidate = now.replace(day=1, hour=at.hour, minute=at.minute, second=0, microsecond=0)
        if candidate <= now:
            candidate = (candidate.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return candidate
    candidate = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return candidate if candidate > now else candidate + dt.timedelta(days=1)


def schedules_sync(*, now: dt.datetime | None = None) -> int:
    """Create the missing schedules and update the others' definition; returns how many were created."""
    from django_q.models import Schedule

    created = 0
    for timer in TIMERS:
        schedule = Schedule.objects.filter(name=timer.name).first()
        fields = {"func": timer.func, "schedule_type": timer.kind, "minutes": timer.minutes, "repeats": -1,
                  "intended_date_kwarg": timer.intended_date_kwarg}
        if schedule is None:
            Schedule.objects.create(name=timer.name, next_run=first_run(timer, now), **fields)
            created += 1
        elif any(getattr(schedule, k) != v for k, v in fields.items()):
            Schedule.objects.filter(pk=schedule.pk).update(**fields)
    return created


def schedules_sync_after_migrate(sender, using="default", plan=None, **kwargs) -> None:
    from django.db import connections

    if "django_q_schedule" in connections[using].introspection.table_names():
        schedules_sync()

"""Long work done by the queue's worker, recorded on a row the user can watch.

A job row (an import, an export, a computation ...) carries its state and
progress. The worker claims it (state running, attempt counted, its own name
and a heartbeat), runs it, and records the outcome. A worker that dies leaves
the row running: `jobs_reap` marks it failed once its heartbeat is older than
dead_after(), and the queue, which hands an unacknowledged task out again, finds
the row still running under the same attempt and marks it failed too. The work
itself writes in one transaction, so a dead worker has written nothing.
A failed job can be retried: it goes back to pending under a new attempt.
"""

import contextlib
import datetime as dt
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

log = logging.getLogger(__name__)

PENDING, RUNNING, SUCCEEDED, FAILED = "pending", "running", "succeeded", "failed"
HEARTBEAT_EVERY = 10  # seconds


def dead_after() -> dt.timedelta:
    """A running job whose heartbeat is older than this lost its worker (JOB_DEAD_AFTER seconds, default 90)."""
    return dt.timedelta(seconds=int(getattr(settings, "JOB_DEAD_AFTER", 90)))

DIED_MESSAGE = _("The worker processing this job stopped before it finished; nothing was written: retry it")
CRASH_MESSAGE = _("A system error stopped the job and nothing was written: try again later or ask the administrator")


class QueuedWork(models.Model):
    """What the worker records on a job row besides its state and progress."""

    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(pgettext_lazy("job", "started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)

    class Meta:
        abstract = True


# Who records and enqueues a job a user starts: the operations app registers its service at start-up,
# so a feature's view starts a job without importing the app above it.
_starter = None


def register_starter(starter) -> None:
    global _starter
    _starter = starter


def job_start(*, by, kind: str, params: dict | None = None, upload=None):
    """Record a job of `kind` and hand it to the queue's worker (operations.services.job_start)."""
    if _starter is None:
        raise RuntimeError("no job starter registered (is dangjian.operations installed?)")
    return _starter(by=by, kind=kind, params=params, upload=upload)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(model, pk: int, *, attempt: int):
    """The job row, marked running by this worker, or None when there is nothing to run.

    `attempt` is the number of attempts the job had when this task was enqueued:
    a task from before a retry finds a different count and leaves the job alone.
    The queue hands a task out again when its worker never acknowledged it: a
    job found running under this very attempt lost its worker, and is failed.
    """
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=pk).first()
        if job is None:
            return None
        if job.state == RUNNING and job.attempts == attempt + 1:
            _fail(model, pk, DIED_MESSAGE)
            return None
        if job.state != PENDING or job.attempts != attempt:
            return None
        now = timezone.now()
        model.objects.filter(pk=pk).update(
            state=RUNNING, attempts=attempt + 1, started_at=now, heartbeat_at=now, worker=worker_name()[:100])
    job.refresh_from_db()
    return job


def _fail(model, pk: int, message) -> None:
    fields = {"state": FAILED, "finished_at": timezone.now(), "message": str(message)}
    if any(f.name == "stage" for f in model._meta.fields):
        fields["stage"] = "done"
    model.objects.filter(pk=pk).update(**fields)


def fail_crashed(model, pk: int) -> None:
    """After an unexpected exception: the row says so in the user's words (the log has the trace)."""
    _fail(model, pk, CRASH_MESSAGE)


def reap(model, *, now: dt.datetime | None = None) -> int:
    """Fail the running jobs whose worker stopped beating; returns how many."""
    now = now or timezone.now()
    dead = list(model.objects.filter(state=RUNNING, heartbeat_at__lt=now - dead_after()).values_list("pk", flat=True))
    for pk in dead:
        log.warning("job %s.%s lost its worker", model._meta.label, pk)
        _fail(model, pk, DIED_MESSAGE)
    return len(dead)


def requeue(model, job) -> int:
    """Put a failed job back as pending; returns the attempt count the new task must carry."""
    fields = {"state": PENDING, "progress": 0, "message": "", "finished_at": None, "worker": ""}
    if any(f.name == "stage" for f in model._meta.fields):
        fields["stage"] = "queued"
    updated = model.objects.filter(pk=job.pk, state=FAILED).update(**fields)
    if not updated:
        raise ValueError("only a failed job can be retried")
    job.refresh_from_db()
    return job.attempts


@contextlib.contextmanager
def heartbeat(model, pk: int, every: float = HEARTBEAT_EVERY):
    """Keep the row's heartbeat fresh while the body runs (a thread with its own connection)."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] in ("", ":memory:") or \
            "mode=memory" in str(connection.settings_dict["NAME"]):
        yield  # an in-memory test database is not shared with another thread
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    model.objects.filter(pk=pk, state=RUNNING).update(heartbeat_at=timezone.now())
                except OperationalError:  # the writer holds SQLite's lock: beat next time
                    pass
        finally:
            close_old_connections()
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 5)

"""What the queue's worker runs: the jobs users start, and the timers (schedules.py).

Each timer returns a one-line outcome, kept by django-q as the task's result
and shown on the operations page. A timer that raises is tried again by the
queue (Q_CLUSTER max_attempts) and shows as failed until a run succeeds.
"""

import datetime as dt
import logging
import socket

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from dangjian.core import jobs
from dangjian.core.actors import SystemActor
from dangjian.core.text import join_messages
from dangjian.operations.models import Job, WorkerBeat

log = logging.getLogger(__name__)


# --- jobs started by users --------------------------------------------------------


def run_job(job_id: int, attempt: int = 0) -> str:
    from dangjian.operations import runners

    job = jobs.claim(Job, job_id, attempt=attempt)
    if job is None:
        return "nothing to run"
    kind = runners.KINDS[job.kind]
    last = {"percent": -1}

    def progress(percent: int, stage: str = "") -> None:
        if percent != last["percent"]:
            last["percent"] = percent
            Job.objects.filter(pk=job.pk).update(progress=percent, stage=str(stage)[:100], heartbeat_at=timezone.now())

    with translation.override(job.language or settings.LANGUAGE_CODE), jobs.heartbeat(Job, job.pk):
        try:
            outcome = kind.run(job, progress)
        except runners.JobFailed as exc:
            _finish(job, state=Job.State.FAILED, message=exc.message, result=exc.result)
            return "failed"
        except ValidationError as exc:
            _finish(job, state=Job.State.FAILED, message=join_messages(exc.messages))
            return "failed"
        except Exception:
            log.exception("job %s (%s) crashed", job.pk, job.kind)
            jobs.fail_crashed(Job, job.pk)
            return "crashed"
    _finish(job, state=Job.State.SUCCEEDED, message=outcome.message, result=outcome.result)
    return "done"


def _finish(job: Job, *, state: str, message: str, result: dict | None = None) -> None:
    job.refresh_from_db()
    job.state, job.message, job.result = state, str(message), result or {}
    job.progress, job.stage, job.finished_at = 100, "", timezone.now()
    if job.input_file:  # an upload may hold identifiers: keep it only until the job succeeded
        if state == Job.State.SUCCEEDED:
            job.input_file.delete(save=False)
    job.save()


# --- timers -----------------------------------------------------------------------


def worker_heartbeat() -> str:
    WorkerBeat.objects.update_or_create(name=socket.gethostname()[:100], defaults={"at": timezone.now()})
    return "alive"


def jobs_reap() -> str:
    from dangjian.imports.models import ImportJob

    failed = jobs.reap(Job) + jobs.reap(ImportJob)
    return f"{failed} jobs without a worker failed"


def appeals_escalate() -> str:
    from dangjian.appeals.services import appeals_autoclose
    from dangjian.appeals.services import appeals_escalate as escalate
    from dangjian.departments.services import summonses_escalate

    escalated = escalate()
    closed = appeals_autoclose()
    # Departments summoned to appeals (吹哨报到) run on the appeals' schedule.
    summonses = summonses_escalate()
    return f"escalated {escalated}, closed without rating {closed}, department summonses escalated {summonses}"


def appeals_classifier_train() -> str:
    from dangjian.appeals.training import classifier_train

    run = classifier_train()
    return (f"trained on {run.shipped} shipped and {run.confirmed} confirmed examples; "
            f"held-out accuracy {run.report['accuracy']:.3f}")


def _months(since: dt.date, until: dt.date) -> list[dt.date]:
    month, out = since.replace(day=1), []
    while month <= until:
        out.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def dues_generate(intended: str | None = None) -> str:
    """The ledger of the current month, and of every month since the slot this run was planned for
    (a run missed while the machine was off catches up once, for all the months it missed)."""
    from dangjian.dues.services import ledger_generate
    from dangjian.orgs.models import BRANCH_KINDS, Org

    today = timezone.localdate()
    since = timezone.localtime(dt.datetime.fromisoformat(intended)).date() if intended else today
    created = 0
    months = _months(min(since, today), today)
    for month in months:
        for org in Org.objects.filter(kind__in=BRANCH_KINDS, is_active=True).order_by("path"):
            created += ledger_generate(by=SystemActor("dues_generate"), org=org, month=month).created
    return f"{', '.join(f'{m:%Y-%m}' for m in months)}: {created} dues created"


def todos_refresh() -> str:
    """Recompute this month's evaluation period, so warnings on the to-do lists follow last night's data.
    Term reminders are read from the terms themselves on each page and need no refresh."""
    from dangjian.evaluation.models import Period
    from dangjian.evaluation.services import period_compute

    start = timezone.localdate().replace(day=1)
    computed = Period.objects.filter(kind="month", start=start, computed_at__isnull=False).exists()
    period = period_compute(by=None, kind="month", start=start, recompute=computed)
    return f"{period.label}: version {period.version}"


def purge_import_files() -> str:
    from dangjian.imports.retention import import_files_purge
    from dangjian.operations.services import job_files_purge

    result = import_files_purge()
    results = job_files_purge()
    return (f"deleted {result.error_files} error workbooks, {result.uploads} leftover uploads, "
            f"{result.orphans} unreferenced files, {results} job files")

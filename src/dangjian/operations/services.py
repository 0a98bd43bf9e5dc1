"""Starting, retrying and cleaning up jobs."""

import datetime as dt
import os

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone, translation

from dangjian.core import jobs, queue
from dangjian.operations.models import Job

RUN_JOB = "dangjian.operations.tasks.run_job"


@transaction.atomic
def job_start(*, by, kind: str, params: dict | None = None, upload=None) -> Job:
    """Record a job and hand it to the worker; 404 for a kind the user may not start."""
    from dangjian.operations.runners import KINDS

    params = params or {}
    if kind not in KINDS or not KINDS[kind].may_start(by, params):
        raise Http404
    job = Job(kind=kind, created_by=by, params=params, language=translation.get_language() or "")
    if upload is not None:
        data = upload.read()
        job.input_file.save(f"{kind}{os.path.splitext(upload.name)[1].lower()[:6]}", ContentFile(data), save=False)
    job.save()
    queue.enqueue(RUN_JOB, job.pk, 0, name=f"{kind}-{job.pk}")
    job.refresh_from_db()
    return job


@transaction.atomic
def job_retry(*, by, job: Job) -> Job:
    """A failed job runs again, under a new attempt (its upload, if any, was kept)."""
    if job.created_by_id != getattr(by, "pk", None) and not by.is_superuser:
        raise Http404
    if job.input_file and not job.input_file.storage.exists(job.input_file.name):
        raise Http404
    attempt = jobs.requeue(Job, job)
    Job.objects.filter(pk=job.pk).update(result={}, result_file="", result_name="")
    queue.enqueue(RUN_JOB, job.pk, attempt, name=f"{job.kind}-{job.pk}-retry{attempt}")
    job.refresh_from_db()
    return job


def job_files_purge(*, now: dt.datetime | None = None) -> int:
    """Delete job files past JOB_RESULT_DAYS (exports hold identifiers); returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=int(getattr(settings, "JOB_RESULT_DAYS", 7)))
    deleted = 0
    for job in Job.objects.filter(finished_at__lt=cutoff).filter(~Q(result_file="") | ~Q(input_file="")):
        for f in (job.result_file, job.input_file):
            if f:
                f.delete(save=False)
                deleted += 1
        job.save(update_fields=["result_file", "input_file"])
    return deleted

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core import jobs


class Job(jobs.QueuedWork):
    """Long work run by the queue's worker: an export, a computation, a payments import ...

    Seen by the user who started it (and superusers); anyone else gets 404.
    """

    class State(models.TextChoices):
        PENDING = jobs.PENDING, _("waiting")
        RUNNING = jobs.RUNNING, _("running")
        SUCCEEDED = jobs.SUCCEEDED, _("done")
        FAILED = jobs.FAILED, _("failed")

    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True,
                                   on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(pgettext_lazy("job", "created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    language = models.CharField(max_length=12, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # An uploaded file the job reads (a payments workbook): deleted once processed.
    input_file = models.FileField(upload_to="jobs/input/", blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PENDING, db_index=True)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    # The outcome in the user's words: a summary, or the error in Chinese.
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(upload_to="jobs/results/", blank=True)
    result_name = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("background job", "job")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="job_user_created")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return round((self.finished_at - self.started_at).total_seconds(), 1)
        return None

    @property
    def result_expires_at(self) -> dt.datetime | None:
        if not self.result_file or not self.finished_at:
            return None
        return self.finished_at + dt.timedelta(days=int(getattr(settings, "JOB_RESULT_DAYS", 7)))


class WorkerBeat(models.Model):
    """The worker's sign of life, written every minute by a schedule (read by /healthz)."""

    name = models.CharField(max_length=100, primary_key=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")


class KeyRotation(models.Model):
    """One run of rotate_keys: which keys it moves to, how far it got, and when it finished."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Fingerprints (never the keys): which old and new keys this rotation is about.
    old_fingerprint = models.CharField(max_length=64)
    new_fingerprint = models.CharField(max_length=64)
    # Per table "app_label.Model": the last primary key done.
    progress = models.JSONField(default=dict, blank=True)
    rows = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

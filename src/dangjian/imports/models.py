import datetime as dt
import functools

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.jobs import QueuedWork

STALE_AFTER = dt.timedelta(hours=1)


def error_file_days() -> int:
    """How long an error workbook is kept (DANGJIAN_IMPORT_ERROR_FILE_DAYS)."""
    return int(getattr(settings, "IMPORT_ERROR_FILE_DAYS", 7))


class ImportJob(QueuedWork):
    """One roster upload: processed in the background, all rows or none."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("imported")
        FAILED = "failed", _("not imported")

    class Stage(models.TextChoices):
        QUEUED = "queued", _("queued")
        READING = "reading", _("reading the file")
        VALIDATING = "validating", _("checking every row")
        WRITING = "writing", _("writing to the roster")
        DONE = "done", _("done")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The importer's IMPORT_ROSTER subtrees when the file was uploaded (for the record).
    scope_paths = models.JSONField(default=list, blank=True)
    # The upload is deleted once processed: it holds identifiers in plaintext.
    file = models.FileField(upload_to="imports/uploads/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PENDING, db_index=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    total_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # A problem with the file as a whole (headers, size, format ...).
    message = models.TextField(blank=True)
    # The first cell errors, identifiers masked; the full list is in error_file.
    errors = models.JSONField(default=list, blank=True)
    error_file = models.FileField(upload_to="imports/errors/", blank=True)
    # Set when purge_import_files deleted the workbook (it holds identifiers in plain text).
    error_file_expired_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "state"], name="importjob_user_state")]

    def __str__(self) -> str:
        return self.file_name

    @property
    def finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def stale(self) -> bool:
        """Unfinished an hour after upload and never picked up by a worker (jobs_reap fails the others)."""
        return not self.finished and self.heartbeat_at is None and self.created_at < timezone.now() - STALE_AFTER

    @property
    def retryable(self) -> bool:
        """Failed with its upload still kept: its worker died before reading it through (nothing was written)."""
        return self.state == self.State.FAILED and bool(self.file)

    @property
    def error_file_expires_at(self) -> dt.datetime | None:
        """When purge_import_files may delete the error workbook."""
        if not self.error_file:
            return None
        return (self.finished_at or self.created_at) + dt.timedelta(days=error_file_days())

    @functools.cached_property
    def error_file_state(self) -> str:
        """available; expired (purged, or gone from storage); or empty (the job never had one)."""
        if self.error_file:
            return "available" if self.error_file.storage.exists(self.error_file.name) else "expired"
        return "expired" if self.error_file_expired_at else ""

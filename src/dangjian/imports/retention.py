"""Retention of the import files that hold identifiers in plain text.

Error workbooks repeat the uploaded rows as they were typed (ID numbers,
phones, addresses). They are kept for IMPORT_ERROR_FILE_DAYS after the job
finished, then purge_import_files deletes them and the job page says so.
The same run deletes what an interrupted import left behind (its upload) and
files under imports/ that no job refers to any more (a deleted user's jobs):
nobody can download those, so they go once older than STALE_AFTER.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext

from dangjian.audit.services import Action, audit_record
from dangjian.imports.models import STALE_AFTER, ImportJob, error_file_days

log = logging.getLogger(__name__)

# Where ImportJob stores its files (upload_to of `file` and `error_file`).
FILE_DIRS = ("imports/errors", "imports/uploads")
CHUNK = 500  # ids per UPDATE (SQLite's limit on query parameters)


@dataclass(frozen=True)
class PurgeResult:
    error_files: int
    uploads: int
    orphans: int
    days: int
    cutoff: dt.datetime

    @property
    def total(self) -> int:
        return self.error_files + self.uploads + self.orphans


def _delete(storage, name: str) -> bool:
    try:
        storage.delete(name)  # a file already gone is not an error
    except OSError:
        log.exception("could not delete import file %s", name)
        return False
    return True


def _orphans(before: dt.datetime) -> list[str]:
    """Files under imports/ older than `before` that no job refers to."""
    known = set()
    for file, error_file in ImportJob.objects.exclude(file="", error_file="").values_list("file", "error_file"):
        known.update((file, error_file))
    found = []
    for folder in FILE_DIRS:
        try:
            _dirs, files = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        for filename in files:
            name = f"{folder}/{filename}"
            if name not in known and default_storage.get_modified_time(name) < before:
                found.append(name)
    return found


def import_files_purge(*, days: int | None = None, now: dt.datetime | None = None,
                       actor: str = "purge_import_files") -> PurgeResult:
    """Delete the import files past the retention; one audit entry per run, with the counts."""
    days = error_file_days() if days is None else days
    if days < 0:
        raise ValueError("days must be 0 or more")
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=days)
    # Nobody can download an upload or a file no job refers to, so they go as
    # soon as they are settled: not before an import still running with them
    # would count as interrupted.
    settled = now - STALE_AFTER

    expired = []
    jobs = ImportJob.objects.exclude(error_file="").filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    )
    for pk, name in jobs.values_list("pk", "error_file"):
        if _delete(default_storage, name):
            expired.append(pk)
    leftovers = []
    for pk, name in ImportJob.objects.exclude(file="").filter(created_at__lt=settled).values_list("pk", "file"):
        if _delete(default_storage, name):
            leftovers.append(pk)
    orphans = [name for name in _orphans(settled) if _delete(default_storage, name)]

    result = PurgeResult(len(expired), len(leftovers), len(orphans), days, cutoff)
    with transaction.atomic():
        for i in range(0, len(expired), CHUNK):
            ImportJob.objects.filter(pk__in=expired[i:i + CHUNK]).update(error_file="", error_file_expired_at=now)
        for i in range(0, len(leftovers), CHUNK):
            ImportJob.objects.filter(pk__in=leftovers[i:i + CHUNK]).update(file="")
        audit_record(
            actor=actor, action=Action.DELETE,
            target_repr=ngettext("Import file clean-up (%(n)d file)", "Import file clean-up (%(n)d files)",
                                 result.total) % {"n": result.total},
            changes={
                "error_files": result.error_files, "uploads": result.uploads, "orphans": result.orphans,
                "days": days, "cutoff": cutoff.isoformat(),
            },
        )
    return result

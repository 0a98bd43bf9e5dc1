"""Uploaded files and error workbooks are readable by the service's user only (issue 16, finding 14)."""

import os
import stat

from django.core.files.storage import default_storage

from dangjian.imports.models import ImportJob
from tests.imports.conftest import csv_bytes, row, upload


def _mode(name: str) -> int:
    return stat.S_IMODE(os.stat(default_storage.path(name)).st_mode)


def test_error_workbook_is_written_0600(as_secretary_a, tree):
    upload(as_secretary_a, csv_bytes([row(性别="未知")]), name="名册.csv")
    job = ImportJob.objects.get()
    assert job.error_file
    assert _mode(job.error_file.name) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(default_storage.path(job.error_file.name))).st_mode) == 0o700


def test_stored_upload_is_written_0600(as_secretary_a, tree, settings):
    settings.IMPORT_RUN_INLINE = False  # the job waits (on_commit never fires in a test): its file stays
    settings.JOBS_RUN_INLINE = False
    upload(as_secretary_a, csv_bytes([row()]), name="名册.csv")
    job = ImportJob.objects.get()
    assert job.file and _mode(job.file.name) == 0o600

"""Retention of import files: purge_import_files deletes error workbooks past their days, audited once a run."""

import datetime as dt
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from dangjian.audit.models import Action, AuditEntry
from dangjian.imports.models import ImportJob
from tests.factories import UserFactory
from tests.imports.conftest import new_id, row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

EXPIRED = "标注错误的工作簿已过保留期"


def _failed_job(client, *, finished_days_ago: float, id_number: str | None = None) -> ImportJob:
    upload(client, xlsx_bytes([row(学历="幼儿园", **({"身份证号": id_number} if id_number else {}))]))
    job = ImportJob.objects.latest("id")
    assert job.state == ImportJob.State.FAILED and job.error_file
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(days=finished_days_ago))
    return ImportJob.objects.get(pk=job.pk)


def _purge(*args) -> str:
    out = io.StringIO()
    call_command("purge_import_files", *args, stdout=out)
    return out.getvalue()


def _purge_entries():
    return AuditEntry.objects.filter(action=Action.DELETE, actor_name="purge_import_files").order_by("id")


def test_workbook_past_the_retention_is_deleted_and_the_page_says_it_expired(as_secretary_a):
    number = new_id()
    old = _failed_job(as_secretary_a, finished_days_ago=7.1, id_number=number)
    recent = _failed_job(as_secretary_a, finished_days_ago=6.9)
    old_name, recent_name = old.error_file.name, recent.error_file.name

    assert "deleted 1 error workbooks" in _purge()

    assert not default_storage.exists(old_name)
    assert default_storage.exists(recent_name)
    old.refresh_from_db()
    assert old.error_file.name == "" and old.error_file_expired_at is not None

    page = as_secretary_a.get(f"/imports/jobs/{old.pk}/").content.decode()
    assert EXPIRED in page
    assert f"/imports/jobs/{old.pk}/errors.xlsx" not in page
    # Past SHOWN_ERRORS the page lists only the first ones; it no longer points to the workbook for the rest.
    ImportJob.objects.filter(pk=old.pk).update(error_count=600)
    page = as_secretary_a.get(f"/imports/jobs/{old.pk}/").content.decode()
    assert "仅显示前 1 处，共 600 处" in page and "完整清单见工作簿" not in page
    # An old link to the workbook leads to the page that explains, not to an error.
    response = as_secretary_a.get(f"/imports/jobs/{old.pk}/errors.xlsx")
    assert response.status_code == 302 and response["Location"] == f"/imports/jobs/{old.pk}/"

    page = as_secretary_a.get(f"/imports/jobs/{recent.pk}/").content.decode()
    assert EXPIRED not in page and "保留至" in page
    response = as_secretary_a.get(f"/imports/jobs/{recent.pk}/errors.xlsx")
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"

    entry = _purge_entries().get()
    assert entry.changes["error_files"] == 1 and entry.changes["days"] == 7
    assert number not in str(entry.changes) and number not in entry.target_repr


def test_the_setting_sets_the_days(as_secretary_a, settings):
    settings.IMPORT_ERROR_FILE_DAYS = 2
    job = _failed_job(as_secretary_a, finished_days_ago=3)
    _purge()
    job.refresh_from_db()
    assert job.error_file_expired_at is not None
    assert _purge_entries().get().changes["days"] == 2


def test_days_option_overrides_the_setting_and_rejects_negatives(as_secretary_a):
    job = _failed_job(as_secretary_a, finished_days_ago=0.5)
    _purge()
    job.refresh_from_db()
    assert job.error_file
    _purge("--days", "0")
    job.refresh_from_db()
    assert not job.error_file
    with pytest.raises(CommandError):
        _purge("--days", "-1")


def test_a_second_run_deletes_nothing_and_writes_one_entry_per_run(as_secretary_a):
    _failed_job(as_secretary_a, finished_days_ago=10)
    _failed_job(as_secretary_a, finished_days_ago=9)
    _purge()
    assert "deleted 0 error workbooks" in _purge()
    assert [e.changes["error_files"] for e in _purge_entries()] == [2, 0]


def test_workbook_missing_from_storage_reads_as_expired(as_secretary_a, as_secretary_b):
    job = _failed_job(as_secretary_a, finished_days_ago=1)
    default_storage.delete(job.error_file.name)
    page = as_secretary_a.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert EXPIRED in page and f"/imports/jobs/{job.pk}/errors.xlsx" not in page
    assert as_secretary_a.get(f"/imports/jobs/{job.pk}/errors.xlsx").status_code == 302
    # Still nobody else's business.
    assert as_secretary_b.get(f"/imports/jobs/{job.pk}/errors.xlsx").status_code == 404


def test_job_without_errors_has_no_workbook_link(as_secretary_a):
    upload(as_secretary_a, xlsx_bytes([row()]))
    job = ImportJob.objects.latest("id")
    assert job.state == ImportJob.State.SUCCEEDED
    assert as_secretary_a.get(f"/imports/jobs/{job.pk}/errors.xlsx").status_code == 404
    assert EXPIRED not in as_secretary_a.get(f"/imports/jobs/{job.pk}/").content.decode()


def _old(name: str, days: float) -> None:
    stamp = (timezone.now() - dt.timedelta(days=days)).timestamp()
    os.utime(default_storage.path(name), (stamp, stamp))


def test_upload_left_by_an_interrupted_import_is_deleted_but_not_one_that_may_still_run(secretary_a):
    interrupted = ImportJob.objects.create(created_by=secretary_a, file_name="a.xlsx", file_sha256="0" * 64)
    interrupted.file.save("a.xlsx", ContentFile(b"PK plaintext"))
    running = ImportJob.objects.create(created_by=secretary_a, file_name="b.xlsx", file_sha256="1" * 64)
    running.file.save("b.xlsx", ContentFile(b"PK plaintext"))
    ImportJob.objects.filter(pk=interrupted.pk).update(created_at=timezone.now() - dt.timedelta(minutes=61))
    ImportJob.objects.filter(pk=running.pk).update(created_at=timezone.now() - dt.timedelta(minutes=59))

    _purge("--days", "0")

    interrupted.refresh_from_db()
    running.refresh_from_db()
    assert not interrupted.file and running.file and default_storage.exists(running.file.name)
    assert _purge_entries().get().changes["uploads"] == 1


def test_files_no_job_refers_to_are_deleted(as_secretary_a, secretary_a):
    job = _failed_job(as_secretary_a, finished_days_ago=1)
    name = job.error_file.name
    stray = default_storage.save("imports/uploads/stray.xlsx", ContentFile(b"PK"))
    fresh = default_storage.save("imports/uploads/fresh.xlsx", ContentFile(b"PK"))
    _old(name, 0.05)  # 72 minutes
    _old(stray, 0.05)
    _old(fresh, 0.03)  # 43 minutes
    secretary_a.delete()  # the jobs go with the user; their files stayed on disk
    assert not ImportJob.objects.exists()

    _purge()

    assert not default_storage.exists(name) and not default_storage.exists(stray)
    assert default_storage.exists(fresh)  # may belong to an import still running
    assert _purge_entries().get().changes["orphans"] == 2


def test_superuser_sees_the_purge_in_the_audit_log(as_secretary_a, tree):
    from tests.conftest import client_for

    _failed_job(as_secretary_a, finished_days_ago=8)
    _purge()
    page = client_for(UserFactory(is_superuser=True)).get("/audit/").content.decode()
    assert "导入文件清理（1 个文件）" in page

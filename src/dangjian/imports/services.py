"""Roster import (all rows or none, one audit entry) and export (audited)."""

import contextlib
import datetime as dt
import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, DateField, DateTimeField, F, IntegerField, Max, Min, Value
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record
from dangjian.core import crypto, jobs, queue
from dangjian.core.scoping import has_capability, scope_paths, scope_roots
from dangjian.imports import reader, workbooks
from dangjian.imports.bulk import dates_adapter, insert_from_select, insert_rows
from dangjian.imports.columns import BY_FIELD
from dangjian.imports.models import ImportJob
from dangjian.imports.selectors import may_reveal_all, roster_for_export
from dangjian.imports.validation import CellIssue, Validated, registered_issues, validate
from dangjian.orgs.models import Member, Org, StatusChange, Tag

log = logging.getLogger(__name__)

SHOWN_ERRORS = 500  # kept on the job for the screen; the workbook has them all


@dataclass
class ImportOutcome:
    imported: int = 0
    message: str = ""  # a problem with the file as a whole
    issues: list[CellIssue] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    first_row: int = 2
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.message and not self.issues


def _settings_int(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def roster_import(
    *,
    by,
    data: bytes,
    file_name: str,
    today: dt.date | None = None,
    progress: Callable[[str, int], None] | None = None,
    job: ImportJob | None = None,
) -> ImportOutcome:
    """Read, validate and (only if every row is valid) write a roster file.

    progress(stage, percent) is called along the way, outside any transaction.
    """
    today = today or timezone.localdate()
    step = progress or (lambda stage, percent: None)
    outcome = ImportOutcome()
    try:
        if len(data) > _settings_int("IMPORT_MAX_BYTES", 30 * 1024 * 1024):
            raise reader.FileProblem(_("The file is too large; the limit is %(limit)s MB: import it in parts") % {
                "limit": f"{settings.IMPORT_MAX_BYTES / 1048576:.0f}"})
        step(ImportJob.Stage.READING, 2)
        sheet = reader.read_sheet(data, name=file_name, max_rows=_settings_int("IMPORT_MAX_ROWS", 200_000))
    except reader.FileProblem as exc:
        outcome.message = exc.text
        return outcome
    outcome.rows, outcome.first_row, outcome.total_rows = sheet.rows, sheet.first_row, len(sheet.rows)
    step(ImportJob.Stage.VALIDATING, 10)
    checked = validate(
        sheet, user=by, today=today,
        progress=lambda done, total: step(ImportJob.Stage.VALIDATING, 10 + int(70 * done / max(total, 1))),
    )
    if checked.issues:
        outcome.issues = checked.issues
        return outcome
    if not checked.count:
        outcome.message = _("The file has no members")
        return outcome
    step(ImportJob.Stage.WRITING, 80)
    digest = hashlib.sha256(data).hexdigest()
    try:
        with transaction.atomic(), _large_write_cache():
            _write(checked, by=by, today=today)
            audit_record(
                actor=by, action=Action.IMPORT, target=job, org=_common_org(checked.orgs.values()),
                target_repr=file_name,
                changes={
                    "count": checked.count,
                    "file_name": file_name,
                    "file_sha256": digest,
                    "orgs": sorted(checked.orgs)[:50],
                },
            )
    except IntegrityError:
        # The unique index on the blind index refused an ID number already on
        # the roster (the validator does not ask the database for a clean file).
        outcome.issues = registered_issues(checked)
        if not outcome.issues:
            outcome.message = _(
                "While writing, an ID number turned out to belong to a member registered just now; nothing was "
                "imported: upload the file again")
        return outcome
    outcome.imported = checked.count
    return outcome


@contextlib.contextmanager
def _large_write_cache():
    """SQLite's default 2 MB page cache spills while 100,000 rows update five
    indexes; a larger cache for the import's duration roughly halves the write."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _write(checked: Validated, *, by, today: dt.date) -> None:
    values = checked.values
    as_dates = dates_adapter(Member)
    phones = values["phone"]
    member_columns = {
        "org_id": [org.pk for org in values["org"]],
        "name": values["name"],
        "gender": values["gender"],
        "ethnicity": [e or "汉族" for e in values["ethnicity"]],
        "birth_date": as_dates(values["birth_date"]),
        "id_number": crypto.encrypt_many(values["id_number"]),
        "id_number_index": values["id_number_index"],
        "phone": crypto.encrypt_many(phones),
        "phone_index": crypto.blind_indexes(phones),
        "education": values["education"],
        "joined_on": as_dates(values["joined_on"]),
        "full_member_on": as_dates(values["full_member_on"]),
        "category": values["category"],
        "status": values["status"],
        "employment": values["employment"],
        "job": values["job"],
        "address": values["address"],
    }
    before = Member.objects.aggregate(top=Max("id"))["top"] or 0
    stamp = insert_rows(Member, fields=tuple(member_columns), rows=list(zip(*member_columns.values(), strict=True)))
    ours = Member.objects.filter(id__gt=before, created_at=stamp).order_by()

    # Each new member's first status change, written by the database from the rows just inserted.
    insert_from_select(
        StatusChange, ours,
        member_id=F("id"), from_status=Value(""), to_status=F("status"),
        changed_on=Value(today, output_field=DateField()), reason=Value(_("Record created (roster import)")),
        by_id=Value(by.pk if getattr(by, "pk", None) else None, output_field=IntegerField()),
        recorded_at=Value(stamp, output_field=DateTimeField()),
    )

    tags = values["tags"]
    names = sorted({t for member_tags in tags for t in member_tags})
    if names:
        Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True)
        tag_ids = dict(Tag.objects.filter(name__in=names).values_list("name", "id"))
        ids = _new_member_ids(ours, wanted=values["id_number_index"], count=checked.count)
        insert_rows(
            Member.tags.through, fields=("member_id", "tag_id"),
            rows=[(pk, tag_ids[t]) for pk, member_tags in zip(ids, tags, strict=True) for t in member_tags],
        )


def _new_member_ids(ours, *, wanted: list[str], count: int) -> list[int]:
    """The ids of the rows just inserted, in the order they were given.

    Each insert takes a larger id than the one before, so when our `count` rows
    hold exactly the ids first..first+count-1 (always on SQLite, which lets one
    writer in at a time), row i has id first+i. Otherwise (another writer took
    ids in between) each row is found by its blind index.
    """
    span = ours.aggregate(first=Min("id"), last=Max("id"), n=Count("id"))
    if span["n"] == count and span["last"] - span["first"] + 1 == count:
        return list(range(span["first"], span["last"] + 1))
    by_index = dict(ours.values_list("id_number_index", "id").iterator(chunk_size=5000))
    return [by_index[index] for index in wanted]


def _common_org(orgs) -> Org | None:
    """The lowest org above all the imported ones: where auditors of the import look."""
    paths = [o.path for o in orgs]
    if not paths:
        return None
    prefix = os.path.commonprefix(paths)
    prefix = prefix[: len(prefix) - len(prefix) % Org.steplen]
    return Org.objects.filter(path=prefix).first() if prefix else None


# --- Jobs: the upload page's way to run an import with a progress bar ----------


def import_job_create(*, by, upload) -> ImportJob:
    """Check the upload cheaply, store it, and hand it to the queue's worker."""
    if not has_capability(by, roles.IMPORT_ROSTER):
        raise Http404
    reader.check_upload(upload, max_bytes=_settings_int("IMPORT_MAX_BYTES", 30 * 1024 * 1024))
    data = upload.read()
    paths = scope_paths(by, roles.IMPORT_ROSTER)
    job = ImportJob(
        created_by=by,
        scope_paths=paths if paths is not None else ["*"],
        file_name=os.path.basename(upload.name)[:255],
        file_size=len(data),
        file_sha256=hashlib.sha256(data).hexdigest(),
    )
    job.file.save(f"{job.file_sha256[:16]}{os.path.splitext(upload.name)[1].lower()[:6]}", ContentFile(data), save=False)
    job.save()
    if getattr(settings, "IMPORT_RUN_INLINE", False):
        import_job_task(job.pk, 0, translation.get_language())
    else:
        queue.enqueue(IMPORT_TASK, job.pk, 0, translation.get_language(), name=f"roster_import-{job.pk}")
    job.refresh_from_db()
    return job


IMPORT_TASK = "dangjian.imports.services.import_job_task"


def import_job_retry(*, by, job: ImportJob) -> ImportJob:
    """An import whose worker died runs again from the kept upload (nothing of it was written)."""
    if job.created_by_id != by.pk and not by.is_superuser:
        raise Http404
    if not job.retryable:
        raise Http404
    attempt = jobs.requeue(ImportJob, job)
    queue.enqueue(IMPORT_TASK, job.pk, attempt, translation.get_language(), name=f"roster_import-{job.pk}-{attempt}")
    job.refresh_from_db()
    return job


def import_job_task(job_id: int, attempt: int = 0, language: str | None = None) -> str:
    """The queue's entry point: claim the job, run it in the uploader's language, record a crash."""
    job = jobs.claim(ImportJob, job_id, attempt=attempt)
    if job is None:
        return "nothing to run"
    with translation.override(language or settings.LANGUAGE_CODE), jobs.heartbeat(ImportJob, job_id):
        try:
            _import_job_process(job)
        except Exception:  # the job must not stay "running" with the worker alive
            log.exception("import job %s crashed", job_id)
            jobs.fail_crashed(ImportJob, job_id)
            return "crashed"
    return "done"


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a pending job here and now (the queue calls import_job_task)."""
    job = ImportJob.objects.get(pk=job_id)
    import_job_task(job_id, job.attempts)
    job.refresh_from_db()
    return job


def _import_job_process(job: ImportJob) -> ImportJob:
    started = time.perf_counter()
    last = {"percent": -1}

    def progress(stage: str, percent: int) -> None:
        if percent != last["percent"]:
            last["percent"] = percent
            ImportJob.objects.filter(pk=job.pk).update(stage=stage, progress=percent, heartbeat_at=timezone.now())

    with job.file.open("rb") as fh:
        data = fh.read()
    outcome = roster_import(by=job.created_by, data=data, file_name=job.file_name, progress=progress, job=job)

    job.refresh_from_db()
    job.stage, job.progress, job.finished_at = ImportJob.Stage.DONE, 100, timezone.now()
    job.total_rows, job.imported_rows = outcome.total_rows, outcome.imported
    job.message = outcome.message
    job.error_count = len(outcome.issues) + (1 if outcome.message else 0)
    job.errors = [i.as_dict() for i in outcome.issues[:SHOWN_ERRORS]]
    job.state = ImportJob.State.SUCCEEDED if outcome.ok and outcome.imported else ImportJob.State.FAILED
    if outcome.issues:
        book = workbooks.error_workbook(outcome.rows, outcome.issues, first_row=outcome.first_row)
        job.error_file.save(f"errors-{job.pk}.xlsx", ContentFile(book), save=False)
    # The upload holds identifiers in plaintext: keep only its name, size and hash.
    job.file.delete(save=False)
    job.seconds = round(time.perf_counter() - started, 3)
    job.save()
    return job


# --- Export ---------------------------------------------------------------------


def _export_row(member: Member, *, reveal: bool) -> list:
    # Same columns and words as the template, so an edited export re-imports.
    def label(fname: str, value: str) -> str:
        return BY_FIELD[fname].label_of(value)

    id_number, phone = member.id_number, member.phone or ""
    if not reveal:
        id_number, phone = crypto.mask_id_number(id_number), crypto.mask_phone(phone)
    return [
        member.name, label("gender", member.gender), member.ethnicity, member.birth_date.isoformat(),
        id_number, phone, label("education", member.education), member.joined_on.isoformat(),
        member.full_member_on.isoformat() if member.full_member_on else "",
        label("category", member.category), label("status", member.status),
        label("employment", member.employment), member.job, member.address,
        "、".join(t.name for t in member.tags.all()), member.org.code,
    ]


EXPORT_CHUNK = 2000  # members read per query; progress is reported once per chunk


def roster_export(*, by, params, target, progress=None) -> int:
    """Write the roster `by` may export (filtered like the member list) to `target`; audited.

    `progress(done, total)`, when given, is called after every EXPORT_CHUNK members written
    and once at the end (the queue's job page shows it)."""
    if not has_capability(by, roles.EXPORT_ROSTER):
        raise Http404
    members = roster_for_export(by, params)
    reveal = may_reveal_all(by, members)
    total = members.count() if progress else 0

    def rows():
        done = 0
        for member in members.iterator(chunk_size=EXPORT_CHUNK):
            yield _export_row(member, reveal=reveal)
            done += 1
            if progress and done % EXPORT_CHUNK == 0:
                progress(done, max(total, done))
        if progress:
            progress(done, max(total, done))

    # The workbook is written outside a transaction, so that the job's progress (its own row) is
    # seen as it goes; it only reads. The audit entry is written when the workbook is whole.
    count = workbooks.roster_workbook(rows(), target)
    with transaction.atomic():
        org = _export_org(by, params)
        audit_record(
            actor=by, action=Action.EXPORT, org=org, target=org,
            target_repr=ngettext("Roster export (%(n)d member)", "Roster export (%(n)d members)", count) % {"n": count},
            changes={
                "count": count,
                "masked": not reveal,
                "filters": {k: v for k, v in params.items() if k != "page" and v},
            },
        )
    return count


def _export_org(by, params) -> Org | None:
    if params.get("org"):
        return Org.objects.filter(pk=params["org"]).first()
    return scope_roots(by, roles.EXPORT_ROSTER).first()


@transaction.atomic
def import_errors_download(*, by, job: ImportJob) -> None:
    """Audit one download of a job's error workbook: it holds identifiers in plain text."""
    audit_record(actor=by, action=Action.DOWNLOAD, target=job, target_repr=job.file_name,
                 changes={"file": "errors.xlsx"})

"""Jobs through the pages: who sees them, what they show, retry, the export's file."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core import jobs
from dangjian.operations.models import Job
from tests.conftest import client_for
from tests.factories import UserFactory


@pytest.fixture
def as_admin(db):
    return client_for(UserFactory(username="root", is_superuser=True, is_staff=True))


def test_the_roster_export_runs_as_a_job_and_only_its_owner_downloads_it(as_officer, as_secretary_a, member_a, member_b):
    page = as_officer.post(reverse("operations:job_start", args=["roster_export"]), follow=True)
    job = page.context["job"]
    assert job.state == "succeeded" and "已导出 2 名党员" in page.content.decode()
    book = load_workbook(io.BytesIO(b"".join(as_officer.get(reverse("operations:job_file", args=[job.pk])).streaming_content)))
    names = [r[0] for r in book.active.iter_rows(min_row=2, values_only=True) if r[0]]
    assert sorted(names) == sorted([member_a.name, member_b.name])
    # Another user, even one who may export too, does not see the job or its file.
    for url in ("job_detail", "job_status", "job_file"):
        assert as_secretary_a.get(reverse(f"operations:{url}", args=[job.pk])).status_code == 404


def test_a_kind_the_user_may_not_start_is_404(as_member, as_secretary_b):
    assert as_member.post(reverse("operations:job_start", args=["roster_export"])).status_code == 404
    assert as_secretary_b.post(reverse("operations:job_start", args=["originality_reindex"])).status_code == 404
    assert as_secretary_b.post(reverse("operations:job_start", args=["no_such_kind"])).status_code == 404
    assert not Job.objects.exists()


def test_a_failed_job_shows_its_error_in_chinese_and_a_retry_runs_it_again(as_officer, officer, tree):
    job = Job.objects.create(kind="period_compute", created_by=officer,
                             params={"kind": "month", "start": "2099-01-01", "recompute": False})
    from dangjian.operations.tasks import run_job

    run_job(job.pk, 0)
    page = as_officer.get(reverse("operations:job_detail", args=[job.pk]))
    assert "尚未开始" in page.content.decode() and 'id="job-retry"' in page.content.decode()
    Job.objects.filter(pk=job.pk).update(params={"kind": "month", "start": "2026-01-01", "recompute": False})
    as_officer.post(reverse("operations:job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == "succeeded" and job.attempts == 2


def test_a_task_handed_out_again_finds_its_worker_dead_and_fails_the_job(officer):
    """The queue redelivers a task whose worker never acknowledged it: the row is still running."""
    job = Job.objects.create(kind="roster_export", created_by=officer)
    assert jobs.claim(Job, job.pk, attempt=0) is not None
    assert jobs.claim(Job, job.pk, attempt=0) is None
    job.refresh_from_db()
    assert job.state == "failed" and "没有写入任何数据" in job.message
    # A task from before a retry finds another attempt count and leaves the job alone.
    attempt = jobs.requeue(Job, job)
    assert jobs.claim(Job, job.pk, attempt=attempt - 1) is None
    assert Job.objects.get(pk=job.pk).state == "pending"


def test_operations_page_is_for_superusers_only(as_admin, as_officer, as_anonymous):
    assert as_officer.get(reverse("operations:overview")).status_code == 404
    assert as_anonymous.get(reverse("operations:overview")).status_code == 302
    page = as_admin.get(reverse("operations:overview"))
    assert page.status_code == 200 and 'id="timer-dues_generate"' in page.content.decode()


def test_a_period_report_is_written_by_the_worker_for_an_org_in_scope(as_officer, as_secretary_b, tree, compute):
    period = compute()
    data = {"org": tree["branch_a"].pk, "period": period.pk, "fmt": "pdf"}
    page = as_officer.post(reverse("operations:job_start", args=["period_report"]), data, follow=True)
    job = page.context["job"]
    assert job.state == "succeeded" and job.result_name.endswith(".pdf")
    pdf = b"".join(as_officer.get(reverse("operations:job_file", args=[job.pk])).streaming_content)
    assert pdf.startswith(b"%PDF")
    # Branch B's secretary may not report on branch A: the job is not even created.
    assert as_secretary_b.post(reverse("operations:job_start", args=["period_report"]), data).status_code == 404
    assert Job.objects.count() == 1


def test_the_roster_export_reports_its_progress_as_it_writes(officer, tree, monkeypatch):
    """Progress moves with the rows written (issue 17), not from 5 % straight to done."""
    from dangjian.imports import services as imports_services
    from dangjian.operations.runners import KINDS
    from tests.factories import MemberFactory

    monkeypatch.setattr(imports_services, "EXPORT_CHUNK", 2)
    MemberFactory.create_batch(5, org=tree["branch_a"])
    job = Job.objects.create(kind="roster_export", created_by=officer)
    seen = []
    outcome = KINDS["roster_export"].run(job, lambda percent, stage="": seen.append((percent, str(stage))))
    assert outcome.result == {"count": 5}
    # 5 % on the way in; after 2, 4 and all 5 members: 5 + 85 × done / 5; 95 % while the file is saved.
    assert [p for p, _stage in seen] == [5, 39, 73, 90, 95]
    assert seen[2][1] == "正在写入工作簿：4 / 5 名党员"

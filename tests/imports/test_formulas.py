"""The roster's spreadsheets never hand out a member's text as a live formula (issue 16, finding 3).

A name like =HYPERLINK("http://…?id="&E2) opened in Excel would send the ID
number column to another site with one click; each writer stores it as text.
"""

import io

import openpyxl
from django.core.files.storage import default_storage
from django.urls import reverse

from dangjian.imports.models import ImportJob
from tests.factories import MemberFactory, make_org
from tests.imports.conftest import csv_bytes, row, upload
from tests.spreadsheets import HYPERLINK, assert_written_as_text


def test_roster_export_writes_a_formula_name_as_text(as_secretary_a, tree):
    MemberFactory(org=tree["branch_a"], name=HYPERLINK, job="@SUM(A1:A9)")
    response = as_secretary_a.get(reverse("imports:roster_export"))
    data = b"".join(response.streaming_content)
    assert_written_as_text(data, HYPERLINK)
    assert_written_as_text(data, "@SUM(A1:A9)")


def test_error_workbook_writes_the_uploaded_formula_as_text(as_secretary_a, tree):
    upload(as_secretary_a, csv_bytes([row(姓名=HYPERLINK, 性别="未知")]), name="名册.csv")
    job = ImportJob.objects.get()
    assert job.error_file
    with default_storage.open(job.error_file.name, "rb") as fh:
        data = fh.read()
    assert_written_as_text(data, HYPERLINK)
    # The downloaded workbook is the same file.
    download = as_secretary_a.get(reverse("imports:job_errors", args=[job.pk]))
    assert_written_as_text(b"".join(download.streaming_content), HYPERLINK)


def test_template_lists_a_formula_org_name_as_text(as_secretary_a, tree):
    make_org(parent=tree["branch_a"], name=HYPERLINK, kind="group", code="G001")
    data = as_secretary_a.get(reverse("imports:template_xlsx")).content
    assert_written_as_text(data, HYPERLINK)
    codes = openpyxl.load_workbook(io.BytesIO(data))["组织代码"]
    assert HYPERLINK in [c.value for c in codes["B"]]

"""Hostile spreadsheets through the upload pages that read them (issue 16, finding 2).

The roster import and the dues payment import both refuse the security test's
three files with a Chinese sentence where the user is looking, write nothing,
and the server process survives (the parse runs in a child process).
"""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.dues.models import Payment
from dangjian.imports.models import ImportJob
from dangjian.orgs.models import Member
from tests.core.test_sheets import far_corner, row_400000, string_reused
from tests.imports.conftest import upload

FILES = [
    pytest.param(far_corner, "XFD 列", id="cell-at-XFD1048576"),
    pytest.param(row_400000, "第 400,000 行", id="cell-at-row-400000"),
    pytest.param(string_reused, "压缩炸弹", id="5MB-string-reused-60x"),
]


@pytest.mark.parametrize(("build", "said"), FILES)
def test_roster_import_refuses_hostile_files(as_secretary_a, tree, build, said):
    before = Member.objects.count()
    page = html.unescape(upload(as_secretary_a, build()).content.decode())
    assert said in page
    job = ImportJob.objects.latest("id")
    assert job.state == ImportJob.State.FAILED and said in job.message
    assert Member.objects.count() == before


@pytest.mark.parametrize(("build", "said"), FILES)
def test_dues_import_refuses_hostile_files(as_secretary_a, tree, build, said):
    # The dues import is a queued job (issue 17; run inline in tests): its page shows the refusal.
    response = as_secretary_a.post("/dues/import/", {"file": SimpleUploadedFile("dues.xlsx", build())}, follow=True)
    assert response.status_code == 200
    assert said in html.unescape(response.content.decode())
    assert not Payment.objects.exists()

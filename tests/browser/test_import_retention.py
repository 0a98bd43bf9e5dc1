"""The job page in headless Chromium before and after purge_import_files deleted the error workbook."""

import io

import pytest
from django.core.management import call_command

from tests.browser.conftest import screenshot, sign_in
from tests.imports.conftest import row, xlsx_bytes


@pytest.fixture(autouse=True)
def _inline_imports(settings, tmp_path):
    settings.IMPORT_RUN_INLINE = True
    settings.MEDIA_ROOT = tmp_path / "media"


def test_job_page_says_the_workbook_expired(page, secretary_a, tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx_bytes([row(), row(学历="幼儿园")]))
    sign_in(page, "sec_a")
    page.goto(page.base_url + "/imports/roster/")
    page.set_input_files("#id_file", str(path))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#import-errors")
    assert "保留至" in page.locator("#error-file").inner_text()

    call_command("purge_import_files", "--days", "0", stdout=io.StringIO())
    page.reload()
    page.wait_for_selector("#import-errors")
    assert "已过保留期" in page.locator("#error-file").inner_text()
    assert page.locator("a[href$='errors.xlsx']").count() == 0
    assert "只能填写：研究生" in page.locator("#import-errors").inner_text()
    screenshot(page, "import-error-file-expired")

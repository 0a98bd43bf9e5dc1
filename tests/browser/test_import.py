"""Import a roster with errors in headless Chromium and read them on screen."""

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.imports.conftest import row, xlsx_bytes


@pytest.fixture(autouse=True)
def _inline_imports(settings, tmp_path):
    settings.IMPORT_RUN_INLINE = True
    settings.MEDIA_ROOT = tmp_path / "media"


def test_upload_with_errors_lists_them(page, secretary_a, tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx_bytes([row(), row(学历="幼儿园"), row(所在组织代码="B002")]))
    sign_in(page, "sec_a")
    page.goto(page.base_url + "/imports/roster/")
    page.set_input_files("#id_file", str(path))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#import-errors")
    text = page.locator("#import-errors").inner_text()
    assert "只能填写：研究生" in text
    assert "找不到组织代码“B002”" in text
    assert "未导入任何数据" in page.locator("#job-result").inner_text()
    assert page.locator("a[href$='errors.xlsx']").count() == 1
    screenshot(page, "import-errors")
    page.set_viewport_size({"width": 390, "height": 800})
    screenshot(page, "import-errors-phone")


def test_renamed_file_is_refused_inline_on_a_phone(page, secretary_a, tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(b"%PDF-1.7 this is not a workbook")
    sign_in(page, "sec_a")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(page.base_url + "/imports/roster/")
    page.set_input_files("#id_file", str(path))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#file-errors")
    assert "不是有效的 Excel 工作簿" in page.locator("#file-errors").inner_text()
    screenshot(page, "import-form-error-phone")

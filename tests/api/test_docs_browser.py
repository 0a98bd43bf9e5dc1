"""The interactive API docs render offline in headless Chromium, without console errors."""

import pytest

from tests.browser.conftest import browser, page, screenshot  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_offline(page, db):  # noqa: F811
    outside: list[str] = []

    def only_local(route):
        if route.request.url.startswith(page.base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(page.base_url + "/api/docs")
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=15000)
    tags = page.locator(".opblock-tag").all_inner_texts()
    assert any("党员" in t for t in tags) and any("组织" in t for t in tags)
    assert page.locator(".opblock-summary-path", has_text="/api/members/{member_id}/reveal").count() == 1
    assert outside == []
    screenshot(page, "api-docs")

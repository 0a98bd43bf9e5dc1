"""The interactive API docs render offline in headless Chromium, without console errors."""

from tests.browser.conftest import screenshot, sign_in


def test_swagger_ui_renders_offline(page, db):
    outside: list[str] = []

    def only_local(route):
        if route.request.url.startswith(page.base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(page.base_url + "/api/docs")
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=60000)  # the schema takes seconds to build on a loaded machine
    tags = page.locator(".opblock-tag").all_inner_texts()
    assert any("党员" in t for t in tags) and any("组织" in t for t in tags)
    assert page.locator(".opblock-summary-path", has_text="/api/members/{member_id}/reveal").count() == 1
    assert outside == []
    screenshot(page, "api-docs")


def test_signed_in_browser_calls_the_api_with_its_session_and_csrf(page, secretary_a, member_a):
    sign_in(page, "sec_a")
    page.goto(page.base_url + "/api/docs")
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=60000)  # the schema takes seconds to build on a loaded machine
    # The docs page carries the CSRF token its "Try it out" requests send.
    status, body = page.evaluate(
        """async (id) => {
            const r = await fetch(`/api/members/${id}/status`, {
                method: "POST",
                headers: {"Content-Type": "application/json", "X-CSRFToken": document.body.dataset.csrfToken},
                body: JSON.stringify({status: "lost_contact", reason: "浏览器测试"}),
            });
            return [r.status, await r.json()];
        }""",
        member_a.pk,
    )
    assert status == 200, body
    assert body["status"] == "lost_contact"
    member_a.refresh_from_db()
    assert member_a.status == "lost_contact"

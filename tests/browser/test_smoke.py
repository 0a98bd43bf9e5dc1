from tests.browser.conftest import sign_in


def test_sign_in_lands_on_todo(page, officer):
    sign_in(page, "officer")
    assert page.url.rstrip("/") == page.base_url
    assert page.locator("h1").first.inner_text() != ""


def test_wrong_password_shows_message(page, officer):
    sign_in(page, "officer", "wrong-password")
    assert "/accounts/login/" in page.url
    assert page.locator(".errorlist").count() == 1


def test_the_page_fixture_records_failed_requests_and_error_answers(page, officer):
    """The fixture's promise: an answer of 400+ or a failed request fails the test (here read, then cleared)."""
    sign_in(page, "officer")
    page.evaluate("fetch('/static/no-such-file.js').catch(() => null)")
    page.evaluate("fetch('http://127.0.0.1:9/unreachable').catch(() => null)")
    page.wait_for_timeout(500)
    assert any("HTTP 404" in p and "no-such-file.js" in p for p in page.problems), page.problems
    # The site's CSP (connect-src 'self') refuses the cross-origin fetch before the network does:
    # either way the fixture records it.
    assert any("unreachable" in p and ("request failed" in p or "console error" in p) for p in page.problems), \
        page.problems
    page.problems.clear()
    page.allow_failure("/static/allowed-missing.js")
    page.evaluate("fetch('/static/allowed-missing.js')")
    page.wait_for_timeout(300)
    assert page.problems == []

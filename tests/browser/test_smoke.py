from tests.browser.conftest import sign_in


def test_sign_in_lands_on_todo(page, officer):
    sign_in(page, "officer")
    assert page.url.rstrip("/") == page.base_url
    assert page.locator("h1").first.inner_text() != ""


def test_wrong_password_shows_message(page, officer):
    sign_in(page, "officer", "wrong-password")
    assert "/accounts/login/" in page.url
    assert page.locator(".errorlist").count() == 1

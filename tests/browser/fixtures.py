"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

A pytest plugin (tests/conftest.py loads it), so every test directory shares
ONE Playwright session per process: a second sync_playwright() in the same
process fails ("Sync API inside the asyncio loop").

Every page a test opens collects console errors, page errors, requests that
failed (network errors) and answers of 400 and above; the `page` fixture fails
the test if any appeared. A test that means to meet one (an outsider's 404)
says so: `page.allow_failure("/orgs/members/12/")` (a substring of the URL).
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Requests that fail for reasons outside the page under test.
IGNORED_FAILURES = (
    # Chromium asks for /favicon.ico on pages without an icon link (error pages, downloads): none is served.
    "/favicon.ico",
)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package (.ci/run does)"
        # CI must run them; a developer's machine without a browser skips them, saying why.
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    problems: list[str] = []
    allowed: list[str] = list(IGNORED_FAILURES)
    page.allow_failure = allowed.append
    page.problems = problems

    def expected(url: str) -> bool:
        return any(part in url for part in allowed)

    def on_console(msg):
        # Chromium reports every 4xx/5xx answer on the console too: the response listener names it.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            problems.append(f"console {msg.type}: {msg.text}")

    def on_response(response):
        if response.status >= 400 and not expected(response.url):
            problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def on_request_failed(request):
        failure = request.failure or ""
        # A navigation that turns into a download (an xlsx export) ends as ERR_ABORTED: not a failure.
        if "ERR_ABORTED" in failure and request.is_navigation_request():
            return
        # htmx cancels a request the page superseded (the user typed on, hx-sync): the page aborted it, not the server.
        if "ERR_ABORTED" in failure and request.resource_type in ("xhr", "fetch"):
            return
        # The tab's icon is fetched by the browser, not the page; a navigation started before it arrived cancels it
        # (seen on a loaded machine). Any other failed static file still fails the test.
        if "ERR_ABORTED" in failure and request.url.endswith("/static/favicon.svg"):
            return
        if not expected(request.url):
            problems.append(f"request failed ({failure}): {request.method} {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.base_url = live_server.url
    # A click that submits a form starts a navigation and returns before the new document
    # is parsed; reading the page then gives "" (seen in CI). Reading waits for the document.
    raw_content = page.content

    def content() -> str:
        page.wait_for_load_state("domcontentloaded")
        return raw_content()

    page.content = content
    yield page
    context.close()
    assert not problems, problems


def sign_in(page, username: str, password: str = "correct-horse-battery") -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def screenshot(page, name: str) -> None:
    """Keep a picture for humans to look at (test-artifacts/ is git-ignored)."""
    os.makedirs("test-artifacts", exist_ok=True)
    page.screenshot(path=f"test-artifacts/{name}.png", full_page=True)

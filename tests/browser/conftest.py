from tests.browser.fixtures import screenshot, sign_in  # noqa: F401  (kept for imports)

"""Dashboards in headless Chromium: overview, comparison and big screen draw their charts, no console error."""

from tests.browser.fixtures import screenshot, sign_in
from tests.dashboards.conftest import snapshots  # noqa: F401  (fixture)


def _drawn(page, key: str) -> bool:
    return page.locator(f'[data-chart="chart-{key}"] canvas').count() > 0


def test_overview_draws_charts(page, officer, tree, snapshots):  # noqa: F811
    sign_in(page, "officer")
    page.goto(page.base_url + f"/dashboards/org/{tree['branch_a'].pk}/?period={snapshots['q3'].pk}")
    page.wait_for_selector('[data-chart="chart-trend"] canvas')
    for key in ("trend", "dimensions"):
        assert _drawn(page, key), key
    assert "62" in page.inner_text(".grade-card")
    page.click("#card-trend summary")  # the table under the chart
    assert page.locator("#card-trend table").is_visible()
    screenshot(page, "dashboards-overview")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + f"/dashboards/org/{tree['community'].pk}/?period={snapshots['q3'].pk}")
    page.wait_for_selector('[data-chart="chart-children"] canvas')
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width  # nothing wider than the phone
    screenshot(page, "dashboards-overview-phone")


def test_comparison_and_drill_draw(page, officer, tree, snapshots):  # noqa: F811
    sign_in(page, "officer")
    page.goto(page.base_url + f"/dashboards/compare/?period={snapshots['q3'].pk}&kind=branch")
    page.wait_for_selector('[data-chart="chart-efficiency"] canvas')
    assert _drawn(page, "distribution") and _drawn(page, "malmquist")
    screenshot(page, "dashboards-compare")
    page.goto(page.base_url + f"/dashboards/org/{tree['community'].pk}/indicator/dues_on_time_rate/?period={snapshots['q3'].pk}")
    page.wait_for_selector('[data-chart="chart-children"] canvas')
    assert "这个数字是怎么算出来的" in page.content()


def test_big_screen_draws_and_fits_1920_and_1366(page, officer, tree, snapshots):  # noqa: F811
    sign_in(page, "officer")
    for width, height in ((1920, 1080), (1366, 768)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(page.base_url + "/dashboards/screen/")
        page.wait_for_selector('[data-chart="chart-tree"] canvas')
        for key in ("tree", "trend", "dimensions", "overall"):
            assert _drawn(page, key), key
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=f"test-artifacts/dashboards-screen-{width}.png")
    # The refresh fetches the JSON the page was built from (called directly: no waiting 60 s).
    data = page.evaluate("fetch(document.body.dataset.source).then(r => r.json())")
    assert data["counters"]["orgs"] == 4

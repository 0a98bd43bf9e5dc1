"""The dashboard's period report link leads to a start page; the job writes the report (issue 17)."""

from tests.browser.fixtures import screenshot, sign_in
from tests.dashboards.conftest import snapshots  # noqa: F401  (fixture)


def test_the_period_report_is_a_job_started_from_the_dashboard(page, officer, tree, snapshots):  # noqa: F811
    sign_in(page, "officer")
    page.goto(page.base_url + f"/dashboards/org/{tree['branch_a'].pk}/?period={snapshots['q3'].pk}")
    page.click("text=本期报告（PDF）")
    page.wait_for_selector("#job-start")
    assert "和平社区第一党支部" in page.inner_text("#job-what")
    screenshot(page, "period-report-start")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    screenshot(page, "period-report-start-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("#job-start")
    page.wait_for_selector("#job-file")
    assert ".pdf" in page.inner_text("#job-file")
    screenshot(page, "period-report-job")

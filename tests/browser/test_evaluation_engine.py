"""Evaluation periods in headless Chromium: compute, the org's figures, the AHP form's live consistency, warnings."""

import datetime as dt

from tests.browser.fixtures import screenshot, sign_in
from tests.dashboards.conftest import default_catalogue
from tests.evaluation.conftest import appeal, meeting, members


def test_compute_overview_ahp_and_warnings(page, tree, officer):
    # An earlier live-server test's flush may have emptied the seeded catalogue.
    default_catalogue()
    a = members(tree["branch_a"], 3)
    meeting(tree["branch_a"], dt.date(2026, 7, 10), present=a[:2], absent=a[2:])
    for _ in range(3):
        appeal(tree["community"], dt.date(2026, 7, 1))
    sign_in(page, "officer")
    page.goto(page.base_url + "/evaluation/")
    page.select_option("#id_kind", "quarter")
    page.fill("#id_start", "2026-07-01")
    page.click("form.card button.btn")
    # The worker computes (inline in tests); the job page leads to the period.
    page.wait_for_selector("#job-open")
    page.click("#job-open")
    page.wait_for_load_state("networkidle")
    assert "综合指数" in page.content() and "会议出勤率" in page.content()
    screenshot(page, "evaluation_period")
    page.click("text=会议出勤率")
    page.wait_for_load_state("networkidle")
    assert "数字背后的记录" in page.content()

    page.goto(page.base_url + "/evaluation/")
    page.click("text=配置")
    page.wait_for_load_state("networkidle")
    page.fill("#j-dimensions-0-1", "9")
    page.fill("#j-dimensions-0-2", "1/9")
    page.fill("#j-dimensions-1-2", "9")
    page.wait_for_selector("#cr-dimensions .badge.bad")
    page.fill("#j-dimensions-0-2", "3")
    page.fill("#j-dimensions-0-1", "3")
    page.fill("#j-dimensions-1-2", "1")
    page.wait_for_selector("#cr-dimensions .badge.ok")
    screenshot(page, "evaluation_ahp")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/evaluation/warnings/")
    assert "诉求已超期" in page.content()
    page.click("text=3 件诉求已超期")
    page.wait_for_load_state("networkidle")
    assert "下达整改任务" in page.content()
    screenshot(page, "evaluation_warning_phone")

"""The dues and recruitment pages in headless Chromium: no console errors, usable on a phone."""

import datetime as dt

from django.utils import timezone

from dangjian.recruitment import services
from tests.browser.conftest import screenshot, sign_in
from tests.dues.conftest import make_due, months_ago
from tests.recruitment.conftest import applicant_data, walk


def test_dues_and_recruitment_pages(page, tree, secretary_a, member_a):
    today = timezone.localdate()
    for n in range(1, 6):
        make_due(member_a, months_ago(today, n))
    case = services.applicant_create(by=secretary_a, data=applicant_data(
        tree["branch_a"], applied_on=today - dt.timedelta(days=800)))
    walk(secretary_a, case, case.applied_on + dt.timedelta(days=5), until="training", today=today)
    sign_in(page, "sec_a")
    assert "连续欠缴党费" in page.content()
    page.goto(page.base_url + f"/dues/?org={tree['branch_a'].pk}")
    screenshot(page, "dues_ledger")
    page.goto(page.base_url + "/dues/arrears/")
    assert page.locator("table.list .badge.bad").count() == 1
    screenshot(page, "dues_arrears")
    page.goto(page.base_url + f"/recruitment/{case.pk}/")
    page.select_option("#id_code", "committee_review")
    page.fill("#id_on", f"{today - dt.timedelta(days=1000):%Y-%m-%d}")
    page.click("form[action$='/step/'] button")
    assert "早于其所依据的" in page.locator(".errorlist").first.inner_text()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "recruitment_detail_phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1

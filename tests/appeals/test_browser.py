"""The public form on a phone, and the staff pages, in headless Chromium (no console errors)."""

import pytest

from dangjian.appeals.models import Appeal
from tests.browser.fixtures import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DIGITS = "零一二三四五六七八九"


def test_resident_submits_on_a_phone_and_staff_handles(page, tree, grid1, community_secretary, settings):
    settings.APPEALS_MIN_FORM_SECONDS = 0
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/appeals/submit/")
    page.select_option("#id_org", str(tree["community"].pk))
    page.fill("#id_text", "和平里3号楼楼道灯坏了好几个月，晚上上楼摸黑")
    page.fill("#id_address", "和平里3号楼")
    question = page.inner_text("label[for=id_answer]")
    a, b = question.split("等于")[0].split("加")
    page.fill("#id_answer", str(DIGITS.index(a) + DIGITS.index(b)))
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    appeal = Appeal.objects.get()
    assert appeal.tracking_code in page.inner_text(".tracking-code")
    assert appeal.grid == grid1
    screenshot(page, "appeals-public-track-phone")

    page.set_viewport_size({"width": 1280, "height": 860})
    sign_in(page, community_secretary.username)
    page.goto(page.base_url + f"/appeals/case/{appeal.tracking_code}/")
    page.click("form.step-form button")  # accept
    page.wait_for_load_state("networkidle")
    appeal.refresh_from_db()
    assert appeal.state == "accepted"
    screenshot(page, "appeals-detail")
    page.goto(page.base_url + "/appeals/metrics/")
    assert "响应率" in page.content()
    page.goto(page.base_url + f"/grids/{grid1.pk}/")
    assert "办理中的诉求" in page.content()
    screenshot(page, "grids-detail")

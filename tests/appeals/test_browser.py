"""The public form on a phone, and the staff pages, in headless Chromium (no console errors).

Issue 14's journeys, counted: a resident submits on a phone in 1 submission; staff accept with the
category confirmed and assign in 1; resolve in 1. Neither page is wider than a 390 px screen."""

import pytest

from dangjian.appeals.models import Appeal
from tests.browser.fixtures import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WORDS = "零一二三四五六七八九十"


def _count_submissions(page) -> list[str]:
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" and r.is_navigation_request() else None)
    return posted


def _no_overflow(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"page is {scroll}px wide on a {width}px screen"


def _in_words(n: int) -> str:
    return WORDS[n] if n <= 10 else "十" + WORDS[n - 10]


def test_resident_submits_on_a_phone_and_staff_handles(page, tree, grid1, community_secretary, settings):
    settings.APPEALS_MIN_FORM_SECONDS = 0
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/appeals/submit/")
    _no_overflow(page, 390)
    posted = _count_submissions(page)
    page.select_option("#id_org", str(tree["community"].pk))
    page.fill("#id_text", "和平里3号楼门口的路灯坏了一整排，晚上黑漆漆的")
    page.fill("#id_address", "和平里3号楼")
    question = page.inner_text("label[for=id_answer]")
    a, b = question.split("等于")[0].split("加")
    # Asked in words, answered in words (digits work too).
    page.fill("#id_answer", _in_words(WORDS.index(a) + WORDS.index(b)))
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert len(posted) == 1
    appeal = Appeal.objects.get()
    assert appeal.tracking_code in page.inner_text(".tracking-code")
    assert appeal.grid == grid1 and appeal.suggested_category == "facilities"
    _no_overflow(page, 390)
    screenshot(page, "appeals-public-track-phone")

    page.set_viewport_size({"width": 1280, "height": 860})
    sign_in(page, community_secretary.username)
    page.goto(page.base_url + f"/appeals/case/{appeal.pk}/")
    assert "公共设施" in page.inner_text("#accept")  # the suggestion, preselected
    posted.clear()
    page.select_option("#accept select[name=category]", "streetlight")  # corrected to the second level
    page.click("#accept button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert len(posted) == 1
    appeal.refresh_from_db()
    assert appeal.state == "assigned" and appeal.category == "streetlight" and appeal.category_confirmed
    assert appeal.grid == grid1
    screenshot(page, "appeals-detail-assigned")
    posted.clear()
    page.fill("#finish textarea[name=resolution]", "已联系路灯管理所更换灯具，当晚恢复照明")
    page.click("#finish button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert len(posted) == 1
    appeal.refresh_from_db()
    assert appeal.state == "resolved" and appeal.started_at
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + f"/appeals/case/{appeal.pk}/")
    screenshot(page, "appeals-detail-phone")
    page.goto(page.base_url + "/appeals/metrics/")
    assert "响应率" in page.content()
    page.goto(page.base_url + f"/grids/{grid1.pk}/")
    screenshot(page, "grids-detail")



def test_grid_worker_records_an_appeal_from_a_household(page, tree, grid1, grid_worker, house1, member_a):
    from dangjian.grids.models import HouseholdLink

    HouseholdLink.objects.create(member=member_a, household=house1, since="2026-01-01")
    sign_in(page, grid_worker.username)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(page.base_url + "/appeals/new/")
        _no_overflow(page, width)
        screenshot(page, f"appeals-new-household-{width}")
    page.select_option("#id_org", str(tree["community"].pk))
    page.select_option("#id_channel", "grid")
    page.fill("#id_text", "王阿姨家门口的下水道返味，蟑螂从地漏往上爬")
    page.select_option("#id_household", str(house1.pk))
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    appeal = Appeal.objects.get()
    assert (appeal.household, appeal.household_member, appeal.grid) == (house1, member_a, grid1)
    assert member_a.name in page.content()
    screenshot(page, "appeals-detail-from-household-390")

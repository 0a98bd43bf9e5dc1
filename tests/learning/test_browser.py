"""Resources, volunteering and reflection pages in headless Chromium, on a phone too (no console errors)."""

import random

import pytest

from dangjian.learning import services as learning
from dangjian.learning import synthetic
from dangjian.resources import services as resources
from dangjian.resources.models import Category
from tests.browser.fixtures import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_on_desktop_and_phone(page, tree, officer, member_a, member_b):
    venue = resources.resource_create(by=officer, org=tree["community"], title="党群服务中心会议室",
                                      category=Category.VENUE, place="和平社区", capacity=40, bookable=True)
    need = resources.need_create(by=officer, org=tree["branch_a"], title="主题党日场地", category=Category.VENUE,
                                 place="和平社区", people=30)
    rng = random.Random(4)
    first = learning.reflection_submit(by=officer, member=member_b, title="原文", body=synthetic.reflection(rng))
    copy = learning.reflection_submit(by=officer, member=member_a, title="抄的", body=synthetic.disguise(rng, first.body))
    sign_in(page, officer.username)
    page.goto(page.base_url + f"/resources/needs/{need.pk}/")
    assert venue.title in page.inner_text("main")
    screenshot(page, "resources-need-suggestions")
    page.goto(page.base_url + f"/resources/{venue.pk}/")
    page.fill("#id_starts_at", "2030-01-02T09:00")
    page.fill("#id_ends_at", "2030-01-02T11:00")
    page.select_option("#id_org", str(tree["branch_a"].pk))
    page.fill("#id_purpose", "主题党日")
    page.click("button:text-is('预约')")
    page.wait_for_load_state("networkidle")
    assert "主题党日" in page.inner_text("main")
    page.goto(page.base_url + "/learning/")
    page.fill("input[name=q]", "学习")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + f"/learning/reflections/{copy.pk}/")
    assert "疑似抄袭" in page.inner_text("main")
    screenshot(page, "learning-reflection-side-by-side-phone")
    page.goto(page.base_url + "/volunteering/hours/")
    screenshot(page, "volunteering-hours-phone")

"""Correcting a recruitment step and a committee term in headless Chromium: forms, refusals, earlier versions."""

import datetime as dt

from dangjian.committees import services as committee_services
from dangjian.committees.models import TermRule
from dangjian.recruitment import services
from tests.browser.conftest import screenshot, sign_in
from tests.committees.conftest import term_args
from tests.factories import MemberFactory
from tests.recruitment.conftest import applicant_data, walk


def test_correct_and_withdraw_a_step(page, tree, secretary_a):
    start = dt.date(2024, 3, 1)
    case = services.applicant_create(by=secretary_a, data=applicant_data(tree["branch_a"], applied_on=start))
    walk(secretary_a, case, start, until="activist")
    sign_in(page, "sec_a")
    page.goto(page.base_url + f"/recruitment/{case.pk}/")
    page.click("a[href$='/step/talk/']")
    page.fill("#id_fix-on", "2024-03-10")
    page.fill("#id_fix-reason", "谈话日期录错")
    page.click("form:has(input[value=correct]) button")
    assert "不再符合规定" in page.locator(".errorlist").first.inner_text()
    screenshot(page, "recruitment_step_refused")
    page.fill("#id_fix-on", "2024-03-02")
    page.fill("#id_fix-reason", "谈话日期录错")
    page.click("form:has(input[value=correct]) button")
    page.wait_for_load_state("networkidle")
    assert "<s>2024-03-01</s> → 2024-03-02" in page.content()
    page.click("a[href$='/step/activist/']")
    page.fill("#id_withdraw-reason", "支委会尚未研究，误登记")
    page.click("form:has(input[value=withdraw]) button")
    page.wait_for_load_state("networkidle")
    assert "已撤销" in page.content()
    screenshot(page, "recruitment_case_corrections")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1


def test_correct_a_term(page, tree, secretary_a, member_a):
    # The live server's flush empties the seeded term rules.
    TermRule.objects.get_or_create(kind="branch", defaults={"years": 3, "default_years": 3})
    crew = [member_a] + [MemberFactory(org=tree["branch_a"]) for _ in range(4)]
    term = committee_services.term_record(by=secretary_a, **term_args(tree["branch_a"], crew))
    sign_in(page, "sec_a")
    page.goto(page.base_url + f"/committees/orgs/{tree['branch_a'].pk}/")
    page.click(f"a[href$='/terms/{term.pk}/correct/']")
    page.fill("#id_voters_present", "4")
    page.fill("#id_reason", "实到人数录错")
    page.click("button[type=submit]")
    assert "五分之四" in page.locator(".has-error .errorlist").first.inner_text()
    screenshot(page, "committees_term_refused")
    page.fill("#id_voters_present", "5")
    page.fill("#id_start", "2023-06-03")
    page.fill("#id_end", "")
    page.fill("#id_elected_on", "2023-06-02")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "<s>2023-06-01</s> → 2023-06-03" in page.content()
    screenshot(page, "committees_org_corrections")

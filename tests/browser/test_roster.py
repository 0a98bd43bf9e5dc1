"""The roster as the street officer uses it: tree, org page, member, reveal."""

from dangjian.audit.models import Action, AuditEntry
from tests.browser.conftest import screenshot, sign_in
from tests.factories import MemberFactory


def test_browse_tree_open_member_and_reveal(page, officer, tree, member_a):
    MemberFactory(org=tree["branch_b"], name="李红梅", gender="F")
    sign_in(page, "officer")
    page.goto(page.base_url + "/orgs/")
    page.wait_for_load_state("networkidle")
    assert page.locator("main h1").inner_text().startswith("示范街道党工委")
    screenshot(page, "roster-street")

    # Expand the community node: its branches load lazily.
    assert page.locator(".orgtree a", has_text="和平社区第一党支部").count() == 0
    # Click the disclosure marker, not the link beside it.
    page.locator(".orgtree summary", has_text="和平社区党委").click(position={"x": 4, "y": 8})
    page.locator(".orgtree a", has_text="和平社区第一党支部").wait_for()
    page.locator(".orgtree a", has_text="和平社区第一党支部").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("main h1").inner_text().startswith("和平社区第一党支部")
    assert page.locator(".orgtree .current a").inner_text() == "和平社区第一党支部"

    # Filter the roster in place.
    page.fill("input[name=q]", "建国")
    page.locator("form.filters button").click()
    page.wait_for_load_state("networkidle")
    page.locator("#roster a", has_text="张建国").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("main h1").inner_text().startswith("张建国")
    masked = page.locator("#reveal-id_number").inner_text()
    assert member_a.id_number not in masked and "*" in masked
    screenshot(page, "roster-member")

    page.locator("#reveal-id_number button").click()
    page.locator("#reveal-id_number .revealed").wait_for()
    assert page.locator("#reveal-id_number").inner_text().strip() == member_a.id_number
    assert AuditEntry.objects.filter(action=Action.REVEAL, target_id=str(member_a.pk)).count() == 1
    screenshot(page, "roster-member-revealed")


def test_phone_width_tree_folds_and_form_autofills(page, officer, tree):
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, "officer")
    page.goto(page.base_url + f"/orgs/members/new/?org={tree['branch_a'].pk}")
    page.wait_for_load_state("networkidle")
    assert page.locator("#org-tree-box").get_attribute("open") is None
    page.fill("#id_id_number", "11010519491231002X")
    assert page.locator("#id_birth_date").input_value() == "1949-12-31"
    assert page.locator("#id_gender").input_value() == "F"
    screenshot(page, "roster-form-phone")
    page.goto(page.base_url + f"/orgs/{tree['branch_a'].pk}/")
    page.wait_for_load_state("networkidle")
    screenshot(page, "roster-org-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page scrolls sideways: {width}px"


def test_transfer_picker_request_and_accept(page, secretary_a, secretary_b, tree, member_a):
    sign_in(page, "sec_a")
    page.goto(page.base_url + f"/orgs/members/{member_a.pk}/transfer/")
    page.wait_for_load_state("networkidle")
    page.locator("#id_to_org").press_sequentially("第二")
    page.locator("#org-options option[value=B002]").wait_for(state="attached")
    page.fill("#id_to_org", "B002")
    page.fill("#id_reason", "工作调动")
    screenshot(page, "roster-transfer-form")
    page.locator("main button.btn", has_text="提交转接申请").click()
    page.wait_for_load_state("networkidle")
    assert "转接申请已提交" in page.locator(".messages").inner_text()

    page.context.clear_cookies()
    sign_in(page, "sec_b")
    page.goto(page.base_url + "/orgs/transfers/")
    page.wait_for_load_state("networkidle")
    screenshot(page, "roster-transfer-inbox")
    page.locator("button", has_text="接收").click()
    page.wait_for_load_state("networkidle")
    assert "已接收" in page.locator(".messages").inner_text()
    member_a.refresh_from_db()
    assert member_a.org_id == tree["branch_b"].pk

"""Correcting, moving and marking a household, then deactivating the emptied grid, in headless Chromium.

(Refusals answer 400, which Chromium reports as a console error; they are tested through the views.)
"""

from dangjian.grids import services
from tests.browser.conftest import screenshot, sign_in
from tests.grids.fixtures import community_secretary, grid1, grid2  # noqa: F401  (fixtures)


def test_household_corrections_and_grid_deactivation(page, tree, community_secretary, grid1, grid2):  # noqa: F811
    house = services.household_create(by=community_secretary, grid=grid1, address="和平里3号楼2单元101",
                                      head_name="王秀英", phone="13912345678", size=3)
    twin = services.household_create(by=community_secretary, grid=grid1, address="和平里3号楼2单元101室",
                                     head_name="王秀英")
    sign_in(page, "sec_c")
    page.goto(page.base_url + f"/grids/{grid1.pk}/")
    page.click(f"a[href='/grids/households/{house.pk}/']")
    page.fill("#id_fix-size", "2")
    page.fill("#id_fix-reason", "人数录错")
    page.click("form[action$='/correct/'] button")
    page.wait_for_load_state("networkidle")
    assert "<s>3</s>" in page.content() and "人数录错" in page.content()
    page.select_option("#id_move-grid", str(grid2.pk))
    page.fill("#id_move-reason", "搬到幸福苑")
    page.click("form[action$='/move/'] button")
    page.wait_for_load_state("networkidle")
    assert "<s>和平里网格</s>" in page.content()
    screenshot(page, "grids_household_versions")

    page.goto(page.base_url + f"/grids/households/{twin.pk}/")
    page.click("summary:has-text('该住户系误录')")
    page.fill("#id_error-reason", "重复登记")
    page.click("form[action$='/entered-in-error/'] button")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/grids/{grid1.pk}/")
    assert "和平里3号楼2单元101" not in page.content()

    page.click("summary:has-text('停用该网格')")
    page.fill("#id_deactivate-reason", "并入幸福苑网格")
    page.click("form[action$='/deactivate/'] button")
    page.wait_for_load_state("networkidle")
    assert "并入幸福苑网格" in page.content() and "重新启用该网格" in page.content()
    screenshot(page, "grids_grid_deactivated")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1

"""Correcting, moving and marking a household, then deactivating the emptied grid, in headless Chromium.

(Refusals answer 400, which Chromium reports as a console error; they are tested through the views.)
"""

from dangjian.grids import services
from tests.browser.conftest import screenshot, sign_in
from tests.factories import MemberFactory
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


def test_resident_grid_and_link_corrections(page, tree, community_secretary, grid1, grid2):  # noqa: F811
    house = services.household_create(by=community_secretary, grid=grid1, address="和平里3号楼2单元101",
                                      head_name="王秀英", phone="13912345678", size=3)
    member = MemberFactory(org=tree["branch_a"], name="李卫东")
    services.household_link(by=community_secretary, member=member, household=house)
    sign_in(page, "sec_c")
    page.goto(page.base_url + f"/grids/households/{house.pk}/")
    page.fill("#id_resident-name", "王小明")
    page.fill("#id_resident-phone", "13600001111")
    page.click("form[action$='/resident/'] button")
    page.wait_for_load_state("networkidle")
    page.select_option("#id_resfix-resident", index=1)
    page.fill("#id_resfix-name", "王晓明")
    page.fill("#id_resfix-reason", "姓名录错")
    page.click("form[action$='/resident-correct/'] button")
    page.wait_for_load_state("networkidle")
    assert "姓名录错" in page.content() and "居民的原记录" in page.content()
    page.click("summary:has-text('结束联户关系')")
    page.select_option("#id_unlink-link", index=1)
    page.fill("#id_unlink-reason", "党员搬离本社区")
    page.click("form[action$='/unlink/'] button")
    page.wait_for_load_state("networkidle")
    assert "党员搬离本社区" in page.content()
    screenshot(page, "grids_resident_versions_and_ended_link")

    page.goto(page.base_url + f"/grids/{grid1.pk}/")
    page.click("summary:has-text('更正网格名称')")
    page.fill("#id_gridfix-keywords", "和平路 东湖苑")
    page.fill("#id_gridfix-reason", "和平里划入幸福苑网格")
    page.click("form[action$='/correct/'] button")
    page.wait_for_load_state("networkidle")
    assert "<s>和平里 和平路</s>" in page.content()
    screenshot(page, "grids_grid_corrected")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1

"""The evaluation pages' "导出 Excel" links in headless Chromium: each downloads the list the page shows."""

import datetime as dt
import io

from openpyxl import load_workbook

from dangjian.evaluation.models import Alert, Rectification
from dangjian.evaluation.services import period_compute
from tests.browser.fixtures import screenshot, sign_in
from tests.dashboards.conftest import default_catalogue
from tests.evaluation.conftest import AFTER_Q3, Q3, meeting, members


def _download(page, link_text: str):
    with page.expect_download() as info:
        page.click(f"a:has-text('{link_text}')")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as f:  # a temporary name without the extension openpyxl wants
        return load_workbook(io.BytesIO(f.read())).active


def test_export_links_download_what_the_pages_show(page, tree, officer):
    default_catalogue()  # an earlier live-server test's flush may have emptied the seeded catalogue
    a = members(tree["branch_a"], 3)
    meeting(tree["branch_a"], dt.date(2026, 7, 10), present=a[:2], absent=a[2:])
    b = members(tree["branch_b"], 2)
    meeting(tree["branch_b"], dt.date(2026, 7, 12), present=b)
    period = period_compute(by=officer, kind="quarter", start=Q3, today=AFTER_Q3)
    alert = Alert.objects.create(period=period, org=tree["branch_a"], rule="appeals_overdue", severity="bad", count=3,
                                 detail="3 件群众诉求超过办理时限")
    Rectification.objects.create(org=tree["branch_a"], alert=alert, title="清理超期诉求", requirement="十日内办结",
                                 deadline=dt.date.today() - dt.timedelta(days=3), created_by=officer)
    sign_in(page, "officer")

    page.goto(page.base_url + f"/evaluation/periods/{period.pk}/?org={tree['community'].pk}")
    screenshot(page, "evaluation_period_export")
    ws = _download(page, "导出 Excel")
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["和平社区党委", "和平社区第一党支部", "和平社区第二党支部"]

    page.goto(page.base_url + f"/evaluation/warnings/?period={period.pk}")
    ws = _download(page, "导出 Excel")
    assert ws.max_row == 1 + Alert.objects.filter(period=period, cleared=False).count()
    screenshot(page, "evaluation_warnings_export")

    page.goto(page.base_url + "/evaluation/rectifications/")
    assert "已逾期" in page.content()
    screenshot(page, "evaluation_rects_export")
    ws = _download(page, "导出 Excel")
    assert ws["C2"].value == "清理超期诉求"

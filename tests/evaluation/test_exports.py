"""xlsx exports of a period's results, the warnings and the rectifications: what the user may see, filtered
like the page, typed cells, one audit entry per download; the outsider gets 404."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.audit.models import AuditEntry
from dangjian.core.xlsx import PERCENT
from dangjian.evaluation.grading import grade_label
from dangjian.evaluation.models import (
    Alert,
    Efficiency,
    Grade,
    IndexScore,
    Rectification,
)
from tests.evaluation.conftest import Q3, appeal, meeting, members

Q2 = dt.date(2026, 4, 1)


@pytest.fixture
def period(tree, compute):
    a = members(tree["branch_a"], 3)
    b = members(tree["branch_b"], 2)
    for start in (Q2, Q3):  # two quarters, so that grades have a movement
        meeting(tree["branch_a"], start.replace(day=10), present=a[:2], absent=a[2:])
        meeting(tree["branch_b"], start.replace(day=12), present=b)
        meeting(tree["branch_b"], start.replace(day=20), present=b[:1], absent=b[1:])
    appeal(tree["community"], Q3)
    compute(start=Q2, today=Q3)
    return compute()


@pytest.fixture
def alerts(tree, period):
    Alert.objects.filter(period=period).delete()
    return {
        "a_bad": Alert.objects.create(period=period, org=tree["branch_a"], rule="appeals_overdue", severity="bad",
                                      count=4, detail="4 件群众诉求超过办理时限"),
        "a_warn": Alert.objects.create(period=period, org=tree["branch_a"], rule="meetings_overdue", severity="warn",
                                       count=1, detail="有 1 次应开会议未按期召开"),
        "b_bad": Alert.objects.create(period=period, org=tree["branch_b"], rule="dues_arrears", severity="bad",
                                      count=2, detail="2 名党员连续 3 个月以上未交党费"),
    }


@pytest.fixture
def rects(tree, alerts, officer, secretary_a):
    today = timezone.localdate()  # the pages count overdue days to the real day

    def make(org, title, deadline, state="open", submitted_on=None, alert=None, owner=secretary_a):
        return Rectification.objects.create(org=org, alert=alert, title=title, requirement="按期整改到位", deadline=deadline,
                                            state=state, submitted_on=submitted_on, owner=owner, created_by=officer)

    return {
        "late": make(tree["branch_a"], "清理超期诉求", today - dt.timedelta(days=10), alert=alerts["a_bad"]),
        "done": make(tree["branch_a"], "补开支部党员大会", today - dt.timedelta(days=5), state="accepted",
                     submitted_on=today - dt.timedelta(days=7)),
        "other": make(tree["branch_b"], "催交党费", today + dt.timedelta(days=30), alert=alerts["b_bad"], owner=None),
    }


def _sheet(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def _table(ws) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _last_export() -> AuditEntry:
    return AuditEntry.objects.filter(action="export").latest("id")


def test_officer_downloads_the_results_of_every_org_with_the_stored_figures(as_officer, tree, period):
    url = reverse("evaluation:period", args=[period.pk])
    assert "export=xlsx" in as_officer.get(url).content.decode()
    ws = _sheet(as_officer.get(url + "?export=xlsx"))
    assert ws.freeze_panes == "A2" and ws["A1"].font.b and ws.column_dimensions["A"].width >= 20
    rows = {r["组织"]: r for r in _table(ws)}
    assert set(rows) == {o.name for o in tree.values()}
    a = rows["和平社区第一党支部"]
    assert a["组织代码"] == "B001" and a["组织类型"] == "党支部" and a["上级组织"] == "和平社区党委"
    assert a["会议出勤率"] == pytest.approx(2 / 3)
    column = [c.column_letter for c in ws[1] if c.value == "会议出勤率"][0]
    assert ws[f"{column}2"].number_format == PERCENT
    branch = tree["branch_a"]
    overall = IndexScore.objects.get(period=period, org=branch, dimension="overall")
    assert a["综合指数"] == pytest.approx(overall.score) and a["综合排名（同类组织中）"] == overall.rank
    assert a["凝聚力指数"] == pytest.approx(IndexScore.objects.get(period=period, org=branch, dimension="cohesion").score)
    assert a["效率得分"] == pytest.approx(Efficiency.objects.get(period=period, org=branch).score)
    grade = Grade.objects.get(period=period, org=branch)
    assert a["等次"] == grade_label(grade.grade) and a["上期等次"] == grade_label(grade.previous)
    assert a["等次变动"] == {1: "上升", 0: "持平", -1: "下降"}[grade.movement]
    # The street has figures but no efficiency score (not a branch): empty cells, not text.
    assert rows["示范街道党工委"]["效率得分"] is None and isinstance(rows["示范街道党工委"]["综合指数"], float)
    entry = _last_export()
    assert entry.changes["rows"] == [None, 4] and entry.changes["filters"] == {"period": period.pk}
    assert "评价结果" in entry.target_repr


def test_results_follow_the_org_filter_and_the_secretary_sees_only_her_subtree(as_officer, as_secretary_a, tree, period):
    url = reverse("evaluation:period", args=[period.pk])
    rows = _table(_sheet(as_officer.get(url + f"?org={tree['community'].pk}&export=xlsx")))
    assert [r["组织"] for r in rows] == ["和平社区党委", "和平社区第一党支部", "和平社区第二党支部"]
    assert _last_export().changes["filters"] == {"period": period.pk, "org": tree["community"].pk}
    assert _last_export().org_path == tree["community"].path
    rows = _table(_sheet(as_secretary_a.get(url + "?export=xlsx")))
    assert [r["组织"] for r in rows] == ["和平社区第一党支部"]
    # The page's own link (her branch) gives the same rows.
    rows = _table(_sheet(as_secretary_a.get(url + f"?org={tree['branch_a'].pk}&export=xlsx")))
    assert [r["组织"] for r in rows] == ["和平社区第一党支部"]


def test_warnings_export_is_scoped_filtered_and_audited(as_officer, as_secretary_a, tree, period, alerts):
    url = reverse("evaluation:alerts")
    page = as_officer.get(url + f"?period={period.pk}&severity=bad").content.decode()
    assert f'href="?period={period.pk}&amp;severity=bad&export=xlsx"' in page
    rows = _table(_sheet(as_officer.get(url + f"?period={period.pk}&export=xlsx")))
    assert len(rows) == 3
    # Serious first, then tree order.
    assert [(r["组织"], r["级别"]) for r in rows] == [
        ("和平社区第一党支部", "严重"), ("和平社区第二党支部", "严重"), ("和平社区第一党支部", "预警")]
    first = rows[0]
    assert first["预警规则"] == "诉求超期" and first["涉及记录数"] == 4 and first["统计期"] == period.label
    assert first["数据截至"].date() == period.as_of
    rows = _table(_sheet(as_officer.get(url + f"?period={period.pk}&severity=bad&rule=dues_arrears&export=xlsx")))
    assert [r["组织"] for r in rows] == ["和平社区第二党支部"]
    assert _last_export().changes["filters"] == {"period": period.pk, "severity": "bad", "rule": "dues_arrears"}
    rows = _table(_sheet(as_secretary_a.get(url + f"?period={period.pk}&export=xlsx")))
    assert {r["组织"] for r in rows} == {"和平社区第一党支部"} and len(rows) == 2
    rows = _table(_sheet(as_officer.get(url + f"?period={period.pk}&org={tree['branch_b'].pk}&export=xlsx")))
    assert [r["组织"] for r in rows] == ["和平社区第二党支部"]


def test_rectifications_export_has_states_deadlines_and_overdue_days(as_officer, as_secretary_a, tree, rects):
    url = reverse("evaluation:rect_list")
    page = as_officer.get(url).content.decode()
    assert "export=xlsx" in page and page.count("已逾期") == 1
    ws = _sheet(as_officer.get(url + "?export=xlsx"))
    rows = {r["标题"]: r for r in _table(ws)}
    assert set(rows) == {"清理超期诉求", "补开支部党员大会", "催交党费"}
    late = rows["清理超期诉求"]
    assert late["状态"] == "整改中" and late["整改期限"].date() == rects["late"].deadline
    assert late["逾期天数"] == 10 and late["来源预警"] == f"诉求超期（{rects['late'].alert.period.label}）"
    assert late["责任人"] == "一支部书记" and late["下达日期"].date() == timezone.localdate()
    assert rows["催交党费"]["责任人"] is None and rows["催交党费"]["逾期天数"] is None
    done = rows["补开支部党员大会"]
    assert done["状态"] == "已验收" and done["提交日期"].date() == rects["done"].submitted_on and done["逾期天数"] is None
    deadline = [c for c in ws[1] if c.value == "整改期限"][0].column_letter
    assert all(ws[f"{deadline}{r}"].is_date for r in range(2, 5))
    rows = _table(_sheet(as_officer.get(url + "?state=open&export=xlsx")))
    assert {r["标题"] for r in rows} == {"清理超期诉求", "催交党费"}
    assert _last_export().changes == {"rows": [None, 2], "filters": {"state": "open"}}
    rows = _table(_sheet(as_secretary_a.get(url + "?export=xlsx")))
    assert {r["标题"] for r in rows} == {"清理超期诉求", "补开支部党员大会"}


def test_outsider_gets_404_and_anonymous_is_sent_to_sign_in(as_secretary_b, as_anonymous, tree, period, rects):
    a = tree["branch_a"].pk
    urls = [
        reverse("evaluation:period", args=[period.pk]) + f"?org={a}&export=xlsx",
        reverse("evaluation:period", args=[period.pk]) + f"?org={tree['community'].pk}&export=xlsx",
        reverse("evaluation:alerts") + f"?period={period.pk}&org={a}&export=xlsx",
        reverse("evaluation:rect_list") + f"?org={a}&export=xlsx",
    ]
    for url in urls:
        assert as_secretary_b.get(url).status_code == 404, url
        assert as_anonymous.get(url).status_code == 302, url
    assert not AuditEntry.objects.filter(action="export").exists()
    # Her own export never holds branch A's rows.
    rows = _table(_sheet(as_secretary_b.get(reverse("evaluation:rect_list") + "?export=xlsx")))
    assert [r["标题"] for r in rows] == ["催交党费"]
    assert AuditEntry.objects.filter(action="export").count() == 1


def test_api_xlsx_endpoints(client, as_officer, as_secretary_b, as_anonymous, tree, period, rects):
    base = "/api/evaluation"
    ws = _sheet(as_officer.get(f"{base}/periods/{period.pk}/results.xlsx?org_id={tree['community'].pk}"))
    assert [r["组织"] for r in _table(ws)] == ["和平社区党委", "和平社区第一党支部", "和平社区第二党支部"]
    rows = _table(_sheet(as_officer.get(f"{base}/warnings.xlsx?period_id={period.pk}&severity=bad")))
    assert len(rows) == 2
    response = as_secretary_b.get(f"{base}/rectifications.xlsx")
    assert response["Cache-Control"] == "no-store"
    assert [r["标题"] for r in _table(_sheet(response))] == ["催交党费"]
    a = tree["branch_a"].pk
    for path in (f"periods/{period.pk}/results.xlsx?org_id={a}", f"warnings.xlsx?period_id={period.pk}&org_id={a}",
                 f"rectifications.xlsx?org_id={a}"):
        assert as_secretary_b.get(f"{base}/{path}").status_code == 404, path
        assert as_anonymous.get(f"{base}/{path}").status_code == 401, path
    assert AuditEntry.objects.filter(action="export").count() == 3
    # The JSON list takes the same org filter.
    items = as_officer.get(f"{base}/rectifications?org_id={tree['branch_b'].pk}").json()["items"]
    assert [i["title"] for i in items] == ["催交党费"]

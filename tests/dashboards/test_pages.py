"""Dashboard pages as users open them: overview, drill-down, comparison, big screen, exports, reports; scope."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from tests.dashboards.report_job import report_file

from dangjian.audit.models import AuditEntry


def overview_url(org, period=None):
    return reverse("dashboards:org", args=[org.pk]) + (f"?period={period.pk}" if period else "")


def chart_option(response, key):
    html = response.content.decode()
    marker = f'<script id="chart-{key}" type="application/json">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start:html.index("</script>", start)])


# ---------------------------------------------------------------- overview


def test_index_redirects_to_the_top_of_the_scope(as_secretary_a, tree, snapshots):
    r = as_secretary_a.get(reverse("dashboards:index"))
    assert r.status_code == 302 and r.url == reverse("dashboards:org", args=[tree["branch_a"].pk])


def test_overview_shows_key_figures_grade_and_charts(as_officer, tree, snapshots):
    r = as_officer.get(overview_url(tree["branch_a"], snapshots["q3"]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "和平社区第一党支部" in html
    assert "62.0" in html  # overall index
    assert "一般" in html  # grade label (average)
    assert "三会一课按期召开率" in html and "62%" in html  # key figure from the snapshot, as a percentage
    trend = chart_option(r, "trend")
    assert trend["xAxis"]["data"] == ["2026年第2季度", "2026年第3季度"]
    overall = next(s for s in trend["series"] if s["name"] == "综合指数")
    assert overall["data"] == [58.0, 62.0]
    radar = chart_option(r, "dimensions")
    assert [i["name"] for i in radar["radar"]["indicator"]] == ["凝聚力", "影响力", "组织力"]
    assert radar["series"][0]["data"][0]["value"] == [57.0, 62.0, 67.0]
    assert "与 和平社区第二党支部 相比" in html  # efficiency advice names the peer


def test_overview_lists_warnings_and_rectifications_of_the_subtree(as_officer, tree, snapshots):
    html = as_officer.get(overview_url(tree["community"], snapshots["q3"])).content.decode()
    assert "4 名党员连续欠缴党费" in html and "补缴党费" in html
    # Children drill down through the tree.
    assert reverse("dashboards:org", args=[tree["branch_b"].pk]) in html


def test_overview_without_periods_says_so(as_officer, tree):
    r = as_officer.get(overview_url(tree["street"]))
    assert r.status_code == 200 and "尚未计算任何考评期" in r.content.decode()


def test_outsider_gets_404_on_another_subtree(as_secretary_b, tree, snapshots):
    for url in (overview_url(tree["branch_a"], snapshots["q3"]),
                reverse("dashboards:drill", args=[tree["branch_a"].pk, "meeting_compliance_rate"]),
                reverse("dashboards:report_pdf", args=[tree["branch_a"].pk]),
                reverse("dashboards:report_xlsx", args=[tree["branch_a"].pk]),
                reverse("dashboards:screen") + f"?org={tree['branch_a'].pk}",
                reverse("dashboards:screen_data") + f"?org={tree['branch_a'].pk}",
                reverse("dashboards:export", args=["overview", "trend"]) + f"?org={tree['branch_a'].pk}"):
        assert as_secretary_b.get(url).status_code == 404, url


def test_plain_member_has_no_dashboard(as_member, tree, snapshots):
    assert as_member.get(reverse("dashboards:index")).status_code == 404
    assert as_member.get(overview_url(tree["branch_a"])).status_code == 404


@pytest.mark.parametrize("name", ["dashboards:index", "dashboards:compare", "dashboards:screen", "dashboards:screen_data"])
def test_anonymous_is_sent_to_sign_in(as_anonymous, name):
    r = as_anonymous.get(reverse(name))
    assert r.status_code == 302 and "/accounts/login/" in r.url


def test_unknown_period_is_404(as_officer, tree, snapshots):
    assert as_officer.get(reverse("dashboards:org", args=[tree["street"].pk]) + "?period=99999").status_code == 404
    assert as_officer.get(reverse("dashboards:org", args=[tree["street"].pk]) + "?period=abc").status_code == 404


# ---------------------------------------------------------------- drill-down


def test_why_is_this_62(as_officer, tree, snapshots):
    url = reverse("dashboards:drill", args=[tree["branch_a"].pk, "meeting_compliance_rate"]) + f"?period={snapshots['q3'].pk}"
    html = as_officer.get(url).content.decode()
    assert "按规定频次应召开的支部党员大会" in html  # the definition in plain words
    assert "62%" in html and "6.2" in html and "10" in html  # value = numerator / denominator
    # Links to the records behind the figure and to the expected items missing (the metric's own records).
    records = f"/evaluation/periods/{snapshots['q3'].pk}/orgs/{tree['branch_a'].pk}/meeting_compliance_rate/"
    assert f"{records}#records" in html and f"{records}?which=missing#records" in html


def test_drill_children_sorted_by_value(as_officer, tree, snapshots):
    base = reverse("dashboards:drill", args=[tree["community"].pk, "dues_on_time_rate"]) + f"?period={snapshots['q3'].pk}"
    html = as_officer.get(base + "&sort=-value").content.decode()
    assert html.index("和平社区第二党支部</a>") < html.index("和平社区第一党支部</a>")
    html = as_officer.get(base + "&sort=value").content.decode()
    assert html.index("和平社区第一党支部</a>") < html.index("和平社区第二党支部</a>")
    assert "<th>数值</th>" in html  # not another catalogue's 填写内容 for the same English
    assert f"/evaluation/periods/{snapshots['q3'].pk}/orgs/{tree['community'].pk}/dues_on_time_rate/#records" in html


def test_drill_children_only_in_scope(as_secretary_a, tree, snapshots):
    url = reverse("dashboards:drill", args=[tree["branch_a"].pk, "dues_on_time_rate"]) + f"?period={snapshots['q3'].pk}"
    html = as_secretary_a.get(url).content.decode()
    assert "和平社区第二党支部" not in html and "和平社区党委" not in html


def test_drill_unknown_indicator_is_404(as_officer, tree, snapshots):
    assert as_officer.get(reverse("dashboards:drill", args=[tree["street"].pk, "nope"])).status_code == 404


# ---------------------------------------------------------------- comparison


def test_comparison_without_rankings_shows_distribution_but_no_rank(as_officer, tree, snapshots, settings):
    settings.DANGJIAN = {**settings.DANGJIAN, "RANKINGS_ENABLED": False}
    r = as_officer.get(reverse("dashboards:compare") + f"?period={snapshots['q3'].pk}")
    html = r.content.decode()
    assert 'id="chart-ranking"' not in html and "<th>排名</th>" not in html
    assert 'id="chart-distribution"' in html and 'id="chart-spread"' in html
    hist = chart_option(r, "distribution")
    assert sum(hist["series"][0]["data"]) == 2  # the two branches
    assert hist["series"][0]["data"][6] == 1 and hist["series"][0]["data"][8] == 1  # 62 and 81


def test_comparison_with_rankings_ranks_within_scope(as_officer, tree, snapshots, settings):
    settings.DANGJIAN = {**settings.DANGJIAN, "RANKINGS_ENABLED": True}
    r = as_officer.get(reverse("dashboards:compare") + f"?period={snapshots['q3'].pk}&kind=branch")
    ranking = chart_option(r, "ranking")
    assert ranking["yAxis"]["data"] == ["和平社区第二党支部", "和平社区第一党支部"]
    assert "<th>排名</th>" in r.content.decode()


def test_comparison_efficiency_and_malmquist(as_officer, tree, snapshots):
    r = as_officer.get(reverse("dashboards:compare") + f"?period={snapshots['q3'].pk}&kind=branch")
    scatter = chart_option(r, "efficiency")
    efficient, others, frontier = scatter["series"]
    assert [p["name"] for p in efficient["data"]] == ["和平社区第二党支部"]
    assert [p["name"] for p in others["data"]] == ["和平社区第一党支部"]
    assert frontier["data"] == [[10, 30]]
    bars = chart_option(r, "malmquist")
    assert bars["xAxis"]["data"] == ["和平社区第二党支部", "和平社区第一党支部"]
    assert bars["series"][2]["data"] == [1.2, 0.9]


def test_comparison_only_includes_orgs_in_scope(as_secretary_b, tree, snapshots, settings):
    settings.DANGJIAN = {**settings.DANGJIAN, "RANKINGS_ENABLED": True}
    r = as_secretary_b.get(reverse("dashboards:compare") + f"?period={snapshots['q3'].pk}")
    html = r.content.decode()
    assert "和平社区第二党支部" in html and "和平社区第一党支部" not in html
    assert sum(chart_option(r, "distribution")["series"][0]["data"]) == 1


# ---------------------------------------------------------------- big screen


def test_big_screen_page_and_data(as_officer, tree, snapshots):
    r = as_officer.get(reverse("dashboards:screen"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "data-every=\"60\"" in html and 'id="chart-tree"' in html
    assert "<span>组织数</span>" in html
    tree_opt = chart_option(r, "tree")
    assert tree_opt["series"][0]["type"] == "treemap"
    assert [n["name"] for n in tree_opt["series"][0]["data"]] == ["和平社区党委"]
    data = as_officer.get(reverse("dashboards:screen_data")).json()
    assert data["counters"] == {"orgs": 4, "warnings": 1, "serious": 1, "weak": 0, "rectifications": 1}
    assert data["warnings"][0]["org"] == "和平社区第二党支部"
    assert set(data["charts"]) == {"tree", "trend", "dimensions", "overall"}


def test_big_screen_counts_only_in_scope(as_secretary_a, tree, snapshots):
    data = as_secretary_a.get(reverse("dashboards:screen_data")).json()
    assert data["org"] == "和平社区第一党支部"
    assert data["counters"] == {"orgs": 1, "warnings": 0, "serious": 0, "weak": 0, "rectifications": 0}
    assert data["warnings"] == []


def test_big_screen_appeals_today(as_officer, tree, snapshots):
    from django.utils import timezone
    from tests.evaluation.conftest import appeal

    today = timezone.localdate()
    appeal(tree["branch_a"], today)
    appeal(tree["branch_b"], today, resolved=today)
    data = as_officer.get(reverse("dashboards:screen_data")).json()
    assert data["appeals"]["received"] == 2 and data["appeals"]["resolved"] == 1
    assert len(data["appeals"]["latest"]) == 2


# ---------------------------------------------------------------- exports and reports


def test_chart_export_is_the_chart_table_and_audited(as_officer, officer, tree, snapshots):
    url = reverse("dashboards:export", args=["overview", "trend"]) + f"?org={tree['branch_a'].pk}&period={snapshots['q3'].pk}"
    r = as_officer.get(url)
    assert r.status_code == 200
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("考评期", "综合指数", "凝聚力", "影响力", "组织力")
    assert rows[1][:2] == ("2026年第2季度", 58) and rows[2][:2] == ("2026年第3季度", 62)
    assert AuditEntry.objects.filter(actor=officer, action="export").count() == 1


def test_compare_export_and_unknown_chart(as_officer, tree, snapshots):
    base = reverse("dashboards:export", args=["compare", "distribution"]) + f"?period={snapshots['q3'].pk}"
    assert as_officer.get(base).status_code == 200
    assert as_officer.get(reverse("dashboards:export", args=["compare", "nope"])).status_code == 404
    assert as_officer.get(reverse("dashboards:export", args=["nope", "trend"])).status_code == 404


def test_period_report_pdf_and_xlsx(as_officer, officer, tree, snapshots):
    pdf = report_file(as_officer, tree["branch_a"], snapshots["q3"], "pdf")
    assert pdf[:5] == b"%PDF-"
    assert b"STSong-Light" in pdf
    x = report_file(as_officer, tree["branch_a"], snapshots["q3"], "xlsx")
    wb = load_workbook(io.BytesIO(x))
    cover = {r[0]: r[1] for r in wb["报告"].iter_rows(values_only=True) if r[0]}
    assert cover["组织"] == "和平社区第一党支部" and cover["等级"] == "一般"
    assert "持平" in cover["升降"]
    dims = list(wb["维度"].iter_rows(values_only=True))
    assert dims[1][:4] == ("综合指数", "62", "58", "4")
    assert AuditEntry.objects.filter(actor=officer, action="export").count() == 2


def test_report_movement_down_in_words(as_officer, tree, snapshots):
    x = report_file(as_officer, tree["branch_b"], snapshots["q3"], "xlsx")
    cover = {r[0]: r[1] for r in load_workbook(io.BytesIO(x))["报告"].iter_rows(values_only=True) if r[0]}
    assert "下降" in cover["升降"] and "先进" in cover["升降"]
    assert "提高" in cover["本期与上期相比的变化（曼奎斯特生产率指数）"] or "上升" in cover["本期与上期相比的变化（曼奎斯特生产率指数）"]

"""Pages and API through the paths a user takes; outsiders get 404, anonymous users go to login / 401."""

import datetime as dt

import pytest
from django.urls import reverse

from dangjian.evaluation import indices
from dangjian.evaluation.models import Alert, IndexScore, IndicatorValue
from tests.dbstate import unchanged
from tests.evaluation.conftest import appeal, meeting, members

DIMS = ["cohesion", "influence", "capacity"]


@pytest.fixture
def period(tree, compute):
    a = members(tree["branch_a"], 3)
    b = members(tree["branch_b"], 2)
    meeting(tree["branch_a"], dt.date(2026, 7, 10), present=a[:2], absent=a[2:])
    meeting(tree["branch_b"], dt.date(2026, 7, 12), present=b)
    appeal(tree["community"], dt.date(2026, 7, 1))
    return compute()


def test_outsider_sees_no_figure_of_another_subtree_aggregates_included(tree, period, secretary_b):
    from dangjian.evaluation import selectors

    orgs = set(selectors.indicator_values(secretary_b, period).values_list("org_id", flat=True))
    assert orgs == {tree["branch_b"].pk}
    assert set(selectors.index_scores(secretary_b, period).values_list("org_id", flat=True)) <= {tree["branch_b"].pk}
    assert not selectors.warnings_for(secretary_b, period).exclude(org=tree["branch_b"]).exists()
    # The committee's aggregate exists, but not for the branch secretary.
    assert IndicatorValue.objects.filter(period=period, org=tree["community"]).exists()
    from django.http import Http404

    for org in (tree["community"], tree["branch_a"], tree["street"]):
        with pytest.raises(Http404):
            selectors.period_overview(secretary_b, org, period)


def test_officer_sees_the_whole_tree_and_drills_down(as_officer, tree, period):
    r = as_officer.get(reverse("evaluation:period", args=[period.pk]))
    assert r.status_code == 200
    assert "示范街道党工委" in r.content.decode()
    r = as_officer.get(reverse("evaluation:drill", args=[period.pk, tree["community"].pk, "meeting_attendance_rate"]))
    body = r.content.decode()
    assert r.status_code == 200 and "和平社区第一党支部" in body and "会议出勤率" in body


def test_pages_404_for_outsider_and_redirect_anonymous(as_secretary_b, as_anonymous, tree, period):
    alert = Alert.objects.filter(period=period, org=tree["community"]).first() or Alert.objects.create(
        period=period, org=tree["community"], rule="appeals_overdue", severity="warn", detail="x")
    urls = [
        reverse("evaluation:period", args=[period.pk]) + f"?org={tree['branch_a'].pk}",
        reverse("evaluation:drill", args=[period.pk, tree["branch_a"].pk, "meeting_attendance_rate"]),
        reverse("evaluation:drill", args=[period.pk, tree["community"].pk, "meeting_attendance_rate"]),
        reverse("evaluation:alert_detail", args=[alert.pk]),
        reverse("evaluation:config", args=[period.pk]),
    ]
    for url in urls:
        assert as_secretary_b.get(url).status_code == 404, url
        assert as_anonymous.get(url).status_code == 302, url
    # Computing the whole tree is not a branch secretary's action.
    with unchanged():
        r = as_secretary_b.post(reverse("evaluation:periods"), {"kind": "quarter", "start": "2026-04-01"})
    assert r.status_code == 404


def test_secretary_sees_own_branch_only_on_the_page(as_secretary_a, tree, period):
    r = as_secretary_a.get(reverse("evaluation:period", args=[period.pk]))
    body = r.content.decode()
    assert r.status_code == 200 and "和平社区第一党支部" in body and "和平社区第二党支部" not in body


def test_compute_button_and_recompute(as_officer, tree):
    members(tree["branch_a"], 1)
    url = reverse("evaluation:periods")
    # The queue's worker computes; the button leads to the job page, which says the outcome.
    r = as_officer.post(url, {"kind": "month", "start": "2026-07-01"}, follow=True)
    assert "2026年7月" in r.context["job"].message and r.context["job"].state == "succeeded"
    r = as_officer.post(url, {"kind": "month", "start": "2026-07-01"}, follow=True)
    assert r.context["job"].state == "failed" and "重新计算" in r.content.decode()
    r = as_officer.post(url, {"kind": "month", "start": "2026-07-01", "recompute": "on"}, follow=True)
    assert "第 2 版" in r.content.decode()


def test_ahp_form_shows_consistency_as_the_user_types(as_officer, period):
    url = reverse("evaluation:ahp_check")
    ok = as_officer.post(url + "?key=dimensions", {"j-dimensions-0-1": "3", "j-dimensions-0-2": "3", "j-dimensions-1-2": "1"})
    assert "CR = 0.000" in ok.content.decode()
    bad = as_officer.post(url + "?key=dimensions", {"j-dimensions-0-1": "9", "j-dimensions-0-2": "1/9", "j-dimensions-1-2": "9"})
    assert "badge bad" in bad.content.decode()
    partial = as_officer.post(url + "?key=dimensions", {"j-dimensions-0-1": "5"})
    assert partial.status_code == 200 and "CR" in partial.content.decode()


def test_config_rejects_inconsistent_judgements_inline(as_officer, period):
    url = reverse("evaluation:config", args=[period.pk])
    data = {"weighting": "ahp", "aggregation": "topsis", "eff_inputs": ["members_on_roll"], "eff_outputs": ["meetings_held"],
            "eff_rts": "vrs", "j-dimensions-0-1": "9", "j-dimensions-0-2": "1/9", "j-dimensions-1-2": "9"}
    r = as_officer.post(url, data)
    assert r.status_code == 200 and "一致性" in r.content.decode()
    data.update({"j-dimensions-0-1": "3", "j-dimensions-0-2": "3", "j-dimensions-1-2": "1"})
    assert as_officer.post(url, data).status_code == 302
    period.refresh_from_db()
    assert period.weighting == "ahp" and period.judgements["dimensions"]["matrix"][0][1] == 3
    assert period.judgements["dimensions"]["order"] == ["cohesion", "influence", "capacity"]


def test_ahp_weights_used_on_recompute(officer, tree, period, compute):
    from dangjian.evaluation.services import period_configure

    period_configure(by=officer, period=period, weighting="ahp", aggregation="weighted_sum",
                     judgements={"dimensions": indices.judgement(DIMS, [[1, 3, 3], [1 / 3, 1, 1], [1 / 3, 1, 1]])},
                     eff_inputs=["members_on_roll"], eff_outputs=["meetings_held"], eff_rts="vrs", scheme=None)
    period = compute(recompute=True)
    assert period.weights["dimensions"]["cohesion"] == pytest.approx(0.6)
    assert IndexScore.objects.filter(period=period, dimension="overall").exists()


def test_indicator_catalogue_add_and_retire(as_officer, as_secretary_a):
    url = reverse("evaluation:indicators")
    assert as_secretary_a.get(url).status_code == 200
    data = {"code": "members_count", "name": "党员人数", "dimension": "capacity", "metric_code": "members_on_roll",
            "direction": "higher", "unit": "人", "explanation": "在册党员人数"}
    with unchanged():
        assert as_secretary_a.post(url, data).status_code == 404
    assert as_officer.post(url, data).status_code == 302
    r = as_officer.post(url, data)
    assert "已存在" in r.content.decode()
    from dangjian.evaluation.models import Indicator

    ind = Indicator.objects.get(code="members_count")
    as_officer.post(url, {"action": "retire", "indicator": ind.pk})
    ind.refresh_from_db()
    assert not ind.is_active and ind.retired_on
    page = as_officer.get(url).content.decode()
    assert ">已停用</span>" in page and "离退休" not in page  # an indicator retires; a member is 离退休
    assert "<label for=\"id_code\">代码:</label>" in page


def test_scheme_edit_validates_thresholds(as_officer, as_secretary_a):
    from dangjian.evaluation.models import GradingScheme

    s = GradingScheme.objects.get(is_default=True)
    url = reverse("evaluation:scheme_edit", args=[s.pk])
    assert as_secretary_a.get(url).status_code == 404
    data = {"name": s.name, "mode": "levels", "thresholds": "70 good\n85 advanced\n0 lagging", "caps": "",
            "weak_score_below": 40, "weak_bad_warnings": 3}
    assert "从高到低" in as_officer.post(url, data).content.decode()
    data["thresholds"] = "90 advanced\n70 good\n60 average\n0 lagging"
    data["caps"] = "advanced 0.2"
    data["cap_rounding"] = "floor"
    assert as_officer.post(url, data).status_code == 302
    s.refresh_from_db()
    assert s.thresholds[0] == [90.0, "advanced"] and s.caps == {"advanced": 0.2} and s.cap_rounding == "floor"
    assert "四舍五入" in as_officer.get(url).content.decode()  # the rounding is stated where it is set


def test_api_lists_are_scoped_and_outsider_gets_404(client, tree, period, secretary_b, as_secretary_b, as_anonymous):
    base = "/api/evaluation"
    r = as_secretary_b.get(f"{base}/periods/{period.pk}/values")
    assert r.status_code == 200
    assert {row["org_id"] for row in r.json()["items"]} == {tree["branch_b"].pk}
    assert as_secretary_b.get(f"{base}/periods/{period.pk}/values?org_id={tree['community'].pk}").status_code == 404
    assert as_secretary_b.get(f"{base}/periods/{period.pk}/indices?org_id={tree['branch_a'].pk}").status_code == 404
    for path in ("indicators", "periods", f"periods/{period.pk}/indices", f"periods/{period.pk}/grades",
                 f"periods/{period.pk}/efficiency", "warnings", "rectifications"):
        assert as_secretary_b.get(f"{base}/{path}").status_code == 200, path
        assert as_anonymous.get(f"{base}/{path}").status_code == 401, path


def test_entropy_combined_with_ahp_and_topsis(officer, tree, period, compute):
    from dangjian.evaluation.services import period_configure

    period_configure(by=officer, period=period, weighting="combined", aggregation="topsis",
                     judgements={"dimensions": indices.judgement(DIMS, [[1, 3, 3], [1 / 3, 1, 1], [1 / 3, 1, 1]])},
                     eff_inputs=["members_on_roll"], eff_outputs=["meetings_held"], eff_rts="vrs", scheme=None)
    period = compute(recompute=True)
    weights = period.weights["indicators"]
    assert sum(weights.values()) == pytest.approx(1.0)
    scores = IndexScore.objects.filter(period=period, dimension="overall", org__kind="branch")
    assert scores.count() == 2 and all(0 <= s.score <= 100 for s in scores)
    assert sorted(s.rank for s in scores) in ([1, 2], [1, 1])

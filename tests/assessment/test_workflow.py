"""Scheme set-up, freezing, self-report → scoring → grade → breakdown → appeal, PDF, scope."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment import services
from dangjian.assessment.models import Assessment, SchemeState, State
from dangjian.assessment.pdf import assessment_pdf
from dangjian.assessment.todo import todo_items as assessment_todo
from dangjian.audit.models import AuditEntry

from .conftest import evaluation, score_all

pytestmark = pytest.mark.django_db


def _start(scheme, officer, tree):
    services.scheme_start(by=officer, scheme=scheme)
    return Assessment.objects.get(scheme=scheme, org=tree["branch_a"]), Assessment.objects.get(scheme=scheme, org=tree["branch_b"])


def test_default_weights_and_refused_sums(scheme, officer):
    assert services.weights_of(scheme) == {"superior": 60, "duty": 0, "democratic": 40}
    assert scheme.thresholds == [90, 80, 70, 60] and scheme.five_star_cap == 30
    with pytest.raises(ValidationError, match="之和须为 100"):
        services.scheme_configure(by=officer, scheme=scheme, weights={"superior": 50, "duty": 10, "democratic": 30},
                                  thresholds=[90, 80, 70, 60], five_star_cap=30)
    assert services.weights_of(scheme)["superior"] == 60
    services.scheme_configure(by=officer, scheme=scheme, weights={"superior": 50, "duty": 20, "democratic": 30},
                              thresholds=[95, 85, 75, 60], five_star_cap=20)
    scheme.refresh_from_db()
    assert services.weights_of(scheme)["duty"] == 20 and scheme.thresholds == [95, 85, 75, 60]


def test_scheme_frozen_once_scoring_starts(scheme, officer, tree):
    assert services.scheme_start(by=officer, scheme=scheme) == 2
    scheme.refresh_from_db()
    assert scheme.state == SchemeState.SCORING
    with pytest.raises(ValidationError, match="不能再修改"):
        services.scheme_configure(by=officer, scheme=scheme, weights={"superior": 60, "duty": 0, "democratic": 40},
                                  thresholds=[90, 80, 70, 60], five_star_cap=30)
    with pytest.raises(ValidationError, match="不能再修改"):
        services.scheme_item_add(by=officer, scheme=scheme, title="新增", max_points=10)
    with pytest.raises(ValidationError, match="不能再修改"):
        services.scheme_start(by=officer, scheme=scheme)


def test_secretary_cannot_set_a_scheme(tree, secretary_a):
    with pytest.raises(Http404):
        services.scheme_create(by=secretary_a, org=tree["branch_a"], title="x", year=2026, starts_on=dt.date(2026, 1, 1),
                               ends_on=dt.date(2026, 12, 31), org_kind="group")


def test_full_workflow_breakdown_and_appeal(scheme, officer, secretary_a, tree):
    evaluation(tree, officer, tree["branch_a"], [5, 5, 4, 4])  # before start: linked to the assessment
    evaluation(tree, officer, tree["branch_b"], [3, 3, 3])
    a, b = _start(scheme, officer, tree)
    assert a.rounds.count() == 1
    with pytest.raises(ValidationError, match="尚未提交自评报告"):
        score_all(scheme, officer, a)
    with pytest.raises(ValidationError, match="上级"):
        services.assessment_score_item(by=secretary_a, assessment=a, item=scheme.items.first(), score=Decimal(1), reason="x")
    with pytest.raises(ValidationError, match="自评报告"):
        services.assessment_submit(by=secretary_a, assessment=a, self_report="  ")
    a = services.assessment_submit(by=secretary_a, assessment=a, self_report="全年召开支部党员大会 4 次")
    assert a.state == State.SUBMITTED
    score_all(scheme, officer, a, points=(45, 40))
    with pytest.raises(ValidationError, match="自评报告不能再修改"):
        services.assessment_submit(by=secretary_a, assessment=a, self_report="改")
    with pytest.raises(ValidationError, match="0 到 50"):
        services.assessment_score_item(by=officer, assessment=a, item=scheme.items.first(), score=Decimal(51), reason="x")
    with pytest.raises(ValidationError, match="理由"):
        services.assessment_score_item(by=officer, assessment=a, item=scheme.items.first(), score=Decimal(5), reason="")
    services.assessment_deduct(by=officer, assessment=a, points=Decimal(5), reason="党费收缴不及时")
    a = services.assessment_compute(by=officer, assessment=a)
    # superior (45 + 40 − 5) = 80 × 60% = 48; democratic mean 4.5 × 20 = 90 × 40% = 36
    assert a.final_score == Decimal("84.00") and a.state == State.SCORED
    sup, dem = a.breakdown["components"]
    assert [line["source"] for line in sup["lines"]] == ["理由45", "理由40", "党费收缴不及时"]
    assert sup["weighted"] == 48.0 and dem["weighted"] == 36.0 and "4 份有效答卷" in dem["lines"][0]["source"]
    with pytest.raises(ValidationError, match="尚未完成评分"):
        services.scheme_publish(by=officer, scheme=scheme)
    Assessment.objects.filter(pk=b.pk).update(state=State.SUBMITTED)
    score_all(scheme, officer, b, points=(50, 50))
    services.assessment_compute(by=officer, assessment=b)
    services.scheme_publish(by=officer, scheme=scheme)
    a.refresh_from_db()
    b.refresh_from_db()
    # b: 100×60% + 60×40% = 84 as well; neither reaches 90 → four stars each
    assert (a.stars, b.stars, a.state) == (4, 4, State.PUBLISHED)
    with pytest.raises(ValidationError, match="已公布"):
        score_all(scheme, officer, a)
    ap = services.appeal_file(by=secretary_a, assessment=a, text="扣分依据有误")
    with pytest.raises(ValidationError, match="上级"):
        services.appeal_answer(by=secretary_a, appeal=ap, answer="自己答")
    ap = services.appeal_answer(by=officer, appeal=ap, answer="经复核，维持原评分")
    assert ap.status == "answered"
    with pytest.raises(ValidationError, match="已答复"):
        services.appeal_answer(by=officer, appeal=ap, answer="再答")
    transitions = AuditEntry.objects.filter(target_type="assessment.Assessment", target_id=str(a.pk), action="transition")
    assert [e.changes["state"] for e in transitions.order_by("id")] == [["pending", "submitted"], ["submitted", "scored"]]


def test_appeal_only_after_publication(scheme, officer, secretary_a, tree):
    a, _ = _start(scheme, officer, tree)
    with pytest.raises(ValidationError, match="公布后"):
        services.appeal_file(by=secretary_a, assessment=a, text="x")


def test_compute_needs_every_part(scheme, officer, secretary_a, tree):
    a, _ = _start(scheme, officer, tree)
    services.assessment_submit(by=secretary_a, assessment=a, self_report="报告")
    with pytest.raises(ValidationError) as e:
        services.assessment_compute(by=officer, assessment=a)
    assert "尚未全部评分" in str(e.value) and "民主测评" in str(e.value)


def test_evaluation_below_minimum_does_not_count(scheme, officer, secretary_a, tree):
    evaluation(tree, officer, tree["branch_a"], [5, 5])  # 2 < minimum 3
    a, _ = _start(scheme, officer, tree)
    services.assessment_submit(by=secretary_a, assessment=a, self_report="报告")
    score_all(scheme, officer, a)
    with pytest.raises(ValidationError, match="答卷数达到公布门槛"):
        services.assessment_compute(by=officer, assessment=a)


def test_round_outside_the_period_not_counted(scheme, officer, secretary_a, tree):
    r = evaluation(tree, officer, tree["branch_a"], [5, 5, 5])
    r.closes_at = timezone.make_aware(dt.datetime(scheme.year + 1, 1, 1, 0, 0))  # the day after the period
    r.save()
    a, _ = _start(scheme, officer, tree)
    services.assessment_submit(by=secretary_a, assessment=a, self_report="报告")
    score_all(scheme, officer, a)
    with pytest.raises(ValidationError, match="民主测评"):
        services.assessment_compute(by=officer, assessment=a)
    r.closes_at = timezone.make_aware(dt.datetime(scheme.year, 12, 31, 23, 0))  # the last day of the period
    r.save()
    assert services.assessment_compute(by=officer, assessment=a).final_score == Decimal("91.00")


def test_duty_component_uses_the_year_list(scheme, officer, secretary_a, tree):
    from dangjian.duty import services as duty_services

    services.scheme_configure(by=officer, scheme=scheme, weights={"superior": 50, "duty": 50, "democratic": 0},
                              thresholds=[90, 80, 70, 60], five_star_cap=30)
    dl = duty_services.duty_list_create(by=secretary_a, org=tree["branch_a"], year=scheme.year, title="清单")
    item = duty_services.duty_item_add(by=secretary_a, duty_list=dl, title="意识形态", kind="qualitative", points=20)
    a, _ = _start(scheme, officer, tree)
    services.assessment_submit(by=secretary_a, assessment=a, self_report="报告")
    score_all(scheme, officer, a, points=(50, 50))
    with pytest.raises(ValidationError, match="责任清单尚有事项未评价"):
        services.assessment_compute(by=officer, assessment=a)
    duty_services.duty_item_rate(by=officer, item=item, rating=Decimal(15), reason="较好")
    a = services.assessment_compute(by=officer, assessment=a)
    duty = a.breakdown["components"][1]
    assert a.final_score == Decimal("87.50") and duty["lines"][0]["source"] == "上级评价：较好"


def test_todo(scheme, officer, secretary_a, tree):
    a, _ = _start(scheme, officer, tree)
    assert any("待提交自评报告" in i.title or "Self-report" in i.title for i in assessment_todo(secretary_a))
    services.assessment_submit(by=secretary_a, assessment=a, self_report="报告")
    assert any(i.url.endswith(f"/{a.pk}/") for i in assessment_todo(officer))


def test_pages_pdf_and_scope(scheme, officer, secretary_a, tree, as_officer, as_secretary_a, as_secretary_b, as_member,
                             as_anonymous, tmp_path):
    evaluation(tree, officer, tree["branch_a"], [5, 4, 4])
    a, b = _start(scheme, officer, tree)
    r = as_secretary_a.post(reverse("assessment:detail", args=[a.pk]), {"action": "report", "self_report": "支部自评"})
    assert r.status_code == 302
    item = scheme.items.first()
    r = as_secretary_a.post(reverse("assessment:detail", args=[a.pk]), {"action": "score", f"score_{item.pk}": "50",
                                                                         f"reason_{item.pk}": "自评"}, follow=True)
    assert "只有上级党组织" in r.content.decode()
    score_all(scheme, officer, a)
    as_officer.post(reverse("assessment:detail", args=[a.pk]), {"action": "compute"})
    a.refresh_from_db()
    assert a.state == State.SCORED
    # The organisation sees no score before publication; the PDF is not there for it yet.
    assert as_secretary_a.get(reverse("assessment:pdf", args=[a.pk])).status_code == 404
    assert "理由45" not in as_secretary_a.get(reverse("assessment:detail", args=[a.pk])).content.decode()
    Assessment.objects.filter(pk=b.pk).update(state=State.SUBMITTED)
    score_all(scheme, officer, b)
    evaluation(tree, officer, tree["branch_b"], [4, 4, 4])  # closes after the start: still counted at compute
    services.assessment_compute(by=officer, assessment=b)
    as_officer.post(reverse("assessment:scheme", args=[scheme.pk]), {"action": "publish"})
    body = as_secretary_a.get(reverse("assessment:detail", args=[a.pk])).content.decode()
    assert "理由45" in body and "上级考核（含扣分）" in body
    r = as_secretary_a.get(reverse("assessment:pdf", args=[a.pk]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="export", target_type="assessment.Assessment").exists()
    for c in (as_secretary_b, as_member):
        assert c.get(reverse("assessment:detail", args=[a.pk])).status_code == 404
        assert c.get(reverse("assessment:pdf", args=[a.pk])).status_code == 404
        assert c.get(f"/api/assessment/assessments/{a.pk}").status_code == 404
    assert as_secretary_a.get(reverse("assessment:scheme", args=[scheme.pk])).status_code == 404
    assert as_anonymous.get(reverse("assessment:detail", args=[a.pk])).status_code == 302
    assert as_anonymous.get("/api/assessment/schemes").status_code == 401
    assert as_secretary_a.get(f"/api/assessment/assessments/{a.pk}").json()["final_score"] is not None
    r = as_officer.get(reverse("assessment:scheme", args=[scheme.pk]) + "?export=xlsx")
    assert r.status_code == 200


def test_pdf_text_is_chinese(scheme, officer, secretary_a, tree, tmp_path):
    evaluation(tree, officer, tree["branch_a"], [5, 4, 4])
    a, _ = _start(scheme, officer, tree)
    services.assessment_submit(by=secretary_a, assessment=a, self_report="报告")
    score_all(scheme, officer, a)
    a = services.assessment_compute(by=officer, assessment=a)
    data = assessment_pdf(a)
    # ReportLab's built-in CJK font, referenced (not embedded) with the GB Unicode encoding.
    assert b"/STSong-Light" in data and b"UniGB-UCS2-H" in data
    path = tmp_path / "a.pdf"
    path.write_bytes(data)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "组织建设" in text and "和平社区第一党支部" in text

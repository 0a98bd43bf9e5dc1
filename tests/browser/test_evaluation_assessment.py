"""Projects, an anonymous evaluation on a phone, and an assessment in headless Chromium: no console errors."""

import datetime as dt

from django.utils import timezone

from dangjian.surveys import services as survey_services
from dangjian.surveys.models import Response
from tests.browser.fixtures import screenshot, sign_in
from tests.projects.conftest import make_project


def test_anonymous_answer_on_a_phone(page, tree, officer, settings):
    settings.SURVEY_MIN_SECONDS = 0
    now = timezone.now()
    q = survey_services.questionnaire_create(by=officer, org=tree["street"], title="测评表")
    survey_services.question_add(by=officer, questionnaire=q, text="对支部工作的总体评价", kind="rating")
    survey_services.question_add(by=officer, questionnaire=q, text="支部作用发挥", kind="single", choices=["好", "一般"])
    r = survey_services.round_create(by=officer, questionnaire=q, org=tree["branch_a"], title="一支部民主测评",
                                     subject="org", audience="residents", opens_at=now - dt.timedelta(hours=1),
                                     closes_at=now + dt.timedelta(days=1))
    token = survey_services.tokens_issue(by=officer, round=r, count=1)[0]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + f"/surveys/t/{token}/")
    page.click("button.btn")  # nothing chosen: errors inline, nothing stored
    assert "请为此项评分" in page.content() and not Response.objects.exists()
    page.check("input[value='4']")
    page.check("input[value='好']")
    screenshot(page, "evaluation_answer_phone")
    page.click("button.btn")
    assert "已匿名提交" in page.content() and Response.objects.count() == 1
    page.goto(page.base_url + f"/surveys/t/{token}/")
    page.check("input[value='5']")
    page.check("input[value='好']")
    page.click("button.btn")
    assert "只能使用一次" in page.content() and Response.objects.count() == 1


def test_project_and_qr_sheet_pages(page, tree, officer, secretary_a):
    p = make_project(tree["branch_a"], status="executing")
    sign_in(page, "officer")
    page.goto(page.base_url + f"/projects/{p.pk}/")
    assert "红色物业提质项目" in page.content()
    screenshot(page, "project_detail")
    now = timezone.now()
    q = survey_services.questionnaire_create(by=officer, org=tree["street"], title="测评表")
    survey_services.question_add(by=officer, questionnaire=q, text="评价", kind="rating")
    r = survey_services.round_create(by=officer, questionnaire=q, org=tree["branch_a"], title="测评", subject="org",
                                     audience="members", opens_at=now, closes_at=now + dt.timedelta(days=3))
    page.goto(page.base_url + f"/surveys/rounds/{r.pk}/")
    page.fill("#id_count", "6")
    page.click("form.card button.btn")
    assert page.locator(".slip svg").count() == 6
    screenshot(page, "evaluation_qr_sheet")

"""Rounds through the pages and API: organiser rule, QR sheet, results only above the minimum, scope."""

import datetime as dt
import io
import json
import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.audit.models import AuditEntry
from dangjian.surveys import guard, selectors, services
from dangjian.surveys.models import Response, Token
from dangjian.surveys.todo import todo_items as surveys_todo

from .conftest import answers_for

pytestmark = pytest.mark.django_db


def _fill(round, officer, n, rating=4):
    for t in services.tokens_issue(by=officer, round=round, count=n):
        services.response_submit(token=t, answers=answers_for(round, rating=rating, text="好"))


def test_results_hidden_below_minimum_then_shown(open_round, officer, as_officer):
    _fill(open_round, officer, 2)
    res = selectors.results(open_round)
    assert not res.shown and res.questions == [] and selectors.round_score(open_round) is None
    r = as_officer.get(reverse("surveys:round", args=[open_round.pk]))
    assert "答卷达到 3 份后才显示结果" in r.content.decode()
    assert as_officer.get(reverse("surveys:round", args=[open_round.pk]) + "?export=xlsx").status_code == 404
    assert as_officer.get(f"/api/surveys/rounds/{open_round.pk}/results").json()["questions"] == []
    _fill(open_round, officer, 1, rating=1)
    res = selectors.results(open_round)
    assert res.shown and res.responses == 3
    rating = res.questions[0]
    assert rating.average == pytest.approx(3.0) and dict(rating.counts) == {"1": 1, "2": 0, "3": 0, "4": 2, "5": 0}
    assert selectors.round_score(open_round) == 60.0
    r = as_officer.get(reverse("surveys:round", args=[open_round.pk]) + "?export=xlsx")
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert rows[0] == ("题目", "选项", "人数或数值") and AuditEntry.objects.filter(action="export").exists()


def test_default_minimum_is_five(tree, officer, questionnaire):
    now = timezone.now()
    r = services.round_create(by=officer, questionnaire=questionnaire, org=tree["branch_a"], title="t", subject="org",
                              audience="residents", opens_at=now, closes_at=now + dt.timedelta(days=1))
    assert r.min_responses == 5


def test_only_a_superior_organises_an_evaluation(tree, secretary_a, secretary_b, questionnaire, officer):
    now = timezone.now()
    own_q = services.questionnaire_create(by=secretary_a, org=tree["branch_a"], title="自评")
    services.question_add(by=secretary_a, questionnaire=own_q, text="评分", kind="rating")
    kw = {"title": "t", "audience": "members", "opens_at": now, "closes_at": now + dt.timedelta(days=1)}
    with pytest.raises(ValidationError, match="上级"):
        services.round_create(by=secretary_a, questionnaire=own_q, org=tree["branch_a"], subject="secretary", **kw)
    services.round_create(by=secretary_a, questionnaire=own_q, org=tree["branch_a"], subject="survey", **kw)
    from django.http import Http404

    with pytest.raises(Http404):
        services.round_create(by=secretary_b, questionnaire=own_q, org=tree["branch_b"], subject="survey", **kw)


def test_round_rules(tree, officer, questionnaire):
    now = timezone.now()
    with pytest.raises(ValidationError) as e:
        services.round_create(by=officer, questionnaire=questionnaire, org=tree["branch_a"], title="", subject="org",
                              audience="members", opens_at=now, closes_at=now, min_responses=0)
    assert set(e.value.message_dict) == {"title", "closes_at", "min_responses"}


def test_questions_frozen_once_a_round_opened(open_round, officer, questionnaire):
    with pytest.raises(ValidationError, match="不能再修改题目"):
        services.question_add(by=officer, questionnaire=questionnaire, text="新题", kind="text")


def test_question_rules(tree, officer):
    q = services.questionnaire_create(by=officer, org=tree["street"], title="q")
    with pytest.raises(ValidationError, match="至少需要两个选项"):
        services.question_add(by=officer, questionnaire=q, text="选", kind="single", choices=["唯一"])
    with pytest.raises(ValidationError, match="不能重复"):
        services.question_add(by=officer, questionnaire=q, text="选", kind="multiple", choices=["a", "a"])


def test_issue_prints_qr_sheet_once(open_round, as_officer):
    r = as_officer.post(reverse("surveys:round", args=[open_round.pk]), {"count": 4})
    body = r.content.decode()
    assert r.status_code == 200 and body.count("<svg") == 4 and "/surveys/t/" in body
    assert Token.objects.count() == 4
    # The links cannot be shown again: the round page has no token in it.
    assert "/surveys/t/" not in as_officer.get(reverse("surveys:round", args=[open_round.pk])).content.decode()


def test_no_links_after_closing(open_round, officer):
    open_round.closes_at = timezone.now() - dt.timedelta(seconds=1)
    open_round.save()
    with pytest.raises(ValidationError, match="已截止"):
        services.tokens_issue(by=officer, round=open_round, count=1)


def test_public_page_renders_and_accepts(open_round, officer, client):
    t = services.tokens_issue(by=officer, round=open_round, count=1)[0]
    r = client.get(reverse("surveys:answer", args=[t]))
    assert r.status_code == 200 and "对支部工作总体评价" in r.content.decode() and 'name="website"' in r.content.decode()
    fields = {f"q{k}": v for k, v in answers_for(open_round, rating="").items()}
    r = client.post(reverse("surveys:answer", args=[t]), {**fields, "stamp": guard.stamp(open_round.pk, now=time.time() - 10)})
    assert r.status_code == 200 and "请为此项评分" in r.content.decode() and not Response.objects.exists()
    fields = {f"q{k}": v for k, v in answers_for(open_round).items()}
    r = client.post(reverse("surveys:answer", args=[t]), {**fields, "stamp": guard.stamp(open_round.pk, now=time.time() - 10)})
    assert r.status_code == 200 and Response.objects.count() == 1
    r = client.post(reverse("surveys:answer", args=[t]), {**fields, "stamp": guard.stamp(open_round.pk, now=time.time() - 10)})
    assert r.status_code == 200 and "只能使用一次" in r.content.decode() and Response.objects.count() == 1
    assert client.get(reverse("surveys:answer", args=["nope"])).status_code == 404


def test_api_submit_single_use(open_round, officer, client):
    t = services.tokens_issue(by=officer, round=open_round, count=1)[0]
    body = json.dumps({"token": t, "answers": {str(k): v for k, v in answers_for(open_round).items()}})
    assert client.post("/api/surveys/submit", body, content_type="application/json").status_code == 200
    r = client.post("/api/surveys/submit", body, content_type="application/json")
    assert r.status_code == 400 and "只能使用一次" in r.json()["detail"]


def test_outsiders_get_404(open_round, questionnaire, as_secretary_b, as_member, as_anonymous):
    for client in (as_secretary_b, as_member):
        assert client.get(reverse("surveys:round", args=[open_round.pk])).status_code == 404
        assert client.post(reverse("surveys:round", args=[open_round.pk]), {"count": 3}).status_code == 404
        assert client.get(reverse("surveys:questionnaire", args=[questionnaire.pk])).status_code == 404
        assert client.get(f"/api/surveys/rounds/{open_round.pk}/results").status_code == 404
    assert as_anonymous.get(reverse("surveys:index")).status_code == 302
    assert as_anonymous.get("/api/surveys/rounds").status_code == 401
    assert not Token.objects.exists()


def test_open_round_on_todo(open_round, officer, secretary_b, secretary_a):
    assert any("一支部民主测评" in i.title for i in surveys_todo(officer))
    assert any("一支部民主测评" in i.title for i in surveys_todo(secretary_a))
    assert surveys_todo(secretary_b) == []


def test_pages_for_the_organiser(as_officer, open_round, questionnaire, tree):
    assert "一支部民主测评" in as_officer.get(reverse("surveys:index")).content.decode()
    r = as_officer.post(reverse("surveys:questionnaire", args=[questionnaire.pk]), {"text": "x", "kind": "text"})
    assert "不能再修改题目" in r.content.decode()
    r = as_officer.post(reverse("surveys:questionnaire_new"), {"org": tree["street"].pk, "title": "新问卷"})
    assert r.status_code == 302


def test_closed_round_page_says_so_without_a_form(open_round, officer, client):
    t = services.tokens_issue(by=officer, round=open_round, count=1)[0]
    open_round.closes_at = timezone.now() - dt.timedelta(minutes=1)
    open_round.save()
    body = client.get(reverse("surveys:answer", args=[t])).content.decode()
    assert "不再接受提交" in body and "<form" not in body.split("</header>")[-1]

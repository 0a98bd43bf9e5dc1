import datetime as dt

import pytest
from django.utils import timezone

from dangjian.surveys import services


@pytest.fixture
def questionnaire(tree, officer):
    q = services.questionnaire_create(by=officer, org=tree["street"], title="支部民主测评表")
    services.question_add(by=officer, questionnaire=q, text="对支部工作总体评价", kind="rating")
    services.question_add(by=officer, questionnaire=q, text="支部作用发挥", kind="single", choices=["好", "较好", "一般"])
    services.question_add(by=officer, questionnaire=q, text="希望加强的方面", kind="multiple", choices=["学习", "服务", "纪律"],
                          required=False)
    services.question_add(by=officer, questionnaire=q, text="意见建议", kind="text", required=False)
    return q


@pytest.fixture
def open_round(tree, officer, questionnaire):
    now = timezone.now()
    return services.round_create(by=officer, questionnaire=questionnaire, org=tree["branch_a"], title="2026 年一支部民主测评",
                                 subject="org", audience="members", opens_at=now - dt.timedelta(days=1),
                                 closes_at=now + dt.timedelta(days=7), min_responses=3)


def answers_for(round, rating=5, single="好", multiple=("学习",), text=""):
    qs = {q.kind: q.pk for q in round.questionnaire.questions.all()}
    return {qs["rating"]: rating, qs["single"]: single, qs["multiple"]: list(multiple), qs["text"]: text}

"""A member finds the democratic evaluations open to them on their home page and answers with their own link (issue 14).

Open to them: members' rounds of their branch or an org above it, between opening and closing;
one link each; which link (and so which answers) is theirs is not kept.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.surveys import services
from dangjian.surveys.models import MemberLink, Response, Round, Token

pytestmark = pytest.mark.django_db


def _round(officer, org, title, *, audience="members", opens=-1, closes=5):
    now = timezone.now()
    q = services.questionnaire_create(by=officer, org=org, title="测评表")
    services.question_add(by=officer, questionnaire=q, text="总体评价", kind="rating")
    return services.round_create(by=officer, questionnaire=q, org=org, title=title, subject="org", audience=audience,
                                 opens_at=now + dt.timedelta(days=opens), closes_at=now + dt.timedelta(days=closes),
                                 min_responses=3)


def test_member_sees_open_rounds_of_their_branch_and_above_and_answers_once(tree, officer, as_member, member_user):
    mine = _round(officer, tree["branch_a"], "一支部民主测评")
    above = _round(officer, tree["community"], "社区党委民主测评")
    hidden = [
        _round(officer, tree["branch_b"], "二支部民主测评"),  # another branch
        _round(officer, tree["branch_a"], "居民满意度测评", audience="residents"),
        _round(officer, tree["branch_a"], "已结束的测评", opens=-10, closes=-1),
        _round(officer, tree["branch_a"], "尚未开始的测评", opens=2, closes=9),
    ]
    home = as_member.get(reverse("home")).content.decode()
    assert "有 2 项测评等待您作答" in home
    assert mine.title in home and above.title in home and all(r.title not in home for r in hidden)
    assert reverse("surveys:take", args=[mine.pk]) in home

    page = as_member.post(reverse("surveys:take", args=[mine.pk]))
    assert page.status_code == 302 and page.url.startswith("/surveys/t/")
    question = Round.objects.get(pk=mine.pk).questionnaire.questions.get()
    form = as_member.get(page.url)
    assert form.status_code == 200 and "总体评价" in form.content.decode()
    assert MemberLink.objects.filter(round=mine, member=member_user.member).count() == 1
    assert Token.objects.filter(round=mine).count() == 1

    # A second press gives no second link: the page says so.
    again = as_member.post(reverse("surveys:take", args=[mine.pk]))
    assert again.status_code == 200 and "您已领取过这项测评的链接" in again.content.decode()
    assert Token.objects.filter(round=mine).count() == 1
    assert "已作答" in as_member.get(reverse("home")).content.decode()
    assert Response.objects.filter(round=mine).count() == 0 and question  # answering is the public form's


def test_rounds_not_open_to_the_member_answer_404(tree, officer, as_member, as_officer):
    other = _round(officer, tree["branch_b"], "二支部民主测评")
    closed = _round(officer, tree["branch_a"], "已结束的测评", opens=-10, closes=-1)
    for r in (other, closed):
        assert as_member.get(reverse("surveys:take", args=[r.pk])).status_code == 404
        assert as_member.post(reverse("surveys:take", args=[r.pk])).status_code == 404
    assert not Token.objects.filter(round__in=[other, closed]).exists()
    # The officer holds no member record: no link of their own.
    assert as_officer.post(reverse("surveys:take", args=[other.pk])).status_code == 404

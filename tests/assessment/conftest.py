import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from dangjian.assessment import services
from dangjian.surveys import services as survey_services


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def scheme(tree, officer):
    year = timezone.localdate().year
    s = services.scheme_create(by=officer, org=tree["street"], title=f"{year} 年度支部考核", year=year,
                               starts_on=dt.date(year, 1, 1), ends_on=dt.date(year, 12, 31), org_kind="branch")
    services.scheme_item_add(by=officer, scheme=s, title="组织建设", max_points=50)
    services.scheme_item_add(by=officer, scheme=s, title="服务群众", max_points=50)
    return s


def evaluation(tree, officer, org, ratings):
    """A finished democratic evaluation round of org with one response per rating."""
    now = timezone.now()
    q = survey_services.questionnaire_create(by=officer, org=tree["street"], title="测评表")
    question = survey_services.question_add(by=officer, questionnaire=q, text="总体评价", kind="rating")
    r = survey_services.round_create(by=officer, questionnaire=q, org=org, title=f"{org.name}民主测评", subject="org",
                                     audience="members", opens_at=now - dt.timedelta(days=2),
                                     closes_at=now + dt.timedelta(hours=1), min_responses=3)
    for t, rating in zip(survey_services.tokens_issue(by=officer, round=r, count=len(ratings)), ratings, strict=True):
        survey_services.response_submit(token=t, answers={question.pk: rating})
    return r


def score_all(scheme, officer, assessment, points=(45, 40)):
    for item, p in zip(scheme.items.all(), points, strict=True):
        services.assessment_score_item(by=officer, assessment=assessment, item=item, score=Decimal(p), reason=f"理由{p}")

"""The four seeders together: projects in every state, issued lists, a finished round, a scored period."""

import datetime as dt
import random

from dangjian.assessment import demo as assessment_demo
from dangjian.assessment.models import Assessment, Scheme
from dangjian.duty import demo as duty_demo
from dangjian.duty.models import DutyList
from dangjian.projects import demo as projects_demo
from dangjian.projects.models import Project, Status
from dangjian.surveys import demo as surveys_demo
from dangjian.surveys.models import Response, Round, Token
from dangjian.surveys.selectors import results
from tests.factories import make_org

TODAY = dt.date(2026, 6, 30)


def _run(seed):
    lines = []
    for mod in (projects_demo, duty_demo, surveys_demo, assessment_demo):
        mod.seed(rng=random.Random(seed), today=TODAY, log=lines.append)
    return lines


def test_seeders_cover_every_state(tree, officer, secretary_a):
    for i in range(4):
        make_org(parent=tree["community"], kind="branch", name=f"演示支部{i}")
    lines = _run(3)
    assert {p.status for p in Project.objects.all()} == set(Status.values)
    assert Project.objects.filter(org=tree["branch_a"]).exists()  # the persona's branch comes first
    assert DutyList.objects.count() == 6 and DutyList.objects.filter(items__rating__isnull=False).exists()
    rnd = Round.objects.first()
    assert rnd.closes_at.date() < TODAY and results(rnd).shown
    assert Token.objects.filter(used=True).count() == Response.objects.count()
    scheme = Scheme.objects.get()
    assert scheme.state == "published" and scheme.year == 2025
    assert all(a.stars and a.breakdown["components"] for a in Assessment.objects.all())
    assert any("assessment: 6/6" in line for line in lines)
    again = _run(3)
    assert all("skipped" in line for line in again)


def _signature():
    return (
        sorted(Assessment.objects.values_list("org__code", "final_score", "stars")),
        sorted(Project.objects.values_list("org__code", "status", "title", "budget")),
        sorted(Round.objects.values_list("org__code", "tokens_issued")),
        Response.objects.count(),
    )


def _wipe():
    from dangjian.assessment.models import Component, ItemScore, SchemeItem, ScoreAppeal
    from dangjian.duty.models import DutyTemplate
    from dangjian.surveys.models import Answer, Questionnaire

    for model in (ScoreAppeal, ItemScore, Assessment, Component, SchemeItem, Scheme, Answer, Response, Token, Round,
                  Questionnaire, DutyList, DutyTemplate, Project):
        model.objects.all().delete()


def test_seeders_are_deterministic(tree, officer):
    for i in range(3):
        make_org(parent=tree["community"], kind="branch", name=f"演示支部{i}")
    _run(5)
    first = _signature()
    _wipe()
    _run(5)
    assert _signature() == first and first[0]

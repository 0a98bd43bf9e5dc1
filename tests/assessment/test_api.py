"""The assessment workflow through the JSON API, with the outsider and anonymous at every step."""

import json

import pytest

from dangjian.assessment.models import Assessment, ScoreAppeal
from dangjian.duty import services as duty_services
from dangjian.duty.models import DutyList
from dangjian.surveys.models import Token

from .conftest import evaluation

pytestmark = pytest.mark.django_db


def _post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_workflow_over_the_api(scheme, officer, tree, as_officer, as_secretary_a, as_secretary_b, as_anonymous):
    evaluation(tree, officer, tree["branch_a"], [5, 4, 4])
    assert _post(as_secretary_b, f"/api/assessment/schemes/{scheme.pk}/start").status_code == 404
    assert _post(as_anonymous, f"/api/assessment/schemes/{scheme.pk}/start").status_code == 401
    r = _post(as_officer, f"/api/assessment/schemes/{scheme.pk}/start")
    assert r.status_code == 200 and r.json()["state"] == "scoring" and r.json()["weights"]["superior"] == 60
    assert _post(as_officer, f"/api/assessment/schemes/{scheme.pk}/start").status_code == 400  # frozen
    a = Assessment.objects.get(org=tree["branch_a"])
    url = f"/api/assessment/assessments/{a.pk}"
    assert _post(as_secretary_b, f"{url}/self-report", {"self_report": "x"}).status_code == 404
    assert _post(as_secretary_a, f"{url}/self-report", {"self_report": "年度自评"}).json()["state"] == "submitted"
    for item in scheme.items.all():
        assert _post(as_secretary_b, f"{url}/scores", {"item_id": item.pk, "score": 40, "reason": "x"}).status_code == 404
        assert _post(as_secretary_a, f"{url}/scores", {"item_id": item.pk, "score": 40, "reason": "x"}).status_code == 400
        assert _post(as_officer, f"{url}/scores", {"item_id": item.pk, "score": 40, "reason": "按期落实"}).status_code == 200
    r = _post(as_officer, f"{url}/compute")
    assert r.status_code == 200 and r.json()["final_score"] == "82.67"
    assert as_secretary_a.get(url).json()["final_score"] is None  # not published yet
    b = Assessment.objects.get(org=tree["branch_b"])
    assert _post(as_officer, f"/api/assessment/schemes/{scheme.pk}/publish").status_code == 400
    Assessment.objects.filter(pk=b.pk).update(state="scored", final_score=70)
    assert _post(as_officer, f"/api/assessment/schemes/{scheme.pk}/publish").json()["state"] == "published"
    assert as_secretary_a.get(url).json()["stars"] == 4
    r = _post(as_secretary_a, f"{url}/appeals", {"text": "请复核"})
    assert r.status_code == 201
    appeal = ScoreAppeal.objects.get()
    assert _post(as_secretary_b, f"/api/assessment/appeals/{appeal.pk}/answer", {"answer": "x"}).status_code == 404
    assert _post(as_officer, f"/api/assessment/appeals/{appeal.pk}/answer", {"answer": "维持"}).json()["status"] == "answered"


def test_issue_tokens_and_template_over_the_api(tree, officer, as_officer, as_secretary_b):
    r = evaluation(tree, officer, tree["branch_a"], [5, 5, 5])
    assert _post(as_secretary_b, f"/api/surveys/rounds/{r.pk}/tokens", {"count": 2}).status_code == 404
    before = Token.objects.count()
    tokens = _post(as_officer, f"/api/surveys/rounds/{r.pk}/tokens", {"count": 2}).json()["tokens"]
    assert len(tokens) == 2 and Token.objects.count() == before + 2
    t = duty_services.template_create(by=officer, org=tree["street"], year=2026, title="清单", org_kind="branch")
    duty_services.template_item_add(by=officer, template=t, title="事项", kind="qualitative")
    assert _post(as_secretary_b, f"/api/duty/templates/{t.pk}/issue").status_code == 404
    assert _post(as_officer, f"/api/duty/templates/{t.pk}/issue").json()["lists_created"] == 2
    assert DutyList.objects.count() == 2

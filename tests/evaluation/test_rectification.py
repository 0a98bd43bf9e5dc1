"""A warning becomes a rectification, is done and accepted by the superior, and the next period shows it."""

import datetime as dt

import pytest
from django.urls import reverse

from dangjian.accounts.roles import Role
from dangjian.core.todo import todo_for
from dangjian.evaluation.models import Alert, IndicatorValue, Rectification
from tests.dbstate import unchanged
from tests.evaluation.conftest import appeal
from tests.factories import UserFactory, grant


@pytest.fixture
def community_secretary(tree):
    user = UserFactory(username="sec_c")
    grant(user, tree["community"], Role.SECRETARY)
    return user


def test_full_workflow_and_effect_on_the_next_period(tree, compute, officer, community_secretary, client, as_secretary_b):
    from django.utils import timezone

    from dangjian.evaluation.periods import period_containing, period_end, previous_start

    today = timezone.localdate()  # the views date the workflow by the real day
    last_q = previous_start("quarter", period_containing("quarter", today))
    late = [appeal(tree["community"], last_q + dt.timedelta(days=1)) for _ in range(3)]
    q3 = compute(start=last_q, today=today)
    alert = Alert.objects.get(period=q3, org=tree["community"], rule="appeals_overdue")
    deadline = today + dt.timedelta(days=10)
    assert alert.severity == "bad" and alert.count == 3

    client.force_login(officer)
    r = client.post(reverse("evaluation:alert_detail", args=[alert.pk]), {
        "title": "清理超期诉求", "requirement": "十日内办结全部超期诉求并回访", "deadline": deadline.isoformat(),
        "owner": community_secretary.pk})
    rect = Rectification.objects.get(alert=alert)
    assert r.status_code == 302 and rect.state == "open"
    # The outsider neither sees nor acts on it.
    assert as_secretary_b.get(reverse("evaluation:rect_detail", args=[rect.pk])).status_code == 404
    # Owner's to-do.
    assert any("清理超期诉求" in i.title for i in todo_for(community_secretary))

    # The community resolves the appeals and reports with evidence.
    from dangjian.appeals.models import Appeal
    from tests.evaluation.conftest import at

    Appeal.objects.filter(pk__in=[a.pk for a in late]).update(state="resolved", resolved_at=at(today))
    sec = client.__class__()
    sec.force_login(community_secretary)
    url = reverse("evaluation:rect_detail", args=[rect.pk])
    assert "10" in sec.post(url, {"action": "submit", "evidence": "短"}).content.decode()  # too short: inline error
    assert sec.post(url, {"action": "submit", "evidence": "三件超期诉求已于10月20日全部办结，并逐户回访。"}).status_code == 302
    rect.refresh_from_db()
    assert rect.state == "submitted"
    # The community's own secretary cannot accept its own work.
    with unchanged():
        assert sec.post(url, {"action": "review", "decision": "accept"}).status_code == 404
    # Returning needs a comment; then the superior accepts.
    r = client.post(url, {"action": "review", "decision": "return", "comment": ""})
    assert "退回" in r.content.decode()
    page = r.content.decode()
    assert '<option value="accept">验收通过</option>' in page and ">退回继续整改</option>" in page
    assert client.post(url, {"action": "review", "decision": "accept", "comment": "同意"}).status_code == 302
    rect.refresh_from_db()
    assert rect.state == "accepted" and rect.accepted_by == officer

    next_q = period_containing("quarter", deadline)
    q4 = compute(start=next_q, today=period_end("quarter", next_q) + dt.timedelta(days=5))
    assert not Alert.objects.filter(period=q4, org=tree["community"], rule="appeals_overdue").exists()
    done = IndicatorValue.objects.get(period=q4, org=tree["community"], indicator__code="rectification_on_time_rate")
    assert (done.numerator, done.denominator) == (1, 1)
    # Recomputing Q3 keeps the warning the rectification refers to.
    compute(start=last_q, today=today, recompute=True)
    assert Alert.objects.filter(pk=alert.pk).exists()


def test_deadline_cannot_be_in_the_past_and_outsider_cannot_create(tree, officer, secretary_b):
    from django.core.exceptions import ValidationError
    from django.http import Http404

    from dangjian.evaluation.models import Period
    from dangjian.evaluation.services import rectification_create

    p = Period.objects.create(kind="month", start=dt.date(2026, 7, 1), end=dt.date(2026, 7, 31))
    alert = Alert.objects.create(period=p, org=tree["branch_a"], rule="dues_arrears", severity="warn", detail="x")
    with pytest.raises(ValidationError):
        rectification_create(by=officer, alert=alert, org=tree["branch_a"], title="t", requirement="r",
                             deadline=dt.date(2026, 7, 31), today=dt.date(2026, 8, 1))
    rectification_create(by=officer, alert=alert, org=tree["branch_a"], title="t", requirement="r",
                         deadline=dt.date(2026, 8, 1), today=dt.date(2026, 8, 1))
    with pytest.raises(Http404):
        rectification_create(by=secretary_b, alert=alert, org=tree["branch_a"], title="t", requirement="r",
                             deadline=dt.date(2026, 8, 5), today=dt.date(2026, 8, 1))


def test_api_workflow(tree, officer, community_secretary, client, as_secretary_b):
    import json

    from django.utils import timezone

    from dangjian.evaluation.models import Period

    p = Period.objects.create(kind="month", start=dt.date(2026, 7, 1), end=dt.date(2026, 7, 31))
    alert = Alert.objects.create(period=p, org=tree["community"], rule="appeals_overdue", severity="bad", detail="x")
    deadline = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    body = {"alert_id": alert.pk, "title": "清理超期诉求", "requirement": "限期办结", "deadline": deadline}
    with unchanged():
        assert as_secretary_b.post("/api/evaluation/rectifications", json.dumps(body), content_type="application/json").status_code == 404
    client.force_login(officer)
    r = client.post("/api/evaluation/rectifications", json.dumps(body), content_type="application/json")
    assert r.status_code == 201
    rid = r.json()["id"]
    past = {**body, "deadline": "2020-01-01"}
    assert client.post("/api/evaluation/rectifications", json.dumps(past), content_type="application/json").status_code == 400
    assert as_secretary_b.get(f"/api/evaluation/rectifications/{rid}").status_code == 404
    sec = client.__class__()
    sec.force_login(community_secretary)
    r = sec.post(f"/api/evaluation/rectifications/{rid}/submit", json.dumps({"evidence": "全部诉求已办结并逐户回访完毕。"}),
                 content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "submitted"
    r = client.post(f"/api/evaluation/rectifications/{rid}/review", json.dumps({"accept": True}), content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "accepted"


def test_mobilisation_suggests_tagged_members_nearby(tree, officer, secretary_a):
    from dangjian.evaluation.models import Period
    from dangjian.evaluation.selectors import mobilisation
    from dangjian.orgs.models import Tag
    from tests.factories import MemberFactory

    volunteer = MemberFactory(org=tree["branch_b"], name="王志愿")
    volunteer.tags.add(Tag.objects.create(name="志愿者"))
    MemberFactory(org=tree["branch_b"], name="赵无标签")
    p = Period.objects.create(kind="month", start=dt.date(2026, 7, 1), end=dt.date(2026, 7, 31))
    alert = Alert.objects.create(period=p, org=tree["branch_a"], rule="appeals_overdue", severity="bad", detail="x")
    mob = mobilisation(officer, alert)
    assert [m.name for m, _tags, _org in mob.members] == ["王志愿"]
    assert mob.members[0][1] == ["志愿者"]
    # A branch secretary sees no roster of the sister branch: nobody is suggested from outside their scope.
    assert mobilisation(secretary_a, alert).members == []


def test_mobilisation_lists_the_resources_nearby_through_the_resources_app(tree, officer):
    """Evaluation reads resources only through core.provided; the resources app answers in the user's scope."""
    from dangjian.evaluation.models import Period
    from dangjian.evaluation.selectors import mobilisation
    from dangjian.resources.models import Resource

    venue = Resource.objects.create(org=tree["community"], title="社区党群服务中心", category="venue")
    Resource.objects.create(org=tree["community"], title="捐赠资金", category="funds")  # not a category that helps
    Resource.objects.create(org=tree["community"], title="停用的活动室", category="venue", is_active=False)
    p = Period.objects.create(kind="month", start=dt.date(2026, 7, 1), end=dt.date(2026, 7, 31))
    alert = Alert.objects.create(period=p, org=tree["branch_a"], rule="meetings_overdue", severity="bad", detail="x")
    assert mobilisation(officer, alert).resources == [venue]
    # No resource categories help with dues arrears: the resources app is not asked.
    arrears = Alert.objects.create(period=p, org=tree["branch_a"], rule="dues_arrears", severity="bad", detail="x")
    assert mobilisation(officer, arrears).resources == []

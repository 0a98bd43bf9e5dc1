import datetime as dt
import json

from django.utils import timezone

from dangjian.meetings.models import Appraisal, Meeting

from .conftest import held_meeting


def _post(client, url, payload):
    return client.post(url, json.dumps(payload, default=str), content_type="application/json")


def test_api_scope(as_secretary_b, as_anonymous, tree, member_a):
    m = held_meeting(tree["branch_a"], timezone.localdate(), present=[member_a])
    assert as_secretary_b.get(f"/api/meetings/{m.pk}").status_code == 404
    assert as_secretary_b.get(f"/api/meetings/{m.pk}/attendance").status_code == 404
    assert as_anonymous.get(f"/api/meetings/{m.pk}").status_code == 401
    assert as_anonymous.get("/api/meetings").status_code == 401
    assert as_secretary_b.get("/api/meetings").json() == []
    assert all(r["org_id"] != tree["branch_a"].pk for r in as_secretary_b.get("/api/meetings/compliance").json())
    planned = {"org_id": tree["branch_a"].pk, "meeting_type": "theme_day", "starts_at": timezone.now().isoformat(),
               "place": "室", "topic": "x"}
    assert _post(as_secretary_b, "/api/meetings", planned).status_code == 404
    assert _post(as_secretary_b, f"/api/meetings/{m.pk}/hold", {"minutes": "x", "attendance": []}).status_code == 404
    assert _post(as_secretary_b, "/api/meetings/appraisals",
                 {"member_id": member_a.pk, "year": 2024, "outcome": "qualified"}).status_code == 404
    assert Meeting.objects.count() == 1 and not Appraisal.objects.exists()


def test_api_plan_hold_record_and_read(as_secretary_a, tree, member_a):
    now = timezone.now()
    planned = {"org_id": tree["branch_a"].pk, "meeting_type": "lecture", "starts_at": now.isoformat(),
               "place": "会议室", "topic": "党课", "host_id": member_a.pk}
    response = _post(as_secretary_a, "/api/meetings", planned)
    assert response.status_code == 201 and response.json()["state"] == "planned"
    mid = response.json()["id"]
    bad = _post(as_secretary_a, f"/api/meetings/{mid}/hold",
                {"minutes": "x", "attendance": [{"member_id": member_a.pk, "status": "leave"}]})
    assert bad.status_code == 400 and "请假原因" in bad.json()["detail"]
    ok = _post(as_secretary_a, f"/api/meetings/{mid}/hold",
               {"minutes": "x", "attendance": [{"member_id": member_a.pk, "status": "present"}]})
    assert ok.status_code == 200 and ok.json()["state"] == "held"
    assert as_secretary_a.get(f"/api/meetings/{mid}/attendance").json()[0]["status"] == "present"
    recorded = dict(planned, meeting_type="theme_day", minutes="纪要",
                    attendance=[{"member_id": member_a.pk, "status": "present"}])
    assert _post(as_secretary_a, "/api/meetings", recorded).json()["state"] == "held"
    assert len(as_secretary_a.get("/api/meetings?state=held").json()) == 2
    comp = as_secretary_a.get(f"/api/meetings/compliance?org_id={tree['branch_a'].pk}").json()
    assert comp[0]["org_id"] == tree["branch_a"].pk and comp[0]["types"]


def test_api_appraisals_and_warnings(as_secretary_a, tree, member_a):
    held_meeting(tree["branch_a"], timezone.localdate() - dt.timedelta(days=200), present=[member_a])
    warnings = as_secretary_a.get("/api/meetings/life-warnings").json()
    assert warnings[0]["member_id"] == member_a.pk and warnings[0]["level"] == "limit"
    year = timezone.localdate().year
    bad = _post(as_secretary_a, "/api/meetings/appraisals", {"member_id": member_a.pk, "year": year, "outcome": "basic"})
    assert bad.status_code == 400 and "理由" in bad.json()["detail"]
    ok = _post(as_secretary_a, "/api/meetings/appraisals",
               {"member_id": member_a.pk, "year": year, "outcome": "basic", "reason": "参加组织生活不够经常"})
    assert ok.status_code == 201
    assert as_secretary_a.get(f"/api/meetings/appraisals?year={year}").json()[0]["outcome"] == "basic"

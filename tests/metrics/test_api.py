"""GET /api/metrics/ and /api/metrics/{code}/breakdown: scoped, paged, adding up to the snapshot's figure."""

import datetime as dt

from dangjian.evaluation.models import IndicatorValue
from tests.conftest import client_for
from tests.evaluation.conftest import AFTER_Q3, Q3, appeal, due, meeting, members

END = dt.date(2026, 9, 30)


def _url(code, org, **extra):
    params = {"org": org.pk, "start": Q3.isoformat(), "end": END.isoformat(), **extra}
    return f"/api/metrics/{code}/breakdown?" + "&".join(f"{k}={v}" for k, v in params.items())


def test_list_names_every_registered_metric(officer):
    rows = client_for(officer).get("/api/metrics/").json()
    by_code = {r["code"]: r for r in rows}
    assert by_code["dues_on_time_rate"] == {"code": "dues_on_time_rate", "name": "党费按月交纳率", "unit": "%",
                                            "kind": "rate", "app": "dues", "higher_is_better": True}
    assert by_code["dues_collected"]["kind"] == "sum" and by_code["meetings_held"]["kind"] == "count"


def test_breakdown_adds_up_to_the_snapshot_and_lists_the_unpaid_month(tree, officer, compute):
    a = members(tree["branch_a"], 2)
    due(a[0], dt.date(2026, 7, 1), paid_on=dt.date(2026, 7, 20))
    due(a[1], dt.date(2026, 7, 1), paid_on=dt.date(2026, 8, 2))  # paid after the month's end
    due(a[0], dt.date(2026, 8, 1))  # never paid
    period = compute(today=AFTER_Q3)
    snap = IndicatorValue.objects.get(period=period, org=tree["community"], indicator__code="dues_on_time_rate")
    body = client_for(officer).get(_url("dues_on_time_rate", tree["community"])).json()
    assert (body["numerator"], body["denominator"], body["count"]) == (1, 3, 3)
    assert body["value"] == snap.value == 1 / 3
    assert sum(r["numerator"] for r in body["records"]) == body["numerator"]
    assert sum(r["denominator"] for r in body["records"]) == body["denominator"]
    assert sorted(m["date"] for m in body["missing"]) == ["2026-07-01", "2026-08-01"]
    assert all(r["url"].startswith("/dues/due/") for r in body["records"])


def test_records_are_paged_and_the_count_is_the_total(tree, officer):
    a = members(tree["branch_a"], 5)
    meeting(tree["branch_a"], dt.date(2026, 7, 10), present=a[:3], absent=a[3:])
    client = client_for(officer)
    first = client.get(_url("meeting_attendance_rate", tree["branch_a"], limit=2)).json()
    rest = client.get(_url("meeting_attendance_rate", tree["branch_a"], limit=2, offset=2)).json()
    assert first["count"] == rest["count"] == 5
    assert len(first["records"]) == 2 and len(rest["records"]) == 2
    assert not {r["id"] for r in first["records"]} & {r["id"] for r in rest["records"]}
    assert client.get(_url("meeting_attendance_rate", tree["branch_a"], limit=10_001)).status_code == 400
    default = client.get(_url("meeting_attendance_rate", tree["branch_a"])).json()
    assert len(default["records"]) == 5 and default["value"] == 0.6


def test_outside_scope_and_unknown_metric_answer_404(tree, secretary_b):
    appeal(tree["community"], dt.date(2026, 7, 3))
    client = client_for(secretary_b)
    assert client.get(_url("appeal_response_rate", tree["branch_a"])).status_code == 404
    assert client.get(_url("appeal_response_rate", tree["community"])).status_code == 404
    assert client.get(_url("no_such_metric", tree["branch_b"])).status_code == 404
    assert client.get(_url("appeal_response_rate", tree["branch_b"])).status_code == 200

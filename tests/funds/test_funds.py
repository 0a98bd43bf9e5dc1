"""The activity funds ledger (issue 12): recorded once by the organisation, seen through the one scoping
selector, every write audited, and the same money in the list, the API, the metric and its records."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.core import metrics
from dangjian.funds.models import Spending
from tests.conftest import client_for
from tests.dbstate import unchanged
from tests.evaluation.conftest import meeting, members

pytestmark = pytest.mark.django_db
NOBODYS = 987654321


def _form(org, **over):
    return {"org": org.pk, "spent_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(), "amount": "350.50",
            "source": "dues", "purpose": "党课学习资料印制", **over}


def test_the_secretary_records_a_spending_on_the_page_and_it_is_audited(as_secretary_a, tree):
    r = as_secretary_a.post("/funds/new/", _form(tree["branch_a"]))
    assert r.status_code == 302
    s = Spending.objects.get()
    assert (s.org, s.amount, s.source, s.purpose) == (tree["branch_a"], Decimal("350.50"), "dues", "党课学习资料印制")
    entry = AuditEntry.objects.filter(action="create", target_type="funds.Spending").get()
    assert entry.changes["amount"][1] == "350.50"
    page = as_secretary_a.get(r["Location"]).content.decode()
    assert "党课学习资料印制" in page and "党费下拨" in page and "350.50" in page
    listing = as_secretary_a.get("/funds/").content.decode()
    assert "党课学习资料印制" in listing and "所列记录合计：350.50 元" in listing


def test_another_branch_sees_nothing_and_cannot_write(as_secretary_a, as_secretary_b, tree):
    as_secretary_a.post("/funds/new/", _form(tree["branch_a"]))
    s = Spending.objects.get()
    assert as_secretary_b.get(f"/funds/{s.pk}/").status_code == 404
    assert "党课学习资料印制" not in as_secretary_b.get("/funds/").content.decode()
    with unchanged(s):
        assert as_secretary_b.post(f"/funds/{s.pk}/", {**_form(tree["branch_a"]), "amount": "1"}).status_code == 404
    for org in (tree["branch_b"].pk, NOBODYS):
        assert as_secretary_a.post("/funds/new/", {**_form(tree["branch_a"]), "org": org}).status_code == 404
    assert Spending.objects.count() == 1


@pytest.mark.parametrize("field, value, message", [
    ("amount", "-5", "金额须大于零"),
    ("amount", "0", "金额须大于零"),
    ("amount", "12.345", "两位小数"),
    ("amount", "一百", "以元为单位的数字"),
    ("purpose", "  ", "用途"),
])
def test_bad_input_gets_a_chinese_message_and_writes_nothing(as_secretary_a, tree, field, value, message):
    audits = AuditEntry.objects.count()
    r = as_secretary_a.post("/funds/new/", _form(tree["branch_a"], **{field: value}))
    assert r.status_code == 400 and message in r.content.decode()
    assert not Spending.objects.exists() and AuditEntry.objects.count() == audits


def test_the_date_cannot_be_after_today_but_today_is_fine(as_secretary_a, tree):
    today = timezone.localdate()
    r = as_secretary_a.post("/funds/new/", _form(tree["branch_a"], spent_on=(today + dt.timedelta(days=1)).isoformat()))
    assert r.status_code == 400 and "日期不能晚于今天" in r.content.decode()
    assert as_secretary_a.post("/funds/new/", _form(tree["branch_a"], spent_on=today.isoformat())).status_code == 302


def test_linked_meeting_must_be_the_organisations_own_and_its_page_lists_the_money(as_secretary_a, officer, tree):
    day = timezone.localdate() - dt.timedelta(days=10)
    own = meeting(tree["branch_a"], day, present=members(tree["branch_a"], 1), mtype="lecture")
    other = meeting(tree["branch_b"], day, present=members(tree["branch_b"], 1), mtype="lecture")
    as_officer = client_for(officer)
    r = as_officer.post("/funds/new/", _form(tree["branch_a"], meeting=other.pk))
    assert r.status_code == 400 and "本组织的会议" in r.content.decode()
    assert not Spending.objects.exists()
    assert as_secretary_a.post("/funds/new/", _form(tree["branch_a"], meeting=own.pk)).status_code == 302
    page = as_secretary_a.get(f"/meetings/{own.pk}/").content.decode()
    assert "用于此项的活动经费" in page and "党课学习资料印制" in page and "350.50" in page


def test_a_correction_changes_the_record_and_the_audit_keeps_before_and_after(as_secretary_a, tree):
    as_secretary_a.post("/funds/new/", _form(tree["branch_a"]))
    s = Spending.objects.get()
    r = as_secretary_a.post(f"/funds/{s.pk}/", {k: v for k, v in _form(tree["branch_a"], amount="305.50").items()
                                                if k != "org"})
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.amount == Decimal("305.50")
    entry = AuditEntry.objects.filter(action="update", target_type="funds.Spending").get()
    assert entry.changes["amount"] == ["350.50", "305.50"]


def test_api_records_reads_corrects_and_totals_like_the_metric(tree, officer, secretary_b):
    api = client_for(officer)
    day = dt.date(2026, 7, 15)
    body = {"org_id": tree["branch_a"].pk, "spent_on": day.isoformat(), "amount": "1200.00",
            "purpose": "主题党日活动租车", "source": "budget"}
    r = api.post("/api/funds/spendings", body, content_type="application/json")
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    api.post("/api/funds/spendings", {**body, "org_id": tree["branch_b"].pk, "amount": "300.00"},
             content_type="application/json")
    bad = api.post("/api/funds/spendings", {**body, "source": "bribe"}, content_type="application/json")
    assert bad.status_code == 400 and "经费来源" in bad.json()["detail"]
    assert Spending.objects.count() == 2
    assert client_for(secretary_b).get(f"/api/funds/spendings/{sid}").status_code == 404
    r = api.patch(f"/api/funds/spendings/{sid}", {"amount": "1100.00"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["amount"] == "1100.00"
    assert AuditEntry.objects.filter(action="update", target_type="funds.Spending").count() == 1
    start, end = dt.date(2026, 7, 1), dt.date(2026, 9, 30)
    total = api.get(f"/api/funds/total?org_id={tree['community'].pk}&start={start}&end={end}").json()
    assert Decimal(total["amount"]) == Decimal("1400.00") and total["count"] == 2
    assert metrics.metric_value("activity_funds_spent", org=tree["community"], start=start, end=end) == 1400.0
    bd = api.get(f"/api/metrics/activity_funds_spent/breakdown?org={tree['branch_a'].pk}&start={start}&end={end}").json()
    assert bd["value"] == 1100.0 and [r["numerator"] for r in bd["records"]] == [1100.0]
    assert bd["records"][0]["url"] == f"/funds/{sid}/"
    # Outside the period, nothing.
    assert metrics.metric_value("activity_funds_spent", org=tree["community"], start=dt.date(2026, 10, 1),
                                end=dt.date(2026, 12, 31)) == 0.0

import datetime as dt
import json

from dangjian.dues.models import Payment
from tests.dues.conftest import make_due, months_ago


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_anonymous_gets_401(as_anonymous):
    assert as_anonymous.get("/api/dues/ledger").status_code == 401
    assert _post(as_anonymous, "/api/dues/payments", {}).status_code == 401


def test_ledger_scoped(as_secretary_a, as_secretary_b, member_a):
    make_due(member_a, dt.date(2025, 3, 1))
    assert as_secretary_a.get("/api/dues/ledger").json()["count"] == 1
    assert as_secretary_b.get("/api/dues/ledger").json()["count"] == 0


def test_pay_and_refuse_the_second(as_secretary_a, member_a):
    due = make_due(member_a, dt.date(2025, 3, 1))
    body = {"due": due.pk, "amount": "10.00", "paid_on": "2025-03-05"}
    first = _post(as_secretary_a, "/api/dues/payments", body)
    assert first.status_code == 201 and first.json()["paid"] is True
    second = _post(as_secretary_a, "/api/dues/payments", body)
    assert second.status_code == 400 and "不能重复缴纳" in second.json()["detail"]


def test_negative_amount_is_400(as_secretary_a, member_a):
    due = make_due(member_a, dt.date(2025, 3, 1))
    response = _post(as_secretary_a, "/api/dues/payments", {"due": due.pk, "amount": "-1", "paid_on": "2025-03-05"})
    assert response.status_code == 400 and response.json()["detail"] == "缴纳金额须大于零"


def test_outsider_gets_404(tree, as_secretary_b, member_a):
    due = make_due(member_a, dt.date(2025, 3, 1))
    assert _post(as_secretary_b, "/api/dues/payments",
                 {"due": due.pk, "amount": "10.00", "paid_on": "2025-03-05"}).status_code == 404
    assert _post(as_secretary_b, "/api/dues/ledger/generate",
                 {"org": tree["branch_a"].pk, "month": "2025-03"}).status_code == 404
    assert as_secretary_b.get(f"/api/dues/ledger?org={tree['branch_a'].pk}").status_code == 404
    assert as_secretary_b.put(f"/api/dues/bases/{member_a.pk}", json.dumps({"monthly_base": "3000"}),
                              content_type="application/json").status_code == 404
    assert not Payment.objects.exists()


def test_batch_all_or_nothing(as_secretary_a, member_a, tree):
    from tests.factories import MemberFactory

    d1 = make_due(member_a, dt.date(2025, 3, 1))
    d2 = make_due(MemberFactory(org=tree["branch_a"]), dt.date(2025, 3, 1))
    rows = [{"due": d1.pk, "amount": "10.00", "paid_on": "2025-03-05"},
            {"due": d2.pk, "amount": "0", "paid_on": "2025-03-05"}]
    response = _post(as_secretary_a, "/api/dues/payments/batch", {"rows": rows})
    assert response.status_code == 400 and "2" in response.json()["errors"]
    assert not Payment.objects.exists()
    rows[1]["amount"] = "10.00"
    assert _post(as_secretary_a, "/api/dues/payments/batch", {"rows": rows}).json() == {"recorded": 2}


def test_base_generate_arrears_summary(tree, as_secretary_a, member_a):
    from django.utils import timezone

    r = as_secretary_a.put(f"/api/dues/bases/{member_a.pk}", json.dumps({"monthly_base": "12000"}),
                           content_type="application/json")
    assert r.json()["amount"] == "240.00"
    month = months_ago(timezone.localdate(), 3)
    gen = _post(as_secretary_a, "/api/dues/ledger/generate", {"org": tree["branch_a"].pk, "month": f"{month:%Y-%m}"})
    assert gen.json()["created"] == 1
    arrears = as_secretary_a.get("/api/dues/arrears").json()
    assert arrears[0]["member_name"] == "张建国"
    assert as_secretary_a.get(f"/api/dues/summary?year={month.year}").json()[0]["due_total"] == "240.00"

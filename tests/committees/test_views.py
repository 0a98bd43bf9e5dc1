import datetime as dt
import io
import json

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.audit.models import AuditEntry
from dangjian.committees import services
from dangjian.committees.models import Term
from dangjian.committees.todo import todo_items as committees_todo
from tests.dbstate import unchanged
from tests.factories import UserFactory

from .conftest import term_args


def _term(tree, secretary_a, crew, start=dt.date(2023, 6, 1)):
    return services.term_record(by=secretary_a, **term_args(tree["branch_a"], crew, start=start, elected_on=start))


def test_outsider_404_and_anonymous_login(as_secretary_b, as_anonymous, tree, secretary_a, crew):
    term = _term(tree, secretary_a, crew)
    urls = [reverse("committees:org", args=[tree["branch_a"].pk]), reverse("committees:term_new", args=[tree["branch_a"].pk]),
            reverse("committees:list") + f"?org={tree['branch_a'].pk}"]
    for url in urls:
        assert as_secretary_b.get(url).status_code == 404, url
        response = as_anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    with unchanged():
        assert as_secretary_b.post(urls[1], {}).status_code == 404
    assert tree["branch_a"].name not in as_secretary_b.get(reverse("committees:list")).content.decode()
    api = "/api/committees"
    assert as_secretary_b.get(f"{api}/terms/{term.pk}").status_code == 404
    assert as_anonymous.get(f"{api}/terms/{term.pk}").status_code == 401
    assert as_secretary_b.get(f"{api}/terms").json() == []
    payload = {"org_id": tree["branch_a"].pk, "start": "2024-01-01", "elected_on": "2024-01-01", "method": "equal",
               "eligible_voters": 5, "voters_present": 5, "seats": [{"member_id": crew[0].pk, "position": "secretary"}]}
    with unchanged():
        assert as_secretary_b.post(f"{api}/terms", json.dumps(payload), content_type="application/json").status_code == 404
    assert Term.objects.count() == 1


def test_list_detail_and_export(as_secretary_a, tree, secretary_a, crew):
    _term(tree, secretary_a, crew)
    page = as_secretary_a.get(reverse("committees:list")).content.decode()
    assert tree["branch_a"].name in page and "2028-06-01" in page  # a community branch: 5 years
    assert "<th>组织</th><th>党员数</th>" in page  # a count, not the roster (党员名册)
    detail = as_secretary_a.get(reverse("committees:org", args=[tree["branch_a"].pk])).content.decode()
    assert crew[0].name in detail
    assert "<dt>党员数</dt>" in detail and "<th>姓名</th>" in detail  # a person's name, not 名称
    response = as_secretary_a.get(reverse("committees:list") + "?export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("组织", "组织类型", "党员数")
    assert [r[0] for r in rows[1:]] == [tree["branch_a"].name]
    assert AuditEntry.objects.filter(action="export").count() == 1


def test_record_a_term_through_the_form(as_secretary_a, tree, crew):
    url = reverse("committees:term_new", args=[tree["branch_a"].pk])
    data = {"elected_on": "2024-03-01", "start": "2024-03-01", "method": "competitive", "eligible_voters": 5,
            "candidates": 2, "voters_present": 4, "seat0_member": crew[0].pk, "seat0_position": "secretary", "seat0_votes": 4}
    for i in range(1, 9):
        data[f"seat{i}_position"] = "member"
    page = as_secretary_a.post(url, data)
    assert page.status_code == 200 and "五分之四" in page.content.decode() and not Term.objects.exists()
    data["voters_present"] = 5
    assert as_secretary_a.post(url, data).status_code == 302
    assert Term.objects.get().end == dt.date(2029, 3, 1)  # a community branch: 5 years


def test_api_create_and_read(as_secretary_a, tree, crew):
    payload = {"org_id": tree["branch_a"].pk, "start": "2024-01-01", "elected_on": "2024-01-01", "method": "equal",
               "eligible_voters": 5, "voters_present": 5, "candidates": 2,
               "seats": [{"member_id": crew[0].pk, "position": "secretary", "votes": 5},
                         {"member_id": crew[1].pk, "position": "member", "duty": "propaganda", "votes": 3}]}
    response = as_secretary_a.post("/api/committees/terms", json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["end"] == "2029-01-01" and len(body["seats"]) == 2 and body["candidates"] == 2
    assert as_secretary_a.get(f"/api/committees/terms/{body['id']}").json()["seats"][1]["duty"] == "propaganda"
    orgs = {r["org_id"]: r for r in as_secretary_a.get("/api/committees/orgs").json()}
    assert orgs[tree["branch_a"].pk]["flag"] == "secretary_only"
    payload["start"] = payload["elected_on"] = "2025-01-01"
    payload["voters_present"] = 4
    bad = as_secretary_a.post("/api/committees/terms", json.dumps(payload), content_type="application/json")
    assert bad.status_code == 400 and "五分之四" in bad.json()["detail"]


def test_todo_warns_six_months_before_and_after(secretary_a, secretary_b, tree, crew):
    today = timezone.localdate()
    start = today - dt.timedelta(days=365 * 5 - 30)  # a community branch's 5-year term ends in about a month
    _term(tree, secretary_a, crew, start=start)
    items = committees_todo(secretary_a)
    assert len(items) == 1 and items[0].severity in ("warn", "bad") and tree["branch_a"].name in items[0].title
    assert committees_todo(secretary_b) == []


def test_rules_page(as_officer, tree):
    assert as_officer.get(reverse("committees:rules")).status_code == 404
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True))
    page = admin.get(reverse("committees:rules"))
    assert page.status_code == 200 and "<th>组织类型</th>" in page.content.decode()
    from dangjian.committees.models import TermRule

    rule = TermRule.objects.get(kind="branch")
    assert admin.post(reverse("committees:rules"), {"rule": rule.pk, "years": 4}).status_code == 302
    rule.refresh_from_db()
    assert (rule.years, rule.default_years) == (4, 3)

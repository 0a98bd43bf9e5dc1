"""Responsibility lists: templates issued in one action, quantitative items from records, ratings by the superior."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.duty import selectors, services
from dangjian.duty.models import DutyList
from dangjian.duty.todo import todo_items as duty_todo
from tests.meetings.conftest import held_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(tree, officer):
    t = services.template_create(by=officer, org=tree["street"], year=timezone.localdate().year, title="支部书记抓党建责任清单",
                                 org_kind="branch")
    services.template_item_add(by=officer, template=t, title="按期召开组织生活会议", kind="quantitative",
                               metric_code="meetings_held", target_value=Decimal(4), points=40)
    services.template_item_add(by=officer, template=t, title="落实意识形态工作责任", kind="qualitative", points=60)
    assert services.template_issue(by=officer, template=t) == 2
    return t


def test_template_issued_to_every_branch_in_one_action(issued, tree):
    lists = DutyList.objects.filter(template=issued).order_by("org__path")
    assert [dl.org for dl in lists] == [tree["branch_a"], tree["branch_b"]]
    assert all(dl.items.count() == 2 for dl in lists)
    assert AuditEntry.objects.filter(action="transition", target_type="duty.DutyTemplate").get().changes == {"issued_to": [None, 2]}


def test_issue_twice_and_edit_after_issue_refused(issued, officer):
    with pytest.raises(ValidationError, match="已下发"):
        services.template_issue(by=officer, template=issued)
    with pytest.raises(ValidationError, match="已下发"):
        services.template_item_add(by=officer, template=issued, title="x", kind="qualitative")


def test_quantitative_item_follows_recorded_meetings(issued, tree, officer):
    dl = DutyList.objects.get(template=issued, org=tree["branch_a"])
    scores, total = selectors.list_scores(dl)
    assert scores[0].value == 0 and scores[0].score == 0 and total is None  # qualitative item unrated
    held_meeting(tree["branch_a"], timezone.localdate())
    held_meeting(tree["branch_a"], timezone.localdate())
    scores, _ = selectors.list_scores(dl)
    assert scores[0].value == 2 and scores[0].score == 20.0
    services.duty_item_rate(by=officer, item=dl.items.get(kind="qualitative"), rating=Decimal(45), reason="责任落实较好")
    _, total = selectors.list_scores(dl)
    assert total == 65.0


def test_meetings_of_last_year_do_not_count(issued, tree):
    dl = DutyList.objects.get(template=issued, org=tree["branch_a"])
    held_meeting(tree["branch_a"], dt.date(dl.year - 1, 12, 31))
    assert selectors.list_scores(dl)[0][0].value == 0
    held_meeting(tree["branch_a"], dt.date(dl.year, 1, 1))
    assert selectors.list_scores(dl)[0][0].value == 1


def test_rating_rules(issued, tree, officer, secretary_a, secretary_b):
    dl = DutyList.objects.get(template=issued, org=tree["branch_a"])
    q = dl.items.get(kind="qualitative")
    with pytest.raises(ValidationError, match="上级"):
        services.duty_item_rate(by=secretary_a, item=q, rating=Decimal(60), reason="自评满分")
    with pytest.raises(Http404):
        services.duty_item_rate(by=secretary_b, item=q, rating=Decimal(60), reason="x")
    with pytest.raises(ValidationError, match="0 到 60"):
        services.duty_item_rate(by=officer, item=q, rating=Decimal(61), reason="x")
    with pytest.raises(ValidationError, match="理由"):
        services.duty_item_rate(by=officer, item=q, rating=Decimal(50), reason=" ")
    with pytest.raises(ValidationError, match="自动计分"):
        services.duty_item_rate(by=officer, item=dl.items.get(kind="quantitative"), rating=Decimal(1), reason="x")


def test_quantitative_item_needs_metric_and_target(tree, secretary_a):
    dl = services.duty_list_create(by=secretary_a, org=tree["branch_a"], year=2026, title="书记个人清单", role="书记")
    with pytest.raises(ValidationError) as e:
        services.duty_item_add(by=secretary_a, duty_list=dl, title="x", kind="quantitative", metric_code="", target_value=None)
    assert set(e.value.message_dict) == {"metric_code", "target_value"}
    services.duty_item_add(by=secretary_a, duty_list=dl, title="办结诉求", kind="quantitative",
                           metric_code="appeals_resolved", target_value=Decimal(10), points=20)


def test_todo_for_superior(issued, officer, secretary_a):
    assert len(duty_todo(officer)) == 2 and duty_todo(secretary_a) == []


def test_pages_scope_and_export(issued, tree, as_secretary_a, as_secretary_b, as_officer, as_anonymous, as_member):
    dl = DutyList.objects.get(template=issued, org=tree["branch_a"])
    assert "按期召开组织生活会议" in as_secretary_a.get(reverse("duty:detail", args=[dl.pk])).content.decode()
    for c in (as_secretary_b, as_member):
        assert c.get(reverse("duty:detail", args=[dl.pk])).status_code == 404
        assert c.get(f"/api/duty/{dl.pk}").status_code == 404
    assert as_secretary_a.get(reverse("duty:templates")).status_code == 404  # no ASSESS
    assert as_anonymous.get(reverse("duty:list")).status_code == 302
    assert as_anonymous.get("/api/duty").status_code == 401
    r = as_officer.post(reverse("duty:rate", args=[dl.items.get(kind="qualitative").pk]), {"rating": "30", "reason": "一般"})
    assert r.status_code == 302
    data = as_officer.get(f"/api/duty/{dl.pk}").json()
    assert data["total"] == 30.0 and data["items"][1]["source"] == "上级评价：一般"
    r = as_officer.get(reverse("duty:list") + "?export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    r = as_secretary_a.post(f"/api/duty/items/{dl.items.get(kind='qualitative').pk}/rate",
                            '{"rating": 60, "reason": "x"}', content_type="application/json")
    assert r.status_code == 400


def test_template_pages(as_officer, tree):
    r = as_officer.post(reverse("duty:templates"), {"org": tree["street"].pk, "year": 2026, "title": "模板", "org_kind": "branch"})
    assert r.status_code == 302
    r = as_officer.post(r["Location"], {"issue": "1"})
    assert "模板没有责任事项" in r.content.decode()


def test_bulk_values_match_per_item_and_query_count_is_flat(tree, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_org

    for i in range(5):
        make_org(parent=tree["community"], kind="branch", name=f"支部{i}")
    t = services.template_create(by=officer, org=tree["street"], year=timezone.localdate().year, title="清单", org_kind="branch")
    services.template_item_add(by=officer, template=t, title="会议", kind="quantitative", metric_code="meetings_held",
                               target_value=Decimal(4), points=50)
    services.template_item_add(by=officer, template=t, title="诉求", kind="quantitative", metric_code="appeals_resolved",
                               target_value=Decimal(4), points=50)
    services.template_issue(by=officer, template=t)
    held_meeting(tree["branch_a"], timezone.localdate())
    held_meeting(tree["branch_b"], timezone.localdate())
    lists = list(DutyList.objects.prefetch_related("items").select_related("org"))
    with CaptureQueriesContext(connection) as ctx:
        values = selectors.bulk_values(lists)
    assert len(ctx.captured_queries) == 4  # (metric grouped query + paths) × two metrics, whatever the number of lists
    for dl in lists:
        assert [s.value for s in selectors.list_scores(dl, values=values)[0]] == \
               [s.value for s in selectors.list_scores(dl)[0]]
    assert values[("meetings_held", tree["branch_a"].pk)] == 1

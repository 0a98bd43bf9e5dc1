"""Matching, appeals to needs, partner evaluation, pages and API scope."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.resources import selectors, services
from dangjian.resources.models import Category, Evaluation, Need, Resource
from tests.appeals.helpers import submit
from tests.dbstate import unchanged
from tests.factories import make_org
from tests.resources.conftest import at


@pytest.fixture
def offers(tree, officer, venue):
    community, branch_b = tree["community"], tree["branch_b"]
    other_street = make_org(name="别的街道", kind="street")
    far = make_org(parent=other_street, name="别的社区", kind="community")
    return {
        "venue": venue,
        "small_hall": services.resource_create(by=officer, org=branch_b, title="二支部小会议室", category=Category.VENUE,
                                               place="和平里8号楼", capacity=10, bookable=True),
        "funds": services.resource_create(by=officer, org=community, title="社区共建基金", category=Category.FUNDS),
        "expired": services.resource_create(by=officer, org=community, title="临时场地", category=Category.VENUE,
                                            available_until=timezone.localdate()),
        "far": Resource.objects.create(org=far, title="别的社区礼堂", category=Category.VENUE, capacity=200),
    }


def test_suggestions_rank_by_category_place_capacity_and_exclude_others(tree, officer, offers):
    need = services.need_create(by=officer, org=tree["branch_a"], title="支部党员大会场地", category=Category.VENUE,
                                place="和平社区", needed_on=timezone.localdate() + dt.timedelta(days=3), people=30)
    got = [s.resource for s in selectors.suggest_resources(need)]
    assert got[0] == offers["venue"]  # same category, nearby, big enough
    assert offers["small_hall"] in got and got.index(offers["small_hall"]) > 0  # sibling, too small
    assert offers["far"] not in got  # another street's tree
    assert offers["expired"] not in got  # not available on the day (until today, needed in 3 days)
    assert offers["funds"] not in got  # nothing fits


def test_availability_boundary(tree, officer, offers):
    today = timezone.localdate()
    on_last_day = services.need_create(by=officer, org=tree["branch_a"], title="场地", category=Category.VENUE, needed_on=today)
    day_after = services.need_create(by=officer, org=tree["branch_a"], title="场地", category=Category.VENUE,
                                     needed_on=today + dt.timedelta(days=1))
    assert offers["expired"] in [s.resource for s in selectors.suggest_resources(on_last_day)]
    assert offers["expired"] not in [s.resource for s in selectors.suggest_resources(day_after)]


def test_booked_venue_ranks_lower_that_day(tree, officer, offers):
    day = (at(0, 9)).date()
    services.booking_create(by=officer, resource=offers["venue"], org=tree["branch_b"], starts_at=at(0, 9),
                            ends_at=at(0, 11), purpose="党课")
    need = services.need_create(by=officer, org=tree["branch_a"], title="活动场地", category=Category.VENUE, needed_on=day)
    reasons = {s.resource.pk: s.reasons for s in selectors.suggest_resources(need)}
    assert "当天已被预约" in reasons[offers["venue"].pk]


def test_need_from_appeal_once(tree, officer):
    appeal = submit(tree["community"], "楼道灯坏了好久，老人晚上出门不方便")
    need = services.need_from_appeal(by=officer, appeal=appeal)
    assert need.org == tree["community"] and need.source == Need.Source.RESIDENT and need.appeal == appeal
    with pytest.raises(ValidationError):
        services.need_from_appeal(by=officer, appeal=appeal)


def test_need_from_appeal_view(as_officer, as_secretary_b, tree):
    appeal = submit(tree["community"])
    with unchanged():
        assert as_secretary_b.post(f"/resources/needs/from-appeal/{appeal.pk}/").status_code == 404
    response = as_officer.post(f"/resources/needs/from-appeal/{appeal.pk}/")
    need = Need.objects.get(appeal=appeal)
    assert response.url == f"/resources/needs/{need.pk}/"
    # A second click lands on the same need.
    assert as_officer.post(f"/resources/needs/from-appeal/{appeal.pk}/").url == response.url


def test_project_and_delivery(tree, officer, offers):
    need = services.need_create(by=officer, org=tree["branch_a"], title="助老服务", category=Category.VOLUNTEER_TIME)
    with pytest.raises(ValidationError):
        services.project_create(by=officer, need=need, title="", resources=[])
    project = services.project_create(by=officer, need=need, title="", resources=[offers["venue"]])
    need.refresh_from_db()
    assert need.state == Need.State.MATCHED and project.title == "助老服务"
    with pytest.raises(ValidationError):
        services.delivery_record(by=officer, project=project, delivered_on=timezone.localdate(), description="上门",
                                 people_served=-1)
    services.delivery_record(by=officer, project=project, delivered_on=timezone.localdate(), description="上门理发",
                             people_served=12)
    assert project.deliveries.get().people_served == 12


@pytest.mark.parametrize(("score", "grade"), [(90, "excellent"), (89, "good"), (75, "good"), (74, "fair"),
                                              (60, "fair"), (59, "poor")])
def test_evaluation_grades(tree, officer, score, grade):
    partner = services.partner_create(by=officer, org=tree["community"], name=f"共建单位{score}")
    assert services.evaluation_record(by=officer, partner=partner, year=2025, score=score).grade == grade


def test_evaluation_bad_input(tree, officer, secretary_b):
    partner = services.partner_create(by=officer, org=tree["community"], name="区供电公司")
    for bad in (-1, 101):
        with pytest.raises(ValidationError):
            services.evaluation_record(by=officer, partner=partner, year=2025, score=bad)
    services.evaluation_record(by=officer, partner=partner, year=2025, score=80)
    with pytest.raises(ValidationError):
        services.evaluation_record(by=officer, partner=partner, year=2025, score=70)
    with pytest.raises(Http404):  # the community's partner is above the branch's scope
        services.evaluation_record(by=secretary_b, partner=partner, year=2024, score=70)
    assert Evaluation.objects.count() == 1


def test_bad_resource_and_need_input(tree, officer):
    with pytest.raises(ValidationError):
        services.resource_create(by=officer, org=tree["community"], title="x", category="nope")
    with pytest.raises(ValidationError):
        services.resource_create(by=officer, org=tree["community"], title="x", category=Category.VENUE, capacity=-1)
    with pytest.raises(ValidationError):
        services.need_create(by=officer, org=tree["community"], title=" ", category=Category.VENUE)


# ------------------------------------------------------------------ pages and scope


@pytest.fixture
def a_records(tree, officer, own_venue_a):
    need = services.need_create(by=officer, org=tree["branch_a"], title="一支部需求", category=Category.VENUE)
    project = services.project_create(by=officer, need=need, title="一支部项目", resources=[own_venue_a])
    partner = services.partner_create(by=officer, org=tree["branch_a"], name="一支部共建单位")
    return {"need": need, "project": project, "partner": partner, "resource": own_venue_a}


def test_outsider_gets_404(as_secretary_b, a_records):
    for url in (f"/resources/{a_records['resource'].pk}/", f"/resources/needs/{a_records['need'].pk}/",
                f"/resources/projects/{a_records['project'].pk}/", f"/resources/partners/{a_records['partner'].pk}/",
                f"/api/resources/needs/{a_records['need'].pk}/suggestions"):
        assert as_secretary_b.get(url).status_code == 404, url


def test_anonymous_redirected(as_anonymous, a_records):
    for url in ("/resources/", "/resources/needs/", "/resources/projects/", "/resources/partners/", "/resources/bookings/",
                f"/resources/needs/{a_records['need'].pk}/"):
        response = as_anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url
    assert as_anonymous.get("/api/resources/needs").status_code == 401


def test_lists_show_scope_only(as_secretary_b, as_secretary_a, a_records, venue):
    assert "一支部需求" not in as_secretary_b.get("/resources/needs/").content.decode()
    assert "一支部需求" in as_secretary_a.get("/resources/needs/").content.decode()
    # The community's venue is offered downward: both branches see it.
    assert venue.title in as_secretary_b.get("/resources/").content.decode()
    ids = [r["id"] for r in as_secretary_b.get("/api/resources/").json()["items"]]
    assert venue.pk in ids and a_records["resource"].pk not in ids


def test_member_without_work_rights_gets_404(as_member, a_records):
    assert as_member.get("/resources/needs/").status_code == 404


def test_export_is_audited(as_secretary_a, a_records):
    response = as_secretary_a.get("/resources/needs/?export=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action="export", target_repr="需求清单").exists()


def test_need_form_error_inline_and_create(as_secretary_a, tree):
    response = as_secretary_a.post("/resources/needs/new/", {"org": tree["branch_a"].pk, "title": "x", "category": "venue",
                                                             "source": "org", "people": -5})
    assert "人数不能为负数" in response.content.decode()
    response = as_secretary_a.post("/resources/needs/new/", {"org": tree["branch_a"].pk, "title": "活动室",
                                                             "category": "venue", "source": "org"})
    assert response.status_code == 302


def test_need_detail_starts_project(as_secretary_a, tree, officer, venue):
    need = services.need_create(by=officer, org=tree["branch_a"], title="支部活动场地", category=Category.VENUE)
    page = as_secretary_a.get(f"/resources/needs/{need.pk}/").content.decode()
    assert venue.title in page
    response = as_secretary_a.post(f"/resources/needs/{need.pk}/", {"title": "支部活动", "resources": [venue.pk]})
    assert response.status_code == 302
    assert need.projects.get().resources.get() == venue


def test_api_need_create_and_outsider(as_secretary_a, as_secretary_b, tree):
    body = {"org_id": tree["branch_a"].pk, "title": "API 需求", "category": "skill"}
    with unchanged(tree["branch_a"]):
        assert as_secretary_b.post("/api/resources/needs", body, content_type="application/json").status_code == 404
    response = as_secretary_a.post("/api/resources/needs", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["state"] == "open"
    bad = as_secretary_a.post("/api/resources/needs", {**body, "category": "x"}, content_type="application/json")
    assert bad.status_code == 400


def test_todo_unmatched_need_and_missing_evaluation(as_secretary_a, as_secretary_b, tree, officer):
    need = services.need_create(by=officer, org=tree["branch_a"], title="久未对接的需求", category=Category.SKILL)
    Need.objects.filter(pk=need.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    fresh = services.need_create(by=officer, org=tree["branch_a"], title="刚提出的需求", category=Category.SKILL)
    partner = services.partner_create(by=officer, org=tree["branch_a"], name="老共建单位",
                                      joined_on=dt.date(timezone.localdate().year - 1, 12, 31))
    services.partner_create(by=officer, org=tree["branch_a"], name="新共建单位",
                            joined_on=dt.date(timezone.localdate().year, 1, 1))
    home = as_secretary_a.get("/").content.decode()
    assert "久未对接的需求" in home and fresh.title not in home
    assert partner.name in home and "新共建单位" not in home
    assert "久未对接的需求" not in as_secretary_b.get("/").content.decode()


def test_labels_read_in_the_resources_own_words():
    """A resource's category is not a member's 党员类别; a closed need is 已关闭, not recruitment's 已终止."""
    assert str(Resource._meta.get_field("category").verbose_name) == "类别"
    assert str(Need._meta.get_field("category").verbose_name) == "类别"
    assert str(Need.State.CLOSED.label) == "已关闭"

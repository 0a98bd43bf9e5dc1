import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.grids import services
from dangjian.grids.models import GridConfig, Household, HouseholdLink, PlanKind, Visit
from dangjian.grids.selectors import grids_for, households_for, plan_progress
from dangjian.orgs.models import Member, Tag
from tests.dbstate import unchanged
from tests.factories import MemberFactory, make_org

pytestmark = pytest.mark.django_db


def test_grid_worker_sees_only_assigned_grid(grid_worker, community_secretary, grid1, grid2, house1, house2):
    assert list(grids_for(grid_worker)) == [grid1]
    assert list(households_for(grid_worker)) == [house1]
    assert set(grids_for(community_secretary)) == {grid1, grid2}
    assert set(households_for(community_secretary)) == {house1, house2}


def test_grid_staff_post_without_grant_gives_nothing(tree, grid1, secretary_b):
    from dangjian.grids.models import GridStaff

    GridStaff.objects.create(grid=grid1, user=secretary_b)
    assert not grids_for(secretary_b).exists()


def test_grid_pages_scope(as_grid_worker, as_secretary_b, as_anonymous, as_officer, grid1, grid2, house1):
    assert as_grid_worker.get(f"/grids/{grid1.pk}/").status_code == 200
    assert as_grid_worker.get(f"/grids/{grid2.pk}/").status_code == 404
    assert as_secretary_b.get(f"/grids/{grid1.pk}/").status_code == 404
    assert as_anonymous.get(f"/grids/{grid1.pk}/").status_code == 302
    page = as_officer.get(f"/grids/{grid1.pk}/").content.decode()
    assert "和平里3号楼2单元101" in page and "王秀英" not in page and "王**" in page
    listing = as_grid_worker.get("/grids/").content.decode()
    assert "和平里网格" in listing and "幸福苑网格" not in listing


def test_add_household_via_page_and_bad_input(as_grid_worker, grid1, grid2):
    r = as_grid_worker.post(f"/grids/{grid1.pk}/household/", {"address": "和平里8号楼101", "head_name": "刘芳",
                                                               "phone": "13800001111", "size": 2})
    assert r.status_code == 302
    h = Household.objects.get(address="和平里8号楼101")
    assert h.phone == "13800001111" and h.residents.count() == 1
    r = as_grid_worker.post(f"/grids/{grid1.pk}/household/", {"address": "", "head_name": "", "size": 2})
    assert r.status_code == 400 and "请填写住址" in r.content.decode()
    with unchanged():
        assert as_grid_worker.post(f"/grids/{grid2.pk}/household/", {"address": "x", "head_name": "y", "size": 1}).status_code == 404


def test_reveal_household_phone_is_audited(as_community, as_grid_worker, grid1):
    h = Household.objects.create(grid=grid1, address="和平里1号楼", head_name="李四", phone="13912345678")
    assert "139****5678" in as_community.get(f"/grids/{grid1.pk}/").content.decode()
    r = as_community.post(f"/grids/households/{h.pk}/reveal/phone/")
    assert "13912345678" in r.content.decode()
    assert AuditEntry.objects.filter(action="reveal", target_id=str(h.pk)).count() == 1
    # Grid workers have no REVEAL capability.
    with unchanged():
        assert as_grid_worker.post(f"/grids/households/{h.pk}/reveal/phone/").status_code == 404


def test_link_cap_at_boundary(community_secretary, tree, grid1):
    config = GridConfig.current()
    config.households_per_member = 2
    config.save()
    member = MemberFactory(org=tree["branch_a"])
    houses = [Household.objects.create(grid=grid1, address=f"和平里{i}号", head_name="甲") for i in range(3)]
    services.household_link(by=community_secretary, member=member, household=houses[0])
    services.household_link(by=community_secretary, member=member, household=houses[1])
    with pytest.raises(ValidationError) as exc:
        services.household_link(by=community_secretary, member=member, household=houses[2])
    assert exc.value.message_dict["member"] == [f"每名党员最多联系 2 户，{member.name} 已达上限"]
    with pytest.raises(ValidationError, match="已联系这一户"):
        services.household_link(by=community_secretary, member=member, household=houses[0])
    assert HouseholdLink.objects.filter(member=member).count() == 2


def test_link_member_from_other_community_refused(community_secretary, tree, grid1, house1):
    from tests.factories import make_org

    other = make_org(parent=tree["street"], name="别的社区", kind="community")
    stranger = MemberFactory(org=other)
    with pytest.raises(ValidationError, match="本社区"):
        services.household_link(by=community_secretary, member=stranger, household=house1)


def test_visit_recorded_once(as_grid_worker, grid1, house1):
    data = {"household": house1.pk, "visited_on": timezone.localdate().isoformat(), "summary": "了解用水情况"}
    assert as_grid_worker.post(f"/grids/{grid1.pk}/visit/", data).status_code == 302
    assert AuditEntry.objects.get(target_type="grids.Visit").target_repr == f"走访 {house1}"
    r = as_grid_worker.post(f"/grids/{grid1.pk}/visit/", data)
    assert r.status_code == 400 and "已经登记过" in r.content.decode()
    assert Visit.objects.count() == 1
    tomorrow = dict(data, visited_on=(timezone.localdate() + dt.timedelta(days=1)).isoformat())
    assert "不能晚于今天" in as_grid_worker.post(f"/grids/{grid1.pk}/visit/", tomorrow).content.decode()


def test_service_plan_progress_and_period_boundaries(community_secretary, tree):
    old = Tag.objects.get_or_create(name="老党员")[0]
    elder = MemberFactory(org=tree["branch_a"])
    elder.tags.add(old)
    young = MemberFactory(org=tree["branch_a"])
    plan = services.service_plan_create(by=community_secretary, org=tree["community"], kind=PlanKind.ELDERLY_VISIT,
                                        starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 9, 30))
    rows = plan_progress(plan)
    assert [r.member for r in rows] == [elder] and rows[0].done == 0
    for day in (dt.date(2026, 6, 30), dt.date(2026, 10, 1)):
        with pytest.raises(ValidationError, match="周期内"):
            services.visit_record(by=community_secretary, member=elder, plan=plan, visited_on=day, summary="送学上门")
    for day in (dt.date(2026, 7, 1), dt.date(2026, 9, 30)):
        services.visit_record(by=community_secretary, member=elder, plan=plan, visited_on=day, summary="送学上门")
    assert plan_progress(plan)[0].done == 2
    with pytest.raises(ValidationError, match="没有“老党员”标记"):
        services.visit_record(by=community_secretary, member=young, plan=plan, visited_on=dt.date(2026, 8, 1), summary="x")


def test_plan_pages_scope(as_community, as_secretary_b, as_anonymous, community_secretary, tree):
    plan = services.service_plan_create(by=community_secretary, org=tree["community"], kind=PlanKind.MIGRANT_CONTACT,
                                        starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31))
    assert as_community.get(f"/grids/plans/{plan.pk}/").status_code == 200
    assert as_secretary_b.get(f"/grids/plans/{plan.pk}/").status_code == 404
    assert as_anonymous.get(f"/grids/plans/{plan.pk}/").status_code == 302
    r = as_community.post("/grids/plans/", {"org": tree["community"].pk, "kind": "hardship_help",
                                            "starts_on": "2026-12-31", "ends_on": "2026-01-01", "visits_per_member": 1})
    assert r.status_code == 400 and "不能早于开始日期" in r.content.decode()


def test_grids_api_scope(grid_worker, secretary_b, grid1, grid2, house1, house2):
    from django.test import Client

    from dangjian.accounts.services import api_token_create

    _t, raw = api_token_create(user=grid_worker, name="t")
    c = Client(headers={"Authorization": f"Bearer {raw}"})
    assert [g["id"] for g in c.get("/api/grids/").json()] == [grid1.pk]
    assert c.get(f"/api/grids/{grid2.pk}/households").status_code == 404
    hs = c.get(f"/api/grids/{grid1.pk}/households").json()
    assert [h["id"] for h in hs] == [house1.pk] and hs[0]["head_name_masked"] == "王**"
    r = c.post(f"/api/grids/{grid1.pk}/households", {"address": "和平里9号", "head_name": "孙"}, content_type="application/json")
    assert r.status_code == 201
    with unchanged():
        assert c.post(f"/api/grids/{grid2.pk}/households", {"address": "x", "head_name": "y"}, content_type="application/json").status_code == 404
    assert Client().get("/api/grids/").status_code == 401
    _t, raw_b = api_token_create(user=secretary_b, name="t")
    assert Client(headers={"Authorization": f"Bearer {raw_b}"}).get(f"/api/grids/{grid1.pk}").status_code == 404


def test_links_api(community_secretary, tree, house1, house2):
    from django.test import Client

    from dangjian.accounts.services import api_token_create

    member = MemberFactory(org=tree["branch_a"])
    _t, raw = api_token_create(user=community_secretary, name="t")
    c = Client(headers={"Authorization": f"Bearer {raw}"})
    r = c.post("/api/grids/links", {"member_id": member.pk, "household_id": house1.pk}, content_type="application/json")
    assert r.status_code == 201
    assert [x["household_id"] for x in c.get("/api/grids/links").json()] == [house1.pk]


def test_grid_page_query_count_does_not_grow(as_community, tree, grid1, django_assert_max_num_queries):
    from tests.appeals.helpers import submit

    def add(n):
        for i in range(n):
            h = Household.objects.create(grid=grid1, address=f"和平里{i}号楼{n}", head_name="甲乙", phone="13800000000")
            Visit.objects.create(kind="household", org=tree["community"], grid=grid1, household=h,
                                 visited_on=timezone.localdate(), summary="走访")
            submit(tree["community"], address="和平里")

    add(2)
    with django_assert_max_num_queries(40) as small:
        as_community.get(f"/grids/{grid1.pk}/")
    add(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert as_community.get(f"/grids/{grid1.pk}/").status_code == 200


def test_appeal_list_query_count_does_not_grow(as_community, tree, grid1, django_assert_max_num_queries):
    from tests.appeals.helpers import submit

    submit(tree["community"], address="和平里")
    with django_assert_max_num_queries(40) as small:
        as_community.get("/appeals/")
    for _ in range(10):
        submit(tree["community"], address="和平里")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert as_community.get("/appeals/").status_code == 200


def test_create_grid_and_post_staff(as_community, as_grid_worker, community_secretary, grid_worker, tree, grid2):
    r = as_community.post("/grids/", {"org": tree["community"].pk, "name": "光明网格", "code": "G009", "keywords": "光明里"})
    assert r.status_code == 302
    r = as_community.post("/grids/", {"org": tree["community"].pk, "name": "重复", "code": "G009"})
    assert r.status_code == 400 and "已被使用" in r.content.decode()
    with pytest.raises(ValidationError, match="社区党组织"):
        services.grid_create(by=community_secretary, org=tree["branch_a"], name="x", code="G010")
    # A grid worker cannot post themselves to another grid, nor set up grids.
    with unchanged():
        assert as_grid_worker.post(f"/grids/{grid2.pk}/staff/", {"username": "gridder", "role": "leader"}).status_code == 404
    r = as_grid_worker.post("/grids/", {"org": tree["community"].pk, "name": "y", "code": "G011"})
    assert r.status_code == 400 and not services.Grid.objects.filter(code="G011").exists()
    r = as_community.post(f"/grids/{grid2.pk}/staff/", {"username": "gridder", "role": "staff"})
    assert r.status_code == 302
    assert as_grid_worker.get(f"/grids/{grid2.pk}/").status_code == 200
    r = as_community.post(f"/grids/{grid2.pk}/staff/", {"username": "nobody", "role": "staff"})
    assert r.status_code == 400 and "没有这个用户" in r.content.decode()


def test_resident_and_unlink(community_secretary, tree, house1):
    resident = services.resident_create(by=community_secretary, household=house1, name="王小明", phone="13600001111")
    assert resident.name_masked == "王**" and resident.phone_masked == "136****1111"
    with pytest.raises(ValidationError, match="请填写居民姓名"):
        services.resident_create(by=community_secretary, household=house1, name=" ")
    member = MemberFactory(org=tree["branch_a"])
    link = services.household_link(by=community_secretary, member=member, household=house1,
                                   since=dt.date(2026, 1, 10))
    with pytest.raises(ValidationError, match="不能早于开始日期"):
        services.household_unlink(by=community_secretary, link=link, on=dt.date(2026, 1, 9), reason="搬走")
    services.household_unlink(by=community_secretary, link=link, on=dt.date(2026, 1, 10), reason="搬走")
    with pytest.raises(ValidationError, match="已经结束"):
        services.household_unlink(by=community_secretary, link=link, reason="搬走")
    # Ended links free the slot: the same pair may be linked again.
    services.household_link(by=community_secretary, member=member, household=house1)


def test_labels_read_in_the_grids_own_words(as_community, grid1):
    """Django merges the catalogues: a grid's code is not an organisation's, a post is not an account role."""
    from dangjian.grids.models import Grid, GridStaff, Resident

    assert str(Grid._meta.get_field("code").verbose_name) == "编号"  # not 组织代码
    assert str(GridStaff._meta.get_field("role").verbose_name) == "岗位"  # not 角色
    assert str(Resident._meta.get_field("name").verbose_name) == "姓名"  # a person, not 名称
    assert str(Household._meta.get_field("phone").verbose_name) == "电话"
    assert "<th>编号</th>" in as_community.get("/grids/").content.decode()


def test_links_api_answers_alike_for_a_missing_member_and_one_of_another_community(community_secretary, tree, house1):
    """Issue 16 #14: 400 for an existing member elsewhere and 404 for none told which ids exist."""
    from django.test import Client

    from dangjian.accounts.services import api_token_create

    elsewhere = make_org(name="幸福社区党委", kind="community", code="C009", parent=tree["street"])
    stranger = MemberFactory(org=elsewhere)
    _t, raw = api_token_create(user=community_secretary, name="t")
    c = Client(headers={"Authorization": f"Bearer {raw}"})
    missing = Member.objects.order_by("-pk").first().pk + 1000
    answers = [c.post("/api/grids/links", {"member_id": pk, "household_id": house1.pk},
                      content_type="application/json") for pk in (stranger.pk, missing)]
    assert [r.status_code for r in answers] == [404, 404]
    assert answers[0].content == answers[1].content

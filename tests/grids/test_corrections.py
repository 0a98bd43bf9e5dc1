"""Grid corrections: a household's entry corrected, moved or marked entered in error; a resident
other than the head corrected or removed as entered in error; a grid's name, code or keywords
corrected; a grid deactivated only when empty and reactivated when deactivated by mistake; staff
taken off a grid; a member-household link ended.
Every one needs a reason, keeps what was there before on the record's page and is audited."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from dangjian.accounts.roles import Role
from dangjian.accounts.services import api_token_create
from dangjian.appeals.routing import route_to_grid
from dangjian.audit.models import AuditEntry
from dangjian.grids import services
from dangjian.grids.models import (
    Grid,
    GridChange,
    GridStaff,
    Household,
    HouseholdLink,
    HouseholdVersion,
    Resident,
    ResidentVersion,
    Visit,
)
from dangjian.grids.selectors import grid_overview, households_for
from tests.appeals.helpers import submit
from tests.conftest import client_for
from tests.dbstate import unchanged
from tests.factories import MemberFactory, UserFactory, grant, make_org

pytestmark = pytest.mark.django_db


def _api(user) -> Client:
    _t, raw = api_token_create(user=user, name="t")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def _audit(household):
    return AuditEntry.objects.filter(target_type="grids.Household", target_id=str(household.pk)).order_by("-id")


@pytest.fixture
def house(community_secretary, grid1):
    """Entered through the service, so the head's resident row exists as in real use."""
    return services.household_create(by=community_secretary, grid=grid1, address="和平里3号楼2单元101",
                                      head_name="王秀英", phone="13912345678", size=3, note="独居老人")


@pytest.fixture
def auditor(tree):
    user = UserFactory(username="auditor_c")
    grant(user, tree["community"], Role.AUDITOR)
    return user


# --- Correcting a household ------------------------------------------------------------


def test_correct_household_on_its_page_keeps_the_earlier_version(as_grid_worker, as_community, house):
    r = as_grid_worker.post(f"/grids/households/{house.pk}/correct/", {
        "fix-address": "和平里3号楼2单元102", "fix-head_name": "王秀云", "fix-phone": "", "fix-size": 2,
        "fix-note": "独居老人", "fix-reason": "门牌号和户主姓名录错"})
    assert r.status_code == 302 and r.url == f"/grids/households/{house.pk}/"
    house.refresh_from_db()
    assert (house.address, house.head_name, house.size, house.phone) == ("和平里3号楼2单元102", "王秀云", 2, "13912345678")
    version = house.versions.get()
    assert version.kind == "correct" and version.changed == ["address", "head_name", "size"]
    assert (version.address, version.head_name, version.size) == ("和平里3号楼2单元101", "王秀英", 3)
    # The head's own resident row follows.
    assert list(house.residents.values_list("name", flat=True)) == ["王秀云"]
    page = as_community.get(f"/grids/households/{house.pk}/").content.decode()
    assert "<s>和平里3号楼2单元101</s>" in page and "门牌号和户主姓名录错" in page and "<s>3</s>" in page
    # A household's address and phone (not the roster's 家庭住址, 手机号码); the change table like the meetings'.
    assert "<dt>地址</dt>" in page and "<dt>电话</dt>" in page
    assert "<th>修改类型</th><th>修改前</th><th>原因</th><th>经办人</th>" in page
    # Names stay masked, also in the earlier version.
    assert "王秀英" not in page and "王**" in page
    entry = _audit(house).first()
    assert entry.action == "update" and entry.changes["reason"] == [None, "门牌号和户主姓名录错"]
    assert entry.changes["address"] == ["和平里3号楼2单元101", "和平里3号楼2单元102"]
    assert entry.changes["head_name"] == ["••••", "••••"] and "size" in entry.changes


def test_correct_phone_and_remove_it(as_community, house):
    r = as_community.post(f"/grids/households/{house.pk}/correct/", {
        "fix-address": house.address, "fix-size": 3, "fix-note": house.note, "fix-phone": "13800001111",
        "fix-reason": "电话录错"})
    assert r.status_code == 302
    house.refresh_from_db()
    assert house.phone == "13800001111" and house.residents.get().phone == "13800001111"
    page = as_community.get(f"/grids/households/{house.pk}/").content.decode()
    assert "<s class=\"sensitive\">139****5678</s>" in page and "13912345678" not in page
    r = as_community.post(f"/grids/households/{house.pk}/correct/", {
        "fix-address": house.address, "fix-size": 3, "fix-note": house.note, "fix-clear_phone": "on",
        "fix-reason": "已停机"})
    house.refresh_from_db()
    assert r.status_code == 302 and house.phone == "" and house.phone_index == ""
    assert house.versions.count() == 2
    # The phone number is never written to the audit log.
    assert all("13800001111" not in json.dumps(e.changes) for e in _audit(house))


def test_correction_needs_a_reason_a_change_and_valid_values(as_community, house):
    base = {"fix-address": house.address, "fix-size": 3, "fix-note": house.note}
    r = as_community.post(f"/grids/households/{house.pk}/correct/", {**base, "fix-size": 4, "fix-reason": " "})
    assert r.status_code == 400 and "请填写更正原因" in r.content.decode()
    r = as_community.post(f"/grids/households/{house.pk}/correct/", {**base, "fix-reason": "核对"})
    assert r.status_code == 400 and "没有任何改动" in r.content.decode()
    r = as_community.post(f"/grids/households/{house.pk}/correct/",
                          {**base, "fix-size": 0, "fix-address": "", "fix-reason": "核对"})
    body = r.content.decode()
    assert r.status_code == 400 and "户内人数应在 1 到 30 之间" in body and "请填写住址" in body
    house.refresh_from_db()
    assert house.size == 3 and not house.versions.exists()
    assert not _audit(house).filter(action="update").exists()


def test_correction_scope(as_grid_worker, as_secretary_b, as_anonymous, as_member, house, house2):
    data = {"fix-address": "x号楼", "fix-size": 1, "fix-reason": "录错"}
    assert as_secretary_b.get(f"/grids/households/{house.pk}/").status_code == 404
    with unchanged():
        assert as_secretary_b.post(f"/grids/households/{house.pk}/correct/", data).status_code == 404
    with unchanged():
        assert as_member.post(f"/grids/households/{house.pk}/correct/", data).status_code == 404
    # A grid worker is posted to grid1 only.
    assert as_grid_worker.get(f"/grids/households/{house2.pk}/").status_code == 404
    with unchanged():
        assert as_grid_worker.post(f"/grids/households/{house2.pk}/correct/", data).status_code == 404
    assert as_anonymous.post(f"/grids/households/{house.pk}/correct/", data).status_code == 302
    house.refresh_from_db()
    assert house.address == "和平里3号楼2单元101" and not HouseholdVersion.objects.exists()


def test_correct_household_api(grid_worker, secretary_b, house, house2):
    c = _api(grid_worker)
    r = _post(c, f"/api/grids/households/{house.pk}/correct", {"size": 4, "reason": "新生儿"})
    assert r.status_code == 200 and r.json()["size"] == 4 and r.json()["head_name_masked"] == "王**"
    r = _post(c, f"/api/grids/households/{house.pk}/correct", {"size": 5})
    assert r.status_code == 400 and r.json()["errors"]["reason"] == ["请填写更正原因"]
    r = _post(c, f"/api/grids/households/{house.pk}/correct", {"size": 5, "reason": "x", "tags": "a"})
    assert r.status_code == 400 and "tags" in r.json()["errors"]
    versions = c.get(f"/api/grids/households/{house.pk}/versions").json()
    assert [(v["kind"], v["size"], v["changed"], v["reason"]) for v in versions] == [("correct", 3, ["size"], "新生儿")]
    assert versions[0]["phone_masked"] == "139****5678" and "phone" not in versions[0]
    assert _post(c, f"/api/grids/households/{house2.pk}/correct", {"size": 1, "reason": "x"}).status_code == 404
    assert _post(_api(secretary_b), f"/api/grids/households/{house.pk}/correct",
                 {"size": 1, "reason": "x"}).status_code == 404
    assert _api(secretary_b).get(f"/api/grids/households/{house.pk}/versions").status_code == 404
    assert _post(Client(), f"/api/grids/households/{house.pk}/correct", {"size": 1, "reason": "x"}).status_code == 401
    house.refresh_from_db()
    assert house.size == 4


# --- Moving a household to another grid of its community --------------------------------


def test_move_household_to_another_grid(as_community, community_secretary, tree, house, grid1, grid2):
    member = MemberFactory(org=tree["branch_a"])
    link = services.household_link(by=community_secretary, member=member, household=house)
    visit = services.visit_record(by=community_secretary, household=house, visited_on=timezone.localdate(),
                                  summary="了解情况")
    r = as_community.post(f"/grids/households/{house.pk}/move/", {"move-grid": grid2.pk, "move-reason": "搬到幸福苑"})
    assert r.status_code == 302
    house.refresh_from_db()
    assert house.grid == grid2 and house.links.get() == link
    # Past work stays counted for the grid it was done in.
    visit.refresh_from_db()
    assert visit.grid == grid1
    assert list(grid_overview(community_secretary, grid2)["households"]) == [house]
    assert grid_overview(community_secretary, grid1)["household_count"] == 0
    assert f"/grids/households/{house.pk}/" in as_community.get(f"/grids/{grid2.pk}/").content.decode()
    version = house.versions.get()
    assert version.kind == "move" and version.grid == grid1 and version.changed == ["grid"]
    page = as_community.get(f"/grids/households/{house.pk}/").content.decode()
    assert "<s>和平里网格</s>" in page and "搬到幸福苑" in page
    entry = _audit(house).first()
    assert entry.changes == {"grid": [grid1.pk, grid2.pk], "reason": [None, "搬到幸福苑"]}


def test_move_refusals(as_community, officer, community_secretary, tree, house, grid1, grid2):
    r = as_community.post(f"/grids/households/{house.pk}/move/", {"move-grid": grid2.pk, "move-reason": ""})
    assert r.status_code == 400 and "请填写迁移原因" in r.content.decode()
    # Another community's grid is not a move (the officer sees both communities).
    other = make_org(parent=tree["street"], name="幸福社区党委", kind="community")
    far = Grid.objects.create(org=other, name="远处网格", code="G900")
    with pytest.raises(ValidationError, match="只能迁到同一社区的其他网格"):
        services.household_move(by=officer, household=house, grid=far, reason="搬家")
    with pytest.raises(ValidationError, match="已在这个网格"):
        services.household_move(by=officer, household=house, grid=grid1, reason="x")
    Grid.objects.filter(pk=grid2.pk).update(is_active=False)
    with pytest.raises(ValidationError, match="已停用，不能迁入"):
        services.household_move(by=community_secretary, household=house, grid=grid2, reason="搬家")
    house.refresh_from_db()
    assert house.grid == grid1 and not house.versions.exists()


def test_move_scope_and_api(grid_worker, community_secretary, secretary_b, house, grid2):
    # The grid worker is not posted to grid2: it does not exist for them.
    r = _post(_api(grid_worker), f"/api/grids/households/{house.pk}/move", {"grid_id": grid2.pk, "reason": "搬家"})
    assert r.status_code == 404
    r = _post(_api(secretary_b), f"/api/grids/households/{house.pk}/move", {"grid_id": grid2.pk, "reason": "搬家"})
    assert r.status_code == 404
    c = _api(community_secretary)
    r = _post(c, f"/api/grids/households/{house.pk}/move", {"grid_id": grid2.pk})
    assert r.status_code == 400 and r.json()["errors"]["reason"] == ["请填写迁移原因"]
    r = _post(c, f"/api/grids/households/{house.pk}/move", {"grid_id": grid2.pk, "reason": "搬家"})
    assert r.status_code == 200 and r.json()["grid_id"] == grid2.pk
    assert [h["id"] for h in c.get(f"/api/grids/{grid2.pk}/households").json()] == [house.pk]


# --- A household entered in error ------------------------------------------------------


def test_entered_in_error_leaves_lists_and_counts(as_grid_worker, as_community, as_officer, auditor, grid_worker,
                                                  community_secretary, house, grid1):
    twin = services.household_create(by=grid_worker, grid=grid1, address="和平里3号楼2单元101室", head_name="王秀英")
    assert grid_overview(community_secretary, grid1)["household_count"] == 2
    r = as_grid_worker.post(f"/grids/households/{twin.pk}/entered-in-error/", {"error-reason": "重复登记"})
    assert r.status_code == 302 and r.url == f"/grids/{grid1.pk}/"
    twin.refresh_from_db()
    assert twin.entered_in_error_at is not None and Household.objects.filter(pk=twin.pk).exists()
    overview = grid_overview(community_secretary, grid1)
    assert overview["household_count"] == 1 and list(overview["households"]) == [house]
    assert overview["stale_households"] == 1
    assert list(households_for(community_secretary)) == [house]
    assert [h["id"] for h in _api(community_secretary).get(f"/api/grids/{grid1.pk}/households").json()] == [house.pk]
    # Not offered for links and visits.
    page = as_community.get(f"/grids/{grid1.pk}/").content.decode()
    assert ">和平里3号楼2单元101室</option>" not in page and ">和平里3号楼2单元101</option>" in page
    assert "误录的住户" not in page
    # Only auditors still see it.
    assert as_community.get(f"/grids/households/{twin.pk}/").status_code == 404
    assert as_grid_worker.get(f"/grids/households/{twin.pk}/").status_code == 404
    assert _api(community_secretary).get(f"/api/grids/households/{twin.pk}").status_code == 404
    for client in (as_officer, client_for(auditor)):
        page = client.get(f"/grids/households/{twin.pk}/").content.decode()
        assert "误录" in page and "重复登记" in page and "更正住户信息" not in page
        assert f"/grids/households/{twin.pk}/" in client.get(f"/grids/{grid1.pk}/").content.decode()
    assert _api(auditor).get(f"/api/grids/households/{twin.pk}").json()["entered_in_error_at"]
    entry = _audit(twin).first()
    assert entry.action == "transition" and entry.changes == {"entered_in_error": [False, True],
                                                               "reason": [None, "重复登记"]}
    assert twin.versions.get().kind == "error"


def test_entered_in_error_is_read_only(as_community, as_officer, community_secretary, tree, house):
    services.household_mark_entered_in_error(by=community_secretary, household=house, reason="重复登记")
    linked = MemberFactory(org=tree["branch_a"])
    with unchanged(house):
        assert as_officer.post(f"/grids/households/{house.pk}/correct/",
                               {"fix-address": "y", "fix-size": 1, "fix-reason": "x"}).status_code == 404
        assert as_officer.post(f"/grids/households/{house.pk}/entered-in-error/",
                               {"error-reason": "x"}).status_code == 404
        with unchanged():
            assert as_officer.post(f"/grids/households/{house.pk}/reveal/phone/").status_code == 404
    api = _api(community_secretary)
    with unchanged(house):
        r = _post(api, "/api/grids/links", {"member_id": linked.pk, "household_id": house.pk})
    assert r.status_code == 404
    with pytest.raises(ValidationError, match="已标记为误录"):
        services.visit_record(by=community_secretary, household=house, visited_on=timezone.localdate(), summary="x")
    with pytest.raises(Household.DoesNotExist):
        services.household_correct(by=community_secretary, household=house, size=2, reason="x")


def test_entered_in_error_refused_when_referred_to(as_community, community_secretary, tree, house):
    member = MemberFactory(org=tree["branch_a"])
    link = services.household_link(by=community_secretary, member=member, household=house)
    services.household_unlink(by=community_secretary, link=link, reason="党员搬离本社区")
    services.visit_record(by=community_secretary, household=house, visited_on=timezone.localdate(), summary="走访")
    page = as_community.get(f"/grids/households/{house.pk}/").content.decode()
    assert "已被以下记录引用" in page
    r = as_community.post(f"/grids/households/{house.pk}/entered-in-error/", {"error-reason": "重复登记"})
    body = r.content.decode()
    assert r.status_code == 400 and "不能标记为误录" in body
    assert "党员联户（1 条）" in body and "走访（1 条）" in body
    house.refresh_from_db()
    assert house.entered_in_error_at is None and not house.versions.exists()
    r = _post(_api(community_secretary), f"/api/grids/households/{house.pk}/entered-in-error", {"reason": "重复"})
    assert r.status_code == 400 and "走访（1 条）" in r.json()["detail"]


def test_entered_in_error_window_boundary(as_community, community_secretary, grid1, house):
    Household.objects.filter(pk=house.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    r = as_community.post(f"/grids/households/{house.pk}/entered-in-error/", {"error-reason": "重复登记"})
    body = r.content.decode()
    assert r.status_code == 400 and "已超过 30 天" in body and "迁到正确的网格" in body
    assert "登记已超过 30 天" in as_community.get(f"/grids/households/{house.pk}/").content.decode()
    Household.objects.filter(pk=house.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    assert as_community.post(f"/grids/households/{house.pk}/entered-in-error/",
                             {"error-reason": "重复登记"}).status_code == 302


def test_entered_in_error_needs_reason_and_scope(as_community, as_secretary_b, grid_worker, secretary_b, house, house2):
    r = as_community.post(f"/grids/households/{house.pk}/entered-in-error/", {"error-reason": ""})
    assert r.status_code == 400 and "请填写误录原因" in r.content.decode()
    with unchanged():
        assert as_secretary_b.post(f"/grids/households/{house.pk}/entered-in-error/", {"error-reason": "x"}).status_code == 404
    r = _post(_api(grid_worker), f"/api/grids/households/{house2.pk}/entered-in-error", {"reason": "x"})
    assert r.status_code == 404
    r = _post(_api(grid_worker), f"/api/grids/households/{house.pk}/entered-in-error", {"reason": " "})
    assert r.status_code == 400 and r.json()["errors"]["reason"] == ["请填写误录原因"]
    r = _post(_api(grid_worker), f"/api/grids/households/{house.pk}/entered-in-error", {"reason": "重复"})
    assert r.status_code == 200 and r.json()["entered_in_error_at"]
    house2.refresh_from_db()
    assert house2.entered_in_error_at is None


# --- Deactivating and reactivating a grid; taking staff off --------------------------------


def test_deactivating_a_grid_in_use_is_refused_naming_what_is_left(as_community, community_secretary, tree,
                                                                  grid_worker, house, grid1):
    submit(tree["community"], address="和平里5号楼")
    r = as_community.post(f"/grids/{grid1.pk}/deactivate/", {"deactivate-reason": "合并网格"})
    body = r.content.decode()
    assert r.status_code == 400
    assert "还有住户 1 户、网格工作人员 1 名、未办结的群众诉求 1 件，不能停用" in body
    assert "将住户迁到本社区的其他网格" in body and "撤下网格工作人员" in body
    grid1.refresh_from_db()
    assert grid1.is_active and not GridChange.objects.exists()
    r = _post(_api(community_secretary), f"/api/grids/{grid1.pk}/deactivate", {"reason": "合并网格"})
    assert r.status_code == 400 and "不能停用" in r.json()["detail"]


def test_empty_grid_deactivated_then_reactivated(as_community, as_grid_worker, community_secretary, grid_worker,
                                                 tree, house, grid1, grid2):
    twin = services.household_create(by=community_secretary, grid=grid1, address="和平里3号楼", head_name="甲")
    services.household_mark_entered_in_error(by=community_secretary, household=twin, reason="重复登记")
    services.household_move(by=community_secretary, household=house, grid=grid2, reason="合并网格")
    post = GridStaff.objects.get(grid=grid1, user=grid_worker)
    r = as_community.post(f"/grids/{grid1.pk}/unpost/", {"post": post.pk, "reason": ""})
    assert r.status_code == 400 and "请填写撤下的原因" in r.content.decode()
    assert as_community.post(f"/grids/{grid1.pk}/unpost/", {"post": post.pk, "reason": "调往幸福苑"}).status_code == 302
    assert as_grid_worker.get(f"/grids/{grid1.pk}/").status_code == 404

    r = as_community.post(f"/grids/{grid1.pk}/deactivate/", {"deactivate-reason": ""})
    assert r.status_code == 400 and "请填写停用原因" in r.content.decode()
    # An entered-in-error household does not keep the grid in use.
    assert as_community.post(f"/grids/{grid1.pk}/deactivate/", {"deactivate-reason": "合并到幸福苑"}).status_code == 302
    grid1.refresh_from_db()
    assert not grid1.is_active
    assert route_to_grid(tree["community"], address="和平里3号楼") is None
    r = as_community.post(f"/grids/{grid1.pk}/household/", {"address": "和平里8号", "head_name": "刘", "size": 1})
    assert r.status_code == 400 and "已停用" in r.content.decode()
    page = as_community.get(f"/grids/{grid1.pk}/").content.decode()
    assert "已停用" in page and "合并到幸福苑" in page and "调往幸福苑" in page and "<s>网格员（gridder）</s>" in page
    assert "已停用" in as_community.get("/grids/").content.decode()

    r = as_community.post(f"/grids/{grid1.pk}/reactivate/", {"reactivate-reason": " "})
    assert r.status_code == 400 and "请填写重新启用的原因" in r.content.decode()
    assert as_community.post(f"/grids/{grid1.pk}/reactivate/", {"reactivate-reason": "误停"}).status_code == 302
    grid1.refresh_from_db()
    assert grid1.is_active and route_to_grid(tree["community"], address="和平里3号楼") == grid1
    assert list(grid1.changes.values_list("kind", "reason")) == [
        ("reactivate", "误停"), ("deactivate", "合并到幸福苑"), ("unpost", "调往幸福苑")]
    grid_entries = AuditEntry.objects.filter(target_type="grids.Grid", target_id=str(grid1.pk)).order_by("id")
    assert [e.changes for e in grid_entries.filter(action="transition")] == [
        {"is_active": [True, False], "reason": [None, "合并到幸福苑"]},
        {"is_active": [False, True], "reason": [None, "误停"]}]
    staff_entry = AuditEntry.objects.get(target_type="grids.GridStaff", action="delete")
    assert staff_entry.changes == {"role": ["leader", None], "reason": [None, "调往幸福苑"]}


def test_grid_status_is_for_community_managers_only(as_grid_worker, as_secretary_b, grid_worker, secretary_b, grid1):
    Grid.objects.filter(pk=grid1.pk).update(is_active=False)
    # Posted to grid1, but a grid worker does not manage the community's grids.
    with unchanged():
        assert as_grid_worker.post(f"/grids/{grid1.pk}/reactivate/", {"reactivate-reason": "误停"}).status_code == 404
    with unchanged():
        assert as_secretary_b.post(f"/grids/{grid1.pk}/reactivate/", {"reactivate-reason": "误停"}).status_code == 404
    assert _post(_api(secretary_b), f"/api/grids/{grid1.pk}/reactivate", {"reason": "误停"}).status_code == 404
    assert _post(_api(grid_worker), f"/api/grids/{grid1.pk}/reactivate", {"reason": "误停"}).status_code == 404
    post = GridStaff.objects.get(grid=grid1)
    assert _post(_api(grid_worker), f"/api/grids/{grid1.pk}/staff/{post.pk}/remove",
                 {"reason": "x"}).status_code == 404
    grid1.refresh_from_db()
    assert not grid1.is_active and GridStaff.objects.filter(pk=post.pk).exists()


def test_grid_status_api(community_secretary, grid_worker, grid1):
    c = _api(community_secretary)
    post = GridStaff.objects.get(grid=grid1)
    assert [s["username"] for s in c.get(f"/api/grids/{grid1.pk}/staff").json()] == ["gridder"]
    r = _post(c, f"/api/grids/{grid1.pk}/staff/{post.pk}/remove", {})
    assert r.status_code == 400 and r.json()["errors"]["reason"] == ["请填写撤下的原因"]
    assert _post(c, f"/api/grids/{grid1.pk}/staff/{post.pk}/remove", {"reason": "调岗"}).status_code == 204
    r = _post(c, f"/api/grids/{grid1.pk}/deactivate", {"reason": ""})
    assert r.status_code == 400 and r.json()["errors"]["reason"] == ["请填写停用原因"]
    r = _post(c, f"/api/grids/{grid1.pk}/deactivate", {"reason": "撤并"})
    assert r.status_code == 200 and r.json()["is_active"] is False
    r = _post(c, f"/api/grids/{grid1.pk}/deactivate", {"reason": "撤并"})
    assert r.status_code == 400 and r.json()["detail"] == "该网格已经停用"
    r = _post(c, f"/api/grids/{grid1.pk}/reactivate", {"reason": "误停"})
    assert r.status_code == 200 and r.json()["is_active"] is True
    changes = c.get(f"/api/grids/{grid1.pk}/changes").json()
    assert [(x["kind"], x["reason"]) for x in changes] == [("reactivate", "误停"), ("deactivate", "撤并"),
                                                          ("unpost", "调岗")]
    assert changes[2]["before"] == {"user": "gridder", "name": "网格员", "role": "leader"}


def test_references_count_links_and_visits_not_residents_or_versions(community_secretary, tree, house):
    services.resident_create(by=community_secretary, household=house, name="王小明")
    services.household_correct(by=community_secretary, household=house, size=4, reason="新生儿")
    assert services.household_references(house) == {}
    HouseholdLink.objects.create(member=MemberFactory(org=tree["branch_a"]), household=house,
                                 since=timezone.localdate())
    Visit.objects.create(kind="household", org=tree["community"], grid=house.grid, household=house,
                         visited_on=timezone.localdate(), summary="走访")
    assert services.household_references(house) == {"党员联户": 1, "走访": 1}


# --- Residents other than the head -------------------------------------------------------


@pytest.fixture
def son(community_secretary, house):
    return services.resident_create(by=community_secretary, household=house, name="王小明", phone="13600001111")


def _resident_audit(resident_id):
    return AuditEntry.objects.filter(target_type="grids.Resident", target_id=str(resident_id)).order_by("-id")


def test_correct_a_resident_on_the_household_page(as_grid_worker, as_community, house, son):
    head = house.residents.get(name="王秀英")
    page = as_grid_worker.get(f"/grids/households/{house.pk}/").content.decode()
    # The head is marked and is not offered: it follows the household's own correction.
    assert "更正居民信息" in page and ">户主</span>" in page
    assert f'<option value="{son.pk}">王** · 136****1111</option>' in page
    assert f'<option value="{head.pk}"' not in page
    r = as_grid_worker.post(f"/grids/households/{house.pk}/resident-correct/", {
        "resfix-resident": son.pk, "resfix-name": "王晓明", "resfix-phone": "13600002222", "resfix-reason": "姓名电话录错"})
    assert r.status_code == 302 and r.url == f"/grids/households/{house.pk}/"
    son.refresh_from_db()
    assert (son.name, son.phone) == ("王晓明", "13600002222") and son.phone_index
    version = house.resident_versions.get()
    assert (version.kind, version.original_id, version.changed) == ("correct", son.pk, ["name", "phone"])
    assert (version.name, version.phone) == ("王小明", "13600001111")
    page = as_community.get(f"/grids/households/{house.pk}/").content.decode()
    assert "居民的原记录" in page and "姓名电话录错" in page
    assert '<s class="sensitive">王**</s>' in page and '<s class="sensitive">136****1111</s>' in page
    assert "王小明" not in page and "王晓明" not in page and "13600001111" not in page
    entry = _resident_audit(son.pk).first()
    assert entry.action == "update" and entry.changes == {
        "name": ["••••", "••••"], "phone": ["••••", "••••"], "reason": [None, "姓名电话录错"]}
    # The household itself is untouched, and its head too.
    head.refresh_from_db()
    assert head.name == "王秀英" and not house.versions.exists()


def test_resident_correction_refusals(as_community, house, son):
    url = f"/grids/households/{house.pk}/resident-correct/"
    r = as_community.post(url, {"resfix-resident": son.pk, "resfix-name": "王晓明", "resfix-reason": " "})
    assert r.status_code == 400 and "请填写更正原因" in r.content.decode()
    r = as_community.post(url, {"resfix-resident": son.pk, "resfix-name": "王小明", "resfix-reason": "核对"})
    assert r.status_code == 400 and "没有任何改动" in r.content.decode()
    r = as_community.post(url, {"resfix-resident": son.pk, "resfix-phone": "abc", "resfix-reason": "核对"})
    assert r.status_code == 400 and "电话号码格式不正确" in r.content.decode()
    # The head is not among the choices.
    head = house.residents.get(name="王秀英")
    r = as_community.post(url, {"resfix-resident": head.pk, "resfix-name": "王秀云", "resfix-reason": "录错"})
    assert r.status_code == 400
    son.refresh_from_db()
    head.refresh_from_db()
    assert son.name == "王小明" and head.name == "王秀英" and not house.resident_versions.exists()
    assert not _resident_audit(son.pk).filter(action="update").exists()


def test_resident_entered_in_error_leaves_the_household(as_grid_worker, as_community, community_secretary,
                                                        house, son):
    url = f"/grids/households/{house.pk}/resident-entered-in-error/"
    r = as_grid_worker.post(url, {"reserror-resident": son.pk, "reserror-reason": ""})
    assert r.status_code == 400 and "请填写误录原因" in r.content.decode()
    r = as_grid_worker.post(url, {"reserror-resident": son.pk, "reserror-reason": "重复登记"})
    assert r.status_code == 302
    assert list(house.residents.values_list("name", flat=True)) == ["王秀英"]
    version = house.resident_versions.get()
    assert (version.kind, version.original_id, version.name, version.phone) == ("error", son.pk, "王小明",
                                                                               "13600001111")
    page = as_community.get(f"/grids/households/{house.pk}/").content.decode()
    assert "误录删除" in page and "重复登记" in page and '<s class="sensitive">王**</s>' in page
    # No resident left but the head: nothing to correct or remove one by one.
    assert "更正居民信息" not in page and "有居民系误录" not in page
    entry = _resident_audit(son.pk).first()
    assert entry.action == "delete" and entry.changes == {
        "entered_in_error": [False, True], "name": ["••••", None], "phone": ["••••", None],
        "reason": [None, "重复登记"]}
    # A household's own resident history does not keep it from being marked entered in error.
    assert services.household_references(house) == {}


def test_resident_corrections_scope(as_grid_worker, as_secretary_b, as_member, as_anonymous, community_secretary,
                                    house, house2, son):
    other = services.resident_create(by=community_secretary, household=house2, name="赵小红")
    fix = {"resfix-resident": son.pk, "resfix-name": "王晓明", "resfix-reason": "录错"}
    gone = {"reserror-resident": son.pk, "reserror-reason": "重复"}
    for client in (as_secretary_b, as_member):
        with unchanged():
            assert client.post(f"/grids/households/{house.pk}/resident-correct/", fix).status_code == 404
        with unchanged():
            assert client.post(f"/grids/households/{house.pk}/resident-entered-in-error/", gone).status_code == 404
    assert as_anonymous.post(f"/grids/households/{house.pk}/resident-correct/", fix).status_code == 302
    # Posted to grid1 only: house2 and its residents do not exist for the grid worker.
    r = as_grid_worker.post(f"/grids/households/{house2.pk}/resident-correct/",
                            {"resfix-resident": other.pk, "resfix-name": "赵晓红", "resfix-reason": "录错"})
    assert r.status_code == 404
    # Another household's resident is not a choice on this household's page.
    r = as_grid_worker.post(f"/grids/households/{house.pk}/resident-entered-in-error/",
                            {"reserror-resident": other.pk, "reserror-reason": "重复"})
    assert r.status_code == 400
    assert set(Resident.objects.values_list("name", flat=True)) == {"王秀英", "王小明", "赵小红"}
    assert not ResidentVersion.objects.exists()


def test_resident_api(grid_worker, community_secretary, secretary_b, house, house2):
    c = _api(grid_worker)
    base = f"/api/grids/households/{house.pk}/residents"
    r = _post(c, base, {"name": "王小明", "phone": "13600001111"})
    assert r.status_code == 201 and r.json()["name_masked"] == "王**"
    son = r.json()["id"]
    r = _post(c, base, {"name": " "})
    assert r.status_code == 400 and r.json()["errors"]["name"] == ["请填写居民姓名"]
    listed = c.get(base).json()
    assert [(x["name_masked"], x["is_head"]) for x in listed] == [("王**", True), ("王**", False)]
    head = listed[0]["id"]
    r = _post(c, f"{base}/{son}/correct", {"phone": ""})
    assert r.status_code == 400 and r.json()["errors"]["reason"] == ["请填写更正原因"]
    r = _post(c, f"{base}/{son}/correct", {"phone": "", "reason": "已停机"})
    assert r.status_code == 200 and r.json()["phone_masked"] == ""
    r = _post(c, f"{base}/{head}/correct", {"name": "王秀云", "reason": "录错"})
    assert r.status_code == 400 and "户主" in r.json()["errors"]["resident"][0]
    r = _post(c, f"{base}/{head}/entered-in-error", {"reason": "重复"})
    assert r.status_code == 400 and "户主不能单独删除" in r.json()["errors"]["resident"][0]
    assert _post(c, f"{base}/{son}/entered-in-error", {"reason": "重复", "x": 1}).status_code == 400
    assert _post(c, f"{base}/{son}/entered-in-error", {"reason": "重复"}).status_code == 204
    assert _post(c, f"{base}/{son}/entered-in-error", {"reason": "重复"}).status_code == 404
    versions = c.get(f"{base}/versions").json()
    assert [(v["kind"], v["original_id"], v["changed"], v["reason"]) for v in versions] == [
        ("error", son, [], "重复"), ("correct", son, ["phone"], "已停机")]
    assert versions[1]["phone_masked"] == "136****1111" and "phone" not in versions[1]
    # Outsiders: 404, whatever the resident.
    assert _post(_api(secretary_b), f"{base}/{head}/correct", {"name": "x", "reason": "x"}).status_code == 404
    assert _api(secretary_b).get(f"{base}/versions").status_code == 404
    other_house = services.household_create(by=community_secretary, grid=house2.grid, address="幸福苑1栋", head_name="李")
    other = services.resident_create(by=community_secretary, household=other_house, name="李二")
    assert _post(c, f"/api/grids/households/{other_house.pk}/residents/{other.pk}/correct",
                 {"name": "李三", "reason": "x"}).status_code == 404
    assert _post(c, f"{base}/{other.pk}/correct", {"name": "李三", "reason": "x"}).status_code == 404
    assert _post(Client(), f"{base}/{head}/correct", {"name": "x", "reason": "x"}).status_code == 401
    assert house.residents.get().name == "王秀英"


# --- A grid's name, code and keywords ---------------------------------------------------


def _grid_audit(grid):
    return AuditEntry.objects.filter(target_type="grids.Grid", target_id=str(grid.pk)).order_by("-id")


def test_correct_a_grid_on_its_page(as_community, as_grid_worker, grid1):
    page = as_community.get(f"/grids/{grid1.pk}/").content.decode()
    assert "更正网格名称、编号或地址关键词" in page and 'value="G001"' in page
    r = as_community.post(f"/grids/{grid1.pk}/correct/", {
        "gridfix-name": "和平里东网格", "gridfix-code": "G101", "gridfix-keywords": "和平里 和平路",
        "gridfix-reason": "名称编号按街道文件更正"})
    assert r.status_code == 302 and r.url == f"/grids/{grid1.pk}/"
    grid1.refresh_from_db()
    assert (grid1.name, grid1.code, grid1.keywords) == ("和平里东网格", "G101", "和平里 和平路")
    change = grid1.changes.get()
    assert change.kind == "correct" and change.reason == "名称编号按街道文件更正"
    assert change.before == {"name": "和平里网格", "code": "G001"}
    assert change.after == {"name": "和平里东网格", "code": "G101"}
    page = as_community.get(f"/grids/{grid1.pk}/").content.decode()
    assert "<s>和平里网格</s>" in page and "<s>G001</s>" in page and "名称编号按街道文件更正" in page
    assert "更正名称、编号或关键词" in page
    assert as_grid_worker.get(f"/grids/{grid1.pk}/").status_code == 200
    entry = _grid_audit(grid1).first()
    assert entry.action == "update" and entry.changes == {
        "code": ["G001", "G101"], "name": ["和平里网格", "和平里东网格"], "reason": [None, "名称编号按街道文件更正"]}


def test_grid_correction_refusals(as_community, grid1, grid2):
    url = f"/grids/{grid1.pk}/correct/"
    base = {"gridfix-name": grid1.name, "gridfix-code": grid1.code, "gridfix-keywords": grid1.keywords}
    r = as_community.post(url, {**base, "gridfix-code": "G002", "gridfix-reason": "录错"})
    assert r.status_code == 400 and "该网格编号已被使用" in r.content.decode()
    r = as_community.post(url, {**base, "gridfix-name": " ", "gridfix-code": "", "gridfix-reason": "录错"})
    body = r.content.decode()
    assert r.status_code == 400 and "请填写网格名称" in body and "请填写网格编号" in body
    r = as_community.post(url, {**base, "gridfix-name": "新名称", "gridfix-reason": ""})
    assert r.status_code == 400 and "请填写更正原因" in r.content.decode()
    r = as_community.post(url, {**base, "gridfix-reason": "核对"})
    assert r.status_code == 400 and "没有任何改动" in r.content.decode()
    grid1.refresh_from_db()
    assert (grid1.name, grid1.code) == ("和平里网格", "G001") and not GridChange.objects.exists()
    assert not _grid_audit(grid1).filter(action="update").exists()
    # Its own code is not "in use": a correction may keep it.
    r = as_community.post(url, {**base, "gridfix-name": "和平里网格（一）", "gridfix-reason": "全称"})
    assert r.status_code == 302


def test_corrected_keywords_route_new_appeals_and_routed_ones_keep_their_history(
        as_community, community_secretary, tree, grid1, grid2):
    routed = submit(tree["community"], address="和平里5号楼")
    assert routed.grid == grid1
    events = list(routed.events.values_list("step", "note"))
    r = _post(_api(community_secretary), f"/api/grids/{grid1.pk}/correct",
              {"keywords": "和平路 东湖苑", "reason": "和平里已划入幸福苑网格"})
    assert r.status_code == 200 and r.json()["keywords"] == "和平路 东湖苑"
    routed.refresh_from_db()
    assert routed.grid == grid1 and list(routed.events.values_list("step", "note")) == events
    assert route_to_grid(tree["community"], address="和平里6号楼") is None
    assert submit(tree["community"], address="东湖苑2栋").grid == grid1
    # Why an earlier appeal came here can still be read: the earlier keywords are kept.
    changes = _api(community_secretary).get(f"/api/grids/{grid1.pk}/changes").json()
    assert changes[0]["before"] == {"keywords": "和平里 和平路"} and changes[0]["after"] == {"keywords": "和平路 东湖苑"}
    assert "<s>和平里 和平路</s>" in as_community.get(f"/grids/{grid1.pk}/").content.decode()


def test_grid_correction_scope_and_api(as_grid_worker, as_secretary_b, grid_worker, community_secretary,
                                       secretary_b, grid1, grid2):
    data = {"gridfix-name": "x", "gridfix-code": "G009", "gridfix-reason": "录错"}
    # Posted to grid1, but a grid worker does not manage the community's grids.
    with unchanged():
        assert as_grid_worker.post(f"/grids/{grid1.pk}/correct/", data).status_code == 404
    assert "更正网格名称" not in as_grid_worker.get(f"/grids/{grid1.pk}/").content.decode()
    with unchanged():
        assert as_secretary_b.post(f"/grids/{grid1.pk}/correct/", data).status_code == 404
    for user in (grid_worker, secretary_b):
        assert _post(_api(user), f"/api/grids/{grid1.pk}/correct", {"name": "x", "reason": "录错"}).status_code == 404
    assert _post(Client(), f"/api/grids/{grid1.pk}/correct", {"name": "x", "reason": "录错"}).status_code == 401
    c = _api(community_secretary)
    r = _post(c, f"/api/grids/{grid1.pk}/correct", {"code": "G002", "reason": "录错"})
    assert r.status_code == 400 and r.json()["errors"]["code"] == ["该网格编号已被使用"]
    r = _post(c, f"/api/grids/{grid1.pk}/correct", {"name": "和平里网格一"})
    assert r.status_code == 400 and r.json()["errors"]["reason"] == ["请填写更正原因"]
    r = _post(c, f"/api/grids/{grid1.pk}/correct", {"code": "x" * 33, "reason": "录错"})
    assert r.status_code == 400 and "32" in r.json()["errors"]["code"][0]
    r = _post(c, f"/api/grids/{grid1.pk}/correct", {"name": "和平里网格一", "reason": "录错"})
    assert r.status_code == 200 and r.json()["name"] == "和平里网格一" and r.json()["code"] == "G001"
    grid1.refresh_from_db()
    assert grid1.name == "和平里网格一"


# --- Ending a member-household link ------------------------------------------------------


@pytest.fixture
def link(community_secretary, tree, house):
    member = MemberFactory(org=tree["branch_a"], name="李卫东")
    return services.household_link(by=community_secretary, member=member, household=house,
                                   since=timezone.localdate() - dt.timedelta(days=100))


def _link_audit(link):
    return AuditEntry.objects.filter(target_type="grids.HouseholdLink", target_id=str(link.pk)).order_by("-id")


def test_end_a_link_on_the_household_page_with_a_reason(as_grid_worker, as_community, house, link):
    page = as_grid_worker.get(f"/grids/households/{house.pk}/").content.decode()
    assert "结束联户关系" in page and f'<option value="{link.pk}">李卫东（自 {link.since:%Y-%m-%d} 起）</option>' in page
    url = f"/grids/households/{house.pk}/unlink/"
    r = as_grid_worker.post(url, {"unlink-link": link.pk, "unlink-reason": " "})
    assert r.status_code == 400 and "请填写结束联户的原因" in r.content.decode()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    r = as_grid_worker.post(url, {"unlink-link": link.pk, "unlink-ended_on": tomorrow, "unlink-reason": "搬走"})
    assert r.status_code == 400 and "结束日期不能晚于今天" in r.content.decode()
    r = as_grid_worker.post(url, {"unlink-link": link.pk, "unlink-ended_on": link.since - dt.timedelta(days=1),
                                  "unlink-reason": "搬走"})
    assert r.status_code == 400 and "结束日期不能早于开始日期" in r.content.decode()
    link.refresh_from_db()
    assert link.ended_on is None and not _link_audit(link).filter(action="update").exists()

    r = as_grid_worker.post(url, {"unlink-link": link.pk, "unlink-reason": "党员搬离本社区"})
    assert r.status_code == 302 and r.url == f"/grids/households/{house.pk}/"
    link.refresh_from_db()
    assert link.ended_on == timezone.localdate() and link.end_reason == "党员搬离本社区"
    assert link.ended_by.username == "gridder"
    page = as_community.get(f"/grids/households/{house.pk}/").content.decode()
    assert "党员搬离本社区" in page and "网格员" in page
    # No open link left: nothing to end.
    assert "结束联户关系" not in page
    entry = _link_audit(link).first()
    assert entry.action == "update" and entry.target_repr == "李卫东 联户 和平里3号楼2单元101"
    assert entry.changes == {"ended_on": [None, timezone.localdate().isoformat()], "reason": [None, "党员搬离本社区"]}


def test_end_a_link_scope_and_api(as_secretary_b, as_grid_worker, grid_worker, community_secretary, secretary_b,
                                  tree, house, house2, link):
    assert as_secretary_b.post(f"/grids/households/{house.pk}/unlink/",
                               {"unlink-link": link.pk, "unlink-reason": "x"}).status_code == 404
    other = services.household_link(by=community_secretary, member=MemberFactory(org=tree["branch_b"]),
                                    household=house2)
    # Posted to grid1 only: house2's link does not exist for the grid worker, on the page or in the API.
    assert as_grid_worker.post(f"/grids/households/{house2.pk}/unlink/",
                               {"unlink-link": other.pk, "unlink-reason": "x"}).status_code == 404
    assert as_grid_worker.post(f"/grids/households/{house.pk}/unlink/",
                               {"unlink-link": other.pk, "unlink-reason": "x"}).status_code == 400
    c = _api(grid_worker)
    assert _post(c, f"/api/grids/links/{other.pk}/end", {"reason": "x"}).status_code == 404
    assert _post(_api(secretary_b), f"/api/grids/links/{link.pk}/end", {"reason": "x"}).status_code == 404
    assert _post(Client(), f"/api/grids/links/{link.pk}/end", {"reason": "x"}).status_code == 401
    r = _post(c, f"/api/grids/links/{link.pk}/end", {})
    assert r.status_code == 400 and r.json()["errors"]["reason"] == ["请填写结束联户的原因"]
    r = _post(c, f"/api/grids/links/{link.pk}/end", {"ended_on": str(link.since), "reason": "误建"})
    assert r.status_code == 200 and r.json()["ended_on"] == str(link.since) and r.json()["end_reason"] == "误建"
    r = _post(c, f"/api/grids/links/{link.pk}/end", {"reason": "误建"})
    assert r.status_code == 400 and r.json()["errors"]["link"] == ["该联户关系已经结束"]
    listed = c.get(f"/api/grids/links?grid_id={house.grid_id}&open_only=false").json()
    assert [(x["id"], x["end_reason"]) for x in listed] == [(link.pk, "误建")]
    other.refresh_from_db()
    assert other.ended_on is None

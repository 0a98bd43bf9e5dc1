"""Grid corrections: a household's entry corrected, moved or marked entered in error; a grid
deactivated only when empty and reactivated when deactivated by mistake; staff taken off a grid.
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
    Visit,
)
from dangjian.grids.selectors import grid_overview, households_for
from tests.appeals.helpers import submit
from tests.conftest import client_for
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
    assert as_secretary_b.post(f"/grids/households/{house.pk}/correct/", data).status_code == 404
    assert as_member.post(f"/grids/households/{house.pk}/correct/", data).status_code == 404
    # A grid worker is posted to grid1 only.
    assert as_grid_worker.get(f"/grids/households/{house2.pk}/").status_code == 404
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
    assert as_officer.post(f"/grids/households/{house.pk}/correct/",
                           {"fix-address": "y", "fix-size": 1, "fix-reason": "x"}).status_code == 404
    assert as_officer.post(f"/grids/households/{house.pk}/entered-in-error/", {"error-reason": "x"}).status_code == 404
    assert as_officer.post(f"/grids/households/{house.pk}/reveal/phone/").status_code == 404
    r = _post(_api(community_secretary), "/api/grids/links",
              {"member_id": MemberFactory(org=tree["branch_a"]).pk, "household_id": house.pk})
    assert r.status_code == 404
    with pytest.raises(ValidationError, match="已标记为误录"):
        services.visit_record(by=community_secretary, household=house, visited_on=timezone.localdate(), summary="x")
    with pytest.raises(Household.DoesNotExist):
        services.household_correct(by=community_secretary, household=house, size=2, reason="x")


def test_entered_in_error_refused_when_referred_to(as_community, community_secretary, tree, house):
    member = MemberFactory(org=tree["branch_a"])
    link = services.household_link(by=community_secretary, member=member, household=house)
    services.household_unlink(by=community_secretary, link=link)
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
    assert as_grid_worker.post(f"/grids/{grid1.pk}/reactivate/", {"reactivate-reason": "误停"}).status_code == 404
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

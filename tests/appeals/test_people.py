"""People behind a case (issue 19): a case from a household links to its 联户 member and its grid; the member's and
the grid's pages list their cases with their 三率."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangjian.appeals import services
from dangjian.appeals.models import Appeal
from dangjian.grids.models import HouseholdLink
from tests.appeals.helpers import submit, walk
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_case_from_a_household_links_member_and_grid(community_secretary, officer, tree, grid1, grid2, house1,
                                                       member_a, grid_worker):
    HouseholdLink.objects.create(member=member_a, household=house1, since=dt.date(2026, 1, 1))
    appeal = submit(tree["community"], "楼道里的灯坏了好几天", address="幸福苑")
    assert appeal.grid == grid2
    as_c = client_for(community_secretary)
    r = as_c.post(f"/appeals/case/{appeal.pk}/household/", {"household": house1.pk})
    assert r.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.household, appeal.household_member, appeal.grid) == (house1, member_a, grid1)
    page = as_c.get(f"/appeals/case/{appeal.pk}/").content.decode()
    assert member_a.name in page and "网格员" in page
    # Kept as it was: ending the link later does not rewrite whose case it was.
    HouseholdLink.objects.filter(household=house1).update(ended_on=dt.date(2026, 6, 1))
    appeal = walk(appeal, community_secretary, until="resolve")
    services.appeal_callback(by=officer, appeal=appeal, resolved=True, rating="satisfied")
    member_page = client_for(officer).get(f"/orgs/members/{member_a.pk}/").content.decode()
    assert appeal.tracking_code in member_page and "100%" in member_page
    grid_page = client_for(grid_worker).get(f"/grids/{grid1.pk}/").content.decode()
    assert appeal.tracking_code in grid_page
    assert appeal.tracking_code not in client_for(grid_worker).get(f"/grids/{grid2.pk}/").content.decode()


def test_household_of_another_community_refused(community_secretary, secretary_b, tree, grid1, house1):
    appeal = submit(tree["community"], "楼道里的灯坏了好几天")
    other = submit(tree["community"], "小区门口垃圾堆积")
    with pytest.raises(Appeal.DoesNotExist):
        services.appeal_link_household(by=secretary_b, appeal=appeal, household=house1)
    with pytest.raises(ValidationError):
        services.appeal_link_household(by=community_secretary, appeal=other, household=None)
    r = client_for(community_secretary).post(f"/appeals/case/{appeal.pk}/household/", {"household": "x"})
    assert r.status_code == 400 and Appeal.objects.get(pk=appeal.pk).household is None


# --- the household chosen or identified at intake --------------------------------------


def test_staff_entry_names_the_household_and_links_member_and_grid(community_secretary, tree, grid1, grid2, house1,
                                                                 member_a):
    HouseholdLink.objects.create(member=member_a, household=house1, since=dt.date(2026, 1, 1))
    as_c = client_for(community_secretary)
    form = as_c.get("/appeals/new/").content.decode()
    assert f'value="{house1.pk}"' in form and house1.address in form
    # The address names the other grid; the household chosen decides.
    r = as_c.post("/appeals/new/", {"org": tree["community"].pk, "channel": "phone", "text": "楼道灯坏了好几天",
                                    "address": "幸福苑", "household": house1.pk})
    assert r.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.household, appeal.household_member, appeal.grid) == (house1, member_a, grid1)
    from dangjian.audit.models import AuditEntry

    entry = AuditEntry.objects.filter(target_id=str(appeal.pk), action="create").get()
    assert entry.changes["household"] == [None, house1.pk] and entry.changes["member"] == [None, member_a.pk]


def test_a_household_of_another_community_or_out_of_scope_is_refused(community_secretary, grid_worker, tree, grid1,
                                                                      grid2, house1, house2):
    from dangjian.grids.models import Grid, Household
    from tests.factories import make_org

    other = make_org(parent=tree["street"], name="幸福社区党委", kind="community", code="C002")
    far = Household.objects.create(grid=Grid.objects.create(org=other, name="远处网格", code="G9"), address="远处1号")
    data = {"org": tree["community"].pk, "channel": "phone", "text": "楼道灯坏了好几天", "address": "和平里"}
    # The community secretary does not see the other community's households: not a choice.
    r = client_for(community_secretary).post("/appeals/new/", {**data, "household": far.pk})
    assert r.status_code == 400 and Appeal.objects.count() == 0
    # The grid worker sees the households of grid1 only (house2 is in grid2).
    r = client_for(grid_worker).post("/appeals/new/", {**data, "household": house2.pk})
    assert r.status_code == 400 and Appeal.objects.count() == 0
    # The service refuses a household of another community, whoever calls it.
    with pytest.raises(ValidationError) as exc:
        submit(tree["community"], household=far)
    assert "household" in exc.value.message_dict and Appeal.objects.count() == 0


def test_the_residents_phone_identifies_their_household(tree, grid1, grid2, house1, house2, member_a):
    from dangjian.core import crypto

    HouseholdLink.objects.create(member=member_a, household=house1, since=dt.date(2026, 1, 1))
    phone = "13800138000"
    house1.phone, house1.phone_index = phone, crypto.blind_index(phone)
    house1.save()
    appeal = submit(tree["community"], "楼道灯坏了好几天", address="幸福苑", phone=phone)
    assert (appeal.household, appeal.household_member, appeal.grid) == (house1, member_a, grid1)
    # No household with that phone, or two: nothing is guessed.
    assert submit(tree["community"], "楼道灯坏了好几天", address="幸福苑", phone="13900139000").household is None
    house2.phone, house2.phone_index = phone, crypto.blind_index(phone)
    house2.save()
    appeal = submit(tree["community"], "楼道灯坏了好几天", address="幸福苑", phone=phone)
    assert appeal.household is None and appeal.grid == grid2

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

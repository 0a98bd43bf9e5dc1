"""Grid fixtures shared by the grids and appeals tests.

Two grids in the community (和平社区): grid1 (和平里 1-10 号楼), grid2 (幸福苑).
grid_worker holds a GRID_WORKER grant on the community but is posted to grid1 only.
community_secretary holds a SECRETARY grant on the community.
"""

import pytest

from dangjian.accounts.roles import Role
from dangjian.grids.models import Grid, GridStaff, Household
from tests.conftest import client_for
from tests.factories import UserFactory, grant


@pytest.fixture
def grid1(tree):
    return Grid.objects.create(org=tree["community"], name="和平里网格", code="G001", keywords="和平里 和平路")


@pytest.fixture
def grid2(tree):
    return Grid.objects.create(org=tree["community"], name="幸福苑网格", code="G002", keywords="幸福苑")


@pytest.fixture
def grid_worker(tree, grid1, grid2):
    user = UserFactory(username="gridder", display_name="网格员")
    grant(user, tree["community"], Role.GRID_WORKER)
    GridStaff.objects.create(grid=grid1, user=user, role=GridStaff.Role.LEADER)
    return user


@pytest.fixture
def community_secretary(tree):
    user = UserFactory(username="sec_c", display_name="社区书记")
    grant(user, tree["community"], Role.SECRETARY)
    return user


@pytest.fixture
def as_grid_worker(grid_worker):
    return client_for(grid_worker)


@pytest.fixture
def as_community(community_secretary):
    return client_for(community_secretary)


@pytest.fixture
def house1(grid1):
    return Household.objects.create(grid=grid1, address="和平里3号楼2单元101", head_name="王秀英", size=3)


@pytest.fixture
def house2(grid2):
    return Household.objects.create(grid=grid2, address="幸福苑5栋302", head_name="赵立新", size=2)

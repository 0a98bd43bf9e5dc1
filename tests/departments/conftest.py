import pytest

from dangjian.departments.models import Department
from dangjian.departments.services import contact_add
from tests.factories import UserFactory
from tests.grids.fixtures import *  # noqa: F401,F403


@pytest.fixture
def water(tree, officer):
    return Department.objects.create(org=tree["street"], code="SW", name="供水服务站")


@pytest.fixture
def police(tree):
    return Department.objects.create(org=tree["street"], code="PS", name="派出所")


@pytest.fixture
def water_user(water, officer):
    user = UserFactory(username="water", display_name="供水联络员")
    contact_add(by=officer, department=water, name="李科长", phone="13912345678", user=user)
    return user


@pytest.fixture
def police_user(police, officer):
    user = UserFactory(username="police", display_name="警务联络员")
    contact_add(by=officer, department=police, name="赵警官", user=user)
    return user

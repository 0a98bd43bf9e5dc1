import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from dangjian.projects import services
from dangjian.projects.models import Project, Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_project(org, *, status=Status.PROPOSAL, starts_on=None, **extra) -> Project:
    """A project written straight to the table (the service's rules are tested on their own)."""
    today = timezone.localdate()
    data = {"title": "红色物业提质项目", "aim": "提升小区治理", "starts_on": starts_on or today.replace(month=1, day=1),
            "ends_on": today + dt.timedelta(days=200), "budget": Decimal("10000"), **extra}
    return Project.objects.create(org=org, status=status, **data)


@pytest.fixture
def proposal(tree, secretary_a):
    p = services.project_create(by=secretary_a, data={
        "org": tree["branch_a"], "kind": "secretary", "title": "书记项目：邻里守望", "aim": "建立邻里互助机制",
        "starts_on": timezone.localdate().replace(month=1, day=1), "ends_on": timezone.localdate() + dt.timedelta(days=90),
        "budget": Decimal("5000")})
    services.target_add(by=secretary_a, project=p, name="开展主题活动", unit="次", target_value=Decimal(10),
                        due_on=timezone.localdate() + dt.timedelta(days=60), metric_code="meetings_held")
    return p

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.resources import services
from dangjian.resources.models import Category


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A time on a fixed day next month (bookings are in the future)."""
    base = timezone.localdate() + dt.timedelta(days=30)
    return timezone.make_aware(dt.datetime(base.year, base.month, base.day, hour, minute)) + dt.timedelta(days=day)


@pytest.fixture
def venue(tree, officer):
    return services.resource_create(by=officer, org=tree["community"], title="社区党群服务中心会议室",
                                    category=Category.VENUE, place="和平社区党群服务中心", capacity=40, bookable=True)


@pytest.fixture
def own_venue_a(tree, officer):
    return services.resource_create(by=officer, org=tree["branch_a"], title="一支部活动室",
                                    category=Category.VENUE, place="和平里3号楼", capacity=15, bookable=True)

import datetime as dt
import random

import pytest

from dangjian.appeals import demo as appeals_demo
from dangjian.appeals.models import Appeal, AppealEvent, State
from dangjian.appeals.selectors import appeal_rates
from dangjian.grids import demo as grids_demo
from dangjian.grids.models import Grid, Household, HouseholdLink, Visit
from dangjian.orgs.models import Tag
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_demo_seeders_build_grids_and_two_years_of_appeals(tree, grid_worker):
    Grid.objects.all().delete()
    elder = Tag.objects.get_or_create(name="老党员")[0]
    for i in range(12):
        m = MemberFactory(org=tree["branch_a" if i % 2 else "branch_b"])
        if i < 4:
            m.tags.add(elder)
    today = dt.date(2026, 11, 20)
    lines = []
    grids_demo.seed(rng=random.Random(7), today=today, log=lines.append)
    appeals_demo.seed(rng=random.Random(7), today=today, log=lines.append)
    assert 3 <= Grid.objects.count() <= 5 and Household.objects.count() >= 90
    assert HouseholdLink.objects.exists() and Visit.objects.filter(kind="member").exists()
    assert max(HouseholdLink.objects.values_list("member", flat=True).order_by().distinct().count(), 1) >= 1
    appeals = Appeal.objects.all()
    assert appeals.count() > 500
    first = appeals.order_by("received_at").first().received_at.date()
    assert (today - first).days >= 700
    assert {State.CLOSED, State.IN_PROGRESS, State.REJECTED} <= set(appeals.values_list("state", flat=True))
    assert AppealEvent.objects.filter(step="reopen").exists()
    rates = appeal_rates(appeals)
    assert 0.5 < rates.response_rate < 1 and 0.5 < rates.satisfaction_rate <= 1 and rates.on_time_rate < 1
    assert len(lines) == 2
    # Seeding again leaves everything as it was.
    grids_demo.seed(rng=random.Random(7), today=today, log=lines.append)
    appeals_demo.seed(rng=random.Random(7), today=today, log=lines.append)
    assert Appeal.objects.count() == appeals.count()

import datetime as dt
import random

from dangjian.committees import demo as committees_demo
from dangjian.committees.models import Term
from dangjian.committees.selectors import org_terms
from dangjian.meetings import demo as meetings_demo
from dangjian.meetings.models import Appraisal, Attendance, Meeting
from dangjian.orgs.models import Org
from tests.factories import MemberFactory, make_org

TODAY = dt.date(2025, 5, 20)


def test_demo_seeders_build_history_with_gaps(tree):
    for i in range(6):
        branch = make_org(parent=tree["community"], kind="branch", name=f"演示支部{i}")
        for _ in range(8 if i % 2 else 4):
            MemberFactory(org=branch, joined_on=dt.date(2010, 1, 1))
    lines = []
    meetings_demo.seed(rng=random.Random(1), today=TODAY, log=lines.append)
    committees_demo.seed(rng=random.Random(1), today=TODAY, log=lines.append)
    held = Meeting.objects.filter(state="held")
    assert held.exists() and Attendance.objects.exists() and Appraisal.objects.filter(year=2024).exists()
    assert held.filter(starts_at__date__gte=dt.date(2024, 1, 1)).exists()
    assert not held.filter(starts_at__date__gt=TODAY).exists()
    assert Meeting.objects.filter(state="planned").exists()
    states = {r.state for r in org_terms(Org.objects.all(), TODAY)}
    assert "overdue" in states and ("first" in states or "second" in states)
    assert Term.objects.count() >= Org.objects.filter(kind__in=["branch", "community"]).count()
    # Seeding again is a no-op.
    count = Meeting.objects.count()
    meetings_demo.seed(rng=random.Random(1), today=TODAY, log=lines.append)
    assert Meeting.objects.count() == count

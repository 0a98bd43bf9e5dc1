import datetime as dt
import random

from dangjian.dues import demo, selectors
from dangjian.dues.models import Due, Payment, Remittance
from tests.factories import MemberFactory


def test_demo_seed_builds_history_with_arrears(tree, officer):
    for i in range(60):
        MemberFactory(org=tree["branch_a" if i % 2 else "branch_b"],
                      employment=["employed", "retired", "student"][i % 3])
    lines = []
    today = dt.date(2025, 6, 15)
    demo.seed(rng=random.Random(7), today=today, log=lines.append)
    assert Due.objects.values("month").distinct().count() == 24
    assert Payment.objects.count() < Due.objects.count()
    assert Remittance.objects.exists()
    assert any(a.level for a in selectors.arrears(officer, today=today))
    demo.seed(rng=random.Random(7), today=today, log=lines.append)  # a second run changes nothing
    assert lines[-1].endswith("skipped")

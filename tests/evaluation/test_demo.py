"""The demo seeder computes the last four quarters and the last year, with warnings and rectifications."""

import datetime as dt
import random

from dangjian.evaluation import demo
from dangjian.evaluation.models import Alert, IndexScore, Period, Rectification
from tests.evaluation.conftest import appeal, members


def test_seed_computes_periods_and_rectifications(tree, secretary_a):
    members(tree["branch_a"], 3)
    members(tree["branch_b"], 2)
    for _ in range(3):
        appeal(tree["community"], dt.date(2026, 9, 1))
    lines = []
    demo.seed(rng=random.Random(1), today=dt.date(2026, 11, 20), log=lines.append)
    kinds = sorted(Period.objects.filter(computed_at__isnull=False).values_list("kind", "start"))
    assert kinds == [("quarter", dt.date(2025, 10, 1)), ("quarter", dt.date(2026, 1, 1)), ("quarter", dt.date(2026, 4, 1)),
                     ("quarter", dt.date(2026, 7, 1)), ("year", dt.date(2025, 1, 1))]
    latest = Period.objects.get(kind="quarter", start=dt.date(2026, 7, 1))
    assert latest.weighting == "ahp" and latest.weights["dimensions"]["capacity"] > latest.weights["dimensions"]["influence"]
    assert IndexScore.objects.filter(period=latest, dimension="overall").exists()
    assert Alert.objects.filter(period=latest, rule="appeals_overdue").exists()
    assert Rectification.objects.exists()
    # Two weak-and-lax decisions of the street, with their plans: last year's lifted, this year's under way.
    from dangjian.evaluation.models import Grade, WeakDecision

    decisions = {d.year: d for d in WeakDecision.objects.select_related("plan")}
    assert {y: d.plan.state for y, d in decisions.items()} == {2025: "lifted", 2026: "rectifying"}
    assert all(d.committee == tree["street"] and d.plan.notes.count() == 2 for d in decisions.values())
    last_year = Period.objects.get(kind="year", start=dt.date(2025, 1, 1))
    assert list(Grade.objects.filter(period=last_year, weak_lax=True).values_list("org_id", flat=True)) == [decisions[2025].org_id]
    demo.seed(rng=random.Random(1), today=dt.date(2026, 11, 20), log=lines.append)
    assert "skipped" in lines[-1]

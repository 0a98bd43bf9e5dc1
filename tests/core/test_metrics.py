import datetime as dt

from dangjian.core.metrics import Metric, metric_value, rollup, value
from dangjian.orgs.models import Status
from tests.factories import MemberFactory

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def test_rollup_sums_into_ancestors(tree):
    paths = {o.pk: o.path for o in tree.values()}
    pairs = {tree["branch_a"].pk: (3, 4), tree["branch_b"].pk: (1, 4)}
    rolled = rollup(pairs, paths)
    assert rolled[tree["community"].pk] == (4.0, 8.0)
    assert rolled[tree["street"].pk] == (4.0, 8.0)
    assert rolled[tree["branch_a"].pk] == (3.0, 4.0)
    rate = Metric(code="r", name="r", unit="%", description="", compute=lambda **k: {}, kind="rate")
    assert value(rate, rolled[tree["community"].pk]) == 0.5
    assert value(rate, (0, 0)) is None


def test_members_on_roll_covers_the_subtree(tree):
    MemberFactory.create_batch(3, org=tree["branch_a"])
    MemberFactory(org=tree["branch_b"])
    MemberFactory(org=tree["branch_b"], status=Status.DECEASED)
    MemberFactory(org=tree["branch_b"], joined_on=dt.date(2026, 3, 1))  # joined after the period
    assert metric_value("members_on_roll", org=tree["branch_a"], start=START, end=END) == 3
    assert metric_value("members_on_roll", org=tree["community"], start=START, end=END) == 4

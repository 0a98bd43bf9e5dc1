"""Evaluation snapshots written straight to the tables, so the dashboards are tested on known figures.

`snapshots` builds two computed quarters (Q2 and Q3 2026) over the shared `tree`:
every org gets a value for every indicator, three dimension scores and an
overall score, a grade; the branches get DEA results and Malmquist; branch_b
gets a serious warning and a rectification.
"""

import datetime as dt

import pytest
from django.utils import timezone
from tests.factories import make_org

from dangjian.evaluation.models import (
    OVERALL,
    Alert,
    Dimension,
    Efficiency,
    Grade,
    IndexScore,
    Indicator,
    IndicatorValue,
    Period,
    Rectification,
)

Q2, Q3 = dt.date(2026, 4, 1), dt.date(2026, 7, 1)

# Overall index per org name fragment and quarter: branch_a 62 in Q3 (the "why is this 62?" figure).
OVERALL_Q3 = {"street": 70.0, "community": 70.0, "branch_a": 62.0, "branch_b": 81.0}
OVERALL_Q2 = {"street": 66.0, "community": 66.0, "branch_a": 58.0, "branch_b": 84.0}


def period(start: dt.date, end: dt.date, kind: str = "quarter") -> Period:
    return Period.objects.create(kind=kind, start=start, end=end, as_of=end, computed_at=timezone.now(), version=1,
                                 eff_inputs=["members"], eff_outputs=["visits"])


def figures(p: Period, org, overall: float, *, grade: str = "good", previous: str = "", movement=None,
            members: float = 10, visits: float = 20, rate: float = 0.8) -> None:
    """One org's snapshot in one period: every indicator, the indices and a grade."""
    rows = []
    for ind in Indicator.objects.filter(is_active=True):
        if ind.code == "visits_per_member":
            rows.append(IndicatorValue(period=p, org=org, indicator=ind, numerator=visits, denominator=members,
                                       value=visits / members))
        else:
            rows.append(IndicatorValue(period=p, org=org, indicator=ind, numerator=rate * 10, denominator=10, value=rate))
    IndicatorValue.objects.bulk_create(rows)
    IndexScore.objects.bulk_create(
        [IndexScore(period=p, org=org, dimension=OVERALL, score=overall, rank=1, peers=1)]
        + [IndexScore(period=p, org=org, dimension=d, score=overall + i * 5 - 5, rank=1, peers=1)
           for i, d in enumerate(Dimension.values)])
    Grade.objects.create(period=p, org=org, grade=grade, score=overall, previous=previous, movement=movement)


def efficiency(p: Period, org, score: float, *, members: float, visits: float, mi=None, peers=None) -> Efficiency:
    return Efficiency.objects.create(
        period=p, org=org, score=score, efficient=score >= 0.999, inputs={"members": members}, outputs={"visits": visits},
        targets={"visits": visits / score}, peers=peers or {}, malmquist=mi,
        efficiency_change=(mi ** 0.5 if mi else None), technical_change=(mi ** 0.5 if mi else None))


def default_catalogue() -> None:
    """The default indicators (a data migration): a live-server test's flush empties the table, so seed it again."""
    import importlib

    from django.apps import apps

    importlib.import_module("dangjian.evaluation.migrations.0002_default_indicators_and_scheme").seed(apps, None)


@pytest.fixture
def snapshots(tree):
    default_catalogue()
    q2 = period(Q2, dt.date(2026, 6, 30))
    q3 = period(Q3, dt.date(2026, 9, 30))
    for key in ("street", "community", "branch_a", "branch_b"):
        figures(q2, tree[key], OVERALL_Q2[key], rate=0.7, members=10 if "branch" in key else 20)
    figures(q3, tree["street"], OVERALL_Q3["street"], members=20, visits=45)
    figures(q3, tree["community"], OVERALL_Q3["community"], members=20, visits=45)
    figures(q3, tree["branch_a"], OVERALL_Q3["branch_a"], grade="average", previous="average", movement=0,
            members=10, visits=15, rate=0.62)
    figures(q3, tree["branch_b"], OVERALL_Q3["branch_b"], grade="good", previous="advanced", movement=-1,
            members=10, visits=30, rate=0.9)
    efficiency(q3, tree["branch_a"], 0.5, members=10, visits=15, mi=0.9, peers={str(tree["branch_b"].pk): 1.0})
    efficiency(q3, tree["branch_b"], 1.0, members=10, visits=30, mi=1.2)
    alert = Alert.objects.create(period=q3, org=tree["branch_b"], rule="dues_arrears", severity="bad", count=4,
                                 detail="4 名党员连续欠缴党费 3 个月以上")
    Rectification.objects.create(alert=alert, org=tree["branch_b"], title="补缴党费", requirement="限期补缴",
                                 deadline=dt.date(2026, 11, 30))
    return {"q2": q2, "q3": q3, "alert": alert}


@pytest.fixture
def wide_tree(db):
    """wide_tree(n): a street with one community of n branches, each with Q3 figures; returns (street, period)."""

    def build(n: int, *, code: str = "W"):
        default_catalogue()
        street = make_org(name=f"{code}街道", kind="street", code=f"{code}S")
        community = make_org(parent=street, name=f"{code}社区", kind="community", code=f"{code}C")
        street.refresh_from_db()
        community.refresh_from_db()
        p = Period.objects.filter(kind="quarter", start=Q3).first() or period(Q3, dt.date(2026, 9, 30))
        figures(p, street, 70, members=10 * n)
        figures(p, community, 70, members=10 * n)
        for i in range(n):
            b = make_org(parent=community, name=f"{code}支部{i}", kind="branch", code=f"{code}B{i}")
            b.refresh_from_db()
            figures(p, b, 50 + i, members=10, visits=10 + i)
            efficiency(p, b, min(1.0, 0.5 + i / 10), members=10, visits=10 + i, mi=1 + i / 100)
            Alert.objects.create(period=p, org=b, rule="meetings_overdue", severity="warn", detail=f"支部{i}会议逾期")
        return street, p

    return build

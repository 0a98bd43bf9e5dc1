"""Efficiency (DEA, output orientation) against a hand-computed frontier; advice in words; Malmquist; query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from dangjian.evaluation.models import Efficiency
from dangjian.evaluation.selectors import efficiency_advice
from dangjian.evaluation.services import period_for
from tests.analytics.faults import engine_loses_one_dmu
from tests.evaluation.conftest import Q3, meeting, members
from tests.factories import make_org


def record(org, n_members, n_meetings, start):
    people = members(org, n_members)
    for k in range(n_meetings):
        meeting(org, start + dt.timedelta(days=3 + k), present=people)


@pytest.fixture
def three(tree):
    c = make_org(parent=tree["community"], name="和平社区第三党支部", kind="branch", code="B003")
    return tree["branch_a"], tree["branch_b"], c


def configure(start):
    p = period_for(kind="quarter", start=start)
    p.eff_inputs, p.eff_outputs, p.eff_rts = ["members_on_roll"], ["meetings_held"], "crs"
    p.save()


def frontier_quarter(a, b, c):
    record(a, 2, 2, Q3)  # 1 meeting per member: the frontier
    record(b, 2, 1, Q3)  # half of it
    record(c, 4, 2, Q3)  # half of it
    configure(Q3)


def test_frontier_peers_and_targets(three, compute):
    a, b, c = three
    frontier_quarter(a, b, c)
    period = compute()
    rows = {e.org_id: e for e in Efficiency.objects.filter(period=period)}
    assert rows[a.pk].efficient and rows[a.pk].score == pytest.approx(1.0)
    assert rows[b.pk].score == pytest.approx(0.5)
    assert rows[c.pk].targets["meetings_held"] == pytest.approx(4.0)
    assert list(rows[c.pk].peers) == [str(a.pk)]
    words = efficiency_advice(rows[c.pk])
    assert "与 和平社区第一党支部 相比" in words and "应达到 4次（现为 2次）" in words


def test_malmquist_between_consecutive_quarters(three, compute):
    a, b, c = three
    q2 = dt.date(2026, 4, 1)
    record(a, 2, 2, q2)
    record(b, 2, 1, q2)
    record(c, 4, 2, q2)
    configure(q2)
    compute(start=q2, today=dt.date(2026, 7, 5))
    # Q3: B doubles its meetings (catches up with the frontier), the others repeat.
    for org, n in ((a, 2), (b, 2), (c, 2)):
        people = list(org.members.all())
        for k in range(n):
            meeting(org, Q3 + dt.timedelta(days=3 + k), present=people)
    period = compute()
    rows = {e.org_id: e for e in Efficiency.objects.filter(period=period)}
    assert rows[b.pk].efficiency_change == pytest.approx(2.0)
    assert rows[a.pk].malmquist == pytest.approx(1.0)


def test_period_page_query_count_does_not_grow_with_children(as_officer, tree, compute, django_assert_max_num_queries):
    record(tree["branch_a"], 2, 1, Q3)
    period = compute()
    url = reverse("evaluation:period", args=[period.pk]) + f"?org={tree['community'].pk}"
    as_officer.get(url)
    with django_assert_max_num_queries(30) as few:
        as_officer.get(url)
    for i in range(6):
        make_org(parent=tree["community"], name=f"新支部{i}", kind="branch", code=f"N{i:03d}")
    compute(recompute=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        as_officer.get(url)


def _period_page(client, period, tree) -> str:
    return client.get(reverse("evaluation:period", args=[period.pk]) + f"?org={tree['community'].pk}").content.decode()


def test_efficiency_caveats_show_on_the_period_page_in_chinese(three, compute, as_officer, tree):
    frontier_quarter(*three)
    period = compute()
    # 3 units for 1 input and 1 output: below Cooper's rule of thumb max(m*s, 3(m+s)) = 6.
    page = _period_page(as_officer, period, tree)
    assert "效率分析：决策单元数 3 少于经验法则" in page
    assert "rule of thumb" not in page


def test_an_incomplete_efficiency_result_is_not_stored_but_explained(three, compute, as_officer, tree, monkeypatch):
    """Whatever the engine returns, a DEA result without peers or slacks is neither stored nor shown as right."""
    engine_loses_one_dmu(monkeypatch, 0)
    frontier_quarter(*three)
    period = compute()
    assert not Efficiency.objects.filter(period=period, score__gt=0).exists()
    page = _period_page(as_officer, period, tree)
    assert "效率分析：" in page and "结果不完整" in page


def test_a_refused_malmquist_index_is_explained(three, compute, as_officer, tree, monkeypatch):
    from dangjian.analytics import AnalyticsInputError
    from dangjian.evaluation import services

    a, b, c = three
    q2 = dt.date(2026, 4, 1)
    for org, n in ((a, 2), (b, 1), (c, 2)):
        record(org, 2, n, q2)
        record(org, 0, 0, Q3)
    configure(q2)
    compute(start=q2, today=dt.date(2026, 7, 5))
    for org in (a, b, c):
        people = list(org.members.all())
        meeting(org, Q3 + dt.timedelta(days=3), present=people)

    def refuse(**_kwargs):
        raise AnalyticsInputError("示例：跨期距离函数无解", "example: no cross-period distance")

    monkeypatch.setattr(services, "malmquist", refuse)
    period = compute()
    assert not Efficiency.objects.filter(period=period, malmquist__isnull=False).exists()
    assert "生产率变化（曼奎斯特生产率指数）：示例：跨期距离函数无解" in _period_page(as_officer, period, tree)

"""The 三率 at their edges (mutation testing, docs/testing.md): shares, the composite, the red and
black lists, and the average handling time.

Weights are the defaults docs/appeals.md states (response 0.30, resolution 0.35, satisfaction
0.35); every expected figure is worked by hand.
"""

import datetime as dt

import pytest

from dangjian.appeals import services
from dangjian.appeals.models import Appeal
from dangjian.appeals.selectors import Rates, appeal_rates, composite, rankings
from tests.appeals.helpers import submit, walk

T0 = dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC)


def rates(received=0, responded=0, resolved=0, handled=0, on_time=0, rated=0, satisfied=0, reopened=0, **kw):
    return Rates(received=received, responded=responded, resolved=resolved, handled=handled, on_time=on_time,
                 rated=rated, satisfied=satisfied, not_called_back=kw.pop("not_called_back", 0),
                 declined=kw.pop("declined", 0), declined_pending=kw.pop("declined_pending", 0), reopened=reopened,
                 avg_hours=kw.pop("avg_hours", None), **kw)


def test_shares_are_rounded_to_four_places_and_missing_without_a_denominator():
    r = rates(received=3, responded=1, resolved=2, handled=3, on_time=2, rated=6, satisfied=5, reopened=1)
    assert (r.response_rate, r.resolution_rate, r.satisfaction_rate) == (0.3333, 0.6667, 0.8333)
    assert (r.on_time_rate, r.reopen_rate) == (0.6667, 0.3333)
    empty = rates()
    assert (empty.response_rate, empty.resolution_rate, empty.satisfaction_rate, empty.on_time_rate,
            empty.reopen_rate, empty.composite) == (None,) * 6


def test_the_composite_weighs_the_three_rates_and_leaves_out_a_missing_one():
    assert composite(response=1.0, resolution=1.0, satisfaction=1.0) == 100.0
    assert composite(response=0.5, resolution=0.2, satisfaction=0.8) == 50.0  # 15 + 7 + 28
    assert composite(response=0.5, resolution=0.2, satisfaction=None) == 33.8  # (15 + 7) / 0.65 = 33.846
    assert composite(response=None, resolution=None, satisfaction=0.8) == 80.0
    assert composite(response=None, resolution=None, satisfaction=None) is None
    assert composite(response=0.0, resolution=0.0, satisfaction=0.0) == 0.0


def test_the_composite_follows_the_configured_weights(settings):
    settings.DANGJIAN = {**settings.DANGJIAN, "APPEAL_RATE_WEIGHTS": {"response": 0.5, "resolution": 0.5,
                                                                      "satisfaction": 0}}
    # A rate weighted 0 is left out, like a missing one.
    assert composite(response=0.4, resolution=0.8, satisfaction=0.0) == 60.0
    settings.DANGJIAN = {**settings.DANGJIAN, "APPEAL_RATE_WEIGHTS": {"response": 0, "resolution": 0,
                                                                      "satisfaction": 0}}
    assert composite(response=0.4, resolution=0.8, satisfaction=0.5) is None


def test_rates_composite_and_dictionary():
    r = rates(received=5, responded=2, resolved=1, handled=2, on_time=1, rated=2, satisfied=1, reopened=0,
              not_called_back=1, declined=3, declined_pending=2, merged=5, avg_hours=12.5)
    # 0.30·0.4 + 0.35·0.2 + 0.35·0.5 = 0.12 + 0.07 + 0.175 = 0.365
    assert r.composite == 36.5
    assert r.as_dict() == {
        "received": 5, "resolved": 1, "handled": 2, "rated": 2, "not_called_back": 1, "declined": 3,
        "declined_pending": 2, "merged": 5, "response_rate": 0.4, "resolution_rate": 0.2, "satisfaction_rate": 0.5,
        "on_time_rate": 0.5, "reopen_rate": 0.0, "avg_handling_hours": 12.5, "composite": 36.5}
    assert rates(received=2, rated=0).composite == 0.0  # received, nothing responded or resolved: 0, not missing


def _units(*composites_and_received):
    """[(unit, Rates)] whose composite is the given one (response = resolution = satisfaction = c / 100)."""
    out = []
    for i, (c, received) in enumerate(composites_and_received):
        n = round(c * received / 100)
        out.append((f"u{i}", rates(received=received, responded=n, resolved=n, rated=received, satisfied=n)))
    return out


def test_rankings_need_the_switch(settings):
    settings.DANGJIAN = {**settings.DANGJIAN, "RANKINGS_ENABLED": False}
    assert rankings(_units((100, 5), (0, 5))) is None


def test_red_best_first_black_worst_first_and_small_units_left_out(settings):
    settings.DANGJIAN = {**settings.DANGJIAN, "RANKINGS_ENABLED": True}
    units = _units((80, 5), (20, 5), (100, 5), (60, 5), (0, 5), (40, 5), (100, 4), (0, 4))
    lists = rankings(units, size=2)
    assert [k for k, _ in lists["red"]] == ["u2", "u0"]      # 100, 80
    assert [k for k, _ in lists["black"]] == ["u4", "u1"]    # 0, 20
    # Fewer than twice the size: each list takes half of those ranked.
    lists = rankings(units, size=3)
    assert [k for k, _ in lists["red"]] == ["u2", "u0", "u3"] and [k for k, _ in lists["black"]] == ["u4", "u1", "u5"]
    lists = rankings(units, size=4)
    assert [k for k, _ in lists["red"]] == ["u2", "u0", "u3"] and [k for k, _ in lists["black"]] == ["u4", "u1", "u5"]
    lists = rankings(_units((100, 5), (50, 5), (0, 5)), size=3)
    assert [k for k, _ in lists["red"]] == ["u0"] and [k for k, _ in lists["black"]] == ["u2"]
    assert rankings(_units((100, 5)), size=3) == {"red": [], "black": []}
    assert rankings(_units((100, 4), (0, 4)), size=1) == {"red": [], "black": []}  # under five appeals each


@pytest.mark.django_db
def test_average_handling_time_in_hours_to_one_place(community_secretary, tree):
    # Two appeals handled in 100 days (2,400 h) and 100 days 3 h: 2,401.5 h on average.
    for hours in (2400, 2403):
        walk(submit(tree["community"], now=T0), community_secretary, until="resolve",
             now=T0 + dt.timedelta(hours=hours))
    r = appeal_rates(Appeal.objects.all())
    assert (r.handled, r.avg_hours) == (2, 2401.5)
    open_only = submit(tree["community"], now=T0)
    assert appeal_rates(Appeal.objects.filter(pk=open_only.pk)).avg_hours is None
    services.appeal_transition(appeal=open_only, step="accept", by=community_secretary, data={},
                               now=T0 + dt.timedelta(hours=1))
    assert appeal_rates(Appeal.objects.filter(pk=open_only.pk)).avg_hours is None


@pytest.mark.django_db
def test_appeals_overdue_as_of_a_past_day(community_secretary, tree):
    """The warning recomputed for a past day: received by then, past the resolve-by time, not resolved by then,
    not declined. The resolve-by time is read off each appeal (the installation's deadline)."""
    from django.utils import timezone

    from dangjian.appeals.warning_rules import appeals_overdue

    org = tree["community"]
    open_ = submit(org, now=T0)
    due = open_.resolve_due_at
    in_time = walk(submit(org, now=T0), community_secretary, until="resolve", now=due - dt.timedelta(hours=1))
    late = walk(submit(org, now=T0), community_secretary, until="resolve", now=due + dt.timedelta(days=3))
    declined = submit(org, now=T0)
    services.appeal_transition(appeal=declined, step="reject", by=community_secretary, data={"note": "重复反映"},
                               now=T0 + dt.timedelta(hours=1))
    day = timezone.localdate(due)

    def overdue(as_of):
        found = appeals_overdue(period_start=as_of - dt.timedelta(days=30), as_of=as_of,
                                config=type("Config", (), {"serious_count": 5})())
        return found[org.pk].count if org.pk in found else 0

    assert overdue(day - dt.timedelta(days=1)) == 0
    assert overdue(day + dt.timedelta(days=1)) == 2       # open and late (not resolved yet)
    assert overdue(day + dt.timedelta(days=5)) == 1       # late was resolved on day + 3
    # An appeal received after the day does not count for it, even once it is past its own deadline.
    submit(org, now=due + dt.timedelta(days=10))
    assert overdue(day + dt.timedelta(days=5)) == 1
    assert in_time.resolved_at < due and late.resolved_at > due


def test_lists_of_three_from_eight_ranked_units(settings):
    settings.DANGJIAN = {**settings.DANGJIAN, "RANKINGS_ENABLED": True}
    units = _units((10, 10), (90, 10), (30, 10), (70, 10), (50, 10), (100, 10), (0, 10), (60, 10))
    lists = rankings(units, size=3)
    assert [k for k, _ in lists["red"]] == ["u5", "u1", "u3"]    # 100, 90, 70
    assert [k for k, _ in lists["black"]] == ["u6", "u0", "u2"]  # 0, 10, 30


@pytest.mark.django_db
def test_an_answer_counts_while_the_appeal_is_handled_again(community_secretary, tree):
    """Satisfied with the handling but not resolved: the appeal reopens, and the answer still counts (满意率 is
    over the answers given at 回访, one per appeal), though the appeal is no longer handled."""
    a = walk(submit(tree["community"], now=T0), community_secretary, until="resolve", now=T0 + dt.timedelta(hours=5))
    services.appeal_rate(tracking_code=a.tracking_code, rating="satisfied", resolved=False)
    r = appeal_rates(Appeal.objects.all())
    assert (r.handled, r.rated, r.satisfied, r.resolved) == (0, 1, 1, 0)
    assert r.satisfaction_rate == 1.0


@pytest.mark.django_db
def test_an_appeal_rated_then_merged_as_a_duplicate_leaves_the_rates(community_secretary, tree):
    """Satisfied but not resolved, the appeal reopens; staff then find it is the same problem as another case
    and merge it (its caller follows that case). A merged duplicate is not counted: its answer is not among
    the rated or the satisfied, and its handling time is not in the average, though it is closed, rated
    and was resolved once."""
    org = tree["community"]
    master = walk(submit(org, now=T0), community_secretary, until="resolve", now=T0 + dt.timedelta(hours=10))
    dup = walk(submit(org, "楼下垃圾桶一直没人清运", now=T0), community_secretary, until="resolve",
               now=T0 + dt.timedelta(hours=100))
    services.appeal_rate(tracking_code=dup.tracking_code, rating="satisfied", resolved=False)
    services.appeal_merge(by=community_secretary, appeal=Appeal.objects.get(pk=dup.pk), into=master,
                          now=T0 + dt.timedelta(hours=101))
    dup.refresh_from_db()
    assert (dup.state, dup.rating, dup.merged_into_id) == ("closed", "satisfied", master.pk)
    assert dup.resolved_at == T0 + dt.timedelta(hours=100)
    r = appeal_rates(Appeal.objects.all())
    assert (r.received, r.merged, r.handled, r.rated, r.satisfied) == (1, 1, 1, 0, 0)
    assert r.avg_hours == 10.0  # the master's 10 h alone, not (10 + 100) / 2

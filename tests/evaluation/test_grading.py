"""Grading thresholds and quota caps at their boundaries; movement; weak-and-lax rules; index weights."""

import numpy as np
import pytest

from dangjian.evaluation import grading, indices
from tests import regulations as reg

LEVELS = [[85, "advanced"], [70, "good"], [60, "average"], [0, "lagging"]]


@pytest.mark.parametrize(("score", "grade"), [
    (85.0, "advanced"), (84.99, "good"), (70.0, "good"), (69.99, "average"), (60.0, "average"), (59.99, "lagging"), (0, "lagging"),
])
def test_threshold_boundaries(score, grade):
    assert grading.by_threshold(score, LEVELS) == grade


def test_quota_cap_keeps_floor_of_share_and_demotes_the_lowest():
    # 10 orgs, cap 30%: at most 3 advanced; 4 scored >= 85 -> the lowest of them (86) drops to good.
    scores = {i: s for i, s in enumerate([99, 95, 90, 86, 80, 75, 65, 62, 50, 40])}
    out = grading.assign(scores, LEVELS, {"advanced": 0.3})
    assert [oid for oid, (g, _d) in out.items() if g == "advanced"] == [0, 1, 2]
    assert out[3] == ("good", True)
    assert out[4] == ("good", False)


def test_quota_exactly_at_cap_demotes_nobody():
    scores = {i: s for i, s in enumerate([99, 95, 90, 80, 75, 65, 62, 50, 40, 30])}
    out = grading.assign(scores, LEVELS, {"advanced": 0.3})
    assert sum(g == "advanced" for g, _d in out.values()) == 3
    assert not any(d for _g, d in out.values())


def test_quota_cascades_into_the_next_capped_grade():
    scores = {1: 90, 2: 89, 3: 88, 4: 87}
    out = grading.assign(scores, LEVELS, {"advanced": 0.25, "good": 0.5})
    assert [out[i][0] for i in (1, 2, 3, 4)] == ["advanced", "good", "good", "average"]


def test_movement_against_last_period():
    assert grading.movement("advanced", "good", LEVELS) == 1
    assert grading.movement("good", "good", LEVELS) == 0
    assert grading.movement("lagging", "average", LEVELS) == -1
    assert grading.movement("good", "", LEVELS) is None


def test_weak_and_lax_reasons_at_their_boundaries():
    rule = grading.WeakRule(score_below=40, bad_warnings=3, lowest_twice=True)
    kw = {"thresholds": LEVELS, "rule": rule}
    assert grading.weak_reasons(score=40, bad_warnings=2, grade="lagging", previous="average", **kw) == []
    assert len(grading.weak_reasons(score=39.9, bad_warnings=2, grade="lagging", previous="", **kw)) == 1
    assert len(grading.weak_reasons(score=50, bad_warnings=3, grade="average", previous="", **kw)) == 1
    assert len(grading.weak_reasons(score=50, bad_warnings=0, grade="lagging", previous="lagging", **kw)) == 1


def test_bounded_indicators_keep_their_scale_and_lower_is_better_flips():
    cols = [indices.Column("a", "cohesion", True, True), indices.Column("b", "capacity", True, False),
            indices.Column("c", "influence", False, True)]
    raw = np.array([[0.8, 0.1, 2.0], [0.6, np.nan, 4.0], [np.nan, 0.3, 3.0]])
    norm = indices.normalise(raw, cols)
    assert norm[0, 0] == pytest.approx(0.8) and norm[0, 1] == pytest.approx(0.9)
    assert list(norm[:, 2]) == pytest.approx([0.0, 1.0, 0.5])
    filled, has = indices.fill_missing(norm)
    assert filled[2, 0] == pytest.approx(0.7) and has.all()


def test_equal_weights_split_dimensions_then_indicators():
    cols = [indices.Column("a", "cohesion", True, True), indices.Column("b", "cohesion", True, True),
            indices.Column("c", "influence", True, True)]
    w = indices.final_weights("equal", cols, ["cohesion", "influence", "capacity"], {}, np.ones((3, 3)))
    assert w == pytest.approx({"a": 0.25, "b": 0.25, "c": 0.5})


def test_ahp_weights_follow_the_judgements():
    cols = [indices.Column("a", "cohesion", True, True), indices.Column("b", "influence", True, True),
            indices.Column("c", "capacity", True, True)]
    judgements = {"dimensions": indices.judgement(["cohesion", "influence", "capacity"], [[1, 3, 3], [1 / 3, 1, 1], [1 / 3, 1, 1]])}
    w = indices.final_weights("ahp", cols, ["cohesion", "influence", "capacity"], judgements, np.ones((3, 3)))
    assert w["a"] == pytest.approx(0.6) and w["b"] == pytest.approx(0.2)


def test_ranks_share_ties():
    assert list(indices.ranks(np.array([50.0, 80.0, 80.0, 10.0]))) == [3, 1, 1, 4]


STARS = [[90, "5"], [80, "4"], [70, "3"], [60, "2"], [0, "1"]]


@pytest.mark.parametrize("rounding", sorted(reg.FIVE_STAR_MOST))
def test_five_star_cap_by_its_rounding(rounding):
    for n, most in reg.FIVE_STAR_MOST[rounding].items():
        assert grading.cap_limit(reg.FIVE_STAR_SHARE, n, rounding) == most, (rounding, n)
        # Everyone scored five stars: the cap keeps `most` of them, the rest drop to four.
        scores = {i: 99 - i for i in range(n)}
        out = grading.assign(scores, STARS, {"5": reg.FIVE_STAR_SHARE}, rounding)
        assert sum(g == "5" for g, _d in out.values()) == most, (rounding, n)
        assert sum(d for _g, d in out.values()) == n - most


def test_default_rounding_gives_one_of_three_a_fifth_star(db):
    from dangjian.evaluation.models import GradingScheme

    assert GradingScheme._meta.get_field("cap_rounding").default == "half_up"
    out = grading.assign({1: 95, 2: 94, 3: 93}, STARS, {"5": 0.3})
    assert [out[i][0] for i in (1, 2, 3)] == ["5", "4", "4"]

"""Pure rules: weights add up to 100, thresholds, final score, grades and the five-star cap."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dangjian.assessment import scoring

TH = [90, 80, 70, 60]


def test_weights_must_add_up_to_100():
    scoring.check_weights({"superior": 60, "duty": 0, "democratic": 40})
    with pytest.raises(ValidationError, match="当前为 99"):
        scoring.check_weights({"superior": 60, "duty": 0, "democratic": 39})
    with pytest.raises(ValidationError, match="当前为 101"):
        scoring.check_weights({"superior": 61, "duty": 0, "democratic": 40})
    with pytest.raises(ValidationError, match="负数"):
        scoring.check_weights({"superior": 110, "duty": -10, "democratic": 0})


def test_thresholds_must_descend():
    scoring.check_thresholds(TH)
    for bad in ([80, 90, 70, 60], [90, 90, 70, 60], [90, 80, 70], [101, 80, 70, 60]):
        with pytest.raises(ValidationError):
            scoring.check_thresholds(bad)


@pytest.mark.parametrize("score,stars", [(100, 5), (90, 5), (89.99, 4), (80, 4), (79.99, 3), (70, 3), (69.99, 2),
                                         (60, 2), (59.99, 1), (0, 1)])
def test_grade_boundaries(score, stars):
    assert scoring.stars_for(score, TH) == stars


def test_superior_score_with_deductions_never_negative():
    assert scoring.superior_score([45, 40], [5], [50, 50]) == 80.0
    assert scoring.superior_score([5], [10], [50]) == 0.0


def test_final_score_is_weighted():
    assert scoring.final_score({"superior": (60, 80.0), "democratic": (40, 90.0)}) == 84.0


def test_five_star_cap_30_percent():
    scores = {i: 95 - i for i in range(10)}  # ten organisations, all >= 86
    stars = scoring.grade_all(scores, TH, 30)
    assert [k for k, s in stars.items() if s == 5] == [0, 1, 2]
    assert stars[3] == 4 and stars[5] == 5 - 1


def test_ties_at_the_cap_all_drop():
    stars = scoring.grade_all({1: 95, 2: 92, 3: 92, 4: 50}, TH, 50)  # allowed 2, but two tie for second
    assert stars == {1: 5, 2: 4, 3: 4, 4: 1}


@given(st.dictionaries(st.integers(0, 500), st.floats(0, 100), max_size=60), st.integers(0, 100))
def test_cap_never_exceeded_and_grades_monotone(scores, cap):
    stars = scoring.grade_all(scores, TH, cap)
    assert sum(1 for s in stars.values() if s == 5) <= len(scores) * cap / 100
    ordered = sorted(scores, key=lambda k: scores[k])
    assert all(stars[a] <= stars[b] for a, b in zip(ordered, ordered[1:], strict=False))

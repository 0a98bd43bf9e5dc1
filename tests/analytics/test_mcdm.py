"""Entropy weights, combined weights and TOPSIS against published examples."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.analytics import AnalyticsInputError, combine_weights, entropy_weights, topsis

# Elsayed, Dawood & Karthikeyan, "Evaluating alternatives through the application
# of TOPSIS method with entropy weight", Int. J. Eng. Trends Technol. 46(2), 2017,
# pp. 60-66: 12 alternatives, 5 criteria; weights to 6 d.p. as reproduced in the
# pymcdm package's tests (test_weights.py, TestEntropyWeights).
ELSAYED = [[7, 312, 1891, 6613, 163], [72, 88, 728, 941804, 1078],
           [10, 252, 2594, 3466, 117471], [10, 145, 980, 2371, 86329],
           [65, 54, 350, 501, 29897], [29, 48, 380, 912, 34051],
           [7, 476, 3300, 78470, 2212], [70, 87, 650, 733, 819000],
           [4, 86, 591, 3015, 103], [12, 79, 579, 3240, 96098],
           [21, 45, 261, 1253, 453], [1, 72, 530, 4333, 0.104800]]
ELSAYED_WEIGHTS = [0.104991, 0.069124, 0.071373, 0.449937, 0.304575]


def test_entropy_weights_match_elsayed_2017() -> None:
    result = entropy_weights(matrix=ELSAYED, criteria=["c1", "c2", "c3", "c4", "c5"])
    np.testing.assert_allclose(result.weights, ELSAYED_WEIGHTS, atol=5e-7)
    np.testing.assert_allclose(result.divergence, 1 - result.entropy)


def test_entropy_of_a_constant_column_gives_it_no_weight() -> None:
    result = entropy_weights(matrix=[[1, 5], [2, 5], [3, 5]])
    assert result.weights[1] == pytest.approx(0.0, abs=1e-12)
    assert result.weights[0] == pytest.approx(1.0)


def test_entropy_treats_zero_cells_as_zero_information() -> None:
    # 0 ln 0 = 0: a column with one non-zero cell carries all the information.
    result = entropy_weights(matrix=[[1, 1], [0, 2], [0, 3]])
    assert result.entropy[0] == pytest.approx(0.0)
    assert result.weights[0] > result.weights[1]


# Papathanasiou & Ploskas, "TOPSIS", in Multiple Criteria Decision Aid (Springer,
# 2018), pp. 1-30: six alternatives, four benefit criteria, weights 0.4/0.3/0.1/0.2,
# vector normalisation; closeness to 3 d.p. as reproduced in the
# distance_metrics_mcda package's tests.
def test_topsis_matches_papathanasiou_ploskas_2018() -> None:
    matrix = [[8, 7, 2, 1], [5, 3, 7, 5], [7, 5, 6, 4], [9, 9, 7, 3], [11, 10, 3, 7], [6, 9, 5, 4]]
    result = topsis(matrix=matrix, weights=[0.4, 0.3, 0.1, 0.2])
    np.testing.assert_allclose(result.closeness, [0.387, 0.327, 0.391, 0.615, 0.868, 0.493],
                               atol=5e-4)
    assert result.rank.tolist() == [5, 6, 4, 2, 1, 3]


# Opricovic & Tzeng, "Compromise solution by MCDM methods: A comparative analysis
# of VIKOR and TOPSIS", EJOR 156(2), 2004, pp. 445-455: three alternatives, a cost
# criterion (1, 2, 5) and a benefit criterion (3000, 3750, 4500), equal weights;
# closeness 0.500, 0.617, 0.500 with linear (min-max) normalisation, as in the
# pymcdm package's tests (test_mcdm.py, TestTOPSIS, whose default is min-max).
def test_topsis_minmax_matches_opricovic_tzeng_2004() -> None:
    matrix = [[1, 3000], [2, 3750], [5, 4500]]
    result = topsis(matrix=matrix, weights=[0.5, 0.5], cost=["risk"], criteria=["risk", "gain"],
                    names=["A1", "A2", "A3"], normalization="minmax")
    np.testing.assert_allclose(result.closeness, [0.500, 0.617, 0.500], atol=5e-4)
    assert result.rank.tolist() == [2, 1, 2]


def test_topsis_by_hand_with_vector_normalisation() -> None:
    # Independent step-by-step computation (Hwang & Yoon 1981, steps 1-6).
    x = np.array([[250, 16, 12, 5], [200, 16, 8, 3], [300, 32, 16, 4], [275, 32, 8, 4],
                  [225, 16, 16, 2]], dtype=float)
    w = np.array([0.25, 0.25, 0.25, 0.25])
    cost = np.array([True, False, False, False])
    r = x / np.linalg.norm(x, axis=0)
    v = r * w
    best = np.where(cost, v.min(0), v.max(0))
    worst = np.where(cost, v.max(0), v.min(0))
    dp = np.linalg.norm(v - best, axis=1)
    dm = np.linalg.norm(v - worst, axis=1)
    result = topsis(matrix=x, weights=[1, 1, 1, 1], cost=cost.tolist())
    np.testing.assert_allclose(result.closeness, dm / (dp + dm))
    assert sorted(result.rank.tolist()) == [1, 2, 3, 4, 5]


def test_topsis_is_invariant_to_scaling_a_criterion() -> None:
    rng = np.random.default_rng(5)
    x = rng.uniform(1, 10, (8, 4))
    x2 = x.copy()
    x2[:, 2] *= 1000
    a = topsis(matrix=x, weights=[1, 2, 3, 4], cost=[False, True, False, False])
    b = topsis(matrix=x2, weights=[1, 2, 3, 4], cost=[False, True, False, False])
    np.testing.assert_allclose(a.closeness, b.closeness)


def test_combined_weights() -> None:
    s, o = [0.5, 0.3, 0.2], [0.2, 0.2, 0.6]
    np.testing.assert_allclose(combine_weights(subjective=s, objective=o),
                               np.array([0.1, 0.06, 0.12]) / 0.28)
    np.testing.assert_allclose(combine_weights(subjective=s, objective=o, method="linear", alpha=0.25),
                               [0.275, 0.225, 0.5])


def test_ties_share_the_better_rank() -> None:
    result = topsis(matrix=[[1, 2], [1, 2], [2, 1]], weights=[1, 1])
    assert result.rank[0] == result.rank[1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"matrix": [[1, -2], [3, 4]], "weights": [1, 1]}, "negative"),
        ({"matrix": [[1, 2], [3, 4]], "weights": [1]}, "1 weights for 2 criteria"),
        ({"matrix": [[1, 2], [3, 4]], "weights": [1, 1], "cost": ["nope"]}, "not a criterion"),
        ({"matrix": [[1, 0], [3, 0]], "weights": [1, 1]}, "whole column is zero"),
        ({"matrix": [[1, 2]], "weights": [1, 1]}, "at least 2"),
        ({"matrix": [[1, "x"], [3, 4]], "weights": [1, 1]}, "not a number"),
        ({"matrix": [[1, 2], [3]], "weights": [1, 1]}, "expected 2 values, got 1"),
    ],
)
def test_bad_topsis_input_is_named(kwargs, message) -> None:
    with pytest.raises(AnalyticsInputError, match=message):
        topsis(**kwargs)


# --- Entropy round-off (issue 20) ----------------------------------------------------------

@pytest.mark.parametrize("n", range(2, 41))
@pytest.mark.parametrize("value", [0.1, 1 / 3, 7.0, 123456.789])
def test_all_constant_criteria_are_refused_whatever_the_row_count(n, value) -> None:
    # Round-off in p = x / sum(x) used to leave 1 - e at +-1e-16 and weights of 0.5 / 0.5.
    with pytest.raises(AnalyticsInputError, match="entropy weights are undefined"):
        entropy_weights(matrix=np.full((n, 2), value))


@settings(max_examples=200)
@given(
    n=st.integers(2, 30),
    base=st.floats(1e-3, 1e9),
    spreads=st.lists(st.floats(0.0, 1e-6), min_size=2, max_size=5),
    seed=st.integers(0, 2**32 - 1),
)
def test_near_constant_criteria_never_get_negative_weights(n, base, spreads, seed) -> None:
    rng = np.random.default_rng(seed)
    x = base * (1.0 + rng.uniform(0, 1, (n, len(spreads))) * np.array(spreads))
    try:
        result = entropy_weights(matrix=x)
    except AnalyticsInputError:
        return  # every column constant to round-off: the documented refusal
    assert (result.weights >= 0).all(), result.weights
    assert result.weights.sum() == pytest.approx(1.0, abs=1e-12)
    assert (result.divergence >= 0).all() and (result.entropy <= 1).all()


def test_a_near_constant_column_weighs_little_but_never_below_zero() -> None:
    x = np.column_stack([[0.1] * 9 + [0.1 + 1e-15], np.linspace(1, 2, 10), [5.0] * 10])
    result = entropy_weights(matrix=x)
    assert result.weights[0] >= 0 and result.weights[2] == 0.0
    assert result.weights.sum() == pytest.approx(1.0)


# --- Boundaries the mutation run (tools/mutate.py mcdm) showed untested ---------------------
# Every expected value below is worked by hand from the definitions in docs/analytics.md.

def test_criteria_are_named_c1_c2_when_no_names_are_given() -> None:
    assert entropy_weights(matrix=[[1, 2, 3], [2, 1, 3]]).criteria == ["c1", "c2", "c3"]
    assert topsis(matrix=[[1, 2], [2, 1]], weights=[1, 1]).criteria == ["c1", "c2"]


def test_a_column_that_differs_below_one_part_in_1e12_counts_as_exactly_constant() -> None:
    # 1e6 and 1e6 + 1e-7 differ by 1e-13 of the largest value: constant by the documented
    # rule, so divergence and weight are exactly 0, not a round-off residue of ~1e-27.
    result = entropy_weights(matrix=[[1, 1e6], [2, 1e6 + 1e-7], [3, 1e6]])
    assert result.divergence[1] == 0.0
    assert result.weights[1] == 0.0
    assert result.weights[0] == 1.0


def test_linear_combination_normalises_both_weight_vectors_first() -> None:
    # s = (2, 6) normalises to (0.25, 0.75), o = (1, 1) to (0.5, 0.5);
    # alpha = 0.5: (0.375, 0.625).
    np.testing.assert_allclose(
        combine_weights(subjective=[2, 6], objective=[1, 1], method="linear", alpha=0.5), [0.375, 0.625])


def test_linear_combination_accepts_alpha_at_both_ends_and_refuses_beyond() -> None:
    s, o = [0.5, 0.3, 0.2], [0.2, 0.2, 0.6]
    np.testing.assert_allclose(combine_weights(subjective=s, objective=o, method="linear", alpha=1.0), s)
    np.testing.assert_allclose(combine_weights(subjective=s, objective=o, method="linear", alpha=0.0), o)
    for alpha in (1.5, -0.1):
        with pytest.raises(AnalyticsInputError, match="alpha must lie between 0 and 1"):
            combine_weights(subjective=s, objective=o, method="linear", alpha=alpha)


@pytest.mark.parametrize(("s", "o"), [([0, 0], [1, 1]), ([1, 1], [0, 0])])
def test_an_all_zero_weight_vector_is_refused(s, o) -> None:
    with pytest.raises(AnalyticsInputError, match="not all zero"):
        combine_weights(subjective=s, objective=o)


def test_too_many_topsis_weights_are_refused_too() -> None:
    with pytest.raises(AnalyticsInputError, match="3 weights for 2 criteria"):
        topsis(matrix=[[1, 2], [3, 4]], weights=[1, 1, 1])


@pytest.mark.parametrize("normalization", ["sum", "zscore", "linear"])
def test_an_unknown_normalisation_is_refused_whatever_its_name(normalization) -> None:
    with pytest.raises(AnalyticsInputError, match="unknown normalization"):
        topsis(matrix=[[1, 2], [3, 4]], weights=[1, 1], normalization=normalization)

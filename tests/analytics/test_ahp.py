"""AHP against Saaty's published examples, consistency reporting, groups and hierarchies."""

from __future__ import annotations

import numpy as np
import pytest

from dangjian.analytics import AnalyticsInputError, ahp, ahp_group, ahp_hierarchy
from dangjian.analytics.ahp import RANDOM_INDEX, parse_judgement

# Saaty, "Decision making with the analytic hierarchy process", Int. J. Services
# Sciences 1(1), 2008, pp. 83-98: relative consumption of drinks in the US.
# Weights to 3 d.p. and CR = 0.022 as also asserted by the ahpy package's tests
# (which use the RI table of Saaty 2005, our "saaty2005").
DRINKS = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
DRINKS_MATRIX = [
    [1, 9, 5, 2, 1, 1, "1/2"],
    ["1/9", 1, "1/3", "1/9", "1/9", "1/9", "1/9"],
    ["1/5", 3, 1, "1/3", "1/4", "1/3", "1/9"],
    ["1/2", 9, 3, 1, "1/2", 1, "1/3"],
    [1, 9, 4, 2, 1, 2, "1/2"],
    [1, 9, 3, 1, "1/2", 1, "1/3"],
    [2, 9, 9, 3, 2, 3, 1],
]
DRINKS_WEIGHTS = {"coffee": 0.177, "wine": 0.019, "tea": 0.042, "beer": 0.116,
                  "soda": 0.190, "milk": 0.129, "water": 0.327}


def _full(names: list[str], upper: dict[tuple[str, str], float]) -> list[list[float]]:
    """A reciprocal matrix from the judgements above the diagonal (either order)."""
    index = {n: i for i, n in enumerate(names)}
    a = np.ones((len(names), len(names)))
    for (p, q), value in upper.items():
        a[index[p], index[q]] = value
        a[index[q], index[p]] = 1.0 / value
    return a.tolist()


def test_saaty_drinks_weights_and_consistency() -> None:
    result = ahp(matrix=DRINKS_MATRIX, names=DRINKS, random_index="saaty2005")
    for name, weight in DRINKS_WEIGHTS.items():
        assert result.weight_of(name) == pytest.approx(weight, abs=5e-4), name
    assert result.cr == pytest.approx(0.022, abs=5e-4)
    assert result.consistent
    assert result.worst_judgement is None
    assert result.ci == pytest.approx((result.lambda_max - 7) / 6)


def test_default_table_is_saaty_1980() -> None:
    result = ahp(matrix=DRINKS_MATRIX, names=DRINKS)
    assert result.random_index_table == "saaty1980"
    assert result.ri == 1.32
    assert RANDOM_INDEX["saaty1980"][2:10] == (0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)


# Saaty, "Theory and Applications of the Analytic Network Process" (2005): choosing
# a city; criteria and the four cities under each, global priorities to 3 d.p.
# (as asserted by the ahpy package's tests, random_index='saaty').
CRITERIA = ["Culture", "Family", "Housing", "Jobs", "Transportation"]
CITIES = ["Bethesda", "Boston", "Pittsburgh", "Santa Fe"]
CRITERIA_J = {("Culture", "Housing"): 3, ("Culture", "Transportation"): 5,
              ("Family", "Culture"): 5, ("Family", "Housing"): 7, ("Family", "Transportation"): 7,
              ("Housing", "Transportation"): 3, ("Jobs", "Culture"): 2, ("Jobs", "Housing"): 4,
              ("Jobs", "Transportation"): 7, ("Family", "Jobs"): 1}
UNDER = {
    "Culture": {("Bethesda", "Pittsburgh"): 1, ("Boston", "Bethesda"): 2,
                ("Boston", "Pittsburgh"): 2.5, ("Boston", "Santa Fe"): 1,
                ("Santa Fe", "Bethesda"): 2, ("Santa Fe", "Pittsburgh"): 2.5},
    "Family": {("Bethesda", "Boston"): 2, ("Bethesda", "Santa Fe"): 4, ("Boston", "Santa Fe"): 2,
               ("Pittsburgh", "Bethesda"): 3, ("Pittsburgh", "Boston"): 8,
               ("Pittsburgh", "Santa Fe"): 9},
    "Housing": {("Bethesda", "Boston"): 5, ("Bethesda", "Santa Fe"): 2.5,
                ("Pittsburgh", "Bethesda"): 2, ("Pittsburgh", "Boston"): 9,
                ("Pittsburgh", "Santa Fe"): 7, ("Santa Fe", "Boston"): 4},
    "Jobs": {("Bethesda", "Pittsburgh"): 3, ("Bethesda", "Santa Fe"): 4, ("Boston", "Bethesda"): 2,
             ("Boston", "Pittsburgh"): 6, ("Boston", "Santa Fe"): 8, ("Pittsburgh", "Santa Fe"): 1},
    "Transportation": {("Bethesda", "Boston"): 1.5, ("Bethesda", "Santa Fe"): 4,
                       ("Boston", "Santa Fe"): 2.5, ("Pittsburgh", "Bethesda"): 2,
                       ("Pittsburgh", "Boston"): 3.5, ("Pittsburgh", "Santa Fe"): 9},
}


def test_saaty_city_hierarchy_global_weights() -> None:
    goal = ahp(matrix=_full(CRITERIA, CRITERIA_J), names=CRITERIA, random_index="saaty2005")
    children = {c: ahp(matrix=_full(CITIES, UNDER[c]), names=CITIES, random_index="saaty2005")
                for c in CRITERIA}
    result = ahp_hierarchy(criteria=goal, children=children)
    expected = {"Bethesda": 0.229, "Boston": 0.275, "Pittsburgh": 0.385, "Santa Fe": 0.111}
    for city, weight in expected.items():
        assert result.by_child[city] == pytest.approx(weight, abs=5e-4), city
    assert sum(result.global_weights.values()) == pytest.approx(1.0)
    assert result.global_weights[("Family", "Pittsburgh")] == pytest.approx(
        goal.weight_of("Family") * children["Family"].weight_of("Pittsburgh"))


def test_inconsistent_matrix_names_the_judgement_that_breaks_it() -> None:
    # A perfectly consistent matrix from weights (8, 4, 2, 1), then one judgement
    # reversed: that judgement must be the one reported.
    w = np.array([8.0, 4.0, 2.0, 1.0])
    a = w[:, None] / w[None, :]
    a[0, 3], a[3, 0] = 1 / 8, 8.0
    result = ahp(matrix=a, names=["党建", "业务", "服务", "宣传"])
    assert result.cr >= 0.1
    assert not result.consistent
    row, col, value, implied = result.worst_judgement
    assert {row, col} == {"党建", "宣传"}
    assert value in (1 / 8, 8.0)


def test_consistent_matrix_recovers_the_weights_exactly() -> None:
    w = np.array([0.5, 0.3, 0.2])
    result = ahp(matrix=w[:, None] / w[None, :])
    np.testing.assert_allclose(result.weights, w)
    assert result.lambda_max == pytest.approx(3.0)
    assert result.cr == pytest.approx(0.0, abs=1e-12)


def test_group_ahp_is_the_geometric_mean_of_the_experts() -> None:
    rng = np.random.default_rng(3)
    experts = []
    for _ in range(3):
        upper = np.triu_indices(4, 1)
        values = np.exp(rng.uniform(-1.5, 1.5, len(upper[0])))
        a = np.eye(4)
        a[upper] = values
        a[upper[1], upper[0]] = 1.0 / values
        experts.append(a)
    result = ahp_group(matrices=experts)
    # Independent check: eigenvector of the cell-wise geometric mean.
    mean = np.prod(np.stack(experts), axis=0) ** (1 / 3)
    values, vectors = np.linalg.eig(mean)
    v = np.abs(vectors[:, np.argmax(values.real)].real)
    np.testing.assert_allclose(result.weights, v / v.sum(), atol=1e-12)
    same = ahp_group(matrices=[experts[0]] * 3)
    np.testing.assert_allclose(same.weights, ahp(matrix=experts[0]).weights)


def test_judgements_as_people_write_them() -> None:
    assert parse_judgement("1/3") == pytest.approx(1 / 3)
    assert parse_judgement(" ５ ") == 5.0
    assert parse_judgement("0.2") == 0.2
    rounded = [[1, 3, 5], [0.33, 1, 2], [0.2, 0.5, 1]]
    assert ahp(matrix=rounded).consistent


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1, 2], [0.5, 1, 3]], "square"),
        ([[1, 3], [3, 1]], "not reciprocal"),
        ([[1, 0], [0, 1]], "positive"),
        ([[2, 3], ["1/3", 1]], "diagonal"),
        ([[1, "abc"], [1, 1]], "not a number or fraction"),
    ],
)
def test_bad_matrices_are_named(matrix, message) -> None:
    with pytest.raises(AnalyticsInputError, match=message):
        ahp(matrix=matrix, names=["甲", "乙"])


# --- What the mutation run (tools/mutate.py ahp) showed untested --------------------------

# Both random index tables typed from their sources, orders 1 to 15 (orders 1 and 2
# are 0 by definition): Saaty, The Analytic Hierarchy Process (1980), and Saaty,
# Theory and Applications of the Analytic Network Process (2005), p. 31.
SAATY_1980_RI = [0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59]
SAATY_2005_RI = [0, 0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59]


@pytest.mark.parametrize(("table", "published"), [("saaty1980", SAATY_1980_RI), ("saaty2005", SAATY_2005_RI)])
def test_every_random_index_is_the_published_one(table, published) -> None:
    for n, ri in enumerate(published, start=1):
        w = np.arange(1.0, n + 1.0)
        result = ahp(matrix=w[:, None] / w[None, :], random_index=table)
        assert result.ri == ri, (table, n)
    with pytest.raises(AnalyticsInputError, match="at most 15"):
        ahp(matrix=np.ones((16, 16)), random_index=table)


@pytest.mark.parametrize("matrix", [[[1]], [[1, 9], ["1/9", 1]], [[1, "1/7"], [7, 1]]])
def test_orders_one_and_two_are_consistent_with_ci_and_cr_zero(matrix) -> None:
    # A 1x1 or reciprocal 2x2 matrix has lambda_max = n exactly: CI = CR = 0.
    result = ahp(matrix=matrix)
    assert (result.ci, result.cr, result.consistent, result.worst_judgement) == (0.0, 0.0, True, None)


def test_a_short_row_is_refused_as_not_square() -> None:
    with pytest.raises(AnalyticsInputError, match="this row has 2 values, expected 3"):
        ahp(matrix=[[1, 2, 3], [0.5, 1], ["1/3", 1, 1]])


def test_the_reciprocity_error_names_the_value_expected() -> None:
    with pytest.raises(AnalyticsInputError, match=r"a\[甲,乙\] = 3 but a\[乙,甲\] = 3 \(expected 0\.333333\)") as caught:
        ahp(matrix=[[1, 3], [3, 1]], names=["甲", "乙"])
    assert "a[甲,乙] = 3，而 a[乙,甲] = 3（应为 0.333333）" in caught.value.zh


def test_the_worst_judgement_reports_the_ratio_the_weights_imply() -> None:
    w = np.array([8.0, 4.0, 2.0, 1.0])
    a = w[:, None] / w[None, :]
    a[0, 3], a[3, 0] = 1 / 8, 8.0
    result = ahp(matrix=a, names=["A", "B", "C", "D"])
    row, col, value, implied = result.worst_judgement
    assert (row, col, value) == ("A", "D", 1 / 8)
    # w_A / w_D of the weights the (perturbed) matrix gives, not of the given cell.
    assert implied == pytest.approx(result.weight_of("A") / result.weight_of("D"), rel=1e-12)


def test_results_cannot_be_changed_after_the_fact() -> None:
    import dataclasses

    criteria = ahp(matrix=[[1, 2], [0.5, 1]], names=["a", "b"])
    child = ahp(matrix=[[1, 3], ["1/3", 1]], names=["x", "y"])
    hierarchy = ahp_hierarchy(criteria=criteria, children={"a": child, "b": child})
    with pytest.raises(dataclasses.FrozenInstanceError):
        hierarchy.consistent = False
    with pytest.raises(dataclasses.FrozenInstanceError):
        criteria.cr = 0.5


@pytest.mark.parametrize("w", [1 / np.arange(1.0, 4.0), np.arange(1.0, 9.0), np.arange(1.0, 8.0) ** 2])
def test_a_consistent_matrix_never_reports_a_negative_ci_or_cr(w) -> None:
    # lambda_max = n exactly for a consistent matrix (Saaty 1980); the eigenvalue
    # solver lands a few 1e-15 below n for these, which must not show as CI < 0.
    result = ahp(matrix=w[:, None] / w[None, :])
    assert 0.0 <= result.ci <= 1e-14
    assert 0.0 <= result.cr <= 1e-13


def test_a_hierarchy_names_the_first_criterion_without_a_child_matrix() -> None:
    criteria = ahp(matrix=[[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]], names=["甲", "乙", "丙"])
    child = ahp(matrix=[[1, 3], ["1/3", 1]], names=["x", "y"])
    with pytest.raises(AnalyticsInputError, match="criterion '乙' has no child matrix") as caught:
        ahp_hierarchy(criteria=criteria, children={"甲": child})
    assert "准则「乙」缺少下层判断矩阵" in caught.value.zh


def test_a_matrix_beyond_the_tables_is_refused_for_its_order_whatever_its_size() -> None:
    # 300 rows with default names: the names fit; the order exceeds the RI tables (15).
    with pytest.raises(AnalyticsInputError, match="matrix order 300 exceeds the random index table"):
        ahp(matrix=np.ones((300, 300)))

"""DEA against published numbers, every model and orientation."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from dangjian.analytics import dea

from .reference_lp import multiplier_scores

DATA = Path(__file__).parent / "data"

# Cooper, Seiford & Tone, "Data Envelopment Analysis", 2nd ed. (Springer 2007),
# hospital example: 12 hospitals, inputs doctors and nurses, outputs outpatients
# and inpatients (Table 1.5), with the CCR (input) scores the book prints to
# four decimals.  No copy of the book's table was at hand when this test was
# written, so data and scores are quoted from the book unchecked against the
# page; they do agree with each other: the package and the independent
# multiplier LP in reference_lp.py both reproduce every score to 4 d.p.
HOSPITALS = {
    "A": (20, 151, 100, 90), "B": (19, 131, 150, 50), "C": (25, 160, 160, 55),
    "D": (27, 168, 180, 72), "E": (22, 158, 94, 66), "F": (55, 255, 230, 90),
    "G": (33, 235, 220, 88), "H": (31, 206, 152, 80), "I": (30, 244, 190, 100),
    "J": (50, 268, 250, 100), "K": (53, 306, 260, 147), "L": (38, 284, 250, 120),
}
HOSPITAL_CCR = {
    "A": 1.0, "B": 1.0, "C": 0.8827, "D": 1.0, "E": 0.7635, "F": 0.8348,
    "G": 0.9020, "H": 0.7963, "I": 0.9604, "J": 0.8706, "K": 0.9551, "L": 0.9582,
}


def _hospitals() -> tuple[list[str], np.ndarray, np.ndarray]:
    names = list(HOSPITALS)
    data = np.array([HOSPITALS[n] for n in names], dtype=float)
    return names, data[:, :2], data[:, 2:]


def _charnes() -> tuple[list[str], np.ndarray, np.ndarray]:
    with open(DATA / "charnes1981.csv", newline="") as f:
        rows = list(csv.reader(f))[1:]
    names = [r[0] for r in rows]
    values = np.array([[float(v) for v in r[1:]] for r in rows])
    return names, values[:, :5], values[:, 5:]


CHARNES_REF = json.loads((DATA / "charnes1981_reference.json").read_text())
MODELS = [(rts, orient) for orient in ("input", "output") for rts in ("crs", "vrs")]


def test_hospital_ccr_scores_match_cooper_seiford_tone() -> None:
    names, x, y = _hospitals()
    result = dea(inputs=x, outputs=y, names=names)
    for name, score in zip(result.names, result.scores, strict=True):
        assert score == pytest.approx(HOSPITAL_CCR[name], abs=5e-5), name


def test_hospital_ccr_scores_match_the_multiplier_form() -> None:
    names, x, y = _hospitals()
    expected = np.array([HOSPITAL_CCR[n] for n in names])
    np.testing.assert_allclose(multiplier_scores(x, y, rts="crs", orientation="input"),
                               expected, atol=5e-5)


def test_hospital_slacks_project_onto_the_frontier() -> None:
    # The projection of every DMU is CCR-efficient (Cooper, Seiford & Tone, ch. 3).
    names, x, y = _hospitals()
    result = dea(inputs=x, outputs=y, names=names)
    projected = dea(inputs=result.input_targets, outputs=result.output_targets, names=names,
                    rts="crs")
    assert np.allclose(projected.efficiency, 1.0, atol=1e-9)


@pytest.mark.parametrize(("rts", "orientation"), MODELS)
def test_charnes_1981_scores_match_reference(rts: str, orientation: str) -> None:
    # Charnes, Cooper & Rhodes (1981), Program Follow Through, 70 schools, 5 inputs,
    # 3 outputs (R Benchmarking's `charnes1981`).  Reference scores: the values
    # shipped in dealib 1.0.0's tests/reference/dea/charnes.json (15 significant
    # digits); output orientation is phi >= 1 as in Benchmarking.
    names, x, y = _charnes()
    result = dea(inputs=x, outputs=y, names=names, rts=rts, orientation=orientation)
    expected = np.array(CHARNES_REF["eff"][orientation][rts])
    np.testing.assert_allclose(result.scores, expected, atol=1e-6, rtol=0)


@pytest.mark.parametrize(("rts", "orientation"), MODELS)
def test_charnes_1981_second_phase_slack_sums_match_reference(rts: str, orientation: str) -> None:
    # Same source; the max-slack solution is not unique slack by slack, its
    # total (the second-phase objective) is.
    names, x, y = _charnes()
    result = dea(inputs=x, outputs=y, names=names, rts=rts, orientation=orientation)
    total = result.input_slacks.sum(axis=1) + result.output_slacks.sum(axis=1)
    expected = np.array(CHARNES_REF["slack_sum"][orientation][rts])
    np.testing.assert_allclose(total, expected, atol=1e-6, rtol=1e-8)


@pytest.mark.parametrize(("rts", "orientation"), MODELS)
def test_charnes_1981_super_efficiency_matches_reference(rts: str, orientation: str) -> None:
    # Reference: dealib 1.0.0 tests/reference/sdea/charnes.json (Andersen-Petersen);
    # infeasible LPs (VRS) are null there and must be flagged, not numbered, here.
    names, x, y = _charnes()
    result = dea(inputs=x, outputs=y, names=names, rts=rts, orientation=orientation,
                 super_efficiency=True)
    expected = np.array([np.nan if v is None else v for v in CHARNES_REF["super"][orientation][rts]])
    np.testing.assert_array_equal(result.super_infeasible, np.isnan(expected))
    ok = ~np.isnan(expected)
    np.testing.assert_allclose(result.super_scores[ok], expected[ok], atol=1e-6, rtol=0)
    if rts == "vrs":
        assert result.super_infeasible.any()


@pytest.mark.parametrize(("rts", "orientation"), MODELS)
def test_charnes_1981_envelopment_agrees_with_independent_multiplier_lp(
    rts: str, orientation: str
) -> None:
    names, x, y = _charnes()
    result = dea(inputs=x, outputs=y, names=names, rts=rts, orientation=orientation, slacks=False)
    np.testing.assert_allclose(
        result.scores, multiplier_scores(x, y, rts=rts, orientation=orientation), atol=1e-6
    )


def test_output_orientation_reports_phi_and_its_reciprocal() -> None:
    names, x, y = _hospitals()
    result = dea(inputs=x, outputs=y, names=names, orientation="output")
    assert (result.scores >= 1.0).all()
    np.testing.assert_allclose(result.efficiency, 1.0 / result.scores)
    # Under CRS, phi = 1/theta (CST, Chapter 3, output-oriented model).
    theta = dea(inputs=x, outputs=y, names=names).scores
    np.testing.assert_allclose(result.efficiency, theta, atol=1e-9)


def test_peers_and_lambdas_rebuild_the_targets() -> None:
    names, x, y = _charnes()
    for rts in ("crs", "vrs"):
        result = dea(inputs=x, outputs=y, names=names, rts=rts)
        index = {n: i for i, n in enumerate(names)}
        for i, peers in enumerate(result.peers):
            lam = np.zeros(len(names))
            for peer, weight in peers.items():
                lam[index[peer]] = weight
            np.testing.assert_allclose(lam @ x, result.input_targets[i], rtol=1e-7, atol=1e-6)
            np.testing.assert_allclose(lam @ y, result.output_targets[i], rtol=1e-7, atol=1e-6)
            if rts == "vrs":
                assert lam.sum() == pytest.approx(1.0, abs=1e-8)
            assert all(result.efficiency[index[p]] == pytest.approx(1.0) for p in peers)


@pytest.mark.parametrize(
    ("inputs", "outputs", "needle"),
    [
        ([[1, 2], [3], [2, 2], [1, 1]], [[1], [2], [3], [1]], "Row '二': expected 2 values"),
        ([[1, 2], [3, None], [2, 2], [1, 1]], [[1], [2], [3], [1]], "Row '二', column 'x2'"),
        ([[1, 2], [3, 1], [2, 2], [1, 1]], [[1], [2], [-3], [1]], "Row '三', column 'y1'"),
        ([[1, 2], [0, 0], [2, 2], [1, 1]], [[1], [2], [3], [1]], "all inputs are zero"),
        ([[1, 2], [3, 1]], [[1], [2]], "too few DMUs"),
    ],
)
def test_bad_data_names_the_row_and_column(inputs, outputs, needle) -> None:
    from dangjian.analytics import AnalyticsInputError

    names = ["一", "二", "三", "四"][: len(inputs)]
    with pytest.raises(AnalyticsInputError) as err:
        dea(inputs=inputs, outputs=outputs, names=names)
    assert needle in str(err.value)


def test_output_oriented_targets_by_hand() -> None:
    # One input, one output, CCR: A (1, 2) has the best ratio 2. Output orientation
    # scales outputs up to the ray y = 2x: phi_B = 2 * 2 / 3 = 4/3, phi_C = 2 * 3 / 3 = 2;
    # targets (x - s-, phi y + s+) with no slack: B (2, 4), C (3, 6).
    result = dea(inputs=[[1], [2], [3]], outputs=[[2], [3], [3]], orientation="output")
    np.testing.assert_allclose(result.scores, [1, 4 / 3, 2])
    np.testing.assert_allclose(result.output_targets, [[2], [4], [6]])
    np.testing.assert_allclose(result.input_targets, [[1], [2], [3]])


def test_peers_by_position_from_either_end() -> None:
    # CCR input, one input and one output: A (1, 2) is the only efficient DMU; B (2, 3)
    # and C (3, 3) both reach y = 3 with lambda_A = 3 / 2 (by hand).
    result = dea(inputs=[[1], [2], [3]], outputs=[[2], [3], [3]], names=["A", "B", "C"])
    assert result.peers[0] == {"A": pytest.approx(1.0)}
    assert result.peers[1] == {"A": pytest.approx(1.5)}
    assert result.peers[-1] == {"A": pytest.approx(1.5)}
    assert result.peers[-3] == result.peers[0]
    with pytest.raises(IndexError):
        result.peers[3]

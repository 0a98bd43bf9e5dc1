"""Malmquist index against DEAP 2.1 and a 247-bank reference."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from dangjian.analytics import AnalyticsInputError, malmquist
from dangjian.analytics.errors import AnalyticsResultError

DATA = Path(__file__).parent / "data"

# Coelli, "A Guide to DEAP Version 2.1", CEPA Working Paper 96/08, example EG4:
# 5 firms, 3 years, one output, one input.  The data file eg4-dta.txt was not
# among the stored copies; the (output, input) pairs below are the manual's, and
# they reproduce every entry of the published DISTANCES SUMMARY (checked below),
# which pins down the CRS ratios y/x of all 15 observations.
EG4 = {
    1: [(1, 2), (2, 4), (3, 3), (4, 5), (5, 6)],
    2: [(1, 2), (3, 4), (4, 3), (3, 5), (5, 5)],
    3: [(1, 2), (3, 4), (4, 3), (3, 5), (5, 5)],
}
# Published eg4-out.txt, MALMQUIST INDEX SUMMARY (effch, techch, tfpch), 3 d.p.
EG4_YEAR2 = [(0.750, 1.333, 1.000), (1.125, 1.333, 1.500), (1.000, 1.333, 1.333),
             (0.562, 1.333, 0.750), (0.900, 1.333, 1.200)]
EG4_YEAR3 = [(1.000, 1.000, 1.000)] * 5
# DISTANCES SUMMARY, CRS TE of year-t firms relative to technology in t-1, t, t+1.
EG4_DIST = {
    1: [(None, 0.500, 0.375), (None, 0.500, 0.375), (None, 1.000, 0.750),
        (None, 0.800, 0.600), (None, 0.833, 0.625)],
    2: [(0.500, 0.375, 0.375), (0.750, 0.563, 0.563), (1.333, 1.000, 1.000),
        (0.600, 0.450, 0.450), (1.000, 0.750, 0.750)],
}


# Half a unit in the third printed decimal, plus room for 0.5625 printed as 0.563.
HALF_UNIT = 5e-4 + 1e-9


def _eg4():
    ids, periods, x, y = [], [], [], []
    for year, firms in EG4.items():
        for firm, (out, inp) in enumerate(firms, start=1):
            ids.append(firm)
            periods.append(year)
            x.append([inp])
            y.append([out])
    return ids, periods, np.array(x, float), np.array(y, float)


@pytest.mark.parametrize("orientation", ["input", "output"])
def test_deap_eg4_indices(orientation: str) -> None:
    # DEAP runs EG4 output-oriented; under CRS both orientations give the same index.
    ids, periods, x, y = _eg4()
    result = malmquist(inputs=x, outputs=y, ids=ids, periods=periods, orientation=orientation)
    by_year = {2: EG4_YEAR2, 3: EG4_YEAR3}
    assert len(result.rows) == 10
    for row in result.rows:
        effch, techch, tfpch = by_year[int(row.period_to)][int(row.id) - 1]
        assert row.efficiency_change == pytest.approx(effch, abs=HALF_UNIT)
        assert row.technical_change == pytest.approx(techch, abs=HALF_UNIT)
        assert row.malmquist == pytest.approx(tfpch, abs=HALF_UNIT)


def test_deap_eg4_distances() -> None:
    ids, periods, x, y = _eg4()
    result = malmquist(inputs=x, outputs=y, ids=ids, periods=periods)
    for row in result.rows:
        firm = int(row.id) - 1
        if row.period_from == "1":
            _, own, later = EG4_DIST[1][firm]
            assert row.eff_t_t == pytest.approx(own, abs=HALF_UNIT)
            assert row.eff_next_t == pytest.approx(later, abs=HALF_UNIT)
            earlier, own2, _ = EG4_DIST[2][firm]
            assert row.eff_t_next == pytest.approx(earlier, abs=HALF_UNIT)
            assert row.eff_next_next == pytest.approx(own2, abs=HALF_UNIT)


def _banks():
    with open(DATA / "banks_panel.csv", newline="") as f:
        rows = list(csv.reader(f))[1:]
    ids = [r[0] for r in rows]
    periods = [r[1] for r in rows]
    values = np.array([[float(v) for v in r[2:]] for r in rows])
    return ids, periods, values[:, :3], values[:, 3:]


def test_banks_match_reference_to_1e6() -> None:
    # Reference: dealib 1.0.0 tests/reference/malmq/banks1_banks2.json, CRS, input
    # orientation: m = sqrt(e10/e00 * e11/e01), ec = e11/e00, tc = m/ec.
    ref = json.loads((DATA / "banks_malmquist_reference.json").read_text())
    ids, periods, x, y = _banks()
    result = malmquist(inputs=x, outputs=y, ids=ids, periods=periods)
    got = {k: np.array([getattr(r, f) for r in result.rows]) for k, f in
           (("m", "malmquist"), ("ec", "efficiency_change"), ("tc", "technical_change"),
            ("e00", "eff_t_t"), ("e11", "eff_next_next"))}
    for key, values in got.items():
        np.testing.assert_allclose(values, ref["input"][key], atol=1e-6, rtol=0, err_msg=key)


def test_banks_output_orientation_is_the_reciprocal_of_benchmarking_style() -> None:
    # The reference computes output-oriented indices from phi >= 1, so its m is
    # 1/M; this package keeps "M > 1 = growth" in both orientations, like DEAP.
    ref = json.loads((DATA / "banks_malmquist_reference.json").read_text())
    ids, periods, x, y = _banks()
    result = malmquist(inputs=x, outputs=y, ids=ids, periods=periods, orientation="output")
    m = np.array([r.malmquist for r in result.rows])
    np.testing.assert_allclose(1.0 / m, ref["output"]["m"], rtol=1e-6)


def test_unbalanced_panel_skips_missing_pairs_and_sorts_periods_numerically() -> None:
    ids = ["a", "b", "c", "a", "b", "a", "b", "c"]
    periods = [9, 9, 9, 10, 10, 11, 11, 11]
    x = np.array([[2.0], [3], [4], [2], [3], [2], [2], [5]])
    y = np.array([[1.0], [2], [2], [2], [2], [3], [2], [4]])
    result = malmquist(inputs=x, outputs=y, ids=ids, periods=periods)
    assert result.periods == ["9", "10", "11"]
    pairs = {(r.id, r.period_from, r.period_to) for r in result.rows}
    assert pairs == {("a", "9", "10"), ("b", "9", "10"), ("a", "10", "11"), ("b", "10", "11")}
    assert ("c", "9", "10") in result.skipped and ("c", "10", "11") in result.skipped
    # Skipped pairs are a warning too, so every caller that shows warnings shows them.
    assert any("c（9→10）" in w and "c（10→11）" in w for w in result.warnings)


def test_duplicate_observation_is_named() -> None:
    with pytest.raises(AnalyticsInputError, match="more than once") as err:
        malmquist(inputs=[[1.0], [2], [3]], outputs=[[1.0], [1], [1]], ids=["a", "a", "b"],
                  periods=[1, 1, 2])
    assert "a (1)" in str(err.value)


# The same eg4-out.txt (output orientation): the "vrs te" column of the DISTANCES
# SUMMARY and pech, sech of the MALMQUIST INDEX SUMMARY, year 2 (year 3: all 1.000).
EG4_VRS_TE = {1: [1.000, 0.545, 1.000, 0.923, 1.000], 2: [1.000, 0.667, 1.000, 0.600, 1.000]}
EG4_YEAR2_PECH_SECH = [(1.000, 0.750), (1.222, 0.920), (1.000, 1.000), (0.650, 0.865), (1.000, 0.900)]


def test_deap_eg4_vrs_decomposition() -> None:
    # Färe, Grosskopf, Norris & Zhang (1994): effch = pech * sech, tfpch = pech * sech * techch.
    ids, periods, x, y = _eg4()
    result = malmquist(inputs=x, outputs=y, ids=ids, periods=periods, orientation="output", vrs=True)
    assert len(result.rows) == 10
    for row in result.rows:
        firm = int(row.id) - 1
        if row.period_to == "2":
            pech, sech = EG4_YEAR2_PECH_SECH[firm]
            assert row.vrs_t_t == pytest.approx(EG4_VRS_TE[1][firm], abs=HALF_UNIT)
            assert row.vrs_next_next == pytest.approx(EG4_VRS_TE[2][firm], abs=HALF_UNIT)
        else:
            pech, sech = 1.0, 1.0
        assert row.pure_efficiency_change == pytest.approx(pech, abs=HALF_UNIT)
        assert row.scale_efficiency_change == pytest.approx(sech, abs=HALF_UNIT)
        assert row.pure_efficiency_change * row.scale_efficiency_change == pytest.approx(row.efficiency_change)
        tfpch = (EG4_YEAR2 if row.period_to == "2" else EG4_YEAR3)[firm][2]
        assert row.malmquist == pytest.approx(tfpch, abs=HALF_UNIT)


def test_vrs_decomposition_is_off_by_default_and_input_orientation_multiplies_out() -> None:
    ids, periods, x, y = _eg4()
    plain = malmquist(inputs=x, outputs=y, ids=ids, periods=periods)
    assert all(r.pure_efficiency_change is None and r.scale_efficiency_change is None for r in plain.rows)
    ids, periods, x, y = _banks()
    result = malmquist(inputs=x, outputs=y, ids=ids, periods=periods, vrs=True)
    pec = np.array([r.pure_efficiency_change for r in result.rows])
    sec = np.array([r.scale_efficiency_change for r in result.rows])
    ec = np.array([r.efficiency_change for r in result.rows])
    np.testing.assert_allclose(pec * sec, ec, rtol=1e-9)
    # Input-oriented VRS efficiency is at least the CRS one, so scale efficiency E/V <= 1.
    assert all(r.vrs_t_t >= r.eff_t_t - 1e-9 and r.vrs_next_next >= r.eff_next_next - 1e-9 for r in result.rows)


# --- Period labels as Chinese spreadsheets write them (issue 20) ---------------------------

# EG4's years 1, 2, 3 written in each form an analyst might use; the published indices must
# come out between the same pairs whatever the form.  Rows are given latest period first, so
# an order that follows the rows, the text or a decimal number gives other pairs.
PERIOD_FORMS = {
    "dates": ["2023/2/1", "2023/9/1", "2023/10/1"],
    "iso dates": ["2023-09-30", "2023-10-01", "2024-01-01"],
    "dotted months": ["2023.9", "2023.10", "2023.11"],
    "months": ["2023-09", "2023-10", "2023-11"],
    "chinese months": ["2023年9月", "2023年10月", "2023年11月"],
    "quarters": ["2023Q3", "2023Q4", "2024Q1"],
    "chinese quarters": ["2023年第3季度", "2023年第4季度", "2024年第1季度"],
    "years": ["2009", "2010", "2011"],
    "full-width": ["２０２３年９月", "２０２３年１０月", "２０２３年１１月"],
}


@pytest.mark.parametrize("form", list(PERIOD_FORMS))
def test_period_labels_are_read_as_time_not_text(form: str) -> None:
    labels = PERIOD_FORMS[form]
    ids, periods, x, y = _eg4()
    order = np.argsort([-p for p in periods], kind="stable")
    result = malmquist(inputs=x[order], outputs=y[order], ids=[ids[i] for i in order],
                       periods=[labels[periods[i] - 1] for i in order])
    assert result.periods == labels
    by_year = {labels[1]: EG4_YEAR2, labels[2]: EG4_YEAR3}
    assert {(r.period_from, r.period_to) for r in result.rows} == {(labels[0], labels[1]), (labels[1], labels[2])}
    for row in result.rows:
        effch, techch, tfpch = by_year[row.period_to][int(row.id) - 1]
        assert row.malmquist == pytest.approx(tfpch, abs=HALF_UNIT)
        assert row.efficiency_change == pytest.approx(effch, abs=HALF_UNIT)


def test_spreadsheet_date_cells_are_dates() -> None:
    import datetime as dt

    ids, periods, x, y = _eg4()
    days = {1: dt.datetime(2023, 9, 1), 2: dt.date(2023, 10, 1), 3: dt.datetime(2024, 1, 1)}
    result = malmquist(inputs=x, outputs=y, ids=ids, periods=[days[p] for p in periods])
    assert result.periods == ["2023-09-01", "2023-10-01", "2024-01-01"]
    assert [r.malmquist for r in result.rows[:5]] == pytest.approx([t for _e, _t, t in EG4_YEAR2], abs=HALF_UNIT)


@pytest.mark.parametrize(
    ("labels", "needle"),
    [
        (["一期", "二期", "三期"], "无法识别的时期「一期」"),
        (["2023-09", "2023Q4", "2023-11"], "时期写法不一致"),
        (["2023", "2023-10", "2023-11"], "时期写法不一致"),
        (["2023.9", "2023.13", "2023.11"], "月份 13 不存在"),
        (["2023/2/28", "2023/2/30", "2023/3/1"], "不是有效日期"),
        ([2023.9, 2023.1, 2023.11], "无法区分"),  # number cells: 2023.10 is stored as 2023.1
        (["2023-09", "", "2023-11"], "时期为空"),
    ],
)
def test_unreadable_or_mixed_periods_are_refused_by_label(labels, needle) -> None:
    ids, periods, x, y = _eg4()
    with pytest.raises(AnalyticsInputError, match=needle):
        malmquist(inputs=x, outputs=y, ids=ids, periods=[labels[p - 1] for p in periods])


def test_a_dotted_january_warns_how_it_was_read() -> None:
    ids, periods, x, y = _eg4()
    labels = ["2023.1", "2023.2", "2023.3"]
    result = malmquist(inputs=x, outputs=y, ids=ids, periods=[labels[p - 1] for p in periods])
    assert result.periods == labels
    assert any("「2023.1」按 1 月计算" in w for w in result.warnings)


def test_two_spellings_of_one_month_are_one_period() -> None:
    ids, periods, x, y = _eg4()
    labels = {1: "2023-9", 2: "2023-10", 3: "2023-11"}
    spelled = [labels[p] if i % 2 else labels[p].replace("-9", "-09") for i, p in enumerate(periods)]
    result = malmquist(inputs=x, outputs=y, ids=ids, periods=spelled)
    assert len(result.periods) == 3 and len(result.rows) == 10


def test_a_column_zero_in_one_period_only_is_refused_not_nan() -> None:
    # Output y2 is zero for every DMU in period 2: period 2's frontier cannot produce it.
    x = [[1.0], [2], [3], [1], [2], [3]]
    y = [[1.0, 1], [2, 1], [3, 2], [1, 0], [2, 0], [1, 0]]
    with pytest.raises(AnalyticsInputError, match="the whole column is zero in period '2'") as err:
        malmquist(inputs=x, outputs=y, ids=[1, 2, 3] * 2, periods=[1] * 3 + [2] * 3,
                  output_names=["y1", "y2"])
    assert err.value.column == "y2"


def test_too_few_dmus_is_counted_per_period() -> None:
    # 2 inputs + 1 output need 3 DMUs per period; 6 rows pooled would pass.
    x = [[1.0, 2], [2, 1], [1, 1], [2, 2], [3, 1], [1, 3]]
    y = [[1.0], [2], [1], [2], [2], [1]]
    with pytest.raises(AnalyticsInputError, match="period '1' has 2 DMUs, at least 3"):
        malmquist(inputs=x, outputs=y, ids=["a", "b", "a", "b", "c", "c"], periods=[1, 1, 2, 2, 2, 3])


def test_an_infeasible_cross_period_distance_is_refused_by_dmu() -> None:
    # DMU 1 uses none of input 2 in period 2; no period-1 unit does without it.
    x = [[1.0, 1], [2, 1], [3, 2], [1, 0], [2, 1], [3, 1]]
    y = [[1.0], [2], [3], [1], [2], [3]]
    with pytest.raises(AnalyticsResultError, match="DMU 1: a cross-period distance from 1 to 2"):
        malmquist(inputs=x, outputs=y, ids=[1, 2, 3] * 2, periods=[1] * 3 + [2] * 3)


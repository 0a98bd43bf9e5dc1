"""The command's fast paths (CSV numbers, JSON rows, the peer check) give what the slow paths give.

Each shortcut is tested on both sides: data it applies to (and it is taken),
and data it must leave to the careful path (which still names the cell).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from dangjian.analytics import AnalyticsInputError, AnalyticsResultError, cli, dea, tables
from dangjian.analytics.dea import PeerList
from dangjian.analytics.guards import _bad_peer_rows

from .faults import engine_loses_one_dmu


def _csv(path: Path, rows: list[list[object]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def test_clean_csv_numbers_take_one_float_pass(tmp_path, monkeypatch) -> None:
    path = _csv(tmp_path / "a.csv", [["id", "a", "b"], ["u1", "1.5", " 2 "], ["u2", "1e3", "0.25"], ["", "", ""]])
    table = tables.read_table(path)

    def slow(*args, **kwargs):
        raise AssertionError("the cell-by-cell path was taken")

    monkeypatch.setattr(tables, "parse_number", slow)
    assert table.numbers(["a", "b"]).tolist() == [[1.5, 2.0], [1000.0, 0.25]]
    assert table.lines == [2, 3]  # the blank line is dropped, line numbers kept


@pytest.mark.parametrize(("cell", "value"), [("1,234.5", 1234.5), ("2，000", 2000.0), ("  7  ", 7.0)])
def test_cells_the_fast_pass_refuses_are_read_as_before(tmp_path, cell, value) -> None:
    path = _csv(tmp_path / "a.csv", [["id", "a"], ["u1", "1"], ["u2", cell]])
    assert tables.read_table(path).numbers(["a"]).tolist() == [[1.0], [value]]


@pytest.mark.parametrize(("cell", "needle"), [("", "缺少数值"), ("nan", "数值无效"), ("inf", "数值无效"),
                                              ("abc", "不是数值")])
def test_bad_cells_still_name_their_line(tmp_path, cell, needle) -> None:
    path = _csv(tmp_path / "a.csv", [["id", "a"], ["u1", "1"], ["u2", "2"], ["u3", cell]])
    with pytest.raises(AnalyticsInputError) as caught:
        tables.read_table(path).numbers(["a"])
    assert needle in str(caught.value) and "4" in str(caught.value)


def test_spreadsheet_cells_never_take_the_text_pass() -> None:
    table = tables.Table(["a"], [[1.0], [True]], [2, 3])
    with pytest.raises(AnalyticsInputError, match="不是数值"):
        table.numbers(["a"])


def _data(n: int = 40, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(1, 10, (n, 2)), rng.uniform(1, 10, (n, 2))


@pytest.mark.parametrize("kwargs", [
    {}, {"super_efficiency": True}, {"slacks": False},
    {"rts": "vrs", "orientation": "output", "super_efficiency": True},
])
def test_json_lines_are_the_rows_encoded(kwargs) -> None:
    x, y = _data()
    result = dea(inputs=x, outputs=y, names=[f'单元 "{i}" %s\\' for i in range(40)],
                 input_names=["a%", 'b"'], output_names=["产出", "d"], **kwargs)
    expected = [json.dumps(row, ensure_ascii=False) for row in result.rows()]
    assert result.json_lines() == expected
    assert result.json_lines(7, 19) == expected[7:19]
    if kwargs.get("rts") == "vrs":
        assert result.super_infeasible.any()  # the null branch is exercised


def test_json_lines_leave_a_non_finite_value_to_the_careful_path() -> None:
    x, y = _data()
    result = dea(inputs=x, outputs=y)
    result.input_slacks[3, 0] = np.nan
    assert result.json_lines() is None
    # The rows' encoding decides, as before the fast path existed (NaN is null there;
    # check_dea_result stops such a result before it gets this far).
    text = cli._render_checked({"method": "dea"}, cli._DEARows(result), "json")
    assert text == cli._render({"method": "dea"}, result.rows(), "json") and '"x1": null' in text


def test_the_halves_encoded_in_a_forked_process_join_to_the_same_text(monkeypatch) -> None:
    x, y = _data(300)
    result = dea(inputs=x, outputs=y, super_efficiency=True)
    serial = cli._render_checked({"method": "dea"}, cli._DEARows(result, workers=1), "json")
    monkeypatch.setattr(cli._DEARows, "SPLIT_ROWS", 10)
    split = cli._render_checked({"method": "dea"}, cli._DEARows(result, workers=2), "json")
    assert split == serial == cli._render({"method": "dea"}, result.rows(), "json")


def test_command_csv_output_still_goes_through_the_rows(tmp_path, capsys) -> None:
    x, y = _data()
    path = _csv(tmp_path / "u.csv", [["id", "a", "b", "c", "d"], *[[f"u{i}", *x[i], *y[i]] for i in range(40)]])
    assert cli.main(["dea", str(path), "--inputs", "a,b", "--outputs", "c,d", "--id", "id", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeff") and out.count("\n") == 41


@pytest.mark.parametrize("where", [0, 2, 4])
def test_peer_check_on_arrays_finds_an_empty_peer_set_anywhere(where) -> None:
    counts = np.array([2, 1, 1, 3, 1])
    counts[where] = 0
    ptr = np.concatenate([[0], np.cumsum(counts)])
    weights = np.full(ptr[-1], 0.5)
    peers = PeerList([f"d{i}" for i in range(5)], ptr, np.zeros(ptr[-1], dtype=int), weights)
    assert _bad_peer_rows(peers) == where
    assert _bad_peer_rows(list(peers)) == where  # the dict form agrees


@pytest.mark.parametrize("bad", [np.nan, -0.1, np.inf])
def test_peer_check_on_arrays_finds_a_bad_weight(bad) -> None:
    ptr = np.array([0, 2, 3, 6])
    weights = np.full(6, 0.5)
    weights[4] = bad
    peers = PeerList(["a", "b", "c"], ptr, np.arange(6) % 3, weights)
    assert _bad_peer_rows(peers) == 2
    weights[4] = 0.0
    assert _bad_peer_rows(peers) is None


def test_an_engine_that_loses_a_dmu_is_still_stopped(monkeypatch) -> None:
    engine_loses_one_dmu(monkeypatch, 39)  # the last DMU: an empty row at the end of the arrays
    x, y = _data()
    with pytest.raises(AnalyticsResultError, match="incomplete result"):
        dea(inputs=x, outputs=y)

"""The dangjian-analyze command, through main(argv) and once through the installed script."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from openpyxl import Workbook

from dangjian.analytics import AnalyticsResultError, dea
from dangjian.analytics.cli import main

from .faults import engine_loses_one_dmu
from .test_dea_published import HOSPITAL_CCR, HOSPITALS

DATA = Path(__file__).parent / "data"


def _write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture
def hospitals(tmp_path: Path) -> Path:
    rows = [["医院", "医生", "护士", "门诊", "住院"]]
    rows += [[name, *values] for name, values in HOSPITALS.items()]
    return _write_csv(tmp_path / "hospitals.csv", rows)


def _reject_constant(name: str) -> float:
    raise ValueError(f"invalid JSON constant {name}")


def strict_json(text: str):
    """JSON as a strict parser reads it: NaN and Infinity are not JSON."""
    return json.loads(text, parse_constant=_reject_constant)


def csv_rows(text: str) -> list[dict[str, str]]:
    """The CSV as Excel on Chinese Windows needs it: UTF-8 with a BOM."""
    assert text.startswith("\ufeff"), "CSV output must start with a UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(text[1:])))


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    if code == 0 and "csv" not in argv:
        strict_json(out)
    return code, out, err


def test_dea_json_defaults_to_ccr_input(hospitals: Path, capsys) -> None:
    code, out, err = run(["dea", str(hospitals), "--inputs", "医生,护士",
                          "--outputs", "门诊,住院", "--id", "医院"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["rts"] == "crs" and doc["orientation"] == "input"
    scores = {r["id"]: r["score"] for r in doc["results"]}
    for name, expected in HOSPITAL_CCR.items():
        assert scores[name] == pytest.approx(expected, abs=5e-5)
    assert set(doc["results"][2]) >= {"id", "score", "slacks", "targets", "peers"}


def test_dea_csv_output_and_super_efficiency(hospitals: Path, capsys) -> None:
    code, out, err = run(["dea", str(hospitals), "--inputs", "医生,护士", "--outputs", "门诊,住院",
                          "--id", "医院", "--rts", "vrs", "--orientation", "output", "--super",
                          "--format", "csv"], capsys)
    assert code == 0, err
    rows = csv_rows(out)
    assert len(rows) == 12
    assert {"id", "score", "efficiency", "super_efficiency", "super_infeasible"} <= set(rows[0])
    assert all(float(r["score"]) >= 1.0 for r in rows)


def test_dea_without_id_uses_line_numbers(hospitals: Path, capsys) -> None:
    code, out, _ = run(["dea", str(hospitals), "--inputs", "医生,护士", "--outputs", "门诊,住院"],
                       capsys)
    assert code == 0
    assert [r["id"] for r in json.loads(out)["results"]][:3] == ["2", "3", "4"]


def test_dea_reads_xlsx(tmp_path: Path, capsys) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["支部", "党员数", "经费", "活动次数", "满意度"])
    for name, values in HOSPITALS.items():
        sheet.append([f"{name}支部", *values])
    path = tmp_path / "branches.xlsx"
    book.save(path)
    code, out, err = run(["dea", str(path), "--inputs", "党员数,经费",
                          "--outputs", "活动次数,满意度", "--id", "支部"], capsys)
    assert code == 0, err
    assert json.loads(out)["results"][2]["score"] == pytest.approx(0.8827, abs=5e-5)


def test_gbk_csv_from_chinese_excel(tmp_path: Path, capsys) -> None:
    rows = [["支部", "投入", "产出"], ["一支部", 2, 1], ["二支部", 4, 3], ["三支部", 3, 1]]
    path = _write_csv(tmp_path / "gbk.csv", rows, encoding="gbk")
    code, out, err = run(["dea", str(path), "--inputs", "投入", "--outputs", "产出",
                          "--id", "支部"], capsys)
    assert code == 0, err
    assert json.loads(out)["results"][0]["id"] == "一支部"


def _eg4_panel(tmp_path: Path) -> Path:
    """DEAP 2.1 example EG4, years 1 and 2, as an analyst's CSV."""
    rows = [["firm", "year", "x", "y"]]
    eg4 = {1: [(1, 2), (2, 4), (3, 3), (4, 5), (5, 6)], 2: [(1, 2), (3, 4), (4, 3), (3, 5), (5, 5)]}
    for year, firms in eg4.items():
        rows += [[f"F{i}", year, x, y] for i, (y, x) in enumerate(firms, start=1)]
    return _write_csv(tmp_path / "panel.csv", rows)


def test_malmquist(tmp_path: Path, capsys) -> None:
    path = _eg4_panel(tmp_path)
    code, out, err = run(["malmquist", str(path), "--id", "firm", "--period", "year",
                          "--inputs", "x", "--outputs", "y"], capsys)
    assert code == 0, err
    results = json.loads(out)["results"]
    assert results[1]["id"] == "F2"
    assert results[1]["malmquist"] == pytest.approx(1.5)
    assert results[1]["efficiency_change"] == pytest.approx(1.125)
    assert results[1]["technical_change"] == pytest.approx(4 / 3)


def test_ahp_with_fractions(tmp_path: Path, capsys) -> None:
    rows = [["", "组织建设", "党员教育", "服务群众"],
            ["组织建设", 1, 3, 5], ["党员教育", "1/3", 1, 2], ["服务群众", "1/5", "1/2", 1]]
    path = _write_csv(tmp_path / "ahp.csv", rows)
    code, out, err = run(["ahp", str(path)], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert [r["id"] for r in doc["results"]] == ["组织建设", "党员教育", "服务群众"]
    assert sum(r["weight"] for r in doc["results"]) == pytest.approx(1.0)
    assert doc["consistent"] is True and doc["cr"] < 0.1
    assert {"lambda_max", "ci", "cr", "consistent"} <= set(doc)


def test_ahp_inconsistent_is_reported_and_strict_fails(tmp_path: Path, capsys) -> None:
    rows = [["", "a", "b", "c"], ["a", 1, 9, "1/9"], ["b", "1/9", 1, 9], ["c", 9, "1/9", 1]]
    path = _write_csv(tmp_path / "bad.csv", rows)
    code, out, _ = run(["ahp", str(path)], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["consistent"] is False
    assert doc["worst_judgement"]["row"] in {"a", "b", "c"}
    code, _, _ = run(["ahp", str(path), "--strict"], capsys)
    assert code == 1


def test_entropy_and_topsis(tmp_path: Path, capsys) -> None:
    rows = [["支部", "学习", "活动", "经费"], ["一", 8, 7, 2], ["二", 5, 3, 7], ["三", 7, 5, 6]]
    path = _write_csv(tmp_path / "m.csv", rows)
    code, out, err = run(["entropy", str(path), "--criteria", "学习,活动,经费", "--id", "支部"],
                         capsys)
    assert code == 0, err
    weights = json.loads(out)["results"]
    assert [w["id"] for w in weights] == ["学习", "活动", "经费"]
    assert sum(w["weight"] for w in weights) == pytest.approx(1.0)
    code, out, err = run(["topsis", str(path), "--criteria", "学习,活动,经费",
                          "--weights", "0.5,0.3,0.2", "--cost", "经费", "--id", "支部",
                          "--format", "csv"], capsys)
    assert code == 0, err
    rows_out = csv_rows(out)
    assert {r["id"] for r in rows_out} == {"一", "二", "三"}
    assert sorted(int(r["rank"]) for r in rows_out) == [1, 2, 3]


def _bad(tmp_path: Path, rows: list[list[object]]) -> str:
    return str(_write_csv(tmp_path / "bad.csv", rows))


@pytest.mark.parametrize(
    ("rows", "args", "needle"),
    [
        ([["id", "x", "y"], ["a", 1, 2], ["b", "abc", 3], ["c", 2, 2]], [], "Row 3, column 'x'"),
        ([["id", "x", "y"], ["a", 1, 2], ["b", "", 3], ["c", 2, 2]], [], "missing value"),
        ([["id", "x", "y"], ["a", 1, 2], ["b", 3, -1], ["c", 2, 2]], [], "negative"),
        ([["id", "x", "y"], ["a", 0, 2], ["b", 3, 1], ["c", 2, 2]], [], "all inputs are zero"),
        ([["id", "x", "y"], ["a", 1, 0], ["b", 3, 0], ["c", 2, 0]], [], "whole column is zero"),
        ([["id", "x", "y"], ["a", 1, 2]], [], "too few DMUs"),
        ([["id", "x", "y"], ["a", 1, 2], ["b", 3, 1]], ["--outputs", "z"], "column 'z' not found"),
        ([["id", "x", "y"], ["a", 1, 2], ["a", 3, 1], ["c", 2, 2]], [], "more than once"),
        ([["id", "x", "y"], ["a", 1, 2], ["b", 3, 1], ["c", 2, 2]], ["--rts", "drs"], "bad arguments"),
    ],
)
def test_bad_dea_input_gives_one_line_and_status_2(tmp_path, capsys, rows, args, needle) -> None:
    argv = ["dea", _bad(tmp_path, rows), "--inputs", "x", "--outputs", "y", "--id", "id"]
    if "--outputs" in args:
        argv[argv.index("--outputs") + 1] = args[1]
        args = []
    code, out, err = run(argv + args, capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert needle in err


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        ([["", "a", "b"], ["a", 1, 3]], "same names"),
        ([["", "a", "b"], ["a", 1, 3], ["b", 3, 1]], "not reciprocal"),
        ([["", "a", "b"], ["a", 1, "x/3"], ["b", 3, 1]], "not a number or fraction"),
        ([["", "a", "b", "c"], ["a", 1, 3, 1], ["b", "1/3", 1, 1]], "same names"),
    ],
)
def test_bad_ahp_matrix(tmp_path, capsys, rows, needle) -> None:
    code, _, err = run(["ahp", _bad(tmp_path, rows)], capsys)
    assert code == 2
    assert err.count("\n") == 1 and needle in err


def test_missing_file(capsys) -> None:
    code, _, err = run(["entropy", "/nonexistent.csv", "--criteria", "a"], capsys)
    assert code == 2 and "file not found" in err


def test_installed_console_script(hospitals: Path) -> None:
    script = shutil.which("dangjian-analyze", path=str(Path(sys.executable).parent))
    assert script, "dangjian-analyze is not installed in this environment"
    done = subprocess.run([script, "dea", str(hospitals), "--inputs", "医生,护士",
                           "--outputs", "门诊,住院", "--id", "医院"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"][0]["id"] == "A"
    bad = subprocess.run([script, "dea", str(hospitals), "--inputs", "nope", "--outputs", "门诊"],
                         capture_output=True, text=True, timeout=120, check=False)
    assert bad.returncode == 2
    assert bad.stdout == "" and bad.stderr.count("\n") == 1


def test_malmquist_vrs_decomposition(tmp_path: Path, capsys) -> None:
    path = _eg4_panel(tmp_path)
    args = ["malmquist", str(path), "--id", "firm", "--period", "year", "--inputs", "x", "--outputs", "y",
            "--orientation", "output"]
    code, out, err = run(args, capsys)
    assert code == 0, err
    assert "pure_efficiency_change" not in json.loads(out)["results"][1]
    code, out, err = run([*args, "--vrs", "--format", "csv"], capsys)
    assert code == 0, err
    line = csv_rows(out)[1]
    # DEAP 2.1 eg4-out.txt, year 2, firm 2: pech 1.222, sech 0.920.
    assert float(line["pure_efficiency_change"]) == pytest.approx(1.222, abs=5e-4)
    assert float(line["scale_efficiency_change"]) == pytest.approx(0.920, abs=5e-4)
    assert line["vrs"] == "True"


def test_the_engine_and_its_command_import_no_django() -> None:
    code = ("import sys, dangjian.analytics, dangjian.analytics.cli; "
            "sys.exit(', '.join(m for m in sys.modules if m.split('.')[0] == 'django') or None)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": "/usr/bin"})
    assert done.returncode == 0, done.stderr


# --- Never a wrong answer in silence (issue 20) --------------------------------------------

def _one_chinese_line(code: int, out: str, err: str) -> None:
    assert code == 2 and out == ""
    assert err.count("\n") == 1, err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err), err


def _panel(tmp_path: Path, labels: dict[int, object], name: str = "panel.csv") -> Path:
    """EG4 with its years written as `labels`, latest year first in the file."""
    rows = [["firm", "period", "x", "y"]]
    eg4 = {1: [(1, 2), (2, 4), (3, 3), (4, 5), (5, 6)], 2: [(1, 2), (3, 4), (4, 3), (3, 5), (5, 5)],
           3: [(1, 2), (3, 4), (4, 3), (3, 5), (5, 5)]}
    for year in (3, 2, 1):
        rows += [[f"F{i}", labels[year], x, y] for i, (y, x) in enumerate(eg4[year], start=1)]
    return _write_csv(tmp_path / name, rows)


def _malmquist(path: Path, *extra: str) -> list[str]:
    return ["malmquist", str(path), "--id", "firm", "--period", "period", "--inputs", "x", "--outputs", "y",
            *extra]


@pytest.mark.parametrize("labels", [
    {1: "2023/2/1", 2: "2023/9/1", 3: "2023/10/1"},
    {1: "2023.9", 2: "2023.10", 3: "2023.11"},
    {1: "2023年9月", 2: "2023年10月", 3: "2023年11月"},
    {1: "2023Q3", 2: "2023年第4季度", 3: "2024年第1季度"},
])
def test_malmquist_periods_in_time_order_from_a_file(tmp_path, capsys, labels) -> None:
    code, out, err = run(_malmquist(_panel(tmp_path, labels)), capsys)
    assert code == 0, err
    doc = strict_json(out)
    assert doc["periods"] == [labels[1], labels[2], labels[3]]
    # DEAP 2.1 eg4-out.txt, firm 2: tfpch 1.500 from year 1 to 2, 1.000 from 2 to 3.
    f2 = {(r["period_from"], r["period_to"]): r["malmquist"] for r in doc["results"] if r["id"] == "F2"}
    assert f2 == {(labels[1], labels[2]): pytest.approx(1.5), (labels[2], labels[3]): pytest.approx(1.0)}


def test_malmquist_period_cells_of_a_spreadsheet(tmp_path, capsys) -> None:
    import datetime as dt

    def book(values: dict[int, object], name: str) -> Path:
        wb = Workbook()
        sheet = wb.active
        sheet.append(["firm", "period", "x", "y"])
        for year in (3, 2, 1):
            for i, (y, x) in enumerate([(1, 2), (2, 4), (3, 3), (4, 5), (5, 6)], start=1):
                sheet.append([f"F{i}", values[year], x + year % 2, y])
        wb.save(tmp_path / name)
        return tmp_path / name

    dates = book({1: dt.datetime(2023, 2, 1), 2: dt.datetime(2023, 9, 1), 3: dt.datetime(2023, 10, 1)}, "d.xlsx")
    code, out, err = run(_malmquist(dates), capsys)
    assert code == 0, err
    assert strict_json(out)["periods"] == ["2023-02-01", "2023-09-01", "2023-10-01"]
    # Typed as numbers, 2023.10 is stored as 2023.1: refused, not read as January.
    numbers = book({1: 2023.9, 2: 2023.10, 3: 2023.11}, "n.xlsx")
    _one_chinese_line(*run(_malmquist(numbers), capsys))


@pytest.mark.parametrize(("labels", "needle"), [
    ({1: "一期", 2: "二期", 3: "三期"}, "无法识别的时期「三期」"),
    ({1: "2023-09", 2: "2023Q4", 3: "2023-11"}, "时期写法不一致"),
])
def test_malmquist_refuses_unreadable_periods_naming_the_label(tmp_path, capsys, labels, needle) -> None:
    code, out, err = run(_malmquist(_panel(tmp_path, labels)), capsys)
    _one_chinese_line(code, out, err)
    assert needle in err


def test_malmquist_zero_output_in_one_period_is_refused_not_nan(tmp_path, capsys) -> None:
    rows = [["firm", "period", "x", "y1", "y2"]]
    rows += [[f"F{i}", 2022, i, i, 1] for i in range(1, 5)] + [[f"F{i}", 2023, i, i + 1, 0] for i in range(1, 5)]
    path = _write_csv(tmp_path / "zero.csv", rows)
    code, out, err = run(["malmquist", str(path), "--id", "firm", "--period", "period", "--inputs", "x",
                          "--outputs", "y1,y2"], capsys)
    _one_chinese_line(code, out, err)
    assert "「y2」列：该列在时期「2023」全为零" in err


def test_malmquist_help_tells_the_truth_about_id(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["malmquist", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "default: line number" not in text
    assert "--id ID_COLUMN" in text and "[--id" not in text.split("options:")[0]
    code, out, err = run(["malmquist", "x.csv", "--period", "p", "--inputs", "x", "--outputs", "y"], capsys)
    _one_chinese_line(code, out, err)
    assert "--id" in err


@pytest.mark.parametrize(("inputs", "outputs", "needle"), [
    ("医生,医生", "门诊,住院", "「医生」列：该列在投入中列了两次"),
    ("医生,护士", "门诊,门诊", "「门诊」列：该列在产出中列了两次"),
    ("医生,护士", "门诊,护士", "「护士」列：同一列不能既是投入又是产出"),
])
def test_meaningless_column_choices_are_refused(hospitals, capsys, inputs, outputs, needle) -> None:
    code, out, err = run(["dea", str(hospitals), "--inputs", inputs, "--outputs", outputs, "--id", "医院"], capsys)
    _one_chinese_line(code, out, err)
    assert needle in err


@pytest.mark.parametrize("n", [3, 6, 7, 10, 21, 22])
def test_entropy_of_constant_criteria_is_refused_at_every_row_count(tmp_path, capsys, n) -> None:
    path = _write_csv(tmp_path / "c.csv", [["id", "a", "b"]] + [[i, 0.1, 3] for i in range(n)])
    code, out, err = run(["entropy", str(path), "--criteria", "a,b"], capsys)
    _one_chinese_line(code, out, err)
    assert "熵权无法区分" in err


def _every_command(tmp_path: Path, hospitals: Path) -> list[list[str]]:
    matrix = _write_csv(tmp_path / "ahp.csv", [["", "a", "b", "c"], ["a", 1, 9, "1/9"], ["b", "1/9", 1, 9],
                                               ["c", 9, "1/9", 1]])
    scores = _write_csv(tmp_path / "m.csv", [["支部", "学习", "活动", "经费"], ["一", 8, 7, 2], ["二", 5, 3, 7],
                                             ["三", 7, 5, 6]])
    panel = _panel(tmp_path, {1: "2023.9", 2: "2023.10", 3: "2023.11"})
    lines = panel.read_text(encoding="utf-8").splitlines()
    panel.write_text("\n".join(line for line in lines if not line.startswith("F5,2023.10")) + "\n",
                     encoding="utf-8")  # F5 misses a period: skipped pairs
    return [
        ["dea", str(hospitals), "--inputs", "医生,护士", "--outputs", "门诊,住院", "--id", "医院", "--super"],
        _malmquist(panel, "--vrs"),
        ["ahp", str(matrix)],
        ["entropy", str(scores), "--criteria", "学习,活动,经费", "--id", "支部"],
        ["topsis", str(scores), "--criteria", "学习,活动,经费", "--weights", "5,3,2", "--cost", "经费", "--id", "支部"],
    ]


def test_csv_drops_nothing_silently_and_warnings_go_to_stderr(tmp_path, hospitals, capsys) -> None:
    for argv in _every_command(tmp_path, hospitals):
        code, out, err_json = run(argv, capsys)
        assert code == 0, err_json
        doc = strict_json(out)
        code, out, err_csv = run([*argv, "--format", "csv"], capsys)
        assert code == 0, err_csv
        rows = csv_rows(out)
        assert len(rows) == len(doc["results"])
        header = set(rows[0])
        for key, value in doc.items():
            if key in ("results", "warnings", "skipped"):
                continue
            assert key in header or any(h.startswith(f"{key}_") for h in header), (argv[0], key)
            if isinstance(value, dict):  # e.g. TOPSIS weights, AHP's worst judgement
                assert all(f"{key}_{sub}" in header for sub in value), (argv[0], key)
        for warning_text in doc["warnings"]:
            assert warning_text in err_json and warning_text in err_csv, (argv[0], warning_text)
        assert err_json == err_csv
        if doc.get("skipped"):
            assert "F5（2023.10→2023.11）" in err_csv
    # Spot checks of what used to be dropped.
    ahp_rows = csv_rows(run([*_every_command(tmp_path, hospitals)[2], "--format", "csv"], capsys)[1])
    assert ahp_rows[0]["worst_judgement_row"] in {"a", "b", "c"}
    topsis_rows = csv_rows(run([*_every_command(tmp_path, hospitals)[4], "--format", "csv"], capsys)[1])
    assert float(topsis_rows[0]["weights_学习"]) == pytest.approx(0.5)


def test_csv_opens_in_excel_on_chinese_windows(hospitals, capsys) -> None:
    # Excel decides UTF-8 only from the BOM; without it the headers read as GBK mojibake.
    code, out, _ = run(["dea", str(hospitals), "--inputs", "医生,护士", "--outputs", "门诊,住院", "--id", "医院",
                        "--format", "csv"], capsys)
    assert code == 0
    raw = out.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "slacks_医生" in raw.decode("utf-8-sig").splitlines()[0]


def test_strict_ahp_says_why_on_stderr(tmp_path, capsys) -> None:
    rows = [["", "a", "b", "c"], ["a", 1, 9, "1/9"], ["b", "1/9", 1, 9], ["c", 9, "1/9", 1]]
    path = _write_csv(tmp_path / "bad.csv", rows)
    code, out, err = run(["ahp", str(path), "--strict"], capsys)
    assert code == 1
    assert strict_json(out)["consistent"] is False
    assert "判断矩阵一致性不足" in err and "CR = " in err and "最不一致的判断" in err


def test_an_incomplete_engine_result_exits_2_never_0(hospitals, capsys, monkeypatch) -> None:
    """Whatever the engine returns, an empty peer set or a NaN slack never reaches the output."""
    engine_loses_one_dmu(monkeypatch, 3)
    code, out, err = run(["dea", str(hospitals), "--inputs", "医生,护士", "--outputs", "门诊,住院", "--id", "医院"],
                         capsys)
    _one_chinese_line(code, out, err)
    assert "「D」行：结果不完整" in err
    with pytest.raises(AnalyticsResultError, match="incomplete result"):
        dea(inputs=list(HOSPITALS.values()), outputs=list(HOSPITALS.values()),
            input_names=["a", "b", "c", "d"], output_names=["e", "f", "g", "h"])


def test_no_nan_or_infinity_reaches_any_format(tmp_path, capsys, monkeypatch) -> None:
    from dangjian.analytics import cli
    from dangjian.analytics.mcdm import EntropyResult

    path = _write_csv(tmp_path / "m.csv", [["id", "a", "b"], [1, 1, 2], [2, 3, 4]])
    monkeypatch.setattr(cli, "entropy_weights", lambda **_: EntropyResult(
        ["a", "b"], np.array([np.nan, 1.0]), np.array([1.0, np.inf]), np.array([0.0, 1.0])))
    for fmt in ("json", "csv"):
        code, out, err = run(["entropy", str(path), "--criteria", "a,b", "--format", fmt], capsys)
        _one_chinese_line(code, out, err)

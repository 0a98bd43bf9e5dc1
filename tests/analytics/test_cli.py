"""The dangjian-analyze command, through main(argv) and once through the installed script."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from dangjian.analytics.cli import main

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

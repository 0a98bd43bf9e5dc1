"""dangjian-analyze at scale: the defaults (every core, slacks on), --workers, --dask, progress."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from dangjian.analytics import cli
from dangjian.analytics._parallel import available_cores

from .reference_lp import envelopment_two_phase
from .test_dea_second_phase import driven


@pytest.fixture
def big_file(tmp_path: Path) -> tuple[Path, np.ndarray, np.ndarray]:
    x, y = driven(21_000, seed=31)
    path = tmp_path / "units.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "x1", "x2", "x3", "y1", "y2", "y3", "y4"])
        for i in range(len(x)):
            writer.writerow([f"u{i}", *(repr(float(v)) for v in x[i]), *(repr(float(v)) for v in y[i])])
    return path, x, y


ARGS = ["--inputs", "x1,x2,x3", "--outputs", "y1,y2,y3,y4", "--id", "id"]


def test_default_command_uses_every_core_and_reports_slacks(big_file, capsys, monkeypatch) -> None:
    path, x, y = big_file
    seen: dict[str, object] = {}
    real = cli.dea

    def spy(**kwargs):
        seen.update(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(cli, "dea", spy)
    monkeypatch.setattr(cli._Progress, "QUIET_SECONDS", 0.0)
    assert cli.main(["dea", str(path), *ARGS]) == 0
    out, err = capsys.readouterr()
    assert seen["workers"] == available_cores() and seen["slacks"] is True
    # Progress goes to stderr, line by line; stdout stays one JSON document.
    assert "partition" in err and "done: 21,000 DMUs" in err
    rows = json.loads(out)["results"]
    assert len(rows) == 21_000
    pick = np.array([3, 777, 20_999])
    scores, s_in, s_out, _ = envelopment_two_phase(x, y, rts="crs", orientation="input", evaluate=pick)
    for pos, i in enumerate(pick):
        assert rows[i]["id"] == f"u{i}"
        assert rows[i]["score"] == pytest.approx(scores[pos], abs=1e-6)
        got = [rows[i]["slacks"][c] for c in ("x1", "x2", "x3")]
        np.testing.assert_allclose(got, s_in[pos], atol=1e-6)
        got = [rows[i]["slacks"][c] for c in ("y1", "y2", "y3", "y4")]
        np.testing.assert_allclose(got, s_out[pos], atol=1e-6)


def test_workers_must_be_positive(big_file, capsys) -> None:
    path, _, _ = big_file
    assert cli.main(["dea", str(path), *ARGS, "--workers", "0"]) == cli.EXIT_BAD_INPUT
    assert "--workers" in capsys.readouterr().err


def test_small_runs_print_no_progress(tmp_path: Path, capsys) -> None:
    x, y = driven(50, seed=1)
    path = tmp_path / "small.csv"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "x1", "x2", "x3", "y1", "y2", "y3", "y4"])
        writer.writerows([[f"u{i}", *x[i], *y[i]] for i in range(len(x))])
    assert cli.main(["dea", str(path), *ARGS, "--workers", "1"]) == 0
    assert capsys.readouterr().err == ""

"""Evaluation and dashboards compose figures from the metric registry: they import no feature app's models."""

import ast
import pathlib

import dangjian

ROOT = pathlib.Path(dangjian.__file__).parent
# The foundation everyone builds on; anything else is a feature app.
FOUNDATION = {"core", "accounts", "audit", "orgs", "api", "analytics", "evaluation", "dashboards"}


def _feature_model_imports(app: str) -> list[str]:
    found = []
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if (len(parts) >= 3 and parts[0] == "dangjian" and parts[1] not in FOUNDATION
                        and parts[2] == "models"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}")
    return sorted(set(found))


def test_evaluation_imports_no_feature_models():
    assert _feature_model_imports("evaluation") == []


def test_dashboards_import_no_feature_models():
    assert _feature_model_imports("dashboards") == []


def test_the_check_sees_a_planted_import(tmp_path, monkeypatch):
    pkg = tmp_path / "evaluation"
    pkg.mkdir()
    (pkg / "x.py").write_text("def f():\n    from dangjian.appeals.models import Appeal\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert "evaluation/x.py:2: dangjian.appeals.models" in _feature_model_imports("evaluation")

"""One convention per kind of file, checked so that it does not drift again (docs/architecture.md)."""

import ast
import pathlib
import re

import dangjian
from dangjian.core import todo

SRC = pathlib.Path(dangjian.__file__).parent


def test_every_to_do_provider_is_its_apps_todo_items():
    assert len(todo._providers) >= 15
    for provider in todo._providers:
        assert provider.__module__.endswith(".todo") and provider.__name__ == "todo_items", provider.__module__
    assert not list(SRC.glob("*/todos.py"))


def _imports_django(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "django" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "django":
            return True
    return False


def test_a_module_that_says_no_django_imports_none():
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree) or ""
        if re.search(r"\bno Django\b", doc, re.IGNORECASE):
            assert not _imports_django(tree), path

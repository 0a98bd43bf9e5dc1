"""The interface is Chinese through gettext: English msgids in the code, every catalogue entry
translated and compiled, and no Chinese interface text written straight into Python code."""

import ast
import re
from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "dangjian"
CATALOGUES = sorted(SRC.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))


def _translation(entry) -> str | dict:
    return {int(k): v for k, v in entry.msgstr_plural.items()} if entry.msgid_plural else entry.msgstr


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_catalogue_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert not untranslated, f"untranslated in {po_path.name}: {untranslated[:10]}"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), "compile with compilemessages"
    compiled = {(e.msgctxt, e.msgid): _translation(e) for e in polib.mofile(str(mo_path))}
    stale = [e.msgid for e in po if not e.obsolete and e.msgid and compiled.get((e.msgctxt, e.msgid)) != _translation(e)]
    assert not stale, f".mo is older than .po for: {stale[:10]}"


# --- No Chinese literals in Python code ------------------------------------------------
# Chinese shown to users goes through gettext with an English msgid; the Chinese lives in the
# app's catalogue. What is left below is either not checked yet or Chinese by nature.

# Han characters, CJK and full-width punctuation (not the ideographic space, which is layout).
CJK = re.compile(r"[\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\uffe0-\uffee]")
TRANSLATION_CALLS = {
    "_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy",
    "ngettext", "ngettext_lazy", "npgettext", "npgettext_lazy",
}
# django-ninja shows an operation's docstring as its description in the API docs.
API_OPERATIONS = {"get", "post", "put", "patch", "delete", "api_operation"}

NOT_CHECKED_APPS = {
    "analytics": "pure numpy/scipy without Django: its errors carry Chinese and English side by side",
    # Converted separately; drop each from here once its Python code is through gettext.
}
NOT_CHECKED_PARTS = {"migrations", "demo_data"}  # migrations record labels as they were; demo people and places
NOT_CHECKED_FILES = {
    "demo.py",  # demo seeders: names of people, places, meeting topics are data
    "learning/synthetic.py",  # generated study reflections for the demo and the originality benchmark
}
ALL = None
# Chinese that is data, not interface: {module: literals allowed there (ALL: the whole module)}.
CHINESE_DATA = {
    "settings.py": {
        "简体中文",  # the language's own name in the language menu
        "党建工作平台",  # default installation name (DANGJIAN_NAME)
    },
    "orgs/models.py": {"汉族"},  # default ethnicity: a stored value
    "orgs/api.py": {"汉族"},
    "recruitment/models.py": {"汉族"},
    "recruitment/forms.py": {"汉族"},
    "recruitment/api.py": {"汉族"},
    # the materials kept for each step: stored by name on the step (Step.materials) and named so in the API
    "recruitment/steps.py": {
        "入党申请书", "谈话记录", "党员推荐、群团组织推优材料", "支委会会议记录", "入党积极分子备案表", "培养联系人名单",
        "入党积极分子培养教育考察登记表", "思想汇报", "听取意见材料", "发展对象备案表", "入党介绍人名单", "政治审查综合材料",
        "培训结业证书", "支委会审查意见", "预审意见", "入党志愿书发放记录", "入党志愿书", "支部大会会议记录", "支部大会决议",
        "党委审批意见", "备案材料", "编组记录", "入党宣誓记录", "预备党员考察表", "转正申请书", "转正决议",
        "入党志愿书及全部入党材料",
    },
    "appeals/classifier.py": ALL,  # stop words and the Han range of the category classifier
    "learning/originality.py": ALL,  # sentence punctuation and the synonym pairs of the copy check
    "learning/search.py": ALL,  # stop words of the case search
    "learning/selectors.py": {"先进", "好", "优秀", "后进", "差", "较差"},  # grade words as stored
    "learning/services.py": {"，"},  # a full-width comma separates typed tags like a comma
    "grids/models.py": {"，", "老党员", "困难党员", "流动党员"},  # a typed keyword separator; the roster tags plans serve
    # The roster file is a data contract with the spreadsheet: a file written under one interface language
    # imports under any other, so its headers, enum words, column help and sheet names stay fixed Chinese,
    # and so does the template that explains them; the error messages go through the catalogue.
    "imports/columns.py": ALL,
    "imports/workbooks.py": ALL,
    "imports/cells.py": {r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$", r"[、,，;；\s]+"},  # how dates and tags are typed
    "imports/services.py": {"汉族", "、"},  # the default ethnicity (stored); the tags column's separator in the file
    # member tag names (stored) that each warning calls on
    "evaluation/selectors.py": {"志愿者", "退役军人", "法律", "调解", "维修", "医护", "心理", "党务", "宣讲",
                                "老党员", "财务", "专业", "技术"},
}


def _name(func) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _is_operation(node) -> bool:
    return any(isinstance(d, ast.Call) and _name(d.func) in API_OPERATIONS for d in node.decorator_list)


def untranslated_chinese(source: str) -> list[tuple[int, str, bool]]:
    """(line, literal, is a msgid) for each Chinese string literal shown to users without gettext.

    Chinese inside a translation call is reported too: msgids are English. Docstrings are
    for developers, except an API operation's (it is the description in the API docs).
    """
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    docstrings = set()
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) or not node.body:
            continue
        first = node.body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            if not (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_operation(node)):
                docstrings.add(first.value)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)):
            continue
        if node in docstrings:
            continue
        up = parents.get(node)
        while up is not None and not (isinstance(up, ast.Call) and _name(up.func) in TRANSLATION_CALLS):
            up = parents.get(up)
        found.append((node.lineno, node.value, up is not None))
    return sorted(found)


def _checked_modules():
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] in NOT_CHECKED_APPS or NOT_CHECKED_PARTS & set(rel.parts):
            continue
        if rel.name in NOT_CHECKED_FILES or str(rel) in NOT_CHECKED_FILES:
            continue
        yield rel


def test_no_chinese_literals_outside_the_catalogues():
    problems = []
    for rel in _checked_modules():
        allowed = CHINESE_DATA.get(str(rel), set())
        if allowed is ALL:
            continue
        for line, literal, is_msgid in untranslated_chinese((SRC / rel).read_text(encoding="utf-8")):
            if literal not in allowed:
                problems.append(f"{rel}:{line}: {'msgid in Chinese: ' if is_msgid else ''}{literal[:60]!r}")
    assert not problems, "Chinese written into Python code; use an English msgid and the catalogue:\n" + "\n".join(
        problems[:40])


def test_the_literal_check_sees_what_it_should():
    source = '''
"""Module docstring (党费) is for developers."""
from django.utils.translation import gettext as _

@router.get("/x", summary=_("Dues ledger"))
def op(request):
    """党费台账"""

def helper():
    """帮助 is a developer's note."""
    ok = _("Paid on %(d)s") % {"d": day}
    bad = f"{name}：已缴纳"
    shown = "党费"
    wrapped_but_chinese = _("党费")
    layout = "\u3000"
    return ok, bad, shown, wrapped_but_chinese, layout
'''
    assert untranslated_chinese(source) == [
        (7, "党费台账", False), (12, "：已缴纳", False), (13, "党费", False), (14, "党费", True),
    ]


def test_allowances_name_modules_that_exist():
    """An allowance for a module that was renamed or removed would hide nothing but rot."""
    for rel in [*CHINESE_DATA, *(f for f in NOT_CHECKED_FILES if "/" in f)]:
        assert (SRC / rel).exists(), rel
    for app in NOT_CHECKED_APPS:
        assert (SRC / app).is_dir(), app


def _msgids(source: str):
    """(line, context, msgid) of every translation call with literal arguments.

    A module may define its own `_` that calls pgettext with a fixed context (evaluation/xlsx.py).
    """
    tree = ast.parse(source)
    own_context = None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "_":
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and _name(call.func) == "pgettext" and isinstance(call.args[0], ast.Constant):
                    own_context = call.args[0].value
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _name(node.func) in TRANSLATION_CALLS):
            continue
        args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
        name = _name(node.func)
        if name.startswith(("pgettext", "npgettext")):
            context, msgid = (args + [None, None])[:2]
        else:
            context, msgid = (own_context if name == "_" else None), (args + [None])[0]
        if msgid and (context or not name.startswith(("pgettext", "npgettext"))):
            yield node.lineno, context, msgid


def test_every_msgid_in_the_code_has_a_translation():
    """Django merges every app's catalogue: a msgid must be translated in one of them, or it shows in English."""
    translated = {(e.msgctxt, e.msgid) for po in CATALOGUES for e in polib.pofile(str(po)) if not e.obsolete and e.translated()}
    missing = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] == "analytics" or "migrations" in rel.parts:
            continue
        for line, context, msgid in _msgids(path.read_text(encoding="utf-8")):
            if (context, msgid) not in translated:
                missing.append(f"{rel}:{line}: {msgid!r}" + (f" (context {context!r})" if context else ""))
    assert not missing, "msgids without a translation in any catalogue:\n" + "\n".join(missing[:40])


# --- One wording per msgid --------------------------------------------------------------
# Django merges every catalogue into one: for a (context, msgid) the project's own locale/ wins,
# then the app listed first in INSTALLED_APPS. Two catalogues translating the same entry
# differently means one app shows the other's wording ("accepted" read 已受理 on the
# rectification page). Same meaning: one wording everywhere; other meaning: a context
# (docs/glossary.md lists the terms and contexts).

def _catalogue_name(po_path: Path) -> str:
    part = po_path.relative_to(SRC).parts[0]
    return "project locale/" if part == "locale" else part


def wording_clashes(catalogues: dict[str, list]) -> list[str]:
    """One line per (context, msgid) that catalogues translate differently, naming the apps.

    `catalogues` maps a catalogue's name to its entries.
    """
    wordings: dict[tuple, dict] = {}
    for name, entries in catalogues.items():
        for e in entries:
            if e.obsolete or not e.msgid or not e.translated():
                continue
            wording = repr(_translation(e)) if e.msgid_plural else e.msgstr
            wordings.setdefault((e.msgctxt, e.msgid), {}).setdefault(wording, []).append(name)
    clashes = []
    for (context, msgid), by_wording in sorted(wordings.items(), key=lambda kv: (kv[0][1], kv[0][0] or "")):
        if len(by_wording) > 1:
            where = "; ".join(f"{w} in {', '.join(apps)}" for w, apps in by_wording.items())
            clashes.append(f"{msgid!r}" + (f" (context {context!r})" if context else "") + f": {where}")
    return clashes


def test_every_catalogue_gives_a_msgid_the_same_wording():
    catalogues = {_catalogue_name(po): list(polib.pofile(str(po))) for po in CATALOGUES}
    clashes = wording_clashes(catalogues)
    assert not clashes, (
        "the same English reads differently in two catalogues (Django shows only one of them everywhere); "
        "use one wording, or a context where the meaning differs:\n" + "\n".join(clashes))


def test_the_wording_check_sees_what_it_should():
    def entry(msgid, msgstr, msgctxt=None):
        return polib.POEntry(msgid=msgid, msgstr=msgstr, msgctxt=msgctxt)

    catalogues = {
        "orgs": [entry("Reason", "原因"), entry("Name", "姓名", "person"), entry("State", "状态")],
        "meetings": [entry("Reason", "理由"), entry("Name", "名称"), entry("State", "状态")],
        "grids": [entry("State", "办理状态")],
    }
    assert wording_clashes(catalogues) == ["'Reason': 原因 in orgs; 理由 in meetings", "'State': 状态 in orgs, meetings; 办理状态 in grids"]

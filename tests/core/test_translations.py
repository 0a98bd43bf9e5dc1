"""The interface is Chinese: every catalogue entry is translated and compiled."""

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

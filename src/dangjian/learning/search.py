"""Chinese full-text search over experience cases: jieba at write time, the
database's own engine at read time (SQLite FTS5, PostgreSQL tsvector 'simple').

Cases store `search_text`: jieba's search-mode tokens, space separated, so both
engines see words, not characters. One selector hides the engines' difference.
"""

import re

import jieba
from django.db import connection
from django.db.models import Case as When_
from django.db.models import IntegerField, QuerySet, Value, When

jieba.setLogLevel(60)
_WORD = re.compile(r"^[^\W_]+$")
STOP = {"的", "了", "和", "与", "及", "在", "是", "对", "把", "将", "为", "等", "中", "也", "并", "就", "都", "而"}


def _keep(tok: str) -> bool:
    return bool(_WORD.match(tok)) and tok not in STOP


def index_tokens(*texts: str) -> str:
    """Search-mode tokens (words and their sub-words), lower case, space separated."""
    out: list[str] = []
    for text in texts:
        out.extend(t.lower() for t in jieba.cut_for_search(text or "") if _keep(t.strip()))
    return " ".join(out)


def query_tokens(query: str) -> list[str]:
    seen: list[str] = []
    for t in jieba.cut(query or ""):
        t = t.strip().lower()
        if _keep(t) and t not in seen:
            seen.append(t)
    return seen[:12]


def _ranked_ids(tokens: list[str], limit: int) -> list[int]:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            tsq = " | ".join("'" + t + "'" for t in tokens)
            cur.execute(
                "SELECT id FROM learning_case WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', %s) "
                "ORDER BY ts_rank(to_tsvector('simple', search_text), to_tsquery('simple', %s)) DESC, id DESC LIMIT %s",
                [tsq, tsq, limit],
            )
        else:
            match = " OR ".join('"' + t + '"' for t in tokens)
            cur.execute(
                "SELECT rowid FROM learning_case_fts WHERE learning_case_fts MATCH %s ORDER BY rank, rowid DESC LIMIT %s",
                [match, limit],
            )
        return [row[0] for row in cur.fetchall()]


def search(queryset: QuerySet, query: str, *, limit: int = 500) -> QuerySet:
    """The (already scoped) cases matching `query`, best first."""
    tokens = query_tokens(query)
    if not tokens:
        return queryset.none()
    ids = _ranked_ids(tokens, limit)
    if not ids:
        return queryset.none()
    order = When_(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)], output_field=IntegerField())
    return queryset.filter(pk__in=ids).annotate(_rank=order).order_by("_rank")

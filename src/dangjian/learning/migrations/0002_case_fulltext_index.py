"""Full-text index over learning_case.search_text (jieba tokens), per database.

SQLite: an FTS5 table with external content, kept in step by triggers (so bulk
inserts are indexed too). PostgreSQL: a GIN index over the 'simple' tsvector.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE learning_case_fts USING fts5(search_text, content='learning_case', content_rowid='id')",
    "CREATE TRIGGER learning_case_fts_ai AFTER INSERT ON learning_case BEGIN "
    "INSERT INTO learning_case_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER learning_case_fts_ad AFTER DELETE ON learning_case BEGIN "
    "INSERT INTO learning_case_fts(learning_case_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER learning_case_fts_au AFTER UPDATE OF search_text ON learning_case BEGIN "
    "INSERT INTO learning_case_fts(learning_case_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO learning_case_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO learning_case_fts(learning_case_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS learning_case_fts_ai",
    "DROP TRIGGER IF EXISTS learning_case_fts_ad",
    "DROP TRIGGER IF EXISTS learning_case_fts_au",
    "DROP TABLE IF EXISTS learning_case_fts",
]
POSTGRES = ["CREATE INDEX learning_case_search_gin ON learning_case USING GIN (to_tsvector('simple', search_text))"]
POSTGRES_DROP = ["DROP INDEX IF EXISTS learning_case_search_gin"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_cases_study_reflections")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]

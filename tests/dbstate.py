"""What a refused write must leave alone: every table's row count, and the rows it names."""

from contextlib import contextmanager

from django.db import connection

# Rows any request may touch whatever it is refused (the signed-in session).
VOLATILE_TABLES = {"django_session"}


def row_counts() -> dict[str, int]:
    tables = sorted(set(connection.introspection.table_names()) - VOLATILE_TABLES)
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {qn(t)})" for t in tables))
        return dict(zip(tables, cur.fetchone(), strict=True))


def snapshot(objects=()) -> tuple[dict, dict]:
    rows = {f"{type(o).__name__}#{o.pk}": list(type(o)._base_manager.filter(pk=o.pk).values()) for o in objects}
    return row_counts(), rows


def changes(before, after) -> list[str]:
    out = [f"{t}: {before[0][t]} -> {after[0][t]} rows" for t in before[0] if before[0][t] != after[0][t]]
    out += [f"{key} changed" for key in before[1] if before[1][key] != after[1][key]]
    return out


@contextmanager
def unchanged(*objects):
    """`with unchanged(member): response = client.post(...)`: fails if any table or named row changed."""
    before = snapshot(objects)
    yield
    diff = changes(before, snapshot(objects))
    assert not diff, "a refused request changed the database: " + "; ".join(diff)

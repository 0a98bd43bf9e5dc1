"""Inserting many rows with executemany, bypassing per-object model overhead.

bulk_create spends most of its time preparing each field of each object
(about 10 s for 100,000 members here); the importer already holds values in
database form, so it hands them to executemany directly. Columns the caller
does not give get the field's default (or "now" for auto_now fields), prepared
once, so a column added to a model later with a default keeps working.
"""

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import AutoField, BigAutoField, SmallAutoField
from django.utils import timezone

BATCH = 2000


def insert_rows(model, *, fields: Sequence[str], rows: Sequence[tuple], batch_size: int = BATCH) -> None:
    """rows hold database-ready values for `fields` (attnames), in that order."""
    if not rows:
        return
    opts = model._meta
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    now = timezone.now()
    tail_columns, tail_values = [], []
    for f in opts.concrete_fields:
        if f.attname in fields or isinstance(f, (AutoField, BigAutoField, SmallAutoField)):
            continue
        value = now if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)) else f.get_default()
        tail_columns.append(f.column)
        tail_values.append(f.get_db_prep_save(value, connection))
    columns = [opts.get_field(name).column for name in fields] + tail_columns
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(opts.db_table), ", ".join(qn(c) for c in columns), ", ".join(["%s"] * len(columns))
    )
    tail = tuple(tail_values)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start:start + batch_size]
            cursor.executemany(sql, [row + tail for row in batch] if tail else batch)


def date_adapter(model):
    """How this database wants a date parameter (a string on SQLite, the object elsewhere)."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "sqlite":
        return lambda day: day.isoformat() if day is not None else None  # what its ops do, minus the lookups
    return connection.ops.adapt_datefield_value

"""Inserting many rows with executemany (or one INSERT ... SELECT), bypassing per-object model overhead.

bulk_create spends most of its time preparing each field of each object
(about 10 s for 100,000 members here); the importer already holds values in
database form, so it hands them to executemany directly. Columns the caller
does not give get the field's default (or "now" for auto_now fields), prepared
once, so a column added to a model later with a default keeps working.
"""

import datetime as dt
from collections.abc import Callable, Sequence

from django.db import connections, router
from django.db.models import AutoField, BigAutoField, SmallAutoField
from django.utils import timezone

BATCH = 2000


def insert_rows(model, *, fields: Sequence[str], rows: Sequence[tuple], batch_size: int = BATCH) -> dt.datetime:
    """rows hold database-ready values for `fields` (attnames), in that order.

    Returns the time given to auto_now(_add) columns: the same for every row,
    so the caller can find exactly the rows it inserted.
    """
    now = timezone.now()
    if not rows:
        return now
    opts = model._meta
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
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
    return now


def insert_from_select(model, source, **columns) -> None:
    """INSERT INTO model (columns) SELECT expressions FROM source: one statement, no rows in Python.

    `columns` maps attnames of `model` to expressions over the queryset `source`.
    """
    connection = connections[router.db_for_write(model)]
    query = source.annotate(**{f"_{name}": expression for name, expression in columns.items()}).values_list(
        *(f"_{name}" for name in columns)
    )
    select_sql, params = query.query.sql_with_params()
    opts = model._meta
    qn = connection.ops.quote_name
    target = ", ".join(qn(opts.get_field(name).column) for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {qn(opts.db_table)} ({target}) {select_sql}", params)


def dates_adapter(model) -> Callable[[list], list]:
    """How this database wants a column of date parameters (ISO strings on SQLite, the objects elsewhere)."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "sqlite":
        # What its ops do, minus the per-value lookups.
        return lambda days: [day.isoformat() if day is not None else None for day in days]
    adapt = connection.ops.adapt_datefield_value
    return lambda days: list(map(adapt, days))

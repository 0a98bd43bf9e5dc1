"""Loading many generated rows: PostgreSQL's COPY, else executemany in batches.

For builders that generate rows by the hundred thousand (the demo at scale, the
benchmarks). Rows are consumed from an iterable as they come, so a caller that
yields them keeps memory bounded: COPY streams each row to the server, the
SQLite path holds one batch at a time. Values must already be database-ready
(the caller adapts dates and encrypts identifiers).
"""

from collections.abc import Iterable, Sequence

from django.db import connection as default_connection

BATCH = 20000


def load_rows(table: str, columns: Sequence[str], rows: Iterable[tuple], *, connection=None,
              batch: int = BATCH) -> int:
    """Write `rows` (tuples in `columns` order) into `table`; return how many were written."""
    conn = connection or default_connection
    qn = conn.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    n = 0
    if conn.vendor == "postgresql":
        conn.ensure_connection()
        with conn.cursor() as wrapper, wrapper.cursor.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        return n
    sql = f"INSERT INTO {qn(table)} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})"
    chunk: list[tuple] = []
    with conn.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                n += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            n += len(chunk)
    return n

"""Time the roster export (/imports/roster/export.xlsx) against an existing installation.

Point it at a database built with demo_org (see docs/import.md):

    DANGJIAN_VAR_DIR=/tmp/export_var .venv/bin/python -m dangjian.manage demo_org --scale 100000 --no-features
    DANGJIAN_VAR_DIR=/tmp/export_var .venv/bin/python bench/roster_export.py [--user admin] [--repeat 2]

Two figures, best of --repeat runs, wall clock and CPU time of this process
(SQLite runs in-process, so its work counts too):
- "page": GET /imports/roster/export.xlsx as the user, the response read to
  the end (query, decryption, rows, workbook, audit entry);
- "workbook": the same rows, already built in memory, written by
  workbooks.roster_workbook alone (what lxml changes).
Writes one audit entry per page run (the export is audited). The last line
is JSON.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from dangjian.imports import services, workbooks  # noqa: E402
from dangjian.imports.selectors import may_reveal_all, roster_for_export  # noqa: E402
from machine import machine, uptime  # noqa: E402  (bench/machine.py)


def timed(fn) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def best(repeat: int, fn) -> tuple[float, float, object]:
    runs = [timed(fn) for _ in range(repeat)]
    return min(runs, key=lambda r: r[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--user", default="admin")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    user = get_user_model().objects.get(username=args.user)
    client = Client()
    client.force_login(user)

    def page() -> int:
        response = client.get("/imports/roster/export.xlsx")
        assert response.status_code == 200, response.status_code
        return sum(len(chunk) for chunk in response.streaming_content)

    page_wall, page_cpu, size = best(args.repeat, page)

    members = roster_for_export(user, {})
    reveal = may_reveal_all(user, members)
    rows = [services._export_row(m, reveal=reveal) for m in members.iterator(chunk_size=2000)]

    def workbook() -> int:
        with tempfile.TemporaryFile() as target:
            return workbooks.roster_workbook(rows, target)

    book_wall, book_cpu, count = best(args.repeat, workbook)
    print(f"lxml in use by openpyxl: {openpyxl.LXML}")
    print(f"page      {page_wall:7.2f} s wall  {page_cpu:7.2f} s CPU  {size / 1e6:6.1f} MB")
    print(f"workbook  {book_wall:7.2f} s wall  {book_cpu:7.2f} s CPU  {count:,} rows")
    print(json.dumps({
        "rows": count, "lxml": openpyxl.LXML, "bytes": size,
        "page_seconds": round(page_wall, 3), "page_cpu_seconds": round(page_cpu, 3),
        "workbook_seconds": round(book_wall, 3), "workbook_cpu_seconds": round(book_cpu, 3),
        "machine": machine(), "uptime": uptime(),
    }))


if __name__ == "__main__":
    main()

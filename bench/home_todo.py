"""Time every to-do provider and the home page (plus optional pages) against an existing installation.

Point it at a database built with demo_org (see docs/performance.md):

    DANGJIAN_VAR_DIR=/tmp/perf_var .venv/bin/python bench/home_todo.py admin officer \\
        [--repeat 3] [--page /meetings/life/ --page /dues/arrears/]

For each user: one warm-up request of the home page, then the best of --repeat
runs of each provider and each page: wall time, CPU time of this process
(time.process_time(): SQLite runs in-process, so it counts too; on a shared
machine it is the steadier figure) and the number of queries. Read-only.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402

from dangjian.accounts import middleware  # noqa: E402
from dangjian.core import todo  # noqa: E402
from machine import machine, uptime  # noqa: E402  (bench/machine.py)


def best_of(repeat: int, fn) -> tuple[float, float, int, object]:
    best = None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            wall, cpu = time.perf_counter(), time.process_time()
            result = fn()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        run = (wall, cpu, len(ctx.captured_queries), result)
        best = run if best is None or run[0] < best[0] else best
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("users", nargs="*", default=["admin", "officer"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--page", action="append", default=[])
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    # The superuser's pages, not the second factor's set-up page they would be sent to (read-only: no device).
    middleware.two_factor_required = lambda user: False
    translation.activate("zh-hans")
    users = get_user_model().objects
    summary: dict = {}
    for name in args.users:
        client = Client()
        client.force_login(users.get(username=name))
        client.get("/")  # imports, translations, caches
        for provider in todo._providers:
            # A fresh user each run: the scope cache lives on the user object, as in a request.
            wall, cpu, queries, items = best_of(args.repeat, lambda p=provider, n=name: p(users.get(username=n)))
            label = f"{provider.__module__}.{provider.__name__}"
            print(f"{name:10s} {label:55s} wall {wall * 1000:7.1f} ms  cpu {cpu * 1000:7.1f} ms  "
                  f"queries {queries:3d}  items {len(items)}")
            summary.setdefault(name, {})[label] = {"wall_ms": round(wall * 1000, 1), "cpu_ms": round(cpu * 1000, 1),
                                                   "queries": queries, "items": len(items)}
        for path in ["/", *args.page]:
            wall, cpu, queries, response = best_of(args.repeat, lambda p=path, c=client: c.get(p))
            print(f"{name:10s} {'GET ' + path:55s} wall {wall * 1000:7.1f} ms  cpu {cpu * 1000:7.1f} ms  "
                  f"queries {queries:3d}  status {response.status_code}")
            summary.setdefault(name, {})[f"GET {path}"] = {
                "wall_ms": round(wall * 1000, 1), "cpu_ms": round(cpu * 1000, 1), "queries": queries,
                "status": response.status_code}
    print(json.dumps({"users": summary, "machine": machine(), "uptime": uptime()}, ensure_ascii=False))


if __name__ == "__main__":
    main()

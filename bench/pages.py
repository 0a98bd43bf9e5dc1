"""Time each main page per persona at two data sizes and print how much slower the larger one is (goal: flat).

    .venv/bin/python bench/pages.py [--sizes 3000 30000] [--users admin officer ...] [--repeat 3]
        [--page /extra/path/ ...] [--cache DIR] [--rebuild] [--no-features]

For each size, a SQLite installation built with `demo_org --scale N` (every
feature seeder unless --no-features; cached in a temp directory per size, so the
second run only times). In a fresh process per size, each persona user signs in
(force_login), requests the home page once to warm up, then each page is
requested --repeat times; the best run counts: wall time, CPU time of the process
(SQLite runs in-process, so its time counts too: on a shared machine the steadier
figure) and the number of queries. Pages are found by URL name, so a page an app
renames or drops is reported as missing rather than breaking the bench; whatever
the role homes look like, `/` is timed as it answers.

The last line printed is one JSON object: sizes, per user and page the two CPU
figures and their ratio (large / small), the worst ratio, the slowest home page
and dashboard at the larger size, goals, and the machine.
"""

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import machine, uptime  # bench/machine.py

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 10, 10)
USERS = ["admin", "officer", "community", "branch_a", "grid", "auditor", "reviewer", "member"]
# (label, URL name): the main page of each area. Missing names are skipped and reported.
PAGES = [
    ("home", "home"), ("dashboards", "dashboards:index"), ("screen data", "dashboards:screen_data"),
    ("orgs", "orgs:org_index"), ("members", "orgs:member_list"), ("meetings", "meetings:list"),
    ("meeting life", "meetings:life"), ("compliance", "meetings:compliance"), ("dues", "dues:ledger"),
    ("arrears", "dues:arrears"), ("recruitment", "recruitment:list"), ("appeals", "appeals:list"),
    ("grids", "grids:list"), ("committees", "committees:list"), ("evaluation", "evaluation:periods"),
    ("projects", "projects:list"), ("duty", "duty:list"), ("volunteering", "volunteering:list"),
    ("learning", "learning:case_list"), ("surveys", "surveys:index"), ("assessment", "assessment:list"),
    ("resources", "resources:resource_list"),
]
HOME_GOAL_MS = DASHBOARD_GOAL_MS = 500


def time_pages(users: list[str], extra: list[str], repeat: int) -> dict:
    """Runs inside Django (the installation of DANGJIAN_VAR_DIR): {user: {label: figures}}."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    from dangjian.accounts import middleware
    from dangjian.orgs.models import Member, Org

    settings.ALLOWED_HOSTS = ["*"]
    # The superuser's pages, not the second factor's set-up page they would be sent to (read-only: no device).
    middleware.two_factor_required = lambda user: False
    translation.activate("zh-hans")
    paths = []
    for label, name in PAGES:
        try:
            paths.append((label, reverse(name)))
        except NoReverseMatch:
            print(f"  no page named {name}: skipped", file=sys.stderr)
    paths += [(p, p) for p in extra]
    out: dict = {"_data": {"members": Member.objects.count(), "organisations": Org.objects.count()}}
    for username in users:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            print(f"  no user {username}: skipped", file=sys.stderr)
            continue
        client = Client()
        client.force_login(user)
        client.get("/")  # imports, translations, caches
        out[username] = {}
        for label, path in paths:
            best = None
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as ctx:
                    wall, cpu = time.perf_counter(), time.process_time()
                    response = client.get(path)
                    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                run = {"wall_ms": round(wall * 1000, 1), "cpu_ms": round(cpu * 1000, 1),
                       "queries": len(ctx.captured_queries), "status": response.status_code, "path": path}
                best = run if best is None or run["cpu_ms"] < best["cpu_ms"] else best
            out[username][label] = best
            print(f"  {username:10s} {label:14s} {best['status']} cpu {best['cpu_ms']:8.1f} ms  "
                  f"wall {best['wall_ms']:8.1f} ms  queries {best['queries']}", file=sys.stderr, flush=True)
    return out


def installation(size: int, cache: Path | None, rebuild: bool, features: bool) -> dict:
    workdir = (cache or Path(tempfile.gettempdir())) / f"pages_bench_{size}{'' if features else '_bare'}"
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "bench.sqlite3"
    env = {**os.environ, "DANGJIAN_VAR_DIR": str(workdir), "DATABASE_URL": f"sqlite:///{db}",
           "DJANGO_SETTINGS_MODULE": "dangjian.settings", "PYTHONPATH": str(ROOT / "src")}
    done = workdir / "built.done"
    if rebuild:
        for p in workdir.glob("*"):
            p.unlink()
    if not done.exists():
        for p in workdir.glob("bench.sqlite3*"):
            p.unlink()
        print(f"building demo_org --scale {size:,}{'' if features else ' --no-features'} ...", flush=True)
        t = time.perf_counter()
        for args in (["migrate", "--no-input", "-v", "0"],
                     ["demo_org", "--scale", str(size), "--today", TODAY.isoformat(),
                      *([] if features else ["--no-features"])]):
            proc = subprocess.run([sys.executable, "-m", "dangjian.manage", *args], env=env,
                                  capture_output=True, text=True)
            if proc.returncode:
                raise SystemExit(f"{args[0]} failed:\n{proc.stderr[-3000:]}")
        done.write_text(f"{time.perf_counter() - t:.0f} s")
    else:
        subprocess.run([sys.executable, "-m", "dangjian.manage", "migrate", "--no-input", "-v", "0"], env=env,
                       check=True, capture_output=True)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[3000, 30000], metavar=("SMALL", "LARGE"))
    parser.add_argument("--users", nargs="+", default=USERS)
    parser.add_argument("--page", action="append", default=[], help="another path to time")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-features", action="store_true", help="roster only (no feature seeders)")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "time":
        print(json.dumps(time_pages(args.users, args.page, args.repeat)))
        return
    runs = {}
    for size in args.sizes:
        env = installation(size, args.cache, args.rebuild, not args.no_features)
        print(f"timing {size:,} members ...", flush=True)
        cmd = [sys.executable, __file__, "--step", "time", "--repeat", str(args.repeat), "--users", *args.users]
        for p in args.page:
            cmd += ["--page", p]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        sys.stdout.write(proc.stderr)
        if proc.returncode:
            raise SystemExit(f"timing failed at {size}")
        runs[size] = json.loads(proc.stdout.strip().splitlines()[-1])
    small, large = (runs[s] for s in args.sizes)
    pages: dict = {}
    print(f"\n{'user':10s} {'page':14s} {'CPU ms ' + str(args.sizes[0]):>14s} {'CPU ms ' + str(args.sizes[1]):>14s}"
          f" {'ratio':>6s}  queries")
    for user in args.users:
        for label, big in large.get(user, {}).items():
            few = small.get(user, {}).get(label)
            if few is None or big["status"] != 200 or few["status"] != 200:
                continue
            ratio = round(big["cpu_ms"] / max(few["cpu_ms"], 0.1), 2)
            pages.setdefault(user, {})[label] = {"small_cpu_ms": few["cpu_ms"], "large_cpu_ms": big["cpu_ms"],
                                                 "large_wall_ms": big["wall_ms"], "ratio": ratio,
                                                 "queries": [few["queries"], big["queries"]]}
            print(f"{user:10s} {label:14s} {few['cpu_ms']:14.1f} {big['cpu_ms']:14.1f} {ratio:6.2f}  "
                  f"{few['queries']} → {big['queries']}")
    flat = [(p["ratio"], u, label) for u, by in pages.items() for label, p in by.items()]
    homes = {u: by["home"]["large_cpu_ms"] for u, by in pages.items() if "home" in by}
    dashboards = {u: by["dashboards"]["large_cpu_ms"] for u, by in pages.items() if "dashboards" in by}
    print(json.dumps({
        "sizes": args.sizes, "data": {s: runs[s]["_data"] for s in args.sizes}, "pages": pages,
        "worst_ratio": max(flat, default=None), "home_cpu_ms_large": homes,
        "dashboards_cpu_ms_large": dashboards,
        "home_goal_met": bool(homes) and max(homes.values()) <= HOME_GOAL_MS,
        "dashboards_goal_met": bool(dashboards) and max(dashboards.values()) <= DASHBOARD_GOAL_MS,
        "machine": machine(), "uptime": uptime(),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()

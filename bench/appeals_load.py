"""Load test of the public appeal intake against the real server, on loopback.

For SQLite and then PostgreSQL: a temporary DANGJIAN_VAR_DIR (and database),
migrate, one community, gunicorn (3 sync workers) on 127.0.0.1, then
--count public form submissions from --clients threads (keep-alive
connections). Each question on the form is answered once (issue 16), so each
client first loads one form per submission it will make (CSRF cookie, one-time
token, arithmetic question; not timed), waits the minimum form age once, then
submits each form; a failed connection is retried with the same form, which
must bring in its appeal once. The tracking code is read from the answer to the
submission (the confirmation page, issue 18), or from the tracking page it
redirects to (before issue 18: the code in a cookie, never in a URL); the
latency is from sending the form until the code is on the page. Afterwards the
database is read back: every submission answered as accepted must be stored
exactly once with the code shown (else it counts as lost), none stored twice;
a submission that got no answer at all (three failed tries) is counted apart
(`unanswered`, and how many of them were stored anyway).

The rate limits are raised through DANGJIAN_APPEALS_RATE_LIMIT and
DANGJIAN_APPEALS_TRACK_RATE_LIMIT for this run only; the honeypot, the form's
minimum age and the one-time question stay on.

    .venv/bin/python bench/appeals_load.py [--count 10000] [--clients 16] [--only sqlite|postgres]
        [--workers 3] [--threads 1]

--threads above 1 runs gunicorn's threaded worker (gthread, keep-alive kept);
1 is the sync worker. The last line printed is one JSON object: submitted,
stored, lost, throughput, p50_ms, p95_ms (of the worse database by
throughput), plus per-database figures under "runs", `machine` and `uptime`.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from machine import machine, uptime  # bench/machine.py

ROOT = Path(__file__).resolve().parent.parent
# The project's virtualenv; from a git worktree without one, the interpreter running this script.
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
PG = "postgres://postgres@127.0.0.1:5432"
DIGITS = "零一二三四五六七八九"
TEXTS = [
    "小区垃圾桶好几天没人清运，味道很大", "楼上邻居每天半夜拖椅子声音很大", "路口红绿灯坏了好几天很危险",
    "物业公司不作为，电梯坏了一个星期也不修", "家里老人独居，希望有人定期上门看看", "楼道灯坏了好几个月",
    "想咨询孩子上小学需要准备哪些材料", "小区最近电动车被盗，希望加强巡逻",
]


def process_cpu(root_pid: int) -> float:
    """User + system CPU seconds of a process and its children (the gunicorn workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid = int(stat.parent.name)
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, ValueError):
            continue
        if pid == root_pid or int(fields[1]) == root_pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args, input_text=None) -> str:
    out = subprocess.run([PY, "-m", "dangjian.manage", *args], env=env, cwd=ROOT, input=input_text,
                         capture_output=True, text=True, timeout=600)
    if out.returncode:
        raise SystemExit(f"manage {args[0]} failed:\n{out.stderr[-3000:]}")
    return out.stdout


SETUP = """
from dangjian.orgs.models import Org
street = Org.objects.add_root({"name": "压测街道", "code": "BENCH-S", "kind": "street"})
community = Org.objects.add_child(street, {"name": "压测社区", "code": "BENCH-C", "kind": "community"})
print(community.pk)
"""

READBACK = """
import json
from django.db.models import Count
from dangjian.appeals.models import Appeal, IntakeChallenge
rows = IntakeChallenge.objects.filter(appeal__isnull=False).values_list("token", "appeal__tracking_code")
dupes = Appeal.objects.values("text").annotate(n=Count("id")).filter(n__gt=1).count()
print(json.dumps({"rows": list(rows), "dupes": dupes, "total": Appeal.objects.count()}))
"""


class Client:
    def __init__(self, port: int, org_id: int, min_age: float):
        self.port, self.org_id, self.min_age = port, org_id, min_age
        self.conn = None
        self.cookies: dict[str, str] = {}
        self.forms: list[tuple[str, str]] = []

    def connect(self):
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def _keep_cookies(self, resp):
        for c in resp.headers.get_all("Set-Cookie") or []:
            name, _, value = c.split(";", 1)[0].partition("=")
            self.cookies[name] = value

    def _cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def load_forms(self, n: int):
        """n forms, each with its own one-time question."""
        self.connect()
        for _ in range(n):
            self.conn.request("GET", "/appeals/submit/", headers={"Cookie": self._cookie()})
            resp = self.conn.getresponse()
            html = resp.read().decode()
            self._keep_cookies(resp)
            self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
            token = re.search(r'name="token" value="([^"]+)"', html).group(1)
            question = re.search(r"([零一二三四五六七八九])加([零一二三四五六七八九])等于几", html)
            self.forms.append((token, str(DIGITS.index(question.group(1)) + DIGITS.index(question.group(2)))))
        self.loaded_at = time.monotonic()

    def submit(self, form: tuple[str, str], text: str) -> tuple[int, str]:
        token, answer = form
        body = urllib.parse.urlencode({
            "csrfmiddlewaretoken": self.csrf, "token": token, "answer": answer,
            "org": self.org_id, "text": text, "address": "压测小区1号楼", "website": "",
        })
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self._cookie()}
        self.conn.request("POST", "/appeals/submit/", body=body, headers=headers)
        resp = self.conn.getresponse()
        page = resp.read().decode()
        self._keep_cookies(resp)
        return resp.status, (page if resp.status == 200 else resp.headers.get("Location", ""))

    def tracked_code(self, location: str) -> str:
        """The code the page a submission redirected to shows (before issue 18's confirmation page)."""
        self.conn.request("GET", location, headers={"Cookie": self._cookie()})
        resp = self.conn.getresponse()
        return shown_code(resp.read().decode())


def shown_code(page: str) -> str:
    found = re.search(r'class="tracking-code">([0-9A-Z]+)<', page)
    return found.group(1) if found else ""


def run_clients(port, org_id, *, count, clients, deadline_s, db, cpu_now=lambda: 0.0):
    lock = threading.Lock()
    next_i = iter(range(count))
    latencies: list[float] = []
    accepted: dict[str, str] = {}
    unconfirmed: list[str] = []  # answered as accepted, but no code on the page
    unanswered: list[str] = []
    refused: dict[int, int] = {}
    errors = []
    stop_at = None  # deadline_s after the clock starts (the form loads before it are not counted)

    def worker(w):
        c = Client(port, org_id, 3)
        try:
            c.load_forms(count // clients + (1 if w < count % clients else 0))
        except (OSError, http.client.HTTPException, AttributeError) as exc:  # this client runs with what it has
            with lock:
                errors.append(f"form load: {exc!r}")
        ready.wait()  # the clock starts when every client holds its forms
        time.sleep(3.2)  # the form's minimum age
        for form in c.forms:
            if time.monotonic() >= stop_at:
                return
            with lock:
                i = next(next_i, None)
            if i is None:
                return
            text = f"{TEXTS[i % len(TEXTS)]}（编号{i}）"
            t = time.perf_counter()
            status, code = None, ""
            for attempt in range(3):
                try:
                    status, answer = c.submit(form, text)
                    # The confirmation itself (issue 18), or the tracking page a redirect leads to.
                    code = shown_code(answer) if status == 200 else c.tracked_code(answer) if status == 302 else ""
                    break
                except (OSError, http.client.HTTPException) as exc:
                    c.connect()
                    status = None
                    if attempt == 2:
                        with lock:
                            errors.append(repr(exc))
            ms = (time.perf_counter() - t) * 1000  # from sending the form until the code is on the page
            with lock:
                latencies.append(ms)
                if status in (200, 302) and code:
                    accepted[form[0]] = code
                elif status in (200, 302):
                    unconfirmed.append(form[0])
                elif status is None:
                    unanswered.append(form[0])
                else:
                    refused[status] = refused.get(status, 0) + 1

    ready = threading.Barrier(clients + 1, timeout=deadline_s)
    threads = [threading.Thread(target=worker, args=(w,)) for w in range(clients)]
    for t in threads:
        t.start()
    ready.wait()
    t0 = time.perf_counter()
    stop_at = time.monotonic() + 3.2 + deadline_s
    cpu_at_start = cpu_now()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0 - 3.2  # less the one wait for the form's minimum age
    return latencies, accepted, unconfirmed, unanswered, refused, errors, elapsed, cpu_at_start


def bench(db: str, *, count: int, clients: int, workers: int, threads: int, deadline_s: int) -> dict:
    var = Path(tempfile.mkdtemp(prefix=f"dj-bench-{db}-"))
    env = {**os.environ, "DANGJIAN_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "dangjian.settings",
           "PYTHONPATH": str(ROOT / "src"),
           "DANGJIAN_APPEALS_RATE_LIMIT": "10000000", "DANGJIAN_APPEALS_TRACK_RATE_LIMIT": "10000000",
           "LOG_LEVEL": "ERROR"}
    dbname = f"dj_bench_appeals_{os.getpid()}"
    if db == "postgres":
        env["DATABASE_URL"] = f"{PG}/{dbname}"
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {dbname}"], check=True)
    server = None
    try:
        manage(env, "migrate", "--no-input", "-v", "0")
        org_id = int(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
        port = free_port()
        server = subprocess.Popen(
            [GUNICORN, "dangjian.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
             *(["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []),
             "--keep-alive", "30", "--log-level", "warning",
             # A first request on a machine shared with other jobs can take longer than the default 30 s.
             "--timeout", "300"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(var / "gunicorn.log", "w"),
        )
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        cpu_before = process_cpu(server.pid)
        load_before = os.getloadavg()
        latencies, accepted, unconfirmed, unanswered, refused, errors, elapsed, cpu_at_start = run_clients(
            port, org_id, count=count, clients=clients, deadline_s=deadline_s, db=db,
            cpu_now=lambda: process_cpu(server.pid))
        cpu_end = process_cpu(server.pid)
        server_cpu = cpu_end - cpu_before
        timed_cpu = cpu_end - cpu_at_start
        back = json.loads(manage(env, "shell", "-c", READBACK).strip().splitlines()[-1])
        stored_codes = dict(back["rows"])
        # Lost: answered as accepted, and not stored under the code the resident was shown (or at all).
        lost = sum(1 for token, code in accepted.items() if stored_codes.get(token) != code)
        lost += sum(1 for token in unconfirmed if token not in stored_codes)
        q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
        result = {
            "db": db, "submitted": len(latencies), "accepted": len(accepted), "refused": refused,
            "errors": len(errors), "stored": len(stored_codes), "duplicates": back["dupes"], "lost": lost,
            "unconfirmed": len(unconfirmed), "unanswered": len(unanswered),
            "unanswered_stored": sum(1 for token in unanswered if token in stored_codes),
            "throughput": round(len(latencies) / elapsed, 1), "p50_ms": round(q[49], 1), "p95_ms": round(q[94], 1),
            "seconds": round(elapsed, 1), "clients": clients, "server_workers": workers, "server_threads": threads,
            # Includes the clients' form loads before the clock starts; the tracking page after each submission.
            "server_cpu_seconds": round(server_cpu, 1), "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in os.getloadavg()], "first_errors": errors[:3],
            "server_cpu_ms_per_submission": round(server_cpu * 1000 / max(len(latencies), 1), 1),
            # The timed phase only: the submissions and whatever page shows the code, no form loads.
            "timed_server_cpu_seconds": round(timed_cpu, 1),
            "timed_server_cpu_ms_per_submission": round(timed_cpu * 1000 / max(len(latencies), 1), 1),
        }
        print(f"{db}: {result['submitted']} submitted, {result['accepted']} accepted, {result['stored']} stored, "
              f"{result['duplicates']} duplicated, {result['lost']} lost; {result['throughput']}/s, "
              f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms", flush=True)
        return result
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if db == "postgres":
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                            f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"], check=False)
        shutil.rmtree(var, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="above 1: gunicorn's gthread worker")
    parser.add_argument("--deadline", type=int, default=900, help="seconds per database, at most")
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    dbs = [args.only] if args.only else ["sqlite", "postgres"]
    runs = {db: bench(db, count=args.count, clients=args.clients, workers=args.workers, threads=args.threads,
                      deadline_s=args.deadline)
            for db in dbs}
    worst = min(runs.values(), key=lambda r: r["throughput"])
    summary = {k: worst[k] for k in ("submitted", "stored", "lost", "unanswered", "throughput", "p50_ms", "p95_ms")}
    summary["worst_db"] = worst["db"]
    summary["machine"] = machine()
    summary["uptime"] = uptime()
    summary["runs"] = runs
    print(json.dumps(summary, ensure_ascii=False))
    sys.exit(0 if all(r["lost"] == 0 and r["duplicates"] == 0 for r in runs.values()) else 1)


if __name__ == "__main__":
    main()
